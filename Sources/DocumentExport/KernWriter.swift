import DocumentModel
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a music score as a Humdrum `**kern` file (`.krn`): the score's `kern` text (the
/// model's output with "bekern" mapped back), ending with a line break. An invalid score is
/// written all the same, followed by global comments `!!palidoc-invalid: line N: reason` (after
/// the score, so line numbers still match), so nothing the model said is lost and Humdrum
/// tools see why it may not load. Files are written atomically (temporary file in the same
/// directory, then rename).
public enum KernWriter {
    /// A file that could not be written.
    public struct WriteError: Error, CustomStringConvertible {
        /// The destination path.
        public var file: String
        /// Why it failed.
        public var reason: String
        /// `file: reason`.
        public var description: String { "\(file): \(reason)" }
    }

    /// The file's text.
    public static func render(_ score: MusicScore) -> String {
        var text = score.kern
        if !text.hasSuffix("\n") { text += "\n" }
        for problem in score.problems {
            let place = problem.line.map { "line \($0): " } ?? ""
            let message = String(problem.message.map { $0.isNewline ? " " : $0 })
            text += "!!palidoc-invalid: \(place)\(message)\n"
        }
        return text
    }

    /// Writes `render(score)` to `url` atomically.
    public static func write(_ score: MusicScore, to url: URL) throws(WriteError) {
        try writeAtomically(render(score), to: url)
    }

    /// Writes to a hidden temporary file beside `url`, then renames it over `url`, so readers
    /// never see a partial file.
    private static func writeAtomically(_ text: String, to url: URL) throws(WriteError) {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try Data(text.utf8).write(to: temporary)
        } catch {
            throw WriteError(file: url.path, reason: "cannot write: \(error.localizedDescription)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(file: url.path, reason: "cannot rename into place: \(reason)")
        }
    }
}
