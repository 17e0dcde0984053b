import CPaliKernels
import Foundation
import Synchronization

/// Whether many-row int8 products (prefill, and vision where its weights are int8) go through
/// oneDNN's matmul: on CPUs with AMX, whose tile units oneDNN drives and palidoc's own kernels do
/// not, at the `amx` kernel level. oneDNN supplies the exact integer sums, palidoc scales them
/// as its own kernels do, so the outputs are the same bits on either path.
public enum OneDNNProducts {
    /// Whether the products take this path now.
    public static var isActive: Bool {
        if forced.load(ordering: .relaxed) { return KernelLevel.allows(PALI_ISA_AVX512_VNNI) }
        return KernelLevel.allows(PALI_ISA_AMX) && pali_onednn_runs_amx() != 0
    }

    /// Why oneDNN cannot be used here (the library is missing or could not start), or nil.
    public static var failure: String? {
        pali_onednn_failure().map { String(cString: $0) }
    }

    /// "oneDNN 2.6.3 (avx512_core_amx)".
    public static var name: String {
        "oneDNN \(String(cString: pali_onednn_version())) (\(String(cString: pali_onednn_isa())))"
    }

    /// Products oneDNN has computed in this process.
    static let completed = Atomic<Int>(0)

    private static let forced = Atomic<Bool>(false)
    private static let lock = NSLock()

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

    /// Runs `body` with the products routed through oneDNN below the `amx` level too, for tests
    /// on AVX-512 VNNI CPUs (where oneDNN's integer sums are exact as well; its AVX2 kernels
    /// saturate, so the route is never forced there). Callers take turns.
    public static func forcing<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer {
            forced.store(false, ordering: .relaxed)
            lock.unlock()
        }
        forced.store(true, ordering: .relaxed)
        return try body()
    }
}
