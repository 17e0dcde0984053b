import Foundation
import PaliTensor
import Testing
import PaliTestSupport

/// int8 weights: symmetric per-row quantisation (absmax / 127, round half to even, zero rows)
/// and `Ops.linear` on both of its paths against a double-precision product of the dequantised
/// weights, on every kernel level this CPU runs.
@Suite struct Int8MatrixTests {
    @Test func quantisesEachRowSymmetrically() {
        // Row 0: absmax 127 → scale 1, so values are rounded to integers (ties to even).
        // Row 1: all zero. Row 2: absmax 2.54 → scale 0.02, −2.54 is −127 exactly.
        let values: [Float] = [127, 0.5, 1.5, -2.5, 0, 0, 0, 0, -2.54, 0.01, 0.03, 1.27]
        let matrix = Int8Matrix(Tensor(shape: [3, 4], values: values))
        #expect(matrix.scales[0] == 1)
        #expect((0..<4).map { matrix.values[$0] } == [127, 0, 2, -2])
        #expect(matrix.scales[1] == 0)
        #expect((4..<8).map { matrix[$0] } == [0, 0, 0, 0])
        #expect(matrix.scales[2] == Float(2.54) / 127)
        #expect((8..<12).map { matrix.values[$0] } == [-127, 0, 2, 64])
    }

    @Test func errorIsAtMostHalfAStep() {
        var random = SeededRandom(seed: 7)
        let n = 9, k = 301
        let source = random.values(n * k, scale: 3)  // [n, k]
        let matrix = Int8Matrix(Tensor(shape: [n, k], values: source))
        for j in 0..<n {
            let absmax = (0..<k).map { abs(source[j * k + $0]) }.max()!
            #expect(matrix.scales[j] == absmax / 127)
            #expect((0..<k).contains { abs(Int(matrix.values[j * k + $0])) == 127 })
            for p in 0..<k {
                let error = abs(matrix[j * k + p] - source[j * k + p])
                #expect(error <= matrix.scales[j] * 0.5001)
            }
        }
    }

    /// Up to 8 rows (decode), and any number of rows with AVX-512 VNNI, the kernels quantise
    /// each input row to int16 and sum exactly in integers: equal to a double-precision product
    /// on those int16 activations, bit for bit the same on every level that does so, and within
    /// 1e-4 of the float32 activations' product. More rows without VNNI multiply the
    /// dequantised weights (the GEMM kernel, or sgemm without AVX2) with float32 activations.
    @Test(arguments: compactProductShapes)
    func linearMatchesDequantisedScalar(rows: Int, n: Int, k: Int) {
        var random = SeededRandom(seed: UInt64(rows * 1000 + n + 1))
        let a = random.values(rows * k)  // [rows, k]
        let w = Int8Matrix(Tensor(shape: [n, k], values: random.values(n * k)))  // [n, k]
        let b = random.values(n)  // [n]
        let int16Input = Self.int16Rounded(a, rows: rows, k: k)
        var integerOutputs: [[Float]] = []
        KernelLevels.each { level in
            let integer = rows <= 8 || level.rawValue >= KernelLevel.avx512VNNI.rawValue
            let kernelInput = integer ? int16Input : a
            var out = [Float](repeating: 0, count: rows * n)  // [rows, n]
            Ops.linear(a, rows: rows, weight: .int8(w), bias: Tensor(shape: [n], values: b),
                into: &out)
            let error = productError(
                out, a: kernelInput, weight: { w[$0] }, bias: b, rows: rows, n: n, k: k)
            #expect(error < 1e-6, "kernel level \(level)")
            let drift = productError(
                out, a: a, weight: { w[$0] }, bias: b, rows: rows, n: n, k: k)
            #expect(drift < 1e-4, "kernel level \(level)")
            if integer { integerOutputs.append(out) }
        }
        #expect(integerOutputs.allSatisfy { $0 == integerOutputs[0] })
    }

    /// `.int8` activations (w8a8): on AVX-512 VNNI a row's output is the same whether its
    /// product has 1, 5 or 8 rows (the decode kernel) or 40 (the many-row kernel); below it, the
    /// `.int16` matrix's output.
    @Test func eightBitActivationsGiveARowOneValue() {
        var random = SeededRandom(seed: 77)
        let n = 37, k = 2308
        let w = Int8Matrix(Tensor(shape: [n, k], values: random.values(n * k)))  // [n, k]
        let eightBit = w.with(activations: .int8)
        let a = random.values(40 * k)  // [40, k]
        func product(_ m: Int8Matrix, rows: Int) -> [Float] {
            var out = [Float](repeating: 0, count: rows * n)  // [rows, n]
            Ops.linear(a, rows: rows, weight: .int8(m), into: &out)
            return out
        }
        KernelLevels.each { level in
            if level.rawValue >= KernelLevel.avx512VNNI.rawValue {
                let all = product(eightBit, rows: 40)
                for rows in [1, 5, 8] {
                    #expect(product(eightBit, rows: rows) == Array(all[0..<rows * n]))
                }
                #expect(product(eightBit, rows: 5) != product(w, rows: 5))
            } else {
                for rows in [5, 40] {
                    #expect(product(eightBit, rows: rows) == product(w, rows: rows), "\(level)")
                }
            }
        }
    }

    /// `a[rows, k]` as the int8 kernel sees it: per row, `q = rint(x · 32767 / absmax)` (float
    /// arithmetic, as the kernel) times `absmax / 32767`.
    static func int16Rounded(_ a: [Float], rows: Int, k: Int) -> [Float] {
        var out = a  // [rows, k]
        for r in 0..<rows {
            let row = a[(r * k)..<((r + 1) * k)]
            let absmax = row.map(abs).max()!
            guard absmax > 0 else { continue }
            let inverse = 32767 / absmax, scale = absmax / 32767
            for p in 0..<k {
                out[r * k + p] = Float(Double((a[r * k + p] * inverse).rounded(.toNearestOrEven))
                    * Double(scale))
            }
        }
        return out
    }

    @Test func blockedLinearSpansSeveralBlocks() {
        expectMultiBlockProduct { tensor in
            let w = Int8Matrix(tensor)
            return (.int8(w), { w[$0] })
        }
    }
}
