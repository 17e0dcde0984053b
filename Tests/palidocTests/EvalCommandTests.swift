import Foundation
import PaliTestSupport
import Testing

/// `palidoc eval teds` run as a user would, on the reference-scored fixture pairs.
@Suite struct EvalCommandTests {
    @Test func meanMatchesReferenceScores() throws {
        let pairs = try TEDSReferencePair.all()
        let dir = try TemporaryDirectory("eval")
        let pred = Dictionary(uniqueKeysWithValues: pairs.map { ($0.name, $0.pred) })
        let gt = Dictionary(uniqueKeysWithValues: pairs.map { ($0.name, ["html": $0.gt]) })
        try JSONEncoder().encode(pred).write(to: dir.file("pred.json"))
        try JSONEncoder().encode(gt).write(to: dir.file("gt.json"))
        for structureOnly in [false, true] {
            let args =
                [
                    "eval", "teds", "--pred", dir.file("pred.json").path,
                    "--gt", dir.file("gt.json").path,
                ] + (structureOnly ? ["--structure-only"] : [])
            let result = try PalidocProcess.run(args)
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n")
            #expect(lines.count == pairs.count + 1)
            let expected =
                pairs.map { structureOnly ? $0.teds_s : $0.teds }
                .reduce(0, +) / Double(pairs.count)
            let mean = try #require(lines.last?.split(separator: "\t").last.flatMap { Double($0) })
            #expect(abs(mean - expected) < 1e-6)
        }
    }

    /// PubTabNet's own 20 sample tables, scored as its `src/metric.py` scores them (mean TEDS
    /// 0.8997, TEDS-S 0.9361), table by table.
    @Test func pubTabNetSamplesMatchItsMetric() throws {
        struct Scores: Decodable {
            var tables: [String: [String: Double]]
            var mean_teds: Double
            var mean_teds_s: Double
        }
        let folder = FixturePaths.fixture("teds")
        let reference = try JSONDecoder().decode(
            Scores.self, from: Data(contentsOf: folder.appendingPathComponent("sample_scores.json")))
        #expect(reference.tables.count == 20)
        #expect(String(format: "%.4f", reference.mean_teds) == "0.8997")
        for (flag, key, mean) in [
            (nil, "teds", reference.mean_teds), ("--structure-only", "teds_s", reference.mean_teds_s),
        ] {
            let result = try PalidocProcess.run(
                [
                    "eval", "teds",
                    "--pred", folder.appendingPathComponent("sample_pred.json").path,
                    "--gt", folder.appendingPathComponent("sample_gt.json").path,
                ] + (flag.map { [$0] } ?? []))
            #expect(result.status == 0, "\(result.stderr)")
            var scores: [String: Double] = [:]
            for line in result.stdout.split(separator: "\n") {
                let fields = line.split(separator: "\t")
                scores[String(fields[0])] = Double(fields[1])
            }
            #expect(scores.count == 21)
            for (name, expected) in reference.tables {
                let score = try #require(scores[name], "\(name)")
                #expect(abs(score - expected[key]!) < 1e-6, "\(name): \(score) vs \(expected)")
            }
            #expect(abs(scores["mean"]! - mean) < 1e-6)
        }
    }

    @Test func singleHTMLFilesAndErrors() throws {
        let dir = try TemporaryDirectory("eval")
        let table = "<html><body><table><tr><td>1</td><td>2</td></tr></table></body></html>"
        try table.write(to: dir.file("a.html"), atomically: true, encoding: .utf8)
        let ok = try PalidocProcess.run(
            ["eval", "teds", "--pred", dir.file("a.html").path, "--gt", dir.file("a.html").path])
        #expect(ok.status == 0)
        #expect(ok.stdout == "a\t1.000000\nmean\t1.000000\n")

        let missing = dir.file("missing.json").path
        let bad = try PalidocProcess.run(
            ["eval", "teds", "--pred", missing, "--gt", dir.file("a.html").path])
        #expect(bad.status != 0)
        #expect(bad.stderr.hasPrefix("palidoc: error: \(missing): cannot read"))

        try #"{"t": 3}"#.write(to: dir.file("bad.json"), atomically: true, encoding: .utf8)
        let malformed = try PalidocProcess.run(
            ["eval", "teds", "--pred", dir.file("bad.json").path, "--gt", dir.file("a.html").path])
        #expect(malformed.status != 0)
        #expect(malformed.stderr.hasPrefix("palidoc: error: \(dir.file("bad.json").path): entry"))
    }

    @Test func unreadablePredictionScoresZeroButUnreadableTruthFails() throws {
        let dir = try TemporaryDirectory("eval")
        let good = "<html><body><table><tr><td>1</td></tr></table></body></html>"
        let bad = "<html><body><table><tr><td colspan=\"x\">1</td></tr></table></body></html>"
        try JSONEncoder().encode(["t": bad]).write(to: dir.file("bad.json"))
        try JSONEncoder().encode(["t": good]).write(to: dir.file("good.json"))
        let scored = try PalidocProcess.run(
            [
                "eval", "teds", "--pred", dir.file("bad.json").path, "--gt",
                dir.file("good.json").path,
            ])
        #expect(scored.status == 0)
        #expect(scored.stdout.hasPrefix("t\t0.000000\t(prediction unreadable: colspan=\"x\""))
        let failed = try PalidocProcess.run(
            [
                "eval", "teds", "--pred", dir.file("good.json").path, "--gt",
                dir.file("bad.json").path,
            ])
        #expect(failed.status != 0)
        #expect(failed.stderr.hasPrefix("palidoc: error: \(dir.file("bad.json").path): table t:"))
    }
}
