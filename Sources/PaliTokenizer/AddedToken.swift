/// A token matched in the text before the model sees it (`tokenizers`' `AddedToken`), read
/// from `tokenizer.json` `added_tokens` or `tokenizer_config.json` `added_tokens_decoder`.
public struct AddedToken: Sendable, Equatable {
    /// The token's id.
    public let id: Int
    /// The text it matches.
    public let content: String
    /// Special tokens are dropped when decoding.
    public let special: Bool
    /// Matched in the normalized text (true) or in the raw text (false).
    public let normalized: Bool
    /// Also swallows whitespace on its left.
    public let lstrip: Bool
    /// Also swallows whitespace on its right.
    public let rstrip: Bool
    /// Only matches when not inside a word.
    public let singleWord: Bool

    /// A token with all options given.
    public init(
        id: Int, content: String, special: Bool, normalized: Bool, lstrip: Bool = false,
        rstrip: Bool = false, singleWord: Bool = false
    ) {
        self.id = id
        self.content = content
        self.special = special
        self.normalized = normalized
        self.lstrip = lstrip
        self.rstrip = rstrip
        self.singleWord = singleWord
    }
}
