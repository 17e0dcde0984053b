/// An axis-aligned rectangle in whole pixels of some raster (a page or a tile): origin at the
/// top-left corner, x to the right, y down. Used wherever a region must map back exactly to
/// the pixels it came from (tiles remember their page rectangle with it).
public struct PixelRect: Sendable, Hashable, Codable {
    /// Left edge (inclusive).
    public var x: Int
    /// Top edge (inclusive).
    public var y: Int
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int

    /// A rectangle from its origin and size.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// Right edge (exclusive).
    public var maxX: Int { x + width }
    /// Bottom edge (exclusive).
    public var maxY: Int { y + height }
    /// Number of pixels covered.
    public var area: Int { width * height }

    /// The overlap of two rectangles, or `nil` when they do not overlap.
    public func intersection(_ other: PixelRect) -> PixelRect? {
        let left = max(x, other.x), top = max(y, other.y)
        let right = min(maxX, other.maxX), bottom = min(maxY, other.maxY)
        guard right > left, bottom > top else { return nil }
        return PixelRect(x: left, y: top, width: right - left, height: bottom - top)
    }
}
