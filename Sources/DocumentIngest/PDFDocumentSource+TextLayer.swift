import CPopplerSplash
import DocumentModel
import Foundation

/// A PDF page's own text and rotation, read with Poppler's text extraction (TextOutputDev,
/// the code behind `pdftotext`): the same words with the same boxes as `pdftotext -bbox`
/// gives for the page's crop box, in the logical order plain `pdftotext` writes them.
extension PDFDocumentSource {
    /// The text layer of page `index` (zero-based): every word Poppler extracts, visible or
    /// invisible (render mode 3), with its box in points. Empty for a page without text.
    ///
    /// PDF text is drawn in visual order and Poppler lists words as drawn; right-to-left
    /// words are turned back into reading order here — their letters reversed, and the words
    /// of a line whose words mostly read right to left taken from right to left.
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
                    top: word.y_min, right: word.x_max, bottom: word.y_max,
                    continuesLine: word.space_after != 0)
            }
            return PDFPageText(
                words: Self.logicalOrder(list.filter { !$0.text.isEmpty }), size: size)
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

    /// Words as drawn into reading order (see `textLayer(index:)`), line by line as Poppler
    /// joins them.
    private static func logicalOrder(_ words: [PDFPageText.Word]) -> [PDFPageText.Word] {
        var lines: [[PDFPageText.Word]] = [[]]
        for word in words {
            lines[lines.count - 1].append(word)
            if !word.continuesLine { lines.append([]) }
        }
        return lines.flatMap { line -> [PDFPageText.Word] in
            let turned = line.map { word -> (PDFPageText.Word, Bool) in
                guard TextDirection(of: word.text) == .rightToLeft else { return (word, false) }
                var logical = word
                logical.text = String(word.text.reversed())
                return (logical, true)
            }
            let rightToLeft = turned.filter(\.1).count * 2 > turned.count
            var ordered = rightToLeft ? turned.reversed().map(\.0) : turned.map(\.0)
            // Each word but the line's last continues it, in the new order too.
            for i in ordered.indices { ordered[i].continuesLine = i < ordered.count - 1 }
            return ordered
        }
    }
}
