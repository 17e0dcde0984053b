import DocumentModel

/// A `Table` as HTML: `<table>` with `<thead>` for the header rows and `<tbody>` for the
/// rest, each cell a `<td>` (or `<th>` in the header when asked) with `rowspan`/`colspan`
/// where above 1 and its content markup (`Cell.html`) inside. Holes stay holes (no cell is
/// invented). With `pubTabNet: true` the output uses only PubTabNet's vocabulary (`td`
/// everywhere) and is wrapped in `<html><body>` as PubTabNet's metric expects.
public enum TableHTMLWriter {
    /// The table's HTML.
    public static func html(_ table: Table, pubTabNet: Bool = false) -> String {
        var rows = [[Cell]](repeating: [], count: table.rows)
        for cell in table.cells where cell.row < table.rows { rows[cell.row].append(cell) }
        func section(_ tag: String, _ range: Range<Int>) -> String {
            var out = "<\(tag)>"
            for r in range {
                out += "<tr>"
                for cell in rows[r].sorted(by: { $0.column < $1.column }) {
                    let name = (tag == "thead" && !pubTabNet) ? "th" : "td"
                    var attributes = ""
                    if cell.rowSpan > 1 { attributes += " rowspan=\"\(cell.rowSpan)\"" }
                    if cell.columnSpan > 1 { attributes += " colspan=\"\(cell.columnSpan)\"" }
                    out += "<\(name)\(attributes)>\(cell.html)</\(name)>"
                }
                out += "</tr>"
            }
            return out + "</\(tag)>"
        }
        let header = min(table.headerRows, table.rows)
        var body = header > 0 ? section("thead", 0..<header) : ""
        body += section("tbody", header..<table.rows)
        let tableHTML = "<table>\(body)</table>"
        return pubTabNet ? "<html><body>\(tableHTML)</body></html>" : tableHTML
    }
}
