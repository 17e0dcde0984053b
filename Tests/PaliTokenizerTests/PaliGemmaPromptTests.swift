import Foundation
import PaliTestSupport
import PaliTokenizer
import Testing

/// Prompt assembly against transformers' PaliGemmaProcessor.
@Suite struct PaliGemmaPromptTests {
    let references = TokenizerReferences.shared

    @Test func matchesThePaliGemmaProcessor() throws {
        #expect(references.prompts.count >= 10)
        for tokenizer in [
            TokenizerReferences.folderTokenizer, TokenizerReferences.jsonTokenizer,
        ] {
            for reference in references.prompts {
                let ids = try PaliGemmaPrompt.inputIDs(
                    prompt: reference.prompt, imageTokenCount: reference.imageTokenCount,
                    tokenizer: tokenizer)
                #expect(ids == reference.ids, "\(reference.prompt.debugDescription)")
            }
        }
    }

    @Test func bareModelPlusAnImageTokenMatchesToo() throws {
        // A folder with tokenizer.model and a config that declares only <image>.
        let folder = try TemporaryDirectory("tokenizer-prompt")
        try FileManager.default.copyItem(
            at: TokenizerReferences.folder.appendingPathComponent("tokenizer.model"),
            to: folder.file("tokenizer.model"))
        let image = references.imageTokenID
        let config = """
            {"added_tokens_decoder": {"\(image)": {"content": "<image>", "special": true,
            "normalized": false, "lstrip": false, "rstrip": false, "single_word": false}}}
            """
        try Data(config.utf8).write(to: folder.file("tokenizer_config.json"))
        let tokenizer = try GemmaTokenizer.load(directory: folder.url)
        #expect(tokenizer.imageTokenID == image)
        let plain = try #require(references.prompts.first { $0.prompt == "caption en" })
        #expect(
            try PaliGemmaPrompt.inputIDs(
                prompt: "caption en", imageTokenCount: 4, tokenizer: tokenizer)
                == plain.ids)
    }

    @Test func rejectsPromptsTheProcessorWouldTreatDifferently() throws {
        let tokenizer = TokenizerReferences.folderTokenizer
        #expect(throws: TokenizerError.self) {
            try PaliGemmaPrompt.inputIDs(
                prompt: "a <image> b", imageTokenCount: 4, tokenizer: tokenizer)
        }
        #expect(throws: TokenizerError.self) {
            try PaliGemmaPrompt.inputIDs(prompt: "a", imageTokenCount: -1, tokenizer: tokenizer)
        }
        #expect(
            throws: TokenizerError.missingToken(
                file: TokenizerReferences.modelTokenizer.source, piece: "<image>")
        ) {
            try PaliGemmaPrompt.inputIDs(
                prompt: "a", imageTokenCount: 4, tokenizer: TokenizerReferences.modelTokenizer)
        }
    }
}
