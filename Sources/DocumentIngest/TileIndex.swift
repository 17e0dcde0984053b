import DocumentModel
import Foundation

/// The `tiles.json` written by `palidoc render --tiles`: every page's tiles with their
/// rectangles in page pixels.
public struct TileIndex: Sendable, Codable, Equatable {
    /// One page and its tiles.
    public struct Page: Sendable, Codable, Equatable {
        /// 1-based page number.
        public var page: Int
        /// The page PNG's file name.
        public var image: String
        /// Page width in pixels.
        public var width: Int
        /// Page height in pixels.
        public var height: Int
        /// The page's resolution, when known.
        public var dpi: Resolution?
        /// The page's tiles, row-major.
        public var tiles: [Tile]
    }

    /// One tile.
    public struct Tile: Sendable, Codable, Equatable {
        /// The tile PNG's file name.
        public var file: String
        /// Grid row.
        public var row: Int
        /// Grid column.
        public var column: Int
        /// The page pixels shown (clipped to the page).
        public var rect: PixelRect
        /// White padding added on the right and bottom.
        public var padding: TilePadding
        /// Whether the tile is near-uniform.
        public var blank: Bool
    }

    /// The input document's file name.
    public var file: String
    /// The model resolution R.
    public var tileSize: Int?
    /// The overlap fraction.
    public var overlap: Double?
    /// Page or grid mode.
    public var mode: TilingMode?
    /// The rendered pages.
    public var pages: [Page]

    /// Writes the index as pretty-printed JSON, atomically.
    func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(self).write(to: url, options: .atomic)
        } catch {
            throw IngestError(url, .outputFailed("cannot write the tile index"))
        }
    }
}
