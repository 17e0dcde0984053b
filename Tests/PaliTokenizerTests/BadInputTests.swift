import Foundation
import PaliTestSupport
import PaliTokenizer
import Testing

/// Broken, foreign and unsupported files give a thrown `TokenizerError` naming the file.
@Suite struct BadInputTests {
    static let modelBytes: [UInt8] = {
        let url = TokenizerReferences.folder.appendingPathComponent("tokenizer.model")
        return (try? Array(Data(contentsOf: url))) ?? []
    }()

    /// Writes `bytes` to a temporary file and tries to load it as a tokenizer.model.
    private func loadModel(_ bytes: [UInt8]) throws -> (TokenizerError?, String) {
        let folder = try TemporaryDirectory("bad-model")
        let url = folder.file("tokenizer.model")
        try Data(bytes).write(to: url)
        do {
            _ = try GemmaTokenizer(modelFile: url)
            return (nil, url.path)
        } catch let error as TokenizerError {
            return (error, url.path)
        }
    }

    /// A protobuf field: key, then a length-delimited payload.
    private func field(_ number: UInt8, _ payload: [UInt8]) -> [UInt8] {
        precondition(payload.count < 128)
        return [number << 3 | 2, UInt8(payload.count)] + payload
    }

    @Test(arguments: [1, 2, 100, 5_000, 20_000, 33_000])
    func truncatedModelThrows(length: Int) throws {
        let (error, path) = try loadModel(Array(Self.modelBytes.prefix(length)))
        let thrown = try #require(error)
        #expect(thrown.description.contains(path))
    }

    /// Random byte flips: each file either loads (the flip hit piece text or a score) and
    /// then encodes and decodes, or throws an error naming it.
    @Test func corruptModelsThrowOrStillWork() throws {
        var random = SeededRandom(seed: 0x5EED)
        var thrown = 0
        for trial in 0..<60 {
            var bytes = Self.modelBytes
            for _ in 0..<(1 + trial % 8) {
                bytes[random.next(bytes.count)] = UInt8(random.next(256))
            }
            let folder = try TemporaryDirectory("corrupt-model")
            let url = folder.file("tokenizer.model")
            try Data(bytes).write(to: url)
            do {
                let tokenizer = try GemmaTokenizer(modelFile: url)
                let ids = tokenizer.encode("Invoice <loc0001> 東京 🙂 12")
                #expect(!ids.isEmpty && ids.allSatisfy { (0..<tokenizer.count).contains($0) })
                _ = try tokenizer.decode(ids)
            } catch let error as TokenizerError {
                thrown += 1
                #expect(error.description.contains(url.path))
            }
        }
        #expect(thrown > 0)
    }

    @Test func wrongFileTypesThrow() throws {
        let json = TokenizerReferences.folder.appendingPathComponent("tokenizer.json")
        let (jsonError, _) = try loadModel(Array(try Data(contentsOf: json)))
        #expect(jsonError?.description.contains("JSON") == true)
        let (emptyError, _) = try loadModel([])
        #expect(emptyError?.description.contains("no pieces") == true)
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
        #expect(try loadModel(png).0 != nil)
        let text = Array("hello, this is not a model\n".utf8)
        #expect(try loadModel(text).0 != nil)
        // A model file where a tokenizer.json is expected, and a folder without tokenizers.
        let modelURL = TokenizerReferences.folder.appendingPathComponent("tokenizer.model")
        do {
            _ = try GemmaTokenizer(tokenizerJSON: modelURL)
            Issue.record("a tokenizer.model loaded as tokenizer.json")
        } catch let error as TokenizerError {
            #expect(error.description.hasPrefix(modelURL.path + ": not valid JSON"))
        }
        let empty = try TemporaryDirectory("no-tokenizer")
        #expect(throws: TokenizerError.noTokenizerFile(directory: empty.url.path)) {
            try GemmaTokenizer.load(directory: empty.url)
        }
        let missing = empty.file("missing.model")
        #expect(throws: TokenizerError.unreadable(file: missing.path, reason: "no such file")) {
            try GemmaTokenizer(modelFile: missing)
        }
        #expect(throws: TokenizerError.unreadable(file: empty.url.path, reason: "is a directory")) {
            try GemmaTokenizer(modelFile: empty.url)
        }
    }

    @Test func unsupportedModelSettingsAreRejected() throws {
        // A later trainer_spec / normalizer_spec merges into the earlier one, as protobuf does.
        let unigram = Self.modelBytes + field(2, [3 << 3, 1])  // model_type: UNIGRAM
        let (unigramError, _) = try loadModel(unigram)
        #expect(unigramError?.description.contains("model type UNIGRAM") == true)
        let nfkc =
            Self.modelBytes
            + field(3, field(1, Array("nmt_nfkc".utf8)) + field(2, [1, 2, 3, 4]))
        let (nfkcError, _) = try loadModel(nfkc)
        #expect(nfkcError?.description.contains("nmt_nfkc") == true)
        #expect(nfkcError?.description.contains("unsupported") == true)
        let denormalizer = Self.modelBytes + field(5, field(2, [9, 9]))
        #expect(try loadModel(denormalizer).0 != nil)
        let noByteFallback = Self.modelBytes + field(2, [35 << 3 & 0x7F | 0x80, 35 >> 4, 0])
        let (byteError, _) = try loadModel(noByteFallback)
        #expect(byteError?.description.contains("byte_fallback") == true)
    }

    @Test func duplicatePiecesAndMissingUnknownAreRejected() throws {
        // A second "<pad>" piece of type CONTROL.
        let duplicate = Self.modelBytes + field(1, field(1, Array("<pad>".utf8)) + [3 << 3, 3])
        let (duplicateError, _) = try loadModel(duplicate)
        #expect(duplicateError?.description.contains("defined twice") == true)
        let badType = Self.modelBytes + field(1, field(1, Array("zz".utf8)) + [3 << 3, 9])
        #expect(try loadModel(badType).0?.description.contains("unknown type") == true)
        let onlyNormal = field(1, field(1, Array("a".utf8))) + field(2, [3 << 3, 2])
        #expect(try loadModel(onlyNormal).0?.description.contains("no unknown piece") == true)
    }

    @Test func outOfRangeIdsThrowWhenDecoding() throws {
        for tokenizer in [
            TokenizerReferences.modelTokenizer, TokenizerReferences.jsonTokenizer,
            TokenizerReferences.folderTokenizer,
        ] {
            for id in [-1, tokenizer.count, tokenizer.count + 1000, Int.max, Int.min] {
                #expect(
                    throws: TokenizerError.idOutOfRange(
                        file: tokenizer.source, id: id, count: tokenizer.count)
                ) {
                    try tokenizer.decode([5, id])
                }
            }
        }
    }

    @Test func brokenJSONFilesThrow() throws {
        let folder = try TemporaryDirectory("bad-json")
        let cases: [(String, String)] = [
            ("{", "not valid JSON"),
            ("[1, 2]", "not an object"),
            ("{\"model\": {\"type\": \"Unigram\", \"vocab\": []}}", "model type Unigram"),
            (
                "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}, \"merges\": [\"a b\"]}}",
                "not in the vocabulary"
            ),
            (
                "{\"model\": {\"vocab\": {\"a\": 0}}, \"normalizer\": {\"type\": \"NFKC\"}}",
                "normalizer NFKC"
            ),
            ("{\"model\": {\"vocab\": {\"a\": \"x\"}}}", "not an integer id"),
            ("{\"model\": {\"vocab\": {\"<bos>\": 0}}}", "no piece <eos>"),
            (
                "{\"model\": {\"vocab\": {\"a\": 0}}, \"added_tokens\": [{\"id\": 99999999999, "
                    + "\"content\": \"x\"}]}", "implausibly large"
            ),
            ("{\"model\": {\"vocab\": {\"a\": 12345678901}}}", "out of range"),
            ("{\"model\": {\"vocab\": {\"a\": 50000000}}}", "too large"),
        ]
        for (index, (text, reason)) in cases.enumerated() {
            let url = folder.file("tokenizer\(index).json")
            try Data(text.utf8).write(to: url)
            do {
                _ = try GemmaTokenizer(tokenizerJSON: url)
                Issue.record("\(text) loaded")
            } catch let error as TokenizerError {
                #expect(error.description.contains(url.path))
                #expect(error.description.contains(reason), "\(error)")
            }
        }
    }
}
