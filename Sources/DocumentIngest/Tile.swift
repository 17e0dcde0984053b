import DocumentModel
import Raster

/// One piece of a page as the model will see it, and where it came from.
public struct Tile: Sendable, Equatable {
    /// Position in the page's tile list (row-major).
    public let index: Int
    /// Grid row (0 = top).
    public let row: Int
    /// Grid column (0 = left).
    public let column: Int
    /// The page pixels the tile shows, clipped to the page.
    public let rect: PixelRect
    /// White pixels added on the right and at the bottom to fill the tile (edge tiles).
    public let padding: TilePadding
    /// The tile pixels: `rect` of the page plus `padding` (R×R in `tiles` mode; the whole
    /// page in `page` mode, for the model's processor to squash to R×R).
    public let image: RGBImage
    /// Whether the tile is near-uniform (no ink), so the pipeline may skip it.
    public let isBlank: Bool

    /// A tile.
    public init(index: Int, row: Int, column: Int, rect: PixelRect, padding: TilePadding,
                image: RGBImage, isBlank: Bool) {
        self.index = index
        self.row = row
        self.column = column
        self.rect = rect
        self.padding = padding
        self.image = image
        self.isBlank = isBlank
    }
}
