import Raster

/// PaliGemma's image processor: RGB → square resize → [-1, 1], channel-first.
enum ImageProcessor {
    /// `[3, size, size]` values `(x / 255 − 0.5) / 0.5`, as `transformers`'
    /// `SiglipImageProcessorPil` (rescale in double, cast to float32, then normalise).
    static func pixelValues(for image: RGBImage, size: Int, filter: ResampleFilter) -> [Float] {
        let resized =
            image.width == size && image.height == size
            ? image : image.resized(width: size, height: size, filter: filter)
        var out = [Float](repeating: 0, count: 3 * size * size)  // [3, size, size]
        let plane = size * size
        for i in 0..<plane {
            for c in 0..<3 {
                let scaled = Float(Double(resized.pixels[i * 3 + c]) * (1.0 / 255.0))
                out[c * plane + i] = (scaled - 0.5) / 0.5
            }
        }
        return out
    }
}
