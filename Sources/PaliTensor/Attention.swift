import CPaliKernels
import Foundation
import Synchronization

/// Scaled dot-product attention on row-major buffers: fused and tiled, so memory stays
/// bounded by one score tile per worker instead of `[heads, queries, keys]`.
///
/// Work is split into (key/value head, query block) units spread over `BLASThreads.current`
/// workers; each unit streams its visible key tiles through an online softmax
/// (`CPaliKernels`, attention.c). A few query rows (decoding) are split by key range
/// instead, every head at once, so each core reads one contiguous run of the cache.
public enum Attention {
    /// Head layout of the query and key/value buffers.
    public struct Shape: Sendable {
        public let heads: Int
        public let kvHeads: Int
        public let headDim: Int

        /// Query heads, key/value heads (a divisor of `heads`) and the width of one head.
        public init(heads: Int, kvHeads: Int, headDim: Int) {
            self.heads = heads
            self.kvHeads = kvHeads
            self.headDim = headDim
        }
    }

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

    /// A sequence's cached keys and values as attention reads them: `[keyRows, kvHeads *
    /// headDim]` each in `format`, and for int8 `[keyRows, format.scalesPerRow]` scales of
    /// each.
    public struct CachedRows {
        let keys, values: UnsafeRawPointer
        let format: KVCacheFormat
        let keyScales, valueScales: UnsafePointer<Float>?

        /// Rows in `format`; the scales are given exactly where the format has them.
        public init(
            keys: UnsafeRawPointer, values: UnsafeRawPointer, format: KVCacheFormat,
            keyScales: UnsafePointer<Float>? = nil, valueScales: UnsafePointer<Float>? = nil
        ) {
            precondition(
                format.hasScales == (keyScales != nil) && format.hasScales == (valueScales != nil),
                "int8 keys and values come with their scales, other formats without")
            self.keys = keys
            self.values = values
            self.format = format
            self.keyScales = keyScales
            self.valueScales = valueScales
        }

        /// Widens the first `keyRows` rows to float32 (exactly: bf16's bits, int8's q · scale)
        /// and calls `body` with them (`[keyRows, kvHeads * headDim]` each).
        func widened<Result>(
            keyRows: Int, shape: Shape,
            _ body: (UnsafePointer<Float>, UnsafePointer<Float>) -> Result
        ) -> Result {
            guard format != .f32 else {
                return body(
                    keys.assumingMemoryBound(to: Float.self),
                    values.assumingMemoryBound(to: Float.self))
            }
            let count = keyRows * shape.kvHeads * shape.headDim
            let block = KVCacheFormat.scaleBlock(headDim: shape.headDim)
            // `rows` (with `scales` for int8) as `[keyRows, kvHeads * headDim]` float32.
            func widen(_ rows: UnsafeRawPointer, _ scales: UnsafePointer<Float>?) -> [Float] {
                [Float](unsafeUninitializedCapacity: count) { out, initialized in
                    if format == .bf16 {
                        pali_bf16_widen(
                            rows.assumingMemoryBound(to: UInt16.self), out.baseAddress!, count)
                    } else {
                        pali_int8_dequantize(
                            rows.assumingMemoryBound(to: Int8.self), scales, out.baseAddress!,
                            count / block, block)
                    }
                    initialized = count
                }
            }
            let k = widen(keys, keyScales), v = widen(values, valueScales)
            return k.withUnsafeBufferPointer { k in
                v.withUnsafeBufferPointer { v in body(k.baseAddress!, v.baseAddress!) }
            }
        }
    }

    /// One sequence's part of an attention call: its query rows against its own keys and
    /// values.
    public struct Sequence {
        let queries: UnsafePointer<Float>  // [queryRows, heads * headDim]
        let queryRows: Int
        let cache: CachedRows  // [keyRows, kvHeads * headDim] keys and values
        let keyRows: Int
        let mask: AttentionMask
        /// Sequence position of query row 0.
        let firstQuery: Int
        let out: UnsafeMutablePointer<Float>  // [queryRows, heads * headDim]

        /// A sequence's operands with float32 keys and values; query row t is position
        /// `firstQuery + t`.
        public init(
            queries: UnsafePointer<Float>, queryRows: Int, keys: UnsafePointer<Float>,
            values: UnsafePointer<Float>, keyRows: Int, mask: AttentionMask, firstQuery: Int,
            out: UnsafeMutablePointer<Float>
        ) {
            self.init(
                queries: queries, queryRows: queryRows,
                cache: CachedRows(keys: keys, values: values, format: .f32), keyRows: keyRows,
                mask: mask, firstQuery: firstQuery, out: out)
        }

        /// A sequence's operands with keys and values held in a cache's format.
        public init(
            queries: UnsafePointer<Float>, queryRows: Int, cache: CachedRows, keyRows: Int,
            mask: AttentionMask, firstQuery: Int, out: UnsafeMutablePointer<Float>
        ) {
            self.queries = queries
            self.queryRows = queryRows
            self.cache = cache
            self.keyRows = keyRows
            self.mask = mask
            self.firstQuery = firstQuery
            self.out = out
        }
    }

    /// `out[queryRows, heads * headDim]` = softmax(mask(softcap(scale · q·kᵀ)))·v.
    ///
    /// Query row t is sequence position `firstQuery + t`; key row j is position j. Query
    /// head h reads key/value head `h / (heads / kvHeads)` (GQA/MQA grouping as
    /// `repeat_kv`). As in `transformers`' eager attention, the softcap comes before the
    /// mask, masked keys get probability 0 and the softmax is float32. The kernels run at
    /// `KernelLevel.current`; `workers` bounds the cores used.
    public static func attend(
        queries: UnsafePointer<Float>, queryRows: Int,  // [queryRows, heads * headDim]
        // keys and values: [keyRows, kvHeads * headDim]
        keys: UnsafePointer<Float>, values: UnsafePointer<Float>, keyRows: Int,
        shape: Shape, scale: Float, softcap: Float?, mask: AttentionMask, firstQuery: Int = 0,
        into out: UnsafeMutablePointer<Float>,  // [queryRows, heads * headDim]
        workers: Int = BLASThreads.current
    ) {
        attend(
            [Sequence(
                queries: queries, queryRows: queryRows, keys: keys, values: values,
                keyRows: keyRows, mask: mask, firstQuery: firstQuery, out: out)],
            shape: shape, scale: scale, softcap: softcap, workers: workers)
    }

    /// `attend` for each of several sequences (a batched step). The sequences of a few query
    /// rows (decoding) share one hand-out of work, their key ranges spread over the workers
    /// together: one parallel step per layer instead of one per sequence, whose hand-off
    /// would cost as much as reading a short cache (2 MB per sequence and layer at 224 px).
    public static func attend(
        _ sequences: [Sequence], shape: Shape, scale: Float, softcap: Float?,
        workers: Int = BLASThreads.current
    ) {
        let mark = WorkTally.begin()
        precondition(shape.heads % shape.kvHeads == 0, "heads must be a multiple of kvHeads")
        let d = shape.headDim, group = shape.heads / shape.kvHeads
        // Per sequence, [queryRows] visible key range per query row; never empty (a query
        // sees itself).
        let visible = sequences.map { s in
            (0..<s.queryRows).map { t in
                let range = s.mask.keyRange(query: s.firstQuery + t, keyRows: s.keyRows)
                precondition(!range.isEmpty, "query \(s.firstQuery + t) sees no key")
                return range
            }
        }
        defer {
            // Scores and weighted values: 2 · headDim FLOP each per visible (query, head, key).
            let keys = visible.joined().reduce(0) { $0 + $1.count }
            WorkTally.end(.attention, mark, flops: 4 * d * shape.heads * keys)
        }
        var few: [(Sequence, [Range<Int>])] = []
        for (s, ranges) in zip(sequences, visible) where s.queryRows > 0 {
            if s.queryRows * group <= directRows && d % 8 == 0 {
                few.append((s, ranges))
            } else {
                attendTiled(
                    s, visible: ranges, shape: shape, scale: scale, softcap: softcap,
                    workers: workers)
            }
        }
        if !few.isEmpty {
            attendFew(
                few, shape: shape, scale: scale, softcap: softcap, workers: workers)
        }
    }

    /// Many query rows (prefill, vision): (key/value head, query block) units over the
    /// workers, each streaming its visible key tiles from a packed copy of the keys and values.
    private static func attendTiled(
        _ s: Sequence, visible: [Range<Int>], shape: Shape, scale: Float, softcap: Float?,
        workers: Int
    ) {
        if s.cache.format != .f32 {
            // Widened once (exactly) for the packing below, which copies them anyway.
            return s.cache.widened(keyRows: s.keyRows, shape: shape) { keys, values in
                attendTiled(
                    Sequence(
                        queries: s.queries, queryRows: s.queryRows, keys: keys, values: values,
                        keyRows: s.keyRows, mask: s.mask, firstQuery: s.firstQuery, out: s.out),
                    visible: visible, shape: shape, scale: scale, softcap: softcap,
                    workers: workers)
            }
        }
        let d = shape.headDim, group = shape.heads / shape.kvHeads
        let qStride = shape.heads * d, kvStride = shape.kvHeads * d
        let queryRows = s.queryRows, keyRows = s.keyRows
        let begins = visible.map(\.lowerBound), ends = visible.map(\.upperBound)
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
        nonisolated(unsafe) let queries = s.queries
        nonisolated(unsafe) let keys = s.cache.keys.assumingMemoryBound(to: Float.self)
        nonisolated(unsafe) let values = s.cache.values.assumingMemoryBound(to: Float.self)
        nonisolated(unsafe) let out = s.out
        nonisolated(unsafe) let packedHeads = packed
        let packers = min(workers, shape.kvHeads)
        Parallel.perform(iterations: packers, threads: packers) { packer in
            for head in stride(from: packer, to: shape.kvHeads, by: packers) {
                pali_attention_pack(
                    keys + head * d, values + head * d, kvStride, keyRows, d,
                    packedHeads + head * packedCount)
            }
        }
        begins.withUnsafeBufferPointer { begins in
            ends.withUnsafeBufferPointer { ends in
                nonisolated(unsafe) let begins = begins, ends = ends
                Parallel.perform(iterations: workers, threads: workers) { _ in
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
                            out: out + first * qStride + column, out_stride: qStride)
                        pali_attention_block(&block, scratch)
                    }
                }
            }
        }
    }

    /// A few query rows per sequence (decoding): every head at once over key ranges read
    /// straight from each cache front to back (each unit streams one contiguous run of full
    /// rows), then each sequence's partial softmax results merged. A sequence is split into
    /// up to `workers` ranges of at least `keysPerRange` keys; all sequences' ranges are
    /// handed out together.
    private static func attendFew(
        _ sequences: [(Sequence, [Range<Int>])], shape: Shape, scale: Float, softcap: Float?,
        workers: Int
    ) {
        let qStride = shape.heads * shape.headDim
        // [Σ queryRows] visible key ranges, each sequence's rows in turn; read by the kernels.
        let begins = sequences.flatMap { $0.1.map(\.lowerBound) }
        let ends = sequences.flatMap { $0.1.map(\.upperBound) }
        begins.withUnsafeBufferPointer { begins in
            ends.withUnsafeBufferPointer { ends in
                var jobs: [PaliDecodeAttention] = []
                // Per job: its number of ranges and where the first one's partial result goes.
                var splits: [(parts: Int, firstPartial: Int)] = []
                // Per unit: its sequence, its keys and where its partial result goes.
                var units: [(job: Int, keys: Range<Int>, partial: Int)] = []
                var partialTotal = 0, scratchCount = 0, row = 0
                for (s, visible) in sequences {
                    var job = PaliDecodeAttention(
                        queries: s.queries, query_stride: qStride, keys: s.cache.keys,
                        values: s.cache.values, kv_format: s.cache.format.kernelFormat,
                        key_scales: s.cache.keyScales, value_scales: s.cache.valueScales,
                        kv_block: KVCacheFormat.scaleBlock(headDim: shape.headDim),
                        kv_stride: shape.kvHeads * shape.headDim,
                        heads: shape.heads, kv_heads: shape.kvHeads, head_dim: shape.headDim,
                        positions: s.queryRows, key_begin: begins.baseAddress! + row,
                        key_end: ends.baseAddress! + row, scale: scale,
                        softcap: softcap ?? 0, out: s.out, out_stride: qStride)
                    row += s.queryRows
                    let lo = visible.map(\.lowerBound).min()!
                    let hi = visible.map(\.upperBound).max()!
                    let parts = max(1, min(workers, (hi - lo) / keysPerRange))
                    let partialCount = pali_attention_decode_partial_floats(&job)
                    splits.append((parts, partialTotal))
                    scratchCount = max(scratchCount, pali_attention_decode_scratch_floats(&job))
                    for part in 0..<parts {
                        units.append(
                            (jobs.count,
                             lo + (hi - lo) * part / parts..<lo + (hi - lo) * (part + 1) / parts,
                             partialTotal))
                        partialTotal += partialCount
                    }
                    jobs.append(job)
                }
                // [partialTotal]: each range's unnormalised output and softmax state, a
                // sequence's ranges one after another.
                let partials = UnsafeMutablePointer<Float>.allocate(capacity: partialTotal)
                defer { partials.deallocate() }
                nonisolated(unsafe) let sharedJobs = jobs, partialRows = partials
                let sharedUnits = units, scratchFloats = scratchCount
                let concurrent = min(max(1, workers), units.count)
                let next = Atomic<Int>(0)
                Parallel.perform(iterations: concurrent, threads: concurrent) { _ in
                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchFloats)
                    defer { scratch.deallocate() }
                    while true {
                        let index = next.add(1, ordering: .relaxed).oldValue
                        guard index < sharedUnits.count else { break }
                        let unit = sharedUnits[index]
                        var job = sharedJobs[unit.job]
                        pali_attention_decode_range(
                            &job, unit.keys.lowerBound, unit.keys.upperBound,
                            partialRows + unit.partial, scratch)
                    }
                }
                for (var job, split) in zip(jobs, splits) {
                    pali_attention_decode_merge(&job, split.parts, partials + split.firstPartial)
                }
            }
        }
    }
}

extension KVCacheFormat {
    /// The decode kernels' name for the format.
    fileprivate var kernelFormat: PaliKVFormat {
        switch self {
        case .f32: PALI_KV_F32
        case .bf16: PALI_KV_BF16
        case .int8: PALI_KV_INT8
        }
    }
}
