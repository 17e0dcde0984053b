import Foundation

/// A document whose pages can be counted, measured and rendered one at a time.
///
/// Sources open pages lazily: only the page being rendered is held in memory, so a
/// 1,000-page PDF costs no more than its largest page. Methods may be called from any thread;
/// each source serialises access to its underlying library handle.
public protocol DocumentSource: AnyObject, Sendable {
    /// The file the document was opened from.
    var url: URL { get }
    /// The detected format.
    var format: DocumentFormat { get }
    /// Number of pages (at least 1: opening fails on documents without pages).
    var pageCount: Int { get }
    /// The size of page `index` (zero-based) in points, after its rotation.
    func pageSize(index: Int) throws -> PageSize
    /// Page `index` (zero-based) as 8-bit RGB on white. PDF pages are rendered at `dpi`;
    /// raster pages (TIFF, PNG, JPEG) keep their own pixels and resolution and ignore `dpi`.
    func renderPage(index: Int, dpi: Double) throws -> PageRaster
    /// What was wrong with a damaged file that was opened anyway (one line each), empty for
    /// a sound one. Only PDFs are repaired.
    var repairs: [String] { get }
}

extension DocumentSource {
    /// Nothing repaired: only PDF sources repair damaged files.
    public var repairs: [String] { [] }

    /// Throws `pageOutOfRange` unless `0 <= index < pageCount`.
    func checkPageIndex(_ index: Int) throws {
        guard index >= 0, index < pageCount else {
            throw IngestError(url, .pageOutOfRange(index: index, pageCount: pageCount))
        }
    }
}

/// The DPI pages are rendered at when nobody asks for another.
public let defaultRenderDPI: Double = 200

/// Opens `url` as a document, detecting its format from its content (never its name).
///
/// - Parameters:
///   - password: for encrypted PDFs (user or owner password).
///   - limits: the decompression-bomb guard applied to every page.
///   - strict: refuse a PDF with a damaged end or cross-reference table instead of
///     opening it with Poppler's repair (see `PDFDocumentSource.repairs`).
/// - Throws: `IngestError` naming the file and the reason.
public func openDocument(
    url: URL, password: String? = nil, limits: IngestLimits = IngestLimits(),
    strict: Bool = false
) throws -> any DocumentSource {
    LibraryDiagnostics.silence()
    let header = try FileProbe.header(of: url)
    guard let format = DocumentFormat.detect(header: header) else {
        let ext = url.pathExtension.lowercased()
        let claimed = ["pdf", "tif", "tiff", "png", "jpg", "jpeg"].contains(ext) ? ext : nil
        throw IngestError(url, .unknownFormat(named: claimed))
    }
    switch format {
    case .pdf:
        return try PDFDocumentSource(url: url, password: password, limits: limits, strict: strict)
    case .tiff: return try TIFFDocumentSource(url: url, limits: limits)
    case .png, .jpeg: return try ImageDocumentSource(url: url, format: format, limits: limits)
    }
}
