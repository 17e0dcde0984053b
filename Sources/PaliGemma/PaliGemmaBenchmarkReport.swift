import PaliTensor

/// What `PaliGemmaBenchmark.run()` measured.
public struct PaliGemmaBenchmarkReport: Sendable, Equatable {
    /// Time and FLOP inside the matrix products (`Ops.linear`) and attention during a phase
    /// (`WorkTally`); the rest of the phase is norms, RoPE, activations, embedding and copies.
    public struct Work: Sendable, Equatable {
        /// The linear layers' GEMMs (and GEMVs).
        public var products: WorkTally.Totals
        /// Fused attention: scores and weighted values over the visible keys.
        public var attention: WorkTally.Totals

        /// Creates a phase's work; nothing counted by default.
        public init(products: WorkTally.Totals = .init(), attention: WorkTally.Totals = .init()) {
            self.products = products
            self.attention = attention
        }

        /// What `WorkTally.stop()` returned, divided by `parts` (per page, per decode step).
        init(_ totals: [WorkTally.Kind: WorkTally.Totals], per parts: Int = 1) {
            func share(_ kind: WorkTally.Kind) -> WorkTally.Totals {
                let total = totals[kind] ?? .init()
                return .init(
                    seconds: total.seconds / Double(parts), flops: total.flops / Double(parts))
            }
            self.init(products: share(.products), attention: share(.attention))
        }
    }

    /// Wall-clock seconds of the timed phases of one pass.
    public struct Phases: Sendable, Equatable {
        /// Image encode (pixel values, SigLIP, projector, embedding merge) per page.
        public var encodeSeconds: Double
        /// Prefill of the whole batch in one decoder pass.
        public var prefillSeconds: Double
        /// One decode step of the whole batch (one new token per page).
        public var decodeStepSeconds: Double
        /// Reading the weights a decode step streams, alone, right after each step (mean):
        /// the step's bandwidth bound at the memory's rate of the same moments; 0 if unmeasured.
        public var decodeStepReadSeconds: Double
        /// Products and attention within the encode, per page.
        public var encodeWork: Work
        /// Products and attention within the prefill.
        public var prefillWork: Work
        /// Products and attention within one decode step, averaged over the steps.
        public var decodeStepWork: Work

        /// Creates phase timings.
        public init(
            encodeSeconds: Double, prefillSeconds: Double, decodeStepSeconds: Double,
            decodeStepReadSeconds: Double = 0, encodeWork: Work = .init(),
            prefillWork: Work = .init(), decodeStepWork: Work = .init()
        ) {
            self.encodeSeconds = encodeSeconds
            self.prefillSeconds = prefillSeconds
            self.decodeStepSeconds = decodeStepSeconds
            self.decodeStepReadSeconds = decodeStepReadSeconds
            self.encodeWork = encodeWork
            self.prefillWork = prefillWork
            self.decodeStepWork = decodeStepWork
        }

        /// Each phase's minimum over `self` and `other` (with that run's work breakdown).
        func fastest(with other: Phases) -> Phases {
            let encode = encodeSeconds <= other.encodeSeconds ? self : other
            let prefill = prefillSeconds <= other.prefillSeconds ? self : other
            let decode = decodeStepSeconds <= other.decodeStepSeconds ? self : other
            return Phases(
                encodeSeconds: encode.encodeSeconds, prefillSeconds: prefill.prefillSeconds,
                decodeStepSeconds: decode.decodeStepSeconds,
                decodeStepReadSeconds: decode.decodeStepReadSeconds, encodeWork: encode.encodeWork,
                prefillWork: prefill.prefillWork, decodeStepWork: decode.decodeStepWork)
        }
    }

    /// Square input resolution in pixels.
    public var resolution: Int
    /// Pages per batch.
    public var batch: Int
    /// Tokens generated per page.
    public var newTokens: Int
    /// Prefix length per page (image tokens, `<bos>`, prompt, `\n`).
    public var prefixTokens: Int
    /// Timed repetitions (phases are minima over them).
    public var runs: Int
    /// Precision of the decoder's linear weights.
    public var weights: WeightPrecision
    /// How the sessions held their keys and values.
    public var kvCache: KVCacheFormat
    /// Seconds to load weights and tokenizer.
    public var loadSeconds: Double
    /// Fastest phase timings.
    public var phases: Phases
    /// Peak resident set size of the process in bytes, when the platform reports it.
    public var peakResidentBytes: Int?
    /// Matrix-product FLOP to encode one page (`PaliGemmaCost.encodeFLOPs`).
    public var encodeFLOPs: Double
    /// Matrix-product FLOP of the batch's prefill.
    public var prefillFLOPs: Double
    /// Weights one decode step reads (decoder projections and LM head).
    public var decodeWeightParameters: Double
    /// Bytes of those weights as held (`WeightRead.bytes`).
    public var decodeWeightBytes: Int

    /// The decode step against reading its weights alone at the same moments (batch 1: how
    /// close the step runs to the memory's rate); nil when the read was not measured.
    public var decodeStepOverRead: Double? {
        phases.decodeStepReadSeconds > 0 ? phases.decodeStepSeconds / phases.decodeStepReadSeconds : nil
    }

    /// Achieved GFLOP/s of the image encode.
    public var encodeGFLOPsPerSecond: Double { encodeFLOPs / phases.encodeSeconds / 1e9 }
    /// Achieved GFLOP/s of the prefill.
    public var prefillGFLOPsPerSecond: Double { prefillFLOPs / phases.prefillSeconds / 1e9 }

    /// Generated tokens per second over all pages of the batch while decoding.
    public var decodeTokensPerSecond: Double { Double(batch) / phases.decodeStepSeconds }

    /// Seconds for the whole batch: every page encoded, one prefill, `newTokens - 1` steps
    /// (the first token comes from the prefill).
    public var batchSeconds: Double { batchSeconds(tokens: newTokens) }

    /// Pages per hour at this batch size and token count.
    public var pagesPerHour: Double { pagesPerHour(tokens: newTokens) }

    /// Seconds for the batch if every page generated `tokens` tokens, from the measured
    /// phases (steps timed at the cache lengths this run reached; later steps attend over a
    /// longer cache, so long outputs cost slightly more than this).
    public func batchSeconds(tokens: Int) -> Double {
        phases.encodeSeconds * Double(batch) + phases.prefillSeconds
            + phases.decodeStepSeconds * Double(tokens - 1)
    }

    /// Pages per hour at this batch size if every page generated `tokens` tokens.
    public func pagesPerHour(tokens: Int) -> Double {
        Double(batch) * 3600 / batchSeconds(tokens: tokens)
    }

    /// Creates a report.
    public init(
        resolution: Int, batch: Int, newTokens: Int, prefixTokens: Int, runs: Int,
        weights: WeightPrecision, kvCache: KVCacheFormat = .f32, loadSeconds: Double,
        phases: Phases, decodeWeightBytes: Int = 0, peakResidentBytes: Int?, cost: PaliGemmaCost
    ) {
        self.resolution = resolution
        self.batch = batch
        self.newTokens = newTokens
        self.prefixTokens = prefixTokens
        self.runs = runs
        self.weights = weights
        self.kvCache = kvCache
        self.loadSeconds = loadSeconds
        self.phases = phases
        self.decodeWeightBytes = decodeWeightBytes
        self.peakResidentBytes = peakResidentBytes
        encodeFLOPs = cost.encodeFLOPs
        prefillFLOPs = Double(batch) * cost.prefillFLOPs(prefixTokens: prefixTokens)
        decodeWeightParameters = cost.decodeWeightParameters
    }
}
