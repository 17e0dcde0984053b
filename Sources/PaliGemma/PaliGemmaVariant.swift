/// The released PaliGemma / PaliGemma 2 model shapes, by configuration alone.
public struct PaliGemmaVariant: Sendable {
    /// Hub-style name, e.g. `paligemma2-3b-224`.
    public let name: String
    /// Its hyperparameters (as `config.json` plus `transformers`' defaults gives them).
    public let configuration: PaliGemmaConfiguration

    /// PaliGemma 1 3B and PaliGemma 2 3B/10B/28B, each at 224, 448 and 896 px.
    public static let released: [PaliGemmaVariant] = [224, 448, 896].flatMap { resolution in
        let vision = VisionConfiguration(imageSize: resolution)
        func variant(_ model: String, _ text: TextConfiguration) -> PaliGemmaVariant {
            PaliGemmaVariant(
                name: "\(model)-\(resolution)",
                configuration: PaliGemmaConfiguration(vision: vision, text: text))
        }
        return [
            variant(
                "paligemma-3b",
                gemma1(hidden: 2048, inner: 16384, layers: 18, heads: 8, kvHeads: 1)),
            variant(
                "paligemma2-3b",
                gemma2(
                    hidden: 2304, inner: 9216, layers: 26, heads: 8, kvHeads: 4, headDim: 256,
                    queryScalar: 256)),
            variant(
                "paligemma2-10b",
                gemma2(
                    hidden: 3584, inner: 14336, layers: 42, heads: 16, kvHeads: 8, headDim: 256,
                    queryScalar: 256)),
            // The 28B scales queries by (hidden / heads)^-0.5 = 144^-0.5, not headDim^-0.5.
            variant(
                "paligemma2-28b",
                gemma2(
                    hidden: 4608, inner: 36864, layers: 46, heads: 32, kvHeads: 16, headDim: 128,
                    queryScalar: 144)),
        ]
    }

    private static func gemma1(hidden: Int, inner: Int, layers: Int, heads: Int, kvHeads: Int)
        -> TextConfiguration
    {
        TextConfiguration(
            architecture: .gemma, hiddenSize: hidden, intermediateSize: inner, layers: layers,
            heads: heads,
            kvHeads: kvHeads, headDim: 256, vocabSize: 257216, queryPreAttnScalar: 256,
            slidingWindow: nil,
            slidingLayers: Array(repeating: false, count: layers), attnLogitSoftcap: nil,
            finalLogitSoftcap: nil)
    }

    private static func gemma2(
        hidden: Int, inner: Int, layers: Int, heads: Int, kvHeads: Int, headDim: Int,
        queryScalar: Double
    ) -> TextConfiguration {
        TextConfiguration(
            architecture: .gemma2, hiddenSize: hidden, intermediateSize: inner, layers: layers,
            heads: heads,
            kvHeads: kvHeads, headDim: headDim, vocabSize: 257216, queryPreAttnScalar: queryScalar,
            slidingWindow: 4096, slidingLayers: TextConfiguration.alternatingSlidingLayers(layers),
            attnLogitSoftcap: 50, finalLogitSoftcap: 30)
    }
}
