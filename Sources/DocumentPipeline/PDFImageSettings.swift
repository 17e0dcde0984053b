/// How the `pdf` exporter stores page images (pipeline key `pdf`).
public struct PDFImageSettings: Sendable, Equatable {
    /// The page image encodings.
    public enum Encoding: String, CaseIterable, Sendable {
        /// PNG data (Flate): the page raster exactly.
        case lossless
        /// JPEG at `jpegQuality`: with JPEG's artefacts, much smaller for photographs and
        /// scans.
        case jpeg
    }

    /// Qualities a JPEG can have.
    public static let qualityRange = 1...100

    /// The encoding (default lossless).
    public var image: Encoding
    /// JPEG quality, 1–100 (default 85); used with `.jpeg` only.
    public var jpegQuality: Int

    /// Settings; the defaults keep pages exact.
    public init(image: Encoding = .lossless, jpegQuality: Int = 85) {
        self.image = image
        self.jpegQuality = jpegQuality
    }
}
