/// A page's size in PDF points (1/72 inch), after its rotation is applied.
public struct PageSize: Sendable, Hashable, Codable {
    /// Width in points.
    public var width: Double
    /// Height in points.
    public var height: Double

    /// A size in points.
    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// The pixel size of this page rendered at `dpi`, rounded up as `pdftoppm` does
    /// (`ceil(points × dpi / 72)`), so renders and `pdftoppm -r DPI` agree exactly.
    public func pixelSize(dpi: Double) -> (width: Int, height: Int) {
        (Int((width * dpi / 72).rounded(.up)), Int((height * dpi / 72).rounded(.up)))
    }
}
