import CTIFF
import Foundation
import Raster

/// A TIFF (or BigTIFF) with one page per image directory, decoded by libtiff.
///
/// libtiff's RGBA interface handles strips and tiles; 1- to 16-bit samples; bilevel, grey,
/// palette, RGB, RGBA, CMYK and YCbCr photometrics; and every codec libtiff was built with
/// (CCITT G3/G4, LZW, Deflate, JPEG, PackBits, …). Alpha is composited onto white; the
/// Orientation tag is applied afterwards (all eight values, unlike libtiff's own handling).
public final class TIFFDocumentSource: DocumentSource, @unchecked Sendable {
    /// The file the document was opened from.
    public let url: URL
    /// Always `.tiff`.
    public let format = DocumentFormat.tiff
    /// Number of pages (at least 1).
    public let pageCount: Int
    private let limits: IngestLimits
    private let log = TIFFMessageLog()
    /// The `TIFF*`, used only under `lock`.
    private let tiff: OpaquePointer
    private let lock = NSLock()

    /// Opens the TIFF at `url` and counts its directories.
    public init(url: URL, limits: IngestLimits = IngestLimits()) throws {
        LibraryDiagnostics.silence()
        self.url = url
        self.limits = limits
        _ = try FileProbe.header(of: url)
        guard let opened = log.open(path: url.path) else {
            throw IngestError(url, .corruptTIFF(log.firstError ?? "libtiff cannot open it"))
        }
        tiff = opened
        pageCount = Int(TIFFNumberOfDirectories(opened))
        guard pageCount > 0 else {
            TIFFClose(opened)
            throw IngestError(url, .noPages)
        }
    }

    deinit { TIFFClose(tiff) }

    /// The page size in points (pixels × 72 / DPI; 72 DPI when the file declares none).
    public func pageSize(index: Int) throws -> PageSize {
        try checkPageIndex(index)
        return try lock.withLock {
            try select(index)
            let (width, height) = try dimensions()
            let resolution = self.resolution() ?? Resolution(dpi: 72)
            var size = PageSize(width: Double(width) * 72 / resolution.x,
                                height: Double(height) * 72 / resolution.y)
            if Orientation(tag: orientationTag()).transposes {
                size = PageSize(width: size.height, height: size.width)
            }
            return size
        }
    }

    /// The page pixels; `dpi` is ignored (raster pages keep their own resolution).
    public func renderPage(index: Int, dpi: Double = defaultRenderDPI) throws -> PageRaster {
        try checkPageIndex(index)
        return try lock.withLock {
            try select(index)
            let (width, height) = try dimensions()
            try limits.check(width: width, height: height, file: url)
            let orientation = Orientation(tag: orientationTag())
            let image = try decode(width: width, height: height).oriented(orientation)
            var resolution = self.resolution()
            if orientation.transposes, let r = resolution {
                resolution = Resolution(x: r.y, y: r.x)
            }
            return PageRaster(index: index, image: image, resolution: resolution)
        }
    }

    /// Makes directory `index` current.
    private func select(_ index: Int) throws {
        log.reset()
        guard TIFFSetDirectory(tiff, tdir_t(index)) == 1 else {
            throw IngestError(
                url, .corruptTIFF(log.firstError ?? "page \(index + 1) cannot be read"))
        }
    }

    /// Width and height of the current directory.
    private func dimensions() throws -> (Int, Int) {
        var width: UInt32 = 0, height: UInt32 = 0
        guard TIFFGetField_u32(tiff, UInt32(TIFFTAG_IMAGEWIDTH), &width) == 1,
            TIFFGetField_u32(tiff, UInt32(TIFFTAG_IMAGELENGTH), &height) == 1,
            width > 0, height > 0
        else { throw IngestError(url, .corruptTIFF("missing or zero image size")) }
        return (Int(width), Int(height))
    }

    /// The Orientation tag of the current directory (1 when absent).
    private func orientationTag() -> Int {
        var value: UInt16 = 1
        return TIFFGetField_u16(tiff, UInt32(TIFFTAG_ORIENTATION), &value) == 1 ? Int(value) : 1
    }

    /// XResolution/YResolution in pixels per inch, or `nil` without usable tags (or with
    /// ResolutionUnit "none", which only states an aspect ratio).
    private func resolution() -> Resolution? {
        var x: Float = 0, y: Float = 0, unit: UInt16 = UInt16(RESUNIT_INCH)
        guard TIFFGetField_float(tiff, UInt32(TIFFTAG_XRESOLUTION), &x) == 1, x.isFinite, x > 0
        else { return nil }
        if TIFFGetField_float(tiff, UInt32(TIFFTAG_YRESOLUTION), &y) != 1 || !y.isFinite
            || y <= 0
        {
            y = x
        }
        _ = TIFFGetFieldDefaulted_u16(tiff, UInt32(TIFFTAG_RESOLUTIONUNIT), &unit)
        switch Int32(unit) {
        case RESUNIT_INCH: return Resolution(x: Double(x), y: Double(y))
        case RESUNIT_CENTIMETER: return Resolution(x: Double(x) * 2.54, y: Double(y) * 2.54)
        default: return nil
        }
    }

    /// Decodes the current directory in stored row order into RGB on white.
    private func decode(width: Int, height: Int) throws -> RGBImage {
        var message = [CChar](repeating: 0, count: 1024)
        var image = TIFFRGBAImage()
        guard TIFFRGBAImageOK(tiff, &message) == 1,
            TIFFRGBAImageBegin(&image, tiff, 1, &message) == 1
        else {
            let why = String(cBuffer: message)
            let reason = why.isEmpty ? (log.firstError ?? "unsupported layout") : why
            throw IngestError(url, .corruptTIFF(reason))
        }
        defer { TIFFRGBAImageEnd(&image) }
        // Stored order: orientation is applied by `oriented(_:)`, for all eight values.
        image.req_orientation = UInt16(ORIENTATION_TOPLEFT)
        image.orientation = UInt16(ORIENTATION_TOPLEFT)
        var raster = [UInt32](repeating: 0, count: width * height)  // [height, width] ABGR
        log.reset()
        let ok = raster.withUnsafeMutableBufferPointer {
            TIFFRGBAImageGet(&image, $0.baseAddress, UInt32(width), UInt32(height))
        }
        guard ok == 1 else {
            let why = log.firstError ?? "the image data cannot be decoded"
            throw IngestError(url, .corruptTIFF(why))
        }
        var pixels = [UInt8](repeating: 0, count: width * height * 3)  // [height, width, 3]
        pixels.withUnsafeMutableBufferPointer { out in
            for i in 0..<raster.count {
                // libtiff packs A B G R from the high byte down, with colour premultiplied by
                // alpha, so compositing onto white adds the uncovered part: 255 − alpha.
                let word = raster[i]
                let white = 255 - (word >> 24)
                out[3 * i] = UInt8(min(255, (word & 0xFF) + white))
                out[3 * i + 1] = UInt8(min(255, ((word >> 8) & 0xFF) + white))
                out[3 * i + 2] = UInt8(min(255, ((word >> 16) & 0xFF) + white))
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }
}
