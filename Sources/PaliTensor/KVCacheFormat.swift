/// How a decoder's key/value cache holds its rows.
///
/// Batched and long decode steps are bound by reading the cache: eight 224 px sequences read
/// 477 MB of float32 keys and values a step, eight 896 px ones 7 GB, more than the int8 weights.
/// bf16 halves that for one more rounding of the keys and values (to nearest even, as a
/// bfloat16 model's cache holds them); attention itself stays float32.
public enum KVCacheFormat: String, Sendable, CaseIterable {
    /// float32: the keys and values as computed.
    case f32
    /// bfloat16, rounded to nearest even.
    case bf16

    /// `dst[i] = bf16(src[i])` for i < count, nearest even (NaN stays NaN).
    public static func roundToBF16(
        _ src: UnsafePointer<Float>, count: Int, into dst: UnsafeMutablePointer<UInt16>
    ) {
        for i in 0..<count { dst[i] = BF16Matrix.round(src[i]) }
    }
}
