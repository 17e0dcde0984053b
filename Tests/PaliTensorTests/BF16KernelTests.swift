import CPaliKernels
import Foundation
import PaliTensor
import Testing
import PaliTestSupport

/// The bf16 decode kernels called directly, on every kernel level, against a double-precision
/// product of the widened weights: every row count they serve (1…8, and 9, which takes two
/// passes), `k` with and without partial column tiles and tails, and output ranges that start
/// and end off the kernels' groups of weight rows.
@Suite struct BF16KernelTests {
    /// `k`: a single column, a tail only, two column tiles of 512 plus a partial one and a
    /// 3-column tail (1043), whole tiles plus a partial one (1152), and SigLIP's MLP width
    /// (4304: 8 tiles plus 208 columns, half a cache line past the last whole one).
    @Test(arguments: [1, 37, 1043, 1152, 4304])
    func everyLevelMatchesTheWidenedProduct(k: Int) {
        var random = SeededRandom(seed: UInt64(k))
        let n = 29
        // Widths 3, 7, 19: no group width (4, or 12 in blocks of 3) divides all.
        let ranges = [0..<3, 3..<10, 10..<29]
        let w = BF16Matrix(Tensor(shape: [n, k], values: random.values(n * k)))  // [n, k]
        let bias = [Float](repeating: 0, count: n)  // [n]
        for rows in 1...9 {
            let a = random.values(rows * k)  // [rows, k]
            KernelLevels.each { level in
                // [rows, k] in the order of this level's kernel.
                var x = [Float](repeating: .nan, count: rows * k)
                pali_bf16_arrange_rows(a, rows, k, &x)
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

    /// The many-row AVX512_BF16 kernel called directly (on any CPU with the extension, wherever
    /// the engine uses it): within 1e-5 of the double-precision product (its bf16 hi + lo
    /// activations carry 16 significand bits), for row counts around its 16- and 32-row blocks,
    /// `k` spanning several cache lines, and output ranges off its 12-row weight tiles.
    @Test(arguments: [(9, 38), (17, 1152), (33, 300), (70, 4304)])
    func bf16DotManyRowsMatchTheProduct(rows: Int, k: Int) {
        guard KernelLevels.supports(.avx512BF16) else { return }
        var random = SeededRandom(seed: UInt64(rows * 3 + k))
        let n = 29
        let ranges = [0..<5, 5..<18, 18..<29]  // widths 5, 13, 11: partial 12-row tiles
        let w = BF16Matrix(Tensor(shape: [n, k], values: random.values(n * k)))  // [n, k]
        let a = random.values(rows * k)  // [rows, k]
        let count = pali_bf16_pairs_count(rows, k)
        // [blocks, k / 2, 2, 32] bf16 pairs, on a cache line (the kernel's aligned loads).
        let packed = UnsafeMutableRawPointer.allocate(byteCount: 4 * count, alignment: 64)
            .bindMemory(to: UInt32.self, capacity: count)
        defer { packed.deallocate() }
        pali_bf16_split_pairs(a, rows, k, 0, (rows + 31) / 32, packed)
        var out = [Float](repeating: .nan, count: rows * n)  // [rows, n]
        withExtendedLifetime(w) {
            for range in ranges {
                pali_bf16_gemm_bf16dot_range(
                    w.pointer, packed, &out, rows, n, k, range.lowerBound, range.upperBound)
            }
        }
        let error = productError(
            out, a: a, weight: { w[$0] }, bias: [Float](repeating: 0, count: n), rows: rows, n: n,
            k: k)
        #expect(error < 1e-5, "rows \(rows), k \(k)")
    }
}
