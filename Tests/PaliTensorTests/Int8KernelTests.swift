import CPaliKernels
import PaliTensor
import Foundation
import Testing
import PaliTestSupport

/// The int8 × int16 decode kernel called directly: on every kernel level it must equal an
/// exact integer product computed here, `Float(Σ w·q) · (weight scale · activation scale)`, bit
/// for bit, for every row count it serves (1…8), `k` with and without a partial last chunk of
/// 32 columns, and output ranges that start and end off the kernel's weight-row blocking.
@Suite struct Int8KernelTests {
    /// `k`: a single column, a partial chunk only, whole chunks (1152 = 36 · 32), and whole
    /// chunks plus a 16-column tail (4304, SigLIP's MLP width).
    @Test(arguments: [1, 37, 1152, 4304])
    func everyLevelEqualsTheExactIntegerProduct(k: Int) {
        var random = SeededRandom(seed: UInt64(k))
        let n = 13
        let ranges = [0..<3, 3..<10, 10..<13]  // widths 3, 7, 3: no block width divides all
        let (w, scales) = Self.randomWeights(&random, n: n, k: k)
        for rows in 1...8 {
            let a = random.values(rows * k, scale: 4)  // [rows, k]
            let expected = Self.exactProduct(w, scales: scales, a: a, rows: rows, n: n, k: k)
            KernelLevels.each { level in
                let out = Self.product(w, scales: scales, a: a, rows: rows, n: n, k: k,
                    ranges: ranges)
                #expect(out == expected, "k \(k), rows \(rows), kernel level \(level)")
            }
        }
    }

    /// Every product at its largest magnitude (127 · 32767) over 9216 columns (several
    /// accumulator flushes of the several-row kernel) and 40000 (two of the one-row kernel's,
    /// whose four accumulators each take a quarter of the steps): the int32 lanes must not
    /// overflow.
    @Test(arguments: [(1, 9216), (2, 9216), (1, 40000)])
    func largestProductsDoNotOverflow(rows: Int, k: Int) {
        let n = 2
        let w = (0..<n * k).map { $0 < k ? Int8(127) : Int8(-127) }  // [n, k]
        let a = (0..<rows * k).map { $0 < k ? Float(3) : Float(-3) }  // [rows, k]: q = ±32767
        let largest = Float(127 * 32767 * k) * (Float(3) / 32767)
        let expected = [largest, -largest, -largest, largest]  // [2, n]
        KernelLevels.each { level in
            let out = Self.product(w, scales: [1, 1], a: a, rows: rows, n: n, k: k,
                ranges: [0..<n])
            #expect(out == Array(expected.prefix(rows * n)), "kernel level \(level)")
        }
    }

    /// The many-row AVX-512 VNNI kernel called directly: bit for bit the exact integer product,
    /// for row counts around its 16- and 32-row blocks, `k` odd, even and spanning several
    /// 512-column runs, and output ranges off its 12-row weight tiles.
    @Test(arguments: [(9, 37), (17, 1152), (33, 301), (70, 4304), (100, 1)])
    func vnniManyRowsEqualTheExactIntegerProduct(rows: Int, k: Int) {
        guard KernelLevels.supports(.avx512VNNI) else { return }
        var random = SeededRandom(seed: UInt64(rows * 7 + k))
        let n = 29
        let ranges = [0..<5, 5..<18, 18..<29]  // widths 5, 13, 11: partial 12-row tiles
        let (w, scales) = Self.randomWeights(&random, n: n, k: k)
        let a = random.values(rows * k, scale: 4)  // [rows, k]
        let expected = Self.exactProduct(w, scales: scales, a: a, rows: rows, n: n, k: k)
        let out = Self.vnniProduct(w, scales: scales, a: a, rows: rows, n: n, k: k, ranges: ranges)
        #expect(out == expected, "rows \(rows), k \(k)")
    }

    /// The many-row kernel at the largest magnitudes over 9216 columns (18 runs of 512): its
    /// int32 lanes must not overflow.
    @Test func vnniLargestProductsDoNotOverflow() {
        guard KernelLevels.supports(.avx512VNNI) else { return }
        let rows = 20, n = 2, k = 9216
        let w = (0..<n * k).map { $0 < k ? Int8(127) : Int8(-127) }  // [n, k]
        // [rows, k]: q = ±32767, rows alternating in sign.
        let a = (0..<rows * k).map { ($0 / k) % 2 == 0 ? Float(3) : Float(-3) }
        let largest = Float(127 * 32767 * k) * (Float(3) / 32767)
        let expected = (0..<rows).flatMap { r in
            r % 2 == 0 ? [largest, -largest] : [-largest, largest]
        }
        let out = Self.vnniProduct(w, scales: [1, 1], a: a, rows: rows, n: n, k: k, ranges: [0..<n])
        #expect(out == expected)
    }

    /// `[n, k]` weights in [-127, 127], each row reaching ±127 as quantised weights do, and their
    /// `[n]` positive scales.
    static func randomWeights(_ random: inout SeededRandom, n: Int, k: Int) -> ([Int8], [Float]) {
        var w = (0..<n * k).map { _ in Int8(random.next(255) - 127) }  // [n, k]
        for j in 0..<n { w[j * k + random.next(k)] = j % 2 == 0 ? 127 : -127 }
        let scales = random.values(n).map { abs($0) + 0.01 }  // [n]
        return (w, scales)
    }

    /// `out[rows, n]` = `Float(Σ w·q) · (weight scale · activation scale)`, summed exactly in
    /// `Int64` over `a` quantised as `quantizedRows` does.
    static func exactProduct(
        _ w: [Int8], scales: [Float], a: [Float], rows: Int, n: Int, k: Int
    ) -> [Float] {
        let (q, qScales) = quantizedRows(a, rows: rows, k: k)
        var expected = [Float](repeating: 0, count: rows * n)  // [rows, n]
        for r in 0..<rows {
            for j in 0..<n {
                var total: Int64 = 0
                for p in 0..<k { total += Int64(w[j * k + p]) * q[r * k + p] }
                expected[r * n + j] = Float(total) * (scales[j] * qScales[r])
            }
        }
        return expected
    }

    /// `out[rows, n]` from the many-row VNNI kernel: activations packed, then one call per range.
    static func vnniProduct(
        _ w: [Int8], scales: [Float], a: [Float], rows: Int, n: Int, k: Int,
        ranges: [Range<Int>]
    ) -> [Float] {
        let blocks = (rows + 31) / 32
        // [blocks, ⌈k / 2⌉, 32] pairs, on a cache line (the kernel's aligned loads).
        let packed = UnsafeMutableRawPointer.allocate(
            byteCount: 4 * pali_int16_pairs_count(rows, k), alignment: 64)
        let scratch = UnsafeMutableRawPointer.allocate(
            byteCount: pali_int8_gemm_vnni_scratch_bytes(k), alignment: 64)
        defer {
            packed.deallocate()
            scratch.deallocate()
        }
        let pairs = packed.bindMemory(to: Int32.self, capacity: pali_int16_pairs_count(rows, k))
        var qScales = [Float](repeating: 0, count: blocks * 32)  // [blocks · 32]
        pali_int16_quantize_pairs(a, rows, k, 0, blocks, pairs, &qScales)
        var out = [Float](repeating: .nan, count: rows * n)  // [rows, n]
        for range in ranges {
            pali_int8_gemm_vnni_range(
                w, scales, pairs, qScales, &out, rows, n, k, range.lowerBound, range.upperBound,
                scratch)
        }
        return out
    }

    /// `out[rows, n]` from the C kernels: activations quantised, then one call per range.
    static func product(
        _ w: [Int8], scales: [Float], a: [Float], rows: Int, n: Int, k: Int,
        ranges: [Range<Int>]
    ) -> [Float] {
        var q = [Int16](repeating: 0, count: rows * k)  // [rows, k] in the kernel's layout
        var qScales = [Float](repeating: 0, count: rows)  // [rows]
        pali_int16_quantize_rows(a, rows, k, &q, &qScales)
        var out = [Float](repeating: .nan, count: rows * n)  // [rows, n]
        for range in ranges {
            pali_int8_linear_range(
                w, scales, q, qScales, &out, rows, n, k, range.lowerBound, range.upperBound)
        }
        return out
    }

    /// Per row, `scale = absmax / limit` and `q = rint(x · limit / absmax)` clamped to
    /// ±limit, in column order, with the kernels' float operations (limit 32767: int16
    /// activations; 127: the 8-bit ones of w8a8).
    static func quantizedRows(
        _ a: [Float], rows: Int, k: Int, limit: Float = 32767
    ) -> ([Int64], [Float]) {
        var q = [Int64](repeating: 0, count: rows * k)  // [rows, k]
        var scales = [Float](repeating: 0, count: rows)  // [rows]
        for r in 0..<rows {
            let absmax = a[(r * k)..<((r + 1) * k)].map(abs).max()!
            scales[r] = absmax / limit
            let inverse = absmax > 0 ? limit / absmax : 0
            for p in 0..<k {
                let value = (a[r * k + p] * inverse).rounded(.toNearestOrEven)
                q[r * k + p] = Int64(min(max(value, -limit), limit))
            }
        }
        return (q, scales)
    }
}
