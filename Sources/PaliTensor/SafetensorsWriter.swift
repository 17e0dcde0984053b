import Foundation

/// Writes a `.safetensors` file (dumps for comparison with the reference, test checkpoints).
public struct SafetensorsWriter {
    private var tensors: [(name: String, dtype: TensorDType, shape: [Int], bytes: Data)] = []
    /// `__metadata__` strings.
    public var metadata: [String: String] = [:]

    /// An empty file.
    public init() {}

    /// Adds float32 values, stored as `dtype` (f32, or bf16 rounded to nearest even, or f16).
    public mutating func add(
        _ name: String, shape: [Int], values: [Float], as dtype: TensorDType = .f32
    ) {
        precondition(
            shape.reduce(1, *) == values.count, "\(name): shape \(shape) vs \(values.count) values")
        var data = Data(capacity: values.count * dtype.byteSize)
        switch dtype {
        case .f32:
            values.withUnsafeBytes { data.append(contentsOf: $0) }
        case .bf16:
            for value in values {
                let bits = value.bitPattern
                // Round to nearest even on the dropped 16 bits; NaN stays NaN.
                let rounded =
                    value.isNaN ? (bits >> 16) | 0x40 : (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16
                withUnsafeBytes(of: UInt16(rounded).littleEndian) { data.append(contentsOf: $0) }
            }
        case .f16:
            for value in values {
                withUnsafeBytes(of: Float16(value).bitPattern.littleEndian) {
                    data.append(contentsOf: $0)
                }
            }
        case .i64, .i32, .u8:
            preconditionFailure("add(values:) takes floating-point dtypes only")
        }
        tensors.append((name, dtype, shape, data))
    }

    /// Adds integers stored as I64.
    public mutating func add(_ name: String, shape: [Int], integers: [Int]) {
        precondition(
            shape.reduce(1, *) == integers.count,
            "\(name): shape \(shape) vs \(integers.count) values")
        var data = Data(capacity: integers.count * 8)
        for value in integers {
            withUnsafeBytes(of: Int64(value).littleEndian) { data.append(contentsOf: $0) }
        }
        tensors.append((name, .i64, shape, data))
    }

    /// Adds raw bytes already in `dtype`'s little-endian layout.
    public mutating func add(_ name: String, dtype: TensorDType, shape: [Int], bytes: Data) {
        precondition(
            shape.reduce(1, *) * dtype.byteSize == bytes.count, "\(name): byte count mismatch")
        tensors.append((name, dtype, shape, bytes))
    }

    /// The encoded file.
    public func encoded() throws -> Data {
        var header: [String: Any] = [:]
        var offset = 0
        for tensor in tensors {
            header[tensor.name] = [
                "dtype": tensor.dtype.rawValue, "shape": tensor.shape,
                "data_offsets": [offset, offset + tensor.bytes.count],
            ]
            offset += tensor.bytes.count
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad the header with spaces so the data section starts 8-byte aligned.
        while (8 + json.count) % 8 != 0 { json.append(0x20) }
        var out = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        for tensor in tensors { out.append(tensor.bytes) }
        return out
    }

    /// Writes the file atomically.
    public func write(to url: URL) throws {
        try encoded().write(to: url, options: .atomic)
    }
}
