/// Splits text around added tokens the way `tokenizers`' `AddedVocabulary` does: first the
/// tokens matched in raw text, then (after normalizing each remaining segment) the tokens
/// matched in normalized text; leftmost-longest matching; `lstrip`, `rstrip`, `single_word`.
struct AddedTokenSplitter: Sendable {
    /// A piece of the input: text still to encode, or an added token's id.
    enum Segment {
        case text([UInt8])
        case token(Int)
    }

    private let tokens: [AddedToken]
    private let rawTrie: PrefixTrie  // content → index in `tokens`
    private let normalizedTrie: PrefixTrie  // normalized content → index in `tokens`

    /// Whether there is nothing to split on.
    var isEmpty: Bool { tokens.isEmpty }

    /// A splitter for `tokens`; `normalize` turns a normalized token's content into the form
    /// it is matched in.
    init(tokens: [AddedToken], normalize: ([UInt8]) -> [UInt8]) {
        self.tokens = tokens
        var raw = PrefixTrie()
        var normalized = PrefixTrie()
        for (index, token) in tokens.enumerated() where !token.content.isEmpty {
            if token.normalized {
                normalized.insert(normalize(Array(token.content.utf8)), value: Int32(index))
            } else {
                raw.insert(Array(token.content.utf8), value: Int32(index))
            }
        }
        rawTrie = raw
        normalizedTrie = normalized
    }

    /// The segments of `text`: raw-text tokens, then `normalize` on each remaining segment
    /// and the normalized-text tokens within it.
    func split(_ text: [UInt8], normalize: ([UInt8]) -> [UInt8]) -> [Segment] {
        var result: [Segment] = []
        for segment in Self.split(text, trie: rawTrie, tokens: tokens) {
            guard case .text(let raw) = segment else {
                result.append(segment)
                continue
            }
            result += Self.split(normalize(raw), trie: normalizedTrie, tokens: tokens)
        }
        return result
    }

    /// `AddedVocabulary::find_matches`: leftmost-longest, non-overlapping matches of the raw
    /// token texts, then `single_word`, `lstrip` and `rstrip` applied one match at a time.
    /// As in `tokenizers`, a stripped span may overlap the next match, and the text after
    /// the last match starts where that match ended.
    private static func split(_ text: [UInt8], trie: PrefixTrie, tokens: [AddedToken])
        -> [Segment]
    {
        if trie.isEmpty { return text.isEmpty ? [] : [.text(text)] }
        var segments: [Segment] = []
        var segmentStart = 0  // `start_offset`
        text.withUnsafeBufferPointer { buffer in
            var position = 0
            while position < buffer.count {
                guard trie.mayStart(with: buffer[position]),
                    let match = trie.longestMatch(in: buffer, from: position, to: buffer.count)
                else {
                    position += 1
                    continue
                }
                let token = tokens[Int(match.value)]
                var start = position
                var stop = position + match.length
                position = stop
                if token.singleWord
                    && (endsWithWordCharacter(buffer, before: start)
                        || startsWithWordCharacter(buffer, at: stop))
                {
                    continue
                }
                if token.lstrip {
                    start = max(whitespaceStart(buffer, before: start), segmentStart)
                }
                if token.rstrip { stop = whitespaceEnd(buffer, from: stop) }
                if segmentStart < start {
                    segments.append(.text(Array(buffer[segmentStart..<start])))
                }
                segments.append(.token(token.id))
                segmentStart = stop
            }
        }
        if segmentStart < text.count { segments.append(.text(Array(text[segmentStart...]))) }
        return segments
    }

    // MARK: - Character classes (Rust `char::is_whitespace`; `is_alphanumeric` or `_`)

    private static func scalar(before index: Int, in text: UnsafeBufferPointer<UInt8>)
        -> (Unicode.Scalar, start: Int)?
    {
        guard index > 0 else { return nil }
        var start = index - 1
        while start > 0 && text[start] & 0xC0 == 0x80 { start -= 1 }
        return scalar(at: start, in: text).map { ($0.0, start) }
    }

    private static func scalar(at index: Int, in text: UnsafeBufferPointer<UInt8>)
        -> (Unicode.Scalar, end: Int)?
    {
        guard index < text.count else { return nil }
        let length = min(text.count - index, UTF8Scan.announcedLength(text[index]))
        let decoded = String(decoding: text[index..<(index + length)], as: UTF8.self)
        return decoded.unicodeScalars.first.map { ($0, index + length) }
    }

    private static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return scalar == "_" || scalar.properties.isAlphabetic
        }
    }

    private static func endsWithWordCharacter(_ text: UnsafeBufferPointer<UInt8>, before index: Int)
        -> Bool
    {
        scalar(before: index, in: text).map { isWordCharacter($0.0) } ?? false
    }

    private static func startsWithWordCharacter(_ text: UnsafeBufferPointer<UInt8>, at index: Int)
        -> Bool
    {
        scalar(at: index, in: text).map { isWordCharacter($0.0) } ?? false
    }

    private static func whitespaceStart(_ text: UnsafeBufferPointer<UInt8>, before index: Int)
        -> Int
    {
        var start = index
        while let (scalar, previous) = scalar(before: start, in: text),
            scalar.properties.isWhitespace
        {
            start = previous
        }
        return start
    }

    private static func whitespaceEnd(_ text: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        var end = index
        while let (scalar, next) = scalar(at: end, in: text), scalar.properties.isWhitespace {
            end = next
        }
        return end
    }
}
