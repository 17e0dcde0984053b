import DocumentModel
import Foundation
import PaliGemma
import Yams

/// Reading pipeline files. The keys (all but `tasks` optional; see `pipelines/default.yaml`
/// for a commented example):
///
/// ```yaml
/// version: 1                    # schema version; only 1 exists
/// name: ocr                     # defaults to the file name without .yaml
/// description: text
/// model: ~/models/paligemma2-3b-pt-448   # overridden by --model, then PALIDOC_MODEL
/// resolution: auto              # auto (the checkpoint's) | 224 | 448 | 896
/// weights: f32                  # weights in memory; see WeightPrecision (default: the engine's)
/// kv_cache: f32                 # keys and values in memory: f32 | bf16 (default: f32)
/// dpi: 300                      # 36…1200
/// tiling: {mode: tiles, tile_size: 896, overlap: 0.1}   # mode: page | tiles
/// max_page_megapixels: 80
/// skip_blank_tiles: true
/// strict: false                 # true: refuse damaged PDFs instead of repairing them
/// text_layer: auto              # auto | use | ignore: a PDF's own text for ocr, ocr-words
/// reuse_ocr_text: false         # auto: also the text of scanned pages (earlier OCR)
/// pdf: {image: lossless, jpeg_quality: 85}   # the pdf exporter's page images
/// tasks:                        # a task name alone, or a mapping
///   - ocr
///   - {task: answer, question: "What is the total?", max_tokens: 32, beams: 1}
///   - {task: detect, objects: [table, figure]}
/// exporters: [json, markdown]   # json html csv markdown hocr alto krn smi pdf
/// output: {folder: "{stem}"}
/// retries: {max_attempts: 3, initial_backoff_seconds: 10, max_backoff_seconds: 600}
/// duplicates: skip              # skip | reprocess
/// chunk_pages: 1                # pages per work unit on a shared queue (1…10000)
/// ```
///
/// Unknown keys, wrong types and out-of-range values are errors naming file, line and key.
extension PipelineDefinition {
    /// Reads and checks the pipeline file at `url`.
    public static func load(from url: URL) throws -> PipelineDefinition {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw PipelineDefinitionError(
                file: url.path, reason: "cannot read the file (\(error.localizedDescription))")
        }
        let stem = url.deletingPathExtension().lastPathComponent
        return try parse(yaml: text, file: url.path, defaultName: stem, sourceFile: url)
    }

    /// Parses pipeline YAML; `file` names the source in errors, `defaultName` is used when
    /// the text has no `name` key.
    public static func parse(
        yaml text: String, file: String, defaultName: String, sourceFile: URL? = nil
    ) throws -> PipelineDefinition {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw PipelineDefinitionError(file: file, reason: "the file is empty")
            }
            root = node
        } catch let error as YamlError {
            throw convert(error, file: file)
        }
        var reader = try YAMLMappingReader(root, file: file, path: "")
        if let version = reader.value("version") {
            guard version.int == currentVersion else {
                throw reader.error(
                    "version", at: version,
                    "unsupported version '\(version.string ?? "?")' (this palidoc reads 1)")
            }
        }
        var definition = PipelineDefinition(
            name: try reader.string("name") ?? defaultName, tasks: [], sourceFile: sourceFile)
        definition.summary = try reader.string("description")
        definition.model = try reader.string("model")
        if let node = reader.value("resolution"), case .scalar(let scalar) = node,
            scalar.style == .plain, scalar.string == "auto"
        {
            definition.resolution = nil
        } else {
            definition.resolution = try reader.int("resolution", oneOf: resolutions)
        }
        definition.weights = try reader.choice("weights", as: WeightPrecision.self)
        definition.kvCache = try reader.choice("kv_cache", as: KVCacheFormat.self)
        definition.dpi = try reader.int("dpi", in: dpiRange) ?? definition.dpi
        if var tiling = try reader.mapping("tiling") {
            definition.tiling = try readTiling(&tiling)
        }
        definition.maxPageMegapixels =
            try reader.double("max_page_megapixels", in: 1...1000) ?? definition.maxPageMegapixels
        definition.skipBlankTiles = try reader.bool("skip_blank_tiles") ?? true
        definition.strict = try reader.bool("strict") ?? false
        definition.textLayer = try reader.choice("text_layer", as: TextLayerPolicy.self) ?? .auto
        definition.reuseOCRText = try reader.bool("reuse_ocr_text") ?? false
        if var pdf = try reader.mapping("pdf") {
            definition.pdf = try readPDF(&pdf)
        }
        definition.tasks = try readTasks(&reader)
        definition.exporters = try readExporters(&reader, tasks: definition.tasks)
        if var output = try reader.mapping("output") {
            definition.output = try readOutput(&output)
        }
        if var retries = try reader.mapping("retries") {
            definition.retries = try readRetries(&retries)
        }
        definition.duplicates = try reader.choice("duplicates", as: DuplicatePolicy.self) ?? .skip
        definition.chunkPages = try reader.int("chunk_pages", in: 1...10_000) ?? 1
        try reader.finish()
        return definition
    }

    private static func readTiling(_ reader: inout YAMLMappingReader) throws -> Tiling {
        var tiling = Tiling()
        tiling.mode = try reader.choice("mode", as: TilingMode.self) ?? .page
        let sizeNode = reader.value("tile_size")
        let overlapNode = reader.value("overlap")
        if tiling.mode == .page, let node = sizeNode ?? overlapNode {
            let key = sizeNode != nil ? "tile_size" : "overlap"
            throw reader.error(key, at: node, "only used with 'mode: tiles'")
        }
        tiling.tileSize = try reader.int("tile_size", in: 64...8192)
        tiling.overlap = try reader.double("overlap", in: 0...0.49) ?? 0
        try reader.finish()
        return tiling
    }

    private static func readPDF(_ reader: inout YAMLMappingReader) throws -> PDFImageSettings {
        var settings = PDFImageSettings()
        settings.image =
            try reader.choice("image", as: PDFImageSettings.Encoding.self) ?? settings.image
        settings.jpegQuality =
            try reader.int("jpeg_quality", in: PDFImageSettings.qualityRange)
            ?? settings.jpegQuality
        try reader.finish()
        return settings
    }

    private static func readTasks(_ reader: inout YAMLMappingReader) throws -> [PipelineTask] {
        guard let items = try reader.sequence("tasks"), !items.isEmpty else {
            throw reader.error("tasks", "is required: a list of at least one task")
        }
        var tasks: [PipelineTask] = []
        for (node, path) in items {
            let task = try readTask(node, path: path, file: reader.file)
            if tasks.contains(where: { $0.kind == task.kind && $0.prompt == task.prompt }) {
                throw YAMLMappingReader.error(
                    file: reader.file, node: node, key: path,
                    reason:
                        "task '\(task.kind.rawValue)' with prompt '\(task.prompt)' is listed twice")
            }
            tasks.append(task)
        }
        return tasks
    }

    private static func readTask(_ node: Node, path: String, file: String) throws -> PipelineTask {
        if case .scalar(let scalar) = node {
            let kind = try YAMLMappingReader.choice(scalar.string, as: PipelineTaskKind.self) {
                YAMLMappingReader.error(file: file, node: node, key: path, reason: $0)
            }
            guard !kind.defaultPrompt.contains("{") else {
                throw YAMLMappingReader.error(
                    file: file, node: node, key: path,
                    reason: "task '\(kind.rawValue)' needs settings: write it as a mapping "
                        + "with '\(kind == .answer ? "question" : "objects")'")
            }
            return PipelineTask(kind: kind)
        }
        var reader = try YAMLMappingReader(node, file: file, path: path)
        guard let kind = try reader.choice("task", as: PipelineTaskKind.self) else {
            throw reader.error(
                "task",
                "is required (one of: "
                    + PipelineTaskKind.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        var prompt = try reader.string("prompt") ?? kind.defaultPrompt
        if kind == .answer, let questionNode = reader.value("question") {
            guard let question = questionNode.scalar?.string, !question.isEmpty else {
                throw reader.error("question", at: questionNode, "expected a non-empty string")
            }
            prompt = prompt.replacingOccurrences(of: "{question}", with: question)
        }
        if kind == .detect, let objects = try reader.sequence("objects") {
            let names = try objects.map { item, itemPath in
                guard let name = item.scalar?.string, !name.isEmpty, !name.contains(";") else {
                    throw YAMLMappingReader.error(
                        file: file, node: item, key: itemPath,
                        reason: "expected an object name (a string without ';')")
                }
                return name
            }
            guard !names.isEmpty else { throw reader.error("objects", "must not be empty") }
            prompt = prompt.replacingOccurrences(
                of: "{objects}", with: names.joined(separator: " ; "))
        }
        for (placeholder, key) in [("{question}", "question"), ("{objects}", "objects")]
        where prompt.contains(placeholder) {
            throw reader.error(key, "is required: the prompt '\(prompt)' contains \(placeholder)")
        }
        let maxTokens = try reader.int("max_tokens", in: PipelineTask.maxTokensRange)
        let beams = try reader.int("beams", in: PipelineTask.beamsRange) ?? 1
        try reader.finish()
        return PipelineTask(kind: kind, prompt: prompt, maxTokens: maxTokens, beams: beams)
    }

    private static func readExporters(_ reader: inout YAMLMappingReader, tasks: [PipelineTask])
        throws -> [ExporterKind]
    {
        guard let items = try reader.sequence("exporters") else { return [.json] }
        guard !items.isEmpty else { throw reader.error("exporters", "must not be empty") }
        var exporters: [ExporterKind] = []
        let kinds = Set(tasks.map(\.kind))
        let file = reader.file
        for (node, path) in items {
            let fail = { (reason: String) in
                YAMLMappingReader.error(file: file, node: node, key: path, reason: reason)
            }
            guard case .scalar(let scalar) = node else { throw fail("expected an exporter name") }
            let exporter = try YAMLMappingReader.choice(
                scalar.string, as: ExporterKind.self, makeError: fail)
            if exporters.contains(exporter) { throw fail("'\(exporter.rawValue)' is listed twice") }
            let needed = exporter.requiredTasks
            if !needed.isEmpty, needed.isDisjoint(with: kinds) {
                let names = needed.map(\.rawValue).sorted().joined(separator: " or ")
                throw fail("'\(exporter.rawValue)' needs a \(names) task in 'tasks'")
            }
            exporters.append(exporter)
        }
        return exporters
    }

    private static func readOutput(_ reader: inout YAMLMappingReader) throws -> OutputLayout {
        var layout = OutputLayout()
        if let node = reader.value("folder") {
            guard case .scalar(let scalar) = node else {
                throw reader.error("folder", at: node, "expected a path template")
            }
            layout.folder = scalar.string
            if let problem = layout.templateProblem() {
                throw reader.error("folder", at: node, problem)
            }
        }
        try reader.finish()
        return layout
    }

    private static func readRetries(_ reader: inout YAMLMappingReader) throws -> RetryPolicy {
        var policy = RetryPolicy()
        policy.maxAttempts =
            try reader.int("max_attempts", in: RetryPolicy.maxAttemptsRange) ?? policy.maxAttempts
        policy.initialBackoff =
            try reader.double("initial_backoff_seconds", in: 0...86_400) ?? policy.initialBackoff
        let maxNode = reader.value("max_backoff_seconds")
        policy.maxBackoff =
            try reader.double("max_backoff_seconds", in: 0...86_400) ?? policy.maxBackoff
        if policy.maxBackoff < policy.initialBackoff {
            throw reader.error(
                maxNode != nil ? "max_backoff_seconds" : "initial_backoff_seconds", at: maxNode,
                "max_backoff_seconds (\(policy.maxBackoff)) is below initial_backoff_seconds "
                    + "(\(policy.initialBackoff))")
        }
        try reader.finish()
        return policy
    }

    /// A Yams syntax error as a located pipeline error.
    private static func convert(_ error: YamlError, file: String) -> PipelineDefinitionError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return PipelineDefinitionError(
                file: file, line: mark.line, column: mark.column, reason: "invalid YAML: \(problem)"
            )
        case .duplicatedKeysInMapping(let duplicates, let context):
            return PipelineDefinitionError(
                file: file, line: context.mark.line, column: context.mark.column,
                key: duplicates.first, reason: "key appears more than once")
        default:
            return PipelineDefinitionError(file: file, reason: "invalid YAML: \(error)")
        }
    }
}
