/// The Gemma decoder's hyperparameters (`transformers` `GemmaConfig` / `Gemma2Config`).
public struct TextConfiguration: Sendable, Equatable {
    /// Which Gemma generation the decoder follows.
    public enum Architecture: String, Sendable {
        /// Gemma 1 (PaliGemma 1): no softcaps, two norms per layer, no sliding window.
        case gemma
        /// Gemma 2 (PaliGemma 2): softcaps, four norms per layer, alternating sliding window.
        case gemma2
    }

    /// Gemma 1 or 2.
    public var architecture: Architecture
    /// Residual width.
    public var hiddenSize: Int
    /// GeGLU inner size.
    public var intermediateSize: Int
    /// Number of decoder layers.
    public var layers: Int
    /// Query heads.
    public var heads: Int
    /// Key/value heads (1 = MQA; fewer than `heads` = GQA).
    public var kvHeads: Int
    /// Per-head width (not necessarily `hiddenSize / heads`).
    public var headDim: Int
    /// Rows of the embedding matrix (vocabulary plus `<image>` and padding rows).
    public var vocabSize: Int
    /// RMSNorm epsilon.
    public var rmsNormEps: Float
    /// RoPE base θ.
    public var ropeTheta: Double
    /// Scores are multiplied by `queryPreAttnScalar^-0.5` (Gemma 1: `headDim`).
    public var queryPreAttnScalar: Double
    /// Sliding-window length for local layers (nil: none).
    public var slidingWindow: Int?
    /// Per layer: whether it is a local (sliding-window) layer.
    public var slidingLayers: [Bool]
    /// Attention-logit soft cap (nil: none).
    public var attnLogitSoftcap: Float?
    /// Final-logit soft cap (nil: none).
    public var finalLogitSoftcap: Float?
    /// GeGLU activation.
    public var activation: Activation
    /// Longest sequence (prefix plus generated tokens) the model accepts.
    public var maxPositionEmbeddings: Int

    /// Creates a configuration from explicit values.
    public init(
        architecture: Architecture, hiddenSize: Int, intermediateSize: Int, layers: Int,
        heads: Int, kvHeads: Int, headDim: Int, vocabSize: Int, rmsNormEps: Float = 1e-6,
        ropeTheta: Double = 10000, queryPreAttnScalar: Double, slidingWindow: Int?,
        slidingLayers: [Bool], attnLogitSoftcap: Float?, finalLogitSoftcap: Float?,
        maxPositionEmbeddings: Int = 8192, activation: Activation = .geluTanh
    ) {
        self.architecture = architecture
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.layers = layers
        self.heads = heads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.vocabSize = vocabSize
        self.rmsNormEps = rmsNormEps
        self.ropeTheta = ropeTheta
        self.queryPreAttnScalar = queryPreAttnScalar
        self.slidingWindow = slidingWindow
        self.slidingLayers = slidingLayers
        self.attnLogitSoftcap = attnLogitSoftcap
        self.finalLogitSoftcap = finalLogitSoftcap
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.activation = activation
    }

    /// Gemma 2 has post-attention and post-FFN norms; Gemma 1 does not.
    public var hasPostNorms: Bool { architecture == .gemma2 }

    /// Gemma 2's default layer pattern: layer i is local iff i is even.
    public static func alternatingSlidingLayers(_ count: Int) -> [Bool] {
        (0..<count).map { $0 % 2 == 0 }
    }
}
