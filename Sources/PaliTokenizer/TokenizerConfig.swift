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
        for member in root["added_tokens_decoder"]?.members ?? [] {
            guard let token = JSONFile.addedToken(member.value, id: Int(member.key)) else {
                throw TokenizerError.malformed(
                    file: url.path, reason: "added_tokens_decoder[\(member.key)] is not a token")
            }
            tokens.append(token)
        }
        addedTokens = tokens.sorted { $0.id < $1.id }
        func name(_ key: String) -> String? {
            root[key]?.string ?? root[key]?["content"]?.string
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
