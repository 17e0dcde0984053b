/// The recognition engine as the pipeline sees it: batches of image + prompt in, decoded text
/// out. `PaliGemmaEngine` runs a real checkpoint; the pipeline never touches model types.
public protocol Engine: Sendable {
    /// The loaded model, as recorded in every document it reads.
    var info: EngineInfo { get }
    /// Runs every request (the engine may batch them) and returns one result per request,
    /// in order. Throws `EngineError` when a request cannot be run.
    func generate(_ requests: [EngineRequest]) async throws -> [EngineResult]
    /// Requests the engine runs together at best (one weight pass per decoding step for all
    /// of them); callers gather up to this many, across pages, before calling `generate`.
    var preferredBatchSize: Int { get }
    /// The positions the model's input takes for `prompt` (image tokens, prompt tokens and
    /// their markers), or `nil` when the engine cannot tell; throws when the prompt cannot be
    /// encoded.
    func inputLength(prompt: String) throws -> Int?
}

extension Engine {
    /// One request at a time unless the engine says otherwise.
    public var preferredBatchSize: Int { 1 }
    /// Unknown unless the engine says otherwise.
    public func inputLength(prompt: String) throws -> Int? { nil }
}
