import COpenBLAS
import Foundation

extension Ops {
    /// Rows up to which a compact (bf16, int8) product streams the weights once (decode
    /// steps, batched decode); above it the weights are expanded in blocks and multiplied by
    /// `sgemm`.
    static let streamingRows = 8
    /// Bytes of float32 scratch the `sgemm` path expands weights into per block.
    static let expandedBlockBytes = 16 << 20

    /// `out[rows, n] = a[rows, k] · weight[n, k]ᵀ (+ bias[n])` for a float32, bf16 or int8
    /// weight; accumulation is float32 in every case, so a compact weight differs from its
    /// float32 expansion only in summation order.
    public static func linear(
        _ a: UnsafePointer<Float>, rows: Int, weight: LinearWeight, bias: Tensor? = nil,
        into out: UnsafeMutablePointer<Float>
    ) {
        switch weight {
        case .f32(let tensor):
            linear(a, rows: rows, weight: tensor, bias: bias, into: out)
        case .bf16(let matrix):
            compactLinear(a, rows: rows, weight: matrix, bias: bias, into: out)
        case .int8(let matrix):
            compactLinear(a, rows: rows, weight: matrix, bias: bias, into: out)
        }
    }

    private static func compactLinear<Weight: CompactWeight>(
        _ a: UnsafePointer<Float>, rows: Int, weight: Weight, bias: Tensor?,
        into out: UnsafeMutablePointer<Float>
    ) {
        precondition(weight.shape.count == 2, "linear weight must be 2-D, got \(weight.shape)")
        guard rows > 0 else { return }
        if rows <= streamingRows {
            streamingLinear(a, rows: rows, weight: weight, into: out)
        } else {
            blockedLinear(a, rows: rows, weight: weight, into: out)
        }
        if let bias {
            let n = weight.shape[0]
            precondition(bias.count == n, "bias has \(bias.count) values for \(n) outputs")
            for r in 0..<rows {
                let row = out + r * n
                for j in 0..<n { row[j] += bias.pointer[j] }
            }
        }
    }

    /// Few rows: each weight row is read from memory once and multiplied with every input row
    /// from registers (the C kernels); output rows are split across the cores.
    private static func streamingLinear<Weight: CompactWeight>(
        _ a: UnsafePointer<Float>, rows: Int, weight: Weight,
        into out: UnsafeMutablePointer<Float>
    ) {
        let n = weight.shape[0]
        let chunks = min(n, ProcessInfo.processInfo.activeProcessorCount * 8)
        let output = UnsafeSendable(out), input = weight.streamingInput(a, rows: rows)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            weight.product(
                input, rows: rows, outputs: n * chunk / chunks..<n * (chunk + 1) / chunks,
                into: output.pointer)
        }
    }

    /// Many rows (prefill): each worker expands blocks of its share of the weight rows to
    /// float32 in its own reused scratch and lets a single-threaded `sgemm` multiply each
    /// block, so compute runs at the float32 GEMM rate with no barrier between expansion and
    /// product. Blocks fill `expandedBlockBytes` (at least 256 rows): a narrow block leaves
    /// `sgemm` a short N, on which it loses efficiency.
    private static func blockedLinear<Weight: CompactWeight>(
        _ a: UnsafePointer<Float>, rows: Int, weight: Weight,
        into out: UnsafeMutablePointer<Float>
    ) {
        let n = weight.shape[0], k = weight.shape[1]
        let output = UnsafeSendable(out)
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
