import Foundation
import PaliTestSupport
import Testing

/// `palidoc schema` prints and saves the document schema.
@Suite struct SchemaCommandTests {
    @Test func printsAndSavesTheSchema() throws {
        let printed = try PalidocProcess.run(["schema"])
        #expect(printed.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(printed.stdout.utf8))
        #expect((object as? [String: Any])?["title"] as? String == "palidoc document")
        let dir = try TemporaryDirectory("schema")
        let saved = try PalidocProcess.run(["schema", "--output", dir.file("s.json").path])
        #expect(saved.status == 0)
        #expect(
            try String(contentsOf: dir.file("s.json"), encoding: .utf8) + "\n" == printed.stdout)
        let blocked = dir.file("s.json/inside.json").path
        let failed = try PalidocProcess.run(["schema", "--output", blocked])
        #expect(failed.status != 0)
        #expect(failed.stderr.hasPrefix("palidoc: error: \(blocked): "))
    }
}
