import DocumentExport
import DocumentIngest
import DocumentModel
import Foundation
import PaliTestSupport
import Raster
import Testing

/// The searchable PDF against tools nobody here wrote: `qpdf --check` finds no errors,
/// `pdftotext` reads the words back in order (any script), `pdftotext -bbox` finds each within
/// a point or two of its box, and `pdftoppm` renders the page raster back pixel for pixel.
@Suite struct PDFExportTests {
    /// Lines of words (text, x, width in pixels) at a y and height in pixels.
    static let lines: [(y: Int, height: Int, words: [(String, Int, Int)])] = [
        (100, 40, [("Searchable", 80, 260), ("PDF", 360, 90), ("output,", 470, 170)]),
        (170, 36, [("Ελληνικά", 80, 200), ("κείμενο", 300, 180)]),
        (240, 44, [("中文", 80, 90), ("文本测试", 190, 180)]),
        (320, 40, [("a&b", 80, 80), ("<tag>", 180, 120), ("(par)en\\", 320, 190)]),
        (390, 40, [("naïve", 80, 120), ("😀x", 220, 80), ("end.", 320, 90)]),
        // Right to left: the first word is the rightmost.
        (460, 40, [("مرحبا", 260, 120), ("بالعالم", 80, 150)]),
    ]

    /// A page raster with detail in every channel, so any resampling would show.
    static func raster(width: Int, height: Int, seed: Int) -> RGBImage {
        var pixels = [UInt8](repeating: 255, count: width * height * 3)
        var state = UInt32(truncatingIfNeeded: seed &* 2_654_435_761 | 1)
        for y in 0..<height {
            for x in 0..<width {
                let i = (y * width + x) * 3
                state ^= state << 13
                state ^= state >> 17
                state ^= state << 5
                if (x / 7 + y / 5) % 3 == 0 {
                    pixels[i] = UInt8(truncatingIfNeeded: state)
                    pixels[i + 1] = UInt8(truncatingIfNeeded: x &+ y)
                    pixels[i + 2] = UInt8(truncatingIfNeeded: state >> 8)
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// A document of two pages at `dpi`: US Letter portrait, and the same turned by `/Rotate
    /// 90` (shown landscape), each with the words of `lines`.
    static func document(dpi: Double) -> Document {
        var pages: [Page] = []
        for (number, rotation) in [(1, 0), (2, 90)] {
            let (w, h) = rotation == 0 ? (612.0, 792.0) : (792.0, 612.0)
            var page = Page(
                number: number, width: Int(w * dpi / 72), height: Int(h * dpi / 72), dpi: dpi)
            page.pointWidth = w
            page.pointHeight = h
            page.rotation = rotation
            let words = lines.flatMap { line in
                line.words.map { text, x, width in
                    Word(
                        text: text,
                        box: PixelRect(x: x, y: line.y, width: width, height: line.height),
                        source: .model)
                }
            }
            page.regions = [
                Region(id: "p\(number)-ocr-words", task: "ocr-words", words: words)
            ]
            pages.append(page)
        }
        return Document(source: SourceFile(path: "in/scan (1).pdf", format: "pdf"), pages: pages)
    }

    /// Writes the document's PDF with its rasters encoded as the pipeline encodes them.
    static func export(
        _ document: Document, jpeg: Bool = false, in folder: TemporaryDirectory
    ) throws -> (pdf: URL, rasters: [RGBImage]) {
        var rasters: [RGBImage] = []
        var files: [Int: URL] = [:]
        for page in document.pages {
            let image = raster(width: page.width, height: page.height, seed: page.number)
            let url = folder.file("page-\(page.number).\(jpeg ? "jpg" : "png")")
            if jpeg {
                try ImageFile.writeJPEG(image, quality: 90, to: url)
            } else {
                try ImageFile.writePNG(image, to: url)
            }
            rasters.append(image)
            files[page.number] = url
        }
        let pdf = folder.file("out.pdf")
        try PDFExporter.write(document, to: pdf) { page in
            PDFPageImage(
                encoding: jpeg ? .jpeg : .png, data: try Data(contentsOf: files[page.number]!))
        }
        return (pdf, rasters)
    }

    @Test func qpdfFindsNoErrors() throws {
        let folder = try TemporaryDirectory("pdf-qpdf")
        let (pdf, _) = try Self.export(Self.document(dpi: 100), in: folder)
        let check = try ExternalTool.run("qpdf", ["--check", pdf.path], package: "qpdf")
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("No syntax or stream encoding errors found"))
        #expect(check.stderr.isEmpty, "\(check.stderr)")
    }

    @Test func pdftotextReadsTheWordsInOrder() throws {
        let folder = try TemporaryDirectory("pdf-text")
        let (pdf, _) = try Self.export(Self.document(dpi: 100), in: folder)
        let expected = Self.lines.flatMap { $0.words.map(\.0) }
        for page in [1, 2] {
            let words = try PdftotextWords.readingOrder(pdf, page: page)
            #expect(words == expected, "page \(page)")
        }
    }

    @Test func pdftotextFindsEachWordAtItsBox() throws {
        let dpi = 100.0
        let folder = try TemporaryDirectory("pdf-bbox")
        let document = Self.document(dpi: dpi)
        let (pdf, _) = try Self.export(document, in: folder)
        for page in document.pages {
            let found = try PdftotextWords(pdf, page: page.number)
            // pdftotext gives the media box, before /Rotate; the words are as displayed.
            let sideways = page.rotation == 90 || page.rotation == 270
            let (width, height) = (page.pointWidth!, page.pointHeight!)
            #expect(abs(found.width - (sideways ? height : width)) < 0.01)
            #expect(abs(found.height - (sideways ? width : height)) < 0.01)
            let words = page.words
            try #require(found.words.count == words.count, "\(found.words)")
            let missing = found.missing(
                words.map { word in
                    let box = word.box!
                    return (
                        word.text,
                        [box.x, box.y, box.maxX, box.maxY].map { Double($0) * 72 / dpi }
                    )
                }, tolerance: 1)
            #expect(missing.isEmpty, "page \(page.number): \(missing)")
        }
    }

    @Test func pdftoppmRendersTheRasterBackExactly() throws {
        let folder = try TemporaryDirectory("pdf-pixels")
        let (pdf, rasters) = try Self.export(Self.document(dpi: 100), in: folder)
        for (index, raster) in rasters.enumerated() {
            let prefix = folder.file("render-\(index + 1)")
            let run = try ExternalTool.run(
                "pdftoppm",
                ["-r", "100", "-png", "-singlefile", "-f", String(index + 1), "-l",
                 String(index + 1), pdf.path, prefix.path],
                package: "poppler-utils")
            #expect(run.status == 0)
            #expect(run.stderr.isEmpty, "\(run.stderr)")
            let rendered = try ImageFile.read(prefix.appendingPathExtension("png"))
            #expect(rendered.width == raster.width && rendered.height == raster.height)
            // Compared first: a failing `#expect` on the arrays would diff millions of bytes.
            let same = rendered.pixels == raster.pixels
            let differing = same ? 0 : zip(rendered.pixels, raster.pixels).filter { $0 != $1 }.count
            #expect(same, "page \(index + 1): \(differing) bytes differ")
        }
    }

    @Test func jpegPagesAreValidAndClose() throws {
        let folder = try TemporaryDirectory("pdf-jpeg")
        let (pdf, rasters) = try Self.export(Self.document(dpi: 100), jpeg: true, in: folder)
        let check = try ExternalTool.run("qpdf", ["--check", pdf.path], package: "qpdf")
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let prefix = folder.file("render")
        _ = try ExternalTool.output(
            "pdftoppm", ["-r", "100", "-png", "-singlefile", pdf.path, prefix.path],
            package: "poppler-utils")
        let rendered = try ImageFile.read(prefix.appendingPathExtension("png"))
        let jpeg = try ImageFile.read(folder.file("page-1.jpg"))
        let decoded = rendered.pixels == jpeg.pixels, lossy = rendered.pixels != rasters[0].pixels
        #expect(decoded)
        #expect(lossy)
    }

    /// Words that look like PDF syntax, or hold control characters, stay text.
    @Test func hostileWordsStayText() throws {
        let folder = try TemporaryDirectory("pdf-hostile")
        let texts = ["end\u{0}stream", "%%EOF", ">>", "endobj)", "\u{1B}[31mred", "/JS"]
        var page = Page(number: 1, width: 850, height: 1100, dpi: 100)
        page.regions = [
            Region(
                id: "p1-ocr-words", task: "ocr-words",
                words: texts.enumerated().map { index, text in
                    Word(text: text, box: PixelRect(x: 80 + 120 * index, y: 100, width: 100,
                                                    height: 30))
                })
        ]
        var document = Document(source: SourceFile(path: "x.pdf", format: "pdf"), pages: [page])
        document.source.path = "in/a) >> (b.pdf"
        let (pdf, _) = try Self.export(document, in: folder)
        let check = try ExternalTool.run("qpdf", ["--check", pdf.path], package: "qpdf")
        #expect(check.status == 0, "\(check.stdout)")
        #expect(
            try PdftotextWords.readingOrder(pdf, page: 1)
                == ["endstream", "%%EOF", ">>", "endobj)", "[31mred", "/JS"])
        let info = try ExternalTool.output("pdfinfo", [pdf.path], package: "poppler-utils")
        let title = info.split(separator: "\n").first { $0.hasPrefix("Title:") }
        #expect(title?.dropFirst(6).trimmingCharacters(in: .whitespaces) == "a) >> (b.pdf")
    }
}
