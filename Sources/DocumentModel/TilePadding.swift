/// Pixels added to a tile's right and bottom edges before it was resized for the model.
public struct TilePadding: Sendable, Hashable, Codable {
    /// Columns added on the right.
    public var right: Int
    /// Rows added at the bottom.
    public var bottom: Int

    /// No padding.
    public static let none = TilePadding(right: 0, bottom: 0)

    /// Padding of `right` columns and `bottom` rows.
    public init(right: Int, bottom: Int) {
        self.right = right
        self.bottom = bottom
    }
}
