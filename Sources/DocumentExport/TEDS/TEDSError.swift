/// Why a table could not be scored.
public enum TEDSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A `colspan`/`rowspan` value is not an integer (the reference raises `ValueError`).
    case invalidSpan(name: String, value: String)

    /// A one-line reason.
    public var description: String {
        switch self {
        case .invalidSpan(let name, let value): "\(name)=\"\(value)\" is not an integer"
        }
    }
}
