import Raster

/// One image with its prompt's token ids (`<image>`×N, `<bos>`, prompt, `\n`).
public struct GenerationRequest: Sendable {
    /// The input picture, any size (resized to the model's resolution).
    public var image: RGBImage
    /// Token ids of the whole prefix, including the `<image>` placeholders.
    public var inputIDs: [Int]

    /// Creates a request.
    public init(image: RGBImage, inputIDs: [Int]) {
        self.image = image
        self.inputIDs = inputIDs
    }
}

/// How to decode.
public struct GenerationOptions: Sendable {
    /// Most tokens to generate per sequence.
    public var maxNewTokens: Int
    /// Beam count; 1 = greedy.
    public var beams: Int
    /// Ids that end a sequence (kept in the output, as `transformers` does); nil = the
    /// configuration's `<eos>`.
    public var stopTokenIDs: [Int]?
    /// Resize kernel of the image processor.
    public var resize: ResampleFilter
    /// Keep every step's logits (greedy only).
    public var recordLogits: Bool

    /// Creates options; defaults are greedy, 64 tokens, PIL-compatible bicubic.
    public init(
        maxNewTokens: Int = 64, beams: Int = 1, stopTokenIDs: [Int]? = nil,
        resize: ResampleFilter = .bicubic, recordLogits: Bool = false
    ) {
        self.maxNewTokens = maxNewTokens
        self.beams = beams
        self.stopTokenIDs = stopTokenIDs
        self.resize = resize
        self.recordLogits = recordLogits
    }
}

/// Wall-clock seconds spent per stage.
public struct GenerationTimings: Sendable, Equatable {
    /// Image processing, SigLIP and projector.
    public var vision: Double = 0
    /// Prefill up to the first generated token.
    public var prefill: Double = 0
    /// All later decoding steps.
    public var decode: Double = 0
}

/// The result for one request.
public struct GenerationOutput: Sendable {
    /// Generated ids, ending with the stop id when one was produced.
    public var ids: [Int]
    /// Per generated token, the logits `[vocab]` it was chosen from (when recorded).
    public var stepLogits: [[Float]]
    /// Beam search: the length-normalised log-probability of `ids`.
    public var score: Float?
    /// The processed image `[3, size, size]`.
    public var pixelValues: [Float]
    /// The projector output `[imageTokens, hidden]`.
    public var imageFeatures: [Float]
    /// Time per stage (batched stages are attributed to every request in the batch).
    public var timings: GenerationTimings
}
