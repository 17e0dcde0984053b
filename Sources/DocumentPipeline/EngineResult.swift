/// What the engine answered for one request.
public struct EngineResult: Sendable, Equatable {
    /// The decoded text, without the end-of-sequence token.
    public var text: String
    /// The generated token ids (ending with the stop id when one was produced).
    public var ids: [Int]
    /// Seconds spent on this request's batch per stage (`vision`, `prefill`, `decode`).
    public var timings: [String: Double]

    /// A result.
    public init(text: String, ids: [Int], timings: [String: Double] = [:]) {
        self.text = text
        self.ids = ids
        self.timings = timings
    }
}
