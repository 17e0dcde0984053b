import Foundation
import Raster

/// A single PNG or JPEG image as a one-page document.
///
/// Only the header is read when opening; the pixels are decoded when the page is rendered.
public final class ImageDocumentSource: DocumentSource, @unchecked Sendable {
    /// The file the document was opened from.
    public let url: URL
    /// `.png` or `.jpeg`.
    public let format: DocumentFormat
    /// A single image is one page.
    public let pageCount = 1
    private let limits: IngestLimits
    /// Displayed size in pixels (after EXIF orientation).
    private let width: Int, height: Int
    private let resolution: Resolution?

    /// Opens the PNG or JPEG at `url`; `format` must be `.png` or `.jpeg`.
    public init(url: URL, format: DocumentFormat, limits: IngestLimits = IngestLimits()) throws {
        precondition(format == .png || format == .jpeg, "ImageDocumentSource reads PNG or JPEG")
        LibraryDiagnostics.silence()
        self.url = url
        self.format = format
        self.limits = limits
        let data = try FileProbe.contents(of: url)
        guard !data.isEmpty else { throw IngestError(url, .emptyFile) }
        if format == .png {
            let header = try PNGCodec.header(data, url)
            (width, height, resolution) = (header.width, header.height, header.resolution)
        } else {
            let header = try JPEGCodec.header(data, url)
            let turned = header.orientation.transposes
            width = turned ? header.height : header.width
            height = turned ? header.width : header.height
            resolution = header.resolution.map { turned ? Resolution(x: $0.y, y: $0.x) : $0 }
        }
    }

    /// The page size in points (pixels × 72 / DPI; 72 DPI when the file declares none).
    public func pageSize(index: Int) throws -> PageSize {
        try checkPageIndex(index)
        let r = resolution ?? Resolution(dpi: 72)
        return PageSize(width: Double(width) * 72 / r.x, height: Double(height) * 72 / r.y)
    }

    /// The page pixels; `dpi` is ignored (raster pages keep their own resolution).
    public func renderPage(index: Int, dpi: Double = defaultRenderDPI) throws -> PageRaster {
        try checkPageIndex(index)
        try limits.check(width: width, height: height, file: url)
        let image: RGBImage
        if format == .png {
            image = try PNGCodec.read(url)
        } else {
            let data = try FileProbe.contents(of: url)
            image = try JPEGCodec.read(data, header: JPEGCodec.header(data, url), url)
        }
        return PageRaster(index: index, image: image, resolution: resolution)
    }
}
