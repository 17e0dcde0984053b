import CPopplerSplash
import Foundation

/// A PDF page's own text and rotation, read with Poppler's text extraction (TextOutputDev,
/// the code behind `pdftotext`): the same words, in the same order, with the same boxes as
/// `pdftotext -bbox` gives for the page's crop box.
extension PDFDocumentSource {
    /// The text layer of page `index` (zero-based): every word Poppler extracts, visible or
    /// invisible (render mode 3), with its box in points. Empty for a page without text.
    public func textLayer(index: Int) throws -> PDFPageText {
        try checkPageIndex(index)
        let size = try pageSize(index: index)
        return try lock.withLock {
            var words: UnsafeMutablePointer<cps_word>?
            var count = 0
            var error = cps_error()
            guard cps_page_words(document, Int32(index), &words, &count, &error) == CPS_OK else {
                throw Self.ingestError(error, url)
            }
            defer { cps_words_free(words, count) }
            let list = UnsafeBufferPointer(start: words, count: count).map { word in
                PDFPageText.Word(
                    text: word.text.map { String(cString: $0) } ?? "", left: word.x_min,
                    top: word.y_min, right: word.x_max, bottom: word.y_max)
            }
            return PDFPageText(words: list.filter { !$0.text.isEmpty }, size: size)
        }
    }

    /// The clockwise rotation of page `index` (its `/Rotate`): 0, 90, 180 or 270. Rendered
    /// pages are already turned; this says how the input presented them.
    public func rotation(index: Int) throws -> Int {
        try checkPageIndex(index)
        return try lock.withLock {
            var degrees: Int32 = 0
            var error = cps_error()
            guard cps_page_rotation(document, Int32(index), &degrees, &error) == CPS_OK else {
                throw Self.ingestError(error, url)
            }
            return Int(degrees)
        }
    }
}
