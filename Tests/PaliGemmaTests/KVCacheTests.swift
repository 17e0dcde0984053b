import Testing

@testable import PaliGemma

/// The head-major cache: rows land at `[head, row, :]`, growth past the reserved capacity keeps
/// the stored rows, and copies (beam search's reordering) stay independent.
@Suite struct KVCacheTests {
    /// Row r's value for head g, column x of `[rows, kvHeads * headDim]` buffers (keys: +0.5).
    static func value(_ r: Int, _ g: Int, _ x: Int) -> Float { Float(r * 100 + g * 10 + x) }

    /// A step's new rows `[rows, kvHeads * headDim]` for absolute rows `first ..< first + rows`.
    static func rows(_ first: Int, _ rows: Int, kvHeads: Int, headDim: Int) -> [Float] {
        (first..<(first + rows)).flatMap { r in
            (0..<kvHeads).flatMap { g in (0..<headDim).map { value(r, g, $0) } }
        }
    }

    /// Appends `rows` rows (all layers) as `InferenceSession.step` does.
    static func step(_ cache: inout KVCache, rows: Int, layers: Int) {
        cache.reserve(rows: cache.length + rows)
        let v = Self.rows(cache.length, rows, kvHeads: cache.kvHeads, headDim: cache.headDim)
        for layer in 0..<layers {
            cache.append(
                layer: layer, keys: v.map { $0 + 0.5 }, values: v, fromRow: 0, rows: rows)
        }
        cache.length += rows
    }

    /// Every stored row of every layer sits where `layout` says.
    static func expectRows(_ cache: KVCache, layers: Int) {
        let layout = cache.layout
        for layer in 0..<layers {
            for g in 0..<cache.kvHeads {
                for r in 0..<cache.length {
                    for x in 0..<cache.headDim {
                        let at = g * layout.headStride + r * layout.rowStride + x
                        #expect(cache.values[layer][at] == value(r, g, x))
                        #expect(cache.keys[layer][at] == value(r, g, x) + 0.5)
                    }
                }
            }
        }
    }

    @Test func growsPastItsReservationKeepingRows() {
        var cache = KVCache(layers: 2, kvHeads: 3, headDim: 4, capacity: 5)
        Self.step(&cache, rows: 4, layers: 2)  // prefill
        Self.step(&cache, rows: 1, layers: 2)  // fills the reservation
        #expect(cache.capacity == 5)
        Self.step(&cache, rows: 1, layers: 2)  // doubles
        #expect(cache.capacity == 10 && cache.length == 6)
        Self.step(&cache, rows: 15, layers: 2)  // needs more than double
        #expect(cache.capacity == 21 && cache.length == 21)
        #expect(cache.layout == .headMajor(headDim: 4, capacity: 21))
        Self.expectRows(cache, layers: 2)
    }

    @Test func copiesAreIndependent() {
        var parent = KVCache(layers: 1, kvHeads: 2, headDim: 8, capacity: 4)
        Self.step(&parent, rows: 3, layers: 1)
        var child = parent
        Self.step(&child, rows: 1, layers: 1)
        #expect(parent.length == 3 && child.length == 4)
        Self.expectRows(parent, layers: 1)
        Self.expectRows(child, layers: 1)
        // A copy rewriting a row both hold (as a shared buffer would show through).
        child = parent
        child.length = 2
        var values = Self.rows(2, 1, kvHeads: 2, headDim: 8)
        values[0] = -1
        child.append(layer: 0, keys: values, values: values, fromRow: 0, rows: 1)
        #expect(child.values[0][2 * 8] == -1)
        Self.expectRows(parent, layers: 1)
    }
}
