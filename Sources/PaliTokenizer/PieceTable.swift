/// An immutable hash map from byte strings to ids, looked up by a slice of a byte buffer
/// without creating a `String` or an `Array` (the BPE inner loop does millions of these).
///
/// Open addressing with linear probing over a power-of-two table; keys live back to back in
/// one byte buffer.
struct PieceTable: Sendable {
    private var keyBytes: [UInt8] = []
    private var keyStarts: [Int32] = []  // [entries + 1] offsets into keyBytes
    private var values: [Int32] = []  // [entries]
    private var slots: [Int32]  // [capacity]: entry index, or -1 when empty
    private var mask: Int

    /// Number of keys.
    var count: Int { values.count }

    /// An empty table sized for about `expected` keys.
    init(expectedCount expected: Int) {
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        slots = Array(repeating: -1, count: capacity)
        mask = capacity - 1
        keyStarts = [0]
    }

    /// Adds `key → value` unless `key` is already present; returns whether it was added.
    @discardableResult
    mutating func insertIfAbsent(_ key: [UInt8], value: Int32) -> Bool {
        if key.withUnsafeBufferPointer({ lookup($0) }) != nil { return false }
        if (values.count + 1) * 2 > slots.count { grow() }
        keyBytes.append(contentsOf: key)
        keyStarts.append(Int32(keyBytes.count))
        values.append(value)
        place(entry: values.count - 1, hash: key.withUnsafeBufferPointer { Self.hash($0) })
        return true
    }

    /// The id of `key`, or nil.
    func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        var slot = Self.hash(key) & mask
        return keyBytes.withUnsafeBufferPointer { stored in
            while true {
                let entry = Int(slots[slot])
                if entry < 0 { return nil }
                let start = Int(keyStarts[entry]), end = Int(keyStarts[entry + 1])
                if end - start == key.count {
                    var equal = true
                    for i in 0..<key.count where stored[start + i] != key[i] {
                        equal = false
                        break
                    }
                    if equal { return values[entry] }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// The id of `key`, or nil.
    func lookup(_ key: [UInt8]) -> Int32? {
        key.withUnsafeBufferPointer { lookup($0) }
    }

    private mutating func place(entry: Int, hash: Int) {
        var slot = hash & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(entry)
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for entry in 0..<values.count {
            let start = Int(keyStarts[entry]), end = Int(keyStarts[entry + 1])
            let hash = keyBytes.withUnsafeBufferPointer {
                Self.hash(UnsafeBufferPointer(rebasing: $0[start..<end]))
            }
            place(entry: entry, hash: hash)
        }
    }

    /// FNV-1a over the bytes, finished with a multiply-shift mix so short keys spread well.
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        h ^= h >> 32
        return Int(truncatingIfNeeded: h)
    }
}
