import Foundation
import PaliTensor
import Raster

/// A loaded PaliGemma / PaliGemma 2 model: configuration plus immutable, memory-mapped weights.
///
/// One model serves any number of `InferenceSession`s concurrently; all per-run state (KV
/// caches, scratch) lives in the session.
public final class PaliGemmaModel: Sendable {
    /// The model folder.
    public let directory: URL
    /// Hyperparameters from `config.json`.
    public let configuration: PaliGemmaConfiguration
    /// Keeps the mapped shards alive.
    let checkpoint: SafetensorsCheckpoint
    let patchEmbedding: Tensor  // [width, channels * patch * patch]
    let patchBias: Tensor  // [width]
    let positionEmbedding: Tensor  // [imageTokens, width]
    let visionLayers: [SigLIPEncoderLayer]
    let postLayerNormWeight, postLayerNormBias: Tensor  // [width]
    let projector: MultiModalProjector
    let embedTokens: LinearWeight  // [vocab, hidden], also the tied output matrix
    let decoderLayers: [GemmaDecoderLayer]
    let finalNorm: Tensor  // [hidden]
    let ropeInverseFrequencies: [Float]  // [headDim / 2]
    /// `√hidden` in float32, applied to text embeddings only.
    let embeddingScale: Float

    /// Precision the decoder's linear weights and the tied embedding were asked for.
    public let weightPrecision: WeightPrecision
    /// How inference sessions hold their keys and values.
    public let kvCacheFormat: KVCacheFormat

    /// The precision they are actually held in: `weightPrecision` with `auto` resolved to
    /// what the checkpoint stores (bf16, or f32 for f32/f16 checkpoints).
    public var heldPrecision: WeightPrecision {
        switch embedTokens {
        case .f32: .f32
        case .bf16: .bf16
        case .int8(let table): table.activations == .int8 ? .w8a8 : .int8
        }
    }

    /// Loads `config.json` and the weights of a Hugging Face model folder (any accepted key
    /// layout, single file or sharded, f32 / bf16 / f16); bf16 and f16 are widened once.
    public convenience init(directory: URL) throws(PaliGemmaError) {
        try self.init(directory: directory, weights: .f32)
    }

    /// Loads a model folder holding the decoder's linear weights and the tied embedding /
    /// output matrix in `weights` precision (the vision tower and norms stay float32); its
    /// sessions keep their keys and values in `kvCache` format.
    public init(
        directory: URL, weights: WeightPrecision, kvCache: KVCacheFormat = .f32
    ) throws(PaliGemmaError) {
        self.directory = directory
        weightPrecision = weights
        kvCacheFormat = kvCache
        let config = try PaliGemmaConfiguration.load(directory: directory)
        configuration = config
        do {
            checkpoint = try SafetensorsCheckpoint(directory: directory)
        } catch {
            throw PaliGemmaError(file: error.file, error.reason)
        }
        let w = try WeightSet(checkpoint: checkpoint, config: config, precision: weights)
        let v = config.vision, t = config.text
        patchEmbedding = w["vision_tower.embeddings.patch_embedding.weight"]
            .reshaped([v.hiddenSize, v.channels * v.patchSize * v.patchSize])
        patchBias = w["vision_tower.embeddings.patch_embedding.bias"]
        positionEmbedding = w["vision_tower.embeddings.position_embedding.weight"]
        visionLayers = (0..<v.layers).map {
            SigLIPEncoderLayer(w, "vision_tower.encoder.layers.\($0).")
        }
        postLayerNormWeight = w["vision_tower.post_layernorm.weight"]
        postLayerNormBias = w["vision_tower.post_layernorm.bias"]
        projector = MultiModalProjector(w)
        embedTokens = w.linear("language_model.embed_tokens.weight")
        decoderLayers = (0..<t.layers).map {
            GemmaDecoderLayer(w, "language_model.layers.\($0).", postNorms: t.hasPostNorms)
        }
        finalNorm = w["language_model.norm.weight"]
        ropeInverseFrequencies = Ops.ropeInverseFrequencies(headDim: t.headDim, theta: t.ropeTheta)
        embeddingScale = Float(Double(t.hiddenSize).squareRoot())
    }

    /// The image processor's output for `image`: resized to the model's square resolution,
    /// scaled to [-1, 1], `[3, size, size]` channel-first.
    public func pixelValues(for image: RGBImage, resize filter: ResampleFilter = .bicubic)
        -> [Float]
    {
        ImageProcessor.pixelValues(for: image, size: configuration.vision.imageSize, filter: filter)
    }

    /// SigLIP's last hidden state (after `post_layernorm`), `[imageTokens, width]`.
    public func visionOutput(pixelValues: [Float]) -> [Float] {
        let v = configuration.vision
        let p = v.patchSize, grid = v.gridSize, size = v.imageSize, width = v.hiddenSize
        precondition(
            pixelValues.count == 3 * size * size, "pixel values must be [3, \(size), \(size)]")
        let patchInputs = v.channels * p * p
        // [tokens, channels * p * p]
        var patches = [Float](repeating: 0, count: v.tokens * patchInputs)
        // The stride-p convolution as a matrix product: unfold each patch in (c, y, x) order,
        // the order of the OIHW kernel's flattened inputs.
        for gy in 0..<grid {
            for gx in 0..<grid {
                var o = (gy * grid + gx) * patchInputs
                for c in 0..<v.channels {
                    for y in 0..<p {
                        let source = (c * size + gy * p + y) * size + gx * p
                        for x in 0..<p {
                            patches[o] = pixelValues[source + x]
                            o += 1
                        }
                    }
                }
            }
        }
        var x = [Float](repeating: 0, count: v.tokens * width)  // [tokens, width]
        Ops.linear(patches, rows: v.tokens, weight: patchEmbedding, bias: patchBias, into: &x)
        for i in 0..<(v.tokens * width) { x[i] += positionEmbedding.pointer[i] }
        let buffers = VisionBuffers(tokens: v.tokens, v)
        x.withUnsafeMutableBufferPointer { x in
            for layer in visionLayers {
                layer.forward(x.baseAddress!, tokens: v.tokens, config: v, buffers: buffers)
            }
        }
        var out = x  // [tokens, width]
        Ops.layerNorm(
            x, rows: v.tokens, dim: width, weight: postLayerNormWeight, bias: postLayerNormBias,
            eps: v.layerNormEps, into: &out)
        return out
    }

    /// The multi-modal projector, `[imageTokens, width]` → `[imageTokens, hidden]`.
    public func project(visionOutput: [Float]) -> [Float] {
        let rows = configuration.vision.tokens
        // [tokens, hidden]
        var out = [Float](repeating: 0, count: rows * configuration.text.hiddenSize)
        projector.forward(visionOutput, tokens: rows, into: &out)
        return out
    }

    /// The decoder input `[ids, hidden]`: text rows are `E[id] · √hidden` (float32); each
    /// `<image>` placeholder takes the next row of `imageFeatures` unscaled.
    public func embed(inputIDs: [Int], imageFeatures: [Float]) throws(PaliGemmaError) -> [Float] {
        let t = configuration.text, hidden = t.hiddenSize
        let imageRows = configuration.vision.tokens
        let placeholders = inputIDs.filter { $0 == configuration.imageTokenIndex }.count
        guard placeholders == imageRows, imageFeatures.count == imageRows * hidden else {
            throw PaliGemmaError(
                "the prompt has \(placeholders) <image> tokens;"
                    + " this model needs exactly \(imageRows) per image"
            )
        }
        guard inputIDs.count <= t.maxPositionEmbeddings else {
            throw PaliGemmaError(
                "the prompt is \(inputIDs.count) tokens long;"
                    + " this model allows at most \(t.maxPositionEmbeddings)"
            )
        }
        var out = [Float](repeating: 0, count: inputIDs.count * hidden)  // [ids, hidden]
        var nextImageRow = 0
        for (r, id) in inputIDs.enumerated() {
            if id == configuration.imageTokenIndex {
                for j in 0..<hidden {
                    out[r * hidden + j] = imageFeatures[nextImageRow * hidden + j]
                }
                nextImageRow += 1
            } else {
                guard id >= 0 && id < t.vocabSize else {
                    throw PaliGemmaError(
                        "token id \(id) is outside the vocabulary (0..<\(t.vocabSize))")
                }
                out.withUnsafeMutableBufferPointer {
                    textEmbedding(id, into: $0.baseAddress! + r * hidden)
                }
            }
        }
        return out
    }

    /// The text embedding of token `id`, `E[id] · √hidden` in float32, into `out[hidden]`.
    func textEmbedding(_ id: Int, into out: UnsafeMutablePointer<Float>) {
        let hidden = configuration.text.hiddenSize
        switch embedTokens {
        case .f32(let table):
            let row = table.pointer + id * hidden
            for j in 0..<hidden { out[j] = row[j] * embeddingScale }
        case .bf16(let table):
            for j in 0..<hidden { out[j] = table[id * hidden + j] * embeddingScale }
        case .int8(let table):
            for j in 0..<hidden { out[j] = table[id * hidden + j] * embeddingScale }
        }
    }

    /// Final norm, tied output matrix and final softcap on `h[rows, hidden]` → `logits`
    /// `[rows, vocab]`.
    func logits(_ h: [Float], rows: Int, into logits: inout LogitRows) {
        let t = configuration.text
        var normed = [Float](repeating: 0, count: rows * t.hiddenSize)  // [rows, hidden]
        Ops.rmsNorm(
            h, rows: rows, dim: t.hiddenSize, weight: finalNorm, eps: t.rmsNormEps, into: &normed)
        logits.overwrite(rows: rows) { out in
            Ops.linear(normed, rows: rows, weight: embedTokens, into: out)
            if let cap = t.finalLogitSoftcap {
                Ops.softcap(out, count: rows * t.vocabSize, cap: cap)
            }
        }
    }
}
