import CPaliKernels
import Foundation
import PaliTestSupport
import Testing

@testable import PaliTensor

/// Runs a body once per instruction-set level of the C kernels that this CPU can execute,
/// printing each level it cannot run as skipped (by name, so a run on a smaller CPU says what it
/// did not test).
enum KernelLevels {
    static func each(_ body: (KernelLevel) -> Void) {
        KernelLevel.each(body, skipped: skip)
    }

    /// Whether this CPU runs `level`; when it does not, prints the level as skipped.
    static func supports(_ level: KernelLevel) -> Bool {
        if !level.isSupported { skip(level) }
        return level.isSupported
    }

    /// Says that a test did not run at `level`.
    static func skip(_ level: KernelLevel) {
        print("kernel level \(level) skipped: this CPU lacks it")
    }
}

/// The worst deviation of `out[rows, n]` from a double-precision `a[rows, k] · W[n, k]ᵀ + b`
/// over output `columns` (all by default), relative to the largest `Σ_p |a[r, p] · W[j, p]|`
/// (the scale of float32 rounding).
func productError(
    _ out: [Float], a: [Float], weight: (Int) -> Float, bias: [Float], rows: Int, n: Int, k: Int,
    columns: [Int]? = nil
) -> Double {
    var worst = 0.0, scale = 1e-30
    for r in 0..<rows {
        for j in columns ?? Array(0..<n) {
            var sum = Double(bias[j]), magnitude = abs(Double(bias[j]))
            for p in 0..<k {
                let term = Double(a[r * k + p]) * Double(weight(j * k + p))
                sum += term
                magnitude += abs(term)
            }
            worst = max(worst, abs(Double(out[r * n + j]) - sum))
            scale = max(scale, magnitude)
        }
    }
    return worst / scale
}

/// Shapes `(rows, n, k)` covering every streaming row count (1…8) with odd `k` tails and `n`
/// not a multiple of the weight-row blocking (101 outputs split over up to 16 core chunks
/// leave 6 or 7 per chunk: full blocks of 2, 3 or 4 weight rows and every narrower last one),
/// plus the many-row paths above 8 rows: the GEMM kernel (up to `Ops.gemmKernelRows`; row
/// counts off its 6-row micro-panels, outputs off its 16-row panels, and 300 × 800 for two row
/// blocks (264 + 36) and three column blocks (384 + 384 + 32)) and expansion + sgemm (600
/// rows, and every count without AVX2).
let compactProductShapes: [(Int, Int, Int)] =
    (1...8).flatMap { [($0, 7, 37), ($0, 101, 67), ($0, 1, 5)] } + [
        (8, 33, 64), (9, 300, 37), (40, 517, 48), (300, 37, 800), (600, 21, 45),
    ]

/// `(rows, n, k)` for which the many-row path spans several blocks (the GEMM kernel's 384-column
/// blocks of k; without AVX2, 16 MB of float32 scratch or at least 256 rows per block: 256
/// rows of 16384 here), and the output columns around the block boundary that are checked.
let multiBlockShape = (rows: 9, n: 261, k: 16384, columns: [0, 1, 254, 255, 256, 257, 260])

/// Checks `Ops.linear` on `multiBlockShape` at every kernel level against double precision:
/// `make` turns the random float32 weight into the weight under test and its element reader.
func expectMultiBlockProduct(_ make: (Tensor) -> (LinearWeight, (Int) -> Float)) {
    let (rows, n, k, columns) = multiBlockShape
    var random = SeededRandom(seed: 11)
    let a = random.values(rows * k)  // [rows, k]
    let (weight, element) = make(Tensor(shape: [n, k], values: random.values(n * k)))  // [n, k]
    let b = [Float](repeating: 0, count: n)  // [n]
    KernelLevels.each { level in
        var out = [Float](repeating: 0, count: rows * n)  // [rows, n]
        Ops.linear(a, rows: rows, weight: weight, into: &out)
        let error = productError(
            out, a: a, weight: element, bias: b, rows: rows, n: n, k: k, columns: columns)
        #expect(error < 1e-6, "kernel level \(level)")
    }
}
