import DocumentIngest
import DocumentModel
import Foundation

/// The result of a text task (`ocr`, `ocr-words`) taken from a PDF page's own text layer
/// instead of the model: words in Poppler's reading order, their boxes turned from points
/// into page pixels (rounded outwards, so a box always covers its word's ink), every word
/// marked `pdf-text`.
enum TextLayerRegion {
    /// The region of task `task` on `page` from `text`: with `words` (ocr-words) the boxed
    /// words and their text; without (ocr) the text alone, a line per text line.
    static func region(_ text: PDFPageText, task: String, words: Bool, page: Page) -> Region {
        let scaleX = Double(page.width) / text.size.width
        let scaleY = Double(page.height) / text.size.height
        let placed = text.words.map { word -> Word in
            let left = clamp(Int((word.left * scaleX).rounded(.down)), page.width)
            let top = clamp(Int((word.top * scaleY).rounded(.down)), page.height)
            let right = clamp(Int((word.right * scaleX).rounded(.up)), page.width)
            let bottom = clamp(Int((word.bottom * scaleY).rounded(.up)), page.height)
            return Word(
                text: word.text,
                box: PixelRect(
                    x: left, y: top, width: max(0, right - left), height: max(0, bottom - top)),
                source: .pdfText)
        }
        let lines = lines(placed).map { $0.map(\.text).joined(separator: " ") }
        return Region(
            id: "p\(page.number)-\(task)", task: task, box: page.bounds,
            text: lines.joined(separator: "\n"), words: words ? placed : [])
    }

    private static func clamp(_ value: Int, _ limit: Int) -> Int { min(max(value, 0), limit) }

    /// Words split into lines: a word starts a new line when it lies left of the previous
    /// word or overlaps it vertically by less than half the smaller height.
    private static func lines(_ words: [Word]) -> [[Word]] {
        var lines: [[Word]] = []
        for word in words {
            if let previous = lines.last?.last, let a = previous.box, let b = word.box,
                b.x >= a.x,
                2 * (min(a.maxY, b.maxY) - max(a.y, b.y)) >= min(a.height, b.height)
            {
                lines[lines.count - 1].append(word)
            } else {
                lines.append([word])
            }
        }
        return lines
    }
}
