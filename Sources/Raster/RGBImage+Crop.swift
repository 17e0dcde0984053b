extension RGBImage {
    /// The `width`×`height` region whose top-left corner is (`x`, `y`); the region must lie
    /// inside the image.
    public func cropped(x: Int, y: Int, width: Int, height: Int) -> RGBImage {
        precondition(x >= 0 && y >= 0 && width >= 0 && height >= 0
                     && x + width <= self.width && y + height <= self.height,
                     "crop \(x),\(y) \(width)x\(height) outside \(self.width)x\(self.height)")
        var out = [UInt8](repeating: 0, count: width * height * 3)  // [height, width, 3]
        let rowBytes = width * 3
        pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for row in 0..<height {
                    let from = ((y + row) * self.width + x) * 3
                    for i in 0..<rowBytes { target[row * rowBytes + i] = source[from + i] }
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    /// The image placed at the top-left of a `width`×`height` canvas of `fill` (white by
    /// default); the canvas must be at least as large as the image.
    public func padded(
        toWidth width: Int, height: Int, fill: (r: UInt8, g: UInt8, b: UInt8) = (255, 255, 255)
    ) -> RGBImage {
        precondition(width >= self.width && height >= self.height,
                     "cannot pad \(self.width)x\(self.height) to \(width)x\(height)")
        if width == self.width && height == self.height { return self }
        var canvas = RGBImage(width: width, height: height, fill: fill)
        canvas.paste(self, x: 0, y: 0)
        return canvas
    }

    /// Copies `image` onto this one with its top-left corner at (`x`, `y`); it must fit.
    public mutating func paste(_ image: RGBImage, x: Int, y: Int) {
        precondition(x >= 0 && y >= 0 && x + image.width <= width && y + image.height <= height,
                     "paste \(image.width)x\(image.height) at \(x),\(y) outside \(width)x\(height)")
        let rowBytes = image.width * 3
        let targetWidth = width
        image.pixels.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer { target in
                for row in 0..<image.height {
                    let to = ((y + row) * targetWidth + x) * 3
                    for i in 0..<rowBytes { target[to + i] = source[row * rowBytes + i] }
                }
            }
        }
    }
}
