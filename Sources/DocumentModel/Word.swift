/// A recognised word (or text run) with its box on the page.
public struct Word: Sendable, Hashable, Codable {
    /// The text.
    public var text: String
    /// Box in page pixels; `nil` when the model gave none.
    public var box: PixelRect?
    /// Recognition confidence in `0...1`, when the producer has one.
    public var confidence: Double?
    /// Where the text came from; `nil` when its producer did not say.
    public var source: TextSource?

    /// A word.
    public init(
        text: String, box: PixelRect?, confidence: Double? = nil, source: TextSource? = nil
    ) {
        self.text = text
        self.box = box
        self.confidence = confidence
        self.source = source
    }
}
