import DocumentModel

/// A page's text as the line-based formats (hOCR, ALTO) need it: blocks of lines of words.
///
/// A region with boxed words (`ocr-words`) becomes a block whose lines are grouped from the
/// words in the model's reading order: a word joins the current line when it overlaps the
/// line vertically by at least half its height and does not lie left of the previous word;
/// boxes are exact. Words without a box cannot be placed and are left out (the JSON keeps
/// them). A plain `ocr` region (text, no boxes) becomes a block with the region's box and
/// one line per text line, whose lines and words have no box of their own.
struct TextBlock {
    /// One line.
    struct Line {
        /// The union of its words' boxes; `nil` when the words have no boxes.
        var box: PixelRect?
        /// Its words, in order.
        var words: [Word]
    }

    /// The block's box in page pixels.
    var box: PixelRect
    /// Its lines, in order.
    var lines: [Line]

    /// The text blocks of `page`, in region order.
    static func blocks(of page: Page) -> [TextBlock] {
        page.regions.compactMap { region in
            if let block = boxed(region.words) { return block }
            guard region.task == "ocr", let box = region.box, let text = region.text else {
                return nil
            }
            let lines = text.split(whereSeparator: \.isNewline).map { line in
                Line(
                    box: nil,
                    words: line.split(whereSeparator: \.isWhitespace).map {
                        Word(text: String($0), box: nil)
                    })
            }.filter { !$0.words.isEmpty }
            return lines.isEmpty ? nil : TextBlock(box: box, lines: lines)
        }
    }

    private static func boxed(_ words: [Word]) -> TextBlock? {
        var lines: [Line] = []
        for word in words {
            guard let box = word.box else { continue }
            if var line = lines.last, let lineBox = line.box, let previous = line.words.last?.box,
                box.x >= previous.x, overlap(box, lineBox) * 2 >= box.height
            {
                line.words.append(word)
                line.box = union(lineBox, box)
                lines[lines.count - 1] = line
            } else {
                lines.append(Line(box: box, words: [word]))
            }
        }
        let boxes = lines.compactMap(\.box)
        guard let first = boxes.first else { return nil }
        return TextBlock(box: boxes.dropFirst().reduce(first, union), lines: lines)
    }

    private static func overlap(_ a: PixelRect, _ b: PixelRect) -> Int {
        max(0, min(a.maxY, b.maxY) - max(a.y, b.y))
    }

    private static func union(_ a: PixelRect, _ b: PixelRect) -> PixelRect {
        let x = min(a.x, b.x)
        let y = min(a.y, b.y)
        return PixelRect(
            x: x, y: y, width: max(a.maxX, b.maxX) - x, height: max(a.maxY, b.maxY) - y)
    }
}
