import CPaliKernels
import Foundation
import PaliTestSupport
import Synchronization
import Testing

@testable import PaliTensor

/// Many-row products through oneDNN (the path CPUs with AMX take). int8: oneDNN's integer
/// sums, scaled by palidoc, must give the own kernels' outputs bit for bit — for 8-bit
/// activations and for int16 ones split into two byte planes, products split into several
/// calls, column counts off every blocking, output ranges off 16-row boundaries, and the
/// largest magnitudes. bf16: within float32 rounding of the product, as the own kernel. Run
/// here on AVX-512 VNNI (oneDNN's VNNI kernels sum exactly too); on a CPU with AMX the `amx`
/// level runs the same checks on the tiles.
@Suite struct OneDNNProductTests {
    @Test(arguments: [(9, 36), (33, 300), (300, 1152), (513, 4304)])
    func eightBitActivationsEqualTheOwnKernel(rows: Int, k: Int) {
        guard Self.available() else { return }
        var random = SeededRandom(seed: UInt64(rows * 13 + k))
        let n = 29
        let ranges = [0..<5, 5..<18, 18..<29]
        let (w, scales) = Int8KernelTests.randomWeights(&random, n: n, k: k)
        let a = random.values(rows * k, scale: 4)  // [rows, k]
        let expected = Int8EightBitKernelTests.product(
            w, scales: scales, a: a, rows: rows, n: n, k: k, ranges: ranges)
        let out = Self.eightBitProduct(
            w, scales: scales, a: a, rows: rows, n: n, k: k, ranges: ranges)
        #expect(out == expected, "rows \(rows), k \(k)")
    }

    @Test(arguments: [(9, 37), (33, 301), (300, 1152), (513, 4304)])
    func int16ActivationsEqualTheExactIntegerProduct(rows: Int, k: Int) {
        guard Self.available() else { return }
        var random = SeededRandom(seed: UInt64(rows * 17 + k))
        let n = 29
        let (w, scales) = Int8KernelTests.randomWeights(&random, n: n, k: k)
        let a = random.values(rows * k, scale: 4)  // [rows, k]
        let expected = Int8KernelTests.exactProduct(w, scales: scales, a: a, rows: rows, n: n, k: k)
        #expect(Self.int16Product(w, scales: scales, a: a, rows: rows, n: n, k: k) == expected)
    }

    /// Rows and outputs whose sums exceed what one oneDNN call buffers: several calls, both
    /// activation kinds, the own kernels' outputs.
    @Test func manyCallsEqualTheOwnKernels() {
        guard Self.available() else { return }
        var random = SeededRandom(seed: 8)
        let rows = 1100, n = 12000, k = 36
        let (w, scales) = Int8KernelTests.randomWeights(&random, n: n, k: k)
        let a = random.values(rows * k, scale: 4)  // [rows, k]
        let ranges = [0..<n]
        let eightBit = Self.eightBitProduct(
            w, scales: scales, a: a, rows: rows, n: n, k: k, ranges: ranges)
        #expect(
            eightBit
                == Int8EightBitKernelTests.product(
                    w, scales: scales, a: a, rows: rows, n: n, k: k, ranges: ranges))
        #expect(
            Self.int16Product(w, scales: scales, a: a, rows: rows, n: n, k: k)
                == Int8KernelTests.vnniProduct(
                    w, scales: scales, a: a, rows: rows, n: n, k: k, ranges: ranges))
    }

    /// ±32767 × ±127 over 9216 columns: the two byte planes' int32 sums and their combination
    /// must not overflow.
    @Test func largestInt16ProductsDoNotOverflow() {
        guard Self.available() else { return }
        let rows = 20, n = 2, k = 9216
        let w = (0..<n * k).map { $0 < k ? Int8(127) : Int8(-127) }  // [n, k]
        let a = (0..<rows * k).map { ($0 / k) % 2 == 0 ? Float(3) : Float(-3) }  // q = ±32767
        let largest = Float(127 * 32767 * k) * (Float(3) / 32767)
        let expected = (0..<rows).flatMap { r in
            r % 2 == 0 ? [largest, -largest] : [-largest, largest]
        }
        #expect(Self.int16Product(w, scales: [1, 1], a: a, rows: rows, n: n, k: k) == expected)
    }

    /// bf16 weights: oneDNN's float32 sums of the two bf16 parts of the activations stay within
    /// 1e-5 of the double-precision product, as the own AVX512_BF16 kernel's do.
    @Test(arguments: [(9, 38), (33, 300), (300, 1152), (513, 4304)])
    func bf16PartsMatchTheProduct(rows: Int, k: Int) {
        guard Self.available(), Self.runsBF16() else { return }
        var random = SeededRandom(seed: UInt64(rows * 19 + k))
        let n = 29
        let w = BF16Matrix(Tensor(shape: [n, k], values: random.values(n * k)))  // [n, k]
        let a = random.values(rows * k)  // [rows, k]
        var high = [UInt16](repeating: 0, count: rows * k)  // [rows, k]
        var low = [UInt16](repeating: 0, count: rows * k)  // [rows, k]
        pali_bf16_split_rows(a, k, 0, rows, &high, &low)
        var out = [Float](repeating: .nan, count: rows * n)  // [rows, n]
        withExtendedLifetime(w) {
            for range in [0..<5, 5..<18, 18..<29] {
                let status = pali_onednn_bf16_range(
                    w.pointer, high, low, &out, rows, n, k, range.lowerBound, range.upperBound)
                #expect(status == 0)
            }
        }
        let error = productError(
            out, a: a, weight: { w[$0] }, bias: [Float](repeating: 0, count: n), rows: rows, n: n,
            k: k)
        #expect(error < 1e-5, "rows \(rows), k \(k)")
    }

    /// `Ops.linear` routed through oneDNN gives the own kernels' outputs, for both activation
    /// kinds and for bf16 weights, and oneDNN did compute them.
    @Test func linearEqualsTheOwnKernels() {
        guard Self.available() else { return }
        let n = 300, k = 1152, rows = 270
        let before = OneDNNProducts.completed.load(ordering: .relaxed)
        Self.compareWithTheOwnKernels(seed: 5, n: n, k: k, rows: rows) { product in
            OneDNNProducts.routing(.always) { KernelLevel.run(at: .avx512VNNI) { product() } }
        }
        #expect(OneDNNProducts.completed.load(ordering: .relaxed) >= before + 2)
        guard Self.runsBF16() else { return }
        var random = SeededRandom(seed: 7)
        let bf16 = BF16Matrix(Tensor(shape: [n, k], values: random.values(n * k)))  // [n, k]
        let a = random.values(rows * k)  // [rows, k]
        var out = [Float](repeating: 0, count: rows * n)  // [rows, n]
        OneDNNProducts.routing(.always) {
            Ops.linear(a, rows: rows, weight: .bf16(bf16), into: &out)
        }
        #expect(OneDNNProducts.completed.load(ordering: .relaxed) >= before + 3)
        let error = productError(
            out, a: a, weight: { bf16[$0] }, bias: [Float](repeating: 0, count: n), rows: rows,
            n: n, k: k)
        #expect(error < 1e-5)
    }

    /// Where palidoc finds no usable tiles (no AMX, or a virtual machine advertising AMX without a
    /// tile palette), oneDNN never runs on them either: its first tile instruction would fault.
    @Test func oneDNNStaysOffTilesPalidocCannotUse() {
        guard !KernelLevel.amx.isSupported, OneDNNProducts.failure == nil else { return }
        #expect(pali_onednn_runs_amx() == 0, "oneDNN runs \(OneDNNProducts.name)")
    }

    /// On a CPU with AMX, the `amx` level takes oneDNN's path (on the tiles) and gives the own
    /// `avx512-vnni` kernels' outputs.
    @Test func amxLevelEqualsTheVNNILevel() {
        guard KernelLevels.supports(.amx), Self.available() else { return }
        Self.compareWithTheOwnKernels(seed: 6, n: 100, k: 2304, rows: 300) { product in
            KernelLevel.run(at: .amx) { () -> [Float] in
                #expect(OneDNNProducts.runsOnTiles, "oneDNN runs \(OneDNNProducts.name)")
                return product()
            }
        }
    }

    /// For both activation kinds of a random int8 `[n, k]` matrix on `rows` random rows:
    /// expects `other` (which runs the product it is given its own way) to give the own
    /// avx512-vnni kernels' outputs bit for bit.
    static func compareWithTheOwnKernels(
        seed: UInt64, n: Int, k: Int, rows: Int, other: (() -> [Float]) -> [Float]
    ) {
        var random = SeededRandom(seed: seed)
        let w = Int8Matrix(Tensor(shape: [n, k], values: random.values(n * k)))  // [n, k]
        let a = random.values(rows * k)  // [rows, k]
        for matrix in [w, w.with(activations: .int8)] {
            func product() -> [Float] {
                var out = [Float](repeating: 0, count: rows * n)  // [rows, n]
                Ops.linear(a, rows: rows, weight: .int8(matrix), into: &out)
                return out
            }
            let own = OneDNNProducts.routing(.never) {
                KernelLevel.run(at: .avx512VNNI) { product() }
            }
            #expect(other(product) == own, "\(matrix.activations)")
        }
    }

    /// Whether oneDNN can be tested here: AVX-512 VNNI (oneDNN's sums below it are not exact) and
    /// the library loaded; otherwise says why not.
    static func available() -> Bool {
        guard KernelLevels.supports(.avx512VNNI) else { return false }
        if let failure = OneDNNProducts.failure {
            print("oneDNN products skipped: \(failure)")
            return false
        }
        guard pali_onednn_sums_exactly() != 0 else {
            print("oneDNN products skipped: \(OneDNNProducts.name) does not sum int8 exactly")
            return false
        }
        return true
    }

    /// Whether oneDNN multiplies bf16 natively here; otherwise says so.
    static func runsBF16() -> Bool {
        guard pali_onednn_runs_bf16() != 0 else {
            print("oneDNN bf16 products skipped: \(OneDNNProducts.name) lacks AVX512_BF16")
            return false
        }
        return true
    }

    /// `out[rows, n]` through `pali_onednn_u8s8_range`, one call per range.
    static func eightBitProduct(
        _ w: [Int8], scales: [Float], a: [Float], rows: Int, n: Int, k: Int,
        ranges: [Range<Int>]
    ) -> [Float] {
        Int8EightBitKernelTests.rowMajorProduct(w, a: a, rows: rows, n: n, k: k, ranges: ranges) {
            u, qScales, sums, out, range in
            let status = pali_onednn_u8s8_range(
                w, scales, sums, u, qScales, &out, rows, n, k, range.lowerBound, range.upperBound)
            #expect(status == 0)
        }
    }

    /// `out[rows, n]` through `pali_onednn_int16_range`, in three output ranges.
    static func int16Product(
        _ w: [Int8], scales: [Float], a: [Float], rows: Int, n: Int, k: Int
    ) -> [Float] {
        var high = [Int8](repeating: 0, count: rows * k)  // [rows, k]
        var low = [UInt8](repeating: 0, count: rows * k)  // [rows, k]
        var qScales = [Float](repeating: 0, count: rows)  // [rows]
        pali_int16_quantize_bytes(a, k, 0, rows, &high, &low, &qScales)
        var out = [Float](repeating: .nan, count: rows * n)  // [rows, n]
        let cuts = [0, n / 3, n - 1, n]
        for (first, end) in zip(cuts, cuts.dropFirst()) {
            let status = pali_onednn_int16_range(
                w, scales, high, low, qScales, &out, rows, n, k, first, end)
            #expect(status == 0)
        }
        return out
    }
}
