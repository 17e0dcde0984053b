import Foundation
import PaliTestSupport
import Testing

/// `convert` and `watch` stop at start (exit 2) when a task's budget cannot fit the model.
@Suite struct TokenBudgetCommandTests {
    @Test func oversizedBudgetStopsAtStart() throws {
        let temp = try TemporaryDirectory("budget")
        let pipeline = temp.file("big.yaml")
        try "tasks: [{task: ocr, max_tokens: 8192}]\n".write(
            to: pipeline, atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(
            at: FixturePaths.fixture("ingest/rgba.png"), to: temp.file("page.png"))
        let model = FixturePaths.fixture("paligemma2-tiny").path
        for command in [
            ["convert", temp.file("page.png").path, "--out", temp.file("out").path],
            ["watch", temp.url.path, "--out", temp.file("out").path, "--until-idle"],
        ] {
            let result = try PalidocProcess.run(
                command + ["--pipeline", pipeline.path, "--model", model])
            #expect(result.status == 2, "\(command[0]): \(result.stderr)")
            #expect(
                result.stderr.contains("task 'ocr' needs 16 image tokens + "), "\(result.stderr)")
            #expect(result.stderr.contains("but the model 'paligemma2-tiny' has 8192"))
            #expect(!FileManager.default.fileExists(atPath: temp.file("out/page").path))
        }
    }
}
