import DocumentTasks

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

    /// The prompt used when the pipeline file gives none: the task type's own default
    /// (`OCRTask.defaultPrompt`, …), the single source of truth. `ocr`, `caption en`,
    /// `answer en {question}` and `detect {objects}` are the documented PaliGemma prompts; the
    /// document-task prompts of the PaliGemma 2 fine-tunes (tables, music, molecules, reports)
    /// are not public, so set the one your fine-tune was trained with in the pipeline file.
    public var defaultPrompt: String {
        switch self {
        case .ocr: OCRTask.defaultPrompt
        case .ocrWords: OCRWordsTask.defaultPrompt
        case .table: TableTask.defaultPrompt
        case .music: MusicTask.defaultPrompt
        case .molecule: MoleculeTask.defaultPrompt
        case .caption: CaptionTask.defaultPrompt
        case .report: ReportTask.defaultPrompt
        case .answer: AnswerTask.defaultPrompt
        case .detect: DetectTask.defaultPrompt
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
