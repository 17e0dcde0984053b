/// An immutable hash map from byte strings to ids, looked up by a slice of a byte buffer
/// without creating a `String` or an `Array` (the BPE inner loop does millions of these).
///
/// Open addressing with linear probing over a power-of-two table; each slot keeps 32 bits of
/// the key's hash beside the entry so that probes rarely compare bytes. Keys live back to
/// back in one byte buffer.
struct PieceTable: Sendable {
    private var keyBytes: [UInt8] = []
    private var keyStarts: [Int32] = [0]  // [entries + 1] offsets into keyBytes
    private var values: [Int32] = []  // [entries]
    private var slots: [UInt64]  // [capacity]: hash tag << 32 | (entry + 1), or 0 when empty
    private var mask: Int

    /// Number of keys.
    var count: Int { values.count }

    /// An empty table sized for about `expected` keys.
    init(expectedCount expected: Int) {
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        slots = Array(repeating: 0, count: capacity)
        mask = capacity - 1
    }

    /// Adds `key → value` unless `key` is already present; returns whether it was added.
    @discardableResult
    mutating func insertIfAbsent(_ key: [UInt8], value: Int32) -> Bool {
        if lookup(key) != nil { return false }
        if (values.count + 1) * 2 > slots.count { grow() }
        keyBytes.append(contentsOf: key)
        keyStarts.append(Int32(keyBytes.count))
        values.append(value)
        place(entry: values.count - 1, hash: key.withUnsafeBufferPointer { Self.hash($0) })
        return true
    }

    /// The id of `key`, or nil.
    @inline(__always)
    func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        let hash = Self.hash(key)
        let tag = hash >> 32
        var slot = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            keyBytes.withUnsafeBufferPointer { stored in
                while true {
                    let content = slots[slot]
                    if content == 0 { return nil }
                    if content >> 32 == tag {
                        let entry = Int(content & 0xFFFF_FFFF) - 1
                        let start = Int(keyStarts[entry])
                        if Int(keyStarts[entry + 1]) - start == key.count {
                            var equal = true
                            for i in 0..<key.count where stored[start + i] != key[i] {
                                equal = false
                                break
                            }
                            if equal { return values[entry] }
                        }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// The id of `key`, or nil.
    func lookup(_ key: [UInt8]) -> Int32? {
        key.withUnsafeBufferPointer { lookup($0) }
    }

    private mutating func place(entry: Int, hash: UInt64) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = (hash >> 32) << 32 | UInt64(entry + 1)
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        mask = slots.count - 1
        for entry in 0..<values.count {
            let start = Int(keyStarts[entry])
            let end = Int(keyStarts[entry + 1])
            let hash = keyBytes.withUnsafeBufferPointer {
                Self.hash(UnsafeBufferPointer(rebasing: $0[start..<end]))
            }
            place(entry: entry, hash: hash)
        }
    }

    /// A multiply-xorshift hash over 8-byte words; the high 32 bits serve as the slot tag.
    @inline(__always)
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = UInt64(key.count) &* 0x9E37_79B9_7F4A_7C15
        guard let base = key.baseAddress else { return h | 1 << 63 }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= key.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        if i < key.count {
            var word: UInt64 = 0
            for j in i..<key.count { word |= UInt64(key[j]) << (8 * UInt64(j - i)) }
            h = (h ^ word) &* 0x94D0_49BB_1331_11EB
        }
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 32
        return h
    }
}
