/// One sequence's keys and values for every decoder layer, plus its prefix length.
struct KVCache: Sendable {
    /// Per layer: `[length, kvHeads * headDim]` keys, after RoPE.
    var keys: [[Float]]
    /// Per layer: `[length, kvHeads * headDim]` values.
    var values: [[Float]]
    /// Tokens stored.
    var length = 0
    /// Length of the bidirectional prefix (image + `<bos>` + prompt + `\n`).
    var prefixLength = 0

    /// An empty cache with room for `capacity` rows of `width` per layer reserved up front, so
    /// a sequence that grows to its budget never regrows (and copies) its cache mid-decode.
    /// Reserved pages are only touched when rows are written.
    init(layers: Int, capacity: Int = 0, width: Int = 0) {
        func reserved() -> [Float] {
            var rows: [Float] = []  // [capacity, width] once full
            rows.reserveCapacity(capacity * width)
            return rows
        }
        keys = (0..<layers).map { _ in reserved() }
        values = (0..<layers).map { _ in reserved() }
    }

    /// Appends `rows` rows starting at row `fromRow` of `[*, width]` buffers to `layer`.
    mutating func append(
        layer: Int, keys newKeys: UnsafePointer<Float>, values newValues: UnsafePointer<Float>,
        fromRow: Int, rows: Int, width: Int
    ) {
        keys[layer].append(
            contentsOf: UnsafeBufferPointer(start: newKeys + fromRow * width, count: rows * width))
        values[layer].append(
            contentsOf: UnsafeBufferPointer(
                start: newValues + fromRow * width, count: rows * width))
    }
}

extension [KVCache] {
    /// Calls `body` with every cache's keys and values of `layer` (`[length, kvHeads *
    /// headDim]` each), all valid for the whole call: nested `withUnsafeBufferPointer`s, so a
    /// batched step hands every sequence's cache to one attention call.
    func withLayer<Result>(
        _ layer: Int,
        _ body: (_ keys: [UnsafePointer<Float>], _ values: [UnsafePointer<Float>]) -> Result
    ) -> Result {
        func nest(_ i: Int, _ keys: [UnsafePointer<Float>], _ values: [UnsafePointer<Float>])
            -> Result
        {
            guard i < count else { return body(keys, values) }
            return self[i].keys[layer].withUnsafeBufferPointer { k in
                self[i].values[layer].withUnsafeBufferPointer { v in
                    nest(i + 1, keys + [k.baseAddress!], values + [v.baseAddress!])
                }
            }
        }
        return nest(0, [], [])
    }
}
