import DocumentModel

/// What an engine tells about itself.
public struct EngineInfo: Sendable, Equatable {
    /// The model as documents record it (name, family, input size, random-weight flag).
    public var model: ModelInfo
    /// The model's square input size in pixels; pipelines must match it (or say `auto`).
    public var imageSize: Int { model.imageSize }
    /// Whether the checkpoint is a random-weight test model whose text means nothing.
    public var isRandomTestModel: Bool { model.randomWeights == true }
    /// The notice to show for a random-weight test model, else nil.
    public var randomWeightsNotice: String? {
        isRandomTestModel ? ModelInfo.randomWeightsNotice : nil
    }
    /// Image tokens the model puts before every prompt, when known.
    public var imageTokens: Int?
    /// The most positions (input and generated tokens together) the model takes, when known.
    public var maxPositions: Int?

    /// Information about a loaded model.
    public init(model: ModelInfo, imageTokens: Int? = nil, maxPositions: Int? = nil) {
        self.model = model
        self.imageTokens = imageTokens
        self.maxPositions = maxPositions
    }
}
