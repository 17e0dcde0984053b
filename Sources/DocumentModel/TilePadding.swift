/// Background pixels added around a tile before it was resized for the model (the tiler
/// pads to a square to keep the aspect ratio, as PaliGemma 2's table transfer does).
public struct TilePadding: Sendable, Hashable, Codable {
    /// Columns added on the left.
    public var left: Int
    /// Rows added at the top.
    public var top: Int
    /// Columns added on the right.
    public var right: Int
    /// Rows added at the bottom.
    public var bottom: Int

    /// No padding.
    public static let none = TilePadding()

    /// Padding on each side, in pixels.
    public init(left: Int = 0, top: Int = 0, right: Int = 0, bottom: Int = 0) {
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
    }
}
