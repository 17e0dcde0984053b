import DocumentModel

/// Merges the `ocr-words` regions of a page's tiles into one region in page coordinates:
/// a word seen by two overlapping tiles is kept once (the copy farther from its tile's edge,
/// which the tile saw whole), and words are put in reading order — columns (separated by
/// vertical gutters free of words) left to right, lines top to bottom within a column,
/// words left to right within a line.
enum TileMerger {
    /// One region holding every word of `regions` (tile regions of one task on one page).
    static func mergeWords(_ regions: [Region], tiles: [Tile], page: Int, task: String)
        -> Region
    {
        let rects = Dictionary(tiles.map { ($0.index, $0.rect) }, uniquingKeysWith: { a, _ in a })
        var candidates: [(word: Word, margin: Int)] = []
        for region in regions {
            for word in region.words {
                let margin =
                    word.box.flatMap { box in
                        region.tile.flatMap { rects[$0] }.map { tile in
                            min(
                                box.x - tile.x, box.y - tile.y, tile.maxX - box.maxX,
                                tile.maxY - box.maxY)
                        }
                    } ?? 0
                candidates.append((word, margin))
            }
        }
        var kept: [(word: Word, margin: Int)] = []
        for candidate in candidates.sorted(by: { $0.margin > $1.margin }) {
            if kept.contains(where: { isSameWord($0.word, candidate.word) }) { continue }
            kept.append(candidate)
        }
        let words = readingOrder(kept.map(\.word))
        let single = regions.count == 1 ? regions.first : nil
        var issues: [TaskIssue] = []
        for region in regions {
            for issue in region.issues {
                var moved = issue
                if single == nil {
                    moved.message = "tile \(region.tile ?? 0): \(issue.message)"
                    moved.offset = nil
                }
                issues.append(moved)
            }
        }
        let box = tiles.map(\.rect).reduce(nil as PixelRect?) { union($0, $1) }
        return Region(
            id: "p\(page)-\(task)", task: task, box: single?.box ?? box, tile: single?.tile,
            prompt: regions.first?.prompt, rawOutput: single?.rawOutput,
            text: lines(words).map { $0.map(\.text).joined(separator: " ") }
                .joined(separator: "\n"),
            words: words, issues: issues)
    }

    /// Two readings of one word: same text (ignoring case) and boxes overlapping by more than
    /// half of the smaller one.
    static func isSameWord(_ a: Word, _ b: Word) -> Bool {
        guard a.text.lowercased() == b.text.lowercased(), let p = a.box, let q = b.box,
            let overlap = p.intersection(q)
        else { return false }
        return overlap.area * 2 > min(p.area, q.area)
    }

    /// Words in reading order; words without a box keep their order, at the end.
    static func readingOrder(_ words: [Word]) -> [Word] {
        let boxed = words.filter { $0.box != nil }
        let loose = words.filter { $0.box == nil }
        guard !boxed.isEmpty else { return loose }
        let columns = columnRanges(boxed.map { $0.box! })
        var ordered: [Word] = []
        for column in columns {
            let inColumn = boxed.filter {
                let box = $0.box!
                return column.contains(box.x + box.width / 2)
            }
            ordered += lines(inColumn).flatMap { $0 }
        }
        return ordered + loose
    }

    /// Column x ranges: the word boxes' horizontal extents merged, split where a gap wider
    /// than the median word height runs from top to bottom.
    static func columnRanges(_ boxes: [PixelRect]) -> [ClosedRange<Int>] {
        let heights = boxes.map(\.height).sorted()
        let gutter = max(1, heights[heights.count / 2])
        var ranges: [ClosedRange<Int>] = []
        for box in boxes.sorted(by: { $0.x < $1.x }) {
            if let last = ranges.last, box.x <= last.upperBound + gutter {
                ranges[ranges.count - 1] = last.lowerBound...max(last.upperBound, box.maxX)
            } else {
                ranges.append(box.x...box.maxX)
            }
        }
        // Centres always fall inside; widen the outer ends so none is lost to rounding.
        return ranges.enumerated().map { index, range in
            let low = index == 0 ? Int.min : range.lowerBound
            let high = index == ranges.count - 1 ? Int.max : range.upperBound
            return low...high
        }
    }

    /// Words grouped into lines (a word joins a line when its vertical centre lies within the
    /// line's first word's extent), lines top to bottom, words left to right.
    static func lines(_ words: [Word]) -> [[Word]] {
        var lines: [(top: Int, bottom: Int, words: [Word])] = []
        for word in words.sorted(by: {
            ($0.box?.y ?? 0, $0.box?.x ?? 0) < ($1.box?.y ?? 0, $1.box?.x ?? 0)
        }) {
            guard let box = word.box else {
                lines.append((Int.max, Int.max, [word]))
                continue
            }
            let centre = box.y + box.height / 2
            if let index = lines.firstIndex(where: { centre >= $0.top && centre < $0.bottom }) {
                lines[index].words.append(word)
            } else {
                lines.append((box.y, box.maxY, [word]))
            }
        }
        return lines.sorted { $0.top < $1.top }.map { line in
            line.words.sorted { ($0.box?.x ?? 0) < ($1.box?.x ?? 0) }
        }
    }

    private static func union(_ a: PixelRect?, _ b: PixelRect) -> PixelRect {
        guard let a else { return b }
        let x = min(a.x, b.x)
        let y = min(a.y, b.y)
        return PixelRect(
            x: x, y: y, width: max(a.maxX, b.maxX) - x, height: max(a.maxY, b.maxY) - y)
    }
}
