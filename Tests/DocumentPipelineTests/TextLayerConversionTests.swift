import CPoppler
import DocumentExport
import DocumentIngest
import DocumentModel
import Foundation
import PaliTestSupport
import Testing

@testable import DocumentPipeline

/// The `text_layer` setting end to end, on a PDF made here: page 1 born-digital text (cairo),
/// page 2 a page-filling image, pages 3 and 4 scans carrying an earlier OCR run's invisible
/// text (palidoc's own searchable PDF, page 4 turned by /Rotate 90).
@Suite struct TextLayerConversionTests {
    typealias RecordingEngine = PageBatchingTests.RecordingEngine

    static let lines = ["Born digital text, page one.", "Ελληνικά και English together."]

    /// The four-page PDF.
    static func makePDF(in folder: TemporaryDirectory) throws -> URL {
        let born = folder.file("born.pdf")
        let surface = cairo_pdf_surface_create(born.path, 612, 792)
        let cr = cairo_create(surface)
        cairo_select_font_face(
            cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, 14)
        for (n, line) in lines.enumerated() {
            cairo_move_to(cr, 72, 100 + Double(n) * 30)
            cairo_show_text(cr, line)
        }
        cairo_show_page(cr)
        // A page-filling picture with detail everywhere, so no tile of it is blank.
        let image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 51, 66)
        let stride = Int(cairo_image_surface_get_stride(image))
        let data = cairo_image_surface_get_data(image)!
        for y in 0..<66 {
            let row = UnsafeMutableRawPointer(data + y * stride).assumingMemoryBound(
                to: UInt32.self)
            for x in 0..<51 { row[x] = (x + y) % 2 == 0 ? 0x20_4080 : 0xF0_E0C0 }
        }
        cairo_surface_mark_dirty(image)
        cairo_scale(cr, 12, 12)
        cairo_set_source_surface(cr, image, 0, 0)
        cairo_paint(cr)
        cairo_show_page(cr)
        cairo_surface_destroy(image)
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        cairo_surface_destroy(surface)
        let (scans, _) = try PDFExportTests.export(PDFExportTests.document(dpi: 100), in: folder)
        let merged = folder.file("mixed.pdf")
        _ = try ExternalTool.output(
            "qpdf", ["--empty", "--pages", born.path, scans.path, "--", merged.path],
            package: "qpdf")
        return merged
    }

    /// Converts `pdf` with the tiny real engine; returns the document and the engine calls.
    static func convert(_ pdf: URL, _ pipeline: PipelineDefinition, into folder: URL)
        async throws -> (Document, [Int])
    {
        let engine = RecordingEngine(inner: try RealEngine.engine(), batch: 8)
        let converter = try DocumentConverter(pipeline: pipeline, engine: engine)
        let progress = DocumentConverter.Progress(
            completed: [], setPageCount: { _ in }, completePage: { _ in })
        let document = try await converter.convert(
            file: pdf, sourcePath: "mixed.pdf", contentHash: nil, into: folder,
            progress: progress, events: { _ in })
        return (document, engine.calls)
    }

    static func pipeline(_ policy: TextLayerPolicy, reuse: Bool = false) -> PipelineDefinition {
        var pipeline = RealEngine.pipeline
        pipeline.textLayer = policy
        pipeline.reuseOCRText = reuse
        pipeline.exporters = [.json]
        return pipeline
    }

    @Test func autoUsesRealTextLayersOnly() async throws {
        let folder = try TemporaryDirectory("text-layer-auto")
        let pdf = try Self.makePDF(in: folder)
        let (auto, autoCalls) = try await Self.convert(
            pdf, Self.pipeline(.auto), into: folder.file("auto"))
        #expect(auto.pages.map(\.textSource) == [.pdfText, .model, .model, .model])
        let (ignore, ignoreCalls) = try await Self.convert(
            pdf, Self.pipeline(.ignore), into: folder.file("ignore"))
        #expect(ignore.pages.map(\.textSource) == [.model, .model, .model, .model])
        // The model ran on every page but the first: both text tasks on each of its tiles.
        let firstPageTiles = ignore.pages[0].tiles.filter { !$0.isBlank }.count
        #expect(firstPageTiles > 0)
        #expect(autoCalls.reduce(0, +) == ignoreCalls.reduce(0, +) - 2 * firstPageTiles)
        #expect(auto.pages[0].tiles.isEmpty)
        for page in auto.pages {
            #expect(page.words.allSatisfy { $0.source == page.textSource })
        }
        #expect(auto.pages[0].words.map(\.text) == Self.lines.joined(separator: " ")
            .split(separator: " ").map(String.init))
        let ocr = try #require(auto.pages[0].regions.first { $0.task == "ocr" })
        #expect(ocr.text == Self.lines.joined(separator: "\n") && ocr.words.isEmpty)
    }

    @Test func earlierOCRCountsWhenAskedFor() async throws {
        let folder = try TemporaryDirectory("text-layer-reuse")
        let pdf = try Self.makePDF(in: folder)
        let (document, calls) = try await Self.convert(
            pdf, Self.pipeline(.auto, reuse: true), into: folder.file("out"))
        #expect(document.pages.map(\.textSource) == [.pdfText, .model, .pdfText, .pdfText])
        let expected = PDFExportTests.lines.flatMap { $0.words.map(\.0) }
        #expect(Set(document.pages[2].words.map(\.text)) == Set(expected))
        #expect(Set(document.pages[3].words.map(\.text)) == Set(expected))
        #expect(
            document.pages[2].words.map(\.text)
                == (try PdftotextWords.readingOrder(pdf, page: 3)))
        #expect(document.pages.map(\.rotation) == [0, 0, 0, 90])
        #expect(!calls.isEmpty)
    }

    @Test func useNeverRunsTheModelForText() async throws {
        let folder = try TemporaryDirectory("text-layer-use")
        let pdf = try Self.makePDF(in: folder)
        var pipeline = Self.pipeline(.use)
        pipeline.dpi = 144
        let (document, calls) = try await Self.convert(pdf, pipeline, into: folder.file("out"))
        #expect(calls.isEmpty)
        #expect(document.pages.map(\.textSource) == [.pdfText, .pdfText, .pdfText, .pdfText])
        #expect(document.pages[1].words.isEmpty)
        // Words equal pdftotext -bbox's within a point (boxes are whole pixels of 0.5 pt).
        for page in document.pages {
            #expect(
                page.words.map(\.text)
                    == (try PdftotextWords.readingOrder(pdf, page: page.number)))
            let reference = try PdftotextWords(pdf, page: page.number)
            #expect(reference.words.count == page.words.count)
            let missing = reference.missing(
                page.words.map { word in
                    let box = word.box!
                    return (
                        word.text,
                        [box.x, box.y, box.maxX, box.maxY].map { Double($0) * 72 / 144 }
                    )
                }, tolerance: 1)
            #expect(missing.isEmpty, "page \(page.number): \(missing)")
        }
    }

    @Test func tablesStillGoThroughTheModel() async throws {
        let folder = try TemporaryDirectory("text-layer-tables")
        let pdf = try Self.makePDF(in: folder)
        var pipeline = Self.pipeline(.use)
        pipeline.tasks = [PipelineTask(kind: .ocrWords), PipelineTask(kind: .table, maxTokens: 4)]
        let (document, calls) = try await Self.convert(pdf, pipeline, into: folder.file("out"))
        let tiles = document.pages.map { $0.tiles.filter { !$0.isBlank }.count }
        #expect(tiles.allSatisfy { $0 > 0 })
        #expect(calls.reduce(0, +) == tiles.reduce(0, +))
        #expect(document.pages.allSatisfy { $0.regions.contains { $0.task == "table" } })
    }

    @Test func searchablePDFOfABornDigitalPageHasItsWords() async throws {
        let folder = try TemporaryDirectory("text-layer-pdf")
        let pdf = try Self.makePDF(in: folder)
        var pipeline = Self.pipeline(.auto)
        pipeline.exporters = [.json, .pdf, .hocr, .alto]
        let out = folder.file("out")
        let (document, _) = try await Self.convert(pdf, pipeline, into: out)
        let written = out.appendingPathComponent("mixed.pdf")
        let check = try ExternalTool.run("qpdf", ["--check", written.path], package: "qpdf")
        #expect(check.status == 0, "\(check.stdout)")
        let text = try ExternalTool.output(
            "pdftotext", ["-f", "1", "-l", "1", written.path, "-"], package: "poppler-utils")
        #expect(text.split(whereSeparator: \.isWhitespace).map(String.init)
            == document.pages[0].words.map(\.text))
        let hocr = try String(
            contentsOf: out.appendingPathComponent("mixed.hocr"), encoding: .utf8)
        #expect(hocr.contains("x_source pdf-text") && hocr.contains("x_source model"))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(".pages").path))
    }
}
