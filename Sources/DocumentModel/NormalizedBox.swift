/// A box as fractions of an image's width and height (`0...1`, origin top-left), the form
/// PaliGemma's `<locNNNN>` tokens encode (in the order yMin, xMin, yMax, xMax).
public struct NormalizedBox: Sendable, Hashable, Codable {
    /// Top edge.
    public var yMin: Double
    /// Left edge.
    public var xMin: Double
    /// Bottom edge.
    public var yMax: Double
    /// Right edge.
    public var xMax: Double

    /// A box from its edges (in the loc-token order).
    public init(yMin: Double, xMin: Double, yMax: Double, xMax: Double) {
        self.yMin = yMin
        self.xMin = xMin
        self.yMax = yMax
        self.xMax = xMax
    }
}
