import ArgumentParser
import DocumentIngest
import Foundation

/// `palidoc render`: a document's pages (and optionally tiles) as PNG files.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render document pages to PNG files, optionally cut into model tiles.",
        discussion: """
            PDFs are rendered at --dpi; TIFF, PNG and JPEG pages keep their own pixels. \
            Writes page-NNNN.png per page; with --tiles R also page-NNNN-tile-ROW-COL.png \
            (R×R, overlapping, edge tiles padded with white) and tiles.json with each tile's \
            rectangle in page pixels. --benchmark renders without writing and prints pages \
            per second at 150 and 300 DPI.
            """)

    @Argument(help: "The document: PDF, TIFF, PNG or JPEG (detected from the content).")
    var file: String

    @Option(help: "Pages to render, e.g. 1-3,7 or 5- (default: all).")
    var pages: String?

    @Option(help: "Render resolution for PDF pages.")
    var dpi: Double = 200

    @Option(help: "Also cut R×R tiles (224, 448 or 896).")
    var tiles: Int?

    @Option(help: "Tile overlap as a fraction of R (0 to 0.9).")
    var overlap: Double = 0.12

    @Option(help: "Password of an encrypted PDF.")
    var password: String?

    @Option(help: "Refuse pages larger than this many megapixels.")
    var maxMegapixels: Double = 150

    @Option(help: "Output folder.")
    var out: String?

    @Flag(help: "Measure pages per second at 150 and 300 DPI instead of writing files.")
    var benchmark = false

    func validate() throws {
        if !benchmark && out == nil {
            throw ValidationError("Missing expected argument '--out <out>'")
        }
        if let tiles, ![224, 448, 896].contains(tiles) {
            throw ValidationError("--tiles must be 224, 448 or 896 (PaliGemma's resolutions)")
        }
        guard dpi.isFinite, dpi > 0, dpi <= 2400 else {
            throw ValidationError("--dpi must be between 0 and 2400")
        }
        guard maxMegapixels > 0 else { throw ValidationError("--max-megapixels must be positive") }
        do {
            _ = try pages.map { try PageSelection(parsing: $0) }
            _ = try tiles.map { try Tiler(mode: .tiles, tileSize: $0, overlap: overlap) }
        } catch let error as PageSelection.SyntaxError {
            throw ValidationError(error.description)
        } catch let error as Tiler.ConfigurationError {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let input = URL(fileURLWithPath: file)
        do {
            let selection = try pages.map { try PageSelection(parsing: $0) } ?? .all
            let limits = IngestLimits(maxPageMegapixels: maxMegapixels)
            if benchmark {
                let document = try openDocument(url: input, password: password, limits: limits)
                let indices = try selection.indices(in: document)
                for m in try RenderBenchmark.measure(document, indices: indices, dpis: [150, 300]) {
                    print(String(format: "%.0f dpi: %d pages in %.2f s = %.2f pages/s",
                                 m.dpi, m.pages, m.seconds, m.pagesPerSecond))
                }
                return
            }
            var job = RenderJob(input: input, output: URL(fileURLWithPath: out ?? "."))
            job.pages = selection
            job.dpi = dpi
            job.password = password
            job.limits = limits
            job.tiler = try tiles.map { try Tiler(mode: .tiles, tileSize: $0, overlap: overlap) }
            let written = try job.run()
            print("wrote \(written.count) files to \(job.output.path)")
        } catch let error as IngestError {
            throw Diagnostics.error("\(error)")
        }
    }
}
