import Foundation
import PaliGemma
import Testing

/// Every stage of the Swift engine against transformers 5.24 (fp32, eager) on the tiny fixtures.
@Suite struct ParityTests {
    @Test(arguments: ParityFixture.names)
    func pixelValuesMatchPILProcessor(name: String) throws {
        let fixture = try ParityFixture(name)
        let model = try PaliGemmaModel(directory: fixture.directory)
        let pixels = model.pixelValues(for: try fixture.image())
        let deviation = Deviation(pixels, try fixture.floats("pixel_values"))
        print("\(name) pixel values: \(deviation)")
        #expect(deviation.maxAbs <= 2 / 255)
        #expect(deviation.meanAbs <= 1e-3)
    }

    @Test(arguments: ParityFixture.names)
    func visionAndProjectorMatch(name: String) throws {
        let fixture = try ParityFixture(name)
        let model = try PaliGemmaModel(directory: fixture.directory)
        let vision = model.visionOutput(pixelValues: try fixture.floats("pixel_values"))
        let visionDeviation = Deviation(vision, try fixture.floats("vision_output"))
        let projected = model.project(visionOutput: try fixture.floats("vision_output"))
        let projectorDeviation = Deviation(projected, try fixture.floats("projector_output"))
        print("\(name) vision: \(visionDeviation); projector: \(projectorDeviation)")
        #expect(visionDeviation.relative <= 1e-4)
        #expect(projectorDeviation.relative <= 1e-4)
    }

    @Test(arguments: ParityFixture.names)
    func prefillLogitsMatch(name: String) throws {
        let fixture = try ParityFixture(name)
        let model = try PaliGemmaModel(directory: fixture.directory)
        let embeddings = try model.embed(
            inputIDs: try fixture.ints("input_ids"),
            imageFeatures: try fixture.floats("projector_output"))
        let logits = InferenceSession(model: model).prefill([embeddings])[0]
        let deviation = Deviation(logits, try fixture.floats("prefill_logits"))
        print("\(name) prefill logits: \(deviation)")
        #expect(deviation.maxAbs <= 1e-3)
        #expect(deviation.relative <= 1e-4)
    }

    @Test(arguments: ParityFixture.names)
    func greedyTwentyStepsMatch(name: String) throws {
        let fixture = try ParityFixture(name)
        let model = try PaliGemmaModel(directory: fixture.directory)
        let request = try fixture.request()
        let output = try model.generate([request], options: ParityFixture.greedySteps)[0]
        let expectedIDs = try fixture.ints("greedy_ids")
        #expect(output.ids == expectedIDs)
        let expected = try fixture.floats("greedy_logits")
        let vocab = model.configuration.text.vocabSize
        #expect(output.stepLogits.count == 20)
        let deviation = Deviation(
            output.stepLogits.flatMap { $0 },
            Array(expected.prefix(output.stepLogits.count * vocab)))
        print("\(name) greedy logits (20 steps, end to end from the RGB image): \(deviation)")
        #expect(deviation.maxAbs <= 1e-3)
    }

    @Test(arguments: ParityFixture.names)
    func batchedGreedyStopsPerSequence(name: String) throws {
        let fixture = try ParityFixture(name)
        let model = try PaliGemmaModel(directory: fixture.directory)
        let images = [
            try fixture.image(), try fixture.image("batch_image_b_rgb"), try fixture.image(),
        ]
        let requests = try images.enumerated().map {
            GenerationRequest(
                image: $0.element, inputIDs: try fixture.ints("batch_input_ids_\($0.offset)"))
        }
        let steps = fixture.reference.entries["batch_ids"]!.shape[1]
        let options = GenerationOptions(
            maxNewTokens: steps, stopTokenIDs: try fixture.ints("batch_stop_ids"),
            recordLogits: true)
        let outputs = try model.generate(requests, options: options)
        let expectedIDs = try fixture.ints("batch_ids")
        let expectedLogits = try fixture.floats("batch_logits")
        let vocab = model.configuration.text.vocabSize
        var lengths: [Int] = []
        for (i, output) in outputs.enumerated() {
            let row = Array(expectedIDs[(i * steps)..<((i + 1) * steps)]).filter { $0 >= 0 }
            #expect(output.ids == row, "sequence \(i)")
            lengths.append(output.ids.count)
            let reference = Array(
                expectedLogits[
                    (i * steps * vocab)..<((i * steps + output.stepLogits.count) * vocab)])
            let deviation = Deviation(output.stepLogits.flatMap { $0 }, reference)
            #expect(deviation.maxAbs <= 1e-3, "sequence \(i): \(deviation)")
        }
        #expect(Set(lengths).count > 1, "the fixture must make sequences stop at different steps")
    }

    @Test(arguments: ParityFixture.names)
    func beamSearchMatchesTransformers(name: String) throws {
        let fixture = try ParityFixture(name)
        let model = try PaliGemmaModel(directory: fixture.directory)
        let request = try fixture.request()
        let options = GenerationOptions(
            maxNewTokens: Int(fixture.reference.metadata["beam_steps"]!)!,
            beams: Int(fixture.reference.metadata["num_beams"]!)!,
            stopTokenIDs: try fixture.ints("beam_stop_ids"))
        let output = try model.generate([request], options: options)[0]
        #expect(output.ids == (try fixture.ints("beam_ids")))
        let expectedScore = try fixture.floats("beam_score")[0]
        #expect(
            abs(output.score! - expectedScore) <= 1e-4 * max(1, abs(expectedScore)),
            "score \(output.score!) vs \(expectedScore)")
    }
}

/// One loaded model serves concurrent runs: sessions hold all per-run state.
@Suite struct ConcurrencyTests {
    @Test func concurrentGenerationsAgree() async throws {
        let fixture = try ParityFixture("paligemma2-tiny")
        let model = try PaliGemmaModel(directory: fixture.directory)
        let request = try fixture.request()
        let expected = try fixture.ints("greedy_ids")
        let results = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try model.generate([request], options: .init(maxNewTokens: 20))[0].ids
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 4 && results.allSatisfy { $0 == expected })
    }
}
