import Foundation
import Testing
import PaliTestSupport

@testable import PaliTensor

/// The fused, tiled attention against a plain double-precision version that materialises
/// every score and decides visibility element by element (transformers' eager attention with
/// PaliGemma's prefix-LM / sliding-window mask). Tolerance: 1e-5 of the output's magnitude.
@Suite struct AttentionTests {
    /// One attention problem: shapes, mask and the first query's position.
    struct Case: CustomTestStringConvertible, Sendable {
        var heads = 4, kvHeads = 4, headDim = 24
        var queryRows = 10, keyRows = 10, firstQuery = 0
        var softcap: Float? = nil
        var mask = AttentionMask.full
        var testDescription: String {
            "\(heads)/\(kvHeads)×\(headDim) q\(queryRows)@\(firstQuery) k\(keyRows) "
                + "cap \(softcap.map { "\($0)" } ?? "-") \(mask)"
        }
    }

    static let cases: [Case] = [
        // No mask; more keys than one key tile and query rows not a multiple of the tile.
        Case(heads: 3, kvHeads: 3, headDim: 72, queryRows: 101, keyRows: 101),
        // Prefix-LM prefill with several prefix lengths, GQA, Gemma 2's softcap.
        Case(kvHeads: 2, queryRows: 300, keyRows: 300, softcap: 4, mask: .prefixLM(
            prefixLength: 1, window: nil)),
        Case(kvHeads: 2, queryRows: 300, keyRows: 300, softcap: 4, mask: .prefixLM(
            prefixLength: 137, window: nil)),
        Case(heads: 2, kvHeads: 1, queryRows: 300, keyRows: 300, mask: .prefixLM(
            prefixLength: 300, window: nil)),
        // Causal continuation rows (decode, and a multi-token step) after a cached prefix.
        Case(kvHeads: 2, queryRows: 1, keyRows: 290, firstQuery: 289, softcap: 50,
             mask: .prefixLM(prefixLength: 280, window: nil)),
        Case(kvHeads: 1, queryRows: 45, keyRows: 290, firstQuery: 245, softcap: 50,
             mask: .prefixLM(prefixLength: 200, window: nil)),
        // Sliding window shorter than the sequence: prefix rows still see the whole prefix.
        Case(kvHeads: 2, queryRows: 300, keyRows: 300, softcap: 4, mask: .prefixLM(
            prefixLength: 120, window: 40)),
        Case(kvHeads: 2, queryRows: 1, keyRows: 300, firstQuery: 299, mask: .prefixLM(
            prefixLength: 280, window: 7)),
        // Gemma's head size (key tile 128), SigLIP-tiny's 8 and a width needing scalar tails.
        Case(heads: 2, kvHeads: 1, headDim: 256, queryRows: 7, keyRows: 140, firstQuery: 133,
             softcap: 50, mask: .prefixLM(prefixLength: 135, window: nil)),
        Case(heads: 4, kvHeads: 4, headDim: 8, queryRows: 16, keyRows: 16),
        // Decoding with MQA (PaliGemma 1: 8 query heads read one key/value head).
        Case(heads: 8, kvHeads: 1, headDim: 256, queryRows: 1, keyRows: 300, firstQuery: 299,
             mask: .prefixLM(prefixLength: 290, window: nil)),
        Case(heads: 2, kvHeads: 1, headDim: 20, queryRows: 1, keyRows: 33, firstQuery: 32,
             softcap: 3, mask: .prefixLM(prefixLength: 9, window: 5)),
        Case(heads: 2, kvHeads: 2, headDim: 20, queryRows: 33, keyRows: 33, softcap: 3,
             mask: .prefixLM(prefixLength: 9, window: 5)),
    ] + decodeCases

    /// Decode steps that read keys and values straight from the cache (query rows × group
    /// ≤ 8): key counts off multiples of 4, 16 and 128, group 1, 2 and 8, softcap on and off,
    /// sliding window.
    static let decodeCases: [Case] = [
        // Gemma 2 3B's heads (8 query, 4 key/value, 256 wide) at 448 px, global and local.
        Case(heads: 8, kvHeads: 4, headDim: 256, queryRows: 1, keyRows: 1031, firstQuery: 1030,
             softcap: 50, mask: .prefixLM(prefixLength: 1029, window: nil)),
        Case(heads: 8, kvHeads: 4, headDim: 256, queryRows: 1, keyRows: 1031, firstQuery: 1030,
             softcap: 50, mask: .prefixLM(prefixLength: 1029, window: 1000)),
        Case(heads: 8, kvHeads: 4, headDim: 256, queryRows: 1, keyRows: 1031, firstQuery: 1030,
             mask: .prefixLM(prefixLength: 1020, window: 1000)),
        // Group 1, three keys (fewer than one pass of four), and a window of 2.
        Case(heads: 4, kvHeads: 4, headDim: 16, queryRows: 1, keyRows: 3, firstQuery: 2,
             mask: .prefixLM(prefixLength: 1, window: nil)),
        Case(heads: 4, kvHeads: 4, headDim: 32, queryRows: 1, keyRows: 263, firstQuery: 262,
             softcap: 5, mask: .prefixLM(prefixLength: 250, window: 2)),
        // Several rows per step (4 positions × group 2 = 8 rows; 3 × 2 = 6 rows).
        Case(heads: 8, kvHeads: 4, headDim: 256, queryRows: 4, keyRows: 301, firstQuery: 297,
             softcap: 50, mask: .prefixLM(prefixLength: 290, window: nil)),
        Case(heads: 4, kvHeads: 2, headDim: 40, queryRows: 3, keyRows: 142, firstQuery: 139,
             mask: .prefixLM(prefixLength: 130, window: 17)),
        // MQA (8 rows of one key/value head).
        Case(heads: 8, kvHeads: 1, headDim: 256, queryRows: 1, keyRows: 135, firstQuery: 134,
             softcap: 50, mask: .prefixLM(prefixLength: 100, window: nil)),
        // Long caches (three key ranges of hundreds of keys), and
        // positions whose windows start at different keys.
        Case(heads: 8, kvHeads: 4, headDim: 256, queryRows: 2, keyRows: 2100, firstQuery: 2098,
             softcap: 50, mask: .prefixLM(prefixLength: 2000, window: nil)),
        Case(heads: 4, kvHeads: 2, headDim: 24, queryRows: 4, keyRows: 1700, firstQuery: 1696,
             softcap: 5, mask: .prefixLM(prefixLength: 1600, window: 1500)),
    ]

    @Test(arguments: cases, [KernelLevel.avx512, .avx2, .portable])
    func matchesMaterialisedReference(_ c: Case, level: KernelLevel) {
        guard KernelLevels.supports(level) else { return }
        var random = SeededRandom(seed: UInt64(c.queryRows * 7919 + c.keyRows * 31 + c.headDim))
        let qWidth = c.heads * c.headDim, kvWidth = c.kvHeads * c.headDim
        // Scores of a few units so the softmax is neither flat nor one-hot.
        let q = random.values(c.queryRows * qWidth, scale: 2)  // [queryRows, heads * headDim]
        let k = random.values(c.keyRows * kvWidth, scale: 2)  // [keyRows, kvHeads * headDim]
        let v = random.values(c.keyRows * kvWidth)  // [keyRows, kvHeads * headDim]
        let scale = 1 / Float(c.headDim).squareRoot()
        let out = attend(c, q: q, k: k, v: v, scale: scale, level: level)
        let expected = reference(c, q: q, k: k, v: v, scale: Double(scale))
        let magnitude = expected.map(abs).max()!
        let deviation = zip(out, expected).map { abs(Double($0) - $1) }.max()!
        #expect(!out.contains { $0.isNaN })
        #expect(deviation / magnitude <= 1e-5, "deviation \(deviation) of \(magnitude)")
    }

    /// Decoding, read straight from the cache and split by key range (1 and 3 workers),
    /// against the eager formula.
    @Test(arguments: decodeCases, [1, 3])
    func decodeMatchesMaterialisedReference(_ c: Case, workers: Int) {
        var random = SeededRandom(seed: UInt64(c.keyRows * 17 + c.queryRows))
        let q = random.values(c.queryRows * c.heads * c.headDim, scale: 2)
        let k = random.values(c.keyRows * c.kvHeads * c.headDim, scale: 2)
        let v = random.values(c.keyRows * c.kvHeads * c.headDim)
        let scale = 1 / Float(c.headDim).squareRoot()
        for level in attentionLevels {
            let out = attend(c, q: q, k: k, v: v, scale: scale, level: level, workers: workers)
            let expected = reference(c, q: q, k: k, v: v, scale: Double(scale))
            let magnitude = expected.map(abs).max()!
            let deviation = zip(out, expected).map { abs(Double($0) - $1) }.max()!
            #expect(!out.contains { $0.isNaN })
            #expect(deviation / magnitude <= 1e-5, "\(level): \(deviation) of \(magnitude)")
        }
    }

    /// A batched step's call: several sequences with their own caches (lengths of 3 to 1031
    /// keys, decoding rows and one prefill among them) in one `attend`, each equal to the same
    /// sequence attended alone, bit for bit (the same key ranges per sequence), with 1 and 3
    /// workers.
    @Test(arguments: [1, 3])
    func severalSequencesMatchEachAlone(workers: Int) {
        let shapeCase = Case(heads: 8, kvHeads: 4, headDim: 32)
        let sequences: [Case] = [
            Case(queryRows: 1, keyRows: 1031, firstQuery: 1030,
                 mask: .prefixLM(prefixLength: 1029, window: nil)),
            Case(queryRows: 1, keyRows: 3, firstQuery: 2, mask: .prefixLM(
                prefixLength: 1, window: nil)),
            Case(queryRows: 40, keyRows: 300, firstQuery: 260,
                 mask: .prefixLM(prefixLength: 270, window: nil)),
            Case(queryRows: 1, keyRows: 400, firstQuery: 399,
                 mask: .prefixLM(prefixLength: 300, window: 128)),
        ].map { c in
            var c = c
            (c.heads, c.kvHeads, c.headDim) = (shapeCase.heads, shapeCase.kvHeads, 32)
            c.softcap = 50
            return c
        }
        let qWidth = shapeCase.heads * 32, kvWidth = shapeCase.kvHeads * 32
        var random = SeededRandom(seed: 2026)
        let inputs = sequences.map { c in
            (q: random.values(c.queryRows * qWidth, scale: 2),
             k: random.values(c.keyRows * kvWidth, scale: 2), v: random.values(c.keyRows * kvWidth))
        }
        let scale = 1 / Float(32).squareRoot()
        for level in attentionLevels {
            var outs = sequences.map { [Float](repeating: .nan, count: $0.queryRows * qWidth) }
            // Pointers held across the call: every operand copied to the heap first.
            let held = inputs.map { input in
                [input.q, input.k, input.v].map { values in
                    let p = UnsafeMutablePointer<Float>.allocate(capacity: values.count)
                    p.initialize(from: values, count: values.count)
                    return p
                }
            }
            let outPointers = outs.map { UnsafeMutablePointer<Float>.allocate(capacity: $0.count) }
            defer { (held.joined() + outPointers).forEach { $0.deallocate() } }
            KernelLevel.run(at: level) {
            Attention.attend(
                zip(sequences, zip(held, outPointers)).map { c, operands in
                    Attention.Sequence(
                        queries: operands.0[0], queryRows: c.queryRows, keys: operands.0[1],
                        values: operands.0[2], keyRows: c.keyRows, mask: c.mask,
                        firstQuery: c.firstQuery, out: operands.1)
                },
                shape: .init(heads: shapeCase.heads, kvHeads: shapeCase.kvHeads, headDim: 32),
                scale: scale, softcap: 50, workers: workers)
            }
            for i in sequences.indices {
                outs[i] = Array(UnsafeBufferPointer(start: outPointers[i], count: outs[i].count))
                let expected = attend(
                    sequences[i], q: inputs[i].q, k: inputs[i].k, v: inputs[i].v, scale: scale,
                    level: level, workers: workers)
                #expect(outs[i] == expected, "sequence \(i), \(level)")
            }
        }
    }

    /// The AVX2 decode kernels (keys and values read in place) against the portable ones
    /// (which differ by their exp / tanh approximations and summation order: a few 1e-6).
    @Test(arguments: decodeCases)
    func directKernelsMatchPortable(_ c: Case) {
        guard KernelLevels.supports(.avx2) else { return }
        var random = SeededRandom(seed: UInt64(c.keyRows * 131 + c.heads))
        let q = random.values(c.queryRows * c.heads * c.headDim, scale: 2)
        let k = random.values(c.keyRows * c.kvHeads * c.headDim, scale: 2)
        let v = random.values(c.keyRows * c.kvHeads * c.headDim)
        let scale = 1 / Float(c.headDim).squareRoot()
        let fast = attend(c, q: q, k: k, v: v, scale: scale, level: .avx2)
        let portable = attend(c, q: q, k: k, v: v, scale: scale, level: .portable)
        let magnitude = portable.map { abs(Double($0)) }.max()!
        let deviation = zip(fast, portable).map { abs(Double($0) - Double($1)) }.max()!
        #expect(deviation / magnitude <= 1e-5, "deviation \(deviation) of \(magnitude)")
    }

    /// The AVX-512 many-row tiles add every term in the AVX2 tiles' order: equal bits.
    @Test(arguments: cases)
    func avx512TilesEqualAVX2(_ c: Case) {
        guard KernelLevels.supports(.avx512) else { return }
        var random = SeededRandom(seed: UInt64(c.keyRows * 71 + c.headDim))
        let q = random.values(c.queryRows * c.heads * c.headDim, scale: 2)
        let k = random.values(c.keyRows * c.kvHeads * c.headDim, scale: 2)
        let v = random.values(c.keyRows * c.kvHeads * c.headDim)
        let scale = 1 / Float(c.headDim).squareRoot()
        let wide = attend(c, q: q, k: k, v: v, scale: scale, level: .avx512)
        let narrow = attend(c, q: q, k: k, v: v, scale: scale, level: .avx2)
        #expect(wide.map(\.bitPattern) == narrow.map(\.bitPattern))
    }

    /// A bf16 or int8 cache gives exactly what float32 attention gives on its keys and values
    /// widened back (bf16's bits; int8's q · scale), at every level: decoding over it runs the
    /// 512-bit kernels where a float32 cache runs the AVX2 ones (and widens int8 rows in
    /// registers), so this also holds those to the AVX2 bits.
    @Test(arguments: cases + decodeCases, [KVCacheFormat.bf16, .int8])
    func compactCacheEqualsItsWidenedValues(_ c: Case, format: KVCacheFormat) {
        var random = SeededRandom(seed: UInt64(c.keyRows * 13 + c.headDim * 5 + c.queryRows))
        let q = random.values(c.queryRows * c.heads * c.headDim, scale: 2)
        let k = random.values(c.keyRows * c.kvHeads * c.headDim, scale: 2)
        let v = random.values(c.keyRows * c.kvHeads * c.headDim)
        let stored = [k, v].map { StoredRows($0, format: format, heads: c.kvHeads, c.headDim) }
        let scale = 1 / Float(c.headDim).squareRoot()
        let shape = Attention.Shape(heads: c.heads, kvHeads: c.kvHeads, headDim: c.headDim)
        for level in attentionLevels {
            let expected = attend(
                c, q: q, k: stored[0].widened, v: stored[1].widened, scale: scale, level: level)
            var out = [Float](repeating: .nan, count: expected.count)
            stored[0].withCachedRows(values: stored[1]) { cache in
                q.withUnsafeBufferPointer { q in
                    out.withUnsafeMutableBufferPointer { out in
                        let sequence = Attention.Sequence(
                            queries: q.baseAddress!, queryRows: c.queryRows, cache: cache,
                            keyRows: c.keyRows, mask: c.mask, firstQuery: c.firstQuery,
                            out: out.baseAddress!)
                        KernelLevel.run(at: level) {
                            Attention.attend(
                                [sequence], shape: shape, scale: scale, softcap: c.softcap)
                        }
                    }
                }
            }
            #expect(out.map(\.bitPattern) == expected.map(\.bitPattern), "\(format) \(level)")
        }
    }

    /// The kernel levels with attention kernels of their own that this CPU runs (AVX-512's
    /// many-row tiles; decoding runs the AVX2 kernels above AVX2).
    var attentionLevels: [KernelLevel] {
        [KernelLevel.avx512, .avx2, .portable].filter(KernelLevels.supports)
    }

    /// `Attention.attend` on `[keyRows, kvHeads * headDim]` keys `k` and values `v`, with the
    /// kernels capped at `level`.
    func attend(
        _ c: Case, q: [Float], k: [Float], v: [Float], scale: Float, level: KernelLevel,
        workers: Int = BLASThreads.current
    ) -> [Float] {
        let shape = Attention.Shape(heads: c.heads, kvHeads: c.kvHeads, headDim: c.headDim)
        var out = [Float](repeating: .nan, count: c.queryRows * c.heads * c.headDim)
        KernelLevel.run(at: level) {
            Attention.attend(
                queries: q, queryRows: c.queryRows, keys: k, values: v, keyRows: c.keyRows,
                shape: shape, scale: scale, softcap: c.softcap, mask: c.mask,
                firstQuery: c.firstQuery, into: &out, workers: workers)
        }
        return out
    }

    /// The eager formula in double precision with visibility decided per (query, key).
    func reference(_ c: Case, q: [Float], k: [Float], v: [Float], scale: Double) -> [Double] {
        let d = c.headDim, group = c.heads / c.kvHeads
        let qWidth = c.heads * d, kvWidth = c.kvHeads * d
        var out = [Double](repeating: 0, count: c.queryRows * qWidth)
        var scores = [Double](repeating: 0, count: c.keyRows)
        for t in 0..<c.queryRows {
            let i = c.firstQuery + t
            for h in 0..<c.heads {
                let g = h / group
                for j in 0..<c.keyRows {
                    var dot = 0.0
                    for x in 0..<d {
                        dot +=
                            Double(q[t * qWidth + h * d + x]) * Double(k[j * kvWidth + g * d + x])
                    }
                    var score = dot * scale
                    if let cap = c.softcap { score = Double(cap) * tanh(score / Double(cap)) }
                    scores[j] = visible(c.mask, i, j) ? score : -.infinity
                }
                let top = scores.max()!
                let weights = scores.map { exp($0 - top) }
                let sum = weights.reduce(0, +)
                for j in 0..<c.keyRows where weights[j] > 0 {
                    for x in 0..<d {
                        out[t * qWidth + h * d + x] +=
                            weights[j] / sum * Double(v[j * kvWidth + g * d + x])
                    }
                }
            }
        }
        return out
    }

    /// transformers ≥ 5.23: (causal AND inside the window) OR both in the prefix block.
    func visible(_ mask: AttentionMask, _ i: Int, _ j: Int) -> Bool {
        guard mask.causal else { return true }
        if i < mask.prefixLength && j < mask.prefixLength { return true }
        guard j <= i else { return false }
        if let window = mask.window { return i - j < window }
        return true
    }

    @Test func keyRangesAreContiguousAndContainTheQuery() {
        let mask = AttentionMask.prefixLM(prefixLength: 10, window: 4)
        #expect(mask.keyRange(query: 3, keyRows: 20) == 0..<10)
        #expect(mask.keyRange(query: 12, keyRows: 20) == 9..<13)
        #expect(AttentionMask.prefixLM(prefixLength: 10, window: nil)
            .keyRange(query: 12, keyRows: 13) == 0..<13)
        #expect(AttentionMask.full.keyRange(query: 5, keyRows: 8) == 0..<8)
    }
}

/// `[rows, heads * headDim]` float32 rows stored in a cache format, and what they widen back
/// to, computed here element by element.
struct StoredRows {
    let format: KVCacheFormat
    let bytes: [UInt8]
    /// `[rows, format.scalesPerRow]`, int8 only.
    let scales: [Float]
    let widened: [Float]

    init(_ x: [Float], format: KVCacheFormat, heads: Int, _ headDim: Int) {
        let rows = x.count / (heads * headDim)
        var bytes = [UInt8](repeating: 0, count: x.count * format.elementBytes)
        var scales = [Float](
            repeating: 0, count: rows * format.scalesPerRow(heads: heads, headDim: headDim))
        bytes.withUnsafeMutableBytes { bytes in
            scales.withUnsafeMutableBufferPointer { scales in
                format.store(
                    x, rows: rows, heads: heads, headDim: headDim, into: bytes.baseAddress!,
                    scales: format.hasScales ? scales.baseAddress! : nil)
            }
        }
        self.format = format
        self.bytes = bytes
        self.scales = scales
        widened = x.indices.map { i in
            switch format {
            case .f32:
                x[i]
            case .bf16:
                Float(bitPattern: UInt32(bytes[2 * i]) << 16 | UInt32(bytes[2 * i + 1]) << 24)
            case .int8:
                Float(Int8(bitPattern: bytes[i]))
                    * scales[i / KVCacheFormat.scaleBlock(headDim: headDim)]
            }
        }
    }

    /// Calls `body` with these rows as keys and `values`' as values.
    func withCachedRows<Result>(
        values: StoredRows, _ body: (Attention.CachedRows) -> Result
    ) -> Result {
        bytes.withUnsafeBytes { k in
            values.bytes.withUnsafeBytes { v in
                scales.withUnsafeBufferPointer { ks in
                    values.scales.withUnsafeBufferPointer { vs in
                        body(
                            Attention.CachedRows(
                                keys: k.baseAddress!, values: v.baseAddress!, format: format,
                                keyScales: format.hasScales ? ks.baseAddress! : nil,
                                valueScales: format.hasScales ? vs.baseAddress! : nil))
                    }
                }
            }
        }
    }
}
