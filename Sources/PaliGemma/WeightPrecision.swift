/// How the decoder's linear weights and the tied embedding are held in memory.
///
/// Those matrices are nearly all the bytes a decode step reads, and decoding is bound by
/// reading them, so fewer bits per weight is proportionally faster there. Every product still
/// accumulates in float32; the vision tower, projector and norms stay float32.
public enum WeightPrecision: String, Sendable, CaseIterable {
    /// float32: the reference path (bf16 checkpoints are widened once at load).
    case f32
    /// bfloat16: half the memory and half the bytes read per decode step; exact for bf16
    /// checkpoints (only the summation order differs from float32).
    case bf16
    /// int8, symmetric per output row (one float32 scale per row, quantised at load): a
    /// quarter of the float32 bytes; weights deviate by at most half a quantisation step.
    case int8

    /// The precision canonical parameter `name` is held in: this one for the decoder
    /// projections (attention, MLP) and the tied embedding / output matrix, float32 for
    /// everything else.
    func storage(of name: String) -> WeightPrecision {
        let held =
            name == "language_model.embed_tokens.weight"
            || (name.hasPrefix("language_model.layers.") && name.hasSuffix("_proj.weight"))
        return held ? self : .f32
    }
}
