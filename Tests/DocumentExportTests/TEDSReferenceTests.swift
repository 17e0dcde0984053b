import DocumentExport
import Foundation
import PaliTestSupport
import Testing

/// TEDS and TEDS-S against PubTabNet's reference metric (its own `src/metric.py` with `apted`,
/// `Distance` and lxml), on the pairs `generate_teds_fixtures.py` wrote and scored.
@Suite struct TEDSReferenceTests {
    static let pairs = (try? TEDSReferencePair.all()) ?? []

    @Test func fixtureHasEnoughPairs() {
        #expect(Self.pairs.count >= 50)
    }

    @Test func agreesWithReference() throws {
        var worst = 0.0
        for pair in Self.pairs {
            let full = try TEDS().score(prediction: pair.pred, groundTruth: pair.gt)
            let structure = try TEDS(structureOnly: true)
                .score(prediction: pair.pred, groundTruth: pair.gt)
            #expect(abs(full - pair.teds) <= 1e-6, "\(pair.name): TEDS \(full) vs \(pair.teds)")
            #expect(
                abs(structure - pair.teds_s) <= 1e-6,
                "\(pair.name): TEDS-S \(structure) vs \(pair.teds_s)")
            worst = max(worst, abs(full - pair.teds), abs(structure - pair.teds_s))
        }
        print("TEDS worst |swift - reference| over \(Self.pairs.count) pairs: \(worst)")
        #expect(worst <= 1e-6)
    }

    @Test func ignoredTagsMatchReference() throws {
        let metric = TEDS(ignoredTags: ["b", "sup"])
        for pair in Self.pairs {
            let score = try metric.score(prediction: pair.pred, groundTruth: pair.gt)
            #expect(abs(score - pair.teds_ignore_b_sup) <= 1e-6, "\(pair.name)")
        }
    }

    @Test func pubTabNetJSONLMatchesReference() throws {
        let gt = try TEDSTables(contentsOf: FixturePaths.fixture("teds/gt.jsonl"))
        let pred = try TEDSTables(contentsOf: FixturePaths.fixture("teds/pred_jsonl.json"))
        let data = try Data(contentsOf: FixturePaths.fixture("teds/jsonl_scores.json"))
        let expected = try JSONDecoder().decode([String: [String: Double]].self, from: data)
        let full = try TEDSEvaluation(predictions: pred, groundTruth: gt, metric: TEDS())
        let structure = try TEDSEvaluation(
            predictions: pred, groundTruth: gt, metric: TEDS(structureOnly: true))
        #expect(full.entries.count == expected.count)
        for (a, b) in zip(full.entries, structure.entries) {
            let reference = try #require(expected[a.name])
            #expect(abs(a.score - reference["teds"]!) <= 1e-6, "\(a.name)")
            #expect(abs(b.score - reference["teds_s"]!) <= 1e-6, "\(b.name)")
        }
    }

    @Test func bareFragmentAndEmptyScoreZeroLikeTheReference() throws {
        let table = "<table><tr><td>a</td></tr></table>"
        #expect(try TEDS().score(prediction: table, groundTruth: table) == 0)
        let full = "<html><body>\(table)</body></html>"
        #expect(try TEDS().score(prediction: full, groundTruth: full) == 1)
        #expect(try TEDS().score(prediction: "", groundTruth: full) == 0)
    }

    /// The reference divides by the elements under `<table>` (inline tags in cells included,
    /// the table itself not), not by the size of the edit tree.
    @Test func normalisesByTheElementsUnderTheTable() throws {
        let wrap = { (rows: String) in "<html><body><table>\(rows)</table></body></html>" }
        // 1 row + 2 cells + 2 inline tags = 5 elements against 3; one cell differs by one
        // token of its three (`<b>`, `x`, `</b>` against `y`: distance 3 of 3).
        let pred = wrap("<tr><td><b>x</b></td><td><i>z</i></td></tr>")
        let gt = wrap("<tr><td>y</td><td><i>z</i></td></tr>")
        #expect(try TEDS().score(prediction: pred, groundTruth: gt) == 1 - 1.0 / 5)
        #expect(try TEDS(structureOnly: true).score(prediction: pred, groundTruth: gt) == 1)
        let empty = wrap("")
        #expect(throws: TEDSError.emptyTables) {
            try TEDS().score(prediction: empty, groundTruth: empty)
        }
        #expect(try TEDS().score(prediction: empty, groundTruth: gt) == 1 - 3.0 / 4)
    }

    @Test func invalidSpanIsATypedError() {
        let bad = "<html><body><table><tr><td colspan=\"x\">a</td></tr></table></body></html>"
        #expect(throws: TEDSError.invalidSpan(name: "colspan", value: "x")) {
            try TEDS().score(prediction: bad, groundTruth: bad)
        }
    }
}

@Suite struct TEDSInputTests {
    @Test func jsonLinesWithHTMLStringsAndErrorsNameTheLine() throws {
        let dir = try TemporaryDirectory("teds-input")
        let url = dir.file("t.jsonl")
        let table = "<html><body><table><tr><td>a</td></tr></table></body></html>"
        try "{\"filename\": \"x\", \"html\": \"\(table)\"}\n\n{\"filename\": 3}\n"
            .write(to: url, atomically: true, encoding: .utf8)
        #expect {
            try TEDSTables(contentsOf: url)
        } throws: { error in
            (error as? TEDSInputError)?.description.hasPrefix("\(url.path): line 3 has no html")
                == true
        }
        try "{\"filename\": \"x\", \"html\": \"\(table)\"}\n".write(
            to: url, atomically: true, encoding: .utf8)
        #expect(try TEDSTables(contentsOf: url).html == ["x": table])
    }
}
