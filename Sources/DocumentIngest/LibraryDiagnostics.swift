import CPoppler
import CTIFF

/// Keeps the C libraries quiet: libtiff and GLib (Poppler's logger) print warnings and errors
/// to stderr by default. Failures still surface, as the `IngestError`s built from each
/// library's return codes and captured messages (see `TIFFMessageLog`).
enum LibraryDiagnostics {
    /// Installs the handlers once per process; cheap to call again.
    static func silence() { _ = installed }

    private static let installed: Void = {
        // Process-wide libtiff handlers: messages are captured per handle (TIFFMessageLog),
        // so the global ones only drop what would go to stderr.
        TIFFSetErrorHandler(nil)
        TIFFSetWarningHandler(nil)
        // Poppler's GLib binding reports syntax errors through g_log; GLib's default handler
        // would print warnings and criticals. G_LOG_LEVEL_ERROR still aborts by GLib's design,
        // and Poppler does not use it for document problems.
        g_log_set_default_handler({ _, _, _, _ in }, nil)
    }()
}
