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

/// The pipeline that produced a document.
public struct PipelineInfo: Sendable, Hashable, Codable {
    /// Pipeline name (its YAML file's name).
    public var name: String
    /// Tasks it ran, in order.
    public var tasks: [String]
    /// palidoc version.
    public var palidocVersion: String

    /// A pipeline description.
    public init(name: String, tasks: [String], palidocVersion: String) {
        self.name = name
        self.tasks = tasks
        self.palidocVersion = palidocVersion
    }
}

/// Wall-clock seconds spent per stage (`ingest`, `vision`, `decode`, `export`, …) and in all.
public struct Timings: Sendable, Hashable, Codable {
    /// Seconds from start to end of the document.
    public var totalSeconds: Double
    /// Seconds per stage name.
    public var stages: [String: Double]

    /// Timings.
    public init(totalSeconds: Double, stages: [String: Double] = [:]) {
        self.totalSeconds = totalSeconds
        self.stages = stages
    }
}
