import Foundation
import PaliGemma
import PaliTensor
import PaliTestSupport
import Raster
import Testing

/// Checkpoint folders: accepted key layouts and dtypes, and clear errors for bad ones.
@Suite struct LoadingTests {
    func expectError(_ directory: URL, containing text: String, file: String? = nil) {
        do {
            _ = try PaliGemmaModel(directory: directory)
            Issue.record("loading \(directory.path) should fail with '\(text)'")
        } catch {
            #expect(error.reason.contains(text), "\(error)")
            if let file { #expect(error.file?.lastPathComponent == file, "\(error)") }
        }
    }

    @Test func wrongFolderIsNamed() throws {
        let missing = URL(fileURLWithPath: "/nonexistent/palidoc-model")
        expectError(missing, containing: "model folder does not exist", file: "palidoc-model")
        let empty = try TemporaryDirectory("empty-model")
        expectError(empty.url, containing: "missing config.json", file: "config.json")
        let bad = try TemporaryDirectory("bad-config")
        try Data(#"{"model_type": "llama"}"#.utf8).write(to: bad.file("config.json"))
        expectError(bad.url, containing: "model_type 'llama' is not a PaliGemma model")
    }

    @Test func missingShardIsNamed() throws {
        let dir = try TemporaryDirectory("missing-shard")
        let source = FixturePaths.fixture("paligemma1-tiny")
        for file in [
            "config.json", "model.safetensors.index.json", "model-00001-of-00002.safetensors",
        ] {
            try FileManager.default.copyItem(
                at: source.appendingPathComponent(file), to: dir.file(file))
        }
        expectError(
            dir.url, containing: "shard listed in model.safetensors.index.json is missing",
            file: "model-00002-of-00002.safetensors")
        try FileManager.default.removeItem(at: dir.file("model.safetensors.index.json"))
        try FileManager.default.removeItem(at: dir.file("model-00001-of-00002.safetensors"))
        expectError(dir.url, containing: "no model.safetensors or model.safetensors.index.json")
    }

    @Test func mismatchedShapeIsNamed() throws {
        let rewriter = try CheckpointRewriter(fixture: "paligemma2-tiny")
        try rewriter.write { name, entry in
            name == "language_model.model.layers.2.mlp.up_proj.weight"
                ? (name, entry.dtype, [95, 64]) : (name, entry.dtype, entry.shape)
        }
        expectError(
            rewriter.target.url,
            containing:
                "tensor 'language_model.model.layers.2.mlp.up_proj.weight' has shape [95, 64],"
                + " config.json needs [96, 64]",
            file: "model.safetensors")
    }

    @Test func unexpectedAndMissingKeysAreNamed() throws {
        let extra = try CheckpointRewriter(fixture: "paligemma2-tiny")
        try extra.write(extra: [("language_model.model.layers.9.mlp.up_proj.bias", [1, 2])])
        expectError(
            extra.target.url,
            containing: "unexpected tensor 'language_model.model.layers.9.mlp.up_proj.bias'")
        let stray = try CheckpointRewriter(fixture: "paligemma2-tiny")
        try stray.write(extra: [("optimizer.step", [1])])
        expectError(
            stray.target.url,
            containing: "unexpected tensor 'optimizer.step' (not a PaliGemma parameter)")
        let missing = try CheckpointRewriter(fixture: "paligemma2-tiny")
        try missing.write { name, entry in
            name.hasSuffix("layers.3.post_feedforward_layernorm.weight")
                ? nil : (name, entry.dtype, entry.shape)
        }
        expectError(
            missing.target.url,
            containing: "missing tensor 'language_model.layers.3.post_feedforward_layernorm.weight'"
        )
    }

    /// transformers 5's `save_pretrained` layout (no `vision_model.` infix) and the in-memory
    /// `model.language_model.*` names load to the same model.
    @Test func alternativeKeyLayoutsLoadIdentically() throws {
        let fixture = try ParityFixture("paligemma2-tiny")
        let rewriter = try CheckpointRewriter(fixture: "paligemma2-tiny")
        try rewriter.write { name, entry in
            var renamed = name.replacingOccurrences(
                of: "vision_tower.vision_model.", with: "vision_tower.")
            renamed = renamed.replacingOccurrences(
                of: "language_model.model.", with: "model.language_model.")
            renamed = renamed.replacingOccurrences(
                of: "multi_modal_projector.", with: "model.multi_modal_projector.")
            return (renamed, entry.dtype, entry.shape)
        }
        let model = try PaliGemmaModel(directory: rewriter.target.url)
        let embeddings = try model.embed(
            inputIDs: try fixture.ints("input_ids"),
            imageFeatures: try fixture.floats("projector_output"))
        let logits = InferenceSession(model: model).prefill([embeddings])[0]
        #expect(Deviation(logits, try fixture.floats("prefill_logits")).maxAbs <= 1e-3)
    }

    /// bf16 weights (widened once at load) give the same greedy ids as the f32 original, and
    /// the logits transformers computes from the same bf16-rounded weights; the deviation from
    /// the f32 logits is printed and bounded.
    @Test(arguments: ParityFixture.names)
    func bf16CopyGivesSameGreedyIDs(name: String) throws {
        let fixture = try ParityFixture(name)
        let rewriter = try CheckpointRewriter(fixture: name)
        try rewriter.write { ($0, .bf16, $1.shape) }
        let model = try PaliGemmaModel(directory: rewriter.target.url)
        let request = try fixture.request()
        let output = try model.generate([request], options: ParityFixture.greedySteps)[0]
        #expect(output.ids == (try fixture.ints("greedy_ids")))
        #expect(output.ids == (try fixture.ints("bf16_greedy_ids")))
        let logits = output.stepLogits.flatMap { $0 }
        let parity = Deviation(logits, try fixture.floats("bf16_greedy_logits"))
        let drift = Deviation(logits, try fixture.floats("greedy_logits"))
        print(
            "\(name) bf16 weights: vs transformers on the same weights \(parity);"
                + " vs f32 logits \(drift)"
        )
        #expect(parity.maxAbs <= 1e-3)
        // These fixtures are deliberately chaotic (large random gains): bf16 rounding of the
        // weights moves logits by up to ~1.0 (of ±8), yet no greedy step changes.
        #expect(drift.relative < 0.2)
    }

    @Test func promptWithWrongImageTokenCountIsRejected() throws {
        let fixture = try ParityFixture("paligemma1-tiny")
        let model = try PaliGemmaModel(directory: fixture.directory)
        var ids = try fixture.ints("input_ids")
        ids.removeFirst()
        #expect(
            throws: PaliGemmaError(
                "the prompt has 15 <image> tokens; this model needs exactly 16 per image")
        ) {
            _ = try model.generate([GenerationRequest(image: try fixture.image(), inputIDs: ids)])
        }
        #expect(throws: PaliGemmaError("the image is empty (0x7 pixels)")) {
            let empty = RGBImage(width: 0, height: 7, pixels: [])
            _ = try model.generate([GenerationRequest(image: empty, inputIDs: ids)])
        }
        let long = Array(repeating: 5, count: 8200) + (try fixture.ints("input_ids"))
        #expect(throws: PaliGemmaError.self) {
            _ = try model.generate([GenerationRequest(image: try fixture.image(), inputIDs: long)])
        }
    }
}
