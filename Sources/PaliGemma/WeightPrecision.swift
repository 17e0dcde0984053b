import PaliTensor

/// The `WeightFormat` the decoder's linear weights and the tied embedding are held in, or
/// `auto` (the checkpoint's own).
///
/// Those matrices are nearly all the bytes a decode step reads, and decoding is bound by
/// reading them, so fewer bits per weight is proportionally faster there. Every product still
/// accumulates in float32; norms and biases stay float32, and the vision tower and projector
/// are never rounded (bf16 only where the checkpoint already stores bf16; see `storage`).
public enum WeightPrecision: String, Sendable, CaseIterable {
    /// float32: the reference path (bf16 checkpoints are widened once at load).
    case f32
    /// bfloat16: half the memory and half the bytes read per decode step; exact for bf16
    /// checkpoints (only the summation order differs from float32).
    case bf16
    /// int8, symmetric per output row (one float32 scale per row, quantised at load): a
    /// quarter of the float32 bytes; weights deviate by at most half a quantisation step.
    case int8
    /// int8 weights as `int8`, and the decoder's products quantise their activations to int8
    /// per row as well (u8 × s8 on AVX-512 VNNI: twice the multiply-adds of the int16
    /// activations), in prefill and in decode steps: faster prefill and batched decoding for
    /// one more rounding, whose deviation docs/parity.md states. CPUs without AVX-512 VNNI
    /// compute as `int8`.
    case w8a8
    /// The checkpoint's own precision: those weights stay bf16 where the checkpoint stores
    /// bf16 (numerically the float32 path, only the summation order differs) and become
    /// float32 where it stores f32 or f16.
    case auto

    /// The format canonical parameter `name`, stored as `dtype` on disk, is held in: the decoder
    /// projections (attention, MLP) and the tied embedding / output matrix in this precision;
    /// the vision tower's and the projector's matrices in bf16 when the checkpoint stores them
    /// as bf16 and this is not `f32` (nothing is rounded, half the memory: 0.8 GB for
    /// So400m), unless `fullRateFloat32` (OpenBLAS runs its AVX-512 kernels and oneDNN does
    /// not drive AMX tiles: `sgemm` then outruns the bf16 paths on those many-row products,
    /// for 0.8 GB more); everything else in float32.
    func format(
        of name: String, onDisk dtype: TensorDType,
        fullRateFloat32: Bool = BLASCore.runsAVX512Kernels && !OneDNNProducts.runsOnTiles
    ) -> WeightFormat {
        let decoder =
            name == "language_model.embed_tokens.weight"
            || (name.hasPrefix("language_model.layers.") && name.hasSuffix("_proj.weight"))
        if !decoder {
            let compact = self != .f32 && dtype == .bf16 && !fullRateFloat32
            return compact && Self.isVisionMatrix(name) ? .bf16 : .f32
        }
        switch self {
        case .f32: return .f32
        case .bf16: return .bf16
        case .int8, .w8a8: return .int8
        case .auto: return dtype == .bf16 ? .bf16 : .f32
        }
    }

    /// What the int8 matrices' many-row products quantise activations to.
    var int8Activations: Int8Activations { self == .w8a8 ? .int8 : .int16 }

    /// The SigLIP layers' projections and MLP matrices, and the multi-modal projector.
    private static func isVisionMatrix(_ name: String) -> Bool {
        name == "multi_modal_projector.linear.weight"
            || (name.hasPrefix("vision_tower.encoder.layers.")
                && (name.hasSuffix("_proj.weight") || name.hasSuffix(".fc1.weight")
                    || name.hasSuffix(".fc2.weight")))
    }
}
