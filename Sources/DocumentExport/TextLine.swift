import DocumentModel

/// Groups boxed words into text lines for the line-based formats (hOCR, ALTO): words are
/// taken in the model's reading order and a new line starts when a word does not overlap
/// the current line vertically by at least half its height, or lies left of the previous
/// word. Words without a box cannot be placed and are not part of any line.
struct TextLine {
    /// The words, in order, each with its box.
    var words: [(word: Word, box: PixelRect)]
    /// The union of the words' boxes.
    var box: PixelRect

    /// Lines of `words`.
    static func group(_ words: [Word]) -> [TextLine] {
        var lines: [TextLine] = []
        for word in words {
            guard let box = word.box else { continue }
            if var line = lines.last, let previous = line.words.last?.box,
                box.x >= previous.x,
                overlap(box, line.box) * 2 >= box.height
            {
                line.words.append((word, box))
                line.box = union(line.box, box)
                lines[lines.count - 1] = line
            } else {
                lines.append(TextLine(words: [(word, box)], box: box))
            }
        }
        return lines
    }

    private static func overlap(_ a: PixelRect, _ b: PixelRect) -> Int {
        max(0, min(a.maxY, b.maxY) - max(a.y, b.y))
    }

    /// The smallest rectangle holding both.
    static func union(_ a: PixelRect, _ b: PixelRect) -> PixelRect {
        let x = min(a.x, b.x)
        let y = min(a.y, b.y)
        return PixelRect(
            x: x, y: y, width: max(a.maxX, b.maxX) - x, height: max(a.maxY, b.maxY) - y)
    }
}
