import COpenBLAS
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
    /// while it sits in L1; output rows are split across the cores.
    private static func streamingLinear(
        _ a: UnsafePointer<Float>, rows: Int, weight: BF16Matrix,
        into out: UnsafeMutablePointer<Float>
    ) {
        let n = weight.shape[0], k = weight.shape[1]
        let w = weight.pointer, chunks = min(n, ProcessInfo.processInfo.activeProcessorCount * 8)
        let output = UnsafeMutableSendable(out), input = UnsafeSendable(a)
        let source = UnsafeSendable(w)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let first = n * chunk / chunks, end = n * (chunk + 1) / chunks
            for j in first..<end {
                let wRow = source.pointer + j * k
                for r in 0..<rows {
                    output.pointer[r * n + j] = dotBF16(wRow, input.pointer + r * k, count: k)
                }
            }
        }
    }

    /// `Σ w[i]·x[i]` with bf16 `w` widened exactly, 16 lanes of float32 partial sums.
    @inline(__always)
    private static func dotBF16(
        _ w: UnsafePointer<UInt16>, _ x: UnsafePointer<Float>, count: Int
    ) -> Float {
        var sum = SIMD16<Float>()
        let raw = UnsafeRawPointer(w), xs = UnsafeRawPointer(x)
        var i = 0
        while i + 16 <= count {
            let bits = raw.loadUnaligned(fromByteOffset: i * 2, as: SIMD16<UInt16>.self)
            let widened = SIMD16<UInt32>(truncatingIfNeeded: bits) &<< 16
            let values = unsafeBitCast(widened, to: SIMD16<Float>.self)
            sum += values * xs.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        var total = sum.sum()
        while i < count {
            total += Float(bitPattern: UInt32(w[i]) << 16) * x[i]
            i += 1
        }
        return total
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
            widen(weight.pointer + first * k, count: count * k, into: scratch)
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(count), Int32(k),
                1, a, Int32(k), scratch, Int32(k), 0, out + first, Int32(n))
            first += count
        }
    }

    /// bf16 → float32, exact (the bf16 bits are the float's upper half).
    private static func widen(
        _ source: UnsafePointer<UInt16>, count: Int, into out: UnsafeMutablePointer<Float>
    ) {
        let raw = UnsafeRawPointer(source), target = UnsafeMutableRawPointer(out)
        var i = 0
        while i + 16 <= count {
            let bits = raw.loadUnaligned(fromByteOffset: i * 2, as: SIMD16<UInt16>.self)
            target.storeBytes(
                of: SIMD16<UInt32>(truncatingIfNeeded: bits) &<< 16, toByteOffset: i * 4,
                as: SIMD16<UInt32>.self)
            i += 16
        }
        while i < count {
            out[i] = Float(bitPattern: UInt32(source[i]) << 16)
            i += 1
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
