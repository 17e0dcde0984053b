/// Why markup could not be read.
public struct MarkupError: Error, Sendable, CustomStringConvertible {
    /// libxml2's message.
    public var message: String
    /// The message.
    public var description: String { message }
}
