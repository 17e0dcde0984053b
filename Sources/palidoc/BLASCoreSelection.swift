import Foundation
import PaliTensor

/// Loads OpenBLAS with the core this CPU runs best when it picked another: OpenBLAS reads
/// `OPENBLAS_CORETYPE` only when it loads, so the process sets it and starts itself again,
/// once, before any product. A core named in the environment is the user's choice and kept.
enum BLASCoreSelection {
    static func restartIfNeeded() {
        let environment = ProcessInfo.processInfo.environment
        guard let core = BLASCore.preferredCoreType(environment: environment) else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        setenv(KernelReport.chosenCoreVariable, core, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Not restarted (no /proc): go on with the core OpenBLAS chose.
        unsetenv("OPENBLAS_CORETYPE")
        unsetenv(KernelReport.chosenCoreVariable)
    }
}
