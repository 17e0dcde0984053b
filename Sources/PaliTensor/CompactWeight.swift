/// A linear weight `[n, k]` held in fewer bits than float32 and expanded to float32 by the C
/// kernels: what `Ops.linear` needs to run its streaming and blocked paths on it.
protocol CompactWeight: Sendable {
    /// `[n, k]`.
    var shape: [Int] { get }

    /// `out[r * n + j] = Σ_p a[r * k + p] · W[j, p]` for `r < rows`, `j` in `outputs`, each
    /// weight row read once and expanded in registers.
    func product(
        _ a: UnsafePointer<Float>, rows: Int, outputs: Range<Int>,
        into out: UnsafeMutablePointer<Float>)

    /// Weight rows `rows` expanded to float32 into `out[rows.count, k]`.
    func expand(rows: Range<Int>, into out: UnsafeMutablePointer<Float>)
}
