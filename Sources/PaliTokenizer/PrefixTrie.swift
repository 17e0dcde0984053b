/// Longest-prefix matching of a fixed set of byte strings, as SentencePiece's
/// `PrefixMatcher` (user-defined symbols) and the added-token split of `tokenizers` need.
struct PrefixTrie: Sendable {
    private var rootChildren = [Int32](repeating: -1, count: 256)  // [256]: node per first byte
    private var children: [UInt64: Int32] = [:]  // (node << 8 | byte) → child node
    private var terminal: [Int32] = [-1]  // [nodes]: the key's value, or -1

    /// Whether no key has been added.
    var isEmpty: Bool { terminal.count == 1 }

    /// An empty trie.
    init() {}

    /// Adds `key` (non-empty) with `value`; a later insert of the same key replaces it.
    mutating func insert(_ key: [UInt8], value: Int32) {
        guard let first = key.first else { return }
        var node = Int(rootChildren[Int(first)])
        if node < 0 {
            node = newNode()
            rootChildren[Int(first)] = Int32(node)
        }
        for byte in key.dropFirst() {
            let edge = UInt64(node) << 8 | UInt64(byte)
            if let child = children[edge] {
                node = Int(child)
            } else {
                let child = newNode()
                children[edge] = Int32(child)
                node = child
            }
        }
        terminal[node] = value
    }

    /// Whether some key starts with `byte`.
    @inline(__always)
    func mayStart(with byte: UInt8) -> Bool { rootChildren[Int(byte)] >= 0 }

    /// The longest key that is a prefix of `text[start..<end]`: its length and value.
    func longestMatch(in text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int)
        -> (length: Int, value: Int32)?
    {
        guard start < end else { return nil }
        var node = Int(rootChildren[Int(text[start])])
        guard node >= 0 else { return nil }
        var best: (length: Int, value: Int32)?
        var position = start + 1
        while true {
            if terminal[node] >= 0 { best = (position - start, terminal[node]) }
            guard position < end,
                let child = children[UInt64(node) << 8 | UInt64(text[position])]
            else { break }
            node = Int(child)
            position += 1
        }
        return best
    }

    private mutating func newNode() -> Int {
        terminal.append(-1)
        return terminal.count - 1
    }
}
