/// One pipeline as `palidoc pipelines` lists it.
public struct PipelineListing: Sendable, Equatable {
    /// The name it is reached by (`--pipeline NAME`).
    public var name: String
    /// Where it comes from.
    public var origin: PipelineOrigin
    /// Whether a file of this name hides a different built-in pipeline of the same name.
    public var overridesBuiltIn: Bool
    /// Its `description`, when it has one.
    public var description: String?
    /// Why it cannot be loaded, when it cannot.
    public var problem: String?

    /// A listing entry.
    public init(
        name: String, origin: PipelineOrigin, overridesBuiltIn: Bool = false,
        description: String? = nil, problem: String? = nil
    ) {
        self.name = name
        self.origin = origin
        self.overridesBuiltIn = overridesBuiltIn
        self.description = description
        self.problem = problem
    }
}
