import Raster

/// When a tile counts as blank: almost every pixel within `tolerance` grey levels of the
/// tile's median grey (its background), whatever that colour is.
public struct BlankCriteria: Sendable, Hashable {
    /// Grey-level distance from the background still counted as background (absorbs scanner
    /// noise, paper texture and JPEG ringing).
    public var tolerance: Int
    /// The largest share of "ink" pixels a blank tile may have. The default, 1/10,000,
    /// tolerates dust specks yet keeps a tile holding a lone full stop at 150 DPI or more.
    public var maxInkFraction: Double

    /// Criteria with the defaults above (`tolerance` 40).
    public init(tolerance: Int = 40, maxInkFraction: Double = 0.0001) {
        self.tolerance = tolerance
        self.maxInkFraction = maxInkFraction
    }

    /// Whether `image`'s `width`×`height` top-left region (the page part of a tile) is blank.
    public func isBlank(_ image: RGBImage, width: Int, height: Int) -> Bool {
        let area = width * height
        guard area > 0 else { return true }
        var histogram = [Int](repeating: 0, count: 256)
        image.pixels.withUnsafeBufferPointer { p in
            for y in 0..<height {
                var i = y * image.width * 3
                for _ in 0..<width {
                    // ITU-R BT.601 luma in integers (weights sum to 1024).
                    let grey = (306 * Int(p[i]) + 601 * Int(p[i + 1]) + 117 * Int(p[i + 2])) >> 10
                    histogram[grey] += 1
                    i += 3
                }
            }
        }
        var median = 0, seen = 0
        while seen + histogram[median] <= area / 2 {
            seen += histogram[median]
            median += 1
        }
        let low = max(0, median - tolerance), high = min(255, median + tolerance)
        let background = histogram[low...high].reduce(0, +)
        return Double(area - background) <= maxInkFraction * Double(area)
    }
}
