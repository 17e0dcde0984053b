import PaliTokenizer

extension PaliGemmaModel {
    /// The prefix ids for one image and `prompt` (`<image>`×N, `<bos>`, prompt, `\n`), as
    /// transformers' PaliGemmaProcessor builds them; checks that the tokenizer's `<image>` id
    /// is the one `config.json` names.
    public func inputIDs(prompt: String, tokenizer: GemmaTokenizer) throws -> [Int] {
        guard tokenizer.imageTokenID == configuration.imageTokenIndex else {
            let found = tokenizer.imageTokenID.map(String.init) ?? "none"
            throw PaliGemmaError(
                file: directory,
                "the tokenizer's <image> id (\(found)) differs from config.json's"
                    + " image_token_index \(configuration.imageTokenIndex)")
        }
        return try PaliGemmaPrompt.inputIDs(
            prompt: prompt, imageTokenCount: configuration.vision.tokens, tokenizer: tokenizer)
    }

    /// The text of generated `ids`, cut at the first `<eos>` (as big_vision strips it).
    public func text(of ids: [Int], tokenizer: GemmaTokenizer) throws -> String {
        try tokenizer.decode(Array(ids.prefix { $0 != configuration.eosTokenID }))
    }
}
