import ArgumentParser
import Foundation

/// The CLI's one voice on standard error. Every failure is exactly one line
/// `palidoc: error: <message>` (line breaks inside the message folded into spaces), so users
/// and scripts can grep for it; notes and warnings use the same `palidoc:` prefix.
enum Diagnostics {
    /// Writes `palidoc: <message>` as one line.
    static func note(_ message: String) {
        write("palidoc: " + message)
    }

    /// Writes `palidoc: warning: <message>` as one line.
    static func warning(_ message: String) {
        write("palidoc: warning: " + message)
    }

    /// Writes `palidoc: error: <message>` as one line; returns the exit status to throw.
    @discardableResult
    static func error(_ message: String) -> ExitCode {
        write("palidoc: error: " + message)
        return .failure
    }

    private static func write(_ line: String) {
        let folded = line.replacingOccurrences(of: "\r\n", with: " ")
            .replacingOccurrences(of: "\n", with: " ")
        FileHandle.standardError.write(Data((folded + "\n").utf8))
    }
}
