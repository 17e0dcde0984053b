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

    /// A model description.
    public init(name: String, family: String, imageSize: Int, dtype: String? = nil) {
        self.name = name
        self.family = family
        self.imageSize = imageSize
        self.dtype = dtype
    }
}
