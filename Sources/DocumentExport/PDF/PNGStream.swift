import Foundation

/// The parts of a PNG file a PDF needs to embed it without decoding: the size and colour
/// type from `IHDR`, and the concatenated `IDAT` chunks, which are one zlib stream of
/// filtered rows — what PDF's `FlateDecode` with `/Predictor 15` reads.
struct PNGStream {
    /// Width in pixels.
    var width: Int
    /// Height in pixels.
    var height: Int
    /// Colour components: 3 (RGB) or 1 (grey).
    var colors: Int
    /// The image data.
    var zlibData: Data

    /// Parses `data`; throws `PDFWriterError` unless it is an 8-bit RGB or grey PNG without
    /// interlacing (what palidoc writes).
    init(_ data: Data) throws {
        let bytes = [UInt8](data)
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count >= 33, bytes.prefix(8).elementsEqual(signature) else {
            throw PDFWriterError(reason: "the page image is not a PNG file")
        }
        func u32(_ at: Int) -> Int {
            Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8
                | Int(bytes[at + 3])
        }
        var offset = 8
        var header: (width: Int, height: Int, depth: UInt8, type: UInt8, interlace: UInt8)?
        var idat = Data()
        while offset + 8 <= bytes.count {
            let length = u32(offset)
            let body = offset + 8
            guard length >= 0, body + length + 4 <= bytes.count else {
                throw PDFWriterError(reason: "the page image PNG is truncated")
            }
            let type = String(decoding: bytes[offset + 4..<body], as: UTF8.self)
            if type == "IEND" { break }
            if type == "IHDR", length >= 13 {
                header = (
                    u32(body), u32(body + 4), bytes[body + 8], bytes[body + 9], bytes[body + 12]
                )
            } else if type == "IDAT" {
                idat.append(contentsOf: bytes[body..<body + length])
            }
            offset = body + length + 4
        }
        guard let header, header.depth == 8, header.interlace == 0,
            header.type == 2 || header.type == 0, !idat.isEmpty
        else {
            throw PDFWriterError(
                reason: "the page image PNG is not 8-bit RGB or grey without interlacing")
        }
        width = header.width
        height = header.height
        colors = header.type == 2 ? 3 : 1
        zlibData = idat
    }
}
