/// The TIFF/EXIF Orientation tag: where the stored first row and first column lie on the
/// displayed image.
enum Orientation: Int, Sendable {
    case topLeft = 1, topRight, bottomRight, bottomLeft, leftTop, rightTop, rightBottom,
        leftBottom

    /// The orientation for a tag value; unknown values mean "as stored".
    init(tag: Int) { self = Orientation(rawValue: tag) ?? .topLeft }

    /// Whether displaying swaps width and height (values 5–8).
    var transposes: Bool { rawValue >= 5 }
}
