/// UTF-8 scanning rules of the two reference implementations, which differ on bad input.
enum UTF8Scan {
    /// U+FFFD REPLACEMENT CHARACTER.
    static let replacementCharacter: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// SentencePiece's `OneCharLen`: the length a lead byte announces (1 for stray trail bytes).
    @inline(__always)
    static func announcedLength(_ lead: UInt8) -> Int {
        switch lead >> 4 {
        case 0xC, 0xD: return 2
        case 0xE: return 3
        case 0xF: return 4
        default: return 1
        }
    }

    /// SentencePiece's `IsValidDecodeUTF8`: the length of the character at `start` and
    /// whether it is well formed. A malformed character always has length 1 (one bad byte is
    /// consumed and becomes U+FFFD); overlong forms and surrogates are malformed.
    static func sentencePieceCharacter(
        in text: UnsafeBufferPointer<UInt8>, at start: Int, end: Int
    ) -> (length: Int, valid: Bool) {
        let available = end - start
        let b0 = UInt32(text[start])
        if b0 < 0x80 { return (1, true) }
        @inline(__always) func trail(_ i: Int) -> UInt32? {
            let b = text[start + i]
            return b & 0xC0 == 0x80 ? UInt32(b & 0x3F) : nil
        }
        @inline(__always) func isScalar(_ c: UInt32) -> Bool {
            c < 0xD800 || (c >= 0xE000 && c <= 0x10FFFF)
        }
        if available >= 2, b0 & 0xE0 == 0xC0, let t1 = trail(1) {
            let c = (b0 & 0x1F) << 6 | t1
            if c >= 0x80 && isScalar(c) { return (2, true) }
        } else if available >= 3, b0 & 0xF0 == 0xE0, let t1 = trail(1), let t2 = trail(2) {
            let c = (b0 & 0x0F) << 12 | t1 << 6 | t2
            if c >= 0x800 && isScalar(c) { return (3, true) }
        } else if available >= 4, b0 & 0xF8 == 0xF0, let t1 = trail(1), let t2 = trail(2),
            let t3 = trail(3)
        {
            let c = (b0 & 0x07) << 18 | t1 << 12 | t2 << 6 | t3
            if c >= 0x10000 && isScalar(c) { return (4, true) }
        }
        return (1, false)
    }
}
