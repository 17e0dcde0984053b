import DocumentModel

/// A `Table` as HTML: `<table>` with `<thead>` for the header rows and `<tbody>` for the
/// rest, each cell a `<td>` (or `<th>` in the header when asked) with `rowspan`/`colspan`
/// where above 1 and its content markup (`Cell.html`) inside. Holes stay holes (no cell is
/// invented). With `pubTabNet: true` the output uses only PubTabNet's vocabulary (`td`
/// everywhere) and is wrapped in `<html><body>` as PubTabNet's metric expects.
///
/// Cell markup is written only through `safeCellHTML`: whatever a `Cell` holds (it may come
/// from a JSON file, not from the table parser), the output has no element outside
/// `Cell.inlineTags` and no attribute but the spans.
public enum TableHTMLWriter {
    /// The table's HTML; with `plainText` the cells hold their escaped plain text instead of
    /// their markup.
    public static func html(
        _ table: Table, pubTabNet: Bool = false, plainText: Bool = false
    ) -> String {
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
                    let content =
                        plainText ? Cell.escape(cell.text) : safeCellHTML(cell.html)
                    out += "<\(name)\(attributes)>\(content)</\(name)>"
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

    /// The table's HTML (header cells as `<th>`), checked: libxml2 re-reads it and must find
    /// the same rows of cells with the same spans. Model-written cell markup that breaks
    /// the table (a stray block tag, say) makes it fall back to the cells' plain text.
    public static func checkedHTML(_ table: Table) -> String {
        let rich = html(table)
        let reread = try? Markup.parseHTML("<html><body>\(rich)</body></html>")
        if let element = reread?.descendants(named: "table").first,
            reread?.descendants(named: "table").count == 1,
            spanRows(of: element) == spanRows(of: table)
        {
            return rich
        }
        return html(table, plainText: true)
    }

    /// `html` reduced to `Cell.inlineTags` without attributes and escaped text: libxml2 reads
    /// it as a browser would, elements of the vocabulary are rewritten bare, other elements
    /// give up their tags and keep their text (a script's source becomes visible text).
    public static func safeCellHTML(_ markup: String) -> String {
        guard markup.contains("<") || markup.contains("&") else { return Cell.escape(markup) }
        // libxml2 stops reading at a NUL: control characters go before it sees them.
        let html = String(
            String.UnicodeScalarView(
                markup.unicodeScalars.filter {
                    $0.value >= 0x20 || "\t\n\r".unicodeScalars.contains($0)
                }))
        guard let root = try? Markup.parseHTML("<html><body>\(html)</body></html>") else {
            return Cell.escape(html)
        }
        func write(_ nodes: [MarkupNode]) -> String {
            nodes.map { node in
                switch node {
                case .text(let text): return Cell.escape(text)
                case .element(let element):
                    let inner = write(element.children)
                    guard Cell.inlineTags.contains(element.name) else { return inner }
                    return element.name == "br"
                        ? "<br>" : "<\(element.name)>\(inner)</\(element.name)>"
                }
            }.joined()
        }
        // Text libxml2 moved into <head> (a stray <title>, say) is dropped with it.
        return write(root.elements(named: "body").first?.children ?? [])
    }

    /// Per row, the (rowspan, colspan) of each cell as a parsed `<table>` element holds them.
    static func spanRows(of element: MarkupElement) -> [[[Int]]] {
        element.descendants(named: "tr").map { row in
            row.elements.filter { $0.name == "td" || $0.name == "th" }.map {
                [
                    Int($0.attribute("rowspan") ?? "1") ?? 0,
                    Int($0.attribute("colspan") ?? "1") ?? 0,
                ]
            }
        }
    }

    /// Per row, the (rowspan, colspan) of each cell starting in it.
    static func spanRows(of table: Table) -> [[[Int]]] {
        var rows = [[[Int]]](repeating: [], count: table.rows)
        for cell in table.cells.sorted(by: { ($0.row, $0.column) < ($1.row, $1.column) })
        where cell.row < table.rows {
            rows[cell.row].append([cell.rowSpan, cell.columnSpan])
        }
        return rows
    }
}
