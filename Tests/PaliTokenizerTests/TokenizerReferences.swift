import Foundation
import PaliTestSupport
import PaliTokenizer

/// `Tests/Fixtures/tokenizer/references.json`, written by
/// `Tests/Fixtures/generator/generate_tokenizer_fixtures.py` with sentencepiece, tokenizers
/// and transformers.
struct TokenizerReferences: Decodable, Sendable {
    struct StringCase: Decodable, Sendable {
        let text: String
        /// sentencepiece's `encode` with tokenizer.model.
        let model: [Int]
        /// sentencepiece's `decode(model)` where it differs from `text`.
        let modelDecoded: String?
        /// `tokenizers` with tokenizer.json, where it differs from `model`.
        let json: [Int]?
        /// `tokenizers`' `decode(json, skip_special_tokens=True)` where it differs from `text`.
        let jsonDecoded: String?
        /// transformers' AutoTokenizer on the folder, where it differs from `model`.
        let directory: [Int]?

        enum CodingKeys: String, CodingKey {
            case text, model, json, directory
            case modelDecoded = "model_decoded"
            case jsonDecoded = "json_decoded"
        }
    }

    struct BytesCase: Decodable, Sendable {
        let utf8Base64: String
        let model: [Int]
        enum CodingKeys: String, CodingKey {
            case model
            case utf8Base64 = "utf8_base64"
        }
    }

    struct DecodeCase: Decodable, Sendable {
        let ids: [Int]
        let model: String
        let json: String
    }

    struct PlainCase: Decodable, Sendable {
        let text: String
        let model: [Int]
        let modelDecoded: String
        enum CodingKeys: String, CodingKey {
            case text, model
            case modelDecoded = "model_decoded"
        }
    }

    struct PromptCase: Decodable, Sendable {
        let prompt: String
        let imageTokenCount: Int
        let ids: [Int]
        enum CodingKeys: String, CodingKey {
            case prompt, ids
            case imageTokenCount = "image_token_count"
        }
    }

    /// Added tokens with lstrip/rstrip/single_word/normalized options and the ids
    /// `tokenizers` gives with them appended to tokenizer.json's.
    struct AddedTokenOptions: Decodable, Sendable {
        struct Token: Decodable, Sendable {
            let id: Int
            let content: String
            let singleWord, lstrip, rstrip, normalized, special: Bool
            enum CodingKeys: String, CodingKey {
                case id, content, lstrip, rstrip, normalized, special
                case singleWord = "single_word"
            }
        }
        struct Case: Decodable, Sendable {
            let text: String
            let ids: [Int]
        }
        let tokens: [Token]
        let strings: [Case]
    }

    /// tokenizer.json with its normalizer, pre_tokenizer and decoder replaced by `stages`
    /// (a JSON object text), and what `tokenizers` gives with them.
    struct StageVariant: Decodable, Sendable {
        struct Case: Decodable, Sendable {
            let text: String
            let ids: [Int]
            let decoded: String
        }
        let stages: String
        let strings: [Case]
    }

    let strings: [StringCase]
    let bytes: [BytesCase]
    let decode: [DecodeCase]
    let plainModel: [PlainCase]
    let unusedModel: [PlainCase]
    let optionsModel: [PlainCase]
    let addedTokenOptions: AddedTokenOptions
    let stageVariants: [StageVariant]
    let prompts: [PromptCase]
    let imageTokenID: Int

    enum CodingKeys: String, CodingKey {
        case strings, bytes, decode, prompts
        case plainModel = "plain_model"
        case unusedModel = "unused_model"
        case optionsModel = "options_model"
        case addedTokenOptions = "added_token_options"
        case stageVariants = "stage_variants"
        case imageTokenID = "image_token_id"
    }

    /// The reference strings (as Swift literals) that `tokenizer` encodes to other ids than
    /// `expected` gives.
    func encodingMismatches(
        of tokenizer: GemmaTokenizer, expected: (StringCase) -> [Int]
    ) -> [String] {
        strings.filter { tokenizer.encode($0.text) != expected($0) }.map(\.text.debugDescription)
    }

    /// The fixture folder.
    static let folder = FixturePaths.fixture("tokenizer")

    /// The parsed references (read once).
    static let shared: TokenizerReferences = {
        let url = folder.appendingPathComponent("references.json")
        do {
            return try JSONDecoder().decode(TokenizerReferences.self, from: Data(contentsOf: url))
        } catch {
            preconditionFailure("cannot read \(url.path): \(error)")
        }
    }()

    /// Tokenizers read once per test process.
    static let modelTokenizer = load {
        try GemmaTokenizer(modelFile: folder.appendingPathComponent("tokenizer.model"))
    }
    static let jsonTokenizer = load {
        try GemmaTokenizer(tokenizerJSON: folder.appendingPathComponent("tokenizer.json"))
    }
    static let folderTokenizer = load { try GemmaTokenizer.load(directory: folder) }

    private static func load(_ body: () throws -> GemmaTokenizer) -> GemmaTokenizer {
        do { return try body() } catch { preconditionFailure("fixture tokenizer: \(error)") }
    }
}
