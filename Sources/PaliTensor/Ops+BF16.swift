import COpenBLAS
import CPaliKernels
import Foundation

extension Ops {
    /// Rows up to which a bf16 product streams the weights once (decode steps, small
    /// batches); above it the weights are widened in blocks and multiplied by `sgemm`.
    static let bf16StreamingRows = 8
    /// Output rows widened per block on the `sgemm` path (a few MB of float32 scratch).
    static let bf16BlockRows = 256

    /// `out[rows, n] = a[rows, k] · weight[n, k]ᵀ (+ bias[n])` for a float32 or bf16 weight;
    /// accumulation is float32 either way, so bf16 weights differ from their float32
    /// widening only in summation order.
    public static func linear(
        _ a: UnsafePointer<Float>, rows: Int, weight: LinearWeight, bias: Tensor? = nil,
        into out: UnsafeMutablePointer<Float>
    ) {
        switch weight {
        case .f32(let tensor):
            linear(a, rows: rows, weight: tensor, bias: bias, into: out)
        case .bf16(let matrix):
            precondition(matrix.shape.count == 2, "linear weight must be 2-D, got \(matrix.shape)")
            guard rows > 0 else { return }
            if rows <= bf16StreamingRows {
                streamingLinear(a, rows: rows, weight: matrix, into: out)
            } else {
                blockedLinear(a, rows: rows, weight: matrix, into: out)
            }
            if let bias {
                let n = matrix.shape[0]
                precondition(bias.count == n, "bias has \(bias.count) values for \(n) outputs")
                for r in 0..<rows {
                    let row = out + r * n
                    for j in 0..<n { row[j] += bias.pointer[j] }
                }
            }
        }
    }

    /// Few rows: each weight row is read from memory once and dotted with every input row
    /// while it sits in L1 (the C kernel); output rows are split across the cores.
    private static func streamingLinear(
        _ a: UnsafePointer<Float>, rows: Int, weight: BF16Matrix,
        into out: UnsafeMutablePointer<Float>
    ) {
        let n = weight.shape[0], k = weight.shape[1]
        let chunks = min(n, ProcessInfo.processInfo.activeProcessorCount * 8)
        let output = UnsafeMutableSendable(out), input = UnsafeSendable(a)
        let source = UnsafeSendable(weight.pointer)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            pali_bf16_linear_range(
                source.pointer, input.pointer, output.pointer, rows, n, k, n * chunk / chunks,
                n * (chunk + 1) / chunks)
        }
    }

    /// Many rows (prefill): widen `bf16BlockRows` weight rows at a time into float32 scratch
    /// and let `sgemm` multiply the block, so compute runs at the float32 GEMM rate.
    private static func blockedLinear(
        _ a: UnsafePointer<Float>, rows: Int, weight: BF16Matrix,
        into out: UnsafeMutablePointer<Float>
    ) {
        let n = weight.shape[0], k = weight.shape[1]
        let block = min(bf16BlockRows, n)
        // [block, k]
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: block * k)
        defer { scratch.deallocate() }
        var first = 0
        while first < n {
            let count = min(block, n - first)
            pali_bf16_widen(weight.pointer + first * k, scratch, count * k)
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(count), Int32(k),
                1, a, Int32(k), scratch, Int32(k), 0, out + first, Int32(n))
            first += count
        }
    }
}

/// A pointer handed to `concurrentPerform` workers that touch disjoint elements.
private struct UnsafeMutableSendable<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}

/// A read-only pointer handed to `concurrentPerform` workers.
private struct UnsafeSendable<T>: @unchecked Sendable {
    let pointer: UnsafePointer<T>
    init(_ pointer: UnsafePointer<T>) { self.pointer = pointer }
}
