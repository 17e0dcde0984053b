import Raster

extension RGBImage {
    /// The image as displayed, given the Orientation tag of the stored pixels.
    ///
    /// Equivalent to PIL's `ImageOps.exif_transpose`: 2 mirrors, 3 turns 180°, 4 flips,
    /// 5 transposes, 6 turns 90° clockwise, 7 transverses, 8 turns 90° anticlockwise.
    func oriented(_ orientation: Orientation) -> RGBImage {
        if orientation == .topLeft { return self }
        let w = width, h = height
        let outWidth = orientation.transposes ? h : w
        let outHeight = orientation.transposes ? w : h
        var out = [UInt8](repeating: 0, count: w * h * 3)  // [outHeight, outWidth, 3]
        pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for r in 0..<h {
                    for c in 0..<w {
                        // Displayed position of stored row r, column c.
                        let (x, y): (Int, Int)
                        switch orientation {
                        case .topLeft: (x, y) = (c, r)
                        case .topRight: (x, y) = (w - 1 - c, r)
                        case .bottomRight: (x, y) = (w - 1 - c, h - 1 - r)
                        case .bottomLeft: (x, y) = (c, h - 1 - r)
                        case .leftTop: (x, y) = (r, c)
                        case .rightTop: (x, y) = (h - 1 - r, c)
                        case .rightBottom: (x, y) = (h - 1 - r, w - 1 - c)
                        case .leftBottom: (x, y) = (r, w - 1 - c)
                        }
                        let s = (r * w + c) * 3, t = (y * outWidth + x) * 3
                        target[t] = source[s]
                        target[t + 1] = source[s + 1]
                        target[t + 2] = source[s + 2]
                    }
                }
            }
        }
        return RGBImage(width: outWidth, height: outHeight, pixels: out)
    }
}
