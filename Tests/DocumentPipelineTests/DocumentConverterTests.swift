import DocumentIngest
import DocumentModel
import Foundation
import PaliTestSupport
import Testing

@testable import DocumentPipeline

@Suite struct DocumentConverterTests {
    @Test func resolutionMustMatchTheModelUnlessAuto() throws {
        let engine = try RealEngine.engine()
        #expect(engine.info.imageSize == 56)
        #expect(engine.info.isRandomTestModel)
        var pipeline = RealEngine.pipeline
        pipeline.resolution = 448
        #expect(throws: ConverterError.self) {
            try DocumentConverter(pipeline: pipeline, engine: engine)
        }
        pipeline.resolution = nil
        #expect(try DocumentConverter(pipeline: pipeline, engine: engine).resolution == 56)
    }

    @Test func batchedRequestsMatchOneByOne() async throws {
        let engine = try RealEngine.engine()
        let images = try (0..<3).map { seed in
            let folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("palidoc-engine-\(UUID().uuidString).png")
            defer { try? FileManager.default.removeItem(at: folder) }
            try RealEngine.png(seed: seed).write(to: folder)
            return try ImageFile.read(folder)
        }
        let requests = images.map { EngineRequest(image: $0, prompt: "ocr", maxTokens: 5) }
        let batched = try await engine.generate(requests)
        for (request, result) in zip(requests, batched) {
            let single = try await engine.generate([request])
            #expect(single[0].ids == result.ids && single[0].text == result.text)
        }
        #expect(batched.allSatisfy { !$0.ids.isEmpty && $0.ids.count <= 5 })
    }

    @Test func randomTestModelsAreRecognisedByTheirManifest() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("palidoc-manifest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(!PaliGemmaEngine.isRandomTestModel(folder))
        try Data(#"{"random_weights": false}"#.utf8).write(
            to: folder.appendingPathComponent("manifest.json"))
        #expect(!PaliGemmaEngine.isRandomTestModel(folder))
        try Data(#"{"random_weights": true}"#.utf8).write(
            to: folder.appendingPathComponent("manifest.json"))
        #expect(PaliGemmaEngine.isRandomTestModel(folder))
    }
}

/// Pages batched together: a document's single-tile pages share engine calls up to the
/// engine's batch size, and every page gets the results of its own tiles.
@Suite struct PageBatchingTests {
    /// The real engine, announcing `batch` and recording the size of every call.
    final class RecordingEngine: Engine, @unchecked Sendable {
        let inner: any Engine
        let preferredBatchSize: Int
        private let lock = NSLock()
        private var sizes: [Int] = []
        var info: EngineInfo { inner.info }

        init(inner: any Engine, batch: Int) {
            self.inner = inner
            preferredBatchSize = batch
        }

        var calls: [Int] { lock.withLock { sizes } }

        func generate(_ requests: [EngineRequest]) async throws -> [EngineResult] {
            lock.withLock { sizes.append(requests.count) }
            return try await inner.generate(requests)
        }
    }

    @Test func pagesShareEngineCallsAndKeepTheirOwnResults() async throws {
        let file = FixturePaths.fixture("ingest").appendingPathComponent("multipage.tif")
        var pipeline = RealEngine.pipeline
        pipeline.tiling = .init(mode: .page)
        pipeline.skipBlankTiles = false
        pipeline.tasks = [PipelineTask(kind: .ocr, maxTokens: 4)]
        pipeline.exporters = [.json]
        var documents: [Document] = []
        var calls: [[Int]] = []
        for batch in [2, 1] {
            let engine = RecordingEngine(inner: try RealEngine.engine(), batch: batch)
            let converter = try DocumentConverter(pipeline: pipeline, engine: engine)
            let output = try TemporaryDirectory("page-batching")
            let progress = DocumentConverter.Progress(
                completed: [], setPageCount: { _ in }, completePage: { _ in })
            documents.append(
                try await converter.convert(
                    file: file, sourcePath: "multipage.tif", contentHash: nil, into: output.url,
                    progress: progress, events: { _ in }))
            calls.append(engine.calls)
        }
        #expect(calls == [[2, 1], [1, 1, 1]])
        #expect(documents[0].pages.map(\.number) == [1, 2, 3])
        #expect(documents[0].pages == documents[1].pages)
    }
}
