import DocumentIngest
import Foundation

/// Decides, page by page, whether a document's text tasks take their text from the PDF's
/// own text layer (`TextLayerPolicy`), and reads it when they do.
final class TextLayerReader: Sendable {
    private let pdf: PDFDocumentSource?
    private let policy: TextLayerPolicy
    private let reuseOCRText: Bool
    /// Image coverage, for the `auto` rule; `nil` when the rule does not need it or Poppler's
    /// GLib binding cannot open the file (every page is then treated as a scan).
    private let images: PDFImageCoverage?

    /// A reader for `source` under `pipeline`'s settings; `needed` is false when the
    /// pipeline has no text task, and then no page uses a text layer.
    init(
        source: any DocumentSource, pipeline: PipelineDefinition, password: String?,
        needed: Bool
    ) {
        policy = pipeline.textLayer
        reuseOCRText = pipeline.reuseOCRText
        pdf = needed && policy != .ignore ? source as? PDFDocumentSource : nil
        if let pdf, policy == .auto, !reuseOCRText {
            images = try? PDFImageCoverage(url: pdf.url, password: password)
        } else {
            images = nil
        }
    }

    /// The text layer page `index`'s text tasks use, or `nil` when the model reads the page.
    func text(ofPage index: Int) throws -> PDFPageText? {
        guard let pdf else { return nil }
        let text = try pdf.textLayer(index: index)
        if policy == .use { return text }
        let real = try TextLayerPolicy.hasRealText(text, reuseOCRText: reuseOCRText) {
            try images?.coverage(index: index)
        }
        return real ? text : nil
    }
}
