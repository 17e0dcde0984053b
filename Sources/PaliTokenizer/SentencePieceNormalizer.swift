/// SentencePiece's `Normalizer` for models without a character map (rule `identity`):
/// user-defined symbols pass untouched, malformed UTF-8 bytes become U+FFFD, spaces become
/// `▁` (`escape_whitespaces`), and the dummy-prefix and extra-whitespace options apply.
struct SentencePieceNormalizer: Sendable {
    /// U+2581 LOWER ONE EIGHTH BLOCK, SentencePiece's visible space.
    static let spaceSymbol: [UInt8] = [0xE2, 0x96, 0x81]

    let addDummyPrefix: Bool
    let removeExtraWhitespaces: Bool
    let escapeWhitespaces: Bool
    let treatWhitespaceAsSuffix: Bool

    /// Appends the normalized form of `input` to `output` (`Normalizer::Normalize`).
    func normalize(
        _ input: UnsafeBufferPointer<UInt8>, userDefined: PrefixTrie, into output: inout [UInt8]
    ) {
        var position = 0
        let end = input.count
        let startCount = output.count
        // The next unit's normalized bytes (a slice of the input, or U+FFFD for a malformed
        // byte) and the number of input bytes it used (`NormalizePrefix`).
        func nextUnit(_ at: Int) -> (bytes: ArraySlice<UInt8>, consumed: Int) {
            if let match = userDefined.longestMatch(in: input, from: at, to: end) {
                return (ArraySlice(input[at..<(at + match.length)]), match.length)
            }
            let (length, valid) = UTF8Scan.sentencePieceCharacter(in: input, at: at, end: end)
            if !valid { return (UTF8Scan.replacementCharacter[...], 1) }
            return (ArraySlice(input[at..<(at + length)]), length)
        }
        if removeExtraWhitespaces {
            while position < end {
                let unit = nextUnit(position)
                guard unit.bytes.count == 1, unit.bytes.first == 0x20 else { break }
                position += unit.consumed
            }
        }
        if position == end { return }
        output.reserveCapacity(output.count + (end - position) * 3)
        if !treatWhitespaceAsSuffix && addDummyPrefix { appendSpace(to: &output) }
        var isPreviousSpace = removeExtraWhitespaces
        while position < end {
            // Fast path for the common case: one ASCII byte that starts no user symbol.
            let lead = input[position]
            if lead < 0x80 && lead != 0x20 && !userDefined.mayStart(with: lead) {
                output.append(lead)
                isPreviousSpace = false
                position += 1
                continue
            }
            let unit = nextUnit(position)
            var bytes = unit.bytes
            if isPreviousSpace {
                while bytes.first == 0x20 { bytes = bytes.dropFirst() }
            }
            if !bytes.isEmpty {
                for byte in bytes {
                    if escapeWhitespaces && byte == 0x20 {
                        output.append(contentsOf: Self.spaceSymbol)
                    } else {
                        output.append(byte)
                    }
                }
                isPreviousSpace = bytes.last == 0x20
            }
            position += unit.consumed
            if !removeExtraWhitespaces { isPreviousSpace = false }
        }
        if removeExtraWhitespaces {
            let space = escapeWhitespaces ? Self.spaceSymbol : [0x20]
            while output.count - startCount >= space.count
                && output[(output.count - space.count)...].elementsEqual(space)
            {
                output.removeLast(space.count)
            }
        }
        if treatWhitespaceAsSuffix && addDummyPrefix { appendSpace(to: &output) }
    }

    private func appendSpace(to output: inout [UInt8]) {
        if escapeWhitespaces {
            output.append(contentsOf: Self.spaceSymbol)
        } else {
            output.append(0x20)
        }
    }
}
