/// Per-run decoder state for one or more sequences over a shared `PaliGemmaModel`: KV caches.
///
/// Not thread-safe; use one session per concurrent run. Every step batches the new rows of
/// all sequences through the weight matrices and attends per sequence.
public final class InferenceSession {
    /// The model this session runs.
    public let model: PaliGemmaModel
    /// One cache per sequence, indexed by sequence number.
    var caches: [KVCache] = []

    /// An empty session.
    public init(model: PaliGemmaModel) {
        self.model = model
    }

    /// Number of sequences started.
    public var sequenceCount: Int { caches.count }

    /// Starts one sequence per entry from its prefix embeddings `[tokens, hidden]` (the whole
    /// prefix is bidirectional), runs the batched prefill, and returns each prefix's
    /// last-position logits, a row per prefix. New sequences are numbered after existing ones;
    /// each reserves cache room for `newTokens` more tokens.
    public func prefill(_ prefixes: [[Float]], reserving newTokens: Int = 0) -> LogitRows {
        let t = model.configuration.text
        let hidden = t.hiddenSize
        var inputs: [(Int, [Float])] = []
        for prefix in prefixes {
            var cache = KVCache(
                layers: t.layers, capacity: prefix.count / hidden + newTokens,
                heads: t.kvHeads, headDim: t.headDim, format: model.kvCacheFormat)
            cache.prefixLength = prefix.count / hidden
            caches.append(cache)
            inputs.append((caches.count - 1, prefix))
        }
        var logits = LogitRows(vocab: t.vocabSize)
        step(inputs, logits: &logits)
        return logits
    }

    /// Appends one token to each listed sequence and writes their next-token logits into
    /// `logits`, a row per entry, reusing its buffer.
    public func decode(_ tokens: [(sequence: Int, token: Int)], into logits: inout LogitRows) {
        let t = model.configuration.text
        let inputs = tokens.map { entry -> (Int, [Float]) in
            precondition(
                entry.token >= 0 && entry.token < t.vocabSize,
                "token \(entry.token) outside the vocabulary")
            var row = [Float](repeating: 0, count: t.hiddenSize)  // [hidden]
            row.withUnsafeMutableBufferPointer {
                model.textEmbedding(entry.token, into: $0.baseAddress!)
            }
            return (entry.sequence, row)
        }
        step(inputs, logits: &logits)
    }

    /// Replaces the sequences by copies of `parents` (beam search's reordering).
    func reorder(_ parents: [Int]) {
        caches = parents.map { caches[$0] }
    }

    /// One batched decoder pass over new rows `[rows, hidden]` per sequence; `logits` gets each
    /// sequence's last row's.
    private func step(
        _ inputs: [(sequence: Int, embeddings: [Float])], logits: inout LogitRows
    ) {
        let t = model.configuration.text
        var segments: [DecoderSegment] = []
        var h: [Float] = []  // [rows, hidden]
        for input in inputs {
            let rows = input.embeddings.count / t.hiddenSize
            segments.append(
                DecoderSegment(
                    sequence: input.sequence, firstRow: h.count / t.hiddenSize, rows: rows,
                    start: caches[input.sequence].length))
            h.append(contentsOf: input.embeddings)
        }
        let rows = h.count / t.hiddenSize
        let buffers = DecoderBuffers(segments: segments, model: model)
        h.withUnsafeMutableBufferPointer { h in
            for (index, layer) in model.decoderLayers.enumerated() {
                layer.forward(
                    h.baseAddress!, rows: rows, segments: segments, layer: index,
                    caches: &caches, model: model, buffers: buffers)
            }
        }
        var last: [Float] = []  // [inputs, hidden]
        for s in segments {
            caches[s.sequence].length += s.rows
            let end = (s.firstRow + s.rows) * t.hiddenSize
            last.append(contentsOf: h[(end - t.hiddenSize)..<end])
        }
        model.logits(last, rows: segments.count, into: &logits)
    }
}
