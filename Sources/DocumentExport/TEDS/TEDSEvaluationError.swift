/// A ground-truth table the metric cannot read.
public struct TEDSEvaluationError: Error, Sendable, CustomStringConvertible {
    /// The table's name.
    public var table: String
    /// Why.
    public var reason: String
    /// `table <name>: <reason>`.
    public var description: String { "table \(table): \(reason)" }
}
