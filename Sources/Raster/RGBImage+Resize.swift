extension RGBImage {
    /// This image resampled to `width`×`height`, bit-exact with Pillow's
    /// `Image.resize((width, height), filter)` on an RGB image (its `ImagingResample`).
    ///
    /// As Pillow: the kernel's support grows with the downscale factor (so downscaling is
    /// antialiased), coefficients are normalised in double precision, then rounded to signed
    /// 22-bit fixed point; one pass per axis writes 8-bit pixels (order as Pillow 13 picks it);
    /// each sum starts at one half and is shifted and clipped to 0…255.
    public func resized(
        width outWidth: Int, height outHeight: Int, filter: ResampleFilter = .bicubic
    ) -> RGBImage {
        precondition(
            outWidth > 0 && outHeight > 0, "resize target \(outWidth)x\(outHeight) must be positive"
        )
        precondition(width > 0 && height > 0, "cannot resize an empty image")
        let horizontal =
            outWidth != width
            ? ResampleWeights(inSize: width, outSize: outWidth, filter: filter) : nil
        let vertical =
            outHeight != height
            ? ResampleWeights(inSize: height, outSize: outHeight, filter: filter) : nil
        // Pillow 13 runs the vertical pass first when it removes more than twice as many rows
        // as the horizontal pass removes columns; the 8-bit intermediate makes order matter.
        let verticalFirst = height - outHeight > 0 && height - outHeight > 2 * (width - outWidth)
        var image = self
        if verticalFirst, let vertical { image = image.resampledVertically(outHeight, vertical) }
        if let horizontal { image = image.resampledHorizontally(outWidth, horizontal) }
        if !verticalFirst, let vertical { image = image.resampledVertically(outHeight, vertical) }
        return image
    }

    private func resampledHorizontally(_ outWidth: Int, _ weights: ResampleWeights) -> RGBImage {
        var out = [UInt8](repeating: 0, count: outWidth * height * 3)
        pixels.withUnsafeBufferPointer { source in
            for y in 0..<height {
                let row = y * width * 3
                for x in 0..<outWidth {
                    let (first, count, offset) = weights.window(x)
                    for c in 0..<3 {
                        var sum = ResampleWeights.half
                        for i in 0..<count {
                            sum +=
                                Int32(source[row + (first + i) * 3 + c])
                                &* weights.coefficients[offset + i]
                        }
                        out[(y * outWidth + x) * 3 + c] = ResampleWeights.clip(sum)
                    }
                }
            }
        }
        return RGBImage(width: outWidth, height: height, pixels: out)
    }

    private func resampledVertically(_ outHeight: Int, _ weights: ResampleWeights) -> RGBImage {
        var out = [UInt8](repeating: 0, count: width * outHeight * 3)
        let stride = width * 3
        pixels.withUnsafeBufferPointer { source in
            for y in 0..<outHeight {
                let (first, count, offset) = weights.window(y)
                for x in 0..<stride {
                    var sum = ResampleWeights.half
                    for i in 0..<count {
                        sum +=
                            Int32(source[(first + i) * stride + x])
                            &* weights.coefficients[offset + i]
                    }
                    out[y * stride + x] = ResampleWeights.clip(sum)
                }
            }
        }
        return RGBImage(width: width, height: outHeight, pixels: out)
    }
}

/// Pillow's per-output-pixel source windows and fixed-point coefficients for one axis
/// (`precompute_coeffs` + `normalize_coeffs_8bpc` in `Resample.c`).
struct ResampleWeights {
    /// Fixed-point fraction bits (`PRECISION_BITS = 32 - 8 - 2`).
    static let precisionBits: Int32 = 22
    /// Rounding offset every sum starts from.
    static let half: Int32 = 1 << (precisionBits - 1)

    /// Coefficients, `kernelSize` per output pixel.
    let coefficients: [Int32]
    /// `(first source index, count)` per output pixel.
    let bounds: [(Int, Int)]
    let kernelSize: Int

    init(inSize: Int, outSize: Int, filter: ResampleFilter) {
        let scale = Double(inSize) / Double(outSize)
        let filterScale = max(scale, 1)
        let support = filter.support * filterScale
        kernelSize = Int(support.rounded(.up)) * 2 + 1
        var coefficients = [Int32](repeating: 0, count: outSize * kernelSize)
        var bounds: [(Int, Int)] = []
        bounds.reserveCapacity(outSize)
        var k = [Double](repeating: 0, count: kernelSize)
        let inverseScale = 1 / filterScale
        for xx in 0..<outSize {
            let center = (Double(xx) + 0.5) * scale
            // Pillow truncates toward zero after adding 0.5 (C `(int)` casts).
            let xmin = max(Int(center - support + 0.5), 0)
            let xmax = min(Int(center + support + 0.5), inSize) - xmin
            var total = 0.0
            for x in 0..<xmax {
                let w = filter.weight((Double(x + xmin) - center + 0.5) * inverseScale)
                k[x] = w
                total += w
            }
            for x in 0..<xmax {
                let w = total != 0 ? k[x] / total : k[x]
                let fixed = w * Double(1 << Self.precisionBits)
                coefficients[xx * kernelSize + x] = Int32(w < 0 ? (-0.5 + fixed) : (0.5 + fixed))
            }
            bounds.append((xmin, max(xmax, 0)))
        }
        self.coefficients = coefficients
        self.bounds = bounds
    }

    /// First source index, source count, and coefficient offset of output pixel `index`.
    func window(_ index: Int) -> (Int, Int, Int) {
        (bounds[index].0, bounds[index].1, index * kernelSize)
    }

    /// The fixed-point sum shifted back to 8 bits and clipped (Pillow's `clip8`).
    static func clip(_ sum: Int32) -> UInt8 {
        let value = sum >> precisionBits
        return value < 0 ? 0 : value > 255 ? 255 : UInt8(value)
    }
}
