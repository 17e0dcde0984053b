import DocumentModel

/// `caption`: a description of the tile (prompt `caption {lang}`).
public struct CaptionTask: DocumentTask {
    /// The prompt used when a pipeline gives none.
    public static let defaultPrompt = "caption en"

    /// `caption`.
    public let name = "caption"
    /// The prompt.
    public var prompt: String

    /// A caption task in `language` (prompt `caption en`, …).
    public init(language: String = "en") {
        prompt = "caption \(language)"
    }

    /// A caption task with a checkpoint-specific prompt.
    public init(prompt: String) {
        self.prompt = prompt
    }

    /// The caption text, trimmed; empty or looping output is flagged.
    public func parse(_ output: String, tile: Tile, page: Int) -> Region {
        freeTextRegion(output, tile: tile, page: page)
    }
}
