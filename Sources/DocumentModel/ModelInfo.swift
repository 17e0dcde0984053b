/// The model that produced a document's results.
public struct ModelInfo: Sendable, Hashable, Codable {
    /// Checkpoint name or folder (`paligemma2-3b-pt-896`, a path…).
    public var name: String
    /// `paligemma` or `paligemma2`.
    public var family: String
    /// Square input size in pixels (224, 448, 896).
    public var imageSize: Int
    /// Weight storage type used for inference (`float32`, `bfloat16`).
    public var dtype: String?
    /// True when the checkpoint is a random-weight test model (its manifest says so): the
    /// text it produces means nothing. Absent for real checkpoints.
    public var randomWeights: Bool?

    /// The line written into readable outputs (and printed) for a random-weight model.
    public static let randomWeightsNotice =
        "NOTE: this text comes from a random-weight test model (a test fixture, not a trained "
        + "checkpoint) and means nothing. Use --model DIR or PALIDOC_MODEL for real results."

    /// A model description.
    public init(
        name: String, family: String, imageSize: Int, dtype: String? = nil,
        randomWeights: Bool? = nil
    ) {
        self.name = name
        self.family = family
        self.imageSize = imageSize
        self.dtype = dtype
        self.randomWeights = randomWeights
    }
}
