import Raster

/// One image and the question to ask about it.
public struct EngineRequest: Sendable {
    /// The picture (any size; the engine resizes it to the model's square input).
    public var image: RGBImage
    /// The prompt text after the image tokens (`ocr`, `caption en`, …).
    public var prompt: String
    /// Most tokens to generate.
    public var maxTokens: Int
    /// Beam width; 1 is greedy decoding.
    public var beams: Int

    /// A request.
    public init(image: RGBImage, prompt: String, maxTokens: Int, beams: Int = 1) {
        self.image = image
        self.prompt = prompt
        self.maxTokens = maxTokens
        self.beams = beams
    }
}
