import Foundation

/// A pipeline file that cannot be used: names the file, the line and column when known, the
/// key (as a path such as `tasks[1].max_tokens`) and the reason.
public struct PipelineDefinitionError: Error, Sendable, Equatable, CustomStringConvertible,
    LocalizedError
{
    /// The pipeline file (as given, or the searched name).
    public var file: String
    /// 1-based line of the offending key or value, when known.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?
    /// The key path, when the problem belongs to one key.
    public var key: String?
    /// What is wrong.
    public var reason: String

    /// An error; see the properties.
    public init(
        file: String, line: Int? = nil, column: Int? = nil, key: String? = nil, reason: String
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.reason = reason
    }

    /// `file:line:column: key 'path': reason`.
    public var description: String {
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        text += ": "
        if let key { text += "key '\(key)': " }
        return text + reason
    }

    /// Same as `description`.
    public var errorDescription: String? { description }
}
