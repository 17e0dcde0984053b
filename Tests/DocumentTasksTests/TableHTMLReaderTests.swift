import DocumentModel
import DocumentTasks
import Testing

@Suite struct TableHTMLReaderTests {
    @Test func pubTabNetStructureWithSpans() {
        let html = """
            <thead><tr><td rowspan="2">Name</td><td colspan="2"><b>Score</b></td></tr>\
            <tr><td>A</td><td>B</td></tr></thead><tbody><tr><td>x &amp; y</td><td></td>\
            <td>1<sup>a</sup></td></tr></tbody>
            """
        let (table, issues) = TableHTMLReader.read(html)
        #expect(issues.isEmpty, "\(issues)")
        let t = try! #require(table)
        #expect(t.rows == 3 && t.columns == 3 && t.headerRows == 2)
        #expect(
            t.cells.map { [$0.row, $0.column, $0.rowSpan, $0.columnSpan] } == [
                [0, 0, 2, 1], [0, 1, 1, 2], [1, 1, 1, 1], [1, 2, 1, 1], [2, 0, 1, 1], [2, 1, 1, 1],
                [2, 2, 1, 1],
            ])
        #expect(t.cells.map(\.text) == ["Name", "Score", "A", "B", "x & y", "", "1a"])
        #expect(t.cells[1].html == "<b>Score</b>")
        #expect(t.cells[4].html == "x &amp; y")
        #expect(t.cell(coveringRow: 1, column: 0)?.text == "Name")
    }

    @Test func repairsMissingClosingTagsAndRecordsThem() {
        let (table, issues) = TableHTMLReader.read("<table><tr><td><b>a<td>b</tr><tr><td>c<td>d")
        let t = try! #require(table)
        #expect(t.cells.map(\.html) == ["<b>a</b>", "b", "c", "d"])
        #expect(t.rows == 2 && t.columns == 2)
        #expect(issues.allSatisfy { $0.severity != .unreadable })
        #expect(issues.filter { $0.code == "missing-close-tag" }.count >= 5)
        #expect(issues.contains { $0.code == "truncated" })
    }

    @Test func flagsWhatItCannotRead() {
        let (table, issues) = TableHTMLReader.read(
            "<tr><td colspan=\"zero\">a</td></tr> stray <tr><td>b</td><td>c</td></tr><tr><td col")
        let codes = Set(issues.map(\.code))
        #expect(
            codes.isSuperset(of: ["bad-span", "text-outside-cell", "truncated-tag", "ragged-rows"]))
        #expect(table?.cells.map(\.text) == ["a", "b", "c"])
    }

    @Test func clipsRowspanPastTheEnd() {
        let (table, issues) = TableHTMLReader.read("<tr><td rowspan=\"5\">a</td></tr><tr></tr>")
        #expect(table?.cells.first?.rowSpan == 2)
        #expect(issues.map(\.code).contains("span-clipped"))
    }

    @Test func lessThanInTextIsText() {
        let (table, issues) = TableHTMLReader.read("<tr><td>p < 0.05</td></tr>")
        #expect(issues.isEmpty)
        #expect(table?.cells.first?.text == "p < 0.05")
    }

    @Test func nothingTableLikeIsUnreadable() {
        let (table, issues) = TableHTMLReader.read("The model wrote prose instead.")
        #expect(table == nil)
        #expect(issues.map(\.code) == ["text-outside-cell", "no-table"])
    }
}

@Suite struct TableHeaderTests {
    @Test func leadingTHRowsAreTheHeaderWithoutTHead() {
        let (table, _) = TableHTMLReader.read(
            "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><th>2</th></tr></table>")
        #expect(table?.headerRows == 1)
    }
}

@Suite struct TableCellBoxTests {
    @Test func locTokensInACellBecomeItsPageBox() {
        let tile = Tile(index: 0, rect: PixelRect(x: 100, y: 0, width: 1023, height: 1023))
        let output =
            "<tr><td><loc0010><loc0020><loc0030><loc0040>1.5</td>"
            + "<td><loc0001><loc0002>bad</td></tr>"
        let region = TableTask().parse(output, tile: tile, page: 1)
        let cells = region.table?.cells ?? []
        #expect(cells.map(\.html) == ["1.5", "bad"])
        #expect(cells.first?.box == PixelRect(x: 120, y: 10, width: 20, height: 20))
        #expect(cells.last?.box == nil)
        #expect(region.issues.map(\.code) == ["bad-loc-group"])
    }
}
