import DocumentModel
import Foundation

/// The document as GitHub-flavoured Markdown: a heading per page, then each region in order
/// (text as paragraphs keeping its line breaks, words joined into text, detections as a
/// list, tables). A table is a GFM pipe table when GFM can hold it — exactly one header
/// row, no spans, no holes — and an HTML `<table>` (GFM renders raw HTML) otherwise, so
/// spans are never lost.
public enum MarkdownExporter {
    /// The Markdown text.
    public static func markdown(_ document: Document) -> String {
        var blocks: [String] = []
        for page in document.pages {
            blocks.append("## Page \(page.number)")
            for region in page.regions {
                if let table = region.table {
                    blocks.append(tableMarkdown(table))
                } else if !region.detections.isEmpty {
                    blocks.append(
                        region.detections.map {
                            "- \(escape($0.label)) (\($0.box.x), \($0.box.y), "
                                + "\($0.box.width)×\($0.box.height))"
                        }.joined(separator: "\n"))
                } else if let text = region.text, !text.isEmpty {
                    // Keep the model's line breaks (CommonMark hard breaks: `\` at line end).
                    let lines = text.split(whereSeparator: \.isNewline).map { escape(String($0)) }
                    blocks.append(lines.joined(separator: "\\\n"))
                }
            }
        }
        return blocks.joined(separator: "\n\n") + "\n"
    }

    /// Writes the Markdown to `url` atomically.
    public static func write(_ document: Document, to url: URL) throws(ExportError) {
        try AtomicFile.write(markdown(document), to: url)
    }

    /// A GFM pipe table when possible, else the table's HTML.
    public static func tableMarkdown(_ table: Table) -> String {
        let fits =
            table.headerRows == 1 && !table.hasSpans && table.columns > 0
            && table.cells.count == table.rows * table.columns
        guard fits else { return TableHTMLWriter.checkedHTML(table) }
        var grid = [[String]](
            repeating: [String](repeating: "", count: table.columns), count: table.rows)
        for cell in table.cells { grid[cell.row][cell.column] = cellText(cell.text) }
        var lines = ["| " + grid[0].joined(separator: " | ") + " |"]
        lines.append("|" + String(repeating: " --- |", count: table.columns))
        for row in grid.dropFirst() { lines.append("| " + row.joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n")
    }

    /// Cell text safe inside a pipe table: pipes escaped, line breaks as `<br>`.
    private static func cellText(_ text: String) -> String {
        escape(text).replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "\r\n", with: "<br>")
            .replacingOccurrences(of: "\n", with: "<br>")
    }

    /// Characters Markdown would read as markup (and `<`, `&` for raw HTML) escaped.
    private static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "\\", "`", "*", "_", "[", "]", "#", "<", ">", "&":
                out += c == "<" ? "&lt;" : c == ">" ? "&gt;" : c == "&" ? "&amp;" : "\\\(c)"
            default: out.append(c)
            }
        }
        return out
    }
}
