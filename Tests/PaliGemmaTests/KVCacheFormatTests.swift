import Foundation
import PaliGemma
import PaliTensor
import Testing

/// A bf16 or int8 KV cache on the parity fixtures: prefill and twenty decode steps fed the
/// reference's greedy ids (so both caches hold the same tokens), against the float32 cache.
/// The deviation is the keys' and values' rounding alone (attention over a compact cache
/// equals float32 attention over its widened values: AttentionTests); docs/parity.md states
/// it.
@Suite struct KVCacheFormatTests {
    @Test(arguments: ParityFixture.names, [KVCacheFormat.bf16, .int8])
    func compactCacheStaysCloseToFloat32(name: String, format: KVCacheFormat) throws {
        let fixture = try ParityFixture(name)
        let exact = try PaliGemmaModel(directory: fixture.directory, weights: .f32)
        let compact = try PaliGemmaModel(
            directory: fixture.directory, weights: .f32, kvCache: format)
        let embeddings = try exact.embed(
            inputIDs: try fixture.ints("input_ids"),
            imageFeatures: try fixture.floats("projector_output"))
        let ids = try fixture.ints("greedy_ids")
        // Each model's logits at every step: the prefill's, then one per fed id.
        func steps(_ model: PaliGemmaModel) -> [Float] {
            let session = InferenceSession(model: model)
            var logits = session.prefill([embeddings], reserving: ids.count)
            var all = logits[0]
            for id in ids.dropLast() {
                session.decode([(0, id)], into: &logits)
                all += logits[0]
            }
            return all
        }
        let deviation = Deviation(steps(compact), steps(exact))
        print("\(name): \(format) KV cache vs float32 cache, \(ids.count) steps: \(deviation)")
        #expect(deviation.maxAbs > 0)  // the rounding did take place
        #expect(deviation.relative <= (format == .bf16 ? 5e-2 : 3.5e-1))
    }
}
