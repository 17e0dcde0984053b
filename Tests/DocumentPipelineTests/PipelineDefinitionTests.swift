import DocumentTasks
import Foundation
import PaliTestSupport
import Testing

@testable import DocumentPipeline

@Suite struct PipelineDefinitionTests {
    static let shippedNames = ["default", "ocr", "tables", "music", "molecules"]

    /// Every shipped pipeline file loads, is named after its file, and every key it could
    /// set is present (documented) in default.yaml.
    @Test(arguments: shippedNames)
    func shippedPipelineLoads(name: String) throws {
        let url = FixturePaths.repositoryRoot.appendingPathComponent("pipelines/\(name).yaml")
        let definition = try PipelineDefinition.load(from: url)
        #expect(definition.name == name)
        #expect(!definition.tasks.isEmpty)
        #expect(!definition.exporters.isEmpty)
        #expect(definition.summary != nil)
        #expect(definition.sourceFile == url)
    }

    @Test func everyShippedFileIsTested() throws {
        let folder = FixturePaths.repositoryRoot.appendingPathComponent("pipelines")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }
        #expect(Set(files) == Set(Self.shippedNames))
    }

    @Test func shippedSettings() throws {
        let root = FixturePaths.repositoryRoot.appendingPathComponent("pipelines")
        let ocr = try PipelineDefinition.load(from: root.appendingPathComponent("ocr.yaml"))
        #expect(ocr.resolution == nil)
        #expect(ocr.tiling == .init(mode: .tiles, tileSize: 896, overlap: 0.12))
        #expect(ocr.tasks == [PipelineTask(kind: .ocrWords, maxTokens: 1024)])
        #expect(ocr.exporters == [.json, .hocr, .alto, .markdown, .pdf])
        #expect(ocr.textLayer == .auto && !ocr.reuseOCRText && ocr.pdf == PDFImageSettings())
        let tables = try PipelineDefinition.load(from: root.appendingPathComponent("tables.yaml"))
        #expect(tables.tasks.map(\.kind) == [.table, .ocr])
        #expect(tables.tasks[0].maxTokens == 4096)
        #expect(tables.exporters.contains(.csv))
        // Prompts come from the task types unless a file sets one.
        let music = try PipelineDefinition.load(from: root.appendingPathComponent("music.yaml"))
        #expect(music.tasks[0].prompt == MusicTask.defaultPrompt)
        let molecules = try PipelineDefinition.load(
            from: root.appendingPathComponent("molecules.yaml"))
        #expect(molecules.tasks[0].prompt == MoleculeTask.defaultPrompt)
        let fixed = try PipelineDefinition.parse(
            yaml: "tasks: [ocr]\nresolution: 896\n", file: "f.yaml", defaultName: "f")
        #expect(fixed.resolution == 896)
        let halves = try PipelineDefinition.parse(
            yaml: "tasks: [ocr]\nweights: bf16\n", file: "f.yaml", defaultName: "f")
        #expect(halves.weights == .bf16)
        #expect(halves.kvCache == nil)
        let compactCache = try PipelineDefinition.parse(
            yaml: "tasks: [ocr]\nkv_cache: bf16\n", file: "f.yaml", defaultName: "f")
        #expect(compactCache.kvCache == .bf16)
        let int8Cache = try PipelineDefinition.parse(
            yaml: "tasks: [ocr]\nkv_cache: int8\n", file: "f.yaml", defaultName: "f")
        #expect(int8Cache.kvCache == .int8)
        let standard = try PipelineDefinition.load(
            from: root.appendingPathComponent("default.yaml"))
        #expect(
            standard.retries == RetryPolicy(maxAttempts: 3, initialBackoff: 10, maxBackoff: 600))
        #expect(standard.duplicates == .skip)
        #expect(standard.weights == .auto)
        #expect(standard.output.folder == "{stem}")
        #expect(standard.dpi == 300 && standard.maxPageMegapixels == 80 && standard.skipBlankTiles)
    }

    @Test func minimalFileGetsDefaults() throws {
        let definition = try PipelineDefinition.parse(
            yaml: "tasks: [ocr]\n", file: "mini.yaml", defaultName: "mini")
        #expect(definition.name == "mini")
        #expect(definition.resolution == nil)
        #expect(definition.dpi == 300)
        #expect(definition.tiling == .init(mode: .page))
        #expect(
            definition.tasks == [PipelineTask(kind: .ocr, prompt: "ocr", maxTokens: 512, beams: 1)])
        #expect(definition.exporters == [.json])
        #expect(definition.model == nil)
        #expect(definition.weights == nil)
        #expect(definition.textLayer == .auto && !definition.reuseOCRText)
        #expect(definition.pdf == PDFImageSettings(image: .lossless, jpegQuality: 85))
    }

    @Test func textLayerAndPDFSettings() throws {
        let definition = try PipelineDefinition.parse(
            yaml: """
                tasks: [ocr-words]
                text_layer: use
                reuse_ocr_text: true
                exporters: [pdf]
                pdf:
                  image: jpeg
                  jpeg_quality: 70
                """, file: "f.yaml", defaultName: "f")
        #expect(definition.textLayer == .use && definition.reuseOCRText)
        #expect(definition.exporters == [.pdf])
        #expect(definition.pdf == PDFImageSettings(image: .jpeg, jpegQuality: 70))
    }

    @Test func taskSettingsAndPlaceholders() throws {
        let yaml = """
            tasks:
              - task: answer
                question: What is the invoice total?
                max_tokens: 32
                beams: 4
              - task: detect
                objects: [table, figure]
              - task: caption
                prompt: caption de
            """
        let tasks = try PipelineDefinition.parse(yaml: yaml, file: "t.yaml", defaultName: "t").tasks
        #expect(
            tasks[0]
                == PipelineTask(
                    kind: .answer, prompt: "answer en What is the invoice total?", maxTokens: 32,
                    beams: 4))
        #expect(tasks[1].prompt == "detect table ; figure")
        #expect(tasks[2].prompt == "caption de")
        #expect(tasks[2].maxTokens == 64)
    }

    /// Bad files: the error names the file, the 1-based line, the key path and the problem.
    @Test(arguments: [
        ("tasks: [ocr]\nresolutoin: 448\n", 2, "resolutoin", "unknown key"),
        (
            "tasks: [ocr]\ntiling:\n  mode: tiles\n  overlpa: 0.1\n", 4, "tiling.overlpa",
            "unknown key"
        ),
        ("tasks: [ocr]\nresolution: 512\n", 2, "resolution", "must be one of 224, 448, 896"),
        ("tasks: [ocr]\nresolution: \"448\"\n", 2, "resolution", "quoted string"),
        ("tasks: [ocr]\ndpi: 20\n", 2, "dpi", "between 36 and 1200"),
        ("tasks: [ocr]\nweights: fp16\n", 2, "weights", "unknown value 'fp16'"),
        ("tasks: [ocr]\nkv_cache: fp8\n", 2, "kv_cache", "unknown value 'fp8'"),
        ("tasks: [ocr]\ntiling:\n  mode: strips\n", 3, "tiling.mode", "unknown value 'strips'"),
        (
            "tasks: [ocr]\ntiling:\n  overlap: 0.1\n", 3, "tiling.overlap",
            "only used with 'mode: tiles'"
        ),
        (
            "tasks: [ocr]\ntiling: {mode: tiles, overlap: 0.5}\n", 2, "tiling.overlap",
            "between 0.0 and 0.49"
        ),
        ("tasks: [ocr]\nskip_blank_tiles: yes\n", 2, "skip_blank_tiles", "expected true or false"),
        ("dpi: 300\n", 1, "tasks", "is required"),
        ("tasks: []\n", 1, "tasks", "is required"),
        ("tasks:\n  - ocr\n  - tabel\n", 3, "tasks[1]", "unknown value 'tabel'"),
        (
            "tasks:\n  - task: ocr\n    max_tokens: 0\n", 3, "tasks[0].max_tokens",
            "between 1 and 8192"
        ),
        ("tasks:\n  - task: ocr\n    beams: 9\n", 3, "tasks[0].beams", "between 1 and 8"),
        ("tasks:\n  - task: ocr\n    promt: x\n", 3, "tasks[0].promt", "unknown key"),
        ("tasks:\n  - answer\n", 2, "tasks[0]", "needs settings"),
        ("tasks:\n  - task: answer\n    max_tokens: 9\n", 2, "tasks[0].question", "is required"),
        ("tasks: [ocr, ocr]\n", 1, "tasks[1]", "listed twice"),
        ("tasks: [ocr]\nexporters: [json, krn]\n", 2, "exporters[1]", "needs a music task"),
        (
            "tasks: [caption]\nexporters: [hocr]\n", 2, "exporters[0]",
            "needs a ocr or ocr-words task"
        ),
        ("tasks: [ocr]\nexporters: [json, json]\n", 2, "exporters[1]", "listed twice"),
        ("tasks: [ocr]\nexporters: [pdf]\n", 2, "exporters[0]", "needs a ocr-words task"),
        ("tasks: [ocr]\ntext_layer: maybe\n", 2, "text_layer", "unknown value 'maybe'"),
        ("tasks: [ocr]\nreuse_ocr_text: 1\n", 2, "reuse_ocr_text", "expected true or false"),
        ("tasks: [ocr]\npdf:\n  image: png\n", 3, "pdf.image", "unknown value 'png'"),
        ("tasks: [ocr]\npdf:\n  jpeg_quality: 0\n", 3, "pdf.jpeg_quality", "between 1 and 100"),
        ("tasks: [ocr]\npdf:\n  dpi: 300\n", 3, "pdf.dpi", "unknown key"),
        (
            "tasks: [ocr]\noutput:\n  folder: \"{stem}/{year}\"\n", 3, "output.folder",
            "unknown placeholder '{year}'"
        ),
        (
            "tasks: [ocr]\noutput:\n  folder: ../x\n", 3, "output.folder",
            "must not be empty, '.' or '..'"
        ),
        (
            "tasks: [ocr]\nretries:\n  max_attempts: 0\n", 3, "retries.max_attempts",
            "between 1 and 100"
        ),
        (
            "tasks: [ocr]\nretries:\n  initial_backoff_seconds: 60\n  max_backoff_seconds: 5\n", 4,
            "retries.max_backoff_seconds", "below initial_backoff_seconds"
        ),
        ("tasks: [ocr]\nduplicates: ignore\n", 2, "duplicates", "unknown value 'ignore'"),
        ("version: 2\ntasks: [ocr]\n", 1, "version", "unsupported version"),
        ("tasks: [ocr]\ndpi: 300\ndpi: 200\n", 2, "dpi", "more than once"),
        ("tasks: [ocr]\ntiling: [page]\n", 2, "tiling", "expected a mapping"),
    ])
    func badFilesAreLocated(yaml: String, line: Int, key: String, reason: String) {
        do {
            _ = try PipelineDefinition.parse(yaml: yaml, file: "bad.yaml", defaultName: "bad")
            Issue.record("accepted: \(yaml)")
        } catch let error as PipelineDefinitionError {
            #expect(error.file == "bad.yaml")
            #expect(error.line == line, "\(error)")
            #expect(error.key == key, "\(error)")
            #expect(error.reason.contains(reason), "\(error)")
            #expect(error.description.hasPrefix("bad.yaml:\(line):"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: ["tasks: [ocr\n", "tasks:\n  - ocr\n bad: [\n", "\t- x\n", ""])
    func syntaxErrorsAreLocated(yaml: String) {
        #expect(throws: PipelineDefinitionError.self) {
            try PipelineDefinition.parse(yaml: yaml, file: "broken.yaml", defaultName: "broken")
        }
        let error = #expect(throws: PipelineDefinitionError.self) {
            try PipelineDefinition.parse(yaml: yaml, file: "broken.yaml", defaultName: "broken")
        }
        #expect(error?.file == "broken.yaml")
        if !yaml.isEmpty { #expect(error?.line != nil) }
    }

    @Test func unreadableFileNamesTheFile() {
        let error = #expect(throws: PipelineDefinitionError.self) {
            try PipelineDefinition.load(from: URL(fileURLWithPath: "/nonexistent/p.yaml"))
        }
        #expect(error?.file == "/nonexistent/p.yaml")
    }

    @Test func modelFolderPrecedence() throws {
        let source = URL(fileURLWithPath: "/srv/pipelines/mine.yaml")
        let definition = try PipelineDefinition.parse(
            yaml: "model: models/pg2\ntasks: [ocr]\n", file: source.path, defaultName: "mine",
            sourceFile: source)
        #expect(definition.modelFolder(environment: [:])?.path == "/srv/pipelines/models/pg2")
        #expect(
            definition.modelFolder(environment: ["PALIDOC_MODEL": "/env/model"])?.path
                == "/env/model")
        #expect(
            definition.modelFolder(override: "/flag/model", environment: ["PALIDOC_MODEL": "/env"])?
                .path == "/flag/model")
        let home = FileManager.default.homeDirectoryForCurrentUser.path
        let tilde = try PipelineDefinition.parse(
            yaml: "model: ~/m\ntasks: [ocr]\n", file: "x", defaultName: "x")
        #expect(tilde.modelFolder(environment: [:])?.path == "\(home)/m")
        let none = try PipelineDefinition.parse(yaml: "tasks: [ocr]\n", file: "x", defaultName: "x")
        #expect(none.modelFolder(environment: [:]) == nil)
    }

    @Test func retryBackoffDoublesUpToTheCap() {
        let policy = RetryPolicy(maxAttempts: 10, initialBackoff: 5, maxBackoff: 30)
        #expect((1...6).map(policy.delay(afterAttempt:)) == [5, 10, 20, 30, 30, 30])
    }
}
