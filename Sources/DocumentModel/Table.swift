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
