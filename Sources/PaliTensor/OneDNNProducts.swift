import CPaliKernels
import Foundation
import Synchronization

/// Which many-row products (prefill, vision) go through oneDNN's matmul instead of palidoc's
/// own kernels. oneDNN supplies the sums: for int8 weights the exact integer ones, which palidoc
/// scales as its own kernels do (the same bits on either path); for bf16 weights float32 sums of
/// the activations' two bf16 parts, as the own AVX512_BF16 kernel multiplies them.
///
/// - At the `amx` kernel level, where oneDNN runs its AMX kernels: every int8 and bf16 product
///   (the tile units, which palidoc's own kernels do not use).
/// - Below it, where oneDNN does not run AMX kernels (so a capped level never reaches the tiles):
///   int8 products with int16 activations on AVX-512 VNNI (two u8/s8 byte planes outrun the
///   own `vpdpwssd` kernel), and bf16 products where the own AVX512_BF16 kernel would run
///   (`KernelLevel.bf16DotPaysOff`: oneDNN's multiplies the same two parts faster; where
///   OpenBLAS runs its AVX-512 kernels `sgemm` on widened weights keeps float32 activations at
///   about oneDNN's rate). 8-bit activations (`w8a8`) keep the own kernel, as fast. Rates in
///   docs/benchmarks/.
/// - Never where oneDNN's own kernels fall short: int8 only where they sum exactly (AVX-512
///   VNNI, AMX), bf16 only where they multiply it natively (AVX512_BF16, AMX).
public enum OneDNNProducts {
    /// A kind of many-row product oneDNN can compute.
    public enum Kind: Sendable {
        /// int8 weights × int16 activations (`.int8`).
        case int16Activations
        /// int8 weights × 8-bit activations (`w8a8`).
        case eightBitActivations
        /// bf16 weights.
        case bf16
    }

    /// Whether products of `kind` take this path now (at the current kernel level).
    public static func takes(_ kind: Kind) -> Bool {
        let routing = chosen.load(ordering: .relaxed)
        // Checked first, so CPUs below AVX-512 VNNI never load the library.
        guard KernelLevel.allows(PALI_ISA_AVX512_VNNI), routing != Routing.never.rawValue
        else { return false }
        // oneDNN's own level: its int8 sums must be exact, its bf16 native.
        guard kind == .bf16 ? pali_onednn_runs_bf16() != 0 : pali_onednn_sums_exactly() != 0
        else { return false }
        if routing == Routing.always.rawValue || runsOnTiles { return true }
        guard pali_onednn_runs_amx() == 0 else { return false }
        switch kind {
        case .int16Activations: return true
        case .eightBitActivations: return false
        case .bf16: return KernelLevel.bf16DotPaysOff
        }
    }

    /// Whether oneDNN drives the AMX tiles now: the `amx` level allowed and oneDNN running its
    /// AMX kernels. The vision tower's bf16 matrices then stay bf16.
    public static var runsOnTiles: Bool {
        KernelLevel.allows(PALI_ISA_AMX) && failure == nil && pali_onednn_runs_amx() != 0
    }

    /// Why oneDNN cannot be used here (the library is missing or could not start), or nil.
    public static var failure: String? {
        pali_onednn_failure().map { String(cString: $0) }
    }

    /// "oneDNN 2.6.3 (avx512_core_amx)".
    public static var name: String { "oneDNN \(version)" }

    /// "2.6.3 (avx512_core_amx)": the library's version and the instruction set it runs at.
    public static var version: String {
        "\(String(cString: pali_onednn_version())) (\(String(cString: pali_onednn_isa())))"
    }

    /// Products oneDNN has computed in this process.
    static let completed = Atomic<Int>(0)

    /// Runs `part` (a `pali_onednn_*_range` call, 0 on success) on each core's share of a
    /// `[rows, k] · [n, k]ᵀ` product's outputs, as `Ops.splitOutputs` splits them. False when
    /// a part failed, for the caller's own kernels to compute the whole product.
    static func split(rows: Int, n: Int, k: Int, _ part: (Range<Int>) -> Int32) -> Bool {
        let failed = Atomic<Bool>(false)
        Ops.splitOutputs(rows: rows, n: n, k: k) { outputs in
            if part(outputs) != 0 { failed.store(true, ordering: .relaxed) }
        }
        if failed.load(ordering: .relaxed) { return false }
        completed.add(1, ordering: .relaxed)
        return true
    }

    /// A test's override of the choice.
    public enum Routing: Int, Sendable {
        /// As described above.
        case automatic
        /// Every kind oneDNN runs at its own level through it, on AVX-512 VNNI CPUs, whatever
        /// palidoc's level.
        case always
        /// The own kernels only.
        case never
    }

    private static let chosen = Atomic<Int>(Routing.automatic.rawValue)
    private static let lock = NSLock()

    /// Runs `body` with the choice overridden, for tests that compare the two paths; then
    /// restores it. Callers take turns (the choice is process-wide).
    public static func routing<T>(_ choice: Routing, _ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer {
            chosen.store(Routing.automatic.rawValue, ordering: .relaxed)
            lock.unlock()
        }
        chosen.store(choice.rawValue, ordering: .relaxed)
        return try body()
    }
}
