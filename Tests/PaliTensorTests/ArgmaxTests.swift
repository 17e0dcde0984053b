import PaliTestSupport
import Testing

@testable import PaliTensor

/// `Ops.argmax` picks what a scan keeping each strictly larger value picks, at every kernel
/// level: the first of tied maxima, never a NaN (index 0 when the first value is NaN), -0 and
/// +0 equal, infinities ordinary.
@Suite struct ArgmaxTests {
    func scan(_ x: [Float]) -> Int {
        var best = 0
        for i in 1..<x.count where x[i] > x[best] { best = i }
        return best
    }

    /// Random rows with planted ties, NaNs, signed zeros and infinities, at lengths around
    /// the 8- and 16-lane bodies and a vocabulary's.
    func rows() -> [[Float]] {
        var random = SeededRandom(seed: 31)
        var rows: [[Float]] = []
        for count in [1, 2, 7, 8, 9, 15, 16, 17, 33, 1000, 257_152] {
            let base = random.values(count, scale: 10)
            rows.append(base)
            var tied = base
            let top = tied.max()!
            tied[count / 2] = top  // a later or earlier copy of the maximum
            rows.append(tied)
            var special = base
            for i in stride(from: 0, to: count, by: 3) { special[i] = .nan }
            rows.append(special)
            rows.append([Float.nan] + base)
            rows.append([-0.0] + Array(repeating: 0, count: count) + [-0.0])
            rows.append(base.map { $0 > 5 ? .infinity : $0 })
            rows.append(Array(repeating: -.infinity, count: count))
        }
        return rows
    }

    @Test func levelsAgreeWithTheScan() {
        let cases = rows()
        let expected = cases.map(scan)
        KernelLevels.each { level in
            let found = cases.map { row in row.withUnsafeBufferPointer { Ops.argmax($0) } }
            for (index, (got, want)) in zip(found, expected).enumerated() where got != want {
                Issue.record(
                    "\(level), case \(index) of \(cases[index].count): \(got), not \(want)")
            }
        }
    }
}
