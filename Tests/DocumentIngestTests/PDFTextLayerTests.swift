import CPoppler
import DocumentIngest
import DocumentModel
import Foundation
import PaliTestSupport
import Testing

/// A PDF's own text layer as palidoc reads it, against `pdftotext -bbox` on PDFs made here
/// with cairo (and turned with qpdf): the same words in the same order, boxes within a point,
/// on text pages, image-only pages, mixed pages, rotated pages and non-Latin text.
@Suite struct PDFTextLayerTests {
    typealias H = IngestTestHelpers

    /// Lines of the text pages: Latin, Greek, Arabic and Cyrillic (DejaVu Sans has them all).
    static let lines = [
        "Invoice 2026-117: total due 1,250.00 EUR.",
        "Καλημέρα κόσμε, αυτό είναι ελληνικό κείμενο.",
        "مرحبا بالعالم هذا نص عربي",
        "Съешь же ещё этих мягких французских булок.",
    ]

    /// Pages: 0 text, 1 a page-filling image only, 2 text beside a small image, 3 text (to be
    /// turned 90°), 4 text (to be turned 270°).
    static func makePDF(in folder: TemporaryDirectory) throws -> URL {
        let plain = folder.file("plain.pdf")
        H.cairoPDF(at: plain, sizes: Array(repeating: (612, 792), count: 5)) { cr, index, w, h in
            if index == 1 || index == 2 {
                // A photo-like image: the whole page, or a quarter-size one below the text.
                let scale = index == 1 ? 1.0 : 0.25
                H.drawImage(
                    cr, pixelWidth: 64, pixelHeight: 80, x: 0, y: index == 1 ? 0 : h * 0.6,
                    scaleX: w * scale / 64, scaleY: h * scale / 80
                ) { px, py in UInt32(px * 4) << 16 | UInt32(py * 3) << 8 | 0x80 }
            }
            guard index != 1 else { return }
            cairo_set_source_rgb(cr, 0, 0, 0)
            cairo_select_font_face(
                cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
            cairo_set_font_size(cr, 13)
            for (n, line) in lines.enumerated() {
                cairo_move_to(cr, 54, 72 + Double(n) * 24)
                cairo_show_text(cr, line)
            }
        }
        let turned = folder.file("turned.pdf")
        _ = try ExternalTool.output(
            "qpdf", [plain.path, "--rotate=+90:4", "--rotate=+270:5", turned.path],
            package: "qpdf")
        return turned
    }

    @Test func wordsEqualPdftotextBbox() throws {
        let folder = try TemporaryDirectory("text-layer")
        let pdf = try Self.makePDF(in: folder)
        let source = try PDFDocumentSource(url: pdf)
        for index in 0..<source.pageCount {
            let text = try source.textLayer(index: index)
            // In the reading order of plain pdftotext …
            #expect(
                text.words.map(\.text) == (try PdftotextWords.readingOrder(pdf, page: index + 1)),
                "page \(index + 1)")
            // … with the boxes of `pdftotext -bbox`.
            let reference = try PdftotextWords(pdf, page: index + 1)
            #expect(reference.words.count == text.words.count)
            let missing = reference.missing(
                text.words.map { ($0.text, [$0.left, $0.top, $0.right, $0.bottom]) },
                tolerance: 1)
            #expect(missing.isEmpty, "page \(index + 1): \(missing)")
        }
    }

    @Test func pagesHaveTheirTextOrNone() throws {
        let folder = try TemporaryDirectory("text-layer-kinds")
        let pdf = try Self.makePDF(in: folder)
        let source = try PDFDocumentSource(url: pdf)
        let expected = Self.lines.joined(separator: " ").split(separator: " ").map(String.init)
        for index in [0, 2, 3, 4] {
            let words = try source.textLayer(index: index).words.map(\.text)
            // cairo draws Arabic letters in reading order, which PDF readers take as visual.
            let arabic = Set(Self.lines[2].split(separator: " ").map { String($0.reversed()) })
            #expect(
                Set(words) == Set(expected.filter { TextDirection(of: $0) == .leftToRight })
                    .union(arabic), "page \(index + 1)")
            // Poppler orders the lines of text turned by 270° from the last; the order is
            // its own (`wordsEqualPdftotextBbox`).
            if index != 4 {
                #expect(words.prefix(6) == expected.prefix(6), "page \(index + 1)")
            }
        }
        #expect(try source.textLayer(index: 1).words.isEmpty)
        #expect(try source.textLayer(index: 1).characterCount == 0)
        #expect(try source.textLayer(index: 0).characterCount > 100)
    }

    @Test func rotationsAreTheInputs() throws {
        let folder = try TemporaryDirectory("text-layer-rotation")
        let pdf = try Self.makePDF(in: folder)
        let source = try PDFDocumentSource(url: pdf)
        #expect(try (0..<5).map { try source.rotation(index: $0) } == [0, 0, 0, 90, 270])
        let turned = try source.textLayer(index: 3)
        #expect(turned.size == PageSize(width: 792, height: 612))
        // Displayed sideways, the first line runs down the right-hand side of the page.
        let first = try #require(turned.words.first)
        #expect(first.left > 600 && first.bottom - first.top > first.right - first.left)
    }

    @Test func imageCoverageTellsScansFromTextPages() throws {
        let folder = try TemporaryDirectory("text-layer-images")
        let pdf = try Self.makePDF(in: folder)
        let coverage = try PDFImageCoverage(url: pdf)
        let measured = try (0..<5).map { try coverage.coverage(index: $0) }
        #expect(measured[0] == 0 && measured[3] == 0 && measured[4] == 0)
        #expect(measured[1] > 0.99)
        #expect(abs(measured[2] - 0.0625) < 0.01)
    }
}
