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
