import PaliTensor

/// An MLP activation as named in a Hugging Face config (`hidden_act` / `hidden_activation`).
public enum Activation: String, Sendable {
    /// GELU with the tanh approximation (`gelu_pytorch_tanh`, `gelu_new`, `gelu_fast`): every
    /// released PaliGemma.
    case geluTanh = "gelu_pytorch_tanh"
    /// Exact GELU (`gelu`).
    case gelu

    /// The activation a config name selects, or nil for one the engine does not implement.
    public init?(configName: String) {
        switch configName {
        case "gelu_pytorch_tanh", "gelu_new", "gelu_fast": self = .geluTanh
        case "gelu": self = .gelu
        default: return nil
        }
    }

    /// Applies the activation in place.
    func apply(_ x: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .geluTanh: Ops.geluTanh(x, count: count)
        case .gelu: Ops.gelu(x, count: count)
        }
    }
}
