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
        let mismatches = references.encodingMismatches(of: tokenizer) { $0.json ?? $0.model }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(5))")
    }

    @Test func decodesLikeTokenizersSkippingSpecialTokens() throws {
        let tokenizer = TokenizerReferences.jsonTokenizer
        for reference in references.strings {
            let decoded = try tokenizer.decode(reference.json ?? reference.model)
            #expect(
                decoded == reference.jsonDecoded ?? reference.text,
                "\(reference.text.debugDescription)")
        }
        for reference in references.decode {
            #expect(try tokenizer.decode(reference.ids) == reference.json, "\(reference.ids)")
        }
    }

    /// Released Gemma checkpoints carry an older layout: merges as "a b" strings and no
    /// pre-tokenizer (the Split on " " never fires after the normalizer's " " → "▁").
    @Test func olderTokenizerJSONLayoutGivesTheSameIds() throws {
        let url = TokenizerReferences.folder.appendingPathComponent("tokenizer.json")
        var root = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var model = try #require(root["model"] as? [String: Any])
        let merges = try #require(model["merges"] as? [[String]])
        model["merges"] = merges.map { $0.joined(separator: " ") }
        model.removeValue(forKey: "ignore_merges")
        root["model"] = model
        root["pre_tokenizer"] = NSNull()
        let folder = try TemporaryDirectory("old-tokenizer-json")
        let oldURL = folder.file("tokenizer.json")
        try JSONSerialization.data(withJSONObject: root).write(to: oldURL)
        let tokenizer = try GemmaTokenizer(tokenizerJSON: oldURL)
        let mismatches = references.encodingMismatches(of: tokenizer) { $0.json ?? $0.model }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(5))")
    }

    /// A vocabulary with both "é" (U+00E9) and "e" + U+0301: Swift's `String` equality
    /// calls them equal, the tokenizer must not.
    @Test func canonicallyEquivalentPiecesStayDistinct() throws {
        let json = #"""
            {"model": {"type": "BPE", "byte_fallback": false, "unk_token": "<unk>",
             "vocab": {"<pad>": 0, "<eos>": 1, "<bos>": 2, "<unk>": 3, "e": 4, "\u0301": 5,
                       "e\u0301": 6, "\u00e9": 7},
             "merges": [["e", "\u0301"]]},
             "decoder": {"type": "Sequence", "decoders": [{"type": "Fuse"}]}}
            """#
        let folder = try TemporaryDirectory("equivalent-pieces")
        let url = folder.file("tokenizer.json")
        try Data(json.utf8).write(to: url)
        let tokenizer = try GemmaTokenizer(tokenizerJSON: url)
        #expect(tokenizer.encode("\u{E9}") == [7])
        #expect(tokenizer.encode("e\u{301}") == [6])
        #expect(tokenizer.id(of: "\u{E9}") == 7)
        #expect(tokenizer.id(of: "e\u{301}") == 6)
        #expect(try tokenizer.decode([6, 7]).unicodeScalars.count == 3)
    }

    @Test func addedTokenOptionsBehaveLikeTokenizers() throws {
        let options = references.addedTokenOptions
        #expect(options.tokens.count == 6 && options.strings.count > 250)
        let url = TokenizerReferences.folder.appendingPathComponent("tokenizer.json")
        var text = try String(contentsOf: url, encoding: .utf8)
        let entries = try options.tokens.map { token in
            let object: [String: Any] = [
                "id": token.id, "content": token.content, "single_word": token.singleWord,
                "lstrip": token.lstrip, "rstrip": token.rstrip, "normalized": token.normalized,
                "special": token.special,
            ]
            return String(
                decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
        let marker = "\"added_tokens\": ["
        let insertion = try #require(text.range(of: marker))
        text.insert(contentsOf: entries.joined(separator: ",") + ",", at: insertion.upperBound)
        let folder = try TemporaryDirectory("added-token-options")
        let optionedURL = folder.file("tokenizer.json")
        try Data(text.utf8).write(to: optionedURL)
        let tokenizer = try GemmaTokenizer(tokenizerJSON: optionedURL)
        for reference in options.strings {
            #expect(
                tokenizer.encode(reference.text) == reference.ids,
                "\(reference.text.debugDescription)")
        }
    }

    /// Split behaviours, Prepend, Strip, stage sequences and no decoder, against `tokenizers`.
    @Test func otherPipelineStagesBehaveLikeTokenizers() throws {
        #expect(references.stageVariants.count == 8)
        let url = TokenizerReferences.folder.appendingPathComponent("tokenizer.json")
        let base = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let folder = try TemporaryDirectory("stage-variants")
        for (index, variant) in references.stageVariants.enumerated() {
            let stages = try #require(
                try JSONSerialization.jsonObject(with: Data(variant.stages.utf8)) as? [String: Any])
            let changed = base.merging(stages) { $1 }
            let variantURL = folder.file("tokenizer\(index).json")
            try JSONSerialization.data(withJSONObject: changed).write(to: variantURL)
            let tokenizer = try GemmaTokenizer(tokenizerJSON: variantURL)
            for reference in variant.strings {
                #expect(tokenizer.encode(reference.text) == reference.ids, "\(variant.stages)")
                #expect(
                    try tokenizer.decode(reference.ids) == reference.decoded, "\(variant.stages)")
            }
        }
    }

    @Test func checkpointFolderEncodesLikeTransformers() {
        let tokenizer = TokenizerReferences.folderTokenizer
        let mismatches = references.encodingMismatches(of: tokenizer) { $0.directory ?? $0.model }
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

    /// Added tokens are merged from tokenizer_config.json and tokenizer.json; a conflict is
    /// an error naming the folder.
    @Test func addedTokensMergeFromBothFilesAndMustAgree() throws {
        let folder = try TemporaryDirectory("tokenizer-merge")
        for name in ["tokenizer.model", "tokenizer.json"] {
            try FileManager.default.copyItem(
                at: TokenizerReferences.folder.appendingPathComponent(name), to: folder.file(name))
        }
        let image = references.imageTokenID
        func writeConfig(_ content: String) throws {
            let config = """
                {"added_tokens_decoder": {"\(image)": {"content": "\(content)", "special": true}}}
                """
            try Data(config.utf8).write(to: folder.file("tokenizer_config.json"))
        }
        try writeConfig("<image>")
        #expect(try GemmaTokenizer.load(directory: folder.url).imageTokenID == image)
        try writeConfig("<picture>")
        do {
            _ = try GemmaTokenizer.load(directory: folder.url)
            Issue.record("conflicting added tokens were accepted")
        } catch let error as TokenizerError {
            #expect(error.description.contains(folder.url.path))
            #expect(error.description.contains("<picture>"))
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
