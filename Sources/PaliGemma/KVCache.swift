import PaliTensor

/// One sequence's keys and values for every decoder layer, plus its prefix length.
struct KVCache: Sendable {
    /// How the rows are held.
    let format: KVCacheFormat
    /// Key/value heads and the width of one: a row is `heads * headDim` elements.
    let heads: Int
    let headDim: Int
    /// Per layer: `[length, heads * headDim]` keys after RoPE, as `format`'s elements.
    private(set) var keys: [[UInt8]]
    /// Per layer: `[length, heads * headDim]` values, as `format`'s elements.
    private(set) var values: [[UInt8]]
    /// Per layer, int8 format only (else empty): `[length, format.scalesPerRow]` scales of
    /// the keys.
    private(set) var keyScales: [[Float]]
    /// Per layer, int8 format only (else empty): `[length, format.scalesPerRow]` scales of
    /// the values.
    private(set) var valueScales: [[Float]]
    /// Tokens stored.
    var length = 0
    /// Length of the bidirectional prefix (image + `<bos>` + prompt + `\n`).
    var prefixLength = 0

    /// An empty cache of rows of `heads × headDim` with room for `capacity` rows reserved up
    /// front, so a sequence that grows to its budget never regrows (and copies) its cache
    /// mid-decode. Reserved pages are only touched when rows are written.
    init(layers: Int, capacity: Int = 0, heads: Int, headDim: Int, format: KVCacheFormat = .f32) {
        // Per layer, empty, with room for `perRow` elements of a row.
        func reserved<Element>(_ perRow: Int) -> [[Element]] {
            (0..<layers).map { _ in
                var rows: [Element] = []  // [capacity, perRow] once full
                rows.reserveCapacity(capacity * perRow)
                return rows
            }
        }
        self.format = format
        self.heads = heads
        self.headDim = headDim
        let rowBytes = heads * headDim * format.elementBytes
        let scales = format.scalesPerRow(heads: heads, headDim: headDim)
        keys = reserved(rowBytes)
        values = reserved(rowBytes)
        keyScales = reserved(scales)
        valueScales = reserved(scales)
    }

    /// Appends `rows` rows starting at row `fromRow` of `[*, heads * headDim]` buffers to
    /// `layer`, in the cache's format.
    mutating func append(
        layer: Int, keys newKeys: UnsafePointer<Float>, values newValues: UnsafePointer<Float>,
        fromRow: Int, rows: Int
    ) {
        let first = fromRow * heads * headDim
        let shape = (format, heads, headDim)
        Self.store(
            newKeys + first, rows: rows, shape: shape, into: &keys[layer],
            scales: &keyScales[layer])
        Self.store(
            newValues + first, rows: rows, shape: shape, into: &values[layer],
            scales: &valueScales[layer])
    }

    /// Appends `rows` rows of `source` to one layer's `elements` (and `scales`), in place.
    private static func store(
        _ source: UnsafePointer<Float>, rows: Int,
        shape: (format: KVCacheFormat, heads: Int, headDim: Int), into elements: inout [UInt8],
        scales: inout [Float]
    ) {
        let (format, heads, headDim) = shape
        let start = elements.count, scaleStart = scales.count
        elements.append(
            contentsOf: repeatElement(0, count: rows * heads * headDim * format.elementBytes))
        scales.append(
            contentsOf: repeatElement(0, count: rows * format.scalesPerRow(heads: heads, headDim: headDim)))
        elements.withUnsafeMutableBytes { bytes in
            scales.withUnsafeMutableBufferPointer { scales in
                format.store(
                    source, rows: rows, heads: heads, headDim: headDim,
                    into: bytes.baseAddress! + start,
                    scales: format.hasScales ? scales.baseAddress! + scaleStart : nil)
            }
        }
    }
}

extension [KVCache] {
    /// Calls `body` with every cache's rows of `layer` as attention reads them, all valid for
    /// the whole call: nested `withUnsafe…`s, so a batched step hands every sequence's cache
    /// to one attention call.
    func withLayer<Result>(_ layer: Int, _ body: ([Attention.CachedRows]) -> Result) -> Result {
        func nest(_ i: Int, _ rows: [Attention.CachedRows]) -> Result {
            guard i < count else { return body(rows) }
            let cache = self[i]
            return cache.keys[layer].withUnsafeBytes { k in
                cache.values[layer].withUnsafeBytes { v in
                    cache.keyScales[layer].withUnsafeBufferPointer { ks in
                        cache.valueScales[layer].withUnsafeBufferPointer { vs in
                            let layerRows = Attention.CachedRows(
                                keys: k.baseAddress!, values: v.baseAddress!,
                                format: cache.format,
                                keyScales: cache.format.hasScales ? ks.baseAddress! : nil,
                                valueScales: cache.format.hasScales ? vs.baseAddress! : nil)
                            return nest(i + 1, rows + [layerRows])
                        }
                    }
                }
            }
        }
        return nest(0, [])
    }
}
