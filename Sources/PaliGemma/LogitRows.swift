/// Next-token logits of one step: a row `[vocab]` per sequence, in one buffer.
///
/// A session's decode step writes into the `LogitRows` it is handed, so batched decoding
/// reuses one buffer step after step. Why: eight fresh 1 MB rows a step are fresh pages,
/// which the kernel zeroes one fault at a time while the other cores wait.
public struct LogitRows {
    /// Logits per row.
    public let vocab: Int
    /// Rows, one per sequence of the step.
    public private(set) var count: Int
    /// `[capacity ≥ count, vocab]`.
    private var storage: [Float]

    /// No rows yet, `vocab` wide.
    public init(vocab: Int) {
        self.vocab = vocab
        count = 0
        storage = []
    }

    /// Row `row`, copied.
    public subscript(row: Int) -> [Float] {
        withRow(row) { Array($0) }
    }

    /// Calls `body` with row `row` in place.
    public func withRow<R>(_ row: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows
        -> R
    {
        precondition(row >= 0 && row < count, "logit row \(row) of \(count)")
        return try storage.withUnsafeBufferPointer {
            try body(UnsafeBufferPointer(rebasing: $0[(row * vocab)..<((row + 1) * vocab)]))
        }
    }

    /// Resizes to `rows` rows (keeping the storage when it is large enough) and lets `body`
    /// write them all `[rows, vocab]`.
    mutating func overwrite(rows: Int, _ body: (UnsafeMutablePointer<Float>) -> Void) {
        if storage.count < rows * vocab {
            storage = [Float](repeating: 0, count: rows * vocab)
        }
        count = rows
        storage.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }
}
