import CPopplerSplash
import CTIFF

/// Keeps the C libraries quiet: libtiff and Poppler print warnings and errors to stderr by
/// default. Failures still surface, as the `IngestError`s built from each library's return
/// codes and captured messages (see `TIFFMessageLog` and CPopplerSplash's `cps_error`).
enum LibraryDiagnostics {
    /// Installs the handlers once per process; cheap to call again.
    static func silence() { _ = installed }

    private static let installed: Void = {
        // Process-wide libtiff handlers: messages are captured per handle (TIFFMessageLog),
        // so the global ones only drop what would go to stderr.
        TIFFSetErrorHandler(nil)
        TIFFSetWarningHandler(nil)
        // Poppler's messages go to a per-thread buffer that CPopplerSplash's errors quote.
        cps_silence()
    }()
}
