import Foundation
import PaliTensor

/// One pre-LayerNorm SigLIP encoder block (`vision_tower.encoder.layers.N`).
struct SigLIPEncoderLayer: Sendable {
    let layerNorm1Weight, layerNorm1Bias: Tensor  // [width]
    let qProj, kProj, vProj, outProj: LinearWeight  // [width, width]
    let qBias, kBias, vBias, outBias: Tensor  // [width]
    let layerNorm2Weight, layerNorm2Bias: Tensor  // [width]
    let fc1: LinearWeight  // [inner, width]
    let fc1Bias: Tensor  // [inner]
    let fc2: LinearWeight  // [width, inner]
    let fc2Bias: Tensor  // [width]

    init(_ w: WeightSet, _ prefix: String) {
        layerNorm1Weight = w[prefix + "layer_norm1.weight"]
        layerNorm1Bias = w[prefix + "layer_norm1.bias"]
        qProj = w.linear(prefix + "self_attn.q_proj.weight")
        kProj = w.linear(prefix + "self_attn.k_proj.weight")
        vProj = w.linear(prefix + "self_attn.v_proj.weight")
        outProj = w.linear(prefix + "self_attn.out_proj.weight")
        qBias = w[prefix + "self_attn.q_proj.bias"]
        kBias = w[prefix + "self_attn.k_proj.bias"]
        vBias = w[prefix + "self_attn.v_proj.bias"]
        outBias = w[prefix + "self_attn.out_proj.bias"]
        layerNorm2Weight = w[prefix + "layer_norm2.weight"]
        layerNorm2Bias = w[prefix + "layer_norm2.bias"]
        fc1 = w.linear(prefix + "mlp.fc1.weight")
        fc1Bias = w[prefix + "mlp.fc1.bias"]
        fc2 = w.linear(prefix + "mlp.fc2.weight")
        fc2Bias = w[prefix + "mlp.fc2.bias"]
    }

    /// `x += attn(LN1(x)); x += MLP(LN2(x))` on `x[tokens, width]`, all patches mutually visible;
    /// `b` (sized for `tokens`) holds the intermediate activations, shared by all layers.
    func forward(
        _ x: UnsafeMutablePointer<Float>, tokens: Int, config: VisionConfiguration,
        buffers b: VisionBuffers
    ) {
        let width = config.hiddenSize, inner = config.intermediateSize
        // Attention block.
        Ops.layerNorm(
            x, rows: tokens, dim: width, weight: layerNorm1Weight, bias: layerNorm1Bias,
            eps: config.layerNormEps, into: b.normed)
        Ops.linear(b.normed, rows: tokens, weight: qProj, bias: qBias, into: b.q)
        Ops.linear(b.normed, rows: tokens, weight: kProj, bias: kBias, into: b.k)
        Ops.linear(b.normed, rows: tokens, weight: vProj, bias: vBias, into: b.v)
        Attention.attend(
            queries: b.q, queryRows: tokens, keys: b.k, values: b.v, keyRows: tokens,
            shape: .init(heads: config.heads, kvHeads: config.heads, headDim: config.headDim),
            scale: Float(pow(Double(config.headDim), -0.5)), softcap: nil, mask: .full,
            into: b.attended)
        Ops.linear(b.attended, rows: tokens, weight: outProj, bias: outBias, into: b.projected)
        Ops.add(b.projected, into: x, count: tokens * width)

        // MLP block.
        Ops.layerNorm(
            x, rows: tokens, dim: width, weight: layerNorm2Weight, bias: layerNorm2Bias,
            eps: config.layerNormEps, into: b.normed)
        Ops.linear(b.normed, rows: tokens, weight: fc1, bias: fc1Bias, into: b.hidden)
        config.activation.apply(b.hidden, count: tokens * inner)
        Ops.linear(b.hidden, rows: tokens, weight: fc2, bias: fc2Bias, into: b.projected)
        Ops.add(b.projected, into: x, count: tokens * width)
    }
}

/// The intermediate activations of a SigLIP pass over `tokens` patches, allocated once per
/// image and reused by every layer (as `DecoderBuffers`: no fresh zeroed pages per layer).
/// Every kernel writes all of a buffer it fills.
final class VisionBuffers {
    let normed, q, k, v, attended, projected: UnsafeMutablePointer<Float>  // [tokens, width]
    let hidden: UnsafeMutablePointer<Float>  // [tokens, inner]
    /// Owns the buffers above.
    private let storage: [AlignedBuffer<Float>]

    init(tokens: Int, _ config: VisionConfiguration) {
        storage = (0..<6).map { _ in AlignedBuffer(count: tokens * config.hiddenSize) }
            + [AlignedBuffer(count: tokens * config.intermediateSize)]
        (normed, q, k, v) = (storage[0].pointer, storage[1].pointer, storage[2].pointer,
            storage[3].pointer)
        (attended, projected, hidden) = (storage[4].pointer, storage[5].pointer,
            storage[6].pointer)
    }
}
