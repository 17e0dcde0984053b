import CPaliKernels
import Foundation
import PaliTensor
import Testing
import PaliTestSupport

/// The float32 batched-decode kernel called directly, on every kernel level, against a
/// double-precision product: the row counts it serves (2…8, 1 as a block of one, and 9, which
/// takes two passes), `k` with and without partial column tiles and tails, and output ranges
/// that start and end off the kernel's groups of weight rows.
@Suite struct F32KernelTests {
    /// `k`: a single column, a tail only, two column tiles of 512 plus a partial one and a
    /// 3-column tail (1043), and SigLIP's MLP width (4304: 8 tiles plus 208 columns).
    @Test(arguments: [1, 37, 1043, 4304])
    func everyLevelMatchesTheProduct(k: Int) {
        var random = SeededRandom(seed: UInt64(k) + 7)
        let n = 13
        let ranges = [0..<3, 3..<10, 10..<13]  // widths 3, 7, 3: no group width divides all
        let w = random.values(n * k)  // [n, k]
        let bias = [Float](repeating: 0, count: n)  // [n]
        for rows in 1...9 {
            let a = random.values(rows * k)  // [rows, k]
            KernelLevels.each { level in
                var out = [Float](repeating: .nan, count: rows * n)  // [rows, n]
                for range in ranges {
                    pali_f32_linear_range(
                        w, a, &out, rows, n, k, range.lowerBound, range.upperBound)
                }
                let error = productError(
                    out, a: a, weight: { w[$0] }, bias: bias, rows: rows, n: n, k: k)
                #expect(error < 1e-6, "k \(k), rows \(rows), kernel level \(level)")
            }
        }
    }
}
