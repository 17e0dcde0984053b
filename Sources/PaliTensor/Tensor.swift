import Foundation

/// A dense, immutable, row-major float32 tensor.
///
/// The values live either inside a memory-mapped checkpoint (float32 on disk, no copy) or in
/// a heap buffer owned by the tensor (widened from bf16 / f16 once at load time, or built).
public struct Tensor: @unchecked Sendable {
    /// Dimensions, outermost first.
    public let shape: [Int]
    /// First element; valid while the tensor (its owner) is alive.
    public let pointer: UnsafePointer<Float>
    /// Keeps the bytes alive: a `MappedFile` or an `AlignedBuffer`.
    private let owner: AnyObject

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// The values as a buffer.
    public var values: UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: pointer, count: count)
    }

    /// A tensor viewing `pointer` kept alive by `owner`.
    init(shape: [Int], pointer: UnsafePointer<Float>, owner: AnyObject) {
        self.shape = shape
        self.pointer = pointer
        self.owner = owner
    }

    /// A tensor holding a copy of `values` (`values.count` must equal the product of `shape`).
    public init(shape: [Int], values: [Float]) {
        precondition(
            shape.reduce(1, *) == values.count,
            "shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)")
        let buffer = AlignedBuffer<Float>(count: values.count)
        values.withUnsafeBufferPointer {
            buffer.pointer.update(from: $0.baseAddress!, count: values.count)
        }
        self.init(shape: shape, pointer: UnsafePointer(buffer.pointer), owner: buffer)
    }

    /// The values copied into an array.
    public func toArray() -> [Float] { Array(values) }

    /// The same values under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        return Tensor(shape: newShape, pointer: pointer, owner: owner)
    }

    /// Widens `count` elements of `dtype` at `source` into a new float32 tensor, or views them
    /// in place when they are already aligned float32 inside `mapping`.
    static func load(
        shape: [Int], dtype: TensorDType, source: UnsafeRawPointer, mapping: MappedFile
    ) -> Tensor {
        let count = shape.reduce(1, *)
        if dtype == .f32, Int(bitPattern: source) % MemoryLayout<Float>.alignment == 0 {
            return Tensor(
                shape: shape, pointer: source.assumingMemoryBound(to: Float.self), owner: mapping)
        }
        let buffer = AlignedBuffer<Float>(count: count)
        let out = buffer.pointer
        Tensor.widen(count, dtype, at: source, into: out)
        if let base = mapping.base {
            mapping.releasePages(offset: source - base, count: count * dtype.byteSize)
        }
        return Tensor(shape: shape, pointer: UnsafePointer(out), owner: buffer)
    }
}

extension Tensor {
    /// `out[i] = float(source[i])` for `count` floating-point elements of `dtype` (exact for
    /// bf16 and f16); what every loader widening checkpoint bytes shares.
    static func widen(
        _ count: Int, _ dtype: TensorDType, at source: UnsafeRawPointer,
        into out: UnsafeMutablePointer<Float>
    ) {
        switch dtype {
        case .f32:
            memcpy(out, source, count * 4)
        case .bf16:
            // bf16 is the upper half of an IEEE float32: shifting the bits back is exact.
            for i in 0..<count {
                let bits = source.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)
                out[i] = Float(bitPattern: UInt32(bits) << 16)
            }
        case .f16:
            for i in 0..<count {
                let bits = source.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)
                out[i] = Float(Float16(bitPattern: bits))
            }
        case .i64, .i32, .u8:
            preconditionFailure("widen(\(dtype)) is for floating-point tensors only")
        }
    }
}
