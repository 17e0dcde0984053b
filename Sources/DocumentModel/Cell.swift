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
    /// Content with its inline markup: only the tags of `inlineTags`, without attributes, and
    /// escaped text (table parsers turn any other markup the model wrote into text); equal to
    /// `text` escaped when there was no markup.
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

    /// The inline tags cell markup may hold, always without attributes: PubTabNet's cell
    /// vocabulary (`b`, `i`, `sup`, `sub`, `underline`, `strike`, `overline`) and the HTML
    /// tags for the same styles (`em`, `strong`, `u`, `s`), plus line breaks (`br`).
    public static let inlineTags: Set<String> = [
        "b", "i", "sup", "sub", "underline", "strike", "overline", "em", "strong", "u", "s",
        "br",
    ]

    /// `text` escaped as cell HTML holds it: `&`, `<` and `>` as entities, quotes as written
    /// (PubTabNet's convention), control characters XML 1.0 forbids dropped.
    public static func escape(_ text: String) -> String {
        XMLEscaping.escape(text, quotes: false)
    }
}
