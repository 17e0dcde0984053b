import CPaliKernels
import Foundation
import PaliTensor
import Testing
import PaliTestSupport

/// The bf16 decode kernel called directly, on every kernel level, against a double-precision
/// product of the widened weights: every row count it serves (1…8, and 9, which takes two
/// passes), `k` with and without partial column tiles and tails, and output ranges that start
/// and end off the kernel's groups of weight rows.
@Suite struct BF16KernelTests {
    /// `k`: a single column, a tail only, two column tiles of 512 plus a partial one and a
    /// 3-column tail (1043), whole tiles plus a partial one (1152), and SigLIP's MLP width
    /// (4304: 8 tiles plus 208 columns, half a cache line past the last whole one).
    @Test(arguments: [1, 37, 1043, 1152, 4304])
    func everyLevelMatchesTheWidenedProduct(k: Int) {
        var random = SeededRandom(seed: UInt64(k))
        let n = 13
        let ranges = [0..<3, 3..<10, 10..<13]  // widths 3, 7, 3: no group width divides all
        let w = BF16Matrix(Tensor(shape: [n, k], values: random.values(n * k)))  // [n, k]
        let bias = [Float](repeating: 0, count: n)  // [n]
        for rows in 1...9 {
            let a = random.values(rows * k)  // [rows, k]
            var x = [Float](repeating: .nan, count: rows * k)  // [rows, k], the kernel's order
            pali_bf16_arrange_rows(a, rows, k, &x)
            KernelLevels.each { level in
                var out = [Float](repeating: .nan, count: rows * n)  // [rows, n]
                withExtendedLifetime(w) {
                    for range in ranges {
                        pali_bf16_linear_range(
                            w.pointer, x, &out, rows, n, k, range.lowerBound, range.upperBound)
                    }
                }
                let error = productError(
                    out, a: a, weight: { w[$0] }, bias: bias, rows: rows, n: n, k: k)
                #expect(error < 1e-6, "k \(k), rows \(rows), kernel level \(level)")
            }
        }
    }
}
