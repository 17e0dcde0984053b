import PaliTensor

/// One sequence's keys and values for every decoder layer, plus its prefix length.
struct KVCache: Sendable {
    /// How the rows are held: in `keys` and `values` (float32) or in `keysBF16` and
    /// `valuesBF16` (bf16); the other pair stays empty.
    let format: KVCacheFormat
    /// Per layer: `[length, kvHeads * headDim]` keys, after RoPE (float32 format).
    private(set) var keys: [[Float]]
    /// Per layer: `[length, kvHeads * headDim]` values (float32 format).
    private(set) var values: [[Float]]
    /// Per layer: the keys, rounded to bf16 (bf16 format).
    private(set) var keysBF16: [[UInt16]]
    /// Per layer: the values, rounded to bf16 (bf16 format).
    private(set) var valuesBF16: [[UInt16]]
    /// Tokens stored.
    var length = 0
    /// Length of the bidirectional prefix (image + `<bos>` + prompt + `\n`).
    var prefixLength = 0

    /// An empty cache with room for `capacity` rows of `width` per layer reserved up front, so
    /// a sequence that grows to its budget never regrows (and copies) its cache mid-decode.
    /// Reserved pages are only touched when rows are written.
    init(layers: Int, capacity: Int = 0, width: Int = 0, format: KVCacheFormat = .f32) {
        // Per layer, empty; with room reserved for the format in use.
        func reserved<Element>(_ family: KVCacheFormat) -> [[Element]] {
            (0..<layers).map { _ in
                var rows: [Element] = []  // [capacity, width] once full
                if family == format { rows.reserveCapacity(capacity * width) }
                return rows
            }
        }
        self.format = format
        keys = reserved(.f32)
        values = reserved(.f32)
        keysBF16 = reserved(.bf16)
        valuesBF16 = reserved(.bf16)
    }

    /// Appends `rows` rows starting at row `fromRow` of `[*, width]` buffers to `layer`.
    mutating func append(
        layer: Int, keys newKeys: UnsafePointer<Float>, values newValues: UnsafePointer<Float>,
        fromRow: Int, rows: Int, width: Int
    ) {
        let first = fromRow * width, count = rows * width
        switch format {
        case .f32:
            keys[layer].append(
                contentsOf: UnsafeBufferPointer(start: newKeys + first, count: count))
            values[layer].append(
                contentsOf: UnsafeBufferPointer(start: newValues + first, count: count))
        case .bf16:
            Self.appendRounded(newKeys + first, count: count, to: &keysBF16[layer])
            Self.appendRounded(newValues + first, count: count, to: &valuesBF16[layer])
        }
    }

    /// Appends `count` values rounded to bf16 to `rows`.
    private static func appendRounded(
        _ source: UnsafePointer<Float>, count: Int, to rows: inout [UInt16]
    ) {
        let start = rows.count
        rows.append(contentsOf: repeatElement(0, count: count))
        rows.withUnsafeMutableBufferPointer {
            KVCacheFormat.roundToBF16(source, count: count, into: $0.baseAddress! + start)
        }
    }
}

extension [KVCache] {
    /// Calls `body` with every cache's keys and values of `layer` (`[length, kvHeads *
    /// headDim]` each, in the cache's format), all valid for the whole call: nested
    /// `withUnsafeBufferPointer`s, so a batched step hands every sequence's cache to one
    /// attention call.
    func withLayer<Result>(
        _ layer: Int,
        _ body: (_ keys: [UnsafeRawPointer], _ values: [UnsafeRawPointer]) -> Result
    ) -> Result {
        func nest(_ i: Int, _ keys: [UnsafeRawPointer], _ values: [UnsafeRawPointer]) -> Result {
            guard i < count else { return body(keys, values) }
            switch self[i].format {
            case .f32:
                return self[i].keys[layer].withUnsafeBytes { k in
                    self[i].values[layer].withUnsafeBytes { v in
                        nest(i + 1, keys + [k.baseAddress!], values + [v.baseAddress!])
                    }
                }
            case .bf16:
                return self[i].keysBF16[layer].withUnsafeBytes { k in
                    self[i].valuesBF16[layer].withUnsafeBytes { v in
                        nest(i + 1, keys + [k.baseAddress!], values + [v.baseAddress!])
                    }
                }
            }
        }
        return nest(0, [], [])
    }
}
