/// Tree-Edit-Distance-based Similarity between two HTML tables (Zhong et al., PubTabNet,
/// arXiv:1911.10683 §V), computed exactly as PubTabNet's own `src/metric.py` does:
///
/// - both strings are parsed with libxml2's HTML parser, as `lxml.html.fromstring` does, and
///   must contain `html/body/table` (a bare `<table>…</table>` fragment, or an empty
///   string, scores 0 — the reference's behaviour, kept so scores are comparable);
/// - the tree is the `<table>` element; `td` elements are leaves carrying `colspan`,
///   `rowspan` and their content as tokens (`<tag>`, each character, `</tag>`);
/// - insert and delete cost 1; renaming costs 1 when tag, colspan or rowspan differ, the
///   normalised Levenshtein distance of the content tokens for two `td`s, else 0;
/// - TEDS = 1 − distance / max(n_pred, n_gt), where n is the number of elements under the
///   `<table>` (`len(table.xpath(".//*"))`): every row, section and cell, and the inline tags
///   inside cells too, but not the table itself. This is not the size of the edit tree (whose
///   `td` nodes are leaves); the PyPI port `table-recognition-metric` divides by the tree
///   size instead and so scores tables with inline markup differently.
///
/// The distance itself is `TreeEditDistance` (same minimum as APTED). Parsing goes through
/// the system libxml2 (2.9 on Debian 12) while the reference's lxml bundles libxml2 2.14;
/// the one divergence seen on tag soup, a tag cut off by the end of the input, is
/// reproduced (`droppingTruncatedTag`).
public struct TEDS: Sendable {
    /// When true, cell content is ignored (TEDS-S, structure only).
    public var structureOnly: Bool
    /// Tags removed (their content kept) before comparing, like the reference's
    /// `ignore_nodes`.
    public var ignoredTags: Set<String>

    /// A scorer.
    public init(structureOnly: Bool = false, ignoredTags: Set<String> = []) {
        self.structureOnly = structureOnly
        self.ignoredTags = ignoredTags
    }

    /// The similarity of `prediction` to `groundTruth`: 1 for equal tables, below 0 when the
    /// edit distance exceeds the larger tree's size (the reference does not clamp either).
    /// Throws for a span attribute that is not an integer and for two tables without a single
    /// element inside, where the reference raises (`ValueError`, `ZeroDivisionError`).
    public func score(prediction: String, groundTruth: String) throws(TEDSError) -> Double {
        if prediction.isEmpty || groundTruth.isEmpty { return 0 }
        guard let predTable = TEDS.bodyTable(prediction),
            let trueTable = TEDS.bodyTable(groundTruth)
        else { return 0 }
        // Tokens become small integers (shared by both trees) so the Levenshtein inner loop
        // compares integers, not strings.
        var vocabulary: [String: Int] = [:]
        let predStripped = stripping(predTable), trueStripped = stripping(trueTable)
        let elements = max(predStripped.descendantCount, trueStripped.descendantCount)
        guard elements > 0 else { throw TEDSError.emptyTables }
        let predTree = try tree(predStripped, &vocabulary)
        let trueTree = try tree(trueStripped, &vocabulary)
        let (order1, nodes1) = TreeEditDistance.Postorder.make(root: predTree) { $0.children }
        let (order2, nodes2) = TreeEditDistance.Postorder.make(root: trueTree) { $0.children }
        let distance = TreeEditDistance.distance(order1, order2) { i, j in
            TEDS.renameCost(nodes1[i], nodes2[j])
        }
        return 1 - distance / Double(elements)
    }

    // MARK: - Parsing as lxml.html.fromstring + xpath("body/table")

    /// The first `table` child of the first `body` child of what `lxml.html.fromstring`
    /// returns for `html`, or `nil` when there is none.
    static func bodyTable(_ html: String) -> MarkupElement? {
        // Nothing libxml2 can make a document of (empty, a lone cut-off tag) has no table;
        // the reference scores it 0 too (or raises on a blank string).
        guard let root = try? Markup.parseHTML(droppingTruncatedTag(html)) else { return nil }
        let fragment = fromstringResult(html: html, root: root)
        return fragment.elements(named: "body").first?.elements(named: "table").first
    }

    /// `html` without a tag cut off by the end of the input (`…<td colspa`), which the HTML5
    /// tokenizer of the libxml2 in PubTabNet's reference stack (lxml 6, libxml2 2.14) drops
    /// at end of input, while older libxml2 (2.9, Debian 12) still makes an element of it.
    static func droppingTruncatedTag(_ html: String) -> String {
        let bytes = Array(html.utf8)
        guard let open = bytes.lastIndex(of: UInt8(ascii: "<")),
            !bytes[open...].contains(UInt8(ascii: ">"))
        else { return html }
        let isLetter = { (b: UInt8) in
            (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z")
        }
        var next = open + 1
        if next < bytes.count, bytes[next] == UInt8(ascii: "/") { next += 1 }
        guard next < bytes.count, isLetter(bytes[next]) else { return html }
        return String(decoding: bytes[..<open], as: UTF8.self)
    }

    /// What `lxml.html.fromstring` returns: the document for full documents (starting with
    /// `<html` or `<!doctype`) or when a `head` exists; else the body's single element when
    /// it is alone; else the body itself (renamed to `div`/`span` by lxml, so never `html`).
    private static func fromstringResult(html: String, root: MarkupElement) -> MarkupElement {
        let trimmed = html.drop { $0.isWhitespace }.prefix(9).lowercased()
        if trimmed.hasPrefix("<html") || trimmed.hasPrefix("<!doctype") { return root }
        if !root.elements(named: "head").isEmpty { return root }
        guard var body = root.elements(named: "body").first else { return root }
        let blank = { (text: String?) in (text ?? "").allSatisfy(\.isWhitespace) }
        let children = body.elements
        if children.count == 1, blank(body.leadingText), blank(trailingText(of: body)) {
            return children[0]
        }
        body.name = "div"
        return body
    }

    /// Text after an element's last child element (the last child's lxml `.tail`).
    private static func trailingText(of element: MarkupElement) -> String? {
        var text: String?
        for child in element.children.reversed() {
            guard case .text(let t) = child else { break }
            text = t + (text ?? "")
        }
        return text
    }

    private func stripping(_ element: MarkupElement) -> MarkupElement {
        guard !ignoredTags.isEmpty else { return element }
        var copy = element
        copy.children = TEDS.strip(element.children, tags: ignoredTags)
        return copy
    }

    /// Replaces elements named in `tags` by their (stripped) children, merging text runs.
    private static func strip(_ nodes: [MarkupNode], tags: Set<String>) -> [MarkupNode] {
        var out: [MarkupNode] = []
        func append(_ node: MarkupNode) {
            if case .text(let t) = node, case .text(let previous)? = out.last {
                out[out.count - 1] = .text(previous + t)
            } else {
                out.append(node)
            }
        }
        for node in nodes {
            guard case .element(var element) = node else {
                append(node)
                continue
            }
            let children = strip(element.children, tags: tags)
            if tags.contains(element.name) {
                children.forEach(append)
            } else {
                element.children = children
                append(.element(element))
            }
        }
        return out
    }

    // MARK: - The reference's tree (TableTree) and cost model (CustomConfig)

    struct Node {
        var tag: String
        var colspan: Int?
        var rowspan: Int?
        /// Cell content tokens, as indices into the pair's shared vocabulary.
        var content: [Int]
        var children: [Node]
    }

    private func tree(
        _ element: MarkupElement, _ vocabulary: inout [String: Int]
    ) throws(TEDSError) -> Node {
        if element.name == "td" {
            return Node(
                tag: "td", colspan: try TEDS.span(element, "colspan"),
                rowspan: try TEDS.span(element, "rowspan"),
                content: structureOnly
                    ? []
                    : TEDS.cellTokens(element).map { token in
                        if let id = vocabulary[token] { return id }
                        vocabulary[token] = vocabulary.count
                        return vocabulary.count - 1
                    },
                children: [])
        }
        var children: [Node] = []
        for child in element.elements { children.append(try tree(child, &vocabulary)) }
        return Node(tag: element.name, colspan: nil, rowspan: nil, content: [], children: children)
    }

    /// `int(node.attrib.get(name, "1"))` with Python's `int()` rules.
    private static func span(_ element: MarkupElement, _ name: String) throws(TEDSError) -> Int {
        guard let value = element.attribute(name) else { return 1 }
        guard let parsed = PythonInt.parse(value) else {
            throw TEDSError.invalidSpan(name: name, value: value)
        }
        return parsed
    }

    /// The reference's `tokenize(td)[1:-1]`: the cell's text characters, then for each
    /// child element `<tag>`, its tokens, `</tag>` (none for `unk`) and its tail characters
    /// (except after a nested `td`).
    static func cellTokens(_ cell: MarkupElement) -> [String] {
        var tokens: [String] = []
        func characters(_ text: String) {
            // Python iterates code points, not grapheme clusters.
            for scalar in text.unicodeScalars { tokens.append(String(scalar)) }
        }
        func walk(_ element: MarkupElement) {
            var previousTag: String?
            for child in element.children {
                switch child {
                case .text(let text):
                    if previousTag != "td" { characters(text) }
                case .element(let inner):
                    tokens.append("<\(inner.name)>")
                    walk(inner)
                    if inner.name != "unk" { tokens.append("</\(inner.name)>") }
                    previousTag = inner.name
                }
            }
        }
        walk(cell)
        return tokens
    }

    static func renameCost(_ a: Node, _ b: Node) -> Double {
        if a.tag != b.tag || a.colspan != b.colspan || a.rowspan != b.rowspan { return 1 }
        if a.tag == "td" && (!a.content.isEmpty || !b.content.isEmpty) {
            let distance = Levenshtein.distance(a.content, b.content)
            return Double(distance) / Double(max(a.content.count, b.content.count))
        }
        return 0
    }
}
