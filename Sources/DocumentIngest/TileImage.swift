import DocumentModel
import Raster

/// A tile (`DocumentModel.Tile`: its page rectangle, padding and blank flag) with its grid
/// position and the pixels the model will see.
public struct TileImage: Sendable, Equatable {
    /// Where the tile lies on its page, its padding and whether it is blank.
    public let tile: Tile
    /// Grid row (0 = top).
    public let row: Int
    /// Grid column (0 = left).
    public let column: Int
    /// The tile pixels: `tile.rect` of the page plus the padding (R×R in `tiles` mode; the
    /// whole page in `page` mode, for the model's processor to squash to R×R).
    public let image: RGBImage

    /// A tile image.
    public init(tile: Tile, row: Int, column: Int, image: RGBImage) {
        self.tile = tile
        self.row = row
        self.column = column
        self.image = image
    }

    /// Position in the page's tile list (row-major).
    public var index: Int { tile.index }
    /// The page pixels the tile shows, clipped to the page.
    public var rect: PixelRect { tile.rect }
    /// White pixels added on the right and at the bottom to fill the tile (edge tiles).
    public var padding: TilePadding { tile.padding }
    /// Whether the tile is near-uniform (no ink), so the pipeline may skip it.
    public var isBlank: Bool { tile.isBlank }
}
