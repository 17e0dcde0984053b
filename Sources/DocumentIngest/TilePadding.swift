/// White padding added to an edge tile, in pixels.
public struct TilePadding: Sendable, Hashable, Codable {
    /// Columns added on the right.
    public var right: Int
    /// Rows added at the bottom.
    public var bottom: Int

    /// Padding of `right` columns and `bottom` rows.
    public init(right: Int, bottom: Int) {
        self.right = right
        self.bottom = bottom
    }

    /// No padding.
    public static let none = TilePadding(right: 0, bottom: 0)
}
