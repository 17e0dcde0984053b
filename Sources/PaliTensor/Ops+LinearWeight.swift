import COpenBLAS
import CPaliKernels
import Foundation

extension Ops {
    /// Rows up to which a compact (bf16, int8) product streams the weights once (decode
    /// steps, batched decode); above it they are multiplied by the GEMM kernel or expanded in
    /// blocks and multiplied by `sgemm` (`gemmKernelRows`).
    static let streamingRows = 8
    /// Rows up to which a compact product runs on the GEMM kernel (224 px prefill and vision:
    /// 256–259 rows). Above, expanding blocks for `sgemm` wins: the kernel re-reads its output
    /// once per 384 columns of k, which with the 1027 and 4099 rows of 448 and 896 px no longer
    /// stays in the caches (see docs/benchmarks/).
    static let gemmKernelRows = 512
    /// Bytes of float32 scratch the `sgemm` path expands weights into per block.
    static let expandedBlockBytes = 16 << 20

    /// Whether many-row compact products without a native kernel expand blocks for `sgemm` at
    /// every row count: where OpenBLAS runs its 512-bit kernels (and the kernel cap allows
    /// AVX-512), `sgemm` on widened blocks outruns the AVX2 GEMM kernel and the bf16 kernel of
    /// AVX512_BF16 (rates in docs/benchmarks/).
    static var expandsForSgemm: Bool {
        BLASCore.runsAVX512Kernels && KernelLevel.allows(PALI_ISA_AVX512)
    }

    /// `out[rows, n] = a[rows, k] · weight[n, k]ᵀ (+ bias[n])` for a float32, bf16 or int8
    /// weight. A compact weight differs from its float32 expansion in summation order, and
    /// where a kernel rounds the activations (to int16 for int8 decode steps and for int8 on
    /// AVX-512 VNNI, to two bf16 parts for bf16 on AVX512_BF16) by that rounding too.
    public static func linear(
        _ a: UnsafePointer<Float>, rows: Int, weight: LinearWeight, bias: Tensor? = nil,
        into out: UnsafeMutablePointer<Float>
    ) {
        WorkTally.count(.products, flops: 2 * rows * weight.shape.reduce(1, *)) {
            singleLinear(a, rows: rows, weight: weight, bias: bias, into: out)
        }
    }

    /// `linear(_:rows:weight:bias:into:)` without the tally.
    private static func singleLinear(
        _ a: UnsafePointer<Float>, rows: Int, weight: LinearWeight, bias: Tensor?,
        into out: UnsafeMutablePointer<Float>
    ) {
        switch weight {
        case .f32(let tensor):
            f32Linear(a, rows: rows, weight: tensor, bias: bias, into: out)
        case .bf16(let matrix):
            compactLinear(a, rows: rows, weight: matrix, bias: bias, into: out)
        case .int8(let matrix):
            compactLinear(a, rows: rows, weight: matrix, bias: bias, into: out)
        }
    }

    /// `outs[i][rows, nᵢ] = a[rows, k] · weights[i][nᵢ, k]ᵀ` for weights that share their
    /// input (a decoder layer's query, key and value projections, or its gate and up
    /// projections), each output exactly as `linear(_:rows:weight:into:)` computes it.
    ///
    /// A decode step (at most `streamingRows` rows, weights of one storage kind) runs all of
    /// them as one parallel pass over their outputs laid end to end: one preparation of the
    /// input (the int8 kernel's quantisation) and one hand-off to the cores instead of one per
    /// weight, and each core streams a longer run of weights. Why: a small matrix on its own
    /// streams well below a large one's rate (an int8 key or value projection is 2.4 MB, and a
    /// Gemma 2 2B step has 26 of each; see docs/benchmarks/). Larger inputs run one product per
    /// weight.
    public static func linear(
        _ a: UnsafePointer<Float>, rows: Int, weights: [LinearWeight],
        into outs: [UnsafeMutablePointer<Float>]
    ) {
        precondition(weights.count == outs.count, "\(weights.count) weights, \(outs.count) outputs")
        precondition(
            Set(weights.map { $0.shape.count == 2 ? $0.shape[1] : -1 }).count <= 1,
            "weights sharing an input need 2-D shapes and one input width: "
                + "\(weights.map(\.shape))")
        guard rows > 0, !weights.isEmpty else { return }
        let flops = 2 * rows * weights.map { $0.shape.reduce(1, *) }.reduce(0, +)
        WorkTally.count(.products, flops: flops) {
            sharedInputLinear(a, rows: rows, weights: weights, into: outs)
        }
    }

    /// `linear(_:rows:weights:into:)` without the tally.
    private static func sharedInputLinear(
        _ a: UnsafePointer<Float>, rows: Int, weights: [LinearWeight],
        into outs: [UnsafeMutablePointer<Float>]
    ) {
        if rows <= streamingRows {
            let f32 = weights.compactMap { if case .f32(let w) = $0 { w } else { nil } }
            let bf16 = weights.compactMap { if case .bf16(let w) = $0 { w } else { nil } }
            let int8 = weights.compactMap { if case .int8(let w) = $0 { w } else { nil } }
            switch weights.count {
            case f32.count: return fusedF32Linear(a, rows: rows, weights: f32, into: outs)
            case bf16.count: return streamingLinear(a, rows: rows, weights: bf16, into: outs)
            case int8.count: return streamingLinear(a, rows: rows, weights: int8, into: outs)
            default: break
            }
        }
        for (weight, out) in zip(weights, outs) {
            singleLinear(a, rows: rows, weight: weight, bias: nil, into: out)
        }
    }

    /// Splits the outputs of weights sharing a `[rows, k]` input, laid end to end (`sizes[i]`
    /// each), across the cores as `splitOutputs` does, and calls `body(i, range)` on each core
    /// with the outputs of weight `i` that its share covers.
    private static func splitOutputs(
        rows: Int, sizes: [Int], k: Int, _ body: (Int, Range<Int>) -> Void
    ) {
        splitOutputs(rows: rows, n: sizes.reduce(0, +), k: k) { share in
            var offset = 0
            for (i, size) in sizes.enumerated() {
                let lower = max(share.lowerBound, offset)
                let upper = min(share.upperBound, offset + size)
                if lower < upper { body(i, (lower - offset)..<(upper - offset)) }
                offset += size
            }
        }
    }

    /// float32 weights sharing an input, as one split of their outputs laid end to end.
    private static func fusedF32Linear(
        _ a: UnsafePointer<Float>, rows: Int, weights: [Tensor],
        into outs: [UnsafeMutablePointer<Float>]
    ) {
        let sizes = weights.map { $0.shape[0] }, k = weights[0].shape[1]
        let sources = UnsafeSendable(weights.map(\.pointer)), targets = UnsafeSendable(outs)
        splitOutputs(rows: rows, sizes: sizes, k: k) { i, range in
            f32Product(
                a, rows: rows, weight: sources.pointer[i], n: sizes[i], k: k, outputs: range,
                into: targets.pointer[i])
        }
    }

    private static func compactLinear<Weight: CompactWeight>(
        _ a: UnsafePointer<Float>, rows: Int, weight: Weight, bias: Tensor?,
        into out: UnsafeMutablePointer<Float>
    ) {
        precondition(weight.shape.count == 2, "linear weight must be 2-D, got \(weight.shape)")
        guard rows > 0 else { return }
        if rows <= streamingRows {
            streamingLinear(a, rows: rows, weights: [weight], into: [out])
        } else {
            blockedLinear(a, rows: rows, weight: weight, into: out)
        }
        if let bias { addBias(bias, rows: rows, n: weight.shape[0], into: out) }
    }

    /// Few rows: each weight row is read from memory once and multiplied with every input row
    /// from registers (the C kernels); the outputs of all `weights` (one input width), laid end
    /// to end, are split across `BLASThreads.current` cores, one contiguous share each (smaller
    /// chunks per core stream no faster, and would run on every core whatever the share of
    /// cores `convert --jobs` gave this product).
    private static func streamingLinear<Weight: CompactWeight>(
        _ a: UnsafePointer<Float>, rows: Int, weights: [Weight],
        into outs: [UnsafeMutablePointer<Float>]
    ) {
        let sizes = weights.map { $0.shape[0] }
        let input = weights[0].streamingInput(a, rows: rows), outputs = UnsafeSendable(outs)
        splitOutputs(rows: rows, sizes: sizes, k: weights[0].shape[1]) { i, range in
            weights[i].product(input, rows: rows, outputs: range, into: outputs.pointer[i])
        }
    }

    /// Many rows (prefill, vision): up to `gemmKernelRows`, each worker multiplies its share of
    /// the weight rows with the C GEMM kernel, which widens the weights on the fly into the
    /// panels it multiplies (expanding whole blocks to float32 for a 256-bit `sgemm` would
    /// write and re-read every weight as float32 beyond the caches, which few rows do not
    /// amortise). Above it, without AVX2, or where `expandsForSgemm`, each worker expands blocks of its share to float32 in its own
    /// reused scratch and lets a single-threaded `sgemm` multiply each block, with no barrier
    /// between expansion and product. Blocks fill `expandedBlockBytes` (at least 256 rows): a
    /// narrow block leaves `sgemm` a short N, on which it loses efficiency.
    private static func blockedLinear<Weight: CompactWeight>(
        _ a: UnsafePointer<Float>, rows: Int, weight: Weight,
        into out: UnsafeMutablePointer<Float>
    ) {
        if weight.multiplyNatively(a, rows: rows, into: out) { return }
        let n = weight.shape[0], k = weight.shape[1]
        let output = UnsafeSendable(out)
        if rows <= gemmKernelRows && KernelLevel.allows(PALI_ISA_AVX2) && !expandsForSgemm {
            splitOutputs(rows: rows, n: n, k: k) { outputs in
                let scratch = ExpansionScratch.current(
                    capacity: pali_compact_gemm_scratch_floats())
                weight.multiply(
                    a, rows: rows, outputs: outputs, into: output.pointer, scratch: scratch)
            }
            return
        }
        splitOutputs(rows: rows, n: n, k: k) { outputs in
            let block = min(outputs.count, max(256, expandedBlockBytes / (4 * k)))
            let scratch = ExpansionScratch.current(capacity: block * k)  // [block, k]
            for first in stride(from: outputs.lowerBound, to: outputs.upperBound, by: block) {
                let count = min(block, outputs.upperBound - first)
                weight.expand(rows: first..<first + count, into: scratch)
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(count), Int32(k),
                    1, a, Int32(k), scratch, Int32(k), 0, output.pointer + first, Int32(n))
            }
        }
    }
}
