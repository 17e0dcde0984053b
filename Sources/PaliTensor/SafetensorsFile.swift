import Foundation

/// One memory-mapped `.safetensors` file: a validated header and zero-copy access to tensors.
///
/// Format: 8-byte little-endian header length N, N bytes of JSON
/// `{"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}`, then
/// the data section the offsets are relative to.
public final class SafetensorsFile: Sendable {
    /// One tensor's header entry.
    public struct Entry: Sendable, Equatable {
        /// Tensor name.
        public let name: String
        /// Element type on disk.
        public let dtype: TensorDType
        /// Dimensions, outermost first.
        public let shape: [Int]
        /// Offset of the first byte from the start of the file.
        public let fileOffset: Int
        /// Size in bytes.
        public let byteCount: Int
    }

    /// The file.
    public let url: URL
    /// Tensors by name.
    public let entries: [String: Entry]
    /// The free-form `__metadata__` strings.
    public let metadata: [String: String]
    private let mapping: MappedFile

    /// Maps and validates `url`; throws naming the file and the first problem found.
    public init(url: URL) throws(SafetensorsError) {
        self.url = url
        mapping = try MappedFile(url: url)
        func fail(_ reason: String) -> SafetensorsError {
            SafetensorsError(file: url, reason: reason)
        }
        guard mapping.byteCount >= 8, let base = mapping.base else {
            throw fail("not a safetensors file (shorter than its 8-byte header length)")
        }
        let headerLength = Int(UInt64(littleEndian: base.loadUnaligned(as: UInt64.self)).clamped)
        guard headerLength > 1, headerLength <= mapping.byteCount - 8 else {
            throw fail(
                "not a safetensors file (header length \(headerLength) exceeds"
                    + " file size \(mapping.byteCount))"
            )
        }
        let headerData = Data(bytes: base + 8, count: headerLength)
        guard let json = try? JSONSerialization.jsonObject(with: headerData),
            let header = json as? [String: Any]
        else {
            throw fail("not a safetensors file (header is not a JSON object)")
        }
        let dataStart = 8 + headerLength
        let dataSize = mapping.byteCount - dataStart
        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                guard let dict = value as? [String: String] else {
                    throw fail("__metadata__ must map strings to strings")
                }
                metadata = dict
                continue
            }
            guard let info = value as? [String: Any], let dtypeName = info["dtype"] as? String,
                let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int],
                offsets.count == 2
            else {
                throw fail("tensor '\(name)': header entry needs dtype, shape and data_offsets")
            }
            guard let dtype = TensorDType(rawValue: dtypeName) else {
                throw fail("tensor '\(name)': unsupported dtype \(dtypeName)")
            }
            guard shape.allSatisfy({ $0 >= 0 }) else {
                throw fail("tensor '\(name)': negative dimension in \(shape)")
            }
            let (begin, end) = (offsets[0], offsets[1])
            let expected = shape.reduce(1, *) * dtype.byteSize
            guard begin >= 0, end >= begin, end <= dataSize else {
                throw fail(
                    "tensor '\(name)': data offsets [\(begin), \(end)] outside the"
                        + " \(dataSize)-byte data section"
                )
            }
            guard end - begin == expected else {
                throw fail(
                    "tensor '\(name)': \(end - begin) bytes for \(dtypeName) \(shape)"
                        + " (needs \(expected))"
                )
            }
            entries[name] = Entry(
                name: name, dtype: dtype, shape: shape, fileOffset: dataStart + begin,
                byteCount: expected)
        }
        self.entries = entries
        self.metadata = metadata
    }

    /// The raw bytes of `entry` (valid while this file is alive).
    public func bytes(of entry: Entry) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(
            start: mapping.base.map { $0 + entry.fileOffset }, count: entry.byteCount)
    }

    /// The tensor `name` as float32 (a view into the mapping for aligned f32 data, widened once
    /// otherwise).
    public func floatTensor(_ name: String) throws(SafetensorsError) -> Tensor {
        let (entry, source) = try floatingPoint(name)
        return Tensor.load(shape: entry.shape, dtype: entry.dtype, source: source, mapping: mapping)
    }

    /// The floating-point tensor `name` as a bf16 matrix (copied for bf16 data, rounded to
    /// nearest even otherwise); the mapped pages are released afterwards.
    public func bf16Matrix(_ name: String) throws(SafetensorsError) -> BF16Matrix {
        let (entry, source) = try floatingPoint(name)
        return BF16Matrix.load(
            shape: entry.shape, dtype: entry.dtype, source: source, mapping: mapping)
    }

    /// The floating-point 2-D tensor `name` quantised to an int8 matrix with one scale per
    /// row; the mapped pages are released afterwards.
    public func int8Matrix(_ name: String) throws(SafetensorsError) -> Int8Matrix {
        let (entry, source) = try floatingPoint(name)
        guard entry.shape.count == 2 else {
            throw SafetensorsError(
                file: url, reason: "tensor '\(name)' has shape \(entry.shape), not a matrix")
        }
        return Int8Matrix.load(
            shape: entry.shape, dtype: entry.dtype, source: source, mapping: mapping)
    }

    /// The entry of floating-point tensor `name` and its first byte in the mapping.
    private func floatingPoint(
        _ name: String
    ) throws(SafetensorsError) -> (entry: Entry, source: UnsafeRawPointer) {
        let entry = try entry(name)
        guard entry.dtype.isFloatingPoint else {
            throw SafetensorsError(
                file: url, reason: "tensor '\(name)' is \(entry.dtype.rawValue), not floating point"
            )
        }
        let source = mapping.base.map { $0 + entry.fileOffset } ?? UnsafeRawPointer(bitPattern: 1)!
        return (entry, source)
    }

    /// The integer tensor `name` (I64, I32 or U8) as `Int`s.
    public func integers(_ name: String) throws(SafetensorsError) -> [Int] {
        let entry = try entry(name)
        let raw = bytes(of: entry)
        let count = entry.shape.reduce(1, *)
        switch entry.dtype {
        case .i64:
            return (0..<count).map {
                Int(raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self))
            }
        case .i32:
            return (0..<count).map {
                Int(raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self))
            }
        case .u8: return raw.map { Int($0) }
        default:
            throw SafetensorsError(
                file: url,
                reason: "tensor '\(name)' is \(entry.dtype.rawValue), not an integer type")
        }
    }

    /// The header entry `name`, or an error naming it.
    public func entry(_ name: String) throws(SafetensorsError) -> Entry {
        guard let entry = entries[name] else {
            throw SafetensorsError(file: url, reason: "no tensor named '\(name)'")
        }
        return entry
    }
}

extension UInt64 {
    /// The value as a non-negative `Int`, saturating (a corrupt header length must not trap).
    fileprivate var clamped: Int { self > UInt64(Int.max) ? Int.max : Int(self) }
}
