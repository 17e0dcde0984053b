/// How a page raster becomes model inputs.
public enum TilingMode: String, CaseIterable, Sendable, Codable {
    /// The whole page, resized to the model resolution.
    case page
    /// Square tiles cut from the page at its rendered DPI, with overlap, each resized to the
    /// model resolution; results are mapped back into page coordinates.
    case tiles
}
