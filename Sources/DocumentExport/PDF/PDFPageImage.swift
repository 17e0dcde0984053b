import Foundation

/// A page image, already encoded, that the PDF exporter places on its page.
///
/// The exporter embeds encoded bytes as they are instead of encoding pixels itself: a JPEG
/// is a PDF `DCTDecode` stream unchanged, and a PNG's zlib data is a PDF `FlateDecode` stream
/// with PNG predictors. So the image codecs stay with the C libraries in DocumentIngest (which
/// this target must not import); DocumentPipeline encodes each page raster there and hands
/// the bytes in.
public struct PDFPageImage: Sendable {
    /// How the bytes are encoded.
    public enum Encoding: String, Sendable {
        /// Baseline JPEG, 8-bit RGB (lossy).
        case jpeg
        /// PNG, 8-bit RGB or grey, not interlaced (lossless).
        case png
    }

    /// The encoding.
    public var encoding: Encoding
    /// The encoded file.
    public var data: Data

    /// An encoded image.
    public init(encoding: Encoding, data: Data) {
        self.encoding = encoding
        self.data = data
    }

    /// The image XObject's dictionary entries (without `/Length`) and stream data, for an
    /// image of `width` × `height` pixels (the page raster's size, which a PNG's own header
    /// must match). Throws `PDFWriterError` for a PNG this writer cannot carry.
    func xObject(width: Int, height: Int) throws -> (dictionary: String, data: Data) {
        let common = "/Type /XObject /Subtype /Image /Width \(width) /Height \(height) "
            + "/BitsPerComponent 8"
        switch encoding {
        case .jpeg:
            return (common + " /ColorSpace /DeviceRGB /Filter /DCTDecode", data)
        case .png:
            let png = try PNGStream(data)
            guard png.width == width, png.height == height else {
                throw PDFWriterError(
                    reason: "the page image is \(png.width)×\(png.height) pixels, the page "
                        + "\(width)×\(height)")
            }
            let space = png.colors == 3 ? "/DeviceRGB" : "/DeviceGray"
            return (
                common + " /ColorSpace \(space) /Filter /FlateDecode /DecodeParms << "
                    + "/Predictor 15 /Colors \(png.colors) /BitsPerComponent 8 "
                    + "/Columns \(width) >>",
                png.zlibData
            )
        }
    }
}
