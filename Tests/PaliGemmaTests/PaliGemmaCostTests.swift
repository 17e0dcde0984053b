import PaliGemma
import Testing

/// The cost model behind `palidoc bench`'s GFLOP/s, checked against a roofline table computed
/// independently from the same shapes.
@Suite struct PaliGemmaCostTests {
    /// (resolution, vision + projector GFLOP, LM prefill GFLOP for 256·(r/224)² + 10 tokens).
    @Test(arguments: [(224, 220.0, 1093.0), (448, 979.0, 4415.0), (896, 5482.0, 20215.0)])
    func matchesTheRoofline(resolution: Int, vision: Double, prefill: Double) throws {
        let variant = try #require(
            PaliGemmaVariant.released.first { $0.name == "paligemma2-3b-\(resolution)" })
        let cost = PaliGemmaCost(configuration: variant.configuration)
        let tokens = variant.configuration.vision.tokens + 10
        #expect(abs(cost.encodeFLOPs / 1e9 - vision) / vision < 0.02, "\(cost.encodeFLOPs)")
        let lm = cost.prefillFLOPs(prefixTokens: tokens) / 1e9
        #expect(abs(lm - prefill) / prefill < 0.02, "\(lm)")
        // 26 layers of projections plus the 257216 × 2304 tied LM head: 2.62 G weights.
        #expect(abs(cost.decodeWeightParameters / 1e9 - 2.62) < 0.01)
    }
}
