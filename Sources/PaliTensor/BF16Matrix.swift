import CPaliKernels
import Foundation

/// A dense, immutable, row-major bfloat16 matrix `[rows, columns]`: weights kept at half the
/// bytes of float32, widened on the fly by `Ops.linear`.
///
/// bf16 is the upper half of an IEEE float32, so widening is exact; values coming from a
/// float32 or float16 source are rounded to nearest even once, at load.
public struct BF16Matrix: @unchecked Sendable {
    /// `[rows, columns]`.
    public let shape: [Int]
    /// First element; valid while the matrix (its owner) is alive.
    public let pointer: UnsafePointer<UInt16>
    /// Keeps the bytes alive.
    private let owner: AlignedBuffer<UInt16>

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// `tensor` rounded to bf16 (nearest even; NaN stays NaN).
    public init(_ tensor: Tensor) {
        let buffer = AlignedBuffer<UInt16>(count: tensor.count)
        for i in 0..<tensor.count { buffer.pointer[i] = Self.round(tensor.pointer[i]) }
        self.init(shape: tensor.shape, buffer: buffer)
    }

    private init(shape: [Int], buffer: AlignedBuffer<UInt16>) {
        self.shape = shape
        self.pointer = UnsafePointer(buffer.pointer)
        self.owner = buffer
    }

    /// The element at flat index `i`, widened.
    public subscript(_ i: Int) -> Float { Float(bitPattern: UInt32(pointer[i]) << 16) }

    /// Copies (bf16) or rounds (f32, f16) `count` elements of `dtype` at `source` into a new
    /// matrix and releases the mapped pages, so the weights are not resident twice.
    static func load(
        shape: [Int], dtype: TensorDType, source: UnsafeRawPointer, mapping: MappedFile
    ) -> BF16Matrix {
        let count = shape.reduce(1, *)
        let buffer = AlignedBuffer<UInt16>(count: count)
        switch dtype {
        case .bf16:
            memcpy(buffer.pointer, source, count * 2)
        case .f32:
            for i in 0..<count {
                let value = source.loadUnaligned(fromByteOffset: i * 4, as: Float.self)
                buffer.pointer[i] = round(value)
            }
        case .f16:
            for i in 0..<count {
                let bits = source.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)
                buffer.pointer[i] = round(Float(Float16(bitPattern: bits)))
            }
        case .i64, .i32, .u8:
            preconditionFailure("BF16Matrix.load(\(dtype)) is for floating-point tensors only")
        }
        if let base = mapping.base {
            mapping.releasePages(offset: source - base, count: count * dtype.byteSize)
        }
        return BF16Matrix(shape: shape, buffer: buffer)
    }

    /// float32 → bf16, round to nearest even (as `torch.Tensor.bfloat16()`).
    static func round(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(bits >> 16) | 0x40 }
        let rounded = bits &+ 0x7FFF &+ ((bits >> 16) & 1)
        return UInt16(rounded >> 16)
    }
}

extension BF16Matrix: CompactWeight {
    /// oneDNN where it outruns the own kernels (`OneDNNProducts`), or AVX512_BF16 where its dot
    /// products outpace float32 FMAs (`KernelLevel.bf16DotPaysOff`): either way the activations
    /// split into two bf16 parts, both multiplied.
    func multiplyNatively(
        _ a: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>
    ) -> Bool {
        if OneDNNProducts.takes(.bf16) && multiplyThroughOneDNN(a, rows: rows, into: out) {
            return true
        }
        let n = shape[0], k = shape[1]
        guard KernelLevel.bf16DotPaysOff, k % 2 == 0 else { return false }
        let blocks = (rows + 31) / 32
        // [blocks, k / 2, 2 parts, 32] bf16 pairs, on a cache line.
        let input = AlignedBuffer<UInt32>(count: pali_bf16_pairs_count(rows, k))
        let packed = UnsafeSendable(input.pointer)
        Parallel.forEachRange(count: blocks, costPerItem: 64 * k) { range in
            pali_bf16_split_pairs(a, rows, k, range.lowerBound, range.upperBound, packed.pointer)
        }
        let output = UnsafeSendable(out)
        Ops.splitOutputs(rows: rows, n: n, k: k) { outputs in
            pali_bf16_gemm_bf16dot_range(
                pointer, packed.pointer, output.pointer, rows, n, k, outputs.lowerBound,
                outputs.upperBound)
        }
        return withExtendedLifetime(input) { true }
    }

    /// The two bf16 parts row-major (`pali_bf16_split_rows`), multiplied by oneDNN. False where
    /// oneDNN could not run a part.
    private func multiplyThroughOneDNN(
        _ a: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>
    ) -> Bool {
        let n = shape[0], k = shape[1]
        let high = AlignedBuffer<UInt16>(count: rows * k)  // [rows, k]: bf16(a)
        let low = AlignedBuffer<UInt16>(count: rows * k)  // [rows, k]: bf16(a − high)
        let h = UnsafeSendable(high.pointer), l = UnsafeSendable(low.pointer)
        Parallel.forEachRange(count: rows, costPerItem: 2 * k) { range in
            pali_bf16_split_rows(a, k, range.lowerBound, range.upperBound, h.pointer, l.pointer)
        }
        return withExtendedLifetime((high, low)) {
            OneDNNProducts.split(rows: rows, n: n, k: k) { outputs in
                pali_onednn_bf16_range(
                    pointer, h.pointer, l.pointer, out, rows, n, k, outputs.lowerBound,
                    outputs.upperBound)
            }
        }
    }

    /// The bf16 kernel reads the float32 rows with their columns rearranged (even and odd ones
    /// apart, as the weights widen): once per product.
    func streamingInput(_ a: UnsafePointer<Float>, rows: Int) -> AlignedBuffer<Float> {
        let input = AlignedBuffer<Float>(count: rows * shape[1])  // [rows, k]
        pali_bf16_arrange_rows(a, rows, shape[1], input.pointer)
        return input
    }

    func product(
        _ input: AlignedBuffer<Float>, rows: Int, outputs: Range<Int>,
        into out: UnsafeMutablePointer<Float>
    ) {
        pali_bf16_linear_range(
            pointer, input.pointer, out, rows, shape[0], shape[1], outputs.lowerBound,
            outputs.upperBound)
    }

    func multiply(
        _ a: UnsafePointer<Float>, rows: Int, outputs: Range<Int>,
        into out: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        pali_bf16_gemm_range(
            pointer, a, out, rows, shape[0], shape[1], outputs.lowerBound, outputs.upperBound,
            scratch)
    }

    func expand(rows: Range<Int>, into out: UnsafeMutablePointer<Float>) {
        let k = shape[1]
        pali_bf16_widen(pointer + rows.lowerBound * k, out, rows.count * k)
    }
}
