import CPopplerSplash
import Foundation
import Raster

/// A PDF opened with Poppler's C++ binding and rendered with Splash, the rasteriser behind
/// `pdftoppm`.
///
/// Pages are opened only while they are measured or rendered. A page is the raster
/// `pdftoppm -cropbox -r DPI` writes: the same size (`ceil(points × DPI / 72)`), the same
/// antialiasing of vectors and text, white paper. Most PDFs have no crop box apart from the
/// media box, and for them this is exactly `pdftoppm -r DPI`; where a crop box hides part of
/// the media box, palidoc shows what PDF viewers show (the crop box), pdftoppm the whole
/// media box.
public final class PDFDocumentSource: DocumentSource, @unchecked Sendable {
    /// The largest page side accepted, in points: 200 inches, the limit of PDF viewers
    /// (ISO 32000 Annex C) without `UserUnit`.
    public static let maxPageSidePoints: Double = 14_400

    /// The file the document was opened from.
    public let url: URL
    /// Always `.pdf`.
    public let format = DocumentFormat.pdf
    /// Number of pages (at least 1).
    public let pageCount: Int
    /// Whether a damaged file is refused instead of repaired.
    public let strict: Bool
    /// What the file's own structure showed (`PDFCrossReferenceCheck`) when it was opened.
    private let structureProblems: [String]
    private let limits: IngestLimits
    /// The `cps_document*`, used only under `lock`.
    let document: OpaquePointer
    /// Serialises every use of `document`.
    let lock = NSLock()

    /// Opens the PDF at `url` (`password` for encrypted files: user or owner password).
    ///
    /// A file whose end or cross-reference table is damaged (no `%%EOF`, a wrong `startxref`,
    /// a garbled table, entries pointing nowhere) is opened with the table Poppler rebuilds by
    /// scanning the file, and `repairs` says what was wrong; with `strict` it is refused
    /// instead (`truncatedPDF`, `damagedPDF`), as a cut-off file may have lost its last pages.
    public init(
        url: URL, password: String? = nil, limits: IngestLimits = IngestLimits(),
        strict: Bool = false
    ) throws {
        LibraryDiagnostics.silence()
        self.url = url
        self.limits = limits
        self.strict = strict
        _ = try FileProbe.header(of: url)
        structureProblems = PDFCrossReferenceCheck.problems(in: try FileProbe.contents(of: url))
        if strict, let first = structureProblems.first {
            throw IngestError(
                url,
                first == PDFCrossReferenceCheck.missingEOF ? .truncatedPDF : .damagedPDF(first))
        }
        var error = cps_error()
        guard let opened = cps_document_open_file(url.path, password, &error) else {
            // A cut-off file Poppler cannot repair says more as "truncated" than as whatever
            // Poppler missed first.
            if error.status == CPS_DAMAGED,
                structureProblems.contains(PDFCrossReferenceCheck.missingEOF)
            {
                throw IngestError(url, .truncatedPDF)
            }
            throw Self.ingestError(error, url)
        }
        let count = Int(cps_document_page_count(opened))
        guard count > 0 else {
            cps_document_close(opened)
            throw IngestError(url, .noPages)
        }
        document = opened
        pageCount = count
        if strict, let report = popplerRepairs().first {
            throw IngestError(url, .damagedPDF(report))
        }
    }

    /// What was wrong with a damaged file that was opened anyway: the problems seen in its
    /// structure, then what Poppler reported while repairing it (on opening, and on loading
    /// pages since). Empty for a sound file.
    public var repairs: [String] {
        let reports = lock.withLock { popplerRepairs() }
        guard !structureProblems.isEmpty || !reports.isEmpty else { return [] }
        return structureProblems + reports.map { "Poppler: \($0)" }
    }

    /// Poppler's messages about the structure: all of them once the file is known to be
    /// damaged, else only those saying it rebuilt the cross-reference table. Call under
    /// `lock` (or before the source is shared).
    private func popplerRepairs() -> [String] {
        let all = (0..<cps_document_report_count(document)).map {
            String(cString: cps_document_report(document, $0))
        }
        return structureProblems.isEmpty ? all.filter { $0.contains("reconstruct") } : all
    }

    deinit { cps_document_close(document) }

    /// The page's crop box in points, after its /Rotate.
    public func pageSize(index: Int) throws -> PageSize {
        try checkPageIndex(index)
        return try lock.withLock { try size(ofPage: index) }
    }

    /// Page `index` rendered at `dpi` onto white (size `ceil(points × dpi / 72)`).
    ///
    /// Pages over `maxBandBytes` of RGB are rendered in horizontal bands, so Splash never
    /// holds more than one band (band edges may differ from a whole-page render by a few
    /// antialiased pixels: Poppler places each band from its own, rounded, page origin).
    public func renderPage(index: Int, dpi: Double = defaultRenderDPI) throws -> PageRaster {
        try checkPageIndex(index)
        guard dpi.isFinite, dpi > 0 else { throw IngestError(url, .invalidDPI(dpi)) }
        return try lock.withLock {
            let (width, height) = try size(ofPage: index).pixelSize(dpi: dpi)
            try limits.check(width: width, height: height, file: url)
            guard let width32 = Int32(exactly: width), Int32(exactly: height) != nil else {
                throw IngestError(url, .pageTooLarge(
                    width: width, height: height, limitMegapixels: limits.maxPageMegapixels))
            }
            let rowBytes = width * 3
            let bandHeight = max(1, min(height, Self.maxBandBytes / rowBytes))
            var pixels = [UInt8](repeating: 0, count: height * rowBytes)  // [height, width, 3]
            var top = 0
            while top < height {
                let rows = min(bandHeight, height - top)
                var error = cps_error()
                let status = pixels.withUnsafeMutableBufferPointer { buffer in
                    cps_render_page(
                        document, Int32(index), dpi, width32, Int32(top), Int32(rows),
                        buffer.baseAddress! + top * rowBytes, rowBytes, &error)
                }
                guard status == CPS_OK else { throw Self.ingestError(error, url) }
                top += rows
            }
            // Poppler may rebuild a damaged table only now, when the page is first loaded.
            if strict, let report = popplerRepairs().first {
                throw IngestError(url, .damagedPDF(report))
            }
            let image = RGBImage(width: width, height: height, pixels: pixels)
            return PageRaster(index: index, image: image, resolution: Resolution(dpi: dpi))
        }
    }

    /// Largest band rendered at once, in bytes of RGB (a Letter page at 600 DPI is one band).
    private static let maxBandBytes = 128 * 1024 * 1024

    /// The crop box size of page `index` after rotation, validated. Call under `lock`.
    private func size(ofPage index: Int) throws -> PageSize {
        var width = 0.0, height = 0.0
        var error = cps_error()
        guard cps_page_size(document, Int32(index), &width, &height, &error) == CPS_OK else {
            throw Self.ingestError(error, url)
        }
        let sides = [width, height]
        guard sides.allSatisfy({ $0.isFinite && $0 >= 1 && $0 <= Self.maxPageSidePoints })
        else { throw IngestError(url, .absurdPageSize(width: width, height: height)) }
        return PageSize(width: width, height: height)
    }

    /// The `IngestError` for a failed CPopplerSplash call.
    static func ingestError(_ error: cps_error, _ url: URL) -> IngestError {
        let message = withUnsafeBytes(of: error.message) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        switch error.status {
        case CPS_PASSWORD_REQUIRED: return IngestError(url, .passwordRequired)
        case CPS_WRONG_PASSWORD: return IngestError(url, .wrongPassword)
        case CPS_DAMAGED, CPS_PAGE_UNAVAILABLE: return IngestError(url, .damagedPDF(message))
        default: return IngestError(url, .outputFailed("Poppler (Splash): " + message))
        }
    }
}
