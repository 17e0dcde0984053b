import Foundation
import PaliGemma
import PaliTestSupport
import Testing

/// `config.json` decoding with transformers' defaults, and every released variant's shapes.
@Suite struct ConfigurationTests {
    /// Hub-style configs: only what the hub files state; everything else must come from the
    /// per-model_type defaults.
    static let hubConfigs: [(variant: String, json: String)] = [
        (
            "paligemma-3b-224",
            """
            {"architectures": ["PaliGemmaForConditionalGeneration"], "bos_token_id": 2,
              "eos_token_id": 1,
             "hidden_size": 2048, "ignore_index": -100, "image_token_index": 257152,
               "model_type": "paligemma",
             "pad_token_id": 0, "projection_dim": 2048,
             "text_config": {"hidden_size": 2048, "intermediate_size": 16384, "model_type": "gemma",
               "num_attention_heads": 8, "num_hidden_layers": 18, "num_image_tokens": 256,
               "num_key_value_heads": 1, "torch_dtype": "float32", "vocab_size": 257216},
             "torch_dtype": "float32", "transformers_version": "4.42.0.dev0",
             "vision_config": {"hidden_size": 1152, "intermediate_size": 4304,
               "model_type": "siglip_vision_model",
               "num_attention_heads": 16, "num_hidden_layers": 27, "num_image_tokens": 256,
                 "patch_size": 14,
               "projection_dim": 2048, "projector_hidden_act": "gelu_fast",
                 "vision_use_head": false}}
            """
        ),
        (
            "paligemma2-3b-448",
            """
            {"_vocab_size": 257152, "architectures": ["PaliGemmaForConditionalGeneration"],
              "bos_token_id": 2,
             "eos_token_id": 1, "hidden_size": 2048, "image_token_index": 257152,
               "model_type": "paligemma",
             "pad_token_id": 0, "projection_dim": 2304,
             "text_config": {"hidden_activation": "gelu_pytorch_tanh", "hidden_size": 2304,
               "intermediate_size": 9216,
               "model_type": "gemma2", "num_attention_heads": 8, "num_hidden_layers": 26,
                 "num_image_tokens": 1024,
               "num_key_value_heads": 4, "torch_dtype": "float32", "vocab_size": 257216},
             "torch_dtype": "bfloat16", "transformers_version": "4.47.0.dev0",
             "vision_config": {"hidden_size": 1152, "image_size": 448, "intermediate_size": 4304,
               "model_type": "siglip_vision_model", "num_attention_heads": 16,
                 "num_hidden_layers": 27,
               "num_image_tokens": 1024, "num_positional_embeddings": 1024, "patch_size": 14,
               "projection_dim": 2304, "torch_dtype": "float32", "vision_use_head": false}}
            """
        ),
        (
            "paligemma2-10b-896",
            """
            {"model_type": "paligemma", "image_token_index": 257152, "projection_dim": 3584,
             "text_config": {"hidden_activation": "gelu_pytorch_tanh", "hidden_size": 3584,
               "intermediate_size": 14336,
               "model_type": "gemma2", "num_attention_heads": 16, "num_hidden_layers": 42,
                 "num_key_value_heads": 8,
               "vocab_size": 257216},
             "vision_config": {"hidden_size": 1152, "image_size": 896, "intermediate_size": 4304,
               "model_type": "siglip_vision_model", "num_attention_heads": 16,
                 "num_hidden_layers": 27,
               "patch_size": 14, "projection_dim": 3584, "vision_use_head": false}}
            """
        ),
        (
            "paligemma2-28b-224",
            """
            {"model_type": "paligemma", "image_token_index": 257152, "projection_dim": 4608,
             "text_config": {"head_dim": 128, "hidden_activation": "gelu_pytorch_tanh",
               "hidden_size": 4608,
               "intermediate_size": 36864, "model_type": "gemma2", "num_attention_heads": 32,
               "num_hidden_layers": 46, "num_key_value_heads": 16, "query_pre_attn_scalar": 144,
               "vocab_size": 257216},
             "vision_config": {"hidden_size": 1152, "intermediate_size": 4304,
               "model_type": "siglip_vision_model",
               "num_attention_heads": 16, "num_hidden_layers": 27, "patch_size": 14,
                 "projection_dim": 4608,
               "vision_use_head": false}}
            """
        ),
    ]

    @Test(arguments: hubConfigs.map(\.variant))
    func hubConfigDecodesToTheVariantTable(variant: String) throws {
        let json = Self.hubConfigs.first { $0.variant == variant }!.json
        let decoded = try PaliGemmaConfiguration.decode(Data(json.utf8))
        let expected = try #require(PaliGemmaVariant.released.first { $0.name == variant })
        #expect(decoded == expected.configuration)
    }

    /// Parameter counts from the one parameter table, against the reference table (224 px,
    /// billions to three decimals), plus the shapes that distinguish the variants.
    @Test func everyReleasedVariantHasTheReferenceShapes() {
        let expectedAt224 = [
            "paligemma-3b": 2.923, "paligemma2-3b": 3.032, "paligemma2-10b": 9.663,
            "paligemma2-28b": 27.650,
        ]
        #expect(PaliGemmaVariant.released.count == 12)
        for variant in PaliGemmaVariant.released {
            let config = variant.configuration
            let parameters = ParameterTable.parameters(for: config)
            let shapes = Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.shape) })
            let resolution = config.vision.imageSize
            let tokens = (resolution / 14) * (resolution / 14)
            #expect(config.vision.tokens == tokens)
            #expect(shapes["vision_tower.embeddings.position_embedding.weight"] == [tokens, 1152])
            #expect(shapes["vision_tower.embeddings.patch_embedding.weight"] == [1152, 3, 14, 14])
            #expect(
                shapes["language_model.embed_tokens.weight"] == [257216, config.text.hiddenSize])
            let t = config.text
            #expect(
                shapes["language_model.layers.0.self_attn.q_proj.weight"] == [
                    t.heads * t.headDim, t.hiddenSize,
                ])
            #expect(
                shapes["language_model.layers.\(t.layers - 1).self_attn.k_proj.weight"] == [
                    t.kvHeads * t.headDim, t.hiddenSize,
                ])
            #expect(
                (shapes["language_model.layers.0.post_feedforward_layernorm.weight"] != nil)
                    == (t.architecture == .gemma2))
            let family = String(variant.name.dropLast(4))
            let billions = Double(ParameterTable.parameterCount(for: config)) / 1e9
            // Only the position table grows with the resolution: 1152 × (tokens − 256).
            let at224 = billions - Double(1152 * (tokens - 256)) / 1e9
            #expect(abs(at224 - expectedAt224[family]!) < 0.0005, "\(variant.name): \(billions) B")
        }
        let q28 = PaliGemmaVariant.released.first { $0.name == "paligemma2-28b-224" }!.configuration
            .text
        #expect(q28.queryPreAttnScalar == 144 && q28.headDim == 128)
    }

    @Test func fixtureConfigsExerciseEveryFeature() throws {
        let pg1 = try PaliGemmaConfiguration.load(
            directory: FixturePaths.fixture("paligemma1-tiny"))
        #expect(
            pg1.text.architecture == .gemma && pg1.text.kvHeads == 1 && pg1.text.ropeTheta == 50000)
        #expect(pg1.text.attnLogitSoftcap == nil && pg1.text.slidingWindow == nil)
        let pg2 = try PaliGemmaConfiguration.load(
            directory: FixturePaths.fixture("paligemma2-tiny"))
        let t = pg2.text
        #expect(
            t.architecture == .gemma2 && t.heads / t.kvHeads == 2
                && t.headDim != t.hiddenSize / t.heads)
        #expect(t.queryPreAttnScalar == 20 && t.ropeTheta == 5000)
        #expect(
            t.slidingLayers == [true, false, true, false] && t.slidingWindow! < pg2.vision.tokens)
        #expect(t.attnLogitSoftcap == 4 && t.finalLogitSoftcap == 8)
        #expect(
            pg2.imageTokenIndex == 1852 && pg2.generatableVocabulary == 1852 && t.vocabSize == 1856)
    }

    /// The hub-style config (defaults omitted) and transformers 5's saved config (every field
    /// explicit) of the same model decode identically.
    @Test(arguments: ParityFixture.names)
    func savedConfigDecodesLikeTheHubOne(name: String) throws {
        let folder = FixturePaths.fixture(name)
        let hub = try PaliGemmaConfiguration.load(directory: folder)
        let saved = try PaliGemmaConfiguration.decode(
            Data(contentsOf: folder.appendingPathComponent("config.saved.json")))
        #expect(hub == saved)
    }

    @Test func activationNamesFollowTransformers() throws {
        let exact = try PaliGemmaConfiguration.decode(
            Data(#"{"projection_dim":3072,"text_config":{"hidden_act":"gelu"}}"#.utf8))
        #expect(exact.text.activation == .gelu && exact.vision.activation == .geluTanh)
        let fast = try PaliGemmaConfiguration.decode(
            Data(#"{"model_type":"paligemma","projection_dim":2304,"#.utf8)
                + Data(#""text_config":{"model_type":"gemma2","#.utf8)
                + Data(#""hidden_activation":"gelu_fast"}}"#.utf8))
        #expect(fast.text.activation == .geluTanh)
    }

    @Test func badFieldsAreNamed() {
        let cases: [(String, String)] = [
            (
                #"{"model_type":"paligemma","text_config":{"model_type":"llama"}}"#,
                "text_config.model_type 'llama' is not supported"
            ),
            (
                #"{"model_type":"paligemma","#
                    + #""text_config":{"model_type":"gemma2","num_hidden_layers":"x"}}"#,
                "text_config.num_hidden_layers must be an integer"
            ),
            (
                #"{"model_type":"paligemma","projection_dim":2304,"text_config":{"#
                    + #""model_type":"gemma2","num_hidden_layers":2,"#
                    + #""layer_types":["full_attention"]}}"#,
                "layer_types has 1 entries for 2 layers"
            ),
            (
                #"{"model_type":"paligemma","projection_dim":3072,"#
                    + #""text_config":{"hidden_act":"relu"}}"#,
                "text_config.hidden_act 'relu' is not supported"
            ),
            (#"[1, 2]"#, "config.json is not a JSON object"),
        ]
        for (json, message) in cases {
            #expect {
                _ = try PaliGemmaConfiguration.decode(Data(json.utf8))
            } throws: { error in
                (error as? PaliGemmaError)?.reason.contains(message) == true
            }
        }
    }
}
