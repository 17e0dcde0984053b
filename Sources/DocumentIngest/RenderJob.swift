import DocumentModel
import Foundation

/// `palidoc render`: pages of one document to PNG files, optionally with their tiles and a
/// `tiles.json` index of tile rectangles — what the model will see.
public struct RenderJob: Sendable {
    /// The document.
    public var input: URL
    /// The output folder (created when missing).
    public var output: URL
    /// Which pages.
    public var pages: PageSelection = .all
    /// Render DPI for PDF pages (raster pages keep their own).
    public var dpi: Double = defaultRenderDPI
    /// Also cut tiles with this tiler.
    public var tiler: Tiler?
    /// For encrypted PDFs.
    public var password: String?
    /// Decompression-bomb guard.
    public var limits = IngestLimits()

    /// A job rendering `input` into `output` with the defaults above.
    public init(input: URL, output: URL) {
        self.input = input
        self.output = output
    }

    /// Runs the job, one page in memory at a time; returns the files written, in order.
    /// Throws `IngestError` naming the input (or the output file that could not be written).
    @discardableResult
    public func run() throws -> [URL] {
        let document = try openDocument(url: input, password: password, limits: limits)
        let indices = try pages.indices(in: document)
        do {
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        } catch {
            throw IngestError(output, .outputFailed("cannot create the output folder"))
        }
        let digits = max(4, String(document.pageCount).count)
        func number(_ index: Int) -> String {
            let text = String(index + 1)
            return String(repeating: "0", count: max(0, digits - text.count)) + text
        }
        var written: [URL] = []
        var index = TileIndex(file: input.lastPathComponent, tileSize: tiler?.tileSize,
                              overlap: tiler?.overlap, mode: tiler?.mode, pages: [])
        for pageIndex in indices {
            let page = try document.renderPage(index: pageIndex, dpi: dpi)
            let name = "page-\(number(pageIndex)).png"
            let pageURL = output.appendingPathComponent(name)
            try ImageFile.writePNG(page.image, to: pageURL)
            written.append(pageURL)
            guard let tiler else { continue }
            var entries: [TileIndex.Tile] = []
            for tile in tiler.tiles(of: page.image) {
                let tileName = "page-\(number(pageIndex))-tile-\(tile.row)-\(tile.column).png"
                let tileURL = output.appendingPathComponent(tileName)
                try ImageFile.writePNG(tile.image, to: tileURL)
                written.append(tileURL)
                entries.append(TileIndex.Tile(
                    file: tileName, row: tile.row, column: tile.column, rect: tile.rect,
                    padding: tile.padding, blank: tile.isBlank))
            }
            index.pages.append(TileIndex.Page(
                page: pageIndex + 1, image: name, width: page.image.width,
                height: page.image.height, dpi: page.resolution, tiles: entries))
        }
        if tiler != nil {
            let indexURL = output.appendingPathComponent("tiles.json")
            try index.write(to: indexURL)
            written.append(indexURL)
        }
        return written
    }
}
