/// The stages of a Hugging Face `tokenizer.json` that Gemma-style tokenizers use, run as the
/// `tokenizers` library runs them: normalizer → pre-tokenizer → BPE model per word, and the
/// decoder chain for the way back.
struct TokenizersPipeline: Sendable {
    /// A supported normalizer.
    enum Normalizer: Sendable {
        case replace(pattern: [UInt8], content: [UInt8])
        case prepend([UInt8])
        case sequence([Normalizer])
    }

    /// `SplitDelimiterBehavior`.
    enum SplitBehavior: String, Sendable {
        case removed = "Removed"
        case isolated = "Isolated"
        case mergedWithPrevious = "MergedWithPrevious"
        case mergedWithNext = "MergedWithNext"
        case contiguous = "Contiguous"
    }

    /// A supported pre-tokenizer.
    enum PreTokenizer: Sendable {
        case split(pattern: [UInt8], behavior: SplitBehavior)
        case sequence([PreTokenizer])
    }

    /// A supported decoder step.
    enum Decoder: Sendable {
        case replace(pattern: [UInt8], content: [UInt8])
        case byteFallback
        case fuse
        case strip(content: Unicode.Scalar, start: Int, stop: Int)
        case sequence([Decoder])
    }

    let normalizer: Normalizer?
    let preTokenizer: PreTokenizer?
    let model: MergeRankBPE
    let decoder: Decoder?

    /// Applies the normalizer to one segment.
    func normalize(_ text: [UInt8]) -> [UInt8] {
        guard let normalizer else { return text }
        return Self.apply(normalizer, to: text)
    }

    /// Pre-tokenizes normalized text and appends the BPE ids of every word to `output`.
    func encode(normalized text: [UInt8], into output: inout [Int]) {
        var words: [Range<Int>] = [0..<text.count]
        if let preTokenizer { words = Self.split(words, in: text, by: preTokenizer) }
        text.withUnsafeBufferPointer { buffer in
            for word in words {
                model.encode(word: UnsafeBufferPointer(rebasing: buffer[word]), into: &output)
            }
        }
    }

    /// Runs the decoder chain over tokens and joins the result (without a decoder, tokens
    /// are joined with spaces, as `tokenizers` does).
    func decode(_ tokens: [String]) -> String {
        guard let decoder else { return tokens.joined(separator: " ") }
        return Self.apply(decoder, to: tokens).joined()
    }

    // MARK: - Normalizers

    private static func apply(_ normalizer: Normalizer, to text: [UInt8]) -> [UInt8] {
        switch normalizer {
        case .replace(let pattern, let content):
            return replaceAll(pattern, with: content, in: text)
        case .prepend(let content):
            return text.isEmpty ? text : content + text
        case .sequence(let steps):
            return steps.reduce(text) { apply($1, to: $0) }
        }
    }

    private static func replaceAll(_ pattern: [UInt8], with content: [UInt8], in text: [UInt8])
        -> [UInt8]
    {
        guard !pattern.isEmpty else { return text }
        var result: [UInt8] = []
        result.reserveCapacity(text.count + text.count / 2)
        var i = 0
        while i < text.count {
            if text[i] == pattern[0] && i + pattern.count <= text.count
                && text[i..<(i + pattern.count)].elementsEqual(pattern)
            {
                result.append(contentsOf: content)
                i += pattern.count
            } else {
                result.append(text[i])
                i += 1
            }
        }
        return result
    }

    // MARK: - Pre-tokenizers

    private static func split(_ words: [Range<Int>], in text: [UInt8], by step: PreTokenizer)
        -> [Range<Int>]
    {
        switch step {
        case .sequence(let steps):
            return steps.reduce(words) { split($0, in: text, by: $1) }
        case .split(let pattern, let behavior):
            return words.flatMap { split($0, in: text, pattern: pattern, behavior: behavior) }
        }
    }

    /// `NormalizedString::split` with a string pattern: pieces and matches, combined by the
    /// behavior, empty pieces dropped.
    private static func split(
        _ word: Range<Int>, in text: [UInt8], pattern: [UInt8], behavior: SplitBehavior
    ) -> [Range<Int>] {
        var pieces: [(range: Range<Int>, isMatch: Bool)] = []
        var cursor = word.lowerBound
        var i = word.lowerBound
        while !pattern.isEmpty && i + pattern.count <= word.upperBound {
            if text[i..<(i + pattern.count)].elementsEqual(pattern) {
                if cursor < i { pieces.append((cursor..<i, false)) }
                pieces.append((i..<(i + pattern.count), true))
                i += pattern.count
                cursor = i
            } else {
                i += 1
            }
        }
        if cursor < word.upperBound { pieces.append((cursor..<word.upperBound, false)) }
        var result: [Range<Int>] = []
        switch behavior {
        case .removed:
            result = pieces.filter { !$0.isMatch }.map(\.range)
        case .isolated:
            result = pieces.map(\.range)
        case .mergedWithPrevious, .contiguous:
            var previousWasMatch = false
            for piece in pieces {
                let joins =
                    behavior == .contiguous
                    ? piece.isMatch == previousWasMatch : piece.isMatch && !previousWasMatch
                if joins, let last = result.last {
                    result[result.count - 1] = last.lowerBound..<piece.range.upperBound
                } else {
                    result.append(piece.range)
                }
                previousWasMatch = piece.isMatch
            }
        case .mergedWithNext:
            var previousWasMatch = false
            for piece in pieces.reversed() {
                if piece.isMatch && !previousWasMatch, let last = result.last {
                    result[result.count - 1] = piece.range.lowerBound..<last.upperBound
                } else {
                    result.append(piece.range)
                }
                previousWasMatch = piece.isMatch
            }
            result.reverse()
        }
        return result.filter { !$0.isEmpty }
    }

    // MARK: - Decoders

    private static func apply(_ decoder: Decoder, to tokens: [String]) -> [String] {
        switch decoder {
        case .sequence(let steps):
            return steps.reduce(tokens) { apply($1, to: $0) }
        case .replace(let pattern, let content):
            return tokens.map {
                String(
                    decoding: replaceAll(pattern, with: content, in: Array($0.utf8)), as: UTF8.self)
            }
        case .fuse:
            return [tokens.joined()]
        case .strip(let content, let start, let stop):
            return tokens.map { strip($0, content: content, start: start, stop: stop) }
        case .byteFallback:
            return byteFallback(tokens)
        }
    }

    /// `decoders::ByteFallback`: runs of `<0xNN>` tokens become their UTF-8 text, or one
    /// U+FFFD per byte when the run is not valid UTF-8.
    private static func byteFallback(_ tokens: [String]) -> [String] {
        var result: [String] = []
        var run: [UInt8] = []
        func flush() {
            guard !run.isEmpty else { return }
            if let text = String(validating: run, as: UTF8.self) {
                result.append(text)
            } else {
                result.append(contentsOf: repeatElement("\u{FFFD}", count: run.count))
            }
            run.removeAll()
        }
        for token in tokens {
            let utf8 = Array(token.utf8)
            if utf8.count == 6, utf8[0..<3].elementsEqual("<0x".utf8), utf8[5] == UInt8(ascii: ">"),
                let byte = UInt8(String(decoding: utf8[3..<5], as: UTF8.self), radix: 16)
            {
                run.append(byte)
            } else {
                flush()
                result.append(token)
            }
        }
        flush()
        return result
    }

    /// `decoders::Strip`: up to `start` leading and `stop` trailing `content` characters.
    private static func strip(
        _ token: String, content scalar: Unicode.Scalar, start: Int, stop: Int
    )
        -> String
    {
        let characters = Array(token.unicodeScalars)
        var lower = 0
        while lower < min(start, characters.count) && characters[lower] == scalar { lower += 1 }
        var upper = characters.count
        while characters.count - upper < stop && upper > lower && characters[upper - 1] == scalar {
            upper -= 1
        }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: characters[lower..<upper])
        return String(result)
    }
}
