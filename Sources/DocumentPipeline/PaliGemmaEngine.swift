import DocumentModel
import Foundation
import PaliGemma
import PaliTensor
import PaliTokenizer

/// `Engine` on a loaded PaliGemma / PaliGemma 2 checkpoint: requests with the same token
/// budget and beam width are generated together (batched prefill and decode), on dedicated
/// inference threads.
public final class PaliGemmaEngine: Engine {
    /// The loaded model.
    public let model: PaliGemmaModel
    /// Its tokenizer.
    public let tokenizer: GemmaTokenizer
    /// Name, family, input size and provenance.
    public let info: EngineInfo
    /// Most requests generated in one batch.
    public let batchSize: Int
    /// `Engine`: the batch size.
    public var preferredBatchSize: Int { batchSize }
    private let threads: WorkerThreads

    /// Weight precision when neither the pipeline nor the command line chooses one: the
    /// checkpoint's own (a bf16 checkpoint is not widened, which changes nothing but the
    /// summation order and halves the memory; f32 checkpoints keep the reference path).
    public static let defaultWeights = WeightPrecision.auto

    /// Loads the checkpoint folder `directory` (config, weights, tokenizer) with its weights
    /// held in `weights` precision and its sessions' keys and values in `kvCache`. `threads`
    /// batches
    /// may run at once (one per document converted in parallel); with more than one, the
    /// cores are split between them (OpenBLAS threads per product = cores / `threads`) so the
    /// parallel products do not oversubscribe the machine.
    public init(
        directory: URL, weights: WeightPrecision = defaultWeights, kvCache: KVCacheFormat = .f32,
        threads: Int = 1, batchSize: Int = 8
    ) throws {
        let model: PaliGemmaModel
        do {
            model = try PaliGemmaModel(directory: directory, weights: weights, kvCache: kvCache)
        } catch {
            throw EngineError(
                file: directory.path, reason: "cannot load the model: \(error.reason)")
        }
        let tokenizer: GemmaTokenizer
        do {
            tokenizer = try GemmaTokenizer.load(directory: directory)
        } catch {
            throw EngineError(file: directory.path, reason: "cannot load the tokenizer: \(error)")
        }
        self.model = model
        self.tokenizer = tokenizer
        self.batchSize = max(1, batchSize)
        self.threads = WorkerThreads(count: threads, name: "palidoc-inference")
        if threads > 1 {
            BLASThreads.set(ProcessInfo.processInfo.activeProcessorCount / threads)
        }
        let family = model.configuration.text.architecture == .gemma2 ? "paligemma2" : "paligemma"
        info = EngineInfo(
            model: ModelInfo(
                name: directory.standardizedFileURL.lastPathComponent, family: family,
                imageSize: model.configuration.vision.imageSize,
                dtype: Self.storageName(model.heldPrecision)
                    + (kvCache == .f32 ? "" : ", \(kvCache.rawValue) KV cache"),
                randomWeights: Self.isRandomTestModel(directory) ? true : nil),
            imageTokens: model.configuration.vision.tokens,
            maxPositions: model.configuration.text.maxPositionEmbeddings)
    }

    /// `Engine`: the length of the model's input ids for `prompt` (image tokens, `<bos>`, the
    /// prompt, its line break).
    public func inputLength(prompt: String) throws -> Int? {
        do {
            return try model.inputIDs(prompt: prompt, tokenizer: tokenizer).count
        } catch let error as PaliGemmaError {
            throw EngineError(reason: error.reason)
        } catch {
            throw EngineError(reason: String(describing: error))
        }
    }

    /// The `ModelInfo.dtype` written into results for weights held in `precision`.
    static func storageName(_ precision: WeightPrecision) -> String {
        switch precision {
        case .f32: "float32"
        case .bf16: "bfloat16"
        case .int8: "int8"
        case .w8a8: "int8 (8-bit activations)"
        case .auto: "auto"  // never held: `heldPrecision` resolves it
        }
    }

    /// Whether `directory` holds a random-weight test checkpoint: its `manifest.json` (written
    /// by the project's fixture generator) says `"random_weights": true`.
    public static func isRandomTestModel(_ directory: URL) -> Bool {
        let url = directory.appendingPathComponent("manifest.json")
        guard let data = try? Data(contentsOf: url),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return false }
        return object["random_weights"] as? Bool == true
    }

    /// Generates the requests in batches of up to `batchSize` that share budget and beams.
    public func generate(_ requests: [EngineRequest]) async throws -> [EngineResult] {
        var results = [EngineResult?](repeating: nil, count: requests.count)
        var groups: [[Int]] = []
        for index in requests.indices {
            let request = requests[index]
            if let g = groups.firstIndex(where: {
                let first = requests[$0[0]]
                return $0.count < batchSize && first.maxTokens == request.maxTokens
                    && first.beams == request.beams
            }) {
                groups[g].append(index)
            } else {
                groups.append([index])
            }
        }
        for group in groups {
            let batch = group.map { requests[$0] }
            let answers = try await threads.run { [model, tokenizer] in
                try Self.run(batch, model: model, tokenizer: tokenizer)
            }
            for (index, answer) in zip(group, answers) { results[index] = answer }
        }
        return results.map { $0! }
    }

    /// One batch, synchronously (on an inference thread).
    private static func run(
        _ batch: [EngineRequest], model: PaliGemmaModel, tokenizer: GemmaTokenizer
    ) throws -> [EngineResult] {
        do {
            let generation = try batch.map {
                GenerationRequest(
                    image: $0.image,
                    inputIDs: try model.inputIDs(prompt: $0.prompt, tokenizer: tokenizer))
            }
            let options = GenerationOptions(
                maxNewTokens: batch[0].maxTokens, beams: batch[0].beams)
            let outputs = try model.generate(generation, options: options)
            return try outputs.map { output in
                EngineResult(
                    text: try model.text(of: output.ids, tokenizer: tokenizer), ids: output.ids,
                    timings: [
                        "vision": output.timings.vision, "prefill": output.timings.prefill,
                        "decode": output.timings.decode,
                    ])
            }
        } catch let error as PaliGemmaError {
            throw EngineError(reason: error.reason)
        } catch {
            throw EngineError(reason: String(describing: error))
        }
    }
}
