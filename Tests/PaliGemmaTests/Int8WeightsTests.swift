import Foundation
import PaliGemma
import PaliTensor
import Testing

/// The int8-weights speed path (`WeightPrecision.int8`) on the parity fixtures.
///
/// These fixtures are chaotic on purpose (large random gains): per-row int8 rounding of their
/// weights changes greedy steps (paligemma1-tiny keeps 7 of 20, paligemma2-tiny 1), in
/// transformers as well (the same ids and logit drift on paligemma1-tiny), and groups of 32, 16
/// or 8 along k do not keep them reliably either; so the exactness of the path is checked on
/// weights int8 represents exactly, and the drift from the float32 weights is printed.
@Suite struct Int8WeightsTests {
    /// On a checkpoint whose matrices are already int8 × per-row scale, the int8 model (which
    /// re-quantises them to the same values) equals the float32 model on the same weights, alone
    /// and with two sequences decoding together: the same ids, and logits apart only by the
    /// decode kernel's int16 rounding of activations (a relative 1.5e-5 of each row's largest
    /// value, which these chaotic fixtures amplify on the way to the logits; hence 1e-3).
    @Test(arguments: ParityFixture.names, [1, 2])
    func matchesFloat32OnInt8Weights(name: String, batch: Int) throws {
        let fixture = try ParityFixture(name)
        let rewriter = try CheckpointRewriter(fixture: name)
        try Self.writeQuantised(
            from: fixture.directory, to: rewriter.target.file("model.safetensors"))
        let reference = try PaliGemmaModel(directory: rewriter.target.url, weights: .f32)
        let model = try PaliGemmaModel(directory: rewriter.target.url, weights: .int8)
        #expect(model.weightPrecision == .int8)
        let requests = Array(repeating: try fixture.request(), count: batch)
        let options = ParityFixture.greedySteps
        let expected = try reference.generate(requests, options: options)
        let outputs = try model.generate(requests, options: options)
        #expect(outputs.map(\.ids) == expected.map(\.ids))
        let parity = Deviation(
            outputs.flatMap { $0.stepLogits.flatMap { $0 } },
            expected.flatMap { $0.stepLogits.flatMap { $0 } })
        print("\(name) int8 weights, batch \(batch): vs float32 on the same weights \(parity)")
        #expect(parity.relative <= 1e-3)
    }

    /// Quantising the fixture's own float32 decoder weights: the first greedy step survives;
    /// the steps kept and the drift from the float32 logits are printed.
    @Test(arguments: ParityFixture.names)
    func driftFromFloat32Weights(name: String) throws {
        let fixture = try ParityFixture(name)
        let model = try PaliGemmaModel(directory: fixture.directory, weights: .int8)
        let request = try fixture.request()
        let output = try model.generate([request], options: ParityFixture.greedySteps)[0]
        let expected = try fixture.ints("greedy_ids")
        #expect(output.ids.first == expected.first)
        let same = zip(output.ids, expected).prefix { $0 == $1 }.count
        let steps = min(output.stepLogits.count, expected.count)
        let drift = Deviation(
            output.stepLogits.prefix(steps).flatMap { $0 },
            Array(try fixture.floats("greedy_logits").prefix(steps * output.stepLogits[0].count)))
        print("\(name) int8 decoder weights from f32: \(same)/20 greedy steps kept, \(drift)")
    }

    /// Writes every tensor of `source` into `target` as float32, each 2-D one replaced by its
    /// per-row int8 quantisation times the row scale.
    static func writeQuantised(from source: URL, to target: URL) throws {
        let checkpoint = try SafetensorsCheckpoint(directory: source)
        var writer = SafetensorsWriter()
        for name in checkpoint.names.sorted() {
            let tensor = try checkpoint.floatTensor(name)
            let values =
                tensor.shape.count == 2
                ? { matrix in (0..<matrix.count).map { matrix[$0] } }(Int8Matrix(tensor))
                : tensor.toArray()
            writer.add(name, shape: tensor.shape, values: values)
        }
        try writer.write(to: target)
    }
}
