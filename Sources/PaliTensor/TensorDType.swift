/// Element types a safetensors file may hold (the subset palidoc reads).
public enum TensorDType: String, Sendable, CaseIterable {
    case f32 = "F32"
    case bf16 = "BF16"
    case f16 = "F16"
    case i64 = "I64"
    case i32 = "I32"
    case u8 = "U8"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .f32, .i32: 4
        case .bf16, .f16: 2
        case .i64: 8
        case .u8: 1
        }
    }

    /// Whether values can be widened to `Float` for compute.
    public var isFloatingPoint: Bool { self == .f32 || self == .bf16 || self == .f16 }
}
