import CPaliKernels
import Foundation

/// What this machine's products run on: the CPU and the extensions the kernels care about, the
/// OpenBLAS core and who chose it, and the path of each kind of product at the current kernel
/// level. `palidoc --version --verbose` and every benchmark report print it, so a number is
/// never read without knowing which code produced it.
public struct KernelReport: Sendable {
    /// The CPU's model name (`/proc/cpuinfo`).
    public var cpu: String
    /// The extensions from `KernelReport.flagNames` that the CPU reports.
    public var features: [String]
    /// The highest kernel level in use.
    public var level: KernelLevel
    /// The OpenBLAS core float32 products run on.
    public var blasCore: String
    /// Who chose the core: OpenBLAS from cpuid, the environment, or palidoc.
    public var blasCoreOrigin: String
    /// Each kind of product (in `productKinds`' order) and the code it runs on.
    public var products: [(kind: String, path: String)]
    /// oneDNN's version and instruction set, or why it cannot be loaded.
    public var oneDNN: String

    /// The `/proc/cpuinfo` flags that decide a kernel path.
    public static let flagNames = [
        "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx_vnni", "avx512_vnni",
        "avx512_bf16", "amx_tile", "amx_int8", "amx_bf16",
    ]

    /// The variable the CLI sets beside `OPENBLAS_CORETYPE` when it chose the core itself.
    public static let chosenCoreVariable = "PALIDOC_BLAS_CORE"

    /// The report for this process now.
    public static func current(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> KernelReport {
        let (cpu, flags) = cpuInfo()
        let core = BLASCore.name
        let origin: String
        if let set = environment["OPENBLAS_CORETYPE"] {
            origin = environment[chosenCoreVariable] == set
                ? "OPENBLAS_CORETYPE=\(set) set by palidoc for this CPU"
                : "OPENBLAS_CORETYPE=\(set) from the environment"
        } else {
            origin = "chosen by OpenBLAS"
        }
        return KernelReport(
            cpu: cpu, features: flagNames.filter(flags.contains), level: .current,
            blasCore: core, blasCoreOrigin: origin, products: productPaths(core: core),
            oneDNN: OneDNNProducts.failure.map { "unavailable (\($0))" } ?? OneDNNProducts.version)
    }

    /// The paths `Ops.linear` and `Attention` take at the current kernel level.
    static func productPaths(core: String) -> [(kind: String, path: String)] {
        let avx2 = KernelLevel.allows(PALI_ISA_AVX2)
        let decodeLevel = avx2 ? "avx2" : "portable"
        let vnni512 = KernelLevel.allows(PALI_ISA_AVX512_VNNI)
        let int8Decode =
            vnni512 ? "avx512-vnni" : KernelLevel.allows(PALI_ISA_AVX_VNNI) ? "avx-vnni" : decodeLevel
        let compactMany =
            avx2 && !Ops.expandsForSgemm
            ? "C GEMM kernel avx2 up to \(Ops.gemmKernelRows) rows, above: widened to float32 "
                + "for OpenBLAS sgemm (\(core))"
            : "widened to float32 for OpenBLAS sgemm (\(core))"
        func oneDNN(_ kind: OneDNNProducts.Kind) -> String? {
            OneDNNProducts.takes(kind) ? OneDNNProducts.name : nil
        }
        let int8Many =
            oneDNN(.int16Activations).map {
                "\($0), int16 activations as two byte planes, exact integer sums"
            }
            ?? (vnni512 ? "C kernel avx512-vnni, int16 activations, exact integer sums" : compactMany)
            + amxUnused
        return [
            ("f32, 1 row", "OpenBLAS sgemv (\(core))"),
            ("f32, 2-\(Ops.streamingRows) rows", "C kernel \(decodeLevel)"),
            ("f32, many rows", "OpenBLAS sgemm (\(core))"),
            (
                "bf16, 1-\(Ops.streamingRows) rows",
                KernelLevel.allows(PALI_ISA_AVX512)
                    ? "C kernel \(decodeLevel), 7-8 rows avx512" : "C kernel \(decodeLevel)"
            ),
            (
                "bf16, many rows",
                oneDNN(.bf16).map { "\($0), activations as two bf16 parts" }
                    ?? (KernelLevel.bf16DotPaysOff
                        ? "C kernel avx512-bf16, activations as two bf16 parts" : compactMany)
            ),
            ("int8, 1-\(Ops.streamingRows) rows", "C kernel \(int8Decode), exact integer sums"),
            ("int8, many rows", int8Many),
            (
                "int8 (w8a8), 1-\(Ops.streamingRows) rows",
                vnni512
                    ? "C kernel avx512-vnni, u8 activations, exact integer sums"
                    : "C kernel \(int8Decode), exact integer sums"
            ),
            (
                "int8 (w8a8), many rows",
                oneDNN(.eightBitActivations).map { "\($0), u8 activations, exact integer sums" }
                    ?? (vnni512
                        ? "C kernel avx512-vnni, u8 activations, exact integer sums" + amxUnused
                        : int8Many)
            ),
            (
                "attention",
                KernelLevel.allows(PALI_ISA_AVX512)
                    ? "C kernel avx512 (many rows; decoding over a bf16 or int8 cache), "
                        + "\(decodeLevel) (decoding over a float32 cache)"
                    : "C kernel \(decodeLevel)"
            ),
        ]
    }

    /// Why the `amx` level's path is not taken where the level is allowed (oneDNN missing, or
    /// not running its AMX kernels), for the many-row int8 lines; else "".
    private static var amxUnused: String {
        guard KernelLevel.allows(PALI_ISA_AMX), !OneDNNProducts.runsOnTiles else { return "" }
        return " (AMX unused: "
            + (OneDNNProducts.failure ?? "oneDNN runs \(OneDNNProducts.name)") + ")"
    }

    /// The model name and flags of the first processor in `/proc/cpuinfo`.
    static func cpuInfo() -> (model: String, flags: Set<String>) {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else {
            return ("unknown", [])
        }
        var model = "unknown", flags: Set<String> = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            if key == "model name" && model == "unknown" { model = value }
            if key == "flags" && flags.isEmpty {
                flags = Set(value.split(separator: " ").map(String.init))
            }
            if model != "unknown" && !flags.isEmpty { break }
        }
        return (model, flags)
    }

    /// Lines for a terminal.
    public var lines: [String] {
        let none = "none of " + Self.flagNames.joined(separator: " ")
        return [
            "cpu: \(cpu)",
            "cpu features: \(features.isEmpty ? none : features.joined(separator: " "))",
            "kernel level: \(level)",
            "BLAS core: \(blasCore) (\(blasCoreOrigin))",
            "oneDNN: \(oneDNN)",
        ] + products.map { "  \($0.kind): \($0.path)" }
    }

    /// A JSON object (`JSONSerialization`).
    public var object: [String: Any] {
        [
            "cpu": cpu, "cpu_features": features, "kernel_level": level.description,
            "blas_core": blasCore, "blas_core_origin": blasCoreOrigin, "onednn": oneDNN,
            "products": Dictionary(uniqueKeysWithValues: products.map { ($0.kind, $0.path) }),
        ]
    }
}
