import COpenBLAS
import CPaliKernels
import Foundation

/// The OpenBLAS kernel set ("core") that float32 products run on, and the one this CPU runs
/// best. OpenBLAS picks its core from cpuid when the library loads, and gets it wrong on CPUs
/// it does not know: a generic model name sends an AVX-512 Xeon to its SSE3 kernels
/// (`Prescott`). It reads `OPENBLAS_CORETYPE` only at load, so the CLI fixes a wrong choice by
/// setting it and starting itself again (`preferredCoreType`). Rates per core on the CPUs
/// measured are in docs/benchmarks/.
public enum BLASCore {
    /// The core OpenBLAS loaded with ("Haswell", "SkylakeX", "Prescott", …).
    public static var name: String { String(cString: openblas_get_corename()) }

    /// The cores that run this CPU's float32 products at its full rate; empty when palidoc has
    /// no preference (CPUs without AVX2).
    public static var suitableCores: [String] {
        suitableCores(isa: pali_isa_detected(), vendor: pali_cpu_vendor())
    }

    /// `suitableCores` for a CPU with extensions `isa` (`PALI_ISA_*` bits) from `vendor`, the
    /// first the one to ask for.
    static func suitableCores(isa: UInt32, vendor: PaliVendor) -> [String] {
        guard isa & UInt32(PALI_ISA_AVX2) != 0 else { return [] }
        if isa & UInt32(PALI_ISA_AVX512) != 0 {
            // Intel's and AMD's AVX-512 alike: AMD's cores with full-width 512-bit units run the
            // 512-bit kernels at twice the 256-bit ones' rate, and those that split 512-bit
            // work in halves run them no slower.
            let bf16 = isa & UInt32(PALI_ISA_AVX512_BF16) != 0
            return bf16 ? avx512Cores : ["SkylakeX"] + avx512Cores.filter { $0 != "SkylakeX" }
        }
        return vendor == PALI_VENDOR_AMD ? ["Zen", "Haswell"] : ["Haswell", "Zen"]
    }

    /// Whether OpenBLAS runs its AVX-512 kernels (512-bit `sgemm`, at twice the 256-bit rate on
    /// CPUs with full-width units).
    public static var runsAVX512Kernels: Bool { avx512Cores.contains(name) }

    /// OpenBLAS's cores with AVX-512 kernels, the one for CPUs with AVX512_BF16 first.
    private static let avx512Cores = ["Cooperlake", "SkylakeX", "SapphireRapids"]

    /// Whether the loaded core runs this CPU's float32 products at its full rate.
    public static var isSuitable: Bool {
        let cores = suitableCores
        return cores.isEmpty || cores.contains(name)
    }

    /// The `OPENBLAS_CORETYPE` to load OpenBLAS with on this CPU, or `nil` when the loaded core
    /// is suitable or the environment already names one (an explicit choice, kept).
    public static func preferredCoreType(environment: [String: String]) -> String? {
        guard environment["OPENBLAS_CORETYPE"] == nil, !isSuitable else { return nil }
        return suitableCores.first
    }
}
