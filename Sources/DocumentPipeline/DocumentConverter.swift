import DocumentExport
import DocumentIngest
import DocumentModel
import DocumentTasks
import Foundation

/// The conversion of one document by a pipeline and an engine: open → pages (from the first
/// unfinished one) → tiles (blank ones skipped when configured) → each task's tiles batched
/// through the engine → parsed by the task → OCR words merged into page coordinates → the
/// `Document` → the pipeline's exporters. It is the watcher's `DocumentProcessor` and
/// `BatchConverter`'s worker.
///
/// Each finished page is saved as `.pages/page-NNNN.json` in the output folder before it is
/// reported complete, so an interrupted conversion resumes at its first unfinished page;
/// the document-level files are written once every page is done, and `.pages/` is removed.
public final class DocumentConverter: DocumentProcessor {
    /// The pipeline.
    public let pipeline: PipelineDefinition
    /// The engine.
    public let engine: any Engine
    /// The model input size in use (the pipeline's, which must equal the engine's, or the
    /// engine's when the pipeline says `auto`).
    public let resolution: Int
    /// Pages to convert (1-based selection); `nil` converts every page.
    public let pages: PageSelection?
    /// Password for encrypted PDFs.
    public let password: String?
    private let tasks: [(settings: PipelineTask, parser: any DocumentTask)]
    private let tiler: Tiler
    private let onEvent: @Sendable (ConversionEvent) -> Void
    /// Rendering, tiling and file encoding run here, off Swift's cooperative pool.
    private let workers: WorkerThreads

    /// The palidoc version recorded in documents.
    public static let version = "0.1.0"
    /// Folder of saved finished pages inside an output folder.
    static let pagesFolder = ".pages"

    /// A converter rendering on `threads` threads of its own (one per document converted at
    /// once); throws `ConverterError` when the pipeline's resolution differs from the model's,
    /// a task's token budget cannot fit the model's positions, or its tiling cannot be built.
    public init(
        pipeline: PipelineDefinition, engine: any Engine, pages: PageSelection? = nil,
        password: String? = nil, threads: Int = 1,
        onEvent: @escaping @Sendable (ConversionEvent) -> Void = { _ in }
    ) throws {
        let modelSize = engine.info.imageSize
        if let wanted = pipeline.resolution, wanted != modelSize {
            let where_ = pipeline.sourceFile.map { " (\($0.path))" } ?? ""
            throw ConverterError(
                "pipeline '\(pipeline.name)'\(where_) asks for resolution \(wanted), but the "
                    + "model '\(engine.info.model.name)' takes \(modelSize) px images; set "
                    + "'resolution: auto' or \(modelSize), or use a \(wanted) px checkpoint")
        }
        try Self.checkTokenBudgets(pipeline, engine: engine)
        self.pipeline = pipeline
        self.engine = engine
        resolution = modelSize
        self.pages = pages
        self.password = password
        self.onEvent = onEvent
        workers = WorkerThreads(count: threads, name: "palidoc-render")
        tasks = pipeline.tasks.map { ($0, $0.documentTask) }
        do {
            tiler = try Tiler(
                mode: pipeline.tiling.mode, tileSize: pipeline.tiling.tileSize ?? modelSize,
                overlap: pipeline.tiling.overlap)
        } catch {
            throw ConverterError("pipeline '\(pipeline.name)': \(error)")
        }
    }

    /// Throws `ConverterError` when a task's input and token budget cannot fit the model's
    /// positions (image tokens + prompt tokens + `max_tokens` > the model's maximum), so the
    /// pipeline stops before any document rather than failing each one.
    static func checkTokenBudgets(_ pipeline: PipelineDefinition, engine: any Engine) throws {
        guard let limit = engine.info.maxPositions else { return }
        for task in pipeline.tasks {
            guard let input = try engine.inputLength(prompt: task.prompt) else { continue }
            let needed = input + task.maxTokens
            guard needed > limit else { continue }
            let image = engine.info.imageTokens ?? 0
            let where_ = pipeline.sourceFile.map { " (\($0.path))" } ?? ""
            let fits = limit - input
            throw ConverterError(
                "pipeline '\(pipeline.name)'\(where_): task '\(task.kind.rawValue)' needs "
                    + "\(image) image tokens + \(input - image) prompt tokens + max_tokens "
                    + "\(task.maxTokens) = \(needed) positions, but the model "
                    + "'\(engine.info.model.name)' has \(limit); "
                    + (fits >= 1
                        ? "set max_tokens to \(fits) or less" : "use a smaller resolution"))
        }
    }

    /// Where a conversion reports finished pages.
    struct Progress: Sendable {
        /// Pages finished earlier (0-based), whose saved results are in the output folder.
        var completed: Set<Int>
        /// Called with the page count once the document is open.
        var setPageCount: @Sendable (Int) async throws -> Void
        /// Called after a page's results are saved.
        var completePage: @Sendable (Int) async throws -> Void
    }

    /// `DocumentProcessor`: converts the claimed file into the context's output folder.
    public func process(_ context: ProcessingContext) async throws {
        let progress = Progress(
            completed: context.completedPages,
            setPageCount: { try await context.setPageCount($0) },
            completePage: { try await context.completePage($0) })
        let document = try await convert(
            file: context.file, sourcePath: context.job.originalName,
            contentHash: context.job.contentHash, into: context.outputFolder, progress: progress,
            events: onEvent)
        context.warnings = document.warnings ?? []
    }

    /// Converts `file` into `folder` (created if needed); `sourcePath` is the name recorded
    /// in the document; `events` receives progress. Throws `JobFailure` naming the stage
    /// and page on failure.
    @discardableResult
    func convert(
        file: URL, sourcePath: String, contentHash: String?, into folder: URL,
        progress: Progress, events: @escaping @Sendable (ConversionEvent) -> Void
    ) async throws -> Document {
        let clock = ContinuousClock()
        let start = clock.now
        var stages: [String: Double] = [:]
        func timed<T>(_ stage: String, _ body: () async throws -> T) async rethrows -> T {
            let begin = clock.now
            defer { stages[stage, default: 0] += (clock.now - begin) / .seconds(1) }
            return try await body()
        }
        let limits = IngestLimits(maxPageMegapixels: pipeline.maxPageMegapixels)
        let source: any DocumentSource
        let indices: [Int]
        do {
            source = try openDocument(
                url: file, password: password, limits: limits, strict: pipeline.strict)
            indices = try (pages ?? .all).indices(in: source)
        } catch {
            throw JobFailure(
                reason: reason(error, file: file, shown: sourcePath), stage: .open)
        }
        let textLayer = TextLayerReader(
            source: source, pipeline: pipeline, password: password,
            needed: tasks.contains { $0.settings.kind.readsText })
        try await progress.setPageCount(source.pageCount)
        let pagesFolder = folder.appendingPathComponent(Self.pagesFolder)
        try makeFolder(pagesFolder)
        let todo = indices.filter { !progress.completed.contains($0) }
        events(.opened(file: sourcePath, pagesToDo: todo.count, pagesSelected: indices.count))
        // Pages are rendered ahead into a group until the group's tiles fill one engine
        // batch, so whole-page (one tile per page) conversions decode several pages per
        // weight pass too; each page is still saved and reported on its own. A group holds
        // at most about one largest-allowed page of pixels, so memory stays bounded.
        var group: [RenderedPage] = []
        var groupTiles = 0, groupMegapixels = 0.0
        for (position, index) in todo.enumerated() {
            // A cancelled batch (SIGINT) ends between pages.
            try Task.checkCancellation()
            let page = try await timed("render") {
                try await workers.run { [self] () throws -> RenderedPage in
                    do {
                        return try render(source, index: index, textLayer: textLayer)
                    } catch {
                        throw JobFailure(
                            reason: reason(error, file: file, shown: sourcePath),
                            stage: .render, pageIndex: index)
                    }
                }
            }
            group.append(page)
            groupTiles += page.active.count
            groupMegapixels += Double(page.width * page.height) / 1e6
            let batch = max(1, engine.preferredBatchSize)
            let full =
                groupTiles >= batch || group.count >= batch
                || groupMegapixels >= pipeline.maxPageMegapixels
            guard full || position == todo.count - 1 else { continue }
            try Task.checkCancellation()
            let results = try await convertPages(
                group, file: sourcePath, folder: folder, stages: &stages, events: events)
            for (rendered, result) in zip(group, results) {
                try save(result, index: rendered.index, in: pagesFolder, file: sourcePath)
                events(.pageDone(file: sourcePath, pageIndex: rendered.index))
                try await progress.completePage(rendered.index)
            }
            group = []
            groupTiles = 0
            groupMegapixels = 0
        }
        var document = Document(
            source: SourceFile(
                path: sourcePath, format: source.format.rawValue, sha256: contentHash,
                byteCount: byteCount(file)),
            model: engine.info.model,
            pipeline: PipelineInfo(
                name: pipeline.name, tasks: pipeline.tasks.map(\.kind.rawValue),
                palidocVersion: Self.version))
        for index in indices {
            document.pages.append(try load(index: index, in: pagesFolder, file: sourcePath))
        }
        // Read after rendering: Poppler may repair a damaged table only when a page loads.
        let repairs = source.repairs
        if !repairs.isEmpty {
            document.warnings = [.repaired(details: repairs, pages: source.pageCount)]
        }
        let stem = Self.stem(of: sourcePath)
        try await timed("export") {
            do {
                document.timings = Timings(totalSeconds: (clock.now - start) / .seconds(1), stages: stages)
                let finished = document
                let exporters = pipeline.exporters
                let pdf = pipeline.pdf
                try await workers.run {
                    try DocumentExporters.write(
                        finished, exporters: exporters, to: folder, stem: stem,
                        pageImage: { page, encoding in
                            try Data(
                                contentsOf: Self.pageImage(page.number, encoding, in: folder))
                        }, pdfImage: pdf.image == .jpeg ? .jpeg : .png)
                }
                try FileManager.default.removeItem(at: pagesFolder)
            } catch {
                throw JobFailure(
                    reason: "\(sourcePath): cannot write the results: \(error)", stage: .export,
                    isTransient: true)
            }
        }
        return document
    }

    /// A rendered page waiting for the model.
    private struct RenderedPage: Sendable {
        /// 0-based page index.
        let index: Int
        /// The page pixels; `nil` when neither the model nor an exporter needs them.
        let raster: PageRaster?
        /// The raster's size, and its resolution when known.
        let width: Int
        let height: Int
        let dpi: Double?
        /// Size on paper in points (as displayed) and the input's rotation.
        let size: PageSize
        let rotation: Int
        let tiles: [TileImage]
        /// The tiles the model runs on (blank ones skipped when the pipeline says so).
        let active: [TileImage]
        /// The PDF text layer the text tasks take their words from; `nil` when the model
        /// reads the text.
        let text: PDFPageText?
    }

    /// Reads page `index`'s text layer when the pipeline uses it, and renders and tiles the
    /// page unless nothing needs its pixels (every task read from the text layer, and no
    /// exporter showing page images).
    private func render(_ source: any DocumentSource, index: Int, textLayer: TextLayerReader)
        throws -> RenderedPage
    {
        let text = try textLayer.text(ofPage: index)
        let modelTasks = tasks.filter { !(text != nil && $0.settings.kind.readsText) }
        let dpi = try dpi(for: source, index)
        let size = try source.pageSize(index: index)
        let rotation = try (source as? PDFDocumentSource)?.rotation(index: index) ?? 0
        guard modelTasks.isEmpty, !pipeline.exporters.contains(where: \.showsPageImages) else {
            let raster = try source.renderPage(index: index, dpi: dpi)
            let tiles = modelTasks.isEmpty ? [] : tiler.tiles(of: raster.image)
            return RenderedPage(
                index: index, raster: raster, width: raster.image.width,
                height: raster.image.height, dpi: raster.resolution.map { ($0.x + $0.y) / 2 },
                size: size, rotation: rotation, tiles: tiles,
                active: tiles.filter { !(pipeline.skipBlankTiles && $0.isBlank) }, text: text)
        }
        let pixels = size.pixelSize(dpi: dpi)
        return RenderedPage(
            index: index, raster: nil, width: pixels.width, height: pixels.height, dpi: dpi,
            size: size, rotation: rotation, tiles: [], active: [], text: text)
    }

    /// Runs every task on the tiles of a group of pages (one engine call per task for the
    /// whole group) and builds the pages.
    private func convertPages(
        _ group: [RenderedPage], file: String, folder: URL, stages: inout [String: Double],
        events: @Sendable (ConversionEvent) -> Void
    ) async throws -> [Page] {
        var pages: [Page] = []
        for rendered in group {
            pages.append(try await startPage(rendered, file: file, folder: folder))
        }
        let clock = ContinuousClock()
        for (settings, parser) in tasks {
            let begin = clock.now
            // Pages whose text layer is used get this task's results from it, not the model.
            let fromText = group.map { settings.kind.readsText && $0.text != nil }
            let active = zip(group, fromText).map { $1 ? [] : $0.active }
            let requests = active.flatMap { $0 }.map {
                EngineRequest(
                    image: $0.image, prompt: settings.prompt, maxTokens: settings.maxTokens,
                    beams: settings.beams)
            }
            let results: [EngineResult]
            do {
                results = requests.isEmpty ? [] : try await engine.generate(requests)
            } catch {
                let numbers = group.map { String($0.index + 1) }.joined(separator: ", ")
                throw JobFailure(
                    reason: "\(file): the model failed on page\(group.count > 1 ? "s" : "") "
                        + "\(numbers): \(error)",
                    stage: .inference, pageIndex: group[0].index)
            }
            stages["inference", default: 0] += (clock.now - begin) / .seconds(1)
            events(
                .tiles(
                    file: file, count: results.count,
                    tokens: results.map(\.ids.count).reduce(0, +)))
            let parseStart = clock.now
            var next = 0
            for (p, pageTiles) in active.enumerated() {
                let number = group[p].index + 1
                if settings.kind.readsText {
                    pages[p].textSource = fromText[p] ? .pdfText : .model
                }
                if fromText[p], let text = group[p].text {
                    pages[p].regions.append(
                        TextLayerRegion.region(
                            text, task: parser.name, words: settings.kind == .ocrWords,
                            page: pages[p]))
                    continue
                }
                let pageResults = results[next..<(next + pageTiles.count)]
                next += pageTiles.count
                var regions = zip(pageTiles, pageResults).map { tile, result in
                    parser.parse(result.text, tile: tile.tile, page: number)
                }
                for r in regions.indices where settings.kind.readsText {
                    for w in regions[r].words.indices { regions[r].words[w].source = .model }
                }
                if settings.kind == .ocrWords && !regions.isEmpty {
                    pages[p].regions.append(
                        TileMerger.mergeWords(
                            regions, tiles: pageTiles.map(\.tile), page: number,
                            task: parser.name))
                } else {
                    pages[p].regions += regions
                }
            }
            stages["parse", default: 0] += (clock.now - parseStart) / .seconds(1)
        }
        return pages
    }

    /// The page record before any task ran: size, DPI, tiles; and the page's raster saved for
    /// the HTML and PDF exporters when the pipeline has them.
    private func startPage(_ rendered: RenderedPage, file: String, folder: URL) async throws
        -> Page
    {
        let number = rendered.index + 1
        var page = Page(
            number: number, width: rendered.width, height: rendered.height, dpi: rendered.dpi,
            tiles: rendered.tiles.map(\.tile))
        page.pointWidth = rendered.size.width
        page.pointHeight = rendered.size.height
        page.rotation = rendered.rotation
        guard let raster = rendered.raster else { return page }
        let image = raster.image
        let pdf = pipeline.pdf
        // Kept beside the page results until the exporters run: PNG for the HTML page views
        // and a lossless PDF, JPEG for a `jpeg` one.
        let html = pipeline.exporters.contains(.html)
        let pdfEncoding: PDFPageImage.Encoding? =
            pipeline.exporters.contains(.pdf) ? (pdf.image == .jpeg ? .jpeg : .png) : nil
        do {
            if html || pdfEncoding == .png {
                let url = Self.pageImage(number, .png, in: folder)
                try await workers.run { try ImageFile.writePNG(image, to: url) }
            }
            if pdfEncoding == .jpeg {
                let url = Self.pageImage(number, .jpeg, in: folder)
                try await workers.run {
                    try ImageFile.writeJPEG(image, quality: pdf.jpegQuality, to: url)
                }
            }
            // The name the HTML exporter writes the image under, beside the HTML.
            if html { page.image = "pages/page-\(String(format: "%04d", number)).png" }
        } catch {
            throw JobFailure(
                reason: "\(file): cannot write the page image: \(error)", stage: .export,
                pageIndex: rendered.index, isTransient: true)
        }
        return page
    }

    /// The DPI for page `index`: the pipeline's, lowered for a PDF page that would exceed
    /// `max_page_megapixels` at it (raster pages keep their pixels; the ingest limit guards them).
    private func dpi(for source: any DocumentSource, _ index: Int) throws -> Double {
        let wanted = Double(pipeline.dpi)
        guard source.format == .pdf else { return wanted }
        let size = try source.pageSize(index: index)
        let squareInches = size.width * size.height / (72 * 72)
        guard squareInches > 0 else { return wanted }
        let fitting = (pipeline.maxPageMegapixels * 1_000_000 / squareInches).squareRoot()
        return min(wanted, fitting.rounded(.down))
    }

    private func save(_ page: Page, index: Int, in folder: URL, file: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            try AtomicFile.write(try encoder.encode(page), to: Self.pageFile(index, in: folder))
        } catch {
            throw JobFailure(
                reason: "\(file): cannot save page \(index + 1): \(error)", stage: .export,
                pageIndex: index, isTransient: true)
        }
    }

    private func load(index: Int, in folder: URL, file: String) throws -> Page {
        do {
            return try JSONDecoder().decode(
                Page.self, from: Data(contentsOf: Self.pageFile(index, in: folder)))
        } catch {
            throw JobFailure(
                reason: "\(file): the saved results of page \(index + 1) are unreadable",
                stage: .export, pageIndex: index)
        }
    }

    /// Where page `number`'s raster waits in `encoding` until the exporters run: among the
    /// saved pages, so an interrupted conversion keeps it, and removed with them.
    static func pageImage(
        _ number: Int, _ encoding: PDFPageImage.Encoding, in folder: URL
    ) -> URL {
        folder.appendingPathComponent(pagesFolder).appendingPathComponent(
            "page-\(String(format: "%04d", number)).\(encoding == .jpeg ? "jpg" : "png")")
    }

    static func pageFile(_ index: Int, in folder: URL) -> URL {
        folder.appendingPathComponent("page-\(String(format: "%04d", index + 1)).json")
    }

    /// The output file stem for a source name: its file name without the last extension.
    static func stem(of sourcePath: String) -> String {
        let name = URL(fileURLWithPath: sourcePath).lastPathComponent
        let stem = URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent
        return stem.isEmpty || stem.hasPrefix(".") ? "document" : stem
    }

    private func makeFolder(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw JobFailure(
                reason: "cannot create \(url.path): \(error.localizedDescription)",
                stage: .export, isTransient: true)
        }
    }

    private func byteCount(_ file: URL) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? nil
    }

    /// An ingest error's reason, naming the file as the user knows it.
    private func reason(_ error: Error, file: URL, shown: String) -> String {
        if let ingest = error as? IngestError { return "\(shown): \(ingest.reason.text)" }
        return "\(shown): \(error)"
    }
}
