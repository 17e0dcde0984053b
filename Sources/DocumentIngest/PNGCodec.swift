import CPoppler
import Foundation
import Raster

/// PNG through cairo (libpng underneath): 1–16-bit grey, palette, RGB, with or without alpha,
/// read as 8-bit RGB on white; written as 8-bit RGB.
enum PNGCodec {
    /// Header facts read without decoding: size from IHDR, resolution from pHYs.
    struct Header {
        var width: Int
        var height: Int
        var resolution: Resolution?
    }

    /// Parses the chunks before the image data. Throws `corruptImage` on a malformed header.
    static func header(_ data: Data, _ url: URL) throws -> Header {
        let bytes = [UInt8](data.prefix(64 * 1024))
        func u32(_ at: Int) -> Int {
            Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8
                | Int(bytes[at + 3])
        }
        guard bytes.count >= 33, bytes[12..<16].elementsEqual(Array("IHDR".utf8)) else {
            throw IngestError(url, .corruptImage("PNG without an IHDR header"))
        }
        var header = Header(width: u32(16), height: u32(20), resolution: nil)
        guard header.width > 0, header.height > 0 else {
            throw IngestError(url, .corruptImage("PNG of zero size"))
        }
        var offset = 8
        while offset + 8 <= bytes.count {
            let length = u32(offset)
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            if type == "IDAT" || type == "IEND" { break }
            // pHYs: pixels per unit X, Y, unit (1 = metre).
            if type == "pHYs", length == 9, offset + 17 <= bytes.count, bytes[offset + 16] == 1 {
                let x = Double(u32(offset + 8)) * 0.0254, y = Double(u32(offset + 12)) * 0.0254
                if x > 0, y > 0 { header.resolution = Resolution(x: x, y: y) }
            }
            offset += 12 + length
        }
        return header
    }

    /// Decodes the PNG file at `url`.
    static func read(_ url: URL) throws -> RGBImage {
        let surface = cairo_image_surface_create_from_png(url.path)
        defer { cairo_surface_destroy(surface) }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            let message = String(cString: cairo_status_to_string(status))
            throw IngestError(url, .corruptImage("PNG: " + message))
        }
        return try CairoImage.rgbImage(from: surface, url)
    }

    /// Writes `image` as an 8-bit RGB PNG at `url` (not atomic; `ImageFile` adds that).
    static func write(_ image: RGBImage, to url: URL) throws {
        let surface = try CairoImage.surface(from: image, url)
        defer { cairo_surface_destroy(surface) }
        let status = cairo_surface_write_to_png(surface, url.path)
        guard status == CAIRO_STATUS_SUCCESS else {
            let message = String(cString: cairo_status_to_string(status))
            throw IngestError(url, .outputFailed("cannot write PNG (cairo: \(message))"))
        }
    }
}
