/// An output that could not be produced; the message names the file.
public struct ExportError: Error, Sendable, CustomStringConvertible {
    /// The output file.
    public var file: String
    /// Why.
    public var reason: String
    /// `<file>: <reason>`.
    public var description: String { "\(file): \(reason)" }

    /// An error about `file`.
    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }
}
