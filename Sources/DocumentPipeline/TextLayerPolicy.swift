import DocumentIngest

/// Where the `ocr` and `ocr-words` tasks take a PDF page's text from (pipeline key
/// `text_layer`). Other tasks (tables, music, molecules, …) always run the model, and raster
/// inputs (TIFF, PNG, JPEG) have no text layer, so their text always comes from the model.
public enum TextLayerPolicy: String, CaseIterable, Sendable {
    /// The PDF's text layer on pages that have a real one (`hasRealText`), the model
    /// elsewhere.
    case auto
    /// Always the PDF's text layer (a page without text gets no words); never the model.
    case use
    /// Always the model.
    case ignore

    /// Fewer non-space characters than this is no text layer: a page number or a stamp.
    public static let minimumCharacters = 8
    /// Images covering at least this fraction of a page make it a scan.
    public static let scanCoverage = 0.8

    /// The `auto` rule: a page has a real text layer when it has at least
    /// `minimumCharacters` characters of text and is not a scan — its images cover less than
    /// `scanCoverage` of it. Text on a scan is an earlier OCR run's (usually invisible,
    /// render mode 3) and counts only when `reuseOCRText` is set; `coverage` is asked only
    /// then.
    public static func hasRealText(
        _ text: PDFPageText, reuseOCRText: Bool, coverage: () throws -> Double?
    ) rethrows -> Bool {
        guard text.characterCount >= minimumCharacters else { return false }
        if reuseOCRText { return true }
        guard let covered = try coverage() else { return false }
        return covered < scanCoverage
    }
}
