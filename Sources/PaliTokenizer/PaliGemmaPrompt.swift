/// PaliGemma's model input: image placeholders, `<bos>`, the prompt and a `\n` separator.
public enum PaliGemmaPrompt {
    /// `<image>`×imageTokenCount + `<bos>` + prompt + `\n`, ids exactly as transformers'
    /// PaliGemmaProcessor produces.
    public static func inputIDs(prompt: String, imageTokenCount: Int, tokenizer: GemmaTokenizer)
        throws -> [Int]
    {
        guard imageTokenCount >= 0 else {
            throw TokenizerError.invalidPrompt(
                reason: "negative image token count \(imageTokenCount)")
        }
        guard let imageID = tokenizer.imageTokenID, let image = tokenizer.piece(of: imageID) else {
            throw TokenizerError.missingToken(file: tokenizer.source, piece: "<image>")
        }
        // The processor treats a prompt that already holds image tokens differently (it
        // places `<bos>` after the last one); palidoc never builds such prompts.
        guard !prompt.contains(image) else {
            throw TokenizerError.invalidPrompt(reason: "the prompt contains \(image)")
        }
        return layout(
            imageID: imageID, imageTokenCount: imageTokenCount, bosID: tokenizer.bosID,
            promptIDs: tokenizer.encodeAsTransformers(prompt + "\n"))
    }

    /// The processor's layout of a prefix: `<image>`×`imageTokenCount`, `<bos>`, then the ids
    /// of the prompt and its `\n`.
    public static func layout(imageID: Int, imageTokenCount: Int, bosID: Int, promptIDs: [Int])
        -> [Int]
    {
        Array(repeating: imageID, count: imageTokenCount) + [bosID] + promptIDs
    }
}
