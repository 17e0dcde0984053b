import Foundation

/// The Gemma / PaliGemma tokenizer: SentencePiece BPE read from `tokenizer.model` (encoded
/// id for id as the `sentencepiece` library does) or a Hugging Face `tokenizer.json`
/// (encoded as the `tokenizers` library does), plus the added tokens (`<image>`…) that the
/// checkpoint's files declare.
public final class GemmaTokenizer: Sendable {
    /// Which reference implementation the encoder follows.
    enum Backend: Sendable {
        case sentencePiece(SentencePieceBPE)
        case tokenizers(TokenizersPipeline)
    }

    let backend: Backend
    /// The file the tokenizer was read from, for error messages.
    public let source: String
    /// Added tokens declared by the files (empty for a bare `tokenizer.model`).
    public let addedTokens: [AddedToken]
    /// Splits encode input around `addedTokens`.
    let splitter: AddedTokenSplitter
    /// Splits prompts as transformers' processor does (for a bare `tokenizer.model`, around
    /// the control, unknown and user-defined pieces that transformers' converter declares).
    let promptSplitter: AddedTokenSplitter
    /// Ids the backend itself defines (`0..<modelCount`).
    let modelCount: Int
    /// Piece text by id (nil for an id no file defines).
    let pieces: [String?]
    /// Id by piece bytes (`String` keys would conflate canonically equivalent pieces).
    private let idsByPiece: [[UInt8]: Int]
    /// Added tokens by id.
    let addedByID: [Int: AddedToken]

    /// Number of ids, added tokens included.
    public var count: Int { pieces.count }
    /// Id of the beginning-of-sequence piece.
    public let bosID: Int
    /// Id of the end-of-sequence piece.
    public let eosID: Int
    /// Id of the padding piece.
    public let padID: Int
    /// Id of `<image>` when the files define it.
    public let imageTokenID: Int?

    /// Ids at or above this are rejected as corrupt (Gemma's largest is 257,152).
    static let idLimit = 10_000_000

    /// Special-piece names (from the model's trainer spec or the tokenizer config).
    struct SpecialNames {
        var bos = "<bos>", eos = "<eos>", pad = "<pad>"
    }

    init(
        backend: Backend, modelPieces: [String], addedTokens: [AddedToken],
        impliedPromptTokens: [AddedToken], names: SpecialNames, source: String
    ) throws {
        self.backend = backend
        self.source = source
        modelCount = modelPieces.count
        var pieces: [String?] = modelPieces
        var addedByID: [Int: AddedToken] = [:]
        for token in addedTokens {
            guard token.id < Self.idLimit else {
                throw TokenizerError.malformed(
                    file: source, reason: "added token id \(token.id) is implausibly large")
            }
            if token.id >= pieces.count {
                pieces += Array(repeating: nil, count: token.id + 1 - pieces.count)
            }
            pieces[token.id] = token.content
            addedByID[token.id] = token
        }
        var idsByPiece: [[UInt8]: Int] = [:]
        idsByPiece.reserveCapacity(pieces.count)
        for (id, piece) in pieces.enumerated().reversed() {
            if let piece { idsByPiece[Array(piece.utf8)] = id }
        }
        if case .sentencePiece(let model) = backend {
            // `PieceToId` semantics for duplicated strings: control/unknown/byte pieces win.
            for (id, type) in model.types.enumerated().reversed()
            where type == .control || type == .unknown || type == .byte {
                idsByPiece[Array(modelPieces[id].utf8)] = id
            }
        }
        for token in addedTokens.reversed() { idsByPiece[Array(token.content.utf8)] = token.id }
        self.pieces = pieces
        self.idsByPiece = idsByPiece
        self.addedByID = addedByID
        self.addedTokens = addedTokens
        let normalizeContent: ([UInt8]) -> [UInt8]
        switch backend {
        case .sentencePiece(let model):
            let escape = model.normalizer.escapeWhitespaces
            normalizeContent = { bytes in
                escape
                    ? bytes.flatMap { $0 == 0x20 ? SentencePieceNormalizer.spaceSymbol : [$0] }
                    : bytes
            }
        case .tokenizers(let pipeline):
            normalizeContent = pipeline.normalize
        }
        splitter = AddedTokenSplitter(tokens: addedTokens, normalize: normalizeContent)
        promptSplitter =
            addedTokens.isEmpty
            ? AddedTokenSplitter(tokens: impliedPromptTokens, normalize: normalizeContent)
            : splitter
        func lookup(_ name: String) throws -> Int {
            guard let id = idsByPiece[Array(name.utf8)] else {
                throw TokenizerError.missingToken(file: source, piece: name)
            }
            return id
        }
        bosID = try lookup(names.bos)
        eosID = try lookup(names.eos)
        padID = try lookup(names.pad)
        imageTokenID = idsByPiece[Array("<image>".utf8)]
    }

    /// The id of `piece`, or nil when no file defines it.
    public func id(of piece: String) -> Int? { idsByPiece[Array(piece.utf8)] }

    /// The piece of `id`, or nil when out of range or undefined.
    public func piece(of id: Int) -> String? {
        pieces.indices.contains(id) ? pieces[id] : nil
    }

    /// The ids of `text`, without `<bos>`/`<eos>`. A bare `tokenizer.model` encodes exactly
    /// as sentencepiece's `encode`; when the files declare added tokens (`tokenizer.json`, a
    /// checkpoint folder) those are split out first, as the `tokenizers` library does.
    public func encode(_ text: String) -> [Int] {
        encode(utf8: Array(text.utf8))
    }

    /// The ids of UTF-8 bytes; malformed bytes become U+FFFD as sentencepiece replaces them
    /// (one per bad byte), or as Swift's `String(decoding:)` does for a `tokenizer.json`.
    public func encode(utf8 bytes: [UInt8]) -> [Int] {
        encode(utf8: bytes, splitter: splitter)
    }

    /// `encode`, splitting around the added tokens transformers' processor recognises.
    func encodeAsTransformers(_ text: String) -> [Int] {
        encode(utf8: Array(text.utf8), splitter: promptSplitter)
    }

    private func encode(utf8 bytes: [UInt8], splitter: AddedTokenSplitter) -> [Int] {
        var output: [Int] = []
        output.reserveCapacity(bytes.count / 3 + 8)
        switch backend {
        case .sentencePiece(let model):
            let normalize = { (raw: [UInt8]) -> [UInt8] in
                var normalized: [UInt8] = []
                raw.withUnsafeBufferPointer {
                    model.normalizer.normalize(
                        $0, userDefined: model.userDefined, into: &normalized)
                }
                return normalized
            }
            for segment in splitter.split(bytes, normalize: normalize) {
                switch segment {
                case .token(let id): output.append(id)
                case .text(let normalized):
                    normalized.withUnsafeBufferPointer {
                        model.encode(normalized: $0, into: &output)
                    }
                }
            }
        case .tokenizers(let pipeline):
            let text = Array(String(decoding: bytes, as: UTF8.self).utf8)
            for segment in splitter.split(text, normalize: pipeline.normalize) {
                switch segment {
                case .token(let id): output.append(id)
                case .text(let normalized): pipeline.encode(normalized: normalized, into: &output)
                }
            }
        }
        return output
    }
}
