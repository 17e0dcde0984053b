import CPoppler
import Foundation
import Raster

/// A PDF opened with Poppler's GLib binding and rendered through cairo.
///
/// Pages are opened only while they are measured or rendered. Rendering matches
/// `pdftoppm -r DPI`: the same pixel size (`ceil(points × DPI / 72)`), white paper,
/// antialiased vectors and text.
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
    private let limits: IngestLimits
    /// The `PopplerDocument*`, used only under `lock`.
    private let document: OpaquePointer
    private let lock = NSLock()

    /// Opens the PDF at `url` (`password` for encrypted files).
    public init(url: URL, password: String? = nil, limits: IngestLimits = IngestLimits()) throws {
        LibraryDiagnostics.silence()
        self.url = url
        self.limits = limits
        _ = try FileProbe.header(of: url)
        // Poppler reconstructs damaged cross-reference tables, and a cut-off file often still
        // "opens" with its last pages silently missing: refuse files without the trailer.
        let tail = try FileProbe.tail(of: url)
        guard tail.range(of: Data("%%EOF".utf8)) != nil else {
            throw IngestError(url, .truncatedPDF)
        }
        guard let uri = g_filename_to_uri(url.path, nil, nil) else {
            throw IngestError(url, .unreadable("the path cannot be expressed as a URI"))
        }
        defer { g_free(uri) }
        var error: UnsafeMutablePointer<GError>?
        let opened = poppler_document_new_from_file(uri, password, &error)
        guard let opened else {
            defer { if error != nil { g_error_free(error) } }
            if let error, error.pointee.domain == poppler_error_quark(),
                error.pointee.code == Int32(POPPLER_ERROR_ENCRYPTED.rawValue)
            {
                throw IngestError(url, password == nil ? .passwordRequired : .wrongPassword)
            }
            let message = error.map { String(cString: $0.pointee.message) } ?? "unknown error"
            throw IngestError(url, .damagedPDF(message))
        }
        document = opened
        pageCount = Int(poppler_document_get_n_pages(opened))
        guard pageCount > 0 else {
            g_object_unref(UnsafeMutableRawPointer(opened))
            throw IngestError(url, .noPages)
        }
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(document)) }

    /// The page's crop box in points, after its /Rotate.
    public func pageSize(index: Int) throws -> PageSize {
        try checkPageIndex(index)
        return try lock.withLock { try withPage(index) { try size(of: $0) } }
    }

    /// Page `index` rendered at `dpi` onto white (size `ceil(points × dpi / 72)`).
    public func renderPage(index: Int, dpi: Double = defaultRenderDPI) throws -> PageRaster {
        try checkPageIndex(index)
        guard dpi.isFinite, dpi > 0 else { throw IngestError(url, .invalidDPI(dpi)) }
        return try lock.withLock {
            try withPage(index) { page in
                let (width, height) = try size(of: page).pixelSize(dpi: dpi)
                try limits.check(width: width, height: height, file: url)
                let image = try render(page, width: width, height: height, scale: dpi / 72)
                return PageRaster(index: index, image: image, resolution: Resolution(dpi: dpi))
            }
        }
    }

    /// Runs `body` with page `index` open, and closes it again.
    private func withPage<T>(_ index: Int, _ body: (OpaquePointer) throws -> T) throws -> T {
        guard let page = poppler_document_get_page(document, Int32(index)) else {
            throw IngestError(url, .damagedPDF("page \(index + 1) cannot be loaded"))
        }
        defer { g_object_unref(UnsafeMutableRawPointer(page)) }
        return try body(page)
    }

    /// The page's crop box size after rotation, validated.
    private func size(of page: OpaquePointer) throws -> PageSize {
        var width = 0.0, height = 0.0
        poppler_page_get_size(page, &width, &height)
        let sides = [width, height]
        guard sides.allSatisfy({ $0.isFinite && $0 >= 1 && $0 <= Self.maxPageSidePoints })
        else { throw IngestError(url, .absurdPageSize(width: width, height: height)) }
        return PageSize(width: width, height: height)
    }

    /// Renders `page` scaled by `scale` onto a white `width`×`height` canvas, placing text
    /// the way `pdftoppm` (Poppler's Splash backend) does.
    ///
    /// cairo 1.16 puts every glyph at a whole-pixel origin (rounded). Splash floors y to a
    /// whole pixel, and floors x to a quarter pixel for glyphs whose font box is at most
    /// 47 px high, to a whole pixel for larger ones (SplashFont::getGlyph). Shifting up by
    /// 1/2 px turns cairo's rounding of y into Splash's flooring. The font box is not known
    /// here, so the choice is made per DPI: below 190 DPI, where body text (10–12 pt in
    /// DejaVu, Liberation or Times-like fonts) has small boxes, the page is rendered 4×
    /// wider, shifted left by 1/8 px, and each 4 columns averaged (quarter-pixel x with exact
    /// coverage); from 190 DPI on, x is shifted left by 1/2 px (whole-pixel flooring). On a
    /// page of 10 pt DejaVu Serif this takes the mean absolute difference to `pdftoppm` from
    /// 5.2 to 0.3 grey levels at 150 DPI and from 11.7 to 0.05 at 300 DPI.
    /// Pages are drawn in horizontal bands so the surface stays under 64 MB.
    private func render(_ page: OpaquePointer, width: Int, height: Int, scale: Double) throws
        -> RGBImage
    {
        let factor = scale * 72 < Self.quarterPixelBelowDPI ? 4 : 1
        let wide = width * factor
        let bandHeight = max(1, min(height, Self.maxBandPixels / wide))
        var pixels = [UInt8](repeating: 0, count: width * height * 3)  // [height, width, 3]
        var top = 0
        while top < height {
            let rows = min(bandHeight, height - top)
            let surface = cairo_image_surface_create(
                CAIRO_FORMAT_RGB24, Int32(clamping: wide), Int32(clamping: rows))
            defer { cairo_surface_destroy(surface) }
            try CairoImage.check(cairo_surface_status(surface), url)
            let cr = cairo_create(surface)
            defer { cairo_destroy(cr) }
            cairo_set_source_rgb(cr, 1, 1, 1)
            cairo_paint(cr)
            // Half a surface pixel left: −1/8 px at 4× (x floored to 1/4 px), −1/2 px at 1×.
            cairo_translate(cr, -0.5, -0.5 - Double(top))
            cairo_scale(cr, scale * Double(factor), scale)
            poppler_page_render(page, cr)
            try CairoImage.check(cairo_status(cr), url)
            cairo_surface_flush(surface)
            Self.averageColumns(
                of: surface, factor: factor, into: &pixels, firstRow: top, width: width)
            top += rows
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// Below this DPI text is placed at quarter-pixel x positions (see `render`).
    private static let quarterPixelBelowDPI = 190.0
    /// Largest band surface in pixels (4 bytes each).
    private static let maxBandPixels = 16 * 1024 * 1024

    /// Averages each `factor` neighbouring pixels of the RGB24 `surface` rows into `pixels`
    /// rows starting at `firstRow` (rounding to nearest).
    private static func averageColumns(
        of surface: OpaquePointer?, factor: Int, into pixels: inout [UInt8], firstRow: Int,
        width: Int
    ) {
        let rows = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else { return }
        if factor == 1 {
            CairoImage.copyRGB(of: surface, into: &pixels, firstRow: firstRow, width: width)
            return
        }
        let half = UInt32(factor / 2)
        pixels.withUnsafeMutableBufferPointer { out in
            for y in 0..<rows {
                // Native-endian 32-bit words: 0x00RRGGBB.
                let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
                var o = (firstRow + y) * width * 3
                var i = 0
                for _ in 0..<width {
                    var r: UInt32 = half, g: UInt32 = half, b: UInt32 = half
                    for _ in 0..<factor {
                        let word = row[i]
                        r += (word >> 16) & 0xFF
                        g += (word >> 8) & 0xFF
                        b += word & 0xFF
                        i += 1
                    }
                    out[o] = UInt8(r / UInt32(factor))
                    out[o + 1] = UInt8(g / UInt32(factor))
                    out[o + 2] = UInt8(b / UInt32(factor))
                    o += 3
                }
            }
        }
    }
}
