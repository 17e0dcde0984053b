import Foundation

/// The metadata palidoc needs from a JPEG's marker segments before the scan: JFIF density
/// (APP0) and the EXIF resolution and Orientation (APP1, IFD0).
struct JPEGMarkers {
    /// Pixels per inch, when the file states it.
    private(set) var resolution: Resolution?
    /// How the stored pixels must be turned for display.
    private(set) var orientation: Orientation = .topLeft

    /// Walks the segments of `data` up to the first scan; malformed segments end the walk
    /// (libjpeg judges the file itself).
    init(_ data: Data) {
        let bytes = [UInt8](data.prefix(256 * 1024))
        var offset = 2  // after SOI
        while offset + 4 <= bytes.count, bytes[offset] == 0xFF {
            let marker = bytes[offset + 1]
            if marker == 0xFF { offset += 1; continue }  // fill byte
            if marker == 0xDA || marker == 0xD9 { break }  // start of scan, end of image
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length >= 2, offset + 2 + length <= bytes.count else { break }
            let segment = Array(bytes[offset + 4..<offset + 2 + length])
            if marker == 0xE0 { readJFIF(segment) }
            if marker == 0xE1 { readEXIF(segment) }
            offset += 2 + length
        }
    }

    /// JFIF: "JFIF\0", version (2), units (1 = dpi, 2 = dots/cm), X density, Y density.
    private mutating func readJFIF(_ s: [UInt8]) {
        guard s.count >= 12, s.starts(with: Array("JFIF\0".utf8)) else { return }
        let x = Double(Int(s[8]) << 8 | Int(s[9])), y = Double(Int(s[10]) << 8 | Int(s[11]))
        guard x > 0, y > 0, resolution == nil else { return }
        switch s[7] {
        case 1: resolution = Resolution(x: x, y: y)
        case 2: resolution = Resolution(x: x * 2.54, y: y * 2.54)
        default: break
        }
    }

    /// EXIF: "Exif\0\0" then a TIFF structure; IFD0 holds Orientation (0x0112),
    /// XResolution (0x011A), YResolution (0x011B) and ResolutionUnit (0x0128).
    private mutating func readEXIF(_ s: [UInt8]) {
        guard s.count >= 14, s.starts(with: Array("Exif\0\0".utf8)) else { return }
        let tiff = Array(s[6...])
        let little: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= tiff.count else { return nil }
            return little ? Int(tiff[at]) | Int(tiff[at + 1]) << 8
                : Int(tiff[at]) << 8 | Int(tiff[at + 1])
        }
        func u32(_ at: Int) -> Int? {
            guard let a = u16(at), let b = u16(at + 2) else { return nil }
            return little ? a | b << 16 : a << 16 | b
        }
        func rational(_ at: Int) -> Double? {
            guard let pointer = u32(at), let n = u32(pointer), let d = u32(pointer + 4), d > 0
            else { return nil }
            return Double(n) / Double(d)
        }
        guard let ifd = u32(4), let count = u16(ifd) else { return }
        var x: Double?, y: Double?, unit = 2
        for entry in 0..<min(count, 512) {
            let at = ifd + 2 + entry * 12
            guard let tag = u16(at) else { break }
            switch tag {
            case 0x0112: if let value = u16(at + 8) { orientation = Orientation(tag: value) }
            case 0x011A: x = rational(at + 8)
            case 0x011B: y = rational(at + 8)
            case 0x0128: unit = u16(at + 8) ?? 2
            default: break
            }
        }
        if resolution == nil, let x, let y, x > 0, y > 0 {
            if unit == 2 { resolution = Resolution(x: x, y: y) }
            if unit == 3 { resolution = Resolution(x: x * 2.54, y: y * 2.54) }
        }
    }
}
