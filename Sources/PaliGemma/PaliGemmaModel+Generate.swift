import PaliTensor

extension PaliGemmaModel {
    /// Generates for several image/prompt pairs: one batched prefill, then batched greedy
    /// steps, each sequence stopping on its own (stop id or budget). With `beams > 1`, beam
    /// search runs per request.
    public func generate(
        _ requests: [GenerationRequest], options: GenerationOptions = GenerationOptions()
    ) throws(PaliGemmaError) -> [GenerationOutput] {
        guard options.maxNewTokens >= 1 else {
            throw PaliGemmaError("the token budget must be at least 1, got \(options.maxNewTokens)")
        }
        guard options.beams >= 1 else {
            throw PaliGemmaError("the beam count must be at least 1, got \(options.beams)")
        }
        let limit = configuration.text.maxPositionEmbeddings
        var outputs: [GenerationOutput] = []
        var prefixes: [[Float]] = []
        for request in requests {
            guard request.image.width > 0 && request.image.height > 0 else {
                throw PaliGemmaError(
                    "the image is empty (\(request.image.width)x\(request.image.height) pixels)")
            }
            guard request.inputIDs.count + options.maxNewTokens <= limit else {
                throw PaliGemmaError(
                    "the prompt (\(request.inputIDs.count) tokens) plus \(options.maxNewTokens)"
                        + " new tokens exceeds the model's \(limit) positions"
                )
            }
            let clock = ContinuousClock(), start = clock.now
            let pixels = pixelValues(for: request.image, resize: options.resize)
            let features = project(visionOutput: visionOutput(pixelValues: pixels))
            prefixes.append(try embed(inputIDs: request.inputIDs, imageFeatures: features))
            var timings = GenerationTimings()
            timings.vision = (clock.now - start) / .seconds(1)
            outputs.append(
                GenerationOutput(
                    ids: [], stepLogits: [], score: nil, pixelValues: pixels,
                    imageFeatures: features, timings: timings))
        }
        let stops = Set(options.stopTokenIDs ?? [configuration.eosTokenID])
        if options.beams > 1 {
            for (i, prefix) in prefixes.enumerated() {
                let clock = ContinuousClock(), start = clock.now
                let search = BeamSearch(
                    model: self, beams: options.beams, stopTokenIDs: stops,
                    maxNewTokens: options.maxNewTokens)
                let best = search.run(prefix: prefix, promptLength: requests[i].inputIDs.count)
                outputs[i].ids = best.ids
                outputs[i].score = best.score
                outputs[i].timings.decode = (clock.now - start) / .seconds(1)
            }
            return outputs
        }
        try greedy(prefixes, outputs: &outputs, stops: stops, options: options)
        return outputs
    }

    private func greedy(
        _ prefixes: [[Float]], outputs: inout [GenerationOutput], stops: Set<Int>,
        options: GenerationOptions
    ) throws(PaliGemmaError) {
        let session = InferenceSession(model: self)
        let clock = ContinuousClock()
        var start = clock.now
        var logits = session.prefill(prefixes, reserving: options.maxNewTokens)
        let prefillSeconds = (clock.now - start) / .seconds(1)
        for i in outputs.indices { outputs[i].timings.prefill = prefillSeconds }
        var active = Array(outputs.indices)
        start = clock.now
        while !active.isEmpty {
            var next: [(sequence: Int, token: Int)] = []
            for (row, i) in active.enumerated() {
                let token = logits.withRow(row) { argmax($0) }
                outputs[i].ids.append(token)
                if options.recordLogits { outputs[i].stepLogits.append(logits[row]) }
                if !stops.contains(token) && outputs[i].ids.count < options.maxNewTokens {
                    next.append((i, token))
                }
            }
            active = next.map(\.sequence)
            if !next.isEmpty { session.decode(next, into: &logits) }
        }
        let decodeSeconds = (clock.now - start) / .seconds(1)
        for i in outputs.indices { outputs[i].timings.decode = decodeSeconds }
    }

    /// The first id with the highest logit among the generatable ids (no `<image>`, no
    /// padding rows), as `torch.argmax` after suppressing the others.
    func argmax(_ logits: UnsafeBufferPointer<Float>) -> Int {
        Ops.argmax(UnsafeBufferPointer(rebasing: logits[..<configuration.generatableVocabulary]))
    }
}

