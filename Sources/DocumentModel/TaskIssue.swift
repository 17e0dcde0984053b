/// Something a task parser noticed in the model's output: a repair it made, or a part it
/// could not read. Never silently dropped: exporters and the JSON keep them.
public struct TaskIssue: Sendable, Hashable, Codable {
    /// How bad it is.
    public enum Severity: String, Sendable, Hashable, Codable {
        /// The output was fixed in a way that cannot change its meaning (e.g. a missing
        /// closing tag was added).
        case repaired
        /// The output is readable but suspicious (e.g. rows of different widths).
        case warning
        /// Part of the output could not be read and was left out of the parsed values.
        case unreadable
    }

    /// How bad it is.
    public var severity: Severity
    /// A stable machine-readable code (`missing-close-tag`, `bad-loc-group`, …).
    public var code: String
    /// A human-readable explanation.
    public var message: String
    /// Character offset in the raw output where it was noticed, when meaningful.
    public var offset: Int?

    /// An issue.
    public init(_ severity: Severity, code: String, message: String, offset: Int? = nil) {
        self.severity = severity
        self.code = code
        self.message = message
        self.offset = offset
    }
}
