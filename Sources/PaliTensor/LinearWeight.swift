/// How a weight's numbers are held in memory: float32, bfloat16 or int8 with one float32
/// scale per row.
public enum WeightFormat: String, Sendable, CaseIterable {
    case f32, bf16, int8
}

/// What the products of an `Int8Matrix` quantise activations to. Either way a row's value does
/// not depend on how many rows a product has.
public enum Int8Activations: Sendable {
    /// int16 per row: exact on every instruction set.
    case int16
    /// int8 per row (`vpdpbusd`, u8 × s8, twice the multiply-adds of the int16 path) on AVX-512
    /// VNNI, for every row count: activations rounded to 8 bits, a deviation of its own.
    /// Without AVX-512 VNNI, as `int16`.
    case int8
}

/// The weight of a linear layer `[outputs, inputs]`, in one of the `WeightFormat`s.
public enum LinearWeight: Sendable {
    /// float32 (the reference path).
    case f32(Tensor)
    /// bfloat16, widened on the fly (half the memory and the bytes read per decode step).
    case bf16(BF16Matrix)
    /// int8 with one scale per output row (a quarter of the memory and the bytes read per
    /// decode step).
    case int8(Int8Matrix)

    /// The format the weight is held in.
    public var format: WeightFormat {
        switch self {
        case .f32: .f32
        case .bf16: .bf16
        case .int8: .int8
        }
    }

    /// `[outputs, inputs]`.
    public var shape: [Int] {
        switch self {
        case .f32(let tensor): tensor.shape
        case .bf16(let matrix): matrix.shape
        case .int8(let matrix): matrix.shape
        }
    }
}
