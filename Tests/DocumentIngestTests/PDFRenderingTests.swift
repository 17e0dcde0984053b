import CPoppler
import DocumentIngest
import Foundation
import PaliTestSupport
import Raster
import Testing

/// PDF pages against `pdftoppm -r DPI -png` from the same Poppler: same size, and a mean
/// absolute pixel difference under 1 grey level.
@Suite struct PDFRenderingTests {
    typealias H = IngestTestHelpers

    /// mixed.pdf pages: 1 Letter with text, vectors and an image; 2 A4 landscape /Rotate 90;
    /// 4 A5 /Rotate 180 with an image. (Page 3 is tested below.)
    @Test(arguments: [(1, 150), (1, 200), (1, 300), (2, 150), (2, 200), (4, 150), (4, 200)])
    func fixturePagesMatchPdftoppm(page: Int, dpi: Int) throws {
        let dir = try TemporaryDirectory("pdftoppm")
        let pdf = H.fixture("mixed.pdf")
        let reference = try H.pdftoppm(pdf, page: page, dpi: dpi, in: dir.url)
        let ours = try openDocument(url: pdf).renderPage(index: page - 1, dpi: Double(dpi))
        #expect(ours.image.width == reference.width && ours.image.height == reference.height)
        #expect(ours.resolution == Resolution(dpi: Double(dpi)))
        let diff = H.meanAbsoluteDifference(ours.image, reference)
        #expect(diff < 1.0, "page \(page) at \(dpi) DPI: mean abs diff \(diff)")
    }

    /// Page 3 is a small (300.5 × 200.25 pt, /Rotate 270) page filled with vector art and a
    /// hairline, where cairo and Splash differ most (Splash widens 0.25 pt lines to 1 px and
    /// snaps fill edges to pixels): under 1 at 300 DPI, about 2.2–2.7 below (known gap).
    @Test(arguments: [(150, 3.0), (300, 1.0)])
    func denseRotatedVectorPageStaysClose(dpi: Int, bound: Double) throws {
        let dir = try TemporaryDirectory("pdftoppm")
        let pdf = H.fixture("mixed.pdf")
        let reference = try H.pdftoppm(pdf, page: 3, dpi: dpi, in: dir.url)
        let ours = try openDocument(url: pdf).renderPage(index: 2, dpi: Double(dpi))
        #expect(ours.image.width == reference.width && ours.image.height == reference.height)
        #expect(H.meanAbsoluteDifference(ours.image, reference) < bound)
    }

    /// A cairo-written PDF: embedded (subset) DejaVu fonts at 11 pt, vectors, a scaled image,
    /// and mixed page sizes (Letter, A4, a small landscape card). Bounds are < 1 except where
    /// Splash's per-glyph choice between quarter- and whole-pixel x placement (by font box
    /// height) differs from the per-DPI choice palidoc makes: 11 pt DejaVu Serif at 200 DPI
    /// (page 1: 1.16; page 3, a small card mostly image and serif text: 2.05) and page 3 at
    /// 150 DPI (1.17). Known gap, documented in the report.
    @Test(arguments: [(1, 150, 1.0), (1, 200, 1.5), (1, 300, 1.0), (2, 150, 1.0),
                      (2, 200, 1.0), (2, 300, 1.0), (3, 150, 1.5), (3, 200, 2.5),
                      (3, 300, 1.0)])
    func cairoWrittenPDFMatchesPdftoppm(page: Int, dpi: Int, bound: Double) throws {
        let dir = try TemporaryDirectory("pdftoppm")
        let pdf = dir.file("rich.pdf")
        let sizes = [(612.0, 792.0), (595.28, 841.89), (360.0, 216.0)]
        H.cairoPDF(at: pdf, sizes: sizes, draw: H.drawRichPage)
        let document = try openDocument(url: pdf)
        #expect(document.format == .pdf && document.pageCount == 3)
        let measured = try document.pageSize(index: page - 1)
        let size = sizes[page - 1]
        #expect(abs(measured.width - size.0) < 0.01 && abs(measured.height - size.1) < 0.01)
        let reference = try H.pdftoppm(pdf, page: page, dpi: dpi, in: dir.url)
        let ours = try document.renderPage(index: page - 1, dpi: Double(dpi)).image
        #expect(ours.width == reference.width && ours.height == reference.height)
        let diff = H.meanAbsoluteDifference(ours, reference)
        #expect(diff < bound, "page \(page) at \(dpi) DPI: mean abs diff \(diff)")
    }

    @Test func sizesRoundUpLikePdftoppmAndFollowRotation() throws {
        let document = try openDocument(url: H.fixture("mixed.pdf"))
        #expect(document.pageCount == 4)
        // /Rotate 90 and 270 swap width and height.
        #expect(try document.pageSize(index: 1) == PageSize(width: 595, height: 842))
        #expect(try document.pageSize(index: 2) == PageSize(width: 200.25, height: 300.5))
        // ceil(200.25 × 200 / 72) = ceil(556.25) = 557; ceil(300.5 × 200 / 72) = 835.
        let page = try document.renderPage(index: 2, dpi: 200)
        #expect(page.image.width == 557 && page.image.height == 835)
    }

    @Test func encryptedPDFOpensWithUserOrOwnerPassword() throws {
        for password in ["secret", "owner-pass"] {
            let document = try openDocument(url: H.fixture("encrypted.pdf"), password: password)
            let page = try document.renderPage(index: 0, dpi: 50)
            #expect(page.image.width == 425 && page.image.height == 550)
            // The page has dark text: decryption worked.
            #expect(page.image.pixels.contains { $0 < 64 })
        }
    }

    /// Pages are opened one at a time: a 1,000-page document opens quickly and renders its
    /// last page without touching the others.
    @Test func thousandPageDocumentOpensLazily() throws {
        let dir = try TemporaryDirectory("lazy")
        let pdf = dir.file("thousand.pdf")
        H.cairoPDF(at: pdf, sizes: Array(repeating: (200.0, 100.0), count: 1000)) { cr, i, _, _ in
            cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                                   CAIRO_FONT_WEIGHT_NORMAL)
            cairo_move_to(cr, 10, 50)
            cairo_show_text(cr, "page \(i + 1)")
        }
        let start = ContinuousClock.now
        let document = try openDocument(url: pdf)
        #expect(document.pageCount == 1000)
        let last = try document.renderPage(index: 999, dpi: 72)
        #expect(last.image.width == 200 && last.image.height == 100)
        #expect(ContinuousClock.now - start < .seconds(20))
    }
}
