/// Pixels per inch along each axis (fax modes have different horizontal and vertical DPI).
public struct Resolution: Sendable, Hashable, Codable {
    /// Horizontal pixels per inch.
    public var x: Double
    /// Vertical pixels per inch.
    public var y: Double

    /// A resolution with separate axes.
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// The same DPI on both axes.
    public init(dpi: Double) {
        self.init(x: dpi, y: dpi)
    }
}
