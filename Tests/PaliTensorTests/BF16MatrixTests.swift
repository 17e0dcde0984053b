import Foundation
import PaliTensor
import Testing
import PaliTestSupport

/// bf16 weights: rounding as torch does, and `Ops.linear` on both of its paths (streaming for
/// few rows; for many, vdpbf16ps where it pays off, the GEMM kernel, or widened blocks + sgemm
/// without AVX2) against a double-precision product of the widened weights, on every kernel
/// level this CPU runs.
@Suite struct BF16MatrixTests {
    @Test func roundsToNearestEven() {
        let values: [Float] = [1, -2.5, 1 + 1.0 / 256, 1 + 3.0 / 256, 1 + 1.0 / 512, .infinity]
        let matrix = BF16Matrix(Tensor(shape: [2, 3], values: values))
        // 1 + 2⁻⁸ is a tie between 1 and 1 + 2⁻⁷: even mantissa (1) wins; 1 + 3·2⁻⁸ ties up.
        let expected: [Float] = [1, -2.5, 1, 1 + 4.0 / 256, 1, .infinity]
        #expect((0..<6).map { matrix[$0] } == expected)
        #expect(BF16Matrix(Tensor(shape: [1], values: [.nan]))[0].isNaN)
    }

    @Test(arguments: compactProductShapes)
    func linearMatchesWidenedScalar(rows: Int, n: Int, k: Int) {
        var random = SeededRandom(seed: UInt64(rows * 1000 + n))
        let a = random.values(rows * k)  // [rows, k]
        let w = BF16Matrix(Tensor(shape: [n, k], values: random.values(n * k)))  // [n, k]
        let b = random.values(n)  // [n]
        KernelLevels.each { level in
            var out = [Float](repeating: 0, count: rows * n)  // [rows, n]
            Ops.linear(a, rows: rows, weight: .bf16(w), bias: Tensor(shape: [n], values: b),
                into: &out)
            let error = productError(
                out, a: a, weight: { w[$0] }, bias: b, rows: rows, n: n, k: k)
            // vdpbf16ps multiplies bf16 parts of the activations: hi + lo keeps 16 of their 24
            // significand bits.
            let bound = rows > 8 && KernelLevel.bf16DotPaysOff ? 1e-5 : 1e-6
            #expect(error < bound, "kernel level \(level)")
        }
    }

    @Test func blockedLinearSpansSeveralBlocks() {
        expectMultiBlockProduct { tensor in
            let w = BF16Matrix(tensor)
            return (.bf16(w), { w[$0] })
        }
    }
}
