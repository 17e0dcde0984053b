/// A TEDS input file that could not be read.
public struct TEDSInputError: Error, Sendable, CustomStringConvertible {
    /// The file.
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
