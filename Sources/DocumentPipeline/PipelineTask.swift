/// One model task of a pipeline: what to ask the model and how much it may answer.
public struct PipelineTask: Sendable, Equatable {
    /// Which task (decides the output parser).
    public var kind: PipelineTaskKind
    /// The prompt text after the image tokens, placeholders already filled in.
    public var prompt: String
    /// The most tokens the model may generate for one page or tile.
    public var maxTokens: Int
    /// Beam width; 1 is greedy decoding.
    public var beams: Int

    /// Allowed token budgets.
    public static let maxTokensRange = 1...8192
    /// Allowed beam widths.
    public static let beamsRange = 1...8

    /// A task with the given settings; defaults are the kind's.
    public init(
        kind: PipelineTaskKind, prompt: String? = nil, maxTokens: Int? = nil, beams: Int = 1
    ) {
        self.kind = kind
        self.prompt = prompt ?? kind.defaultPrompt
        self.maxTokens = maxTokens ?? kind.defaultMaxTokens
        self.beams = beams
    }
}
