import Foundation
import PaliGemma
import PaliTokenizer
import Testing

/// The engine driven through the real tokenizer: prompts give transformers' processor ids,
/// and greedy decoding from them reproduces the reference end to end.
@Suite struct TokenizerIntegrationTests {
    @Test(arguments: ParityFixture.names)
    func promptsGiveTheProcessorIDs(name: String) throws {
        let fixture = try ParityFixture(name)
        let model = try PaliGemmaModel(directory: fixture.directory)
        let tokenizer = try GemmaTokenizer.load(directory: fixture.directory)
        let prompt = try #require(fixture.reference.metadata["prompt"])
        let ids = try model.inputIDs(prompt: prompt, tokenizer: tokenizer)
        #expect(ids == (try fixture.ints("input_ids")))
        let batchJSON = Data(try #require(fixture.reference.metadata["batch_prompts"]).utf8)
        let prompts = try JSONDecoder().decode([String].self, from: batchJSON)
        for (i, prompt) in prompts.enumerated() {
            #expect(
                try model.inputIDs(prompt: prompt, tokenizer: tokenizer)
                    == fixture.ints("batch_input_ids_\(i)"))
        }
    }

    @Test(arguments: ParityFixture.names)
    func greedyFromPromptTextMatches(name: String) throws {
        let fixture = try ParityFixture(name)
        let model = try PaliGemmaModel(directory: fixture.directory)
        let tokenizer = try GemmaTokenizer.load(directory: fixture.directory)
        let ids = try model.inputIDs(prompt: "caption en", tokenizer: tokenizer)
        let output = try model.generate(
            [GenerationRequest(image: try fixture.image(), inputIDs: ids)],
            options: .init(maxNewTokens: 20))[0]
        let expected = try fixture.ints("greedy_ids")
        #expect(output.ids == expected)
        #expect(try model.text(of: output.ids, tokenizer: tokenizer) == tokenizer.decode(expected))
    }
}
