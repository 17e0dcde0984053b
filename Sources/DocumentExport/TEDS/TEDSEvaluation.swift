/// TEDS of every ground-truth table against the prediction of the same name, and the mean.
///
/// A missing prediction, or one the metric cannot read (e.g. a non-integer span, where the
/// reference would raise), scores 0 and says why in its entry, so one bad model output does
/// not stop an evaluation; a ground truth the metric cannot read is an error.
public struct TEDSEvaluation: Sendable {
    /// One table's result.
    public struct Entry: Sendable, Equatable {
        /// Table name.
        public var name: String
        /// The score (0 when the prediction is missing or unreadable).
        public var score: Double
        /// Why the score is 0 without comparing (no prediction, unreadable prediction).
        public var problem: String?
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
                entries.append(Entry(name: name, score: 0, problem: "no prediction"))
                continue
            }
            do {
                let score = try metric.score(prediction: prediction, groundTruth: truth)
                entries.append(Entry(name: name, score: score, problem: nil))
            } catch {
                // The ground truth is at fault when it cannot score against itself.
                if (try? metric.score(prediction: truth, groundTruth: truth)) == nil {
                    throw TEDSEvaluationError(table: name, reason: error.description)
                }
                entries.append(
                    Entry(name: name, score: 0, problem: "prediction unreadable: \(error)"))
            }
        }
        let known = Set(groundTruth.names)
        unmatchedPredictions = predictions.names.filter { !known.contains($0) }
    }
}
