import CPaliKernels
import PaliTensor
import Foundation
import Testing
import PaliTestSupport

/// The u8 × s8 kernels (8-bit activations, AVX-512 VNNI) called directly: the many-row kernel
/// bit for bit the exact integer product of the activations quantised to int8 as computed
/// here, for row counts around its 16- and 32-row blocks, several column counts and output
/// ranges off its 12-row weight tiles; the decode kernel (1–8 rows) bit for bit the many-row
/// kernel's values, column counts on and off its 64-byte steps; no overflow at the largest
/// magnitudes; and the deviation from the float32 product within what 8-bit activations allow.
@Suite struct Int8EightBitKernelTests {
    @Test(arguments: [(9, 36), (17, 1152), (33, 300), (70, 4304), (100, 4)])
    func equalsTheExactIntegerProduct(rows: Int, k: Int) {
        guard KernelLevels.supports(.avx512VNNI) else { return }
        var random = SeededRandom(seed: UInt64(rows * 11 + k))
        let n = 29
        let ranges = [0..<5, 5..<18, 18..<29]  // widths 5, 13, 11: partial 12-row tiles
        let (w, scales) = Int8KernelTests.randomWeights(&random, n: n, k: k)
        let a = random.values(rows * k, scale: 4)  // [rows, k]
        let (q, qScales) = Int8KernelTests.quantizedRows(a, rows: rows, k: k, limit: 127)
        var expected = [Float](repeating: 0, count: rows * n)  // [rows, n]
        for r in 0..<rows {
            for j in 0..<n {
                var total: Int64 = 0
                for p in 0..<k { total += Int64(w[j * k + p]) * q[r * k + p] }
                expected[r * n + j] = Float(total) * (scales[j] * qScales[r])
            }
        }
        let out = Self.product(w, scales: scales, a: a, rows: rows, n: n, k: k, ranges: ranges)
        #expect(out == expected, "rows \(rows), k \(k)")
    }

    /// A decode step's rows give each row the many-row kernel's value, whatever the row count.
    @Test(arguments: [36, 100, 1152, 2308, 4304])
    func decodeRowsEqualTheManyRowProduct(k: Int) {
        guard KernelLevels.supports(.avx512VNNI) else { return }
        var random = SeededRandom(seed: UInt64(k))
        let n = 29
        let ranges = [0..<4, 4..<18, 18..<29]  // widths 4, 14, 11: partial 3-row weight groups
        let (w, scales) = Int8KernelTests.randomWeights(&random, n: n, k: k)
        let a = random.values(8 * k, scale: 4)  // [8, k]
        let expected = Self.product(w, scales: scales, a: a, rows: 8, n: n, k: k, ranges: [0..<n])
        for rows in 1...8 {
            let out = Self.decodeProduct(
                w, scales: scales, a: Array(a[0..<rows * k]), rows: rows, n: n, k: k,
                ranges: ranges)
            #expect(out == Array(expected[0..<rows * n]), "rows \(rows), k \(k)")
        }
    }

    /// 65536 columns (16384 quads, the most one int32 lane holds) of 127 × ±127, on the
    /// many-row, several-row and one-row kernels.
    @Test func largestProductsDoNotOverflow() {
        guard KernelLevels.supports(.avx512VNNI) else { return }
        let rows = 2, n = 2, k = 65536
        #expect(pali_u8_activations_fit(k) != 0 && pali_u8_activations_fit(k + 4) == 0)
        let w = (0..<n * k).map { $0 < k ? Int8(127) : Int8(-127) }  // [n, k]
        let a = (0..<rows * k).map { $0 < k ? Float(3) : Float(-3) }  // [rows, k]: q = ±127
        let largest = Float(127 * 127 * k) * (Float(3) / 127)
        let out = Self.product(w, scales: [1, 1], a: a, rows: rows, n: n, k: k, ranges: [0..<n])
        #expect(out == [largest, -largest, -largest, largest])
        let decoded = Self.decodeProduct(
            w, scales: [1, 1], a: a, rows: rows, n: n, k: k, ranges: [0..<n])
        #expect(decoded == [largest, -largest, -largest, largest])
        let single = Self.decodeProduct(  // one row: its own kernel
            w, scales: [1, 1], a: Array(a[0..<k]), rows: 1, n: n, k: k, ranges: [0..<n])
        #expect(single == [largest, -largest])
    }

    /// Against the float32 product of the dequantised weights: each output within the
    /// rounding of 8-bit activations, half a step (max |a_r| / 254) per column, summed.
    @Test func deviatesFromFloat32ByTheActivationRounding() {
        guard KernelLevels.supports(.avx512VNNI) else { return }
        var random = SeededRandom(seed: 5)
        let rows = 40, n = 16, k = 1152
        let (w, scales) = Int8KernelTests.randomWeights(&random, n: n, k: k)
        let a = random.values(rows * k, scale: 2)  // [rows, k]
        let out = Self.product(w, scales: scales, a: a, rows: rows, n: n, k: k, ranges: [0..<n])
        for r in 0..<rows {
            let absmax = a[(r * k)..<((r + 1) * k)].map { Double(abs($0)) }.max()!
            for j in 0..<n {
                var exact = 0.0, bound = 0.0
                for p in 0..<k {
                    let weight = Double(scales[j]) * Double(w[j * k + p])
                    exact += weight * Double(a[r * k + p])
                    bound += abs(weight) * absmax / 254
                }
                #expect(abs(Double(out[r * n + j]) - exact) <= bound * 1.0001 + 1e-6)
            }
        }
    }

    /// `out[rows, n]` from the u8 × s8 decode kernel (rows ≤ 8): activations quantised row by
    /// row, then one call per range.
    static func decodeProduct(
        _ w: [Int8], scales: [Float], a: [Float], rows: Int, n: Int, k: Int,
        ranges: [Range<Int>]
    ) -> [Float] {
        rowMajorProduct(w, a: a, rows: rows, n: n, k: k, ranges: ranges) {
            u, qScales, sums, out, range in
            pali_int8_u8_rows_range(
                w, scales, sums, u, qScales, &out, rows, n, k, range.lowerBound, range.upperBound)
        }
    }

    /// `out[rows, n]` from `call` once per range, given the activations quantised row by row
    /// (`pali_u8_quantize_rows`: u [rows, k] = q + 128, their scales [rows]) and the weights'
    /// row sums [n].
    static func rowMajorProduct(
        _ w: [Int8], a: [Float], rows: Int, n: Int, k: Int, ranges: [Range<Int>],
        call: (
            _ u: [UInt8], _ qScales: [Float], _ sums: [Int32], _ out: inout [Float],
            _ range: Range<Int>
        ) -> Void
    ) -> [Float] {
        var u = [UInt8](repeating: 0, count: rows * k)  // [rows, k]
        var qScales = [Float](repeating: 0, count: rows)  // [rows]
        pali_u8_quantize_rows(a, rows, k, &u, &qScales)
        var sums = [Int32](repeating: 0, count: n)  // [n]
        pali_int8_row_sums(w, n, k, &sums)
        var out = [Float](repeating: .nan, count: rows * n)  // [rows, n]
        for range in ranges { call(u, qScales, sums, &out, range) }
        return out
    }

    /// `out[rows, n]` from the u8 × s8 kernel: activations packed, then one call per range.
    static func product(
        _ w: [Int8], scales: [Float], a: [Float], rows: Int, n: Int, k: Int,
        ranges: [Range<Int>]
    ) -> [Float] {
        let blocks = (rows + 31) / 32, count = pali_u8_quads_count(rows, k)
        // [blocks, k / 4, 32] quads, on a cache line (the kernel's aligned loads).
        let raw = UnsafeMutableRawPointer.allocate(byteCount: 4 * count, alignment: 64)
        defer { raw.deallocate() }
        let packed = raw.bindMemory(to: Int32.self, capacity: count)
        var qScales = [Float](repeating: 0, count: blocks * 32)  // [blocks · 32]
        pali_u8_quantize_quads(a, rows, k, 0, blocks, packed, &qScales)
        var sums = [Int32](repeating: 0, count: n)  // [n]
        pali_int8_row_sums(w, n, k, &sums)
        var out = [Float](repeating: .nan, count: rows * n)  // [rows, n]
        for range in ranges {
            pali_int8_gemm_u8s8_range(
                w, scales, sums, packed, qScales, &out, rows, n, k, range.lowerBound,
                range.upperBound)
        }
        return out
    }
}
