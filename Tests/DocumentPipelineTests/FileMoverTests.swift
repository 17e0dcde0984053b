import Foundation
import PaliTestSupport
import Testing

@testable import DocumentPipeline

@Suite struct FileMoverTests {
    @Test func neverOverwrites() throws {
        let folder = try TemporaryDirectory("mover")
        let a = folder.file("a.txt")
        let b = folder.file("b.txt")
        try "A".write(to: a, atomically: true, encoding: .utf8)
        try "B".write(to: b, atomically: true, encoding: .utf8)
        #expect(throws: FileMover.Failure.destinationExists) {
            try FileMover.renameNoReplace(a, to: b)
        }
        #expect(try String(contentsOf: b, encoding: .utf8) == "B")
        #expect(throws: FileMover.Failure.sourceMissing) {
            try FileMover.renameNoReplace(folder.file("none"), to: folder.file("other"))
        }
    }

    @Test func movesToNumberedNames() throws {
        let folder = try TemporaryDirectory("mover")
        let target = folder.file("out")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try "old".write(
            to: target.appendingPathComponent("x.pdf"), atomically: true, encoding: .utf8)
        try "note".write(
            to: target.appendingPathComponent("x-2.pdf.error.json"), atomically: true,
            encoding: .utf8)
        let source = folder.file("x.pdf")
        try "new".write(to: source, atomically: true, encoding: .utf8)
        let moved = try FileMover.move(
            source, into: target, preferredName: "x.pdf", companionSuffixes: [".error.json"])
        #expect(moved.lastPathComponent == "x-3.pdf")
        #expect(
            try String(contentsOf: target.appendingPathComponent("x.pdf"), encoding: .utf8) == "old"
        )
        #expect(!FileMover.exists(source))
    }

    @Test func directoriesAreNotReplaced() throws {
        let folder = try TemporaryDirectory("mover")
        let source = folder.file("src")
        let destination = folder.file("dst")
        for url in [source, destination] {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        #expect(throws: FileMover.Failure.destinationExists) {
            try FileMover.renameNoReplace(source, to: destination)
        }
        try FileMover.renameNoReplace(source, to: folder.file("fresh"))
        #expect(FileMover.exists(folder.file("fresh")))
    }

    @Test(arguments: [
        ("a.pdf", 2, "a-2.pdf"), ("a.tar.gz", 3, "a.tar-3.gz"), ("README", 2, "README-2"),
        (".env", 2, ".env-2"), ("a.pdf", 1, "a.pdf"),
    ])
    func numbering(name: String, attempt: Int, expected: String) {
        #expect(FileMover.numbered(name, attempt) == expected)
    }
}
