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
    /// appending their keys and values to each sequence's cache for this layer; `buffers`
    /// (sized for `rows`) hold the intermediate activations, shared by every layer of a pass.
    func forward(
        _ h: inout [Float], rows: Int, segments: [DecoderSegment], layer: Int,
        caches: inout [KVCache], model: PaliGemmaModel, buffers b: DecoderBuffers
    ) {
        let t = model.configuration.text
        let hidden = t.hiddenSize, qWidth = t.heads * t.headDim, kvWidth = t.kvHeads * t.headDim
        Ops.rmsNorm(
            h, rows: rows, dim: hidden, weight: inputNorm, eps: t.rmsNormEps, into: &b.normed)
        b.q.withUnsafeMutableBufferPointer { q in
            b.k.withUnsafeMutableBufferPointer { k in
                b.v.withUnsafeMutableBufferPointer { v in
                    Ops.linear(
                        b.normed, rows: rows, weights: [qProj, kProj, vProj],
                        into: [q.baseAddress!, k.baseAddress!, v.baseAddress!])
                }
            }
        }
        Ops.rope(&b.q, rows: rows, heads: t.heads, headDim: t.headDim, table: b.rotary)
        Ops.rope(&b.k, rows: rows, heads: t.kvHeads, headDim: t.headDim, table: b.rotary)

        let sliding = t.slidingLayers[layer] ? t.slidingWindow : nil
        let scale = Float(pow(t.queryPreAttnScalar, -0.5))
        for s in segments {
            caches[s.sequence].append(
                layer: layer, keys: b.k, values: b.v, fromRow: s.firstRow, rows: s.rows,
                width: kvWidth)
        }
        let segmentCaches = segments.map { caches[$0.sequence] }  // [segments]
        b.q.withUnsafeBufferPointer { q in
            b.attended.withUnsafeMutableBufferPointer { attended in
                segmentCaches.withLayer(layer) { keys, values in
                    let sequences = segments.indices.map { i in
                        let s = segments[i]
                        // Prefix-LM mask (transformers ≥ 5.23): the prefix sees the whole
                        // prefix; other tokens are causal, and on local layers also limited to
                        // the last `window` keys.
                        return Attention.Sequence(
                            queries: q.baseAddress! + s.firstRow * qWidth, queryRows: s.rows,
                            keys: keys[i], values: values[i], keyRows: s.start + s.rows,
                            mask: .prefixLM(
                                prefixLength: segmentCaches[i].prefixLength, window: sliding),
                            firstQuery: s.start,
                            out: attended.baseAddress! + s.firstRow * qWidth)
                    }
                    Attention.attend(
                        sequences,
                        shape: .init(heads: t.heads, kvHeads: t.kvHeads, headDim: t.headDim),
                        scale: scale, softcap: t.attnLogitSoftcap)
                }
            }
        }
        Ops.linear(b.attended, rows: rows, weight: oProj, into: &b.projected)
        if t.hasPostNorms {
            Ops.rmsNorm(
                b.projected, rows: rows, dim: hidden, weight: postAttentionNorm,
                eps: t.rmsNormEps, into: &b.normed)
            Ops.add(b.normed, into: &h, count: rows * hidden)
        } else {
            Ops.add(b.projected, into: &h, count: rows * hidden)
        }

        Ops.rmsNorm(
            h, rows: rows, dim: hidden, weight: preFeedforwardNorm ?? postAttentionNorm,
            eps: t.rmsNormEps, into: &b.normed)
        b.gate.withUnsafeMutableBufferPointer { gate in
            b.up.withUnsafeMutableBufferPointer { up in
                Ops.linear(
                    b.normed, rows: rows, weights: [gateProj, upProj],
                    into: [gate.baseAddress!, up.baseAddress!])
            }
        }
        t.activation.apply(&b.gate, count: rows * t.intermediateSize)
        Ops.multiply(b.up, into: &b.gate, count: rows * t.intermediateSize)
        Ops.linear(b.gate, rows: rows, weight: downProj, into: &b.projected)
        if let postFeedforwardNorm {
            Ops.rmsNorm(
                b.projected, rows: rows, dim: hidden, weight: postFeedforwardNorm,
                eps: t.rmsNormEps, into: &b.normed)
            Ops.add(b.normed, into: &h, count: rows * hidden)
        } else {
            Ops.add(b.projected, into: &h, count: rows * hidden)
        }
    }
}

/// The intermediate activations of a decoder pass and its RoPE angles, made once per pass
/// and reused by every layer. Why: fresh arrays per layer (≈ 30 MB at 259 rows, ≈ 470 MB at
/// 4099) came from new zeroed pages each time, which took ≈ 0.5 s of a 8.8 s 224 px prefill
/// in page faults. Every kernel writes all of a buffer it fills, so stale values never leak.
final class DecoderBuffers {
    /// RoPE angles of the pass's rows.
    let rotary: RotaryTable
    var normed: [Float]  // [rows, hidden]
    var q: [Float]  // [rows, heads * headDim]
    var k, v: [Float]  // [rows, kvHeads * headDim]
    var attended: [Float]  // [rows, heads * headDim]
    var projected: [Float]  // [rows, hidden]
    var gate, up: [Float]  // [rows, inner]

    /// Buffers for all rows of `segments`.
    init(segments: [DecoderSegment], model: PaliGemmaModel) {
        let t = model.configuration.text, rows = segments.reduce(0) { $0 + $1.rows }
        // transformers' PaliGemma positions are 1-based: the first prefix token is at 1.
        rotary = RotaryTable(
            positions: segments.flatMap { s in (0..<s.rows).map { s.start + $0 + 1 } },
            inverseFrequencies: model.ropeInverseFrequencies)
        normed = [Float](repeating: 0, count: rows * t.hiddenSize)
        q = [Float](repeating: 0, count: rows * t.heads * t.headDim)
        k = [Float](repeating: 0, count: rows * t.kvHeads * t.headDim)
        v = k
        attended = q
        projected = normed
        gate = [Float](repeating: 0, count: rows * t.intermediateSize)
        up = gate
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
