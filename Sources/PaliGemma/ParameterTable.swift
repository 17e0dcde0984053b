/// The one table between checkpoint tensor names and model parameters.
///
/// Canonical names follow `transformers`' module paths without the outer `model.` and
/// without the vision tower's `vision_model.` infix:
/// `vision_tower.encoder.layers.3.mlp.fc1.weight`,
/// `multi_modal_projector.linear.bias`, `language_model.layers.0.self_attn.q_proj.weight`.
/// `canonicalName(_:)` maps every accepted on-disk layout onto them.
public enum ParameterTable {
    /// On-disk prefix → canonical prefix, longest first. Released checkpoints use
    /// `vision_tower.vision_model.*` and `language_model.model.*`; `transformers` ≥ 4.52 keeps
    /// `model.language_model.*` in memory, and v5's `save_pretrained` drops `vision_model.`.
    static let prefixes: [(disk: String, canonical: String)] = [
        ("model.vision_tower.vision_model.", "vision_tower."),
        ("vision_tower.vision_model.", "vision_tower."),
        ("model.vision_tower.", "vision_tower."),
        ("vision_tower.", "vision_tower."),
        ("model.multi_modal_projector.", "multi_modal_projector."),
        ("multi_modal_projector.", "multi_modal_projector."),
        ("language_model.model.", "language_model."),
        ("model.language_model.", "language_model."),
        ("language_model.lm_head.", "lm_head."),
        ("language_model.", "language_model."),
        ("lm_head.", "lm_head."),
    ]

    /// The canonical name of an on-disk tensor name, or nil when no layout matches.
    public static func canonicalName(_ diskName: String) -> String? {
        for (disk, canonical) in prefixes where diskName.hasPrefix(disk) {
            return canonical + diskName.dropFirst(disk.count)
        }
        return nil
    }

    /// Canonical name of the optional output matrix (tied to the embedding in every PaliGemma).
    public static let tiedOutputName = "lm_head.weight"

    /// Every parameter the configuration needs, with its shape, in a fixed order.
    public static func parameters(for config: PaliGemmaConfiguration) -> [(
        name: String, shape: [Int]
    )] {
        var list: [(String, [Int])] = []
        let v = config.vision, t = config.text
        list.append(
            (
                "vision_tower.embeddings.patch_embedding.weight",
                [v.hiddenSize, v.channels, v.patchSize, v.patchSize]
            ))
        list.append(("vision_tower.embeddings.patch_embedding.bias", [v.hiddenSize]))
        list.append(
            ("vision_tower.embeddings.position_embedding.weight", [v.tokens, v.hiddenSize]))
        for i in 0..<v.layers {
            let p = "vision_tower.encoder.layers.\(i)."
            for norm in ["layer_norm1", "layer_norm2"] {
                list.append((p + norm + ".weight", [v.hiddenSize]))
                list.append((p + norm + ".bias", [v.hiddenSize]))
            }
            for projection in ["q_proj", "k_proj", "v_proj", "out_proj"] {
                list.append((p + "self_attn.\(projection).weight", [v.hiddenSize, v.hiddenSize]))
                list.append((p + "self_attn.\(projection).bias", [v.hiddenSize]))
            }
            list.append((p + "mlp.fc1.weight", [v.intermediateSize, v.hiddenSize]))
            list.append((p + "mlp.fc1.bias", [v.intermediateSize]))
            list.append((p + "mlp.fc2.weight", [v.hiddenSize, v.intermediateSize]))
            list.append((p + "mlp.fc2.bias", [v.hiddenSize]))
        }
        list.append(("vision_tower.post_layernorm.weight", [v.hiddenSize]))
        list.append(("vision_tower.post_layernorm.bias", [v.hiddenSize]))
        list.append(("multi_modal_projector.linear.weight", [t.hiddenSize, v.hiddenSize]))
        list.append(("multi_modal_projector.linear.bias", [t.hiddenSize]))
        list.append(("language_model.embed_tokens.weight", [t.vocabSize, t.hiddenSize]))
        for i in 0..<t.layers {
            let p = "language_model.layers.\(i)."
            list.append((p + "self_attn.q_proj.weight", [t.heads * t.headDim, t.hiddenSize]))
            list.append((p + "self_attn.k_proj.weight", [t.kvHeads * t.headDim, t.hiddenSize]))
            list.append((p + "self_attn.v_proj.weight", [t.kvHeads * t.headDim, t.hiddenSize]))
            list.append((p + "self_attn.o_proj.weight", [t.hiddenSize, t.heads * t.headDim]))
            list.append((p + "mlp.gate_proj.weight", [t.intermediateSize, t.hiddenSize]))
            list.append((p + "mlp.up_proj.weight", [t.intermediateSize, t.hiddenSize]))
            list.append((p + "mlp.down_proj.weight", [t.hiddenSize, t.intermediateSize]))
            // Gemma 1's `post_attention_layernorm` is its pre-FFN norm; Gemma 2 has four norms.
            let norms =
                t.hasPostNorms
                ? [
                    "input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm",
                    "post_feedforward_layernorm",
                ]
                : ["input_layernorm", "post_attention_layernorm"]
            for norm in norms { list.append((p + norm + ".weight", [t.hiddenSize])) }
        }
        list.append(("language_model.norm.weight", [t.hiddenSize]))
        return list
    }

    /// Total parameter count (the tied output matrix counted once).
    public static func parameterCount(for config: PaliGemmaConfiguration) -> Int {
        parameters(for: config).reduce(0) { $0 + $1.shape.reduce(1, *) }
    }
}
