import Foundation
import PaliTokenizer
import Testing

/// `tokenizer.model` against the `sentencepiece` library, id for id.
@Suite struct SentencePieceParityTests {
    let references = TokenizerReferences.shared
    let tokenizer = TokenizerReferences.modelTokenizer

    @Test func encodesEveryReferenceStringLikeSentencePiece() {
        let mismatches = references.encodingMismatches(of: tokenizer) { $0.model }
        #expect(references.strings.count > 1500)
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(5))")
    }

    @Test func decodesLikeSentencePieceAndRoundTrips() throws {
        var mismatches: [String] = []
        for reference in references.strings {
            let decoded = try tokenizer.decode(reference.model)
            if decoded != (reference.modelDecoded ?? reference.text) {
                mismatches.append(reference.text.debugDescription)
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(5))")
    }

    @Test func replacesMalformedUTF8BytesLikeSentencePiece() throws {
        var mismatches: [String] = []
        for reference in references.bytes {
            let bytes = try #require(Data(base64Encoded: reference.utf8Base64))
            if tokenizer.encode(utf8: Array(bytes)) != reference.model {
                mismatches.append(reference.utf8Base64)
            }
        }
        #expect(references.bytes.count > 100)
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(5))")
    }

    @Test func decodesArbitraryIdSequencesLikeSentencePiece() throws {
        for reference in references.decode {
            #expect(try tokenizer.decode(reference.ids) == reference.model, "\(reference.ids)")
        }
    }

    /// plain.model: no byte fallback (unknown runs), dummy prefix, extra-space removal;
    /// unused.model: the same with UNUSED pieces, merged through and split back;
    /// options.model: dummy suffix, spaces not escaped, extra spaces kept.
    @Test(arguments: ["plain.model", "unused.model", "options.model"])
    func variantModelsMatch(file: String) throws {
        let plain = try GemmaTokenizer(
            modelFile: TokenizerReferences.folder.appendingPathComponent(file))
        #expect(plain.bosID == plain.id(of: "<s>"))
        let cases =
            [
                "plain.model": references.plainModel, "unused.model": references.unusedModel,
                "options.model": references.optionsModel,
            ][file] ?? []
        #expect(cases.count >= 200)
        var mismatches: [String] = []
        for reference in cases {
            let decoded = try plain.decode(reference.model)
            if plain.encode(reference.text) != reference.model || decoded != reference.modelDecoded
            {
                mismatches.append(reference.text.debugDescription)
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(5))")
    }

    @Test func looksUpSpecialPiecesByName() {
        #expect(tokenizer.padID == 0)
        #expect(tokenizer.eosID == 1)
        #expect(tokenizer.bosID == 2)
        #expect(tokenizer.id(of: "<unk>") == 3)
        #expect(tokenizer.id(of: "\n") == 4)
        #expect(tokenizer.id(of: "<loc0000>") == 700)
        #expect(tokenizer.id(of: "<seg127>") == 700 + 1024 + 127)
        #expect(tokenizer.piece(of: 700 + 1023) == "<loc1023>")
        #expect(tokenizer.count == 700 + 1024 + 128)
        #expect(tokenizer.imageTokenID == nil)
        #expect(tokenizer.piece(of: tokenizer.count) == nil)
        #expect(tokenizer.piece(of: -1) == nil)
        #expect(tokenizer.id(of: "<image>") == nil)
        #expect(tokenizer.id(ofLocation: 0) == 700 && tokenizer.id(ofLocation: 1023) == 1723)
        #expect(tokenizer.id(ofSegment: 5) == 1729 && tokenizer.id(ofSegment: 127) == 1851)
        #expect(tokenizer.id(ofLocation: 1024) == nil && tokenizer.id(ofSegment: 128) == nil)
        #expect(tokenizer.id(ofLocation: -1) == nil)
    }
}
