import Foundation

/// Guards applied while opening documents and producing pages.
public struct IngestLimits: Sendable, Hashable {
    /// The largest page raster allowed, in megapixels (decompression-bomb guard). The default,
    /// 150 MP, admits an A0 sheet at 300 DPI (140 MP) and refuses the rest.
    public var maxPageMegapixels: Double

    /// Limits with the defaults above.
    public init(maxPageMegapixels: Double = 150) {
        self.maxPageMegapixels = maxPageMegapixels
    }

    /// Throws `pageTooLarge` when a `width`×`height` raster of `file` is past the limit.
    func check(width: Int, height: Int, file: URL) throws {
        let megapixels = Double(width) * Double(height) / 1_000_000
        guard megapixels <= maxPageMegapixels else {
            throw IngestError(
                file, .pageTooLarge(width: width, height: height,
                                   limitMegapixels: maxPageMegapixels))
        }
    }
}
