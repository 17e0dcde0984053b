/// How a page becomes model inputs.
public enum TilingMode: String, Sendable, Codable, CaseIterable {
    /// One tile: the whole page, squashed to R×R by the model's processor (what PaliGemma
    /// was trained on).
    case page
    /// A grid of overlapping R×R crops at the page's own resolution.
    case tiles
}
