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

    /// `x += attn(LN1(x)); x += MLP(LN2(x))` on `x[tokens, width]`, all patches mutually visible.
    func forward(_ x: inout [Float], tokens: Int, config: VisionConfiguration) {
        let width = config.hiddenSize, inner = config.intermediateSize
        var normed = [Float](repeating: 0, count: tokens * width)  // [tokens, width]
        var q = normed, k = normed, v = normed, attended = normed  // [tokens, width] each
        var projected = normed  // [tokens, width]
        x.withUnsafeBufferPointer { x in
            Ops.layerNorm(
                x.baseAddress!, rows: tokens, dim: width, weight: layerNorm1Weight,
                bias: layerNorm1Bias, eps: config.layerNormEps, into: &normed)
        }
        Ops.linear(normed, rows: tokens, weight: qProj, bias: qBias, into: &q)
        Ops.linear(normed, rows: tokens, weight: kProj, bias: kBias, into: &k)
        Ops.linear(normed, rows: tokens, weight: vProj, bias: vBias, into: &v)
        Attention.attend(
            queries: q, queryRows: tokens, keys: k, values: v, keyRows: tokens,
            shape: .init(heads: config.heads, kvHeads: config.heads, headDim: config.headDim),
            scale: Float(pow(Double(config.headDim), -0.5)), softcap: nil, mask: .full,
            into: &attended)
        Ops.linear(attended, rows: tokens, weight: outProj, bias: outBias, into: &projected)
        Ops.add(projected, into: &x, count: tokens * width)

        x.withUnsafeBufferPointer { x in
            Ops.layerNorm(
                x.baseAddress!, rows: tokens, dim: width, weight: layerNorm2Weight,
                bias: layerNorm2Bias, eps: config.layerNormEps, into: &normed)
        }
        var hidden = [Float](repeating: 0, count: tokens * inner)  // [tokens, inner]
        Ops.linear(normed, rows: tokens, weight: fc1, bias: fc1Bias, into: &hidden)
        config.activation.apply(&hidden, count: hidden.count)
        Ops.linear(hidden, rows: tokens, weight: fc2, bias: fc2Bias, into: &projected)
        Ops.add(projected, into: &x, count: tokens * width)
    }
}
