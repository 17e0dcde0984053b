import DocumentExport
import Foundation
import PaliTestSupport
import Testing

/// `palidoc watch` end to end with the real tiny checkpoint.
@Suite struct WatchCommandTests {
    @Test func watchUntilIdleFilesEveryInput() throws {
        let temp = try TemporaryDirectory("watch-cli")
        let inbox = temp.file("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: FixturePaths.fixture("ingest/rgba.png"), to: inbox.appendingPathComponent("a.png"))
        try Data("%PDF-1.4\nbroken\n".utf8).write(to: inbox.appendingPathComponent("bad.pdf"))
        let pipeline = temp.file("p.yaml")
        try """
        tasks: [{task: ocr, max_tokens: 4}]
        dpi: 36
        exporters: [json, markdown]
        """.write(to: pipeline, atomically: true, encoding: .utf8)
        let result = try PalidocProcess.run(
            [
                "watch", inbox.path, "--out", temp.file("out").path, "--pipeline", pipeline.path,
                "--model", FixturePaths.fixture("paligemma2-tiny").path, "--settle", "0.1",
                "--until-idle",
            ], timeout: 120)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("1 done, 1 failed, 0 duplicates"))
        let errors = result.stderr.split(separator: "\n").filter { $0.contains("error:") }
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("palidoc: error: bad.pdf: ") == true)
        #expect(errors.first?.contains("bad.pdf: bad.pdf") == false)
        #expect(result.stderr.contains("random-weight test model"))
        let done = try FileManager.default.contentsOfDirectory(
            atPath: inbox.appendingPathComponent("done").path)
        #expect(done == ["a.png"])
        let failed = try FileManager.default.contentsOfDirectory(
            atPath: inbox.appendingPathComponent("failed").path
        ).sorted()
        #expect(failed == ["bad.pdf", "bad.pdf.error.json"])
        let document = try JSONExporter.read(temp.file("out/a/a.json"))
        #expect(document.pages.count == 1 && document.model?.randomWeights == true)
        #expect(FileManager.default.fileExists(atPath: temp.file("out/a/a.md").path))
    }
}
