import COpenBLAS
import CPaliKernels
import Foundation

/// The numeric kernels of the forward pass, on raw float32 buffers (row-major).
///
/// Each mirrors the float32 semantics of the matching `transformers` / PyTorch op; the tests
/// check each against a plain double-precision scalar version.
public enum Ops {
    /// `out[rows, n] = a[rows, k] · weight[n, k]ᵀ (+ bias[n])`: a `torch.nn.Linear`.
    public static func linear(
        _ a: UnsafePointer<Float>, rows: Int, weight: Tensor, bias: Tensor? = nil,
        into out: UnsafeMutablePointer<Float>
    ) {
        WorkTally.count(.products, flops: 2 * rows * weight.count) {
            f32Linear(a, rows: rows, weight: weight, bias: bias, into: out)
        }
    }

    /// `linear(_:rows:weight:bias:into:)` without the tally.
    static func f32Linear(
        _ a: UnsafePointer<Float>, rows: Int, weight: Tensor, bias: Tensor?,
        into out: UnsafeMutablePointer<Float>
    ) {
        precondition(weight.shape.count == 2, "linear weight must be 2-D, got \(weight.shape)")
        let n = weight.shape[0], k = weight.shape[1]
        guard rows > 0 else { return }
        let w = UnsafeSendable(weight.pointer), output = UnsafeSendable(out)
        splitOutputs(rows: rows, n: n, k: k) { outputs in
            f32Product(a, rows: rows, weight: w.pointer, n: n, k: k, outputs: outputs,
                       into: output.pointer)
        }
        if let bias { addBias(bias, rows: rows, n: n, into: out) }
    }

    /// `out[r * n + j] += bias[j]` for every row, rows in parallel (a SigLIP layer adds
    /// 41 M biases at 896 px).
    static func addBias(_ bias: Tensor, rows: Int, n: Int, into out: UnsafeMutablePointer<Float>) {
        precondition(bias.count == n, "bias has \(bias.count) values for \(n) outputs")
        let output = UnsafeSendable(out)
        Parallel.forEachRange(count: rows, costPerItem: n) { rows in
            for r in rows {
                let row = output.pointer + r * n
                for j in 0..<n { row[j] += bias.pointer[j] }
            }
        }
    }

    /// `out[r * n + j] = Σ_p a[r * k + p] · weight[j * k + p]` for `j` in `outputs`, on the
    /// calling thread: one single-threaded OpenBLAS call on those rows of the weight, or for
    /// 2…`streamingRows` rows the C kernel that reads each weight row once for all of them
    /// (`sgemm` packs the weights first, which at a few rows costs more than the product).
    static func f32Product(
        _ a: UnsafePointer<Float>, rows: Int, weight: UnsafePointer<Float>, n: Int, k: Int,
        outputs: Range<Int>, into out: UnsafeMutablePointer<Float>
    ) {
        let count = Int32(outputs.count), first = weight + outputs.lowerBound * k
        if rows == 1 {
            // One token (a decoding step): a matrix-vector product, bound by reading weights.
            cblas_sgemv(
                CblasRowMajor, CblasNoTrans, count, Int32(k), 1, first, Int32(k), a, 1, 0,
                out + outputs.lowerBound, 1)
        } else if rows <= streamingRows {
            pali_f32_linear_range(
                weight, a, out, rows, n, k, outputs.lowerBound, outputs.upperBound)
        } else {
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), count, Int32(k), 1, a,
                Int32(k), first, Int32(k), 0, out + outputs.lowerBound, Int32(n))
        }
    }

    /// Multiply-adds below which a product stays on the calling thread.
    static let minimumParallelProduct = 1 << 20

    /// Calls `body` on `BLASThreads.current` disjoint ranges of the `n` outputs of a
    /// `[rows, k] · [n, k]ᵀ` product, concurrently (each a single-threaded OpenBLAS call on its
    /// share of the weights); ranges start at multiples of 16 outputs.
    static func splitOutputs(rows: Int, n: Int, k: Int, _ body: (Range<Int>) -> Void) {
        let parts = min(BLASThreads.current, n / 16, rows * n * k / minimumParallelProduct)
        guard parts > 1 else {
            body(0..<n)
            return
        }
        @Sendable func bound(_ part: Int) -> Int { part == parts ? n : n * part / parts / 16 * 16 }
        // Parts write disjoint output columns.
        Parallel.perform(iterations: parts, threads: parts) { part in
            body(bound(part)..<bound(part + 1))
        }
    }

    /// Gemma's RMSNorm: `x · rsqrt(mean(x²) + eps) · (1 + weight)`; the weight is stored
    /// zero-centred, hence the `1 +`. Rows run in parallel.
    public static func rmsNorm(
        _ x: UnsafePointer<Float>, rows: Int, dim: Int, weight: Tensor, eps: Float,
        into out: UnsafeMutablePointer<Float>
    ) {
        precondition(weight.count == dim, "RMSNorm weight has \(weight.count) values for \(dim)")
        Parallel.forEachRange(count: rows, costPerItem: 3 * dim) { rows in
            // Four rows' sums of squares at once: each row adds its squares in order, as one
            // row alone would (the same bits), while four independent sums hide the latency of
            // the additions a single sum waits on (a batched decode step's norms run on one core).
            for first in stride(from: rows.lowerBound, to: rows.upperBound, by: 4) {
                let last = min(first + 4, rows.upperBound) - 1
                // A group of fewer than four repeats its last row.
                let p0 = x + first * dim, p1 = x + min(first + 1, last) * dim
                let p2 = x + min(first + 2, last) * dim, p3 = x + last * dim
                var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
                for j in 0..<dim {
                    s0 += p0[j] * p0[j]
                    s1 += p1[j] * p1[j]
                    s2 += p2[j] * p2[j]
                    s3 += p3[j] * p3[j]
                }
                for (r, sum) in zip(first...last, [s0, s1, s2, s3]) {
                    let row = x + r * dim, dst = out + r * dim
                    let scale = 1 / (sum / Float(dim) + eps).squareRoot()
                    for j in 0..<dim { dst[j] = row[j] * scale * (1 + weight.pointer[j]) }
                }
            }
        }
    }

    /// LayerNorm over the last dimension (biased variance, as PyTorch). Rows run in parallel.
    public static func layerNorm(
        _ x: UnsafePointer<Float>, rows: Int, dim: Int, weight: Tensor, bias: Tensor, eps: Float,
        into out: UnsafeMutablePointer<Float>
    ) {
        precondition(
            weight.count == dim && bias.count == dim, "LayerNorm parameters must have \(dim) values"
        )
        Parallel.forEachRange(count: rows, costPerItem: 4 * dim) { rows in
            for r in rows {
                let row = x + r * dim, dst = out + r * dim
                var mean: Float = 0
                for j in 0..<dim { mean += row[j] }
                mean /= Float(dim)
                var variance: Float = 0
                for j in 0..<dim { variance += (row[j] - mean) * (row[j] - mean) }
                let scale = 1 / (variance / Float(dim) + eps).squareRoot()
                for j in 0..<dim {
                    dst[j] = (row[j] - mean) * scale * weight.pointer[j] + bias.pointer[j]
                }
            }
        }
    }

    /// GELU, tanh approximation (`gelu_pytorch_tanh`), in place, in parallel; tanh is the
    /// vectorised ≤ 2 ulp one of `pali_gelu_tanh` (libm's runs one element at a time).
    public static func geluTanh(_ x: UnsafeMutablePointer<Float>, count: Int) {
        Parallel.forEachRange(count: count, costPerItem: 4) { range in
            pali_gelu_tanh(x + range.lowerBound, range.count)
        }
    }

    /// GELU, exact (`erf` form, transformers' `gelu`), in place, in parallel.
    public static func gelu(_ x: UnsafeMutablePointer<Float>, count: Int) {
        let inverseSqrt2: Float = 1 / Float(2).squareRoot()
        Parallel.forEachRange(count: count, costPerItem: 20) { range in
            for i in range { x[i] = 0.5 * x[i] * (1 + erff(x[i] * inverseSqrt2)) }
        }
    }

    /// The RoPE inverse frequencies `θ^(−2i/d)`, i < d/2, computed as `transformers` does
    /// (float32 exponent, float32 power).
    public static func ropeInverseFrequencies(headDim: Int, theta: Double) -> [Float] {
        (0..<(headDim / 2)).map { i in 1 / powf(Float(theta), Float(2 * i) / Float(headDim)) }
    }

    /// Rotary position embedding, half-split layout (pairs `(i, i + d/2)`), in place on
    /// `x[rows, heads * headDim]`; row r rotates by `table`'s row r. Rows run in parallel.
    public static func rope(
        _ x: UnsafeMutablePointer<Float>, rows: Int, heads: Int, headDim: Int, table: RotaryTable
    ) {
        let half = headDim / 2
        precondition(table.rows == rows && table.half == half, "RoPE table does not fit")
        table.cosines.withUnsafeBufferPointer { cosines in
            table.sines.withUnsafeBufferPointer { sines in
                Parallel.forEachRange(count: rows, costPerItem: 3 * heads * headDim) { rows in
                    for r in rows {
                        let c = cosines.baseAddress! + r * half, s = sines.baseAddress! + r * half
                        for h in 0..<heads {
                            let v = x + r * heads * headDim + h * headDim
                            for i in 0..<half {
                                let a = v[i], b = v[i + half]
                                // q·cos + rotate_half(q)·sin with rotate_half = [−x₂, x₁].
                                v[i] = a * c[i] - b * s[i]
                                v[i + half] = b * c[i] + a * s[i]
                            }
                        }
                    }
                }
            }
        }
    }

    /// `x[i] += y[i]` for i < count (residual connections), in parallel.
    public static func add(
        _ y: UnsafePointer<Float>, into x: UnsafeMutablePointer<Float>, count: Int
    ) {
        Parallel.forEachRange(count: count, costPerItem: 1) { range in
            for i in range { x[i] += y[i] }
        }
    }

    /// `x[i] *= y[i]` for i < count (gated MLPs), in parallel.
    public static func multiply(
        _ y: UnsafePointer<Float>, into x: UnsafeMutablePointer<Float>, count: Int
    ) {
        Parallel.forEachRange(count: count, costPerItem: 1) { range in
            for i in range { x[i] *= y[i] }
        }
    }

    /// The first index of the largest value of `x` (non-empty), NaNs never largest: the one
    /// a scan keeping each strictly larger value ends on, as `torch.argmax` picks among
    /// ties.
    public static func argmax(_ x: UnsafeBufferPointer<Float>) -> Int {
        precondition(!x.isEmpty, "argmax of no values")
        return pali_argmax(x.baseAddress!, x.count)
    }

    /// Soft-capping `cap · tanh(x / cap)` in place, in parallel (Gemma 2's final logits).
    public static func softcap(_ x: UnsafeMutablePointer<Float>, count: Int, cap: Float) {
        Parallel.forEachRange(count: count, costPerItem: 4) { range in
            pali_softcap(x + range.lowerBound, range.count, cap)
        }
    }
}
