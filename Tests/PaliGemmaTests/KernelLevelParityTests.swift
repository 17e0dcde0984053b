import Foundation
import PaliGemma
import PaliTensor
import Testing

/// Every weight precision at every kernel level this CPU runs, on the parity fixtures: the
/// greedy ids of its reference, and each level's logit deviation printed (docs/parity.md lists
/// them). Levels differ in summation order (float32), in the bf16 parts of activations
/// (many-row bf16 products on AVX512_BF16) and in int16 activations (many-row int8 products on
/// AVX-512 VNNI), never in what they compute; w8a8 also rounds the decoder's activations
/// (prefill and decode steps) to 8 bits where AVX-512 VNNI runs.
@Suite struct KernelLevelParityTests {
    @Test(arguments: ParityFixture.names)
    func everyLevelKeepsTheGreedyIDs(name: String) throws {
        let fixture = try ParityFixture(name)
        let requests = [try fixture.request()]
        let options = ParityFixture.greedySteps
        let bf16Copy = try CheckpointRewriter(fixture: name)
        try bf16Copy.write { ($0, .bf16, $1.shape) }
        let int8Copy = try CheckpointRewriter(fixture: name)
        try Int8WeightsTests.writeQuantised(
            from: fixture.directory, to: int8Copy.target.file("model.safetensors"))
        let f32 = try PaliGemmaModel(directory: fixture.directory, weights: .f32)
        let bf16 = try PaliGemmaModel(directory: bf16Copy.target.url, weights: .bf16)
        let int8 = try PaliGemmaModel(directory: int8Copy.target.url, weights: .int8)
        let w8a8 = try PaliGemmaModel(directory: int8Copy.target.url, weights: .w8a8)
        // int8's reference: the float32 path on the weights int8 holds exactly.
        let int8Reference = try PaliGemmaModel(directory: int8Copy.target.url, weights: .f32)
            .generate(requests, options: options)[0]
        try KernelLevel.each({ level in
            let f32Output = try f32.generate(requests, options: options)[0]
            #expect(f32Output.ids == (try fixture.ints("greedy_ids")), "f32, \(level)")
            let f32Deviation = Deviation(
                f32Output.stepLogits.flatMap { $0 }, try fixture.floats("greedy_logits"))
            #expect(f32Deviation.relative <= 1e-4, "f32, \(level)")

            let bf16Output = try bf16.generate(requests, options: options)[0]
            #expect(bf16Output.ids == (try fixture.ints("bf16_greedy_ids")), "bf16, \(level)")
            let bf16Deviation = Deviation(
                bf16Output.stepLogits.flatMap { $0 }, try fixture.floats("bf16_greedy_logits"))
            // Where many-row bf16 products split each activation into two bf16 parts (16
            // significand bits), twice the bound of the paths that keep float32 activations.
            let splitsActivations = KernelLevel.bf16DotPaysOff || OneDNNProducts.takes(.bf16)
            #expect(bf16Deviation.maxAbs <= (splitsActivations ? 2e-3 : 1e-3), "bf16, \(level)")

            let int8Output = try int8.generate(requests, options: options)[0]
            #expect(int8Output.ids == int8Reference.ids, "int8, \(level)")
            let int8Deviation = Deviation(
                int8Output.stepLogits.flatMap { $0 }, int8Reference.stepLogits.flatMap { $0 })
            #expect(int8Deviation.relative <= 1e-3, "int8, \(level)")

            // 8-bit activations only where AVX-512 VNNI runs; elsewhere int8's path.
            let w8a8Output = try w8a8.generate(requests, options: options)[0]
            let w8a8Deviation = Deviation(
                w8a8Output.stepLogits.flatMap { $0 }, int8Reference.stepLogits.flatMap { $0 })
            if KernelLevel.current.rawValue < KernelLevel.avx512VNNI.rawValue {
                #expect(w8a8Output.stepLogits == int8Output.stepLogits, "w8a8, \(level)")
            }
            #expect(w8a8Output.ids == int8Reference.ids, "w8a8, \(level)")
            #expect(w8a8Deviation.relative <= 0.1, "w8a8, \(level)")
            print(
                "\(name) at kernel level \(level): f32 vs transformers \(f32Deviation); "
                    + "bf16 vs transformers on bf16 weights \(bf16Deviation); "
                    + "int8 vs float32 on int8 weights \(int8Deviation); "
                    + "w8a8 vs float32 on int8 weights \(w8a8Deviation), ids "
                    + "\(w8a8Output.ids == int8Reference.ids ? "identical" : "\(w8a8Output.ids)")")
        }, skipped: { level in print("kernel level \(level) skipped: this CPU lacks it") })
    }

    /// Every many-row product through oneDNN (as on CPUs with AMX; here at avx512-vnni) against
    /// none: int8 and w8a8 give the same logits bit for bit, bf16 keeps its reference's greedy
    /// ids.
    @Test(arguments: ParityFixture.names)
    func oneDNNProductsKeepTheOutputs(name: String) throws {
        guard KernelLevel.avx512VNNI.isSupported else {
            print("oneDNN products skipped: this CPU lacks avx512-vnni")
            return
        }
        if let failure = OneDNNProducts.failure {
            print("oneDNN products skipped: \(failure)")
            return
        }
        let fixture = try ParityFixture(name)
        let requests = [try fixture.request()]
        let options = ParityFixture.greedySteps
        let int8Copy = try CheckpointRewriter(fixture: name)
        try Int8WeightsTests.writeQuantised(
            from: fixture.directory, to: int8Copy.target.file("model.safetensors"))
        let bf16Copy = try CheckpointRewriter(fixture: name)
        try bf16Copy.write { ($0, .bf16, $1.shape) }
        for precision in [WeightPrecision.int8, .w8a8] {
            let model = try PaliGemmaModel(directory: int8Copy.target.url, weights: precision)
            let own = try OneDNNProducts.routing(.never) {
                try KernelLevel.run(at: .avx512VNNI) {
                    try model.generate(requests, options: options)[0]
                }
            }
            let routed = try OneDNNProducts.routing(.always) {
                try KernelLevel.run(at: .avx512VNNI) {
                    try model.generate(requests, options: options)[0]
                }
            }
            #expect(routed.stepLogits == own.stepLogits, "\(precision)")
        }
        let bf16 = try OneDNNProducts.routing(.always) {
            try KernelLevel.run(at: .avx512VNNI) {
                try PaliGemmaModel(directory: bf16Copy.target.url, weights: .bf16)
                    .generate(requests, options: options)[0]
            }
        }
        #expect(bf16.ids == (try fixture.ints("bf16_greedy_ids")))
        let deviation = Deviation(
            bf16.stepLogits.flatMap { $0 }, try fixture.floats("bf16_greedy_logits"))
        // Activations carry 16 significand bits in two bf16 parts, summed in oneDNN's order.
        #expect(deviation.maxAbs <= 2e-3)
        print("\(name) through oneDNN: bf16 vs transformers on bf16 weights \(deviation)")
    }
}
