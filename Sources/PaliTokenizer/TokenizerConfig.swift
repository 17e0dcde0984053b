import Foundation

/// The parts of a `tokenizer_config.json` that matter for ids: `added_tokens_decoder` and the
/// names of the special tokens.
struct TokenizerConfig {
    /// `added_tokens_decoder`, in id order.
    let addedTokens: [AddedToken]
    let bosToken: String?
    let eosToken: String?
    let padToken: String?

    /// Reads `url`.
    init(contentsOf url: URL) throws {
        let root = try JSONFile.object(at: url)
        var tokens: [AddedToken] = []
        if let decoder = root["added_tokens_decoder"] as? [String: Any] {
            for (key, value) in decoder {
                guard let object = value as? [String: Any],
                    let token = JSONFile.addedToken(object, id: Int(key))
                else {
                    throw TokenizerError.malformed(
                        file: url.path, reason: "added_tokens_decoder[\(key)] is not a token")
                }
                tokens.append(token)
            }
        }
        addedTokens = tokens.sorted { $0.id < $1.id }
        func name(_ key: String) -> String? {
            if let text = root[key] as? String { return text }
            return (root[key] as? [String: Any])?["content"] as? String
        }
        bosToken = name("bos_token")
        eosToken = name("eos_token")
        padToken = name("pad_token")
    }

    /// Replaces the special-token names this config sets.
    func override(_ names: inout GemmaTokenizer.SpecialNames) {
        if let bosToken { names.bos = bosToken }
        if let eosToken { names.eos = eosToken }
        if let padToken { names.pad = padToken }
    }
}
