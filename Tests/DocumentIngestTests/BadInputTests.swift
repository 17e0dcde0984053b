import CTIFF
import DocumentIngest
import Foundation
import PaliTestSupport
import Raster
import Testing

/// Broken and hostile inputs become one typed error naming the file and the reason — never a
/// crash, a hang or library noise.
@Suite struct BadInputTests {
    typealias H = IngestTestHelpers

    static let fixtures: [(String, IngestError.Reason)] = [
        ("truncated.pdf", .truncatedPDF),
        ("not-a-pdf.pdf", .unknownFormat(named: "pdf")),
        ("zero-pages.pdf", .noPages),
        ("absurd-size.pdf", .absurdPageSize(width: 1_000_000, height: 1_000_000)),
        ("encrypted.pdf", .passwordRequired),
    ]

    @Test(arguments: fixtures)
    func fixtureFailsWithReason(_ name: String, _ reason: IngestError.Reason) throws {
        let url = H.fixture(name)
        let error = try #require(throws: IngestError.self) {
            let document = try openDocument(url: url)
            _ = try document.renderPage(index: 0, dpi: 72)
        }
        #expect(error == IngestError(url, reason))
        #expect(error.description.hasPrefix(url.path + ": "))
        #expect(!error.description.contains("\n"))
    }

    /// A page tree containing itself fails on the missing page; a form drawing itself renders
    /// (Poppler cuts the recursion). Neither hangs.
    @Test func cyclicPDFStructuresEndQuickly() throws {
        let loop = H.fixture("page-tree-loop.pdf")
        let document = try openDocument(url: loop)
        #expect(throws: IngestError(loop, .damagedPDF("page 2 cannot be loaded"))) {
            for index in 0..<document.pageCount {
                _ = try document.renderPage(index: index, dpi: 72)
            }
        }
        let recursive = try openDocument(url: H.fixture("recursive-form.pdf"))
        let page = try recursive.renderPage(index: 0, dpi: 72)
        #expect(page.image == RGBImage(width: 100, height: 100))
    }

    @Test func wrongPasswordIsNamed() throws {
        let url = H.fixture("encrypted.pdf")
        #expect(throws: IngestError(url, .wrongPassword)) {
            try openDocument(url: url, password: "guess")
        }
    }

    @Test(arguments: ["truncated.tif", "corrupt.tif", "truncated.png", "truncated.jpg"])
    func damagedRastersFail(_ name: String) throws {
        let url = H.fixture(name)
        let error = try #require(throws: IngestError.self) {
            _ = try openDocument(url: url).renderPage(index: 0, dpi: 72)
        }
        #expect(error.file == url)
        switch error.reason {
        case .corruptTIFF(let why), .corruptImage(let why): #expect(!why.isEmpty)
        default: Issue.record("unexpected reason \(error.reason)")
        }
    }

    @Test func emptyMissingAndDirectoryInputs() throws {
        let dir = try TemporaryDirectory("bad")
        let empty = dir.file("empty.pdf")
        _ = FileManager.default.createFile(atPath: empty.path, contents: Data())
        #expect(throws: IngestError(empty, .emptyFile)) { try openDocument(url: empty) }
        let missing = dir.file("missing.tif")
        #expect(throws: IngestError(missing, .unreadable("no such file"))) {
            try openDocument(url: missing)
        }
        #expect(throws: IngestError(dir.url, .unreadable("is a directory"))) {
            try openDocument(url: dir.url)
        }
    }

    @Test func pageIndexAndDPIAreChecked() throws {
        let url = H.fixture("mixed.pdf")
        let document = try openDocument(url: url)
        #expect(throws: IngestError(url, .pageOutOfRange(index: 4, pageCount: 4))) {
            try document.renderPage(index: 4, dpi: 72)
        }
        #expect(throws: IngestError(url, .invalidDPI(0))) {
            try document.renderPage(index: 0, dpi: 0)
        }
    }

    @Test func decompressionBombGuardRefusesLargePages() throws {
        let pdf = H.fixture("mixed.pdf")
        let limited = try openDocument(url: pdf, limits: IngestLimits(maxPageMegapixels: 1))
        // Letter at 150 DPI is 1275 × 1650 px = 2.1 MP.
        #expect(throws: IngestError(pdf, .pageTooLarge(width: 1275, height: 1650,
                                                        limitMegapixels: 1))) {
            try limited.renderPage(index: 0, dpi: 150)
        }
        #expect(try limited.renderPage(index: 0, dpi: 72).image.width == 612)
        // A TIFF header claiming 100,000 × 100,000 pixels is refused before decoding.
        let dir = try TemporaryDirectory("bomb")
        let tiff = dir.file("bomb.tif")
        let out = try #require(TIFFOpen(tiff.path, "w"))
        TIFFSetField_u32(out, UInt32(TIFFTAG_IMAGEWIDTH), 100_000)
        TIFFSetField_u32(out, UInt32(TIFFTAG_IMAGELENGTH), 100_000)
        TIFFSetField_u16(out, UInt32(TIFFTAG_BITSPERSAMPLE), 1)
        TIFFSetField_u16(out, UInt32(TIFFTAG_SAMPLESPERPIXEL), 1)
        TIFFSetField_u16(out, UInt32(TIFFTAG_COMPRESSION), UInt16(COMPRESSION_CCITTFAX4))
        TIFFSetField_u16(out, UInt32(TIFFTAG_PHOTOMETRIC), UInt16(PHOTOMETRIC_MINISWHITE))
        TIFFSetField_u32(out, UInt32(TIFFTAG_ROWSPERSTRIP), 100_000)
        var row = [UInt8](repeating: 0, count: 12_500)
        _ = TIFFWriteScanline(out, &row, 0, 0)
        TIFFClose(out)
        let error = try #require(throws: IngestError.self) {
            _ = try openDocument(url: tiff).renderPage(index: 0, dpi: 200)
        }
        #expect(error == IngestError(tiff, .pageTooLarge(width: 100_000, height: 100_000,
                                                          limitMegapixels: 150)))
    }
}
