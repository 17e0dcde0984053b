import DocumentExport
import DocumentModel
import Testing

/// Exporters never trust a `Cell`'s markup (a document read back from JSON may hold
/// anything) nor write a spreadsheet formula.
@Suite struct UntrustedExportTests {
    @Test func cellMarkupIsReducedToTheInlineVocabulary() {
        #expect(
            TableHTMLWriter.safeCellHTML(
                "<b onclick=x()>b</b><img src=x onerror=y()><script>alert(1)</script>"
                    + "<svg><a href=\"javascript:z()\">a</a></svg>&amp;\u{0}<sub>2</sub>")
                == "<b>b</b>alert(1)a&amp;<sub>2</sub>")
        #expect(TableHTMLWriter.safeCellHTML("plain > text\u{1}") == "plain &gt; text")
        let table = Table(
            rows: 1, columns: 1,
            cells: [Cell(row: 0, column: 0, text: "x", html: "<iframe src=//e>x</iframe>")])
        #expect(TableHTMLWriter.html(table) == "<table><tbody><tr><td>x</td></tr></tbody></table>")
    }

    @Test func formulasInCSVStayText() {
        let values = ["=HYPERLINK(\"http://e\")", "@SUM(A1)", "+cmd", "-1.5", "+3 %", "-", "a=b"]
        let table = Table(
            rows: 1, columns: values.count,
            cells: values.enumerated().map { Cell(row: 0, column: $0, text: $1) })
        #expect(
            CSVExporter.csv(table)
                == "\"'=HYPERLINK(\"\"http://e\"\")\",'@SUM(A1),'+cmd,-1.5,+3 %,'-,a=b\r\n")
    }
}
