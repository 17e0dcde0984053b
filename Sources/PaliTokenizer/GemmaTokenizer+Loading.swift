import Foundation

extension GemmaTokenizer {
    /// Reads a SentencePiece `tokenizer.model` (BPE only; identity normalisation).
    public convenience init(modelFile: URL) throws {
        try self.init(modelFile: modelFile, addedTokens: [], config: nil)
    }

    /// Reads a `tokenizer.model` with added tokens from other files and the special-token
    /// names of a `tokenizer_config.json`.
    private convenience init(
        modelFile: URL, addedTokens: [AddedToken], config: TokenizerConfig?
    ) throws {
        let file = modelFile.path
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: modelFile))
        } catch {
            throw TokenizerError.unreadable(
                file: file, reason: JSONFile.readReason(modelFile, error))
        }
        if bytes.first == UInt8(ascii: "{") {
            throw TokenizerError.malformed(
                file: file,
                reason: "looks like JSON, not a SentencePiece model (use a tokenizer.json reader)")
        }
        let proto: SentencePieceModelProto
        do {
            proto = try SentencePieceModelProto(serialized: bytes)
        } catch let failure as ProtobufReader.Failure {
            throw TokenizerError.malformed(
                file: file, reason: "not a SentencePiece model: \(failure.reason)")
        }
        guard !proto.pieces.isEmpty else {
            throw TokenizerError.malformed(
                file: file, reason: "not a SentencePiece model: it holds no pieces")
        }
        let model = try SentencePieceBPE(proto: proto, file: file)
        let pieces = model.pieces.map { String(decoding: $0, as: UTF8.self) }
        // The added tokens transformers' converter declares for this model.
        let implied = model.types.enumerated().compactMap { id, type -> AddedToken? in
            switch type {
            case .control, .unknown:
                return AddedToken(id: id, content: pieces[id], special: true, normalized: false)
            case .userDefined:
                return AddedToken(id: id, content: pieces[id], special: false, normalized: false)
            default:
                return nil
            }
        }
        let spec = proto.trainerSpec
        var names = SpecialNames(bos: spec.bosPiece, eos: spec.eosPiece, pad: spec.padPiece)
        config?.override(&names)
        try self.init(
            backend: .sentencePiece(model), modelPieces: pieces, addedTokens: addedTokens,
            impliedPromptTokens: implied, names: names, source: file)
    }

    /// Reads a Hugging Face `tokenizer.json` (BPE with merges; its added tokens included).
    public convenience init(tokenizerJSON: URL) throws {
        try self.init(tokenizerJSON: tokenizerJSON, config: nil)
    }

    /// Reads a checkpoint folder: `tokenizer.model` when present, else `tokenizer.json`, with
    /// the added tokens (`<image>`…) declared by `tokenizer_config.json`'s
    /// `added_tokens_decoder` and `tokenizer.json`'s `added_tokens` (which must agree).
    public static func load(directory: URL) throws -> GemmaTokenizer {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            throw TokenizerError.unreadable(file: directory.path, reason: "no such folder")
        }
        guard isDirectory.boolValue else {
            throw TokenizerError.unreadable(file: directory.path, reason: "not a folder")
        }
        let modelURL = directory.appendingPathComponent("tokenizer.model")
        let jsonURL = directory.appendingPathComponent("tokenizer.json")
        let configURL = directory.appendingPathComponent("tokenizer_config.json")
        let config =
            try fileManager.fileExists(atPath: configURL.path)
            ? TokenizerConfig(contentsOf: configURL) : nil
        if fileManager.fileExists(atPath: modelURL.path) {
            var added = config?.addedTokens ?? []
            if fileManager.fileExists(atPath: jsonURL.path) {
                added += try TokenizerJSON.addedTokens(contentsOf: jsonURL)
            }
            return try GemmaTokenizer(
                modelFile: modelURL, addedTokens: try merge(added, file: directory.path),
                config: config)
        }
        if fileManager.fileExists(atPath: jsonURL.path) {
            return try GemmaTokenizer(tokenizerJSON: jsonURL, config: config)
        }
        throw TokenizerError.noTokenizerFile(directory: directory.path)
    }

    private convenience init(tokenizerJSON url: URL, config: TokenizerConfig?) throws {
        let json = try TokenizerJSON(contentsOf: url)
        var modelPieces: [String] = []
        for (token, id) in json.vocabulary {
            guard id < Self.idLimit else {
                throw TokenizerError.malformed(
                    file: url.path, reason: "vocabulary id \(id) is too large")
            }
            if id >= modelPieces.count {
                modelPieces += Array(repeating: "", count: id + 1 - modelPieces.count)
            }
            modelPieces[id] = token
        }
        var names = SpecialNames()
        config?.override(&names)
        try self.init(
            backend: .tokenizers(json.pipeline), modelPieces: modelPieces,
            addedTokens: try Self.merge(
                json.addedTokens + (config?.addedTokens ?? []), file: url.path),
            impliedPromptTokens: [], names: names, source: url.path)
    }

    /// Added tokens from several files, one per id; the same id with different content is an
    /// error.
    private static func merge(_ tokens: [AddedToken], file: String) throws -> [AddedToken] {
        var byID: [Int: AddedToken] = [:]
        var order: [Int] = []
        for token in tokens {
            if let existing = byID[token.id] {
                guard existing.content == token.content else {
                    throw TokenizerError.malformed(
                        file: file,
                        reason: "added token id \(token.id) is both \(existing.content) and "
                            + token.content)
                }
                continue
            }
            byID[token.id] = token
            order.append(token.id)
        }
        return order.map { byID[$0]! }
    }
}
