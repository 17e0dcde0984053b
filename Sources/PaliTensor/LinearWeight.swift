/// The weight of a linear layer `[outputs, inputs]`, stored in float32, bfloat16 or int8.
public enum LinearWeight: Sendable {
    /// float32 (the reference path).
    case f32(Tensor)
    /// bfloat16, widened on the fly (half the memory and the bytes read per decode step).
    case bf16(BF16Matrix)
    /// int8 with one scale per output row, dequantised on the fly (a quarter of the memory
    /// and the bytes read per decode step).
    case int8(Int8Matrix)

    /// `[outputs, inputs]`.
    public var shape: [Int] {
        switch self {
        case .f32(let tensor): tensor.shape
        case .bf16(let matrix): matrix.shape
        case .int8(let matrix): matrix.shape
        }
    }
}
