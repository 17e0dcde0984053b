import Foundation

/// What a Hugging Face `tokenizer.json` holds, for the subset of its schema that Gemma-style
/// BPE tokenizers use; anything else is rejected with a clear error rather than misread.
struct TokenizerJSON {
    /// The stages to run.
    let pipeline: TokenizersPipeline
    /// Model vocabulary, token → id.
    let vocabulary: [(token: String, id: Int)]
    /// `added_tokens`.
    let addedTokens: [AddedToken]

    /// Reads and checks `url`.
    init(contentsOf url: URL) throws {
        let file = url.path
        let root = try JSONFile.object(at: url)
        func fail(_ reason: String) -> TokenizerError { .malformed(file: file, reason: reason) }
        func unsupported(_ reason: String) -> TokenizerError {
            .unsupported(file: file, reason: reason)
        }

        guard let model = root["model"], model.members != nil else {
            throw fail("no \"model\" object (is this a tokenizer.json?)")
        }
        let modelType = model["type"]?.string ?? "BPE"
        guard modelType == "BPE" else {
            throw unsupported("model type \(modelType); only BPE is implemented")
        }
        switch model["dropout"] {
        case .integer(let value) where value != 0: throw unsupported("BPE dropout \(value)")
        case .number(let value) where value != 0: throw unsupported("BPE dropout \(value)")
        default: break
        }
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let value = model[key]?.string, !value.isEmpty {
                throw unsupported("BPE \(key) \"\(value)\"")
            }
        }
        guard let vocab = model["vocab"]?.members else {
            throw fail("model.vocab is not an object")
        }
        var vocabulary: [(token: String, id: Int)] = []
        vocabulary.reserveCapacity(vocab.count)
        for member in vocab {
            guard let id = member.value.integer else {
                throw fail("model.vocab[\(member.key)] is not an integer id")
            }
            vocabulary.append((member.key, id))
        }
        vocabulary.sort { $0.id < $1.id }
        var merges: [(String, String)] = []
        for (index, entry) in (model["merges"]?.array ?? []).enumerated() {
            if let pair = entry.array, pair.count == 2, let left = pair[0].string,
                let right = pair[1].string
            {
                merges.append((left, right))
            } else if let line = entry.string {
                // Split the bytes, not Characters: " " followed by a combining mark or an
                // emoji modifier is a single Character.
                let parts = line.utf8.split(separator: 0x20, omittingEmptySubsequences: false)
                guard parts.count == 2 else {
                    throw fail("merge \(index) \"\(line)\" is not a pair")
                }
                merges.append(
                    (
                        String(decoding: parts[0], as: UTF8.self),
                        String(decoding: parts[1], as: UTF8.self)
                    ))
            } else {
                throw fail("merge \(index) is neither \"a b\" nor [a, b]")
            }
        }
        let bpe: MergeRankBPE
        do {
            bpe = try MergeRankBPE(
                vocabulary: vocabulary, merges: merges,
                unknownToken: model["unk_token"]?.string,
                byteFallback: model["byte_fallback"]?.bool ?? false,
                fuseUnknown: model["fuse_unk"]?.bool ?? false,
                ignoreMerges: model["ignore_merges"]?.bool ?? false)
        } catch {
            throw fail(error.reason)
        }

        addedTokens = try Self.addedTokens(of: root, file: file)
        self.vocabulary = vocabulary
        pipeline = TokenizersPipeline(
            normalizer: try Self.normalizer(root["normalizer"], unsupported: unsupported),
            preTokenizer: try Self.preTokenizer(root["pre_tokenizer"], unsupported: unsupported),
            model: bpe,
            decoder: try Self.decoder(root["decoder"], unsupported: unsupported))
    }

    /// Only the `added_tokens` of `url` (for a folder whose `tokenizer.model` does the rest).
    static func addedTokens(contentsOf url: URL) throws -> [AddedToken] {
        try addedTokens(of: JSONFile.object(at: url), file: url.path)
    }

    private static func addedTokens(of root: JSONValue, file: String) throws -> [AddedToken] {
        try (root["added_tokens"]?.array ?? []).enumerated().map { index, entry in
            guard let token = JSONFile.addedToken(entry, id: entry["id"]?.integer) else {
                throw TokenizerError.malformed(
                    file: file,
                    reason: "added_tokens[\(index)] is not a token with an id and content")
            }
            return token
        }
    }

    private static func stringPattern(_ value: JSONValue?) -> String? {
        value?["String"]?.string
    }

    /// The pattern and content of a `Replace` stage; `stage` names its kind in the error.
    private static func replacement(
        _ object: JSONValue, stage: String, unsupported: (String) -> TokenizerError
    ) throws -> (pattern: [UInt8], content: [UInt8]) {
        guard let pattern = stringPattern(object["pattern"]),
            let content = object["content"]?.string
        else { throw unsupported("\(stage) Replace with a non-string pattern") }
        return (Array(pattern.utf8), Array(content.utf8))
    }

    private static func normalizer(
        _ value: JSONValue?, unsupported: (String) -> TokenizerError
    ) throws -> TokenizersPipeline.Normalizer? {
        guard let object = value, object.members != nil else { return nil }
        let type = object["type"]?.string ?? "?"
        switch type {
        case "Replace":
            let (pattern, content) = try replacement(
                object, stage: "normalizer", unsupported: unsupported)
            return .replace(pattern: pattern, content: content)
        case "Prepend":
            return .prepend(Array((object["prepend"]?.string ?? "").utf8))
        case "Sequence":
            let steps = try (object["normalizers"]?.array ?? []).compactMap {
                try normalizer($0, unsupported: unsupported)
            }
            return .sequence(steps)
        default:
            throw unsupported("normalizer \(type)")
        }
    }

    private static func preTokenizer(
        _ value: JSONValue?, unsupported: (String) -> TokenizerError
    ) throws -> TokenizersPipeline.PreTokenizer? {
        guard let object = value, object.members != nil else { return nil }
        let type = object["type"]?.string ?? "?"
        switch type {
        case "Split":
            guard let pattern = stringPattern(object["pattern"]) else {
                throw unsupported("pre-tokenizer Split with a non-string pattern")
            }
            guard object["invert"]?.bool != true else {
                throw unsupported("pre-tokenizer Split with invert")
            }
            let name = object["behavior"]?.string ?? "?"
            guard let behavior = TokenizersPipeline.SplitBehavior(rawValue: name) else {
                throw unsupported("pre-tokenizer Split behavior \(name)")
            }
            return .split(pattern: Array(pattern.utf8), behavior: behavior)
        case "Sequence":
            let steps = try (object["pretokenizers"]?.array ?? []).compactMap {
                try preTokenizer($0, unsupported: unsupported)
            }
            return .sequence(steps)
        default:
            throw unsupported("pre-tokenizer \(type)")
        }
    }

    private static func decoder(
        _ value: JSONValue?, unsupported: (String) -> TokenizerError
    ) throws -> TokenizersPipeline.Decoder? {
        guard let object = value, object.members != nil else { return nil }
        let type = object["type"]?.string ?? "?"
        switch type {
        case "Replace":
            let (pattern, content) = try replacement(
                object, stage: "decoder", unsupported: unsupported)
            return .replace(pattern: pattern, content: content)
        case "ByteFallback":
            return .byteFallback
        case "Fuse":
            return .fuse
        case "Strip":
            guard let content = object["content"]?.string?.unicodeScalars.first else {
                throw unsupported("decoder Strip without content")
            }
            return .strip(
                content: content, start: object["start"]?.integer ?? 0,
                stop: object["stop"]?.integer ?? 0)
        case "Sequence":
            let steps = try (object["decoders"]?.array ?? []).compactMap {
                try decoder($0, unsupported: unsupported)
            }
            return .sequence(steps)
        default:
            throw unsupported("decoder \(type)")
        }
    }
}
