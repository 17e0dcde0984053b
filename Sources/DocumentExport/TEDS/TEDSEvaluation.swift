import Foundation

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

    /// Scores `predictions` against `groundTruth` with `metric`, tables in parallel on all
    /// cores (each pair is independent; results keep ground-truth order).
    public init(
        predictions: TEDSTables, groundTruth: TEDSTables, metric: TEDS
    ) throws(TEDSEvaluationError) {
        let names = groundTruth.names.filter { groundTruth.html[$0] != nil }
        // [names.count] one result slot per table, each written by exactly one worker.
        let slots = UnsafeMutableBufferPointer<Result<Entry, TEDSEvaluationError>>.allocate(
            capacity: names.count)
        defer { slots.deallocate() }
        nonisolated(unsafe) let results = slots
        DispatchQueue.concurrentPerform(iterations: names.count) { index in
            let name = names[index]
            let truth = groundTruth.html[name]!
            let entry = TEDSEvaluation.entry(
                name: name, prediction: predictions.html[name], truth: truth, metric: metric)
            (results.baseAddress! + index).initialize(to: entry)
        }
        defer { _ = slots.deinitialize() }
        entries = []
        for result in slots {
            switch result {
            case .success(let entry): entries.append(entry)
            case .failure(let error): throw error
            }
        }
        let known = Set(groundTruth.names)
        unmatchedPredictions = predictions.names.filter { !known.contains($0) }
    }

    private static func entry(
        name: String, prediction: String?, truth: String, metric: TEDS
    ) -> Result<Entry, TEDSEvaluationError> {
        guard let prediction else {
            return .success(Entry(name: name, score: 0, problem: "no prediction"))
        }
        do {
            let score = try metric.score(prediction: prediction, groundTruth: truth)
            return .success(Entry(name: name, score: score, problem: nil))
        } catch {
            // The ground truth is at fault when it cannot score against itself.
            if (try? metric.score(prediction: truth, groundTruth: truth)) == nil {
                return .failure(TEDSEvaluationError(table: name, reason: error.description))
            }
            return .success(
                Entry(name: name, score: 0, problem: "prediction unreadable: \(error)"))
        }
    }
}
