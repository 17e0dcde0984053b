/// A labelled box found by the `detect` task.
public struct Detection: Sendable, Hashable, Codable {
    /// The object label as the model wrote it.
    public var label: String
    /// Box in page pixels.
    public var box: PixelRect

    /// A detection.
    public init(label: String, box: PixelRect) {
        self.label = label
        self.box = box
    }
}
