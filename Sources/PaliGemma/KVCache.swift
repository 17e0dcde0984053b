/// One sequence's keys and values for every decoder layer, plus its prefix length.
///
/// Each layer's keys and values are head-major, `[kvHeads, capacity, headDim]`: a decode
/// step's attention streams one contiguous region per key/value head instead of gathering
/// `headDim` floats from every `kvHeads * headDim` row.
struct KVCache: Sendable {
    /// Per layer: `[kvHeads, capacity, headDim]` keys, after RoPE; rows ≥ `length` unset.
    private(set) var keys: [[Float]]
    /// Per layer: `[kvHeads, capacity, headDim]` values; rows ≥ `length` unset.
    private(set) var values: [[Float]]
    /// Key/value heads per layer.
    let kvHeads: Int
    /// Floats per head and row.
    let headDim: Int
    /// Rows each head has room for.
    private(set) var capacity: Int
    /// Tokens stored.
    var length = 0
    /// Length of the bidirectional prefix (image + `<bos>` + prompt + `\n`).
    var prefixLength = 0

    /// An empty cache with room for `capacity` rows per head and layer reserved up front, so a
    /// sequence that grows to its budget never regrows (and copies) its cache mid-decode.
    /// Reserved pages are only touched when rows are written.
    init(layers: Int, kvHeads: Int, headDim: Int, capacity: Int) {
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.capacity = max(1, capacity)
        let count = kvHeads * self.capacity * headDim
        keys = (0..<layers).map { _ in Self.unset(count) }
        values = (0..<layers).map { _ in Self.unset(count) }
    }

    /// Where `Attention` finds row j of head g in a layer's buffers.
    var layout: Attention.KVLayout { .headMajor(headDim: headDim, capacity: capacity) }

    /// Makes room for `rows` rows per head (at least doubling the capacity), keeping the
    /// stored rows; does nothing when they fit.
    mutating func reserve(rows: Int) {
        guard rows > capacity else { return }
        let grown = max(rows, 2 * capacity), stored = length * headDim
        func regrown(_ old: [Float]) -> [Float] {
            var new = Self.unset(kvHeads * grown * headDim)  // [kvHeads, grown, headDim]
            old.withUnsafeBufferPointer { old in
                new.withUnsafeMutableBufferPointer { new in
                    for head in 0..<kvHeads {
                        (new.baseAddress! + head * grown * headDim).update(
                            from: old.baseAddress! + head * capacity * headDim, count: stored)
                    }
                }
            }
            return new
        }
        keys = keys.map(regrown)
        values = values.map(regrown)
        capacity = grown
    }

    /// Stores rows `fromRow ..< fromRow + rows` of `[*, kvHeads * headDim]` key and value
    /// buffers as rows `length ..< length + rows` of `layer` (room reserved beforehand).
    mutating func append(
        layer: Int, keys newKeys: [Float], values newValues: [Float], fromRow: Int, rows: Int
    ) {
        precondition(length + rows <= capacity, "KV cache rows not reserved")
        let width = kvHeads * headDim
        func scatter(_ source: [Float], into buffer: inout [Float]) {
            source.withUnsafeBufferPointer { source in
                buffer.withUnsafeMutableBufferPointer { buffer in
                    for r in 0..<rows {
                        for head in 0..<kvHeads {
                            let from = (fromRow + r) * width + head * headDim
                            let to = (head * capacity + length + r) * headDim
                            (buffer.baseAddress! + to).update(
                                from: source.baseAddress! + from, count: headDim)
                        }
                    }
                }
            }
        }
        scatter(newKeys, into: &keys[layer])
        scatter(newValues, into: &values[layer])
    }

    /// `count` floats left uninitialised (never read before written), so untouched pages of a
    /// reserved cache cost no memory.
    private static func unset(_ count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }
}
