/// TEDS of every ground-truth table against the prediction of the same name, and the mean.
public struct TEDSEvaluation: Sendable {
    /// One table's result.
    public struct Entry: Sendable, Equatable {
        /// Table name.
        public var name: String
        /// The score (0 when the prediction is missing).
        public var score: Double
        /// True when no prediction had this name.
        public var missingPrediction: Bool
    }

    /// Per ground-truth table, in ground-truth order.
    public var entries: [Entry]
    /// Prediction names with no ground truth (ignored in the mean).
    public var unmatchedPredictions: [String]

    /// The mean over ground-truth tables (0 when there are none).
    public var mean: Double {
        entries.isEmpty ? 0 : entries.map(\.score).reduce(0, +) / Double(entries.count)
    }

    /// Scores `predictions` against `groundTruth` with `metric`.
    public init(
        predictions: TEDSTables, groundTruth: TEDSTables, metric: TEDS
    ) throws(TEDSEvaluationError) {
        entries = []
        for name in groundTruth.names {
            guard let truth = groundTruth.html[name] else { continue }
            guard let prediction = predictions.html[name] else {
                entries.append(Entry(name: name, score: 0, missingPrediction: true))
                continue
            }
            do {
                let score = try metric.score(prediction: prediction, groundTruth: truth)
                entries.append(Entry(name: name, score: score, missingPrediction: false))
            } catch {
                // Say which side is at fault: the ground truth when it cannot score itself.
                let truthFails = (try? metric.score(prediction: truth, groundTruth: truth)) == nil
                throw TEDSEvaluationError(
                    table: name, inGroundTruth: truthFails, reason: error.description)
            }
        }
        let known = Set(groundTruth.names)
        unmatchedPredictions = predictions.names.filter { !known.contains($0) }
    }
}
