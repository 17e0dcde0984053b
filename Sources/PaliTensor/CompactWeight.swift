/// A linear weight `[n, k]` held in fewer bits than float32 and expanded to float32 by the C
/// kernels: what `Ops.linear` needs to run its streaming and blocked paths on it.
protocol CompactWeight: Sendable {
    /// The few input rows of a streaming product in the form its kernel reads them, prepared
    /// once per product and shared by every core's share of the outputs.
    associatedtype StreamingInput: Sendable

    /// `[n, k]`.
    var shape: [Int] { get }

    /// `a[rows, k]` prepared for `product`.
    func streamingInput(_ a: UnsafePointer<Float>, rows: Int) -> StreamingInput

    /// `out[r * n + j] = Σ_p a[r * k + p] · W[j, p]` for `r < rows`, `j` in `outputs`, each
    /// weight row read once and expanded in registers.
    func product(
        _ input: StreamingInput, rows: Int, outputs: Range<Int>,
        into out: UnsafeMutablePointer<Float>)

    /// Weight rows `rows` expanded to float32 into `out[rows.count, k]`.
    func expand(rows: Range<Int>, into out: UnsafeMutablePointer<Float>)
}
