import DocumentModel
import Foundation
import PaliGemma

/// What to do with each document: model, rendering, tiling, tasks, exporters, output layout
/// and failure handling. Loaded from a `pipelines/*.yaml` file (see
/// `PipelineDefinition+YAML.swift` for the keys) or built in code.
public struct PipelineDefinition: Sendable, Equatable {
    /// Page rendering into model inputs.
    public struct Tiling: Sendable, Equatable {
        /// Whole pages or tiles.
        public var mode: TilingMode
        /// Tile side in page pixels (at `dpi`); `nil` means the model resolution, so tiles
        /// are not scaled. Only used with `.tiles`.
        public var tileSize: Int?
        /// Overlap of neighbouring tiles as a fraction of the tile side, in [0, 0.5).
        public var overlap: Double

        /// A tiling; the default feeds whole pages.
        public init(mode: TilingMode = .page, tileSize: Int? = nil, overlap: Double = 0) {
            self.mode = mode
            self.tileSize = tileSize
            self.overlap = overlap
        }
    }

    /// Model input resolutions PaliGemma checkpoints come in.
    public static let resolutions = [224, 448, 896]
    /// Allowed rendering resolutions.
    public static let dpiRange = 36...1200
    /// The only schema version so far.
    public static let currentVersion = 1

    /// The pipeline's name (the file's stem unless the file sets `name`).
    public var name: String
    /// One-line description for listings.
    public var summary: String?
    /// Checkpoint folder as written in the file (`~` and relative paths are resolved by
    /// `modelFolder(override:environment:)`); `nil` when the file names none.
    public var model: String?
    /// Model input resolution in pixels (224, 448 or 896), which the checkpoint must have;
    /// `nil` (`auto` in the file, the default) takes the checkpoint's own.
    public var resolution: Int?
    /// How the checkpoint's weights are held in memory (speed and memory against exactness);
    /// `nil` (the default) leaves it to the engine (`PaliGemmaEngine.defaultWeights`).
    public var weights: WeightPrecision?
    /// How inference holds its keys and values (`kv_cache`); `nil` (the default): float32.
    public var kvCache: KVCacheFormat?
    /// Rendering resolution for PDF pages (images keep their own pixels).
    public var dpi: Int
    /// Whole pages or tiles.
    public var tiling: Tiling
    /// Largest page raster in megapixels; a page that would be larger at `dpi` is rendered
    /// at the highest DPI that fits, so one huge page cannot exhaust memory.
    public var maxPageMegapixels: Double
    /// Skip tiles that are blank (uniform paper) instead of running the model on them.
    public var skipBlankTiles: Bool
    /// Where the `ocr` and `ocr-words` tasks take a PDF page's text from.
    public var textLayer: TextLayerPolicy = .auto
    /// With `textLayer` `.auto`: count the text of scanned pages (an earlier OCR run's) as a
    /// real text layer.
    public var reuseOCRText = false
    /// Page images of the `pdf` exporter.
    public var pdf = PDFImageSettings()
    /// The tasks run on every page or tile, in order.
    public var tasks: [PipelineTask]
    /// The formats written for every document.
    public var exporters: [ExporterKind]
    /// Where result folders go.
    public var output: OutputLayout
    /// Retries of transient failures.
    public var retries: RetryPolicy
    /// What a watcher does with content it has seen before.
    public var duplicates: DuplicatePolicy
    /// Refuse a damaged PDF (broken cross-reference table, missing `%%EOF`) instead of
    /// converting it with Poppler's repair and a `repaired` warning.
    public var strict: Bool
    /// Pages per work unit when documents go through a shared queue (`palidoc submit`,
    /// `worker`): one document is converted by as many workers as it has chunks.
    public var chunkPages = 1
    /// The file this definition was read from, when it came from one.
    public var sourceFile: URL?

    /// A definition; every setting but the tasks has a default.
    public init(
        name: String, summary: String? = nil, model: String? = nil, resolution: Int? = nil,
        weights: WeightPrecision? = nil, dpi: Int = 300, tiling: Tiling = Tiling(), maxPageMegapixels: Double = 80,
        skipBlankTiles: Bool = true, tasks: [PipelineTask], exporters: [ExporterKind] = [.json],
        output: OutputLayout = OutputLayout(), retries: RetryPolicy = RetryPolicy(),
        duplicates: DuplicatePolicy = .skip, strict: Bool = false, sourceFile: URL? = nil
    ) {
        self.name = name
        self.summary = summary
        self.model = model
        self.resolution = resolution
        self.weights = weights
        self.dpi = dpi
        self.tiling = tiling
        self.maxPageMegapixels = maxPageMegapixels
        self.skipBlankTiles = skipBlankTiles
        self.tasks = tasks
        self.exporters = exporters
        self.output = output
        self.retries = retries
        self.duplicates = duplicates
        self.strict = strict
        self.sourceFile = sourceFile
    }

    /// The checkpoint folder to use: `override` (the `--model` flag) first, then the
    /// `PALIDOC_MODEL` environment variable, then the file's `model` key (`~` expanded; a
    /// relative path is taken from the pipeline file's folder). `nil` when none is set.
    public func modelFolder(
        override: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL? {
        if let override, !override.isEmpty {
            return URL(fileURLWithPath: (override as NSString).expandingTildeInPath)
        }
        if let variable = environment["PALIDOC_MODEL"], !variable.isEmpty {
            return URL(fileURLWithPath: (variable as NSString).expandingTildeInPath)
        }
        guard let model else { return nil }
        let expanded = (model as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded) }
        let base =
            sourceFile?.deletingLastPathComponent()
            ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        return base.appendingPathComponent(expanded).standardizedFileURL
    }
}
