import DocumentExport
import Foundation
import PaliTestSupport
import Testing

/// `palidoc convert` end to end with the real tiny PaliGemma 2 checkpoint.
@Suite struct ConvertCommandTests {
    static let model = FixturePaths.fixture("paligemma2-tiny").path
    static let ingest = FixturePaths.fixture("ingest")

    /// A fast pipeline: 36 dpi, overlapping tiles, OCR words and plain OCR with tiny budgets,
    /// every exporter those tasks allow; the model reads born-digital pages too.
    static let pipelineYAML = """
        version: 1
        name: e2e
        resolution: auto
        dpi: 36
        text_layer: ignore
        tiling: {mode: tiles, tile_size: 160, overlap: 0.1}
        skip_blank_tiles: true
        tasks:
          - {task: ocr-words, max_tokens: 6}
          - {task: ocr, max_tokens: 3}
        exporters: [json, html, markdown, hocr, alto]
        """

    static func copy(_ source: URL, to folder: URL, as name: String) throws {
        try FileManager.default.copyItem(at: source, to: folder.appendingPathComponent(name))
    }

    @Test func mixedFolderGoodAndBadFiles() throws {
        let temp = try TemporaryDirectory("convert")
        let inputs = temp.file("in")
        let nested = inputs.appendingPathComponent("nested")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        let examples = FixturePaths.repositoryRoot.appendingPathComponent("examples")
        try Self.copy(
            examples.appendingPathComponent("report-table.pdf"), to: inputs, as: "report.pdf")
        try Self.copy(
            Self.ingest.appendingPathComponent("multipage.tif"), to: nested, as: "scan.tif")
        try Self.copy(Self.ingest.appendingPathComponent("rgba.png"), to: inputs, as: "picture.png")
        try Self.copy(
            Self.ingest.appendingPathComponent("encrypted.pdf"), to: inputs, as: "locked.pdf")
        try Self.copy(
            Self.ingest.appendingPathComponent("truncated.tif"), to: nested, as: "cut.tif")
        try Data("%PDF-1.7\nthis is not a PDF body\n".utf8).write(
            to: inputs.appendingPathComponent("corrupt.pdf"))
        try Data().write(to: inputs.appendingPathComponent("empty.pdf"))
        try Data("# notes\n".utf8).write(to: inputs.appendingPathComponent("notes.md"))
        let pipeline = temp.file("e2e.yaml")
        try Self.pipelineYAML.write(to: pipeline, atomically: true, encoding: .utf8)
        let out = temp.file("out")
        // Something already at a result name is never overwritten.
        try FileManager.default.createDirectory(
            at: out.appendingPathComponent("picture"), withIntermediateDirectories: true)

        let result = try PalidocProcess.run([
            "convert", inputs.path, "--pipeline", pipeline.path, "--out", out.path,
            "--model", Self.model, "--progress", "json",
        ])
        #expect(result.status == 1, "stderr: \(result.stderr)")
        // One error line per bad document, naming it.
        let errors = result.stderr.split(separator: "\n").filter {
            $0.hasPrefix("palidoc: error: ")
        }
        for name in ["locked.pdf", "nested/cut.tif", "corrupt.pdf", "empty.pdf"] {
            #expect(
                errors.filter { $0.contains(inputs.appendingPathComponent(name).path + ": ") }.count
                    == 1, "no single error line for \(name): \(errors)")
        }
        #expect(errors.count == 4)
        #expect(result.stderr.contains("random-weight test model"))
        // JSON lines: every line parses; the skipped file and the summary are reported.
        let events = try result.stdout.split(separator: "\n").map {
            try #require(
                JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(
            events.contains {
                $0["event"] as? String == "skipped"
                    && ($0["file"] as? String)?.hasSuffix("notes.md") == true
            })
        let finished = try #require(events.last)
        #expect(finished["event"] as? String == "finished")
        #expect(finished["done"] as? Int == 3 && finished["failed"] as? Int == 4)
        #expect(finished["skipped"] as? Int == 1)

        // Good documents: every configured output, complete and parseable.
        let validator = try JSONSchemaValidator(schema: DocumentSchema.json)
        let alto = FixturePaths.altoSchema
        for (folder, stem, pages) in [
            ("report", "report", 1), ("scan", "scan", 3), ("picture-2", "picture", 1),
        ] {
            let dir = out.appendingPathComponent(folder)
            let json = try Data(contentsOf: dir.appendingPathComponent("\(stem).json"))
            let object = try JSONSerialization.jsonObject(with: json)
            #expect(validator.violations(object) == [], "\(folder)")
            let document = try JSONExporter.read(dir.appendingPathComponent("\(stem).json"))
            #expect(document.pages.count == pages, "\(folder)")
            #expect(document.model?.randomWeights == true)
            #expect(document.pipeline?.tasks == ["ocr-words", "ocr"])
            for page in document.pages {
                #expect(!page.tiles.isEmpty)
                // OCR words are merged into one page-level region; plain OCR stays per tile.
                #expect(page.regions.filter { $0.task == "ocr-words" }.count <= 1)
                for word in page.words {
                    if let box = word.box { #expect(page.bounds.intersection(box) == box) }
                }
                let image = try #require(page.image)
                #expect(
                    FileManager.default.fileExists(atPath: dir.appendingPathComponent(image).path))
            }
            let html = try String(
                contentsOf: dir.appendingPathComponent("\(stem).html"), encoding: .utf8)
            #expect(try Markup.parseHTML(html).descendants(named: "section").count == pages)
            #expect(html.contains("random-weight test model"))
            let markdown = try String(
                contentsOf: dir.appendingPathComponent("\(stem).md"), encoding: .utf8)
            #expect(markdown.contains("random-weight test model"))
            _ = try Markup.parseXML(
                String(contentsOf: dir.appendingPathComponent("\(stem).hocr"), encoding: .utf8))
            let altoText = try String(
                contentsOf: dir.appendingPathComponent("\(stem).alto.xml"), encoding: .utf8)
            _ = try Markup.parseXML(altoText)
            #expect(try Markup.schemaViolation(in: altoText, schemaPath: alto.path) == nil)
            #expect(
                !FileManager.default.fileExists(atPath: dir.appendingPathComponent(".pages").path))
        }
        // Nothing for the bad ones, the skipped one, or half-written.
        let published = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(published == ["picture", "picture-2", "report", "scan"])
        #expect(
            try FileManager.default.contentsOfDirectory(
                atPath: out.appendingPathComponent("picture").path
            ).isEmpty)
    }

    @Test func usageErrorsExitTwo() throws {
        let temp = try TemporaryDirectory("convert-usage")
        let pipeline = temp.file("fixed.yaml")
        try "tasks: [ocr]\nresolution: 448\n".write(to: pipeline, atomically: true, encoding: .utf8)
        let mismatch = try PalidocProcess.run([
            "convert", temp.url.path, "--pipeline", pipeline.path, "--out", temp.file("o").path,
            "--model", Self.model,
        ])
        #expect(mismatch.status == 2)
        #expect(mismatch.stderr.contains("palidoc: error: "))
        #expect(mismatch.stderr.contains("448") && mismatch.stderr.contains("56"))
        let noModel = try PalidocProcess.run(
            ["convert", temp.url.path, "--out", temp.file("o").path],
            environment: ["PALIDOC_MODEL": ""])
        #expect(noModel.status == 2)
        #expect(noModel.stderr.contains("no model"))
        let badFlag = try PalidocProcess.run([
            "convert", temp.url.path, "--out", "x", "--jobs", "0",
        ])
        #expect(badFlag.status == 2)
    }

    @Test func allGoodExitsZeroAndJobsRunInParallel() throws {
        let temp = try TemporaryDirectory("convert-jobs")
        let inputs = temp.file("in")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        for name in ["a", "b", "c"] {
            try Self.copy(
                Self.ingest.appendingPathComponent("rgba.png"), to: inputs, as: "\(name).png")
        }
        let result = try PalidocProcess.run([
            "convert", inputs.path, "--out", temp.file("out").path, "--model", Self.model,
            "--jobs", "2", "--progress", "none", "--pages", "1",
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("3 done, 0 failed"))
        // The bar can be forced (a terminal is not needed to draw it).
        let bar = try PalidocProcess.run([
            "convert", inputs.appendingPathComponent("a.png").path, "--out",
            temp.file("out").path, "--model", Self.model, "--progress", "tty",
        ])
        #expect(bar.status == 0)
        #expect(bar.stderr.contains("docs 1/1") && bar.stderr.contains("tok/s"))
        #expect(FileManager.default.fileExists(atPath: temp.file("out/a-2/a.json").path))
        // --weights reaches the engine, and the results say how the weights were held.
        let halves = try PalidocProcess.run([
            "convert", inputs.appendingPathComponent("b.png").path, "--out",
            temp.file("out").path, "--model", Self.model, "--progress", "none",
            "--weights", "bf16",
        ])
        #expect(halves.status == 0, "stderr: \(halves.stderr)")
        let b2 = try JSONExporter.read(temp.file("out/b-2/b.json"))
        #expect(b2.model?.dtype == "bfloat16")
        #expect(try JSONExporter.read(temp.file("out/b/b.json")).model?.dtype == "float32")
        // --kv-cache likewise, and an unknown format is refused before any work.
        let compactCache = try PalidocProcess.run([
            "convert", inputs.appendingPathComponent("c.png").path, "--out",
            temp.file("out").path, "--model", Self.model, "--progress", "none",
            "--kv-cache", "int8",
        ])
        #expect(compactCache.status == 0, "stderr: \(compactCache.stderr)")
        let c2 = try JSONExporter.read(temp.file("out/c-2/c.json"))
        #expect(c2.model?.dtype == "float32, int8 KV cache")
        let unknown = try PalidocProcess.run([
            "convert", inputs.appendingPathComponent("c.png").path, "--out",
            temp.file("out").path, "--model", Self.model, "--kv-cache", "fp8",
        ])
        #expect(unknown.status != 0 && unknown.stderr.contains("kv-cache"))
        for name in ["a", "b", "c"] {
            #expect(
                FileManager.default.fileExists(atPath: temp.file("out/\(name)/\(name).json").path))
        }
    }

    /// The process is interrupted as soon as a first result is published; polled with a
    /// blocking sleep on this thread (not the cooperative pool, which CPU-bound suites running
    /// beside this one can starve long enough for every document to finish first), over
    /// enough documents that the rest cannot finish before the signal lands.
    @Test func sigintStopsCleanlyWithoutHalfResults() throws {
        let temp = try TemporaryDirectory("convert-sigint")
        let inputs = temp.file("in")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        let documents = 200
        for index in 0..<documents {
            try Self.copy(
                Self.ingest.appendingPathComponent("rgba.png"), to: inputs,
                as: String(format: "doc-%03d.png", index))
        }
        let pipeline = temp.file("slow.yaml")
        try "tasks: [{task: ocr, max_tokens: 48}]\nexporters: [json]\n".write(
            to: pipeline, atomically: true, encoding: .utf8)
        let out = temp.file("out")
        let process = Process()
        process.executableURL = PalidocProcess.executable
        process.arguments = [
            "convert", inputs.path, "--out", out.path, "--pipeline", pipeline.path, "--model",
            Self.model, "--progress", "none",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        func published() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? [])
                .filter { !$0.hasPrefix(".") }
        }
        let deadline = Date().addingTimeInterval(60)
        while published().isEmpty && Date() < deadline && process.isRunning {
            usleep(5_000)
        }
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 130)
        let folders = published()
        #expect(!folders.isEmpty && folders.count < documents)
        for folder in folders {
            #expect(
                FileManager.default.fileExists(
                    atPath: out.appendingPathComponent("\(folder)/\(folder).json").path))
        }
        #expect(
            !FileManager.default.fileExists(
                atPath: out.appendingPathComponent(".palidoc-partial").path))
    }

    /// What `make demo` runs (default pipeline, the test checkpoint), in the debug build.
    @Test func demoConvertsTheShippedExamples() throws {
        let temp = try TemporaryDirectory("demo")
        let examples = FixturePaths.repositoryRoot.appendingPathComponent("examples")
        let result = try PalidocProcess.run(
            [
                "convert", examples.path, "--out", temp.file("demo-output").path, "--model",
                Self.model,
            ],
            environment: ["PALIDOC_MODEL": ""], timeout: 300)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("5 done, 0 failed, 3 skipped"))
        #expect(result.stderr.contains("random-weight test model"))
        for stem in ["invoice", "report-table", "scan-2pages", "music-snippet", "molecule"] {
            for suffix in [".json", ".md", ".html"] {
                let file = temp.file("demo-output/\(stem)/\(stem)\(suffix)")
                #expect(FileManager.default.fileExists(atPath: file.path), "\(file.path)")
            }
        }
    }
}
