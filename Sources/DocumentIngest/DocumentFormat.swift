import Foundation

/// The file formats palidoc ingests, recognised by content, never by file name.
public enum DocumentFormat: String, Sendable, CaseIterable {
    /// Portable Document Format.
    case pdf
    /// TIFF or BigTIFF, one page per directory.
    case tiff
    /// PNG, one page.
    case png
    /// JPEG (JFIF/EXIF), one page.
    case jpeg

    /// The format whose signature starts `header`, or `nil`.
    ///
    /// PDF readers accept the `%PDF-` marker anywhere in the first 1024 bytes (some producers
    /// put junk or a BOM before it), so that window is searched.
    public static func detect(header: Data) -> DocumentFormat? {
        let bytes = [UInt8](header.prefix(1024))
        func starts(_ signature: [UInt8]) -> Bool { bytes.starts(with: signature) }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        // "II*\0" / "MM\0*" (classic) and "II+\0" / "MM\0+" (BigTIFF).
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A])
            || starts([0x49, 0x49, 0x2B, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2B])
        {
            return .tiff
        }
        let marker: [UInt8] = Array("%PDF-".utf8)
        if bytes.count >= marker.count {
            for start in 0...(bytes.count - marker.count)
            where bytes[start..<start + marker.count].elementsEqual(marker) {
                return .pdf
            }
        }
        return nil
    }
}
