import CPoppler
import DocumentIngest
import Foundation
import PaliTestSupport
import Raster
import Testing

/// PDF pages against `pdftoppm -r DPI -png` from the same Poppler: same size, and a mean
/// absolute pixel difference under 1 grey level. Both rasterise with Splash and the same
/// settings, so in practice the pixels are identical (measured: 0.0 on every page below).
@Suite struct PDFRenderingTests {
    typealias H = IngestTestHelpers

    /// mixed.pdf pages: 1 Letter with text, vectors and an image; 2 A4 landscape /Rotate 90;
    /// 3 a small 300.5 × 200.25 pt page, /Rotate 270, dense vector art and a hairline;
    /// 4 A5 /Rotate 180 with an image.
    @Test(arguments: [1, 2, 3, 4], [150, 200, 300])
    func fixturePagesMatchPdftoppm(page: Int, dpi: Int) throws {
        let dir = try TemporaryDirectory("pdftoppm")
        let pdf = H.fixture("mixed.pdf")
        let reference = try H.pdftoppm(pdf, page: page, dpi: dpi, in: dir.url)
        let ours = try openDocument(url: pdf).renderPage(index: page - 1, dpi: Double(dpi))
        try #require(ours.image.width == reference.width && ours.image.height == reference.height)
        #expect(ours.resolution == Resolution(dpi: Double(dpi)))
        let diff = H.meanAbsoluteDifference(ours.image, reference)
        #expect(diff < 1.0, "page \(page) at \(dpi) DPI: mean abs diff \(diff)")
        // Same Poppler, same Splash settings: the same pixels.
        #expect(H.identical(ours.image, reference), "page \(page) at \(dpi) DPI differs")
    }

    /// A cairo-written PDF: embedded (subset) DejaVu fonts at 11 pt, vectors, a scaled image,
    /// and mixed page sizes (Letter, A4, a small landscape card).
    @Test(arguments: [1, 2, 3], [150, 200, 300])
    func cairoWrittenPDFMatchesPdftoppm(page: Int, dpi: Int) throws {
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
        try #require(ours.width == reference.width && ours.height == reference.height)
        let diff = H.meanAbsoluteDifference(ours, reference)
        #expect(diff < 1.0, "page \(page) at \(dpi) DPI: mean abs diff \(diff)")
    }

    /// A page whose crop box hides part of its media box: the page is the crop box (what
    /// viewers show), so it matches `pdftoppm -cropbox` (plain pdftoppm shows the media box).
    /// The second page adds /Rotate 90.
    @Test(arguments: [1, 2], [72, 150, 200])
    func cropBoxIsThePage(page: Int, dpi: Int) throws {
        let dir = try TemporaryDirectory("cropbox")
        let pdf = dir.file("cropped.pdf")
        try Self.croppedPDF().write(to: pdf)
        let document = try openDocument(url: pdf)
        let size = try document.pageSize(index: page - 1)
        let (width, height) = page == 1 ? (229.8, 349.5) : (349.5, 229.8)
        #expect(abs(size.width - width) < 1e-6 && abs(size.height - height) < 1e-6)
        let reference = try H.pdftoppm(pdf, page: page, dpi: dpi, options: ["-cropbox"],
                                       in: dir.url)
        let ours = try document.renderPage(index: page - 1, dpi: Double(dpi)).image
        try #require(ours.width == reference.width && ours.height == reference.height)
        // Splash also clips to the crop box here, which can shade its edge pixels.
        let diff = H.meanAbsoluteDifference(ours, reference)
        #expect(diff < 1.0, "page \(page) at \(dpi) DPI: mean abs diff \(diff)")
    }

    /// A page too large for one band (100,000 × 500 px, 150 MB of RGB) is rendered in bands
    /// that join seamlessly: a rectangle crossing the band boundary (row 447) matches
    /// pdftoppm's render of that region.
    @Test func hugePagesRenderInSeamlessBands() throws {
        let dir = try TemporaryDirectory("bands")
        let pdf = dir.file("banner.pdf")
        H.cairoPDF(at: pdf, sizes: [(14_400, 72)]) { cr, _, _, _ in
            cairo_set_source_rgb(cr, 0, 0, 0)
            cairo_rectangle(cr, 100, 50, 100, 20)  // rows 347.2 ..< 486.1 at 500 DPI
            cairo_fill(cr)
        }
        let page = try openDocument(url: pdf).renderPage(index: 0, dpi: 500).image
        #expect(page.width == 100_000 && page.height == 500)
        let region = (x: 600, y: 300, width: 900, height: 200)
        let reference = try H.pdftoppm(
            pdf, page: 1, dpi: 500,
            options: ["-x", "\(region.x)", "-y", "\(region.y)", "-W", "\(region.width)",
                      "-H", "\(region.height)"],
            in: dir.url)
        try #require(reference.width == region.width && reference.height == region.height)
        var crop = [UInt8]()  // [region.height, region.width, 3]
        for y in region.y..<(region.y + region.height) {
            let start = (y * page.width + region.x) * 3
            crop += page.pixels[start..<(start + region.width * 3)]
        }
        let ours = RGBImage(width: region.width, height: region.height, pixels: crop)
        #expect(H.meanAbsoluteDifference(ours, reference) < 1.0)
        // Inside the rectangle on both sides of the band boundary: black.
        let column = 150 * 500 / 72
        for row in [360, 446, 447, 480] {
            #expect(page.pixels[(row * page.width + column) * 3] == 0, "row \(row)")
        }
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

    /// A two-page PDF (300 × 400 pt media box, crop box [20.3 30.7 250.1 380.2], page 2
    /// /Rotate 90) with fills, text and a thin diagonal line crossing the crop box.
    static func croppedPDF() -> Data {
        let content = "0 0 1 rg 0 0 300 400 re f 1 0 0 rg 50 50 100 100 re f "
            + "BT /F1 24 Tf 60 200 Td (Crop me) Tj ET 0 g 0.3 w 10 10 m 290 390 l S"
        let page = "/Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] "
            + "/CropBox [20.3 30.7 250.1 380.2] /Contents 4 0 R "
            + "/Resources << /Font << /F1 5 0 R >> >>"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>",
            "<< \(page) >>",
            "<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< \(page) /Rotate 90 >>",
        ]
        return TestPDF.file(objects: objects)
    }
}
