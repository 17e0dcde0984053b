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

    /// Many rows (prefill): `out[r * n + j] = Σ_p a[r * k + p] · W[j, p]` for `r < rows`, `j` in
    /// `outputs`, the weights widened on the fly into the GEMM kernel's panels. AVX2 + FMA only;
    /// `scratch` holds `pali_compact_gemm_scratch_floats()` floats.
    func multiply(
        _ a: UnsafePointer<Float>, rows: Int, outputs: Range<Int>,
        into out: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>)

    /// Many rows on the CPU's native low-precision units, where this CPU has a path for the
    /// weight: the whole product `out[rows, n] = a[rows, k] · Wᵀ`, split across the cores.
    /// `false` (nothing written) when it has none.
    func multiplyNatively(
        _ a: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>) -> Bool

    /// Weight rows `rows` expanded to float32 into `out[rows.count, k]` (many rows on CPUs
    /// without AVX2, for `sgemm`).
    func expand(rows: Range<Int>, into out: UnsafeMutablePointer<Float>)
}
