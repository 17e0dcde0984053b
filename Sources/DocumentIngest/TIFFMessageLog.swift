import CTIFF
import Foundation

/// Collects libtiff's error and warning messages for one open file, through the per-handle
/// handlers of libtiff ≥ 4.5 (`TIFFOpenOptionsSetErrorHandlerExtR`), so nothing reaches
/// stderr and the first error can be reported in the thrown `IngestError`.
final class TIFFMessageLog: @unchecked Sendable {
    /// Errors in the order libtiff reported them (guarded by the owning source's lock).
    private(set) var errors: [String] = []
    /// The file's path, removed from messages (the thrown error names the file already).
    private var path = ""

    /// The most useful message: the first error since the last `reset()`.
    var firstError: String? { errors.first }

    /// Forgets earlier errors before a new operation.
    func reset() { errors.removeAll() }

    /// Opens `path` for reading with this log attached; `nil` when libtiff refused the file.
    func open(path: String) -> OpaquePointer? {
        self.path = path
        guard let options = TIFFOpenOptionsAlloc() else { return nil }
        defer { TIFFOpenOptionsFree(options) }
        let context = Unmanaged.passUnretained(self).toOpaque()
        TIFFOpenOptionsSetErrorHandlerExtR(options, { _, userData, module, format, arguments in
            guard let userData, let format, let arguments else { return 1 }
            let log = Unmanaged<TIFFMessageLog>.fromOpaque(userData).takeUnretainedValue()
            var buffer = [CChar](repeating: 0, count: 512)
            _ = vsnprintf(&buffer, buffer.count, format, arguments)
            let text = String(cBuffer: buffer)
            let prefix = module.map { String(cString: $0) + ": " } ?? ""
            let message = (prefix + text).replacingOccurrences(of: log.path + ": ", with: "")
            if log.errors.count < 16 { log.errors.append(message) }
            return 1  // handled: no global handler, nothing printed
        }, context)
        TIFFOpenOptionsSetWarningHandlerExtR(options, { _, _, _, _, _ in 1 }, context)
        // Memory-mapped reading ("r"): libtiff 4.5.0 rejects uncompressed tiles when reading
        // them through read(2) ("Invalid tile byte count"), but maps them correctly.
        return TIFFOpenExt(path, "r", options)
    }
}
