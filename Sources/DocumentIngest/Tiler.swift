import DocumentModel
import Raster

/// Cuts page rasters into model inputs for a model resolution R (PaliGemma: 224, 448, 896).
public struct Tiler: Sendable {
    /// Why a tiler cannot be made.
    public enum ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
        /// R must be positive.
        case invalidTileSize(Int)
        /// The overlap must be in [0, 0.9] (and leave a stride of at least one pixel).
        case invalidOverlap(Double)

        /// One line for the user.
        public var description: String {
            switch self {
            case .invalidTileSize(let size): "invalid tile size \(size) (must be positive)"
            case .invalidOverlap(let f): "invalid tile overlap \(f) (must be between 0 and 0.9)"
            }
        }
    }

    /// The default overlap between neighbouring tiles: 12 % of R.
    public static let defaultOverlap = 0.12

    /// Page or grid mode.
    public let mode: TilingMode
    /// The model resolution R.
    public let tileSize: Int
    /// Overlap between neighbouring tiles as a fraction of R.
    public let overlap: Double
    /// What counts as a blank tile.
    public let blank: BlankCriteria

    /// A tiler; throws `ConfigurationError` on a non-positive R or an overlap outside [0, 0.9].
    public init(
        mode: TilingMode, tileSize: Int, overlap: Double = Tiler.defaultOverlap,
        blank: BlankCriteria = BlankCriteria()
    ) throws {
        guard tileSize > 0 else { throw ConfigurationError.invalidTileSize(tileSize) }
        guard overlap.isFinite, overlap >= 0, overlap <= 0.9 else {
            throw ConfigurationError.invalidOverlap(overlap)
        }
        self.mode = mode
        self.tileSize = tileSize
        self.overlap = overlap
        self.blank = blank
    }

    /// Overlap between neighbours in pixels: `round(R × overlap)`.
    public var overlapPixels: Int { Int((Double(tileSize) * overlap).rounded()) }

    /// Distance between the origins of neighbouring tiles: R minus the overlap.
    public var stride: Int { max(1, tileSize - overlapPixels) }

    /// Tile origins along one page axis of `length` pixels: 0, stride, 2·stride, … until a
    /// tile reaches the far edge (the last one may stick out and is then padded).
    public func origins(length: Int) -> [Int] {
        guard length > tileSize else { return [0] }
        let count = (length - tileSize + stride - 1) / stride + 1
        return (0..<count).map { $0 * stride }
    }

    /// The tiles of `page`, row-major.
    public func tiles(of page: RGBImage) -> [TileImage] {
        switch mode {
        case .page:
            let rect = PixelRect(x: 0, y: 0, width: page.width, height: page.height)
            let tile = Tile(
                index: 0, rect: rect,
                isBlank: blank.isBlank(page, width: page.width, height: page.height))
            return [TileImage(tile: tile, row: 0, column: 0, image: page)]
        case .tiles:
            var tiles: [TileImage] = []
            let columns = origins(length: page.width)
            for (row, y) in origins(length: page.height).enumerated() {
                for (column, x) in columns.enumerated() {
                    let width = min(tileSize, page.width - x)
                    let height = min(tileSize, page.height - y)
                    let crop = page.cropped(x: x, y: y, width: width, height: height)
                    let tile = Tile(
                        index: tiles.count,
                        rect: PixelRect(x: x, y: y, width: width, height: height),
                        padding: TilePadding(right: tileSize - width, bottom: tileSize - height),
                        isBlank: blank.isBlank(crop, width: width, height: height))
                    tiles.append(
                        TileImage(
                            tile: tile, row: row, column: column,
                            image: crop.padded(toWidth: tileSize, height: tileSize)))
                }
            }
            return tiles
        }
    }
}
