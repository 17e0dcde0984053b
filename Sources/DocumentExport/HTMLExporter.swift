import DocumentModel
import Foundation

/// The document as one HTML page: per page, the page image (when known) under an invisible
/// but selectable text layer of its words placed at their boxes (as percentages of the page,
/// so the view scales) and outlined detection boxes; then the page's tables
/// (`TableHTMLWriter.checkedHTML`: header cells as `<th>`, plain text where a cell's markup
/// would break the table), music (its `**kern` in a `<pre>` under its validity and counts),
/// molecules (SMILES with formula and weight, or why invalid), captions, answers, other text
/// and the parsers' issues. Before writing, libxml2 re-reads the whole output and every table
/// must come back with the same cells and spans (`ExportError` otherwise).
///
/// Model text is untrusted: it is only ever written escaped (table cells through
/// `TableHTMLWriter`'s inline allowlist), and the page carries `contentSecurityPolicy`, so a
/// browser runs no script and loads nothing from elsewhere even if markup slipped through.
public enum HTMLExporter {
    /// The Content-Security-Policy of every HTML output: no scripts, plugins, frames, fonts or
    /// remote loads of any kind; only images from the result folder itself and the page's own
    /// inline styles.
    public static let contentSecurityPolicy =
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; "
        + "form-action 'none'"


    /// The HTML text, checked.
    public static func html(_ document: Document) throws(ExportError) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="\(contentSecurityPolicy)">
            <title>\(XMLEscaping.escape(document.source.path))</title>
            <style>
            .page { position: relative; margin: 1em auto; border: 1px solid #ccc; }
            .page img { display: block; width: 100%; height: auto; }
            .words { position: absolute; inset: 0; }
            .words span { position: absolute; color: transparent; white-space: pre; }
            .detection { position: absolute; border: 2px solid #d33; box-sizing: border-box; }
            table { border-collapse: collapse; margin: 1em 0; }
            td, th { border: 1px solid #999; padding: 0.2em 0.4em; vertical-align: top; }
            .issues { color: #a40; font-size: 0.9em; }
            .music pre { background: #f6f6f6; padding: 0.5em; overflow-x: auto; }
            </style>
            </head>
            <body>

            """
        if document.model?.randomWeights == true {
            out +=
                "<p class=\"notice\">\(XMLEscaping.escape(ModelInfo.randomWeightsNotice))</p>\n"
        }
        for page in document.pages {
            out += "<section class=\"page-results\" id=\"page-\(page.number)\">\n"
            out += "<h2>Page \(page.number)</h2>\n"
            if let source = page.textSource {
                out += "<p class=\"text-source\">Text: \(XMLEscaping.escape(source.label))</p>\n"
            }
            out +=
                "<div class=\"page\" style=\"max-width: \(page.width)px; "
                + "aspect-ratio: \(page.width) / \(page.height)\">\n"
            if let image = page.image {
                out += "<img src=\"\(XMLEscaping.escape(image))\" alt=\"page \(page.number)\">\n"
            }
            out += "<div class=\"words\">"
            for word in page.words {
                guard let box = word.box else { continue }
                out +=
                    "<span style=\"\(percentStyle(box, page))\">"
                    + "\(XMLEscaping.escape(word.text))</span>"
            }
            out += "</div>\n"
            for detection in page.regions.flatMap(\.detections) {
                out +=
                    "<div class=\"detection\" style=\"\(percentStyle(detection.box, page))\" "
                    + "title=\"\(XMLEscaping.escape(detection.label))\"></div>"
            }
            out += "</div>\n"
            for region in page.regions {
                if let table = region.table {
                    out += TableHTMLWriter.checkedHTML(table) + "\n"
                } else if !region.detections.isEmpty {
                    out += list(
                        "detections",
                        region.detections.map { d in
                            "\(XMLEscaping.escape(d.label)) "
                                + "(\(d.box.x), \(d.box.y), \(d.box.width)×\(d.box.height))"
                        })
                } else if !region.music.isEmpty {
                    for score in region.music {
                        out +=
                            "<div class=\"music\"><p>\(XMLEscaping.escape(ResultSummary.of(score)))"
                            + "</p><pre>\(XMLEscaping.escape(score.kern))</pre></div>\n"
                    }
                } else if !region.molecules.isEmpty {
                    out += list(
                        "molecules",
                        region.molecules.map { molecule in
                            "<code>\(XMLEscaping.escape(molecule.smiles))</code> "
                                + XMLEscaping.escape(ResultSummary.of(molecule))
                        })
                } else if region.words.isEmpty, let text = region.text, !text.isEmpty {
                    out +=
                        "<p class=\"\(XMLEscaping.escape(region.task))\">"
                        + XMLEscaping.escape(text).replacingOccurrences(of: "\n", with: "<br>")
                        + "</p>\n"
                }
                if !region.issues.isEmpty {
                    out += list(
                        "issues",
                        region.issues.map {
                            "\($0.severity.rawValue): \(XMLEscaping.escape($0.message))"
                        })
                }
            }
            out += "</section>\n"
        }
        out += "</body>\n</html>\n"
        try check(out, document: document)
        return out
    }

    /// A `<ul>` of class `htmlClass` with one `<li>` per item (HTML, escaped by the caller).
    private static func list(_ htmlClass: String, _ items: [String]) -> String {
        "<ul class=\"\(htmlClass)\">" + items.map { "<li>\($0)</li>" }.joined() + "</ul>\n"
    }

    /// Writes the HTML to `url` atomically, and beside it each page image it shows (the
    /// page's `image`, e.g. `pages/page-0001.png`) from `pageImage`, the page's raster as PNG.
    public static func write(
        _ document: Document, to url: URL, pageImage: (Page) throws -> Data
    ) throws(ExportError) {
        let folder = url.deletingLastPathComponent()
        for page in document.pages {
            guard let name = page.image else { continue }
            let target = folder.appendingPathComponent(name)
            let bytes: Data
            do {
                bytes = try pageImage(page)
            } catch {
                throw ExportError(file: target.path, reason: "no page image: \(error)")
            }
            try AtomicFile.write(bytes, to: target)
        }
        try AtomicFile.write(try html(document), to: url)
    }

    private static func percentStyle(_ box: PixelRect, _ page: Page) -> String {
        func pct(_ v: Int, _ of: Int) -> String {
            String(format: "%.3f%%", Double(v) * 100 / Double(of))
        }
        return "left: \(pct(box.x, page.width)); top: \(pct(box.y, page.height)); "
            + "width: \(pct(box.width, page.width)); height: \(pct(box.height, page.height))"
    }

    /// Re-reads `html` with libxml2 and compares every table's rows of (span, span) cells
    /// with the document's tables.
    private static func check(_ html: String, document: Document) throws(ExportError) {
        let root: MarkupElement
        do { root = try Markup.parseHTML(html) } catch {
            throw ExportError(
                file: document.source.path, reason: "HTML output unreadable: \(error)")
        }
        let parsed = root.descendants(named: "table")
        let expected = document.pages.flatMap(\.tables)
        guard parsed.count == expected.count else {
            throw ExportError(
                file: document.source.path,
                reason: "HTML output has \(parsed.count) tables, expected \(expected.count)")
        }
        for (element, table) in zip(parsed, expected)
        where TableHTMLWriter.spanRows(of: element) != TableHTMLWriter.spanRows(of: table) {
            throw ExportError(
                file: document.source.path,
                reason: "a table's HTML does not read back with its cells and spans")
        }
    }
}
