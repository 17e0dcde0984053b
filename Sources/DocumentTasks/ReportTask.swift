import DocumentModel

/// `report`: a radiography report (PaliGemma 2's MIMIC-CXR transfer: given the indication,
/// the model writes findings and impression). That checkpoint's prefix is not public, so the
/// prompt is whatever the fine-tune expects; the default passes the indication as text.
public struct ReportTask: DocumentTask {
    /// The prompt used when a pipeline gives none.
    public static let defaultPrompt = "report en"

    /// `report`.
    public let name = "report"
    /// The prompt.
    public var prompt: String

    /// A report task whose prompt is the study's indication (`INDICATION: …`).
    public init(indication: String) {
        prompt = "INDICATION: \(indication)"
    }

    /// A report task with a checkpoint-specific prompt.
    public init(prompt: String) {
        self.prompt = prompt
    }

    /// The report text, trimmed; empty or looping output is flagged.
    public func parse(_ output: String, tile: Tile, page: Int) -> Region {
        freeTextRegion(output, tile: tile, page: page)
    }
}
