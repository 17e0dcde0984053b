import PaliTensor
import Testing

@testable import PaliGemma

/// Which parameters each `WeightPrecision` holds compactly: decoder matrices as asked; vision
/// and projector matrices only ever as the checkpoint stores them (bf16 kept, never rounded), or
/// widened to float32 where OpenBLAS's AVX-512 sgemm is the faster path.
@Suite struct WeightStorageTests {
    static let decoder = "language_model.layers.3.mlp.down_proj.weight"
    static let embedding = "language_model.embed_tokens.weight"
    static let vision = "vision_tower.encoder.layers.5.mlp.fc1.weight"
    static let projector = "multi_modal_projector.linear.weight"
    static let norm = "vision_tower.encoder.layers.5.layer_norm1.weight"

    @Test func decoderMatricesFollowThePrecision() {
        for name in [Self.decoder, Self.embedding] {
            #expect(WeightPrecision.f32.format(of: name, onDisk: .bf16) == .f32)
            #expect(WeightPrecision.bf16.format(of: name, onDisk: .f32) == .bf16)
            #expect(WeightPrecision.int8.format(of: name, onDisk: .bf16) == .int8)
            #expect(WeightPrecision.w8a8.format(of: name, onDisk: .bf16) == .int8)
            #expect(WeightPrecision.auto.format(of: name, onDisk: .bf16) == .bf16)
            #expect(WeightPrecision.auto.format(of: name, onDisk: .f16) == .f32)
        }
    }

    @Test func visionMatricesAreNeverRounded() {
        for name in [Self.vision, Self.projector] {
            #expect(WeightPrecision.f32.format(of: name, onDisk: .bf16) == .f32)
            for precision in [WeightPrecision.bf16, .int8, .w8a8, .auto] {
                #expect(precision.format(of: name, onDisk: .bf16, fullRateFloat32: false) == .bf16)
                #expect(precision.format(of: name, onDisk: .f32, fullRateFloat32: false) == .f32)
                // OpenBLAS's AVX-512 sgemm outruns the bf16 kernels: widened once at load.
                #expect(precision.format(of: name, onDisk: .bf16, fullRateFloat32: true) == .f32)
            }
        }
        #expect(WeightPrecision.bf16.format(of: Self.norm, onDisk: .bf16) == .f32)
    }
}
