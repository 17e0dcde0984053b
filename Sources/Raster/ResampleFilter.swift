/// A resampling kernel for `RGBImage.resized`, with Pillow's definitions.
public enum ResampleFilter: String, Sendable, CaseIterable {
    /// Pillow's `BICUBIC`: Keys cubic with a = −0.5, support 2 (what `transformers`' PIL image
    /// processors use).
    case bicubic
    /// Pillow's `BILINEAR`: the triangle kernel, support 1 (bilinear with antialiasing when
    /// downscaling, the kernel big_vision trained PaliGemma with).
    case bilinear

    /// Kernel radius in source pixels at scale 1.
    var support: Double {
        switch self {
        case .bicubic: 2
        case .bilinear: 1
        }
    }

    /// The kernel's weight at distance `x`.
    func weight(_ x: Double) -> Double {
        let x = abs(x)
        switch self {
        case .bicubic:
            let a = -0.5
            if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
            if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
            return 0
        case .bilinear:
            return x < 1 ? 1 - x : 0
        }
    }
}
