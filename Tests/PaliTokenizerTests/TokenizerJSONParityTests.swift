import Foundation
import PaliTestSupport
import PaliTokenizer
import Testing

/// `tokenizer.json` against the `tokenizers` library, and checkpoint folders against
/// transformers' AutoTokenizer.
@Suite struct TokenizerJSONParityTests {
    let references = TokenizerReferences.shared

    @Test func encodesEveryReferenceStringLikeTokenizers() {
        let tokenizer = TokenizerReferences.jsonTokenizer
        var mismatches: [String] = []
        for reference in references.strings
        where tokenizer.encode(reference.text) != reference.json ?? reference.model {
            mismatches.append(reference.text.debugDescription)
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(5))")
    }

    @Test func decodesLikeTokenizersSkippingSpecialTokens() throws {
        let tokenizer = TokenizerReferences.jsonTokenizer
        for reference in references.strings {
            let decoded = try tokenizer.decode(reference.json ?? reference.model)
            #expect(decoded == reference.jsonDecoded ?? reference.text, "\(reference.text.debugDescription)")
        }
        for reference in references.decode {
            #expect(try tokenizer.decode(reference.ids) == reference.json, "\(reference.ids)")
        }
    }

    @Test func checkpointFolderEncodesLikeTransformers() {
        let tokenizer = TokenizerReferences.folderTokenizer
        var mismatches: [String] = []
        for reference in references.strings
        where tokenizer.encode(reference.text) != reference.directory ?? reference.model {
            mismatches.append(reference.text.debugDescription)
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(5))")
    }

    @Test func addedTokensComeFromTheFiles() throws {
        for tokenizer in [TokenizerReferences.jsonTokenizer, TokenizerReferences.folderTokenizer] {
            #expect(tokenizer.imageTokenID == references.imageTokenID)
            #expect(tokenizer.id(of: "<image>") == references.imageTokenID)
            #expect(tokenizer.count == references.imageTokenID + 1)
            #expect(tokenizer.bosID == 2 && tokenizer.eosID == 1 && tokenizer.padID == 0)
            #expect(tokenizer.id(of: "<loc0123>") == 823)
            #expect(try tokenizer.decode([references.imageTokenID, 2, 823]) == "<loc0123>")
        }
    }

    @Test(arguments: [
        ["tokenizer.json", "tokenizer_config.json"], ["tokenizer.model", "tokenizer_config.json"],
        ["tokenizer.model", "tokenizer.json"],
    ])
    func folderWithSomeOfTheFilesGivesTheSameIds(files: [String]) throws {
        let folder = try TemporaryDirectory("tokenizer-folder")
        for name in files {
            try FileManager.default.copyItem(
                at: TokenizerReferences.folder.appendingPathComponent(name), to: folder.file(name))
        }
        let tokenizer = try GemmaTokenizer.load(directory: folder.url)
        #expect(tokenizer.imageTokenID == references.imageTokenID)
        for reference in references.strings.prefix(400) {
            #expect(tokenizer.encode(reference.text) == reference.directory ?? reference.model)
        }
    }

    @Test func folderWithOnlyTheModelIsPlainSentencePiece() throws {
        let folder = try TemporaryDirectory("tokenizer-folder")
        try FileManager.default.copyItem(
            at: TokenizerReferences.folder.appendingPathComponent("tokenizer.model"),
            to: folder.file("tokenizer.model"))
        let tokenizer = try GemmaTokenizer.load(directory: folder.url)
        #expect(tokenizer.imageTokenID == nil)
        #expect(tokenizer.encode("<bos>") == TokenizerReferences.modelTokenizer.encode("<bos>"))
        #expect(tokenizer.encode("<bos>").count > 1)
    }
}
