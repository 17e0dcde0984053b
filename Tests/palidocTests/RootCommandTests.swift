import PaliTensor
import PaliTestSupport
import Testing

@Suite struct RootCommandTests {
    @Test func printsVersionAndHelp() throws {
        let version = try PalidocProcess.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
        let help = try PalidocProcess.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: palidoc"))
    }

    @Test func unknownSubcommandIsAUsageError() throws {
        let result = try PalidocProcess.run(["no-such-command"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("Error"))
    }

    /// `--version --verbose` names the CPU, the kernel level and each product's path.
    @Test func verboseVersionReportsTheKernels() throws {
        let result = try PalidocProcess.run(["--version", "--verbose"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "0.1.0")
        #expect(lines.contains { $0.hasPrefix("cpu: ") })
        #expect(lines.contains("kernel level: \(KernelLevel.best)"))
        #expect(lines.contains { $0.hasPrefix("BLAS core: \(BLASCore.name) (") })
        for kind in ["f32, many rows", "int8, 1-8 rows", "int8, many rows", "attention"] {
            #expect(lines.contains { $0.hasPrefix("  \(kind): ") }, "\(kind)")
        }
    }

    /// Left to OpenBLAS, the process ends up on a core that suits this CPU (OpenBLAS picks
    /// unsuitable ones on CPUs it does not know; palidoc then restarts with a suitable one); a
    /// core the environment names is kept, even an unsuitable one.
    @Test func blasCoreSuitsTheCPUUnlessTheUserChoseOne() throws {
        let chosen = try PalidocProcess.run(
            ["--version", "--verbose"], unsetting: ["OPENBLAS_CORETYPE"])
        #expect(chosen.status == 0)
        let line = chosen.stdout.split(separator: "\n").first { $0.hasPrefix("BLAS core: ") }
        let core = line?.dropFirst("BLAS core: ".count).split(separator: " ").first.map(String.init)
        if !BLASCore.suitableCores.isEmpty {
            #expect(core.map(BLASCore.suitableCores.contains) == true, "\(line ?? "no core line")")
        }
        let kept = try PalidocProcess.run(
            ["--version", "--verbose"], environment: ["OPENBLAS_CORETYPE": "Prescott"])
        #expect(kept.stdout.contains(
            "BLAS core: Prescott (OPENBLAS_CORETYPE=Prescott from the environment)"))
    }
}
