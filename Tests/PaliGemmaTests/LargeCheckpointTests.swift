import Foundation
import PaliGemma
import Raster
import Testing

/// Opt-in: a full-size checkpoint folder named by `PALIDOC_LARGE_MODEL` (e.g. the 3B-shaped
/// random one `generate_paligemma_fixtures.py --large` writes) loads and generates 16 tokens
/// at its resolution; prints load time, time to first token, ms per token and peak RSS.
@Suite struct LargeCheckpointTests {
    static let folder = ProcessInfo.processInfo.environment["PALIDOC_LARGE_MODEL"]

    @Test(.enabled(if: folder != nil))
    func generatesSixteenTokens() throws {
        let clock = ContinuousClock()
        var start = clock.now
        let model = try PaliGemmaModel(directory: URL(fileURLWithPath: Self.folder!))
        let load = clock.now - start
        let config = model.configuration
        var image = RGBImage(width: 640, height: 480)
        for y in 0..<480 {
            for x in 0..<640 {
                image[x, y] = (UInt8(x % 256), UInt8(y % 256), UInt8((x + y) % 256))
            }
        }
        let ids =
            Array(repeating: config.imageTokenIndex, count: config.vision.tokens) + [
                config.bosTokenID, 5, 6, 7, 108,
            ]
        start = clock.now
        let output = try model.generate(
            [GenerationRequest(image: image, inputIDs: ids)],
            options: .init(maxNewTokens: 16, stopTokenIDs: []))[0]
        let total = clock.now - start
        #expect(output.ids.count == 16)
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let t = output.timings
        print(
            String(
                format:
                    "large checkpoint: load %.2f s, first token %.2f s"
                    + " (vision %.2f s, prefill %.2f s), %.0f ms/token, total %.2f s,"
                    + " peak RSS %.2f GB",
                Double(load.components.seconds) + Double(load.components.attoseconds) * 1e-18,
                t.vision + t.prefill, t.vision, t.prefill, t.decode / 15 * 1000,
                Double(total.components.seconds) + Double(total.components.attoseconds) * 1e-18,
                Double(usage.ru_maxrss) / 1_048_576))
    }
}
