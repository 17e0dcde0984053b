/// A table as a grid of cells. Each cell sits at its top-left grid position and covers
/// `rowSpan × columnSpan` positions; positions covered by no cell are holes (kept as such,
/// never invented).
public struct Table: Sendable, Hashable, Codable {
    /// Number of grid rows.
    public var rows: Int
    /// Number of grid columns.
    public var columns: Int
    /// The first `headerRows` rows are the header (`<thead>` in PubTabNet HTML).
    public var headerRows: Int
    /// Cells in reading order (row-major by top-left position).
    public var cells: [Cell]

    /// A table grid.
    public init(rows: Int, columns: Int, headerRows: Int = 0, cells: [Cell]) {
        self.rows = rows
        self.columns = columns
        self.headerRows = headerRows
        self.cells = cells
    }

    /// The cell covering grid position (`row`, `column`), if any.
    public func cell(coveringRow row: Int, column: Int) -> Cell? {
        cells.first {
            row >= $0.row && row < $0.row + $0.rowSpan && column >= $0.column
                && column < $0.column + $0.columnSpan
        }
    }

    /// True when some cell spans more than one row or column.
    public var hasSpans: Bool { cells.contains { $0.rowSpan > 1 || $0.columnSpan > 1 } }
}

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
