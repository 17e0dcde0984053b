/// Progress of one document inside a `DocumentConverter`, for progress displays.
public enum ConversionEvent: Sendable, Equatable {
    /// The document opened: pages to convert in this attempt, and in the selection.
    case opened(file: String, pagesToDo: Int, pagesSelected: Int)
    /// A batch of tiles went through the engine: tiles and tokens generated.
    case tiles(file: String, count: Int, tokens: Int)
    /// A page's results are written (0-based index).
    case pageDone(file: String, pageIndex: Int)
}
