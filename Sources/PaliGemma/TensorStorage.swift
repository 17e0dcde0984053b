/// The form one parameter is held in after loading (`WeightPrecision` decides per tensor).
enum TensorStorage: Sendable {
    case f32, bf16, int8
}
