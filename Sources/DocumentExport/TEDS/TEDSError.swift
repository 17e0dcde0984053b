/// Why a table could not be scored.
public enum TEDSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A `colspan`/`rowspan` value is not an integer (the reference raises `ValueError`).
    case invalidSpan(name: String, value: String)
    /// Neither table has any element inside `<table>`, so there is nothing to normalise by
    /// (the reference raises `ZeroDivisionError`).
    case emptyTables

    /// A one-line reason.
    public var description: String {
        switch self {
        case .invalidSpan(let name, let value): "\(name)=\"\(value)\" is not an integer"
        case .emptyTables: "both tables are empty (no element inside <table>)"
        }
    }
}
