/// The parts of SentencePiece's `ModelProto` (`sentencepiece_model.proto`) that change how
/// text is encoded or decoded, read from the protobuf wire format.
///
/// Unknown fields are skipped, as protobuf does; a repeated embedded message merges into the
/// earlier one, as protobuf does. Defaults are the proto's declared defaults.
struct SentencePieceModelProto: Sendable {
    /// `ModelProto.SentencePiece.Type`.
    enum PieceType: UInt64, Sendable {
        case normal = 1
        case unknown = 2
        case control = 3
        case userDefined = 4
        case unused = 5
        case byte = 6
    }

    /// `TrainerSpec.ModelType`.
    enum ModelType: UInt64, Sendable {
        case unigram = 1
        case bpe = 2
        case word = 3
        case char = 4
    }

    /// One vocabulary entry.
    struct Piece: Sendable {
        var piece: [UInt8] = []
        var score: Float = 0
        var type: UInt64 = PieceType.normal.rawValue
    }

    /// `TrainerSpec` fields used at encode/decode time.
    struct TrainerSpec: Sendable {
        var modelType: UInt64 = ModelType.unigram.rawValue
        var byteFallback = false
        var treatWhitespaceAsSuffix = false
        var unkSurface: [UInt8] = Array(" \u{2047} ".utf8)
        var bosPiece = "<s>"
        var eosPiece = "</s>"
        var padPiece = "<pad>"
    }

    /// `NormalizerSpec` fields used at encode/decode time.
    struct NormalizerSpec: Sendable {
        var name = ""
        var precompiledCharsmap: [UInt8] = []
        var addDummyPrefix = true
        var removeExtraWhitespaces = true
        var escapeWhitespaces = true
    }

    var pieces: [Piece] = []
    var trainerSpec = TrainerSpec()
    var normalizerSpec = NormalizerSpec()
    /// `denormalizer_spec`, when the file has one.
    var denormalizerSpec: NormalizerSpec?

    /// Parses a serialized `ModelProto`.
    init(serialized bytes: [UInt8]) throws {
        var reader = ProtobufReader(bytes)
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readKey()
            switch (field, wireType) {
            case (1, .lengthDelimited):
                var message = try reader.readMessage()
                pieces.append(try Self.readPiece(&message))
            case (2, .lengthDelimited):
                var message = try reader.readMessage()
                try Self.merge(trainerSpec: &trainerSpec, from: &message)
            case (3, .lengthDelimited):
                var message = try reader.readMessage()
                try Self.merge(normalizerSpec: &normalizerSpec, from: &message)
            case (5, .lengthDelimited):
                var message = try reader.readMessage()
                var spec = denormalizerSpec ?? NormalizerSpec()
                try Self.merge(normalizerSpec: &spec, from: &message)
                denormalizerSpec = spec
            default:
                try reader.skip(wireType)
            }
        }
    }

    private static func readPiece(_ reader: inout ProtobufReader) throws -> Piece {
        var piece = Piece()
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readKey()
            switch (field, wireType) {
            case (1, .lengthDelimited): piece.piece = try reader.readBytes()
            case (2, .fixed32): piece.score = try reader.readFloat()
            case (3, .varint): piece.type = try reader.readVarint()
            default: try reader.skip(wireType)
            }
        }
        return piece
    }

    private static func merge(
        trainerSpec spec: inout TrainerSpec, from reader: inout ProtobufReader
    ) throws {
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readKey()
            switch (field, wireType) {
            case (3, .varint): spec.modelType = try reader.readVarint()
            case (24, .varint): spec.treatWhitespaceAsSuffix = try reader.readVarint() != 0
            case (35, .varint): spec.byteFallback = try reader.readVarint() != 0
            case (44, .lengthDelimited): spec.unkSurface = try reader.readBytes()
            case (46, .lengthDelimited): spec.bosPiece = try reader.readString()
            case (47, .lengthDelimited): spec.eosPiece = try reader.readString()
            case (48, .lengthDelimited): spec.padPiece = try reader.readString()
            default: try reader.skip(wireType)
            }
        }
    }

    private static func merge(
        normalizerSpec spec: inout NormalizerSpec, from reader: inout ProtobufReader
    ) throws {
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readKey()
            switch (field, wireType) {
            case (1, .lengthDelimited): spec.name = try reader.readString()
            case (2, .lengthDelimited): spec.precompiledCharsmap = try reader.readBytes()
            case (3, .varint): spec.addDummyPrefix = try reader.readVarint() != 0
            case (4, .varint): spec.removeExtraWhitespaces = try reader.readVarint() != 0
            case (5, .varint): spec.escapeWhitespaces = try reader.readVarint() != 0
            default: try reader.skip(wireType)
            }
        }
    }
}
