import DocumentModel
import Foundation
import PaliTestSupport
import Testing

@testable import DocumentPipeline

/// A pipeline whose input and token budget cannot fit the model's positions stops before
/// any document, naming the numbers.
@Suite struct TokenBudgetTests {
    @Test func budgetMustFitTheModelsPositions() throws {
        let engine = try RealEngine.engine()
        let limit = try #require(engine.info.maxPositions)
        let image = try #require(engine.info.imageTokens)
        #expect(image == 16)
        let input = try #require(try engine.inputLength(prompt: "ocr"))
        // `<bos>`, the prompt's pieces and its line break come after the image tokens.
        #expect(input > image + 2)
        var pipeline = RealEngine.pipeline
        pipeline.tasks = [PipelineTask(kind: .ocr, maxTokens: limit - input)]
        _ = try DocumentConverter(pipeline: pipeline, engine: engine)
        pipeline.tasks = [
            PipelineTask(kind: .caption, maxTokens: 4),
            PipelineTask(kind: .ocr, maxTokens: limit - input + 1),
        ]
        let error = try #require(throws: ConverterError.self) {
            try DocumentConverter(pipeline: pipeline, engine: engine)
        }
        #expect(
            error.reason
                == "pipeline 'e2e': task 'ocr' needs \(image) image tokens + \(input - image) "
                + "prompt tokens + max_tokens \(limit - input + 1) = \(limit + 1) positions, but "
                + "the model 'paligemma2-tiny' has \(limit); set max_tokens to \(limit - input) "
                + "or less")
    }
}
