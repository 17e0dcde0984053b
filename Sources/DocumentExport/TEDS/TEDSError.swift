/// Why a table could not be scored.
public enum TEDSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// libxml2 could not make a document of the string at all.
    case unparseable(String)
    /// A `colspan`/`rowspan` value is not an integer (the reference raises `ValueError`).
    case invalidSpan(name: String, value: String)

    /// A one-line reason.
    public var description: String {
        switch self {
        case .unparseable(let message): "unparseable HTML: \(message)"
        case .invalidSpan(let name, let value): "\(name)=\"\(value)\" is not an integer"
        }
    }
}
