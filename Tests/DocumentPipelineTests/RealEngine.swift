import DocumentIngest
import DocumentModel
import DocumentPipeline
import Foundation
import PaliTestSupport
import Raster

/// The real tiny PaliGemma 2 checkpoint and a fast pipeline, shared by the end-to-end tests.
enum RealEngine {
    /// Loaded once per test process.
    static let shared: Result<PaliGemmaEngine, Error> = Result {
        try PaliGemmaEngine(directory: FixturePaths.fixture("paligemma2-tiny"))
    }

    /// The engine, or the load error.
    static func engine() throws -> PaliGemmaEngine { try shared.get() }

    /// 36 dpi, tiles of 160 px with overlap, OCR words and plain OCR with tiny budgets; the
    /// model reads every page, born-digital ones too (`text_layer: ignore`).
    static let pipeline: PipelineDefinition = {
        var pipeline = PipelineDefinition(
            name: "e2e", dpi: 36, tiling: .init(mode: .tiles, tileSize: 160, overlap: 0.1),
            tasks: [
                PipelineTask(kind: .ocrWords, maxTokens: 6),
                PipelineTask(kind: .ocr, maxTokens: 3),
            ],
            exporters: [.json, .html, .markdown, .hocr, .alto])
        pipeline.textLayer = .ignore
        return pipeline
    }()

    /// A small PNG whose pixels depend on `seed` (so every seed is distinct content).
    static func png(seed: Int, width: Int = 90, height: Int = 70) throws -> Data {
        var pixels = [UInt8](repeating: 255, count: width * height * 3)
        for i in 0..<(width * height) where (i * 7 + seed * 13) % 11 == 0 {
            pixels[i * 3] = UInt8(seed % 200)
            pixels[i * 3 + 1] = UInt8((seed / 200) % 200)
            pixels[i * 3 + 2] = 0
        }
        let folder = try TemporaryDirectory("png")
        let url = folder.file("image.png")
        try ImageFile.writePNG(
            RGBImage(width: width, height: height, pixels: pixels), to: url)
        return try Data(contentsOf: url)
    }
}

/// An engine that waits before each batch: the real engine, slowed so a test can kill a
/// process in the middle of a document.
struct SlowEngine: Engine {
    let inner: any Engine
    let delay: TimeInterval
    /// Checked before each call: once true, the call waits (an hour) instead, so a process
    /// killed from outside is reliably caught at that point however slowly its killer runs.
    var stall: @Sendable () async -> Bool = { false }
    var info: EngineInfo { inner.info }

    func generate(_ requests: [EngineRequest]) async throws -> [EngineResult] {
        try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
        if await stall() { try await Task.sleep(nanoseconds: 3_600_000_000_000) }
        return try await inner.generate(requests)
    }
}
