import Foundation
import PaliGemma
import PaliTensor
import PaliTestSupport
import Raster

/// A tiny checkpoint from `generate_paligemma_fixtures.py` and its transformers references.
struct ParityFixture {
    static let names = ["paligemma1-tiny", "paligemma2-tiny"]
    /// The generation the references record: 20 greedy steps with their logits.
    static let greedySteps = GenerationOptions(maxNewTokens: 20, recordLogits: true)

    let directory: URL
    let reference: SafetensorsFile

    init(_ name: String) throws {
        directory = FixturePaths.fixture(name)
        reference = try SafetensorsFile(
            url: directory.appendingPathComponent("reference.safetensors"))
    }

    func floats(_ name: String) throws -> [Float] { try reference.floatTensor(name).toArray() }
    func ints(_ name: String) throws -> [Int] { try reference.integers(name) }

    /// The fixture's image and prompt ids (`input_ids`), as the references were generated from.
    func request() throws -> GenerationRequest {
        GenerationRequest(image: try image(), inputIDs: try ints("input_ids"))
    }

    /// An image stored as `[height, width, 3]` bytes.
    func image(_ name: String = "image_rgb") throws -> RGBImage {
        let entry = try reference.entry(name)
        return RGBImage(
            width: entry.shape[1], height: entry.shape[0], pixels: Array(reference.bytes(of: entry))
        )
    }
}

/// How far `actual` is from `expected`.
struct Deviation: CustomStringConvertible {
    let maxAbs: Float
    let meanAbs: Float
    /// `maxAbs` relative to the reference's largest magnitude.
    let relative: Float

    init(_ actual: [Float], _ expected: [Float]) {
        precondition(actual.count == expected.count, "\(actual.count) values vs \(expected.count)")
        var maxAbs: Float = 0, sum: Float = 0, scale: Float = 0
        for (a, e) in zip(actual, expected) {
            let d = abs(a - e)
            maxAbs = max(maxAbs, d.isNaN ? .infinity : d)
            sum += d
            scale = max(scale, abs(e))
        }
        self.maxAbs = maxAbs
        meanAbs = sum / Float(max(actual.count, 1))
        relative = maxAbs / max(scale, .leastNormalMagnitude)
    }

    var description: String { "max abs \(maxAbs), mean abs \(meanAbs), max rel \(relative)" }
}
