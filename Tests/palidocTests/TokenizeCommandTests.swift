import Foundation
import PaliTestSupport
import Testing

/// `palidoc tokenize`, run as a user runs it, on the tokenizer fixtures.
@Suite struct TokenizeCommandTests {
    let folder = FixturePaths.fixture("tokenizer")
    var model: String { folder.appendingPathComponent("tokenizer.model").path }

    /// sentencepiece's ids for a few strings (from Tests/Fixtures/tokenizer/references.json).
    private func referenceIDs(_ text: String) throws -> [Int] {
        let data = try Data(contentsOf: folder.appendingPathComponent("references.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let strings = try #require(root["strings"] as? [[String: Any]])
        let entry = try #require(strings.first { $0["text"] as? String == text })
        return try #require(entry["model"] as? [Int])
    }

    @Test(arguments: ["tokenizer.model", "tokenizer.json", "."])
    func encodesTextWithEachKindOfTokenizerPath(path: String) throws {
        let text = "The quick brown fox jumps over the lazy dog."
        let result = try PalidocProcess.run([
            "tokenize", "--tokenizer", folder.appendingPathComponent(path).path, "--text", text,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let expected = try referenceIDs(text).map(String.init).joined(separator: ",")
        #expect(result.stdout == expected + "\n")
    }

    @Test func encodesAFileAndPrintsJSON() throws {
        let directory = try TemporaryDirectory("tokenize-cli")
        let input = directory.file("input.txt")
        let text = "东京 <loc0123> tabs\tand\nnewlines"
        try Data(text.utf8).write(to: input)
        let result = try PalidocProcess.run([
            "tokenize", "--tokenizer", model, "--file", input.path, "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let ids = try #require(object["ids"] as? [Int])
        let pieces = try #require(object["pieces"] as? [String])
        #expect(ids.count == pieces.count)
        #expect(pieces.contains("<loc0123>"))
        #expect(pieces.contains("\n"))

        let decoded = try PalidocProcess.run([
            "tokenize", "--tokenizer", model, "--decode",
            ids.map(String.init).joined(separator: ","), "--json",
        ])
        #expect(decoded.status == 0, "\(decoded.stderr)")
        let decodedObject = try #require(
            try JSONSerialization.jsonObject(with: Data(decoded.stdout.utf8)) as? [String: Any])
        #expect(decodedObject["text"] as? String == text)
    }

    @Test func decodesIdsToText() throws {
        let result = try PalidocProcess.run([
            "tokenize", "--tokenizer", model, "--decode", "2, 700,4 ,1",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "<loc0000>\n\n")
    }

    @Test func benchmarkPrintsASpeed() throws {
        let result = try PalidocProcess.run([
            "tokenize", "--tokenizer", model, "--text", "Invoice 12345 東京 🙂", "--benchmark",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("MB/s"))
    }

    @Test func errorsAreOneLineNamingTheFile() throws {
        let directory = try TemporaryDirectory("tokenize-cli")
        let missing = directory.file("missing.model").path
        let corrupt = directory.file("tokenizer.model")
        try Data([0x0A, 0x7F, 0x01]).write(to: corrupt)
        let empty = try TemporaryDirectory("tokenize-cli-empty")
        let cases: [([String], String)] = [
            (["--tokenizer", missing, "--text", "a"], missing),
            (["--tokenizer", corrupt.path, "--text", "a"], corrupt.path),
            (["--tokenizer", empty.url.path, "--text", "a"], "no tokenizer.model"),
            (["--tokenizer", model, "--decode", "1,999999"], model),
            (["--tokenizer", model, "--decode", "1,x"], "--decode"),
            (["--tokenizer", model, "--file", missing], missing),
        ]
        for (arguments, mention) in cases {
            let result = try PalidocProcess.run(["tokenize"] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stdout.isEmpty)
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(result.stderr)")
            #expect(result.stderr.hasPrefix("palidoc: error: "), "\(result.stderr)")
            #expect(result.stderr.contains(mention), "\(result.stderr)")
        }
    }

    @Test func needsExactlyOneInput() throws {
        for arguments in [
            ["--tokenizer", model], ["--tokenizer", model, "--text", "a", "--decode", "1"],
            ["--tokenizer", model, "--decode", "1", "--benchmark"],
        ] {
            let result = try PalidocProcess.run(["tokenize"] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(!result.stderr.isEmpty)
        }
    }
}
