import Foundation
import PaliTensor
import Testing

/// bf16 weights: rounding as torch does, and `Ops.linear` on both of its paths (streaming for
/// few rows, widened blocks + sgemm for many) against a double-precision product of the
/// widened weights.
@Suite struct BF16MatrixTests {
    @Test func roundsToNearestEven() {
        let values: [Float] = [1, -2.5, 1 + 1.0 / 256, 1 + 3.0 / 256, 1 + 1.0 / 512, .infinity]
        let matrix = BF16Matrix(Tensor(shape: [2, 3], values: values))
        // 1 + 2⁻⁸ is a tie between 1 and 1 + 2⁻⁷: even mantissa (1) wins; 1 + 3·2⁻⁸ ties up.
        let expected: [Float] = [1, -2.5, 1, 1 + 4.0 / 256, 1, .infinity]
        #expect((0..<6).map { matrix[$0] } == expected)
        #expect(BF16Matrix(Tensor(shape: [1], values: [.nan]))[0].isNaN)
    }

    @Test(arguments: [(1, 7, 5), (3, 300, 37), (8, 33, 64), (9, 300, 37), (40, 517, 48)])
    func linearMatchesWidenedScalar(rows: Int, n: Int, k: Int) {
        var random = SeededRandom(seed: UInt64(rows * 1000 + n))
        let a = random.values(rows * k)  // [rows, k]
        let w = BF16Matrix(Tensor(shape: [n, k], values: random.values(n * k)))  // [n, k]
        let b = Tensor(shape: [n], values: random.values(n))
        var out = [Float](repeating: 0, count: rows * n)  // [rows, n]
        Ops.linear(a, rows: rows, weight: .bf16(w), bias: b, into: &out)
        var worst = 0.0, scale = 1e-30
        for r in 0..<rows {
            for j in 0..<n {
                var sum = Double(b.pointer[j])
                for p in 0..<k { sum += Double(a[r * k + p]) * Double(w[j * k + p]) }
                worst = max(worst, abs(Double(out[r * n + j]) - sum))
                scale = max(scale, abs(sum))
            }
        }
        #expect(worst / scale < 1e-5)
    }
}
