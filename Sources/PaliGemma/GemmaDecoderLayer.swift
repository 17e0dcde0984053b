import Foundation
import PaliTensor

/// One Gemma 1 / Gemma 2 decoder layer (`language_model.layers.N`).
struct GemmaDecoderLayer: Sendable {
    let qProj: LinearWeight  // [heads * headDim, hidden]
    let kProj, vProj: LinearWeight  // [kvHeads * headDim, hidden]
    let oProj: LinearWeight  // [hidden, heads * headDim]
    let gateProj, upProj: LinearWeight  // [inner, hidden]
    let downProj: LinearWeight  // [hidden, inner]
    let inputNorm: Tensor  // [hidden]
    /// Gemma 1: the pre-FFN norm (HF naming); Gemma 2: the post-attention norm.
    let postAttentionNorm: Tensor  // [hidden]
    let preFeedforwardNorm, postFeedforwardNorm: Tensor?  // [hidden], Gemma 2 only

    init(_ w: WeightSet, _ prefix: String, postNorms: Bool) {
        qProj = w.linear(prefix + "self_attn.q_proj.weight")
        kProj = w.linear(prefix + "self_attn.k_proj.weight")
        vProj = w.linear(prefix + "self_attn.v_proj.weight")
        oProj = w.linear(prefix + "self_attn.o_proj.weight")
        gateProj = w.linear(prefix + "mlp.gate_proj.weight")
        upProj = w.linear(prefix + "mlp.up_proj.weight")
        downProj = w.linear(prefix + "mlp.down_proj.weight")
        inputNorm = w[prefix + "input_layernorm.weight"]
        postAttentionNorm = w[prefix + "post_attention_layernorm.weight"]
        preFeedforwardNorm = postNorms ? w[prefix + "pre_feedforward_layernorm.weight"] : nil
        postFeedforwardNorm = postNorms ? w[prefix + "post_feedforward_layernorm.weight"] : nil
    }

    /// Runs the layer on `h[rows, hidden]`, the new rows of several sequences (`segments`),
    /// appending their keys and values to each sequence's cache for this layer; `b` (sized for
    /// `rows`) holds the intermediate activations, shared by every layer of a pass.
    func forward(
        _ h: UnsafeMutablePointer<Float>, rows: Int, segments: [DecoderSegment], layer: Int,
        caches: inout [KVCache], model: PaliGemmaModel, buffers b: DecoderBuffers
    ) {
        let t = model.configuration.text
        // Attention block: h += postNorm(o_proj(attention(RoPE(q), RoPE(k), v))).
        Ops.rmsNorm(
            h, rows: rows, dim: t.hiddenSize, weight: inputNorm, eps: t.rmsNormEps,
            into: b.normed)
        Ops.linear(b.normed, rows: rows, weights: [qProj, kProj, vProj], into: [b.q, b.k, b.v])
        Ops.rope(b.q, rows: rows, heads: t.heads, headDim: t.headDim, table: b.rotary)
        Ops.rope(b.k, rows: rows, heads: t.kvHeads, headDim: t.headDim, table: b.rotary)
        for s in segments {
            caches[s.sequence].append(
                layer: layer, keys: b.k, values: b.v, fromRow: s.firstRow, rows: s.rows)
        }
        attend(segments: segments, layer: layer, caches: caches, text: t, buffers: b)
        Ops.linear(b.attended, rows: rows, weight: oProj, into: b.projected)
        addResidual(
            b.projected, normedBy: t.hasPostNorms ? postAttentionNorm : nil, to: h, rows: rows,
            text: t, scratch: b.normed)

        // MLP block: h += postNorm(down(act(gate(x)) · up(x))), x = preNorm(h).
        Ops.rmsNorm(
            h, rows: rows, dim: t.hiddenSize, weight: preFeedforwardNorm ?? postAttentionNorm,
            eps: t.rmsNormEps, into: b.normed)
        Ops.linear(b.normed, rows: rows, weights: [gateProj, upProj], into: [b.gate, b.up])
        t.activation.apply(b.gate, count: rows * t.intermediateSize)
        Ops.multiply(b.up, into: b.gate, count: rows * t.intermediateSize)
        Ops.linear(b.gate, rows: rows, weight: downProj, into: b.projected)
        addResidual(
            b.projected, normedBy: postFeedforwardNorm, to: h, rows: rows, text: t,
            scratch: b.normed)
    }

    /// `b.attended` from `b.q` and each sequence's cache of this layer, under PaliGemma's
    /// prefix-LM mask (transformers ≥ 5.23): the prefix sees the whole prefix; other tokens are
    /// causal, and on local (sliding) layers also limited to the last `window` keys.
    private func attend(
        segments: [DecoderSegment], layer: Int, caches: [KVCache], text t: TextConfiguration,
        buffers b: DecoderBuffers
    ) {
        let qWidth = t.heads * t.headDim
        let window = t.slidingLayers[layer] ? t.slidingWindow : nil
        let segmentCaches = segments.map { caches[$0.sequence] }  // [segments]
        segmentCaches.withLayer(layer) { cached in
            let sequences = segments.indices.map { i in
                let s = segments[i]
                return Attention.Sequence(
                    queries: b.q + s.firstRow * qWidth, queryRows: s.rows, cache: cached[i],
                    keyRows: s.start + s.rows,
                    mask: .prefixLM(prefixLength: segmentCaches[i].prefixLength, window: window),
                    firstQuery: s.start, out: b.attended + s.firstRow * qWidth)
            }
            Attention.attend(
                sequences, shape: .init(heads: t.heads, kvHeads: t.kvHeads, headDim: t.headDim),
                scale: Float(pow(t.queryPreAttnScalar, -0.5)), softcap: t.attnLogitSoftcap)
        }
    }

    /// `h += norm(x)` with Gemma 2's post-norms, `h += x` without (Gemma 1); `scratch` holds the
    /// normed rows.
    private func addResidual(
        _ x: UnsafePointer<Float>, normedBy norm: Tensor?, to h: UnsafeMutablePointer<Float>,
        rows: Int, text t: TextConfiguration, scratch: UnsafeMutablePointer<Float>
    ) {
        guard let norm else { return Ops.add(x, into: h, count: rows * t.hiddenSize) }
        Ops.rmsNorm(
            x, rows: rows, dim: t.hiddenSize, weight: norm, eps: t.rmsNormEps, into: scratch)
        Ops.add(scratch, into: h, count: rows * t.hiddenSize)
    }
}

/// The intermediate activations of a decoder pass and its RoPE angles, made once per pass
/// and reused by every layer: fresh buffers per layer would come from new zeroed pages each
/// time. Every kernel writes all of a buffer it fills, so stale values never leak.
final class DecoderBuffers {
    /// RoPE angles of the pass's rows.
    let rotary: RotaryTable
    let normed: UnsafeMutablePointer<Float>  // [rows, hidden]
    let q: UnsafeMutablePointer<Float>  // [rows, heads * headDim]
    let k, v: UnsafeMutablePointer<Float>  // [rows, kvHeads * headDim]
    let attended: UnsafeMutablePointer<Float>  // [rows, heads * headDim]
    let projected: UnsafeMutablePointer<Float>  // [rows, hidden]
    let gate, up: UnsafeMutablePointer<Float>  // [rows, inner]
    /// Owns the buffers above.
    private let storage: [AlignedBuffer<Float>]

    /// Buffers for all rows of `segments`.
    init(segments: [DecoderSegment], model: PaliGemmaModel) {
        let t = model.configuration.text, rows = segments.reduce(0) { $0 + $1.rows }
        // transformers' PaliGemma positions are 1-based: the first prefix token is at 1.
        rotary = RotaryTable(
            positions: segments.flatMap { s in (0..<s.rows).map { s.start + $0 + 1 } },
            inverseFrequencies: model.ropeInverseFrequencies)
        let qWidth = t.heads * t.headDim, kvWidth = t.kvHeads * t.headDim
        storage = [t.hiddenSize, qWidth, kvWidth, kvWidth, qWidth, t.hiddenSize]
            .map { AlignedBuffer(count: rows * $0) }
            + [t.intermediateSize, t.intermediateSize].map { AlignedBuffer(count: rows * $0) }
        (normed, q, k, v) = (storage[0].pointer, storage[1].pointer, storage[2].pointer,
            storage[3].pointer)
        (attended, projected, gate, up) = (storage[4].pointer, storage[5].pointer,
            storage[6].pointer, storage[7].pointer)
    }
}

/// The rows one sequence contributes to a batched decoder step.
struct DecoderSegment {
    /// Index of the sequence in the session.
    let sequence: Int
    /// First of its rows in the step's buffers.
    let firstRow: Int
    /// Number of new rows.
    let rows: Int
    /// Cache length before this step (0-based index of its first new token).
    let start: Int
}
