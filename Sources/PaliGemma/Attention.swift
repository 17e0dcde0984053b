import PaliTensor

/// Scaled dot-product attention on row-major buffers, per head with OpenBLAS.
enum Attention {
    /// Head layout of the query and key/value buffers.
    struct Shape {
        let heads: Int
        let kvHeads: Int
        let headDim: Int
    }

    /// `out[queryRows, heads * headDim]` = softmax(mask(softcap(scale · q·kᵀ)))·v.
    ///
    /// Query head j reads key/value head `j / (heads / kvHeads)` (GQA/MQA grouping as
    /// `repeat_kv`). `visible(t, j)` says whether query row t may see key row j (nil: all).
    /// As in `transformers`' eager attention, the softcap comes before the mask and the
    /// softmax is float32.
    static func attend(
        queries: UnsafePointer<Float>, queryRows: Int,  // [queryRows, heads * headDim]
        // keys and values: [keyRows, kvHeads * headDim]
        keys: UnsafePointer<Float>, values: UnsafePointer<Float>, keyRows: Int,
        shape: Shape, scale: Float, softcap: Float?, visible: ((Int, Int) -> Bool)?,
        into out: UnsafeMutablePointer<Float>  // [queryRows, heads * headDim]
    ) {
        let d = shape.headDim, qStride = shape.heads * d, kvStride = shape.kvHeads * d
        let group = shape.heads / shape.kvHeads
        var scores = [Float](repeating: 0, count: queryRows * keyRows)  // [queryRows, keyRows]
        scores.withUnsafeMutableBufferPointer { scores in
            let s = scores.baseAddress!
            for h in 0..<shape.heads {
                let g = h / group
                Ops.gemm(
                    m: queryRows, n: keyRows, k: d, alpha: scale, a: queries + h * d, lda: qStride,
                    b: keys + g * d, ldb: kvStride, transposeB: true, c: s, ldc: keyRows)
                if let softcap { Ops.softcap(s, count: queryRows * keyRows, cap: softcap) }
                for t in 0..<queryRows {
                    let row = s + t * keyRows
                    if let visible {
                        for j in 0..<keyRows where !visible(t, j) { row[j] = -.infinity }
                    }
                    Ops.softmax(row, count: keyRows)
                }
                Ops.gemm(
                    m: queryRows, n: d, k: keyRows, alpha: 1, a: s, lda: keyRows,
                    b: values + g * d, ldb: kvStride, transposeB: false, c: out + h * d,
                    ldc: qStride)
            }
        }
    }
}
