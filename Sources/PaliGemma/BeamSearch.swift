import Foundation

/// Beam search with `transformers`' semantics (`GenerationMixin._beam_search`, v5):
/// length_penalty 1.0, early_stopping False, top-K = max(2, 1 + stop ids) × beams candidates
/// per step, finished hypotheses scored by log-probability / generated length.
struct BeamSearch {
    let model: PaliGemmaModel
    let beams: Int
    let stopTokenIDs: Set<Int>
    let maxNewTokens: Int

    /// transformers' stand-in for −∞ in beam bookkeeping.
    private static let excluded: Float = -1.0e9

    private struct Candidate {
        var tokens: [Int]
        var score: Float
        var parent: Int
        var finished: Bool
    }

    /// The best finished hypothesis: its generated ids and score.
    func run(prefix: [Float], promptLength: Int) -> (ids: [Int], score: Float) {
        let config = model.configuration
        let vocab = config.text.vocabSize, generatable = config.generatableVocabulary
        let candidateCount = max(2, 1 + stopTokenIDs.count) * beams
        let maxLength = promptLength + maxNewTokens
        let session = InferenceSession(model: model)
        // Before the first decode step every beam continues the prefix's one row.
        var logits = session.prefill([prefix], reserving: maxNewTokens)
        session.reorder(Array(repeating: 0, count: beams))
        var running = (0..<beams).map {
            Candidate(tokens: [], score: $0 == 0 ? 0 : Self.excluded, parent: $0, finished: false)
        }
        var finished = (0..<beams).map {
            Candidate(tokens: [], score: Self.excluded, parent: $0, finished: false)
        }
        var improvable = true
        var length = promptLength
        while true {
            // Accumulated log-probabilities of every (beam, token) continuation.
            var scored: [(score: Float, index: Int)] = []
            scored.reserveCapacity(beams * generatable)
            for b in 0..<beams {
                let logProbs = logits.withRow(min(b, logits.count - 1)) { logSoftmax($0) }
                for id in 0..<generatable {
                    scored.append((logProbs[id] + running[b].score, b * vocab + id))
                }
            }
            let top = topK(scored, candidateCount)
            let candidates = top.map { entry -> Candidate in
                let beam = entry.index / vocab, token = entry.index % vocab
                return Candidate(
                    tokens: running[beam].tokens + [token], score: entry.score, parent: beam,
                    finished: stopTokenIDs.contains(token) || length + 1 >= maxLength)
            }
            // Next running beams: the best candidates that did not just stop.
            let runningScores = candidates.map { $0.score + ($0.finished ? Self.excluded : 0) }
            running = topK(runningScores.enumerated().map { ($0.element, $0.offset) }, beams).map {
                var c = candidates[$0.index]
                c.score = $0.score
                return c
            }
            // Finished hypotheses: merge the top `beams` candidates that just stopped.
            let lengthNorm = Float(length + 1 - promptLength)
            var merged = finished
            for (i, c) in candidates.enumerated() {
                let justFinished = c.finished && i < beams
                var score = c.score / lengthNorm
                if !improvable { score += Self.excluded }
                if !justFinished { score += Self.excluded }
                merged.append(
                    Candidate(
                        tokens: c.tokens, score: score, parent: c.parent, finished: justFinished))
            }
            finished = topK(merged.enumerated().map { ($0.element.score, $0.offset) }, beams).map {
                merged[$0.index]
            }
            session.reorder(running.map(\.parent))
            length += 1
            let bestPossible = running[0].score / Float(length - promptLength)
            let worstFinished = finished.map(\.score).min()!
            improvable =
                improvable
                && finished.contains { bestPossible > ($0.finished ? worstFinished : -1.0e9) }
            if !improvable || candidates.allSatisfy(\.finished) { break }
            session.decode(
                running.enumerated().map { ($0.offset, $0.element.tokens.last!) }, into: &logits)
        }
        return (finished[0].tokens, finished[0].score)
    }

    /// Log-softmax over the whole vocabulary in float32 (as `log_softmax` before the
    /// suppression of non-generatable ids).
    private func logSoftmax(_ logits: UnsafeBufferPointer<Float>) -> [Float] {
        let maxValue = logits.max() ?? 0
        var sum: Float = 0
        for value in logits { sum += expf(value - maxValue) }
        let logSum = logf(sum)
        return logits.map { $0 - maxValue - logSum }
    }

    /// The `k` highest entries, highest first; ties keep the lower index first.
    private func topK(_ entries: [(score: Float, index: Int)], _ k: Int) -> [(
        score: Float, index: Int
    )] {
        Array(
            entries.sorted { $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index) }
                .prefix(k))
    }
}
