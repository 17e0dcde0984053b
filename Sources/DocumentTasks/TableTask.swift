import DocumentModel

/// `table`: table structure recognition. The model writes PubTabNet-style HTML (`<thead>`,
/// `<tbody>`, `<tr>`, `<td>` with `rowspan`/`colspan`, cell content inline, often without a
/// `<table>` wrapper); it becomes a `Table` grid. Missing closing tags are repaired and
/// recorded; what cannot be read is flagged (see `TableHTMLReader`). The prompt is
/// checkpoint-specific (the paper's transfer prefix is not public).
public struct TableTask: DocumentTask {
    /// The prompt used when a pipeline gives none.
    public static let defaultPrompt = "table"

    /// `table`.
    public let name = "table"
    /// The prompt.
    public var prompt: String

    /// A table task with the given prompt.
    public init(prompt: String = Self.defaultPrompt) {
        self.prompt = prompt
    }

    /// The grid (absent when no cell could be read) and the reader's issues.
    public func parse(_ output: String, tile: Tile, page: Int) -> Region {
        var region = region(for: output, tile: tile, page: page)
        let result = TableHTMLReader.read(output) { tile.pageRect(normalized: $0) }
        region.table = result.table
        region.issues = result.issues + TextChecks.issues(in: output)
        return region
    }
}
