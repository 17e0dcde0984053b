/// The output formats a pipeline can write for each document.
public enum ExporterKind: String, CaseIterable, Sendable, Codable {
    /// The whole document model as versioned JSON.
    case json
    /// A readable HTML rendering (text, tables, captions).
    case html
    /// One CSV file per table.
    case csv
    /// Markdown (text and tables).
    case markdown
    /// hOCR 1.2 (words or lines with boxes).
    case hocr
    /// ALTO v4.4 XML.
    case alto
    /// Humdrum `**kern` for music.
    case krn
    /// SMILES, one molecule a line.
    case smi
    /// Searchable PDF: each page's image with its words as invisible text.
    case pdf

    /// Whether the exporter shows page images, so pages must be rendered even when no task
    /// runs the model on them.
    public var showsPageImages: Bool { self == .html || self == .pdf }

    /// The tasks of which at least one must be in the pipeline for this exporter to have
    /// anything to write; empty when any task will do.
    public var requiredTasks: Set<PipelineTaskKind> {
        switch self {
        case .json, .html, .markdown: []
        case .csv: [.table]
        case .hocr, .alto: [.ocr, .ocrWords]
        case .pdf: [.ocrWords]
        case .krn: [.music]
        case .smi: [.molecule]
        }
    }
}
