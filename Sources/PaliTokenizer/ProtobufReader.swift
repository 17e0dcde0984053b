/// A minimal reader of the protobuf wire format, enough for SentencePiece's `ModelProto`.
///
/// Every read checks bounds; a truncated or corrupt buffer yields `ProtobufReader.Failure`
/// (the caller turns it into a `TokenizerError` naming the file), never a trap.
struct ProtobufReader {
    /// Why the bytes are not a well-formed message.
    struct Failure: Error {
        let reason: String
    }

    /// The wire types of the encoding (groups, 3 and 4, are obsolete and rejected).
    enum WireType: UInt64 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case fixed32 = 5
    }

    private let bytes: [UInt8]
    private var position: Int
    private let end: Int

    /// Reads `bytes[range]` (the whole array by default).
    init(_ bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        position = range?.lowerBound ?? 0
        end = range?.upperBound ?? bytes.count
    }

    /// Whether all bytes have been consumed.
    var isAtEnd: Bool { position >= end }

    /// Reads the next field key: its number and wire type.
    mutating func readKey() throws -> (field: UInt64, wireType: WireType) {
        let key = try readVarint()
        guard let wireType = WireType(rawValue: key & 7) else {
            throw Failure(reason: "unsupported protobuf wire type \(key & 7) at byte \(position)")
        }
        let field = key >> 3
        guard field > 0 else {
            throw Failure(reason: "protobuf field number 0 at byte \(position)")
        }
        return (field, wireType)
    }

    /// Reads a base-128 varint (at most 10 bytes).
    mutating func readVarint() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else {
                throw Failure(reason: "truncated varint at byte \(position)")
            }
            let byte = bytes[position]
            position += 1
            guard shift < 64 else { throw Failure(reason: "varint longer than 10 bytes") }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// Reads a little-endian 32-bit float (wire type fixed32).
    mutating func readFloat() throws -> Float {
        guard end - position >= 4 else {
            throw Failure(reason: "truncated float at byte \(position)")
        }
        var raw: UInt32 = 0
        for i in 0..<4 { raw |= UInt32(bytes[position + i]) << (8 * UInt32(i)) }
        position += 4
        return Float(bitPattern: raw)
    }

    /// Reads a length-delimited field and returns the byte range of its payload.
    mutating func readLengthDelimited() throws -> Range<Int> {
        let length = try readVarint()
        guard length <= UInt64(end - position) else {
            throw Failure(reason: "length-delimited field of \(length) bytes runs past the end")
        }
        let range = position..<(position + Int(length))
        position = range.upperBound
        return range
    }

    /// Reads a length-delimited field as bytes.
    mutating func readBytes() throws -> [UInt8] {
        Array(bytes[try readLengthDelimited()])
    }

    /// Reads a length-delimited field as UTF-8 text (protobuf `string`).
    mutating func readString() throws -> String {
        let range = try readLengthDelimited()
        guard let text = String(validating: bytes[range], as: UTF8.self) else {
            throw Failure(reason: "string field at byte \(range.lowerBound) is not valid UTF-8")
        }
        return text
    }

    /// A reader over an embedded message's payload.
    mutating func readMessage() throws -> ProtobufReader {
        ProtobufReader(bytes, range: try readLengthDelimited())
    }

    /// Skips a field of the given wire type.
    mutating func skip(_ wireType: WireType) throws {
        switch wireType {
        case .varint: _ = try readVarint()
        case .fixed64: try advance(8)
        case .fixed32: try advance(4)
        case .lengthDelimited: _ = try readLengthDelimited()
        }
    }

    private mutating func advance(_ count: Int) throws {
        guard end - position >= count else {
            throw Failure(reason: "truncated field at byte \(position)")
        }
        position += count
    }
}
