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

        guard let model = root["model"] as? [String: Any] else {
            throw fail("no \"model\" object (is this a tokenizer.json?)")
        }
        let modelType = model["type"] as? String ?? "BPE"
        guard modelType == "BPE" else {
            throw unsupported("model type \(modelType); only BPE is implemented")
        }
        if let dropout = model["dropout"], !(dropout is NSNull) {
            let value = (dropout as? NSNumber)?.doubleValue ?? 0
            if value != 0 { throw unsupported("BPE dropout \(value)") }
        }
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let value = model[key] as? String, !value.isEmpty {
                throw unsupported("BPE \(key) \"\(value)\"")
            }
        }
        guard let vocab = model["vocab"] as? [String: Any] else {
            throw fail("model.vocab is not an object")
        }
        var vocabulary: [(token: String, id: Int)] = []
        vocabulary.reserveCapacity(vocab.count)
        for (token, value) in vocab {
            guard let id = JSONFile.integer(value) else {
                throw fail("model.vocab[\(token)] is not an integer id")
            }
            vocabulary.append((token, id))
        }
        vocabulary.sort { $0.id < $1.id }
        var merges: [(String, String)] = []
        for (index, entry) in (model["merges"] as? [Any] ?? []).enumerated() {
            if let pair = entry as? [Any], pair.count == 2, let left = pair[0] as? String,
                let right = pair[1] as? String
            {
                merges.append((left, right))
            } else if let line = entry as? String {
                let parts = line.split(separator: " ", omittingEmptySubsequences: false)
                guard parts.count == 2 else { throw fail("merge \(index) \"\(line)\" is not a pair") }
                merges.append((String(parts[0]), String(parts[1])))
            } else {
                throw fail("merge \(index) is neither \"a b\" nor [a, b]")
            }
        }
        let bpe: MergeRankBPE
        do {
            bpe = try MergeRankBPE(
                vocabulary: vocabulary, merges: merges,
                unknownToken: model["unk_token"] as? String,
                byteFallback: model["byte_fallback"] as? Bool ?? false,
                fuseUnknown: model["fuse_unk"] as? Bool ?? false,
                ignoreMerges: model["ignore_merges"] as? Bool ?? false)
        } catch {
            throw fail(error.reason)
        }

        var added: [AddedToken] = []
        for (index, entry) in (root["added_tokens"] as? [Any] ?? []).enumerated() {
            guard let object = entry as? [String: Any],
                let token = JSONFile.addedToken(object, id: object["id"])
            else { throw fail("added_tokens[\(index)] is not a token with an id and content") }
            added.append(token)
        }
        addedTokens = added
        self.vocabulary = vocabulary
        pipeline = TokenizersPipeline(
            normalizer: try Self.normalizer(root["normalizer"], unsupported: unsupported),
            preTokenizer: try Self.preTokenizer(root["pre_tokenizer"], unsupported: unsupported),
            model: bpe,
            decoder: try Self.decoder(root["decoder"], unsupported: unsupported))
    }

    private static func stringPattern(_ value: Any?) -> String? {
        (value as? [String: Any])?["String"] as? String
    }

    private static func normalizer(
        _ value: Any?, unsupported: (String) -> TokenizerError
    ) throws -> TokenizersPipeline.Normalizer? {
        guard let object = value as? [String: Any] else { return nil }
        let type = object["type"] as? String ?? "?"
        switch type {
        case "Replace":
            guard let pattern = stringPattern(object["pattern"]),
                let content = object["content"] as? String
            else { throw unsupported("normalizer Replace with a non-string pattern") }
            return .replace(pattern: Array(pattern.utf8), content: Array(content.utf8))
        case "Prepend":
            return .prepend(Array((object["prepend"] as? String ?? "").utf8))
        case "Sequence":
            let steps = try (object["normalizers"] as? [Any] ?? []).compactMap {
                try normalizer($0, unsupported: unsupported)
            }
            return .sequence(steps)
        default:
            throw unsupported("normalizer \(type)")
        }
    }

    private static func preTokenizer(
        _ value: Any?, unsupported: (String) -> TokenizerError
    ) throws -> TokenizersPipeline.PreTokenizer? {
        guard let object = value as? [String: Any] else { return nil }
        let type = object["type"] as? String ?? "?"
        switch type {
        case "Split":
            guard let pattern = stringPattern(object["pattern"]) else {
                throw unsupported("pre-tokenizer Split with a non-string pattern")
            }
            guard object["invert"] as? Bool != true else {
                throw unsupported("pre-tokenizer Split with invert")
            }
            let name = object["behavior"] as? String ?? "?"
            guard let behavior = TokenizersPipeline.SplitBehavior(rawValue: name) else {
                throw unsupported("pre-tokenizer Split behavior \(name)")
            }
            return .split(pattern: Array(pattern.utf8), behavior: behavior)
        case "Sequence":
            let steps = try (object["pretokenizers"] as? [Any] ?? []).compactMap {
                try preTokenizer($0, unsupported: unsupported)
            }
            return .sequence(steps)
        default:
            throw unsupported("pre-tokenizer \(type)")
        }
    }

    private static func decoder(
        _ value: Any?, unsupported: (String) -> TokenizerError
    ) throws -> TokenizersPipeline.Decoder? {
        guard let object = value as? [String: Any] else { return nil }
        let type = object["type"] as? String ?? "?"
        switch type {
        case "Replace":
            guard let pattern = stringPattern(object["pattern"]),
                let content = object["content"] as? String
            else { throw unsupported("decoder Replace with a non-string pattern") }
            return .replace(pattern: pattern, content: content)
        case "ByteFallback":
            return .byteFallback
        case "Fuse":
            return .fuse
        case "Strip":
            guard let content = (object["content"] as? String).flatMap({ $0.first }) else {
                throw unsupported("decoder Strip without content")
            }
            return .strip(
                content: content, start: JSONFile.integer(object["start"]) ?? 0,
                stop: JSONFile.integer(object["stop"]) ?? 0)
        case "Sequence":
            let steps = try (object["decoders"] as? [Any] ?? []).compactMap {
                try decoder($0, unsupported: unsupported)
            }
            return .sequence(steps)
        default:
            throw unsupported("decoder \(type)")
        }
    }
}
