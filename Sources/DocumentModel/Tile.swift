/// A piece of a page that was given to the model as one image.
///
/// The model sees `rect`'s pixels surrounded by `padding` (when the tiler pads to a square
/// to keep the aspect ratio) and then squashed to its square input size. Normalised model
/// coordinates therefore map to the padded tile, then to the tile, then to the page.
public struct Tile: Sendable, Hashable, Codable {
    /// 0-based index within its page.
    public var index: Int
    /// The page pixels this tile covers.
    public var rect: PixelRect
    /// Background pixels added to the right and bottom before resizing.
    public var padding: TilePadding
    /// True when the tile was blank and the model was not run on it.
    public var isBlank: Bool

    /// A tile covering `rect` of its page.
    public init(index: Int, rect: PixelRect, padding: TilePadding = .none, isBlank: Bool = false) {
        self.index = index
        self.rect = rect
        self.padding = padding
        self.isBlank = isBlank
    }

    /// Width of the image the model resized (tile plus padding), in pixels.
    public var paddedWidth: Int { padding.left + rect.width + padding.right }
    /// Height of the image the model resized (tile plus padding), in pixels.
    public var paddedHeight: Int { padding.top + rect.height + padding.bottom }

    /// Maps a box given as fractions of the model's square input (`0...1`, y down) to page
    /// pixels: scale to the padded tile, clip to the tile's own pixels, offset by its origin.
    /// Edges round outwards (a box never loses a pixel its edge cuts through) and a
    /// zero-width or zero-height box keeps one pixel. Returns `nil` when nothing of the box
    /// lies on the tile's pixels (it is in the padding), or a coordinate is not finite.
    public func pageRect(normalized box: NormalizedBox) -> PixelRect? {
        let edges = [box.xMin, box.yMin, box.xMax, box.yMax]
        guard edges.allSatisfy({ $0.isFinite && abs($0) < 1e6 }) else { return nil }
        let w = Double(paddedWidth)
        let h = Double(paddedHeight)
        let x0 = Int((box.xMin * w).rounded(.down))
        let y0 = Int((box.yMin * h).rounded(.down))
        let x1 = max(Int((box.xMax * w).rounded(.up)), x0 + 1)
        let y1 = max(Int((box.yMax * h).rounded(.up)), y0 + 1)
        let local = PixelRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
        // The tile's own pixels inside the padded image.
        let own = PixelRect(x: padding.left, y: padding.top, width: rect.width, height: rect.height)
        guard let clipped = local.intersection(own) else { return nil }
        return PixelRect(
            x: rect.x + clipped.x - padding.left, y: rect.y + clipped.y - padding.top,
            width: clipped.width, height: clipped.height)
    }
}
