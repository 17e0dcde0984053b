import CPaliKernels

/// How a decoder's key/value cache holds its rows.
///
/// Batched and long decode steps are bound by reading the cache: eight 224 px sequences read
/// 477 MB of float32 keys and values a step, eight 896 px ones 7 GB, more than the int8 weights.
/// bf16 halves that for one more rounding of the keys and values (to nearest even, as a
/// bfloat16 model's cache holds them); int8 quarters it (plus a float32 scale per 32 elements)
/// for a coarser one. Attention itself stays float32 in every format.
public enum KVCacheFormat: String, Sendable, CaseIterable {
    /// float32: the keys and values as computed.
    case f32
    /// bfloat16, rounded to nearest even.
    case bf16
    /// int8: every 32 elements of a row (a head's, if its width is not a multiple of 32) on
    /// their own scale (max |x| / 127), rounded to nearest even, as int8 weights are
    /// quantised per row. Blocks of 32 as llama.cpp's `q8_0`: a scale per head would let one
    /// large channel coarsen the whole head.
    case int8

    /// Bytes an element takes.
    public var elementBytes: Int {
        switch self {
        case .f32: 4
        case .bf16: 2
        case .int8: 1
        }
    }

    /// Whether rows carry float32 scales (`[rows, scalesPerRow]` beside the elements).
    public var hasScales: Bool { self == .int8 }

    /// Elements per int8 scale for heads `headDim` wide: 32 where it divides the head.
    public static func scaleBlock(headDim: Int) -> Int { headDim % 32 == 0 ? 32 : headDim }

    /// Scales a row of `heads × headDim` elements carries (0 without scales).
    public func scalesPerRow(heads: Int, headDim: Int) -> Int {
        hasScales ? heads * headDim / Self.scaleBlock(headDim: headDim) : 0
    }

    /// Stores `rows` rows of `src[rows, heads * headDim]` at `dst` in this format; for int8
    /// also block b's scale at `scales[row * scalesPerRow + b]`.
    public func store(
        _ src: UnsafePointer<Float>, rows: Int, heads: Int, headDim: Int,
        into dst: UnsafeMutableRawPointer, scales: UnsafeMutablePointer<Float>?
    ) {
        let count = rows * heads * headDim
        switch self {
        case .f32:
            dst.copyMemory(from: src, byteCount: count * MemoryLayout<Float>.stride)
        case .bf16:
            Self.roundToBF16(src, count: count, into: dst.assumingMemoryBound(to: UInt16.self))
        case .int8:
            guard let scales else { preconditionFailure("an int8 cache stores its blocks' scales") }
            let q = dst.assumingMemoryBound(to: Int8.self)
            let block = Self.scaleBlock(headDim: headDim)
            for b in 0..<count / block {
                scales[b] = pali_int8_quantize_row(src + b * block, q + b * block, block)
            }
        }
    }

    /// `dst[i] = bf16(src[i])` for i < count, nearest even (NaN stays NaN).
    public static func roundToBF16(
        _ src: UnsafePointer<Float>, count: Int, into dst: UnsafeMutablePointer<UInt16>
    ) {
        for i in 0..<count { dst[i] = BF16Matrix.round(src[i]) }
    }
}
