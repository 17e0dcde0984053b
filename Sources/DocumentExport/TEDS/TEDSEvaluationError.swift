/// A table pair that could not be scored.
public struct TEDSEvaluationError: Error, Sendable, CustomStringConvertible {
    /// The table's name.
    public var table: String
    /// True when the ground truth's table is at fault, false for the prediction's.
    public var inGroundTruth: Bool
    /// Why.
    public var reason: String
    /// `table <name>: <reason>`.
    public var description: String { "table \(table): \(reason)" }
}
