/// One page raster of a document, the tiles it was cut into, and the task results on it.
/// All boxes below a page are in this page's pixels (origin top-left, y down).
public struct Page: Sendable, Hashable, Codable {
    /// 1-based page number in the source file.
    public var number: Int
    /// Raster width in pixels.
    public var width: Int
    /// Raster height in pixels.
    public var height: Int
    /// Resolution the page was rasterised at (dots per inch), when known.
    public var dpi: Double?
    /// Path of the page image written beside the outputs, when one was (used by page views).
    public var image: String?
    /// The tiles the model saw.
    public var tiles: [Tile]
    /// Task results, in reading order.
    public var regions: [Region]
    /// Where the text of the page's `ocr` and `ocr-words` results came from; `nil` when the
    /// pipeline has neither task.
    public var textSource: TextSource?
    /// The page's width on paper in points (1/72 inch), as displayed (after its rotation):
    /// a PDF page's crop box, a scan's pixels at its resolution.
    public var pointWidth: Double?
    /// The page's height on paper in points, as displayed.
    public var pointHeight: Double?
    /// The clockwise rotation the input gave the page (a PDF's `/Rotate`: 0, 90, 180 or
    /// 270); the raster shows the page already turned.
    public var rotation: Int?

    /// A page with its size.
    public init(
        number: Int, width: Int, height: Int, dpi: Double? = nil, image: String? = nil,
        tiles: [Tile] = [], regions: [Region] = []
    ) {
        self.number = number
        self.width = width
        self.height = height
        self.dpi = dpi
        self.image = image
        self.tiles = tiles
        self.regions = regions
    }

    /// The whole page as a rectangle.
    public var bounds: PixelRect { PixelRect(x: 0, y: 0, width: width, height: height) }

    /// Every word of every region, in region order.
    public var words: [Word] { regions.flatMap(\.words) }

    /// Every table of every region, in region order.
    public var tables: [Table] { regions.compactMap(\.table) }
}
