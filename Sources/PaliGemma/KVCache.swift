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

    init(layers: Int) {
        keys = Array(repeating: [], count: layers)
        values = Array(repeating: [], count: layers)
    }

    /// Appends `rows` rows starting at row `fromRow` of `[*, width]` buffers to `layer`.
    mutating func append(
        layer: Int, keys newKeys: [Float], values newValues: [Float], fromRow: Int, rows: Int,
        width: Int
    ) {
        keys[layer].append(contentsOf: newKeys[(fromRow * width)..<((fromRow + rows) * width)])
        values[layer].append(contentsOf: newValues[(fromRow * width)..<((fromRow + rows) * width)])
    }
}
