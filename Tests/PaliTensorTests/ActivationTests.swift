import Foundation
import PaliTestSupport
import Testing

@testable import PaliTensor

/// The vectorised tanh behind `Ops.geluTanh` and `Ops.softcap`: within 2 ulp of the exact
/// value on every range it switches between, the same bits on every instruction-set level,
/// and IEEE special values kept.
@Suite struct ActivationTests {
    /// Inputs on both sides of the polynomial / exponential switch (0.625), the saturation
    /// (≈ 9) and the overflow guard (44), plus odd lengths so vector tails run too.
    func inputs(_ count: Int) -> [Float] {
        var random = SeededRandom(seed: 21)
        let scales: [Float] = [0.7, 3, 12, 60]
        return (0..<count).map { i in random.values(1, scale: scales[i % 4])[0] }
    }

    /// Distance in units in the last place of `expected` (rounded to float).
    func ulps(_ actual: Float, _ expected: Double) -> Double {
        let reference = Float(expected)
        let ulp = Double(reference.magnitude.nextUp - reference.magnitude)
        return abs(Double(actual) - expected) / ulp
    }

    @Test func tanhIsWithinTwoUlp() {
        var x = inputs(4099)
        let expected = x.map { tanh(Double($0)) }
        Ops.softcap(&x, count: x.count, cap: 1)
        let worst = zip(x, expected).map { ulps($0, $1) }.max()!
        #expect(worst <= 2, "worst \(worst) ulp")
    }

    @Test func specialValuesAreKept() {
        var x: [Float] = [.nan, .infinity, -.infinity, 0, -0.0, 1e-30, 44, -43.5, 1e30, 0.625]
        Ops.softcap(&x, count: x.count, cap: 1)
        #expect(x[0].isNaN)
        #expect(Array(x[1...2]) == [1, -1])
        #expect(x[3] == 0 && x[3].sign == .plus && x[4] == 0 && x[4].sign == .minus)
        #expect(x[5] == 1e-30)
        #expect(Array(x[6...8]) == [1, -1, 1])
        #expect(ulps(x[9], tanh(0.625)) <= 2)
    }

    @Test(arguments: [1, 7, 8, 9, 16, 25, 4099])
    func levelsGiveTheSameBits(count: Int) {
        let x = inputs(count)
        var results: [[UInt32]] = []
        KernelLevels.each { _ in
            var gelu = x, capped = x
            Ops.geluTanh(&gelu, count: count)
            Ops.softcap(&capped, count: count, cap: 30)
            results.append((gelu + capped).map(\.bitPattern))
        }
        #expect(results.allSatisfy { $0 == results[0] })
    }
}
