extension PipelineTaskKind {
    /// Whether the task reads a page's text (`ocr`, `ocr-words`), which a PDF's own text
    /// layer can supply instead of the model.
    public var readsText: Bool { self == .ocr || self == .ocrWords }
}
