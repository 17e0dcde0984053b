/// Where a page's or a word's text came from.
public enum TextSource: String, Sendable, Hashable, Codable, CaseIterable {
    /// The PDF's own text layer, read by Poppler: the model did not run for it.
    case pdfText = "pdf-text"
    /// Read from the page image by the model.
    case model

    /// A short phrase for readers: where the text came from.
    public var label: String {
        switch self {
        case .pdfText: "the PDF's own text layer (pdf-text)"
        case .model: "read from the page image by the model (model)"
        }
    }
}
