import Foundation

/// A whole PaliGemma / PaliGemma 2 model's hyperparameters.
public struct PaliGemmaConfiguration: Sendable, Equatable {
    /// The SigLIP vision tower.
    public var vision: VisionConfiguration
    /// The Gemma decoder.
    public var text: TextConfiguration
    /// Id of the `<image>` placeholder token; also the first id greedy/beam decoding excludes
    /// (the `<image>` row and the padding rows after it are never generated).
    public var imageTokenIndex: Int
    /// End-of-sequence id.
    public var eosTokenID: Int
    /// Beginning-of-sequence id.
    public var bosTokenID: Int
    /// Padding id.
    public var padTokenID: Int

    /// Creates a configuration from explicit values.
    public init(
        vision: VisionConfiguration, text: TextConfiguration, imageTokenIndex: Int = 257152,
        eosTokenID: Int = 1, bosTokenID: Int = 2, padTokenID: Int = 0
    ) {
        self.vision = vision
        self.text = text
        self.imageTokenIndex = imageTokenIndex
        self.eosTokenID = eosTokenID
        self.bosTokenID = bosTokenID
        self.padTokenID = padTokenID
    }

    /// Ids that may be generated: `0 ..< min(imageTokenIndex, vocabSize)`.
    public var generatableVocabulary: Int { min(imageTokenIndex, text.vocabSize) }
}

extension PaliGemmaConfiguration {
    /// Reads `config.json` from a model folder.
    public static func load(directory: URL) throws(PaliGemmaError) -> PaliGemmaConfiguration {
        let url = directory.appendingPathComponent("config.json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
                throw PaliGemmaError(file: directory, "model folder does not exist")
            }
            throw PaliGemmaError(file: url, "missing config.json (not a Hugging Face model folder)")
        }
        return try decode(data, file: url)
    }

    /// Decodes a Hugging Face `config.json` with `transformers`' defaults for every omitted
    /// field (per sub-config `model_type`: `gemma` for PaliGemma 1, `gemma2` for PaliGemma 2).
    public static func decode(_ data: Data, file: URL? = nil) throws(PaliGemmaError)
        -> PaliGemmaConfiguration
    {
        guard let json = try? JSONSerialization.jsonObject(with: data),
            let root = json as? [String: Any]
        else {
            throw PaliGemmaError(file: file, "config.json is not a JSON object")
        }
        let reader = ConfigReader(values: root, path: "", file: file)
        let modelType = try reader.string("model_type", default: "paligemma")
        guard modelType == "paligemma" else {
            throw PaliGemmaError(
                file: file,
                "model_type '\(modelType)' is not a PaliGemma model (expected 'paligemma')")
        }
        let projectionDim = try reader.int("projection_dim", default: 2048)
        let imageToken = try reader.int(
            "image_token_index", default: try reader.int("image_token_id", default: 256000))
        let eos = try reader.firstInt("eos_token_id", default: 1)
        let bos = try reader.int("bos_token_id", default: 2)
        let pad = try reader.int("pad_token_id", default: 0)

        let v = try reader.child("vision_config")
        let visionType = try v.string("model_type", default: "siglip_vision_model")
        guard visionType == "siglip_vision_model" else {
            throw PaliGemmaError(
                file: file,
                "vision_config.model_type '\(visionType)' is not supported"
                    + " (expected 'siglip_vision_model')"
            )
        }
        let vision = VisionConfiguration(
            hiddenSize: try v.int("hidden_size", default: 768),
            intermediateSize: try v.int("intermediate_size", default: 3072),
            layers: try v.int("num_hidden_layers", default: 12),
            heads: try v.int("num_attention_heads", default: 12),
            imageSize: try v.int("image_size", default: 224),
            patchSize: try v.int("patch_size", default: 16),
            channels: try v.int("num_channels", default: 3),
            layerNormEps: Float(try v.double("layer_norm_eps", default: 1e-6)),
            useHead: try v.bool("vision_use_head", default: true),
            activation: try v.activation("hidden_act"))

        let t = try reader.child("text_config")
        let textType = try t.string("model_type", default: "gemma")
        guard let architecture = TextConfiguration.Architecture(rawValue: textType) else {
            throw PaliGemmaError(
                file: file,
                "text_config.model_type '\(textType)' is not supported"
                    + " (expected 'gemma' or 'gemma2')"
            )
        }
        let gemma2 = architecture == .gemma2
        // Defaults: transformers' GemmaConfig / Gemma2Config dataclass fields.
        let hidden = try t.int("hidden_size", default: gemma2 ? 2304 : 3072)
        let layers = try t.int("num_hidden_layers", default: gemma2 ? 26 : 28)
        let headDim = try t.int("head_dim", default: 256)
        let heads = try t.int("num_attention_heads", default: gemma2 ? 8 : 16)
        var slidingLayers = [Bool](repeating: false, count: layers)
        var window: Int? = nil
        if gemma2 {
            window = try t.optionalInt("sliding_window", default: 4096)
            if let types = try t.stringArray("layer_types") {
                guard types.count == layers else {
                    throw PaliGemmaError(
                        file: file,
                        "text_config.layer_types has \(types.count) entries for \(layers) layers")
                }
                slidingLayers = try types.map { (type: String) throws(PaliGemmaError) -> Bool in
                    switch type {
                    case "sliding_attention": return true
                    case "full_attention": return false
                    default:
                        throw PaliGemmaError(
                            file: file, "text_config.layer_types: unknown layer type '\(type)'")
                    }
                }
            } else {
                slidingLayers = TextConfiguration.alternatingSlidingLayers(layers)
            }
            if window == nil { slidingLayers = slidingLayers.map { _ in false } }
        }
        let text = TextConfiguration(
            architecture: architecture,
            hiddenSize: hidden,
            intermediateSize: try t.int("intermediate_size", default: gemma2 ? 9216 : 24576),
            layers: layers,
            heads: heads,
            kvHeads: try t.int("num_key_value_heads", default: gemma2 ? 4 : 16),
            headDim: headDim,
            vocabSize: try t.int("vocab_size", default: 256000),
            rmsNormEps: Float(try t.double("rms_norm_eps", default: 1e-6)),
            ropeTheta: try t.ropeTheta(),
            queryPreAttnScalar: gemma2
                ? try t.double("query_pre_attn_scalar", default: 256) : Double(headDim),
            slidingWindow: window,
            slidingLayers: slidingLayers,
            attnLogitSoftcap: gemma2
                ? try t.optionalDouble("attn_logit_softcapping", default: 50).map(Float.init) : nil,
            finalLogitSoftcap: gemma2
                ? try t.optionalDouble("final_logit_softcapping", default: 30).map(Float.init)
                : nil,
            maxPositionEmbeddings: try t.int("max_position_embeddings", default: 8192),
            activation: try t.activation(gemma2 ? "hidden_activation" : "hidden_act"))
        guard projectionDim == text.hiddenSize else {
            throw PaliGemmaError(
                file: file,
                "projection_dim \(projectionDim) differs from"
                    + " text_config.hidden_size \(text.hiddenSize)"
            )
        }
        guard text.heads % text.kvHeads == 0, text.headDim % 2 == 0,
            vision.hiddenSize % vision.heads == 0,
            vision.imageSize % vision.patchSize == 0, vision.channels == 3
        else {
            throw PaliGemmaError(file: file, "inconsistent attention or patch sizes in config.json")
        }
        return PaliGemmaConfiguration(
            vision: vision, text: text, imageTokenIndex: imageToken, eosTokenID: eos,
            bosTokenID: bos,
            padTokenID: pad)
    }
}

/// Typed access to one JSON object of `config.json`, with defaults and clear errors.
private struct ConfigReader {
    let values: [String: Any]
    let path: String
    let file: URL?

    func fail(_ key: String, _ expected: String) -> PaliGemmaError {
        PaliGemmaError(file: file, "\(path)\(key) must be \(expected)")
    }

    func child(_ key: String) throws(PaliGemmaError) -> ConfigReader {
        guard let value = values[key], !(value is NSNull) else {
            return ConfigReader(values: [:], path: "\(key).", file: file)
        }
        guard let dict = value as? [String: Any] else { throw fail(key, "an object") }
        return ConfigReader(values: dict, path: "\(path)\(key).", file: file)
    }

    func string(_ key: String, default value: String) throws(PaliGemmaError) -> String {
        guard let raw = values[key], !(raw is NSNull) else { return value }
        guard let s = raw as? String else { throw fail(key, "a string") }
        return s
    }

    func optionalInt(_ key: String, default value: Int?) throws(PaliGemmaError) -> Int? {
        guard let raw = values[key] else { return value }
        if raw is NSNull { return nil }
        guard let n = raw as? NSNumber, n.doubleValue == n.doubleValue.rounded() else {
            throw fail(key, "an integer")
        }
        return n.intValue
    }

    func int(_ key: String, default value: Int) throws(PaliGemmaError) -> Int {
        try optionalInt(key, default: value) ?? value
    }

    /// `eos_token_id` may be a list; the first entry is the model's end token.
    func firstInt(_ key: String, default value: Int) throws(PaliGemmaError) -> Int {
        if let list = values[key] as? [NSNumber] {
            guard let first = list.first else { throw fail(key, "a non-empty list") }
            return first.intValue
        }
        return try int(key, default: value)
    }

    func optionalDouble(_ key: String, default value: Double?) throws(PaliGemmaError) -> Double? {
        guard let raw = values[key] else { return value }
        if raw is NSNull { return nil }
        guard let n = raw as? NSNumber else { throw fail(key, "a number") }
        return n.doubleValue
    }

    func double(_ key: String, default value: Double) throws(PaliGemmaError) -> Double {
        try optionalDouble(key, default: value) ?? value
    }

    func bool(_ key: String, default value: Bool) throws(PaliGemmaError) -> Bool {
        guard let raw = values[key], !(raw is NSNull) else { return value }
        guard let b = raw as? Bool else { throw fail(key, "true or false") }
        return b
    }

    func stringArray(_ key: String) throws(PaliGemmaError) -> [String]? {
        guard let raw = values[key], !(raw is NSNull) else { return nil }
        guard let list = raw as? [String] else { throw fail(key, "a list of strings") }
        return list
    }

    /// v5 `rope_parameters.rope_theta`, else the older top-level `rope_theta`, else 10000.
    func ropeTheta() throws(PaliGemmaError) -> Double {
        if let raw = values["rope_parameters"], !(raw is NSNull) {
            let parameters = try child("rope_parameters")
            let type = try parameters.string("rope_type", default: "default")
            guard type == "default" else {
                throw PaliGemmaError(
                    file: file, "\(path)rope_parameters.rope_type '\(type)' is not supported")
            }
            if parameters.values["rope_theta"] != nil {
                return try parameters.double("rope_theta", default: 10000)
            }
        }
        return try double("rope_theta", default: 10000)
    }

    /// The MLP activation `key` names (default `gelu_pytorch_tanh`, as transformers).
    func activation(_ key: String) throws(PaliGemmaError) -> Activation {
        let name = try string(key, default: "gelu_pytorch_tanh")
        guard let activation = Activation(configName: name) else {
            throw PaliGemmaError(
                file: file,
                "\(path)\(key) '\(name)' is not supported (expected gelu_pytorch_tanh or gelu)")
        }
        return activation
    }
}
