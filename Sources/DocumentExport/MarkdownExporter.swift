import DocumentModel
import Foundation

/// The document as GitHub-flavoured Markdown: a heading per page, then each region in order
/// (text as paragraphs keeping its line breaks, words joined into text, detections as a
/// list, tables, music as its validity and counts over a fenced `kern` code block, molecules
/// as a list of SMILES code spans with formula and weight or why invalid). A table is a GFM
/// pipe table when GFM can hold it — exactly one header row, no spans, no holes — and an HTML
/// `<table>` (GFM renders raw HTML) otherwise, so spans are never lost.
///
/// The only raw HTML in the output is what this writer builds: model text is escaped
/// (Markdown punctuation backslash-escaped, `<`, `>`, `&` as entities, control characters
/// dropped), code spans hold no line break, and a table's HTML (`TableHTMLWriter`, cells
/// reduced to the inline allowlist) is kept on one line so no blank line inside a cell can
/// end the HTML block and let the rest be read as Markdown.
public enum MarkdownExporter {
    /// The Markdown text.
    public static func markdown(_ document: Document) -> String {
        var blocks: [String] = []
        if document.model?.randomWeights == true {
            blocks.append("> " + escape(ModelInfo.randomWeightsNotice))
        }
        for page in document.pages {
            blocks.append("## Page \(page.number)")
            if let source = page.textSource { blocks.append("Text: " + escape(source.label)) }
            for region in page.regions {
                if let table = region.table {
                    blocks.append(tableMarkdown(table))
                } else if !region.detections.isEmpty {
                    blocks.append(
                        region.detections.map {
                            "- \(escape($0.label)) (\($0.box.x), \($0.box.y), "
                                + "\($0.box.width)×\($0.box.height))"
                        }.joined(separator: "\n"))
                } else if !region.music.isEmpty {
                    for score in region.music {
                        let fence = codeFence(for: score.kern, minimum: 3)
                        blocks.append(escape(ResultSummary.of(score)))
                        blocks.append("\(fence)kern\n\(score.kern)\n\(fence)")
                    }
                } else if !region.molecules.isEmpty {
                    blocks.append(
                        region.molecules.map {
                            "- \(codeSpan($0.smiles)) \(escape(ResultSummary.of($0)))"
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
        guard fits else {
            return TableHTMLWriter.checkedHTML(table)
                .replacingOccurrences(of: "\r\n", with: "&#10;")
                .replacingOccurrences(of: "\n", with: "&#10;")
                .replacingOccurrences(of: "\r", with: "&#10;")
        }
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

    /// A run of backticks longer than any in `text` (at least `minimum`), so a code span or
    /// fenced block around `text` cannot be closed early.
    private static func codeFence(for text: String, minimum: Int) -> String {
        var longest = 0
        var run = 0
        for c in text {
            run = c == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return String(repeating: "`", count: max(minimum, longest + 1))
    }

    /// `text` as an inline code span (padded with spaces when it starts or ends with a
    /// backtick, which CommonMark strips again).
    private static func codeSpan(_ raw: String) -> String {
        let text = String(
            String.UnicodeScalarView(
                raw.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
        guard !text.isEmpty else { return "(empty)" }
        let fence = codeFence(for: text, minimum: 1)
        let pad = text.hasPrefix("`") || text.hasSuffix("`") ? " " : ""
        return fence + pad + text + pad + fence
    }

    /// Characters Markdown would read as markup (and `<`, `&` for raw HTML) escaped.
    private static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "\\", "`", "*", "_", "[", "]", "#", "<", ">", "&":
                out += c == "<" ? "&lt;" : c == ">" ? "&gt;" : c == "&" ? "&amp;" : "\\\(c)"
            case "\t", "\n", "\r", "\r\n": out.append(c)
            default:
                // Control characters carry no text and may confuse a renderer.
                if let scalar = c.unicodeScalars.first, c.unicodeScalars.count == 1,
                    scalar.value < 0x20 || scalar.value == 0x7F
                {
                    continue
                }
                out.append(c)
            }
        }
        return out
    }
}
