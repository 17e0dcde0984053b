/// The model tasks a pipeline can run on each page or tile.
public enum PipelineTaskKind: String, CaseIterable, Sendable, Codable {
    /// Plain text of the page, in reading order.
    case ocr
    /// Words (or text lines) with their boxes.
    case ocrWords = "ocr-words"
    /// Table structure and cell content (HTML-style output).
    case table
    /// Optical music recognition to `**kern`.
    case music
    /// Molecule drawing to SMILES.
    case molecule
    /// A short caption of the image.
    case caption
    /// A report (e.g. radiography findings) for the image.
    case report
    /// An answer to a question about the page.
    case answer
    /// Object detection: labelled boxes.
    case detect

    /// The prompt used when the pipeline file gives none. `ocr`, `caption en`,
    /// `answer en {question}` and `detect {objects}` are the documented PaliGemma prompts;
    /// the document-task prompts of the PaliGemma 2 fine-tunes (tables, music, molecules,
    /// reports) are not public, so their defaults are short task names that a fine-tune of
    /// your own should be trained with, or overridden in the pipeline file.
    public var defaultPrompt: String {
        switch self {
        case .ocr, .ocrWords: "ocr"
        case .table: "table"
        case .music: "kern"
        case .molecule: "smiles"
        case .caption: "caption en"
        case .report: "report en"
        case .answer: "answer en {question}"
        case .detect: "detect {objects}"
        }
    }

    /// The token budget used when the pipeline file gives none: enough for a dense page of
    /// the task's output without letting a repetition loop run on for long.
    public var defaultMaxTokens: Int {
        switch self {
        case .ocr: 512
        case .ocrWords: 1024
        case .table: 2048
        case .music: 1024
        case .molecule: 256
        case .caption: 64
        case .report: 256
        case .answer: 64
        case .detect: 256
        }
    }
}
