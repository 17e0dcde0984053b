import DocumentModel

/// `ocr`: the model reads the tile's text as plain text (PaliGemma pretrained prompt `ocr`).
public struct OCRTask: DocumentTask {
    /// The prompt used when a pipeline gives none.
    public static let defaultPrompt = "ocr"

    /// `ocr`.
    public let name = "ocr"
    /// The prompt (default `ocr`).
    public var prompt: String

    /// An OCR task with the given prompt.
    public init(prompt: String = Self.defaultPrompt) {
        self.prompt = prompt
    }

    /// The text, trimmed; an empty or degenerate (looping) output is flagged.
    public func parse(_ output: String, tile: Tile, page: Int) -> Region {
        freeTextRegion(output, tile: tile, page: page)
    }
}
