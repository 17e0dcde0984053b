/// The SigLIP vision tower's hyperparameters (`transformers` `SiglipVisionConfig`).
public struct VisionConfiguration: Sendable, Equatable {
    /// Width of the encoder.
    public var hiddenSize: Int
    /// MLP inner size.
    public var intermediateSize: Int
    /// Number of encoder layers.
    public var layers: Int
    /// Attention heads.
    public var heads: Int
    /// Square input resolution in pixels.
    public var imageSize: Int
    /// Square patch size in pixels.
    public var patchSize: Int
    /// Input channels (3).
    public var channels: Int
    /// LayerNorm epsilon.
    public var layerNormEps: Float
    /// MLP activation.
    public var activation: Activation
    /// Whether the checkpoint carries the (unused by PaliGemma) attention-pooling head.
    public var useHead: Bool

    /// Creates a configuration; defaults are So400m/14 at 224 px.
    public init(
        hiddenSize: Int = 1152, intermediateSize: Int = 4304, layers: Int = 27, heads: Int = 16,
        imageSize: Int = 224, patchSize: Int = 14, channels: Int = 3, layerNormEps: Float = 1e-6,
        useHead: Bool = false, activation: Activation = .geluTanh
    ) {
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.layers = layers
        self.heads = heads
        self.imageSize = imageSize
        self.patchSize = patchSize
        self.channels = channels
        self.layerNormEps = layerNormEps
        self.useHead = useHead
        self.activation = activation
    }

    /// Patches per side.
    public var gridSize: Int { imageSize / patchSize }
    /// Image tokens per image, `(imageSize / patchSize)²`.
    public var tokens: Int { gridSize * gridSize }
    /// Per-head width.
    public var headDim: Int { hiddenSize / heads }
}
