import CPaliKernels
import Foundation

/// The instruction-set levels of the engine's C kernels, from the portable C fallback up, as the
/// one dispatcher (`CPaliCPU.h`) knows them. Each level allows its own extensions and those of
/// every level below; a CPU runs a level when it has that level's own extensions.
public enum KernelLevel: Int, CaseIterable, Sendable, CustomStringConvertible {
    case portable, avx2, avxVNNI, avx512, avx512VNNI, avx512BF16, amx

    /// The name the CLI, benchmarks and tests print ("avx512-vnni").
    public var description: String {
        String(cString: pali_level_name(PaliLevel(UInt32(rawValue))))
    }

    /// Whether this CPU (and its operating system) has the extensions this level adds.
    public var isSupported: Bool {
        let bits = pali_level_bits(PaliLevel(UInt32(rawValue)))
        return bits & pali_isa_detected() == bits
    }

    /// The highest level the kernels use now (the CPU's best within the current cap).
    public static var current: KernelLevel {
        KernelLevel(rawValue: Int(pali_isa_level().rawValue)) ?? .portable
    }

    /// Whether the kernels may use an extension (`PALI_ISA_*`) now.
    static func allows(_ extensionBit: some BinaryInteger) -> Bool {
        pali_isa() & UInt32(extensionBit) != 0
    }

    /// Whether many-row bf16 products run on `vdpbf16ps` (AVX512_BF16 allowed now, on AMD): on
    /// AMD's AVX-512 cores it retires 32 bf16 multiply-adds per instruction at the rate of an
    /// FMA of the same width (16), so its two passes per product (bf16 parts of float32
    /// activations) keep pace with 256-bit float32 FMAs while reading half the weight bytes,
    /// without widening them; on Intel's, FMAs have twice the ports, and the two passes would
    /// lose. Where OpenBLAS runs its 512-bit kernels, `sgemm` on widened blocks outruns it
    /// (`Ops.expandsForSgemm`). Rates in docs/benchmarks/.
    public static var bf16DotPaysOff: Bool {
        allows(PALI_ISA_AVX512_BF16) && pali_cpu_vendor() == PALI_VENDOR_AMD
            && !Ops.expandsForSgemm
    }

    /// The highest level this CPU supports, whatever the cap.
    public static var best: KernelLevel {
        allCases.last { $0.isSupported } ?? .portable
    }

    /// Allows the kernels only this level and those below it from now on, process-wide. For
    /// tests and benchmarks that compare levels; every level computes the same function.
    public static func limit(to level: KernelLevel) {
        pali_isa_limit(PaliLevel(UInt32(level.rawValue)))
    }

    private static let lock = NSLock()

    /// Runs `body` with the kernels capped at `level`, then lifts the cap. Callers from
    /// different threads take turns (the cap is process-wide).
    public static func run<T>(at level: KernelLevel, _ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer {
            limit(to: allCases.last!)
            lock.unlock()
        }
        limit(to: level)
        return try body()
    }

    /// Runs `body` once per level this CPU supports, lowest first, as `run(at:_:)` does;
    /// levels the CPU lacks are passed to `skipped`.
    public static func each(
        _ body: (KernelLevel) throws -> Void, skipped: (KernelLevel) -> Void = { _ in }
    ) rethrows {
        for level in allCases {
            guard level.isSupported else {
                skipped(level)
                continue
            }
            try run(at: level) { try body(level) }
        }
    }
}
