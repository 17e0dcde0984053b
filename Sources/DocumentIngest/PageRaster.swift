import Raster

/// One page as pixels: the image plus the resolution it has on paper.
public struct PageRaster: Sendable, Equatable {
    /// Zero-based page index in its document.
    public let index: Int
    /// The page pixels, 8-bit RGB, composited onto white.
    public let image: RGBImage
    /// The page's resolution: the render DPI for PDF pages, the file's resolution tags for
    /// scans, or `nil` when a raster file declares none.
    public let resolution: Resolution?

    /// A page raster.
    public init(index: Int, image: RGBImage, resolution: Resolution?) {
        self.index = index
        self.image = image
        self.resolution = resolution
    }
}
