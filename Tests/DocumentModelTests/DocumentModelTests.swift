import DocumentModel
import Foundation
import Testing

@Suite struct TileMappingTests {
    @Test func normalizedBoxMapsThroughPaddingAndClips() {
        // 300×100 tile at (50, 20), padded to 300×300 before squashing.
        let tile = Tile(
            index: 0, rect: PixelRect(x: 50, y: 20, width: 300, height: 100),
            padding: TilePadding(right: 0, bottom: 200))
        let box = NormalizedBox(yMin: 0.1, xMin: 0.5, yMax: 0.5, xMax: 1)
        // y 30..150 in the padded tile, clipped to the 100 real rows.
        #expect(tile.pageRect(normalized: box) == PixelRect(x: 200, y: 50, width: 150, height: 70))
        #expect(
            tile.pageRect(normalized: NormalizedBox(yMin: 0.5, xMin: 0, yMax: 0.9, xMax: 1)) == nil)
        #expect(tile.paddedWidth == 300 && tile.paddedHeight == 300)
    }

    @Test func centredPaddingIsSubtracted() {
        // 200×100 tile at (1000, 0), padded 50 rows above and below to a 200×200 square.
        let tile = Tile(
            index: 0, rect: PixelRect(x: 1000, y: 0, width: 200, height: 100),
            padding: TilePadding(top: 50, bottom: 50))
        let box = NormalizedBox(yMin: 0.25, xMin: 0, yMax: 0.5, xMax: 0.5)
        #expect(tile.pageRect(normalized: box) == PixelRect(x: 1000, y: 0, width: 100, height: 50))
        let inTopPadding = NormalizedBox(yMin: 0, xMin: 0, yMax: 0.2, xMax: 1)
        #expect(tile.pageRect(normalized: inTopPadding) == nil)
        let degenerate = NormalizedBox(yMin: 0.5, xMin: 0.5, yMax: 0.5, xMax: 0.5)
        #expect(tile.pageRect(normalized: degenerate)?.area == 1)
        let nan = NormalizedBox(yMin: .nan, xMin: 0, yMax: 1, xMax: 1)
        #expect(tile.pageRect(normalized: nan) == nil)
    }

    @Test func edgesRoundOutward() {
        let tile = Tile(index: 0, rect: PixelRect(x: 0, y: 0, width: 10, height: 10))
        let box = NormalizedBox(yMin: 0.15, xMin: 0.15, yMax: 0.85, xMax: 0.85)
        #expect(tile.pageRect(normalized: box) == PixelRect(x: 1, y: 1, width: 8, height: 8))
    }
}

@Suite struct DocumentCodingTests {
    @Test func refusesAnotherMajorSchemaVersion() throws {
        let document = Document(
            source: SourceFile(path: "a.png", format: "png"),
            pages: [Page(number: 1, width: 10, height: 10)])
        let data = try JSONEncoder().encode(document)
        #expect(try JSONDecoder().decode(Document.self, from: data) == document)
        let future = String(decoding: data, as: UTF8.self)
            .replacingOccurrences(
                of: "\"\(Document.currentSchemaVersion)\"", with: "\"2.0\"")
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Document.self, from: Data(future.utf8))
        }
        let minor = String(decoding: data, as: UTF8.self)
            .replacingOccurrences(
                of: "\"\(Document.currentSchemaVersion)\"", with: "\"1.3\"")
        #expect(
            try JSONDecoder().decode(Document.self, from: Data(minor.utf8)).schemaVersion == "1.3")
    }

    @Test func tableLookupAndEscaping() {
        let table = Table(
            rows: 2, columns: 2, headerRows: 1,
            cells: [
                Cell(row: 0, column: 0, rowSpan: 2, text: "a<b"),
                Cell(row: 0, column: 1, text: "x"),
            ])
        #expect(table.cell(coveringRow: 1, column: 0)?.html == "a&lt;b")
        #expect(table.cell(coveringRow: 1, column: 1) == nil)
        #expect(table.hasSpans)
    }
}
