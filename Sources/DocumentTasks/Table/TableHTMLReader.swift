import DocumentModel

/// Reads PubTabNet-style table HTML into a grid, tolerating what table models produce.
///
/// The header is the leading `<thead>` rows (or, without a `<thead>`, the leading rows of
/// `<th>` cells). Layout follows the HTML table model: each cell takes the first free
/// column of its row, then covers `rowspan × colspan` positions. Document scaffolding
/// around the table (`<html>`, `<body>`, `<head>…</head>`, comments) is skipped.
///
/// Model output is untrusted: a cell keeps only the inline tags of `Cell.inlineTags`, each
/// rewritten without its attributes, and escaped text (entities decoded, then `&`, `<`, `>`
/// escaped; control characters dropped). Any other tag inside a cell (`<img>`, `<a>`,
/// `<svg>`, `<script>`…) becomes escaped text of the cell, with a warning.
///
/// Repairs (recorded as `.repaired`): closing tags that are missing (`</td>`, `</tr>`,
/// `</thead>`, `</tbody>`, `</table>`, inline tags inside a cell), a cell outside any row
/// (a row is opened for it), attributes dropped from inline tags. Warnings: rows of different
/// widths, rowspans past the last row (clipped), stray closing tags, output that ends inside
/// the table, markup outside the inline vocabulary kept as text, scripts and styles around
/// the table dropped. Unreadable (left out, `.unreadable`): text between cells, a truncated
/// tag, unknown structure tags, span values that are not positive integers (read as 1) or are
/// absurd (> 1000).
public enum TableHTMLReader {
    /// The largest span accepted; larger values are model garbage, not tables.
    public static let maximumSpan = 1000

    /// The grid (or `nil` when no cell was found) and what was repaired or unreadable.
    ///
    /// A cell may start with four `<locNNNN>` tokens, its content box on the model's square
    /// (PaliGemma 2's table transfer predicts cell boxes); `cellBox` maps it to page pixels
    /// (`Tile.pageRect(normalized:)`), and the tokens are not part of the cell's content.
    public static func read(
        _ html: String, cellBox: (NormalizedBox) -> PixelRect? = { _ in nil }
    ) -> (table: Table?, issues: [TaskIssue]) {
        var state = ReaderState()
        state.run(html)
        return state.finish(cellBox: cellBox)
    }
}

/// One cell as read, before layout.
private struct DraftCell {
    var rowSpan = 1
    var columnSpan = 1
    var html = ""
    var openInline: [String] = []
    var isHeaderTag = false
    /// `<locNNNN>` values inside the cell and where the first one was.
    var locs: [Int] = []
    var locOffset = 0
    var box: NormalizedBox?
}

private struct ReaderState {
    var issues: [TaskIssue] = []
    /// Rows in order: their cells and whether they were inside `<thead>`.
    var rows: [(cells: [DraftCell], header: Bool)] = []
    var inHeader = false
    var rowOpen = false
    var cell: DraftCell?
    var tableOpen = false
    var tableClosed = false
    var sectionOpen: String?

    static let structureTags: Set<String> = [
        "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup", "col",
    ]

    mutating func repaired(_ code: String, _ message: String, at offset: Int) {
        issues.append(TaskIssue(.repaired, code: code, message: message, offset: offset))
    }

    mutating func warning(_ code: String, _ message: String, at offset: Int) {
        issues.append(TaskIssue(.warning, code: code, message: message, offset: offset))
    }

    mutating func unreadable(_ code: String, _ message: String, at offset: Int) {
        issues.append(TaskIssue(.unreadable, code: code, message: message, offset: offset))
    }

    mutating func run(_ html: String) {
        let s = Array(html.unicodeScalars)
        var i = 0
        var text = ""
        var textStart = 0
        while i < s.count {
            guard s[i] == "<", CellText.startsTag(s, at: i) || i + 1 == s.count else {
                if text.isEmpty { textStart = i }
                text.unicodeScalars.append(s[i])
                i += 1
                continue
            }
            if let end = skipDocumentMarkup(s, at: i) {
                // Document scaffolding around the table (`<html>`, `<head>…</head>`,
                // comments, doctype) carries no table content.
                flushText(&text, at: textStart)
                i = end
                continue
            }
            guard let close = s[i...].firstIndex(of: ">") else {
                // The output stops inside a tag (typically a truncated generation).
                flushText(&text, at: textStart)
                unreadable("truncated-tag", "the output ends inside a tag", at: i)
                return
            }
            let tag = Tag(String(String.UnicodeScalarView(s[(i + 1)..<close])))
            flushText(&text, at: textStart)
            handle(tag, raw: String(String.UnicodeScalarView(s[i...close])), at: i)
            i = close + 1
        }
        flushText(&text, at: textStart)
        endOfInput(at: s.count)
    }

    /// The index after document markup starting at `i` (a comment, doctype, processing
    /// instruction, `html`/`body`/`meta`/`link` tag, or a whole `head`/`style`/`title`/
    /// `script` element), or `nil` when `i` starts something else. Inside a cell only
    /// comments, doctypes and processing instructions are skipped: tags there are cell markup.
    mutating func skipDocumentMarkup(_ s: [Unicode.Scalar], at i: Int) -> Int? {
        func matches(_ needle: String, at k: Int) -> Bool {
            let n = Array(needle.unicodeScalars)
            guard k + n.count <= s.count else { return false }
            return zip(s[k..<(k + n.count)], n).allSatisfy {
                $0.properties.lowercaseMapping == String($1)
            }
        }
        func find(_ needle: String, from start: Int) -> Int? {
            (start..<s.count).first { matches(needle, at: $0) }
        }
        if matches("<!--", at: i) {
            return find("-->", from: i + 4).map { $0 + 3 } ?? s.count
        }
        guard let close = s[i...].firstIndex(of: ">") else { return nil }
        let inside = String(String.UnicodeScalarView(s[(i + 1)..<close]))
        if inside.hasPrefix("!") || inside.hasPrefix("?") { return close + 1 }
        // Inside a cell every tag is read as cell markup (and kept as text unless inline).
        guard cell == nil else { return nil }
        let tag = Tag(inside)
        if ["html", "body", "meta", "link"].contains(tag.name) { return close + 1 }
        if ["head", "style", "title", "script"].contains(tag.name) {
            if tag.closing { return close + 1 }
            if tag.name == "script" || tag.name == "style" {
                warning(
                    "active-content-dropped",
                    "a <\(tag.name)> element outside the table was dropped", at: i)
            }
            guard let end = find("</\(tag.name)", from: close + 1) else { return s.count }
            return (s[end...].firstIndex(of: ">") ?? s.count - 1) + 1
        }
        return nil
    }

    mutating func flushText(_ text: inout String, at offset: Int) {
        defer { text = "" }
        guard !text.isEmpty else { return }
        if cell != nil {
            cell!.html += Cell.escape(CellText.decodeEntities(text))
        } else if !text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
            unreadable(
                "text-outside-cell", "text outside any cell: \"\(text.prefix(40))\"", at: offset)
        }
    }

    mutating func handle(_ tag: Tag, raw: String, at offset: Int) {
        if tableClosed {
            unreadable("content-after-table", "markup after </table>", at: offset)
            return
        }
        guard ReaderState.structureTags.contains(tag.name) else {
            inline(tag, raw: raw, at: offset)
            return
        }
        switch (tag.name, tag.closing) {
        case ("table", false):
            if tableOpen || !rows.isEmpty {
                unreadable("nested-table", "a table inside the table is not supported", at: offset)
            }
            tableOpen = true
        case ("table", true):
            closeSection(at: offset, explicit: nil)
            tableClosed = true
        case ("thead", false), ("tbody", false), ("tfoot", false):
            closeSection(at: offset, explicit: nil)
            sectionOpen = tag.name
            inHeader = tag.name == "thead"
        case ("thead", true), ("tbody", true), ("tfoot", true):
            closeSection(at: offset, explicit: tag.name)
        case ("tr", false):
            closeRow(at: offset, explicit: false)
            rows.append(([], inHeader))
            rowOpen = true
        case ("tr", true):
            if rowOpen {
                closeRow(at: offset, explicit: true)
            } else {
                warning("stray-close-tag", "</tr> without <tr>", at: offset)
            }
        case ("td", false), ("th", false):
            closeCell(at: offset, explicit: false)
            if !rowOpen {
                repaired("missing-tr", "a cell outside any row; a row was opened", at: offset)
                rows.append(([], inHeader))
                rowOpen = true
            }
            var draft = DraftCell()
            draft.isHeaderTag = tag.name == "th"
            draft.rowSpan = span(tag, "rowspan", at: offset)
            draft.columnSpan = span(tag, "colspan", at: offset)
            cell = draft
        case ("td", true), ("th", true):
            if cell != nil {
                closeCell(at: offset, explicit: true)
            } else {
                warning("stray-close-tag", "</\(tag.name)> without a cell", at: offset)
            }
        default:
            unreadable(
                "unsupported-tag", "<\(tag.closing ? "/" : "")\(tag.name)> is not read", at: offset)
        }
    }

    mutating func inline(_ tag: Tag, raw: String, at offset: Int) {
        guard cell != nil else {
            unreadable(
                "markup-outside-cell", "\(Self.quoted(raw)) outside any cell", at: offset)
            return
        }
        if let loc = LocGroups.locNumber(tagName: tag.name), !tag.closing {
            if cell!.locs.isEmpty { cell!.locOffset = offset }
            cell!.locs.append(loc)
            return
        }
        guard Cell.inlineTags.contains(tag.name) else {
            cell!.html += Cell.escape(raw)
            warning(
                "disallowed-markup", "\(Self.quoted(raw)) is not cell markup; kept as text",
                at: offset)
            return
        }
        if !tag.attributes.isEmpty {
            repaired(
                "attributes-dropped",
                "the attributes of <\(tag.name)> were dropped (\(Self.quoted(raw)))", at: offset)
        }
        if tag.closing {
            guard let index = cell!.openInline.lastIndex(of: tag.name) else {
                unreadable(
                    "stray-inline-close", "\(Self.quoted(raw)) closes nothing; dropped",
                    at: offset)
                return
            }
            // Close inner tags the model forgot before this one.
            for name in cell!.openInline[(index + 1)...].reversed() {
                cell!.html += "</\(name)>"
                repaired("missing-close-tag", "</\(name)> added", at: offset)
            }
            cell!.openInline.removeSubrange(index...)
            cell!.html += "</\(tag.name)>"
        } else if Tag.voidElements.contains(tag.name) {
            cell!.html += "<\(tag.name)>"
        } else {
            // `<b/>` is a start tag to an HTML parser; written as an empty element.
            cell!.html += tag.selfClosing ? "<\(tag.name)></\(tag.name)>" : "<\(tag.name)>"
            if !tag.selfClosing { cell!.openInline.append(tag.name) }
        }
    }

    /// Model markup quoted in an issue message: at most 60 characters, control characters
    /// dropped, so one hostile tag cannot flood the issue list.
    static func quoted(_ raw: String) -> String {
        let clean = String(String.UnicodeScalarView(raw.unicodeScalars.filter { $0.value >= 0x20 }))
        return clean.count > 60 ? String(clean.prefix(60)) + "…" : clean
    }

    mutating func span(_ tag: Tag, _ name: String, at offset: Int) -> Int {
        guard let value = tag.attributes[name] else { return 1 }
        guard let n = Int(value.trimmingWhitespace()), n >= 1 else {
            unreadable(
                "bad-span", "\(name)=\"\(value)\" is not a positive integer; read as 1", at: offset)
            return 1
        }
        guard n <= TableHTMLReader.maximumSpan else {
            unreadable("bad-span", "\(name)=\(n) is implausibly large; read as 1", at: offset)
            return 1
        }
        return n
    }

    mutating func closeCell(at offset: Int, explicit: Bool) {
        guard var draft = cell else { return }
        for name in draft.openInline.reversed() {
            draft.html += "</\(name)>"
            repaired("missing-close-tag", "</\(name)> added at the end of a cell", at: offset)
        }
        draft.openInline = []
        if !draft.locs.isEmpty {
            let (box, issue) = LocGroups.box(draft.locs, offset: draft.locOffset)
            draft.box = box
            if let issue { issues.append(issue) }
        }
        if !explicit { repaired("missing-close-tag", "</td> added", at: offset) }
        rows[rows.count - 1].cells.append(draft)
        cell = nil
    }

    mutating func closeRow(at offset: Int, explicit: Bool) {
        closeCell(at: offset, explicit: false)
        if rowOpen && !explicit { repaired("missing-close-tag", "</tr> added", at: offset) }
        rowOpen = false
    }

    mutating func closeSection(at offset: Int, explicit: String?) {
        closeRow(at: offset, explicit: false)
        if let open = sectionOpen, explicit != open {
            repaired("missing-close-tag", "</\(open)> added", at: offset)
        }
        if let explicit, sectionOpen != explicit {
            warning("stray-close-tag", "</\(explicit)> without <\(explicit)>", at: offset)
        }
        sectionOpen = nil
        inHeader = false
    }

    mutating func endOfInput(at offset: Int) {
        if tableClosed { return }
        let open = cell != nil || rowOpen || sectionOpen != nil
        closeSection(at: offset, explicit: nil)
        if tableOpen {
            repaired("missing-close-tag", "</table> added", at: offset)
        }
        if open {
            warning(
                "truncated", "the output ends inside the table; later rows may be missing",
                at: offset)
        }
    }

    /// Lays the cells out on the grid.
    mutating func finish(cellBox: (NormalizedBox) -> PixelRect?) -> (Table?, [TaskIssue]) {
        var occupied: [[Bool]] = []
        var cells: [Cell] = []
        let rowCount = rows.count
        var clipped = false
        for (r, row) in rows.enumerated() {
            var c = 0
            for draft in row.cells {
                while r < occupied.count && c < occupied[r].count && occupied[r][c] { c += 1 }
                var rowSpan = draft.rowSpan
                if r + rowSpan > rowCount {
                    rowSpan = rowCount - r
                    clipped = true
                }
                for rr in r..<(r + rowSpan) {
                    while occupied.count <= rr { occupied.append([]) }
                    while occupied[rr].count < c + draft.columnSpan { occupied[rr].append(false) }
                    for cc in c..<(c + draft.columnSpan) { occupied[rr][cc] = true }
                }
                cells.append(
                    Cell(
                        row: r, column: c, rowSpan: rowSpan, columnSpan: draft.columnSpan,
                        text: CellText.plain(draft.html).trimmingWhitespace(), html: draft.html,
                        box: draft.box.flatMap(cellBox)))
                c += draft.columnSpan
            }
        }
        if clipped {
            issues.append(
                TaskIssue(
                    .warning, code: "span-clipped",
                    message: "a rowspan reaches past the last row; clipped"))
        }
        guard !cells.isEmpty else {
            if rows.isEmpty {
                issues.append(
                    TaskIssue(.unreadable, code: "no-table", message: "no table rows found"))
            }
            return (rows.isEmpty ? nil : Table(rows: rowCount, columns: 0, cells: []), issues)
        }
        let columns = occupied.map(\.count).max() ?? 0
        let widths = occupied.map { $0.filter { $0 }.count }
        if widths.contains(where: { $0 != columns }) {
            issues.append(
                TaskIssue(
                    .warning, code: "ragged-rows",
                    message: "rows cover \(Set(widths).sorted()) of \(columns) columns; "
                        + "the uncovered positions stay empty"))
        }
        // The header is the leading <thead> rows, or without a <thead> the leading rows made
        // only of <th> cells.
        var headerRows = rows.prefix { $0.header }.count
        if !rows.contains(where: \.header) {
            headerRows =
                rows.prefix { !$0.cells.isEmpty && $0.cells.allSatisfy(\.isHeaderTag) }.count
        }
        if rows.dropFirst(headerRows).contains(where: \.header) {
            issues.append(
                TaskIssue(
                    .warning, code: "header-after-body",
                    message: "<thead> rows after body rows are read as body rows"))
        }
        return (
            Table(rows: rowCount, columns: columns, headerRows: headerRows, cells: cells), issues
        )
    }
}
