import DocumentExport
import DocumentModel
import DocumentTasks
import Foundation
import PaliTestSupport
import Testing

@Suite struct JSONExporterTests {
    @Test func outputValidatesAgainstTheCommittedSchema() throws {
        let validator = try JSONSchemaValidator(schema: DocumentSchema.json)
        let data = try JSONExporter.data(SampleDocument.make())
        let instance = try JSONSerialization.jsonObject(with: data)
        #expect(validator.violations(instance) == [])
        Snapshot.check(String(decoding: data, as: UTF8.self), named: "sample.json")
    }

    @Test func schemaCatchesDrift() throws {
        let validator = try JSONSchemaValidator(schema: DocumentSchema.json)
        var object =
            try JSONSerialization.jsonObject(
                with: JSONExporter.data(SampleDocument.make())) as! [String: Any]
        object["unexpected"] = 1
        var pages = object["pages"] as! [[String: Any]]
        pages[0]["width"] = "wide"
        object["pages"] = pages
        object["schemaVersion"] = "2.0"
        let violations = validator.violations(object)
        #expect(violations.contains("$: unexpected property unexpected"))
        #expect(violations.contains { $0.hasPrefix("$.pages[0].width: expected integer") })
        #expect(violations.contains { $0.hasPrefix("$.schemaVersion:") })
    }

    @Test func musicAndMoleculesValidateAndDriftIsCaught() throws {
        let validator = try JSONSchemaValidator(schema: DocumentSchema.json)
        let data = try JSONExporter.data(SampleDocument.musicAndMolecules())
        var object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        #expect(validator.violations(object) == [])
        Snapshot.check(String(decoding: data, as: UTF8.self), named: "science.json")
        var pages = object["pages"] as! [[String: Any]]
        var musicRegions = pages[0]["regions"] as! [[String: Any]]
        var score = (musicRegions[1]["music"] as! [[String: Any]])[0]
        score["kern"] = nil
        score["voices"] = 2
        var problems = score["problems"] as! [[String: Any]]
        problems[0]["line"] = 0
        score["problems"] = problems
        musicRegions[1]["music"] = [score]
        pages[0]["regions"] = musicRegions
        var moleculeRegions = pages[1]["regions"] as! [[String: Any]]
        var molecule = (moleculeRegions[0]["molecules"] as! [[String: Any]])[0]
        molecule["averageWeight"] = "194.19"
        moleculeRegions[0]["molecules"] = [molecule]
        moleculeRegions[1]["molecules"] = nil
        pages[1]["regions"] = moleculeRegions
        object["pages"] = pages
        let violations = validator.violations(object)
        #expect(violations.contains("$.pages[0].regions[1].music[0]: missing required kern"))
        #expect(
            violations.contains("$.pages[0].regions[1].music[0]: unexpected property voices"))
        #expect(
            violations.contains { $0.hasPrefix("$.pages[0].regions[1].music[0].problems[0].line:") }
        )
        #expect(
            violations.contains {
                $0.hasPrefix("$.pages[1].regions[0].molecules[0].averageWeight: expected number")
            })
        #expect(violations.contains("$.pages[1].regions[1]: missing required molecules"))
        #expect(violations.count == 5, "\(violations)")
    }

    @Test func roundTripsThroughAFileAndRefusesOtherMajorVersions() throws {
        let dir = try TemporaryDirectory("json")
        let science = SampleDocument.musicAndMolecules()
        try JSONExporter.write(science, to: dir.file("science.json"))
        #expect(try JSONExporter.read(dir.file("science.json")) == science)
        let document = SampleDocument.make()
        let url = dir.file("out/doc.json")
        try JSONExporter.write(document, to: url)
        #expect(try JSONExporter.read(url) == document)
        let text = try String(contentsOf: url, encoding: .utf8)
            .replacingOccurrences(
                of: "\"schemaVersion\" : \"\(Document.currentSchemaVersion)\"",
                with: "\"schemaVersion\" : \"2.0\"")
        try text.write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: ExportError.self) { try JSONExporter.read(url) }
    }
}

@Suite struct AtomicFileTests {
    @Test func replacesAndLeavesNoTemporaryFiles() throws {
        let dir = try TemporaryDirectory("atomic")
        let url = dir.file("a.txt")
        try AtomicFile.write("one", to: url)
        try AtomicFile.write("two", to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["a.txt"])
    }

    @Test func unwritableTargetIsATypedErrorNamingTheFile() throws {
        let dir = try TemporaryDirectory("atomic")
        try "x".write(to: dir.file("file"), atomically: true, encoding: .utf8)
        let target = dir.file("file/inside.txt")
        #expect {
            try AtomicFile.write("y", to: target)
        } throws: { error in
            (error as? ExportError)?.file == target.path
        }
    }
}

@Suite struct TableExportTests {
    let table = SampleDocument.make().pages[0].tables[0]

    @Test func csvRepeatsSpansIntoCoveredCells() {
        let csv = CSVExporter.csv(table)
        #expect(csv == "Group,Score,Score\r\nGroup,A,B\r\n\"x, \"\"y\"\"\",1,2a\r\nz,,4\r\n")
        Snapshot.check(csv, named: "sample-table.csv")
    }

    @Test func csvFilesPerTable() throws {
        let dir = try TemporaryDirectory("csv")
        let files = try CSVExporter.write(SampleDocument.make(), to: dir.url, stem: "sample")
        #expect(files.map(\.lastPathComponent) == ["sample-p1-t1.csv", "sample-p2-t1.csv"])
    }

    @Test func markdownUsesGFMOnlyWhenSpansAllow() {
        let markdown = MarkdownExporter.markdown(SampleDocument.make())
        #expect(markdown.contains("<table><thead><tr><th rowspan=\"2\">Group</th>"))
        #expect(markdown.contains("| k | v\\|w |\n| --- | --- |\n| a | 1 |"))
        Snapshot.check(markdown, named: "sample.md")
    }

    @Test func htmlPageViewReadsBackWithTheSameTables() throws {
        let html = try HTMLExporter.html(SampleDocument.make())
        let root = try Markup.parseHTML(html)
        let tables = root.descendants(named: "table")
        #expect(tables.count == 2)
        #expect(tables[0].descendants(named: "th").first?.attribute("rowspan") == "2")
        let words = root.descendants(named: "div").filter { $0.attribute("class") == "words" }
        #expect(
            words.first?.elements.map(\.textContent) == ["Hello", "world & <co>", "second", "line"])
        #expect(root.descendants(named: "img").first?.attribute("src") == "sample-p1.png")
        Snapshot.check(html, named: "sample.html")
    }

    @Test func cellMarkupThatWouldBreakTheTableIsReducedToInlineMarkup() throws {
        var document = SampleDocument.make()
        document.pages[1].regions[0].table!.cells[0].html = "</td></tr><tr><td>a<b>b</b>"
        document.pages[1].regions[0].table!.cells[0].text = "ab"
        let html = try HTMLExporter.html(document)
        #expect(html.contains("<th>a<b>b</b></th>"))
        #expect(html.contains("<td>1</td>"))
    }

    @Test func pubTabNetRoundTripScoresOne() throws {
        let gt = try TEDSTables(contentsOf: FixturePaths.fixture("teds/gt.jsonl"))
        struct File: Decodable { var pairs: [Pair] }
        struct Pair: Decodable {
            var name: String
            var gt: String
        }
        let pairs = try JSONDecoder().decode(
            File.self, from: Data(contentsOf: FixturePaths.fixture("teds/pairs.json"))
        ).pairs
        // PubTabNet's form always has <tbody> (and <thead> when there is a header); the
        // writer always writes <tbody>, so sources without one are not round-trip cases.
        // Tag-soup ground truths are not tables to round-trip.
        let tables = pairs.filter { !$0.name.hasPrefix("garbage") }.map(\.gt)
        let sources = (gt.names.map { gt.html[$0]! } + tables).filter { $0.contains("<tbody>") }
        #expect(sources.count >= 50)
        for source in sources {
            let (parsed, issues) = TableHTMLReader.read(source)
            #expect(issues.allSatisfy { $0.severity != .unreadable }, "\(issues)")
            let rebuilt = TableHTMLWriter.html(try #require(parsed), pubTabNet: true)
            #expect(try TEDS().score(prediction: rebuilt, groundTruth: source) == 1, "\(source)")
        }
    }
}

@Suite struct MusicAndMoleculeExportTests {
    let document = SampleDocument.musicAndMolecules()

    @Test func htmlShowsKernAndMolecules() throws {
        let html = try HTMLExporter.html(document)
        let root = try Markup.parseHTML(html)
        let music = root.descendants(named: "div").filter { $0.attribute("class") == "music" }
        #expect(music.count == 2)
        #expect(
            music.map { $0.descendants(named: "pre").first?.textContent }
                == document.pages[0].regions.map(\.music[0].kern))
        #expect(
            music[0].descendants(named: "p").first?.textContent
                == "valid **kern: 2 spines, 2 measures, 7 notes, 1 rest, 2 chords")
        #expect(music[1].descendants(named: "p").first?.textContent.hasPrefix("invalid") == true)
        let molecules = root.descendants(named: "li").filter {
            !$0.descendants(named: "code").isEmpty
        }
        #expect(
            molecules.first?.textContent == "Cn1c(=O)c2c(ncn2C)n(C)c1=O C8H10N4O2, 194.19 g/mol")
        #expect(molecules.last?.textContent.hasPrefix("C1CC(< invalid SMILES: ") == true)
        Snapshot.check(html, named: "science.html")
    }

    @Test func markdownShowsKernAndMolecules() {
        let markdown = MarkdownExporter.markdown(document)
        #expect(markdown.contains("```kern\n**kern\t**kern\n*clefF4\t*clefG2\n"))
        #expect(markdown.contains("- `Cn1c(=O)c2c(ncn2C)n(C)c1=O` C8H10N4O2, 194.19 g/mol"))
        Snapshot.check(markdown, named: "science.md")
    }

    @Test func codeFencesOutgrowBackticksInTheText() {
        var document = document
        document.pages[0].regions[1].music[0].kern = "**kern\n```\n*-"
        document.pages[1].regions[1].molecules[0].smiles = "`C``"
        let markdown = MarkdownExporter.markdown(document)
        #expect(markdown.contains("````kern\n**kern\n```\n*-\n````"))
        #expect(markdown.contains("- ``` `C`` ``` invalid SMILES"))
    }
}
