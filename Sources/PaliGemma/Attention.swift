import CPaliKernels
import Foundation
import PaliTensor
import Synchronization

/// Scaled dot-product attention on row-major buffers: fused and tiled, so memory stays
/// bounded by one score tile per worker instead of `[heads, queries, keys]`.
///
/// Work is split into (key/value head, query block) units spread over `BLASThreads.current`
/// workers; each unit streams its visible key tiles through an online softmax
/// (`CPaliKernels`, attention.c). A few query rows (decoding) are split by key range
/// instead, every head at once, so each core reads one contiguous run of the cache.
enum Attention {
    /// Head layout of the query and key/value buffers.
    struct Shape {
        let heads: Int
        let kvHeads: Int
        let headDim: Int
    }

    /// Whether this CPU runs the AVX2 + FMA kernels.
    static let hasAVX2 = pali_attention_has_avx2() != 0

    /// Score-tile rows per unit: query positions × the heads sharing a key/value head.
    static let tileRows = 96

    /// Query rows × group up to which keys and values are read straight from the cache
    /// (decoding), split by key range instead of by head.
    static let directRows = 8

    /// Fewest keys per range of a decode split (2 tiles of the kernel, 256 KB of a Gemma 2
    /// layer's float32 cache): shorter shares do not pay for handing out the work.
    static let keysPerRange = 128

    /// Keys per score tile: the packed keys, scores and values of a tile fit in L2.
    static func keyBlock(headDim: Int) -> Int { headDim > 128 ? 128 : 512 }

    /// `out[queryRows, heads * headDim]` = softmax(mask(softcap(scale · q·kᵀ)))·v.
    ///
    /// Query row t is sequence position `firstQuery + t`; key row j is position j. Query
    /// head h reads key/value head `h / (heads / kvHeads)` (GQA/MQA grouping as
    /// `repeat_kv`). As in `transformers`' eager attention, the softcap comes before the
    /// mask, masked keys get probability 0 and the softmax is float32. `avx2: false` runs the
    /// portable kernels; `workers` bounds the cores used.
    static func attend(
        queries: UnsafePointer<Float>, queryRows: Int,  // [queryRows, heads * headDim]
        // keys and values: [keyRows, kvHeads * headDim]
        keys: UnsafePointer<Float>, values: UnsafePointer<Float>, keyRows: Int,
        shape: Shape, scale: Float, softcap: Float?, mask: AttentionMask, firstQuery: Int = 0,
        into out: UnsafeMutablePointer<Float>,  // [queryRows, heads * headDim]
        avx2: Bool = hasAVX2, workers: Int = BLASThreads.current
    ) {
        guard queryRows > 0 else { return }
        let mark = WorkTally.begin()
        precondition(shape.heads % shape.kvHeads == 0, "heads must be a multiple of kvHeads")
        let d = shape.headDim, group = shape.heads / shape.kvHeads
        let qStride = shape.heads * d, kvStride = shape.kvHeads * d
        // [queryRows] visible key range per query row; never empty (a query sees itself).
        var begins = [Int](repeating: 0, count: queryRows), ends = begins
        for t in 0..<queryRows {
            let range = mask.keyRange(query: firstQuery + t, keyRows: keyRows)
            precondition(!range.isEmpty, "query \(firstQuery + t) sees no key")
            begins[t] = range.lowerBound
            ends[t] = range.upperBound
        }
        defer {
            // Scores and weighted values: 2 · headDim FLOP each per visible (query, head, key).
            WorkTally.end(
                .attention, mark,
                flops: 4 * d * shape.heads * zip(begins, ends).reduce(0) { $0 + $1.1 - $1.0 })
        }
        if queryRows * group <= directRows && d % 8 == 0 {
            attendFew(
                queries: queries, queryRows: queryRows, keys: keys, values: values,
                shape: shape, scale: scale, softcap: softcap, begins: begins, ends: ends,
                into: out, avx2: avx2, workers: workers)
            return
        }
        let positions = max(1, tileRows / group)
        let blocks = (queryRows + positions - 1) / positions
        let units = shape.kvHeads * blocks
        let keyBlock = keyBlock(headDim: d)
        let scratchCount = pali_attention_scratch_floats(positions * group, d, keyBlock)
        let workers = min(max(1, workers), units)
        // Pack each head's keys and values once (in parallel) into the layouts the tile
        // kernels stream.
        let packedCount = pali_attention_packed_floats(keyRows, d)
        // [kvHeads, packedCount]: keys in 16-key strips, then values in 8-column strips.
        let packed = UnsafeMutablePointer<Float>.allocate(capacity: shape.kvHeads * packedCount)
        defer { packed.deallocate() }
        let next = Atomic<Int>(0)
        // Workers read the inputs and write disjoint output rows and head columns.
        nonisolated(unsafe) let queries = queries, keys = keys, values = values, out = out
        nonisolated(unsafe) let packedHeads = packed
        let packers = min(workers, shape.kvHeads)
        DispatchQueue.concurrentPerform(iterations: packers) { packer in
            for head in stride(from: packer, to: shape.kvHeads, by: packers) {
                pali_attention_pack(
                    keys + head * d, values + head * d, kvStride, keyRows, d,
                    packedHeads + head * packedCount)
            }
        }
        begins.withUnsafeBufferPointer { begins in
            ends.withUnsafeBufferPointer { ends in
                nonisolated(unsafe) let begins = begins, ends = ends
                DispatchQueue.concurrentPerform(iterations: workers) { _ in
                    // [scratchCount]: one unit's queries, accumulator, scores and row state.
                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchCount)
                    defer { scratch.deallocate() }
                    while true {
                        let unit = next.add(1, ordering: .relaxed).oldValue
                        guard unit < units else { break }
                        // Last query blocks first: under a causal mask they see the most keys,
                        // and starting with them evens out the workers' finishing times.
                        let head = unit % shape.kvHeads
                        let first = (blocks - 1 - unit / shape.kvHeads) * positions
                        let column = head * group * d
                        var block = PaliAttentionBlock(
                            queries: queries + first * qStride + column, query_stride: qStride,
                            key_rows: keyRows, packed: packedHeads + head * packedCount,
                            head_dim: d, group: group,
                            positions: min(positions, queryRows - first),
                            key_begin: begins.baseAddress! + first,
                            key_end: ends.baseAddress! + first,
                            scale: scale, softcap: softcap ?? 0, key_block: keyBlock,
                            out: out + first * qStride + column, out_stride: qStride,
                            use_avx2: avx2 ? 1 : 0)
                        pali_attention_block(&block, scratch)
                    }
                }
            }
        }
    }

    /// A few query rows (decoding): every head at once over one key range per worker, read
    /// straight from the cache front to back (each core streams one contiguous run of full
    /// rows), then the ranges' partial softmax results merged.
    private static func attendFew(
        queries: UnsafePointer<Float>, queryRows: Int,  // [queryRows, heads * headDim]
        keys: UnsafePointer<Float>, values: UnsafePointer<Float>,  // [*, kvHeads * headDim]
        shape: Shape, scale: Float, softcap: Float?, begins: [Int], ends: [Int],
        into out: UnsafeMutablePointer<Float>,  // [queryRows, heads * headDim]
        avx2: Bool, workers: Int
    ) {
        let lo = begins.min()!, hi = ends.max()!
        let parts = max(1, min(workers, (hi - lo) / keysPerRange))
        let qStride = shape.heads * shape.headDim
        begins.withUnsafeBufferPointer { begins in
            ends.withUnsafeBufferPointer { ends in
                var job = PaliDecodeAttention(
                    queries: queries, query_stride: qStride, keys: keys, values: values,
                    kv_stride: shape.kvHeads * shape.headDim, heads: shape.heads,
                    kv_heads: shape.kvHeads, head_dim: shape.headDim, positions: queryRows,
                    key_begin: begins.baseAddress!, key_end: ends.baseAddress!, scale: scale,
                    softcap: softcap ?? 0, out: out, out_stride: qStride,
                    use_avx2: avx2 ? 1 : 0)
                let partialCount = pali_attention_decode_partial_floats(&job)
                let scratchCount = pali_attention_decode_scratch_floats(&job)
                // [parts, partialCount]: each range's unnormalised output and softmax state.
                let partials = UnsafeMutablePointer<Float>.allocate(capacity: parts * partialCount)
                defer { partials.deallocate() }
                nonisolated(unsafe) let shared = job, partialRows = partials
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    var job = shared
                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchCount)
                    defer { scratch.deallocate() }
                    pali_attention_decode_range(
                        &job, lo + (hi - lo) * part / parts, lo + (hi - lo) * (part + 1) / parts,
                        partialRows + part * partialCount, scratch)
                }
                pali_attention_decode_merge(&job, parts, partials)
            }
        }
    }
}
