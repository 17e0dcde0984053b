import DocumentExport
import Foundation
import PaliTestSupport
import Testing

/// A damaged PDF that Poppler can repair is converted with a `repaired` warning by `convert`
/// and `watch`, and refused with `--strict`.
@Suite struct DamagedPDFCommandTests {
    static let model = FixturePaths.fixture("paligemma2-tiny").path
    static let pipelineYAML = """
        tasks: [{task: ocr, max_tokens: 2}]
        dpi: 36
        exporters: [json]
        """

    /// `mixed.pdf` (4 pages) with its `startxref` pointing nowhere, and a pipeline file.
    static func inputs(in temp: TemporaryDirectory) throws -> (pdf: URL, pipeline: URL) {
        var data = try Data(contentsOf: FixturePaths.fixture("ingest/mixed.pdf"))
        let start = try #require(data.range(of: Data("startxref".utf8), options: .backwards))
        data = data.prefix(upTo: start.lowerBound) + Data("startxref\n999\n%%EOF\n".utf8)
        let inbox = temp.file("in")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let pdf = inbox.appendingPathComponent("damaged.pdf")
        try data.write(to: pdf)
        let pipeline = temp.file("p.yaml")
        try pipelineYAML.write(to: pipeline, atomically: true, encoding: .utf8)
        return (pdf, pipeline)
    }

    @Test func convertRepairsAndSaysSoStrictRefuses() throws {
        let temp = try TemporaryDirectory("damaged-cli")
        let (pdf, pipeline) = try Self.inputs(in: temp)
        let arguments = [
            "convert", pdf.path, "--pipeline", pipeline.path, "--model", Self.model,
            "--progress", "none",
        ]
        let result = try PalidocProcess.run(arguments + ["--out", temp.file("out").path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("1 done, 0 failed, 1 repaired;"), "\(result.stdout)")
        #expect(
            result.stderr.contains(
                "palidoc: warning: \(pdf.path): damaged file repaired to be read (4 pages "
                    + "recovered): no cross-reference table at offset 999"), "\(result.stderr)")
        let document = try JSONExporter.read(temp.file("out/damaged/damaged.json"))
        let warning = try #require(document.warnings?.first)
        #expect(warning.code == "repaired" && warning.pagesRecovered == 4)
        #expect(warning.details.contains("no cross-reference table at offset 999"))
        #expect(document.pages.count == 4)

        let strict = try PalidocProcess.run(
            arguments + ["--out", temp.file("strict").path, "--strict"])
        #expect(strict.status == 1)
        #expect(
            strict.stderr.contains(
                "palidoc: error: \(pdf.path): damaged PDF "
                    + "(no cross-reference table at offset 999)"),
            "\(strict.stderr)")
        #expect(!FileManager.default.fileExists(atPath: temp.file("strict/damaged").path))

        // The pipeline key does what the flag does.
        let strictPipeline = temp.file("strict.yaml")
        try (Self.pipelineYAML + "\nstrict: true\n").write(
            to: strictPipeline, atomically: true, encoding: .utf8)
        let keyed = try PalidocProcess.run([
            "convert", pdf.path, "--pipeline", strictPipeline.path, "--model", Self.model,
            "--progress", "none", "--out", temp.file("keyed").path,
        ])
        #expect(keyed.status == 1 && keyed.stderr.contains("damaged PDF"))
    }

    @Test func watchLeavesARepairedNote() throws {
        let temp = try TemporaryDirectory("damaged-watch")
        let (pdf, pipeline) = try Self.inputs(in: temp)
        let inbox = pdf.deletingLastPathComponent()
        let result = try PalidocProcess.run(
            [
                "watch", inbox.path, "--out", temp.file("out").path, "--pipeline", pipeline.path,
                "--model", Self.model, "--settle", "0.1", "--until-idle",
            ], timeout: 120)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("damaged.pdf: done → "), "\(result.stderr)")
        #expect(result.stderr.contains("(damaged file repaired to be read (4 pages recovered)"))
        let done = inbox.appendingPathComponent("done")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: done.path).sorted()
                == ["damaged.pdf", "damaged.pdf.repaired.json"])
        let note = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: done.appendingPathComponent("damaged.pdf.repaired.json")))
                as? [String: Any])
        #expect(note["outcome"] as? String == "done")
        let warnings = try #require(note["warnings"] as? [[String: Any]])
        #expect(warnings.first?["code"] as? String == "repaired")
        #expect(warnings.first?["pagesRecovered"] as? Int == 4)
    }
}
