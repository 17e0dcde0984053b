/// Wall-clock seconds spent per stage (`render`, `inference`, `parse`, `export`) and in all.
public struct Timings: Sendable, Hashable, Codable {
    /// Seconds from start to end of the document.
    public var totalSeconds: Double
    /// Seconds per stage name.
    public var stages: [String: Double]

    /// Timings.
    public init(totalSeconds: Double, stages: [String: Double] = [:]) {
        self.totalSeconds = totalSeconds
        self.stages = stages
    }
}
