import DocumentModel

/// `answer`: visual question answering (prompt `answer {lang} {question}`; DocVQA-style
/// fine-tunes take the raw question, so the prompt can be given whole).
public struct AnswerTask: DocumentTask {
    /// The prompt template used when a pipeline gives none (`{question}` is filled in).
    public static let defaultPrompt = "answer en {question}"

    /// `answer`.
    public let name = "answer"
    /// The prompt.
    public var prompt: String

    /// A question in `language` (prompt `answer en <question>`).
    public init(question: String, language: String = "en") {
        prompt = "answer \(language) \(question)"
    }

    /// A question task with a checkpoint-specific prompt (e.g. the raw question).
    public init(prompt: String) {
        self.prompt = prompt
    }

    /// The answer text, trimmed; empty or looping output is flagged.
    public func parse(_ output: String, tile: Tile, page: Int) -> Region {
        freeTextRegion(output, tile: tile, page: page)
    }
}
