import CPoppler
import Foundation

/// How much of each page of a PDF its raster images cover, measured with Poppler's GLib
/// binding (which lists a page's image placements without decoding them). A page that an
/// image covers almost entirely is a scan: whatever text it has sits on the picture of the
/// page, usually as the invisible text (render mode 3) of an earlier OCR run.
public final class PDFImageCoverage: @unchecked Sendable {
    /// The file.
    public let url: URL
    /// The `PopplerDocument*`, used only under `lock`.
    private let document: OpaquePointer
    private let lock = NSLock()

    /// Opens the PDF at `url` (`password` for encrypted files). Throws `IngestError`.
    public init(url: URL, password: String? = nil) throws {
        LibraryDiagnostics.silence()
        self.url = url
        var error: UnsafeMutablePointer<GError>?
        guard let uri = g_filename_to_uri(url.path, nil, &error) else {
            defer { g_clear_error(&error) }
            throw IngestError(url, .unreadable(Self.message(error)))
        }
        defer { g_free(uri) }
        guard let opened = poppler_document_new_from_file(uri, password, &error) else {
            defer { g_clear_error(&error) }
            throw IngestError(url, .damagedPDF(Self.message(error)))
        }
        document = opened
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(document)) }

    /// The fraction (0…1) of page `index`'s area covered by its images: the sum of each
    /// placement's area within the page, at most 1.
    public func coverage(index: Int) throws -> Double {
        try lock.withLock {
            guard let page = poppler_document_get_page(document, Int32(index)) else {
                throw IngestError(url, .damagedPDF("page \(index + 1) cannot be loaded"))
            }
            defer { g_object_unref(UnsafeMutableRawPointer(page)) }
            var width = 0.0, height = 0.0
            poppler_page_get_size(page, &width, &height)
            guard width > 0, height > 0 else { return 0 }
            let list = poppler_page_get_image_mapping(page)
            defer { poppler_page_free_image_mapping(list) }
            var covered = 0.0
            var node = list
            while let item = node {
                if let mapping = item.pointee.data?.assumingMemoryBound(
                    to: PopplerImageMapping.self)
                {
                    let area = mapping.pointee.area
                    let w = min(max(area.x1, area.x2), width) - max(min(area.x1, area.x2), 0)
                    let h = min(max(area.y1, area.y2), height) - max(min(area.y1, area.y2), 0)
                    if w > 0, h > 0 { covered += w * h }
                }
                node = item.pointee.next
            }
            return min(1, covered / (width * height))
        }
    }

    private static func message(_ error: UnsafeMutablePointer<GError>?) -> String {
        error.flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "Poppler (GLib) failed"
    }
}
