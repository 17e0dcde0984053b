/// A piece of a page that was given to the model as one image.
///
/// The model sees `rect`'s pixels padded on the right and bottom by `padding` (to keep the
/// aspect ratio when the tiler pads to a square) and then squashed to its square input size.
/// Normalised model coordinates therefore map to the padded tile, then to the page.
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
    public var paddedWidth: Int { rect.width + padding.right }
    /// Height of the image the model resized (tile plus padding), in pixels.
    public var paddedHeight: Int { rect.height + padding.bottom }

    /// Maps a box given as fractions of the model's square input (`0...1`, y down) to page
    /// pixels: scale to the padded tile, clip to the tile's own pixels, offset by its origin.
    /// Returns `nil` when nothing of the box lies on the tile's pixels.
    public func pageRect(normalized box: NormalizedBox) -> PixelRect? {
        let w = Double(paddedWidth)
        let h = Double(paddedHeight)
        // Round outwards so a box never loses the pixels its edges cut through.
        let x0 = Int((box.xMin * w).rounded(.down))
        let y0 = Int((box.yMin * h).rounded(.down))
        let x1 = Int((box.xMax * w).rounded(.up))
        let y1 = Int((box.yMax * h).rounded(.up))
        let local = PixelRect(x: x0, y: y0, width: max(x1 - x0, 0), height: max(y1 - y0, 0))
        let own = PixelRect(x: 0, y: 0, width: rect.width, height: rect.height)
        guard let clipped = local.intersection(own) else { return nil }
        return PixelRect(
            x: rect.x + clipped.x, y: rect.y + clipped.y, width: clipped.width,
            height: clipped.height)
    }
}
