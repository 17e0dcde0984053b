import PaliTensor

/// PaliGemma's multi-modal projector (`multi_modal_projector.linear`): one linear layer from
/// SigLIP's width to the decoder's hidden size; its output enters the decoder unscaled.
struct MultiModalProjector: Sendable {
    let weight: LinearWeight  // [hidden, width]
    let bias: Tensor  // [hidden]

    init(_ w: WeightSet) {
        weight = w.linear("multi_modal_projector.linear.weight")
        bias = w["multi_modal_projector.linear.bias"]
    }

    /// `out[tokens, hidden] = x[tokens, width] · weightᵀ + bias`.
    func forward(_ x: UnsafePointer<Float>, tokens: Int, into out: UnsafeMutablePointer<Float>) {
        Ops.linear(x, rows: tokens, weight: weight, bias: bias, into: out)
    }
}
