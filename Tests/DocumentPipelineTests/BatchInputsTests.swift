import DocumentPipeline
import Foundation
import PaliTestSupport
import Testing

@Suite struct BatchInputsTests {
    @Test func documentsAreFoundByContentRecursivelyOutsideTheOutputFolder() throws {
        let temp = try TemporaryDirectory("inputs")
        let root = temp.file("in")
        let out = root.appendingPathComponent("out")
        for folder in [
            root.appendingPathComponent("sub/deeper"), out, root.appendingPathComponent(".hidden"),
        ] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        let png = try RealEngine.png(seed: 1)
        try png.write(to: root.appendingPathComponent("sub/deeper/image.dat"))  // any name
        try png.write(to: out.appendingPathComponent("earlier-result.png"))
        try png.write(to: root.appendingPathComponent(".hidden/secret.png"))
        try Data("%PDF-1.7 broken".utf8).write(to: root.appendingPathComponent("b.pdf"))
        try Data().write(to: root.appendingPathComponent("empty.tif"))
        try Data("**kern\n*-\n".utf8).write(to: root.appendingPathComponent("score.krn"))
        try Data("text".utf8).write(to: root.appendingPathComponent("named.png"))

        let inputs = BatchInputs.collect(
            [root.path, root.appendingPathComponent("b.pdf").path, temp.file("missing").path],
            excluding: out)
        #expect(
            inputs.documents.map(\.lastPathComponent) == ["b.pdf", "empty.tif", "image.dat"])
        #expect(inputs.skipped.map(\.file.lastPathComponent) == ["named.png", "score.krn"])
        #expect(inputs.unreadable.map(\.file.lastPathComponent) == ["missing"])
        #expect(inputs.unreadable.first?.reason == "no such file or directory")
    }
}
