/// The arithmetic and weight traffic of the forward passes, from the configuration alone: what
/// `palidoc bench` divides its timings by to report GFLOP/s and the decode bandwidth bound.
///
/// Counts multiply–adds as 2 FLOP and include only the matrix products (linear layers,
/// attention scores and weighted values, the LM head); norms, activations and softmax are small
/// beside them and left out, as a roofline estimate leaves them out.
public struct PaliGemmaCost: Sendable, Equatable {
    /// The model's hyperparameters.
    public let configuration: PaliGemmaConfiguration

    /// Creates the cost model of `configuration`.
    public init(configuration: PaliGemmaConfiguration) {
        self.configuration = configuration
    }

    /// FLOP to encode one image: patch embedding, every SigLIP layer (q, k, v, out, fc1, fc2
    /// and full bidirectional attention) and the projector.
    public var encodeFLOPs: Double {
        let v = configuration.vision
        let tokens = Double(v.tokens), width = Double(v.hiddenSize)
        let patch = 2 * tokens * Double(v.channels * v.patchSize * v.patchSize) * width
        let linears = 2 * tokens * (4 * width * width + 2 * width * Double(v.intermediateSize))
        let attention = 2 * 2 * tokens * tokens * width  // q·kᵀ and p·v over all heads
        let projector = 2 * tokens * width * Double(configuration.text.hiddenSize)
        return patch + Double(v.layers) * (linears + attention) + projector
    }

    /// FLOP of one decoder pass over `rows` new tokens of one sequence, with `visibleKeys(i)`
    /// keys for query `i`, plus the LM head for its last row (prefill returns only the last
    /// position's logits).
    func decoderFLOPs(rows: Int, visibleKeys: (Int) -> Int) -> Double {
        let t = configuration.text
        let hidden = Double(t.hiddenSize), q = Double(t.heads * t.headDim)
        let kv = Double(t.kvHeads * t.headDim), inner = Double(t.intermediateSize)
        let perRow = 2 * (hidden * (q + 2 * kv) + q * hidden + 3 * hidden * inner)
        var keys = 0.0
        for i in 0..<rows { keys += Double(visibleKeys(i)) }
        let attention = 2 * 2 * keys * q  // scores and weighted values, every head
        let head = 2 * hidden * Double(t.vocabSize)
        return Double(t.layers) * (Double(rows) * perRow + attention) + head
    }

    /// FLOP to prefill one sequence of `prefixTokens`: the prefix is bidirectional, so every
    /// query sees every prefix key, on sliding-window layers too (the prefix-LM mask).
    public func prefillFLOPs(prefixTokens: Int) -> Double {
        decoderFLOPs(rows: prefixTokens) { _ in prefixTokens }
    }

    /// Weights read from memory per decode step: every decoder projection plus the tied
    /// embedding / LM head (norms are negligible).
    public var decodeWeightParameters: Double {
        let t = configuration.text
        let hidden = Double(t.hiddenSize)
        let perLayer =
            hidden * Double(t.heads * t.headDim) * 2 + hidden * Double(t.kvHeads * t.headDim) * 2
            + 3 * hidden * Double(t.intermediateSize)
        return perLayer * Double(t.layers) + Double(t.vocabSize) * hidden
    }
}
