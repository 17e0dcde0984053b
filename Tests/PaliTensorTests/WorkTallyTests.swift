import Testing

@testable import PaliTensor

/// The tally counts products while enabled and nothing after `stop()`. Other suites may run
/// products concurrently while it is enabled, so counts are checked as lower bounds.
@Suite struct WorkTallyTests {
    @Test func countsProductsWhileEnabled() {
        let w = Tensor(shape: [30, 40], values: (0..<1200).map { Float($0 % 7) })  // [30, 40]
        let a = [Float](repeating: 1, count: 3 * 40)  // [3, 40]
        var out = [Float](repeating: 0, count: 3 * 30)  // [3, 30]
        WorkTally.start()
        Ops.linear(a, rows: 3, weight: w, into: &out)
        Ops.linear(a, rows: 3, weight: .int8(Int8Matrix(w)), into: &out)
        let counted = WorkTally.stop()[.products]!
        #expect(counted.flops >= 2 * (2 * 3 * 30 * 40))
        #expect(counted.seconds > 0)
        Ops.linear(a, rows: 3, weight: w, into: &out)
        #expect(WorkTally.stop()[.products]! == counted)
    }
}
