import Foundation
import PaliTensor
import PaliTokenizer
import Raster

/// Times the phases of PaliGemma inference on synthetic pages: image encode (SigLIP +
/// projector), batched prefill, and forced decoding of a fixed number of tokens per sequence
/// (never stopping at `<eos>`), plus the process's peak resident memory.
public struct PaliGemmaBenchmark: Sendable {
    /// Model folder (config.json, weights, tokenizer).
    public var directory: URL
    /// Expected square input resolution in pixels; must equal the checkpoint's.
    public var resolution: Int
    /// Pages (image/prompt pairs) prefilled and decoded together.
    public var batch: Int
    /// Tokens generated per page (the first comes from the prefill).
    public var newTokens: Int
    /// Prompt after the image tokens, tokenized with the model's tokenizer.
    public var prompt: String
    /// Timed repetitions; each phase reports its fastest run.
    public var runs: Int
    /// Precision of the decoder's linear weights in memory.
    public var weights: WeightPrecision
    /// How the sessions hold their keys and values.
    public var kvCache: KVCacheFormat

    /// Creates a benchmark description; `run()` loads the model and measures.
    public init(
        directory: URL, resolution: Int, batch: Int = 1, newTokens: Int = 16,
        prompt: String = "ocr", runs: Int = 1, weights: WeightPrecision = .f32,
        kvCache: KVCacheFormat = .f32
    ) {
        self.directory = directory
        self.resolution = resolution
        self.batch = batch
        self.newTokens = newTokens
        self.prompt = prompt
        self.runs = runs
        self.weights = weights
        self.kvCache = kvCache
    }

    /// Loads the model, then measures every phase `runs` times and keeps each one's minimum.
    public func run() throws -> PaliGemmaBenchmarkReport {
        guard batch >= 1 else { throw PaliGemmaError("the batch must be at least 1, got \(batch)") }
        guard newTokens >= 2 else {
            throw PaliGemmaError(
                "at least 2 new tokens are needed to time decoding, got \(newTokens)")
        }
        guard runs >= 1 else { throw PaliGemmaError("the run count must be at least 1") }
        let clock = ContinuousClock()
        let start = clock.now
        let model = try PaliGemmaModel(directory: directory, weights: weights, kvCache: kvCache)
        let tokenizer = try GemmaTokenizer.load(directory: directory)
        let loadSeconds = (clock.now - start) / .seconds(1)
        let size = model.configuration.vision.imageSize
        guard size == resolution else {
            throw PaliGemmaError(
                file: directory,
                "the checkpoint's resolution is \(size) px, not the requested \(resolution) px")
        }
        // The processor's layout with config.json's ids, so random benchmark checkpoints whose
        // small tokenizer lacks the real `<image>` id run too: only lengths matter here.
        let config = model.configuration
        let inputIDs = PaliGemmaPrompt.layout(
            imageID: config.imageTokenIndex, imageTokenCount: config.vision.tokens,
            bosID: config.bosTokenID, promptIDs: tokenizer.encode(prompt + "\n"))
        guard inputIDs.count + newTokens <= config.text.maxPositionEmbeddings else {
            throw PaliGemmaError(
                "\(inputIDs.count) prefix tokens plus \(newTokens) new tokens exceed the model's"
                    + " \(config.text.maxPositionEmbeddings) positions")
        }
        let images = (0..<batch).map { Self.syntheticPage(size: size, seed: UInt64($0 + 1)) }
        let stepWeights = Self.decodeStepWeights(of: model)
        var best: PaliGemmaBenchmarkReport.Phases?
        for _ in 0..<runs {
            let phases = try measure(
                model: model, images: images, inputIDs: inputIDs, stepWeights: stepWeights)
            best = best.map { $0.fastest(with: phases) } ?? phases
        }
        return PaliGemmaBenchmarkReport(
            resolution: size, batch: batch, newTokens: newTokens, prefixTokens: inputIDs.count,
            runs: runs, weights: weights, kvCache: kvCache, loadSeconds: loadSeconds,
            phases: best!, decodeWeightBytes: WeightRead.bytes(stepWeights),
            peakResidentBytes: Self.peakResidentBytes(),
            cost: PaliGemmaCost(configuration: config))
    }

    /// One timed pass: encode every page, prefill all together, force `newTokens - 1` steps,
    /// reading `stepWeights` (what a step streams) alone after each.
    private func measure(
        model: PaliGemmaModel, images: [RGBImage], inputIDs: [Int], stepWeights: [LinearWeight]
    ) throws -> PaliGemmaBenchmarkReport.Phases {
        let clock = ContinuousClock()
        var start = clock.now
        WorkTally.start()
        var prefixes: [[Float]] = []  // per page: [prefixTokens, hidden]
        for image in images {
            let pixels = model.pixelValues(for: image)
            let features = model.project(visionOutput: model.visionOutput(pixelValues: pixels))
            prefixes.append(try model.embed(inputIDs: inputIDs, imageFeatures: features))
        }
        let encodeSeconds = (clock.now - start) / .seconds(1)
        let encodeWork = WorkTally.stop()
        let session = InferenceSession(model: model)
        start = clock.now
        WorkTally.start()
        var logits = session.prefill(prefixes, reserving: newTokens)
        let prefillSeconds = (clock.now - start) / .seconds(1)
        let prefillWork = WorkTally.stop()
        var decodeSeconds = 0.0, readSeconds = 0.0
        WorkTally.start()
        // Forced decoding: the greedy token is fed back whatever it is, <eos> included, so
        // every run does the same number of steps. After each step the same weights are read
        // alone (untimed as decoding, untallied): the bound at the memory's rate of that moment.
        for _ in 1..<newTokens {
            start = clock.now
            let next = (0..<logits.count).map { row in
                (row, logits.withRow(row) { model.argmax($0) })
            }
            session.decode(next, into: &logits)
            decodeSeconds += (clock.now - start) / .seconds(1)
            readSeconds += WeightRead.seconds(stepWeights)
        }
        let decodeWork = WorkTally.stop()
        return PaliGemmaBenchmarkReport.Phases(
            encodeSeconds: encodeSeconds / Double(images.count), prefillSeconds: prefillSeconds,
            decodeStepSeconds: decodeSeconds / Double(newTokens - 1),
            decodeStepReadSeconds: readSeconds / Double(newTokens - 1),
            encodeWork: .init(encodeWork, per: images.count), prefillWork: .init(prefillWork),
            decodeStepWork: .init(decodeWork, per: newTokens - 1))
    }

    /// The matrices a decode step streams: every decoder layer's projections and the tied
    /// output matrix.
    private static func decodeStepWeights(of model: PaliGemmaModel) -> [LinearWeight] {
        model.decoderLayers.flatMap {
            [$0.qProj, $0.kProj, $0.vProj, $0.oProj, $0.gateProj, $0.upProj, $0.downProj]
        } + [model.embedTokens]
    }

    /// A deterministic noisy page of `size`×`size` pixels (no blank areas to skip).
    static func syntheticPage(size: Int, seed: UInt64) -> RGBImage {
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        var pixels = [UInt8](repeating: 0, count: size * size * 3)
        for i in pixels.indices {
            // xorshift64: cheap, reproducible pixel noise.
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            pixels[i] = UInt8(truncatingIfNeeded: state >> 56)
        }
        return RGBImage(width: size, height: size, pixels: pixels)
    }

    /// `VmHWM` of `/proc/self/status` in bytes (peak resident set); nil where unavailable.
    static func peakResidentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            // "VmHWM:\t  123456 kB"; large values leave no space after the tab.
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, let kilobytes = Int(fields[1]) else { return nil }
            return kilobytes * 1024
        }
        return nil
    }
}
