import DocumentModel
import Testing

@testable import DocumentPipeline

@Suite struct TileMergerTests {
    func word(_ text: String, _ x: Int, _ y: Int, _ w: Int = 40, _ h: Int = 10) -> Word {
        Word(text: text, box: PixelRect(x: x, y: y, width: w, height: h))
    }

    @Test func overlappingWordsAreKeptOnceFromTheTileThatSawThemWhole() {
        let left = Tile(index: 0, rect: PixelRect(x: 0, y: 0, width: 200, height: 100))
        let right = Tile(index: 1, rect: PixelRect(x: 170, y: 0, width: 200, height: 100))
        // "edge" lies in the overlap: seen by both, nearer the left tile's edge.
        let a = Region(
            id: "a", task: "ocr-words", tile: 0,
            words: [word("hello", 10, 40), word("edge", 175, 40, 20)])
        let b = Region(
            id: "b", task: "ocr-words", tile: 1,
            words: [word("Edge", 176, 41, 20), word("world", 250, 40)])
        let merged = TileMerger.mergeWords(
            [a, b], tiles: [left, right], page: 1, task: "ocr-words")
        #expect(merged.words.map(\.text) == ["hello", "Edge", "world"])
        #expect(merged.text == "hello Edge world")
        #expect(merged.box == PixelRect(x: 0, y: 0, width: 370, height: 100))
        #expect(merged.id == "p1-ocr-words" && merged.tile == nil)
    }

    @Test func readingOrderFollowsColumnsThenLines() {
        // Two columns separated by a wide gutter; the model listed words out of order.
        let words = [
            word("r2", 300, 40), word("l1a", 10, 10), word("r1", 300, 10), word("l2", 10, 40),
            word("l1b", 60, 12),
        ]
        #expect(TileMerger.readingOrder(words).map(\.text) == ["l1a", "l1b", "l2", "r1", "r2"])
        #expect(TileMerger.lines(Array(words.prefix(0))).isEmpty)
    }

    @Test func differentTextOrDisjointBoxesAreNotDuplicates() {
        #expect(!TileMerger.isSameWord(word("a", 0, 0), word("b", 0, 0)))
        #expect(!TileMerger.isSameWord(word("a", 0, 0), word("a", 100, 0)))
        #expect(TileMerger.isSameWord(word("a", 0, 0), word("A", 5, 1)))
        #expect(!TileMerger.isSameWord(Word(text: "a", box: nil), Word(text: "a", box: nil)))
    }
}
