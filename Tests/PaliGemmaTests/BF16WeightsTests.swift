import Foundation
import PaliGemma
import PaliTensor
import Testing

/// The bf16-weights speed path (`WeightPrecision.bf16`) on the parity fixtures: same greedy
/// ids as the float32 path, and the logits transformers computes from bf16-rounded weights.
@Suite struct BF16WeightsTests {
    /// On a bf16 copy of the checkpoint nothing is rounded differently: the bf16 path equals
    /// transformers on those weights within the float32 parity tolerance.
    @Test(arguments: ParityFixture.names)
    func bf16CheckpointMatchesTransformers(name: String) throws {
        let fixture = try ParityFixture(name)
        let rewriter = try CheckpointRewriter(fixture: name)
        try rewriter.write { ($0, .bf16, $1.shape) }
        let model = try PaliGemmaModel(directory: rewriter.target.url, weights: .bf16)
        #expect(model.weightPrecision == .bf16)
        let request = try fixture.request()
        let output = try model.generate([request], options: ParityFixture.greedySteps)[0]
        #expect(output.ids == (try fixture.ints("bf16_greedy_ids")))
        let parity = Deviation(
            output.stepLogits.flatMap { $0 }, try fixture.floats("bf16_greedy_logits"))
        print("\(name) bf16 weights in memory, bf16 checkpoint: vs transformers \(parity)")
        #expect(parity.maxAbs <= 1e-3)
    }

    /// From the float32 fixture, rounding the decoder projections and the tied embedding to
    /// bf16 keeps every greedy step (also when two sequences decode together); the logit
    /// drift is printed.
    @Test(arguments: ParityFixture.names)
    func f32CheckpointKeepsGreedyIDs(name: String) throws {
        let fixture = try ParityFixture(name)
        let model = try PaliGemmaModel(directory: fixture.directory, weights: .bf16)
        let request = try fixture.request()
        let outputs = try model.generate([request, request], options: ParityFixture.greedySteps)
        let expected = try fixture.ints("greedy_ids")
        #expect(outputs.allSatisfy { $0.ids == expected })
        let drift = Deviation(
            outputs[0].stepLogits.flatMap { $0 }, try fixture.floats("greedy_logits"))
        print("\(name) bf16 decoder weights from f32: vs f32 logits \(drift)")
        // The fixtures are chaotic on purpose (large gains); see LoadingTests' bf16 bound.
        #expect(drift.relative < 0.2)
    }
}
