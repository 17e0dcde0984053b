/// One table cell.
public struct Cell: Sendable, Hashable, Codable {
    /// Top grid row (0-based).
    public var row: Int
    /// Left grid column (0-based).
    public var column: Int
    /// Rows covered (≥ 1).
    public var rowSpan: Int
    /// Columns covered (≥ 1).
    public var columnSpan: Int
    /// Plain text (inline markup removed, entities decoded).
    public var text: String
    /// Content with its inline markup (`<b>`, `<i>`, `<sup>`, `<sub>`…), as the model wrote
    /// it; equal to `text` with `&`, `<`, `>` escaped when there was no markup.
    public var html: String
    /// Cell box in page pixels, when known.
    public var box: PixelRect?

    /// A cell.
    public init(
        row: Int, column: Int, rowSpan: Int = 1, columnSpan: Int = 1, text: String,
        html: String? = nil, box: PixelRect? = nil
    ) {
        self.row = row
        self.column = column
        self.rowSpan = rowSpan
        self.columnSpan = columnSpan
        self.text = text
        self.html = html ?? Cell.escape(text)
        self.box = box
    }

    /// Escapes `&`, `<` and `>` for HTML text content.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(c)
            }
        }
        return out
    }
}
