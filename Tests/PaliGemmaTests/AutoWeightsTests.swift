import Foundation
import PaliGemma
import PaliTensor
import Testing

/// `WeightPrecision.auto` keeps the checkpoint's own precision: on a float32 checkpoint it is
/// the float32 path, on a bf16 one the bf16 path, value for value.
@Suite struct AutoWeightsTests {
    @Test(arguments: ParityFixture.names)
    func followsTheCheckpointDType(name: String) throws {
        let fixture = try ParityFixture(name)
        let rewriter = try CheckpointRewriter(fixture: name)
        try rewriter.write { ($0, .bf16, $1.shape) }
        let request = try fixture.request()
        let options = GenerationOptions(maxNewTokens: 4, recordLogits: true)
        for (directory, same) in [
            (fixture.directory, WeightPrecision.f32), (rewriter.target.url, .bf16),
        ] {
            let auto = try PaliGemmaModel(directory: directory, weights: .auto)
            let reference = try PaliGemmaModel(directory: directory, weights: same)
            // Both at the CPU's best kernel level, which no other suite can cap in between.
            let (output, expected) = try KernelLevel.run(at: .best) {
                (
                    try auto.generate([request], options: options)[0],
                    try reference.generate([request], options: options)[0]
                )
            }
            #expect(output.ids == expected.ids, "\(same) checkpoint")
            #expect(output.stepLogits == expected.stepLogits, "\(same) checkpoint")
        }
    }
}
