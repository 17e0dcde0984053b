/// A pipeline and model that cannot work together; raised before any document is touched.
public struct ConverterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What does not fit, naming both sides.
    public var reason: String

    /// An error with its reason.
    public init(_ reason: String) {
        self.reason = reason
    }

    /// The reason.
    public var description: String { reason }
}
