import CJPEG
import Foundation
import Raster

/// JPEG through libjpeg(-turbo): greyscale, YCbCr and Adobe CMYK/YCCK, baseline and
/// progressive; the EXIF Orientation is applied and JFIF/EXIF density gives the resolution.
enum JPEGCodec {
    /// Header facts read without decoding the image.
    struct Header {
        var width: Int
        var height: Int
        var resolution: Resolution?
        var orientation: Orientation
    }

    /// Reads the frame size (libjpeg) and the JFIF density and EXIF orientation (markers).
    static func header(_ data: Data, _ url: URL) throws -> Header {
        var info = palidoc_jpeg_info()
        try decode(data, &info, nil, url)
        let markers = JPEGMarkers(data)
        return Header(width: Int(info.width), height: Int(info.height),
                      resolution: markers.resolution, orientation: markers.orientation)
    }

    /// Decodes `data` into RGB, upright.
    static func read(_ data: Data, header: Header, _ url: URL) throws -> RGBImage {
        var info = palidoc_jpeg_info()
        var pixels = [UInt8](repeating: 0, count: header.width * header.height * 3)
        try pixels.withUnsafeMutableBufferPointer { try decode(data, &info, $0.baseAddress, url) }
        return RGBImage(width: header.width, height: header.height, pixels: pixels)
            .oriented(header.orientation)
    }

    /// Encodes `image` as a baseline JPEG at `quality` (1–100); `url` names the destination
    /// in errors.
    static func encode(_ image: RGBImage, quality: Int, _ url: URL) throws -> Data {
        var message = [CChar](repeating: 0, count: 256)
        var buffer: UnsafeMutablePointer<UInt8>?
        var size = 0
        let status = image.pixels.withUnsafeBufferPointer { pixels in
            palidoc_jpeg_encode(
                pixels.baseAddress, Int32(clamping: image.width), Int32(clamping: image.height),
                Int32(clamping: quality), &buffer, &size, &message, message.count)
        }
        guard status == 0, let buffer else {
            throw IngestError(url, .outputFailed("cannot write JPEG: " + String(cBuffer: message)))
        }
        defer { free(buffer) }
        return Data(bytes: buffer, count: size)
    }

    private static func decode(
        _ data: Data, _ info: inout palidoc_jpeg_info, _ rgb: UnsafeMutablePointer<UInt8>?,
        _ url: URL
    ) throws {
        var message = [CChar](repeating: 0, count: 256)
        let status = data.withUnsafeBytes { bytes in
            palidoc_jpeg_decode(
                bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count, &info, rgb,
                &message, message.count)
        }
        guard status == 0 else {
            throw IngestError(url, .corruptImage("JPEG: " + String(cBuffer: message)))
        }
    }
}
