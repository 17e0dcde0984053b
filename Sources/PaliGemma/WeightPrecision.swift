/// How the decoder's linear weights and the tied embedding are held in memory.
public enum WeightPrecision: String, Sendable, CaseIterable {
    /// float32: the reference path (bf16 checkpoints are widened once at load).
    case f32
    /// bfloat16: half the memory and half the bytes read per decode step; products still
    /// accumulate in float32.
    case bf16

    /// Whether canonical parameter `name` is held in bf16 on the bf16 path: the decoder
    /// projections (attention, MLP) and the tied embedding / output matrix, which together
    /// are nearly all the bytes a decode step reads.
    static func isHeldInBF16(_ name: String) -> Bool {
        name == "language_model.embed_tokens.weight"
            || (name.hasPrefix("language_model.layers.") && name.hasSuffix("_proj.weight"))
    }
}
