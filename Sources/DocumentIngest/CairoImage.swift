import CPoppler
import Foundation
import Raster

/// Moves pixels between cairo image surfaces and `RGBImage`.
enum CairoImage {
    /// Throws `outputFailed` with cairo's message unless `status` is success.
    static func check(_ status: cairo_status_t, _ url: URL) throws {
        guard status == CAIRO_STATUS_SUCCESS else {
            let message = String(cString: cairo_status_to_string(status))
            throw IngestError(url, .outputFailed("cairo: " + message))
        }
    }

    /// The pixels of an RGB24 or ARGB32 surface, composited onto white. ARGB32 holds
    /// premultiplied alpha, so compositing onto white is `colour + (255 − alpha)` per channel.
    static func rgbImage(from surface: OpaquePointer?, _ url: URL) throws -> RGBImage {
        let format = cairo_image_surface_get_format(surface)
        guard format == CAIRO_FORMAT_RGB24 || format == CAIRO_FORMAT_ARGB32 else {
            throw IngestError(url, .outputFailed("cairo: unexpected surface format"))
        }
        cairo_surface_flush(surface)
        let width = Int(cairo_image_surface_get_width(surface))
        let height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        let hasAlpha = format == CAIRO_FORMAT_ARGB32
        var pixels = [UInt8](repeating: 0, count: width * height * 3)  // [height, width, 3]
        guard let data = cairo_image_surface_get_data(surface) else {
            throw IngestError(url, .outputFailed("cairo: the surface has no pixels"))
        }
        pixels.withUnsafeMutableBufferPointer { out in
            for y in 0..<height {
                // Native-endian 32-bit words: 0xAARRGGBB.
                let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
                var o = y * width * 3
                for x in 0..<width {
                    let word = row[x]
                    let white = hasAlpha ? 255 - (word >> 24) : 0
                    out[o] = UInt8(min(255, ((word >> 16) & 0xFF) + white))
                    out[o + 1] = UInt8(min(255, ((word >> 8) & 0xFF) + white))
                    out[o + 2] = UInt8(min(255, (word & 0xFF) + white))
                    o += 3
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// An RGB24 surface holding `image` (the caller destroys it).
    static func surface(from image: RGBImage, _ url: URL) throws -> OpaquePointer? {
        let surface = cairo_image_surface_create(
            CAIRO_FORMAT_RGB24, Int32(clamping: image.width), Int32(clamping: image.height))
        do {
            try check(cairo_surface_status(surface), url)
        } catch {
            cairo_surface_destroy(surface)
            throw error
        }
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        image.pixels.withUnsafeBufferPointer { source in
            for y in 0..<image.height {
                let row = UnsafeMutableRawPointer(data + y * stride)
                    .assumingMemoryBound(to: UInt32.self)
                var i = y * image.width * 3
                for x in 0..<image.width {
                    row[x] = 0xFF00_0000 | UInt32(source[i]) << 16 | UInt32(source[i + 1]) << 8
                        | UInt32(source[i + 2])
                    i += 3
                }
            }
        }
        cairo_surface_mark_dirty(surface)
        return surface
    }
}
