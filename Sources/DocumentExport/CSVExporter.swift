import DocumentModel
import Foundation

/// One CSV file per table (RFC 4180: comma-separated, CRLF line ends, fields quoted when
/// they hold a comma, quote, CR or LF, quotes doubled). The grid is written whole: a
/// spanning cell's text is **repeated into every position it covers**, so each row has
/// `columns` fields and a spreadsheet filter on any column sees the value; positions no
/// cell covers are empty fields. Cell text is the plain text (markup removed).
///
/// A field a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or
/// CR, and not a plain number such as `-1.5` or `+3 %`) is written with a leading `'`, so
/// model text like `=HYPERLINK(…)` stays text (OWASP's advice for CSV injection).
public enum CSVExporter {
    /// The table as CSV text.
    public static func csv(_ table: Table) -> String {
        // [rows, columns] plain text per grid position.
        var grid = [[String]](
            repeating: [String](repeating: "", count: table.columns), count: table.rows)
        for cell in table.cells {
            for r in cell.row..<min(cell.row + cell.rowSpan, table.rows) {
                for c in cell.column..<min(cell.column + cell.columnSpan, table.columns) {
                    grid[r][c] = cell.text
                }
            }
        }
        return grid.map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    /// Writes every table of `document` to `folder` as `<stem>-p<page>-t<n>.csv` (n counts
    /// tables within the page from 1), atomically; returns the files in order.
    @discardableResult
    public static func write(_ document: Document, to folder: URL, stem: String) throws(ExportError)
        -> [URL]
    {
        var written: [URL] = []
        for page in document.pages {
            for (n, table) in page.tables.enumerated() {
                let url = folder.appendingPathComponent("\(stem)-p\(page.number)-t\(n + 1).csv")
                try AtomicFile.write(csv(table), to: url)
                written.append(url)
            }
        }
        return written
    }

    private static func field(_ cellText: String) -> String {
        let text = isFormula(cellText) ? "'" + cellText : cellText
        guard
            text.contains(where: {
                $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n"
            })
        else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Whether a spreadsheet would read `text` as a formula rather than a value.
    static func isFormula(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first,
            ["=", "+", "-", "@", "\t", "\r"].contains(first)
        else { return false }
        let rest = text.unicodeScalars.dropFirst()
        let number =
            (first == "+" || first == "-") && rest.contains { ("0"..."9").contains($0) }
            && rest.allSatisfy { ("0"..."9").contains($0) || ".,% ".unicodeScalars.contains($0) }
        return !number
    }
}
