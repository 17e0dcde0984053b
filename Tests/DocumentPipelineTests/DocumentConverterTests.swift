import DocumentIngest
import DocumentModel
import Foundation
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
