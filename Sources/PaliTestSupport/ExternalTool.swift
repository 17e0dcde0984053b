import Foundation

/// Runs reference tools nobody here wrote (`pdftotext`, `pdftoppm`, `qpdf`) for tests.
/// A missing tool is an error naming the Debian package, never a skipped check.
public enum ExternalTool {
    /// A tool that could not run or failed.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong.
        public let description: String
    }

    /// Runs `tool arguments…` (found on `PATH`) and returns its result; throws when it
    /// cannot be started. `package` names the Debian package that provides it.
    public static func run(_ tool: String, _ arguments: [String], package: String) throws
        -> PalidocProcess.Result
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let result = try process.runCapturingOutput()
        // env exits 127 when the tool is not installed.
        if result.status == 127 {
            throw Failure(description: "\(tool) is not installed (Debian package \(package): "
                + "`make deps`)")
        }
        return result
    }

    /// Runs the tool and returns its standard output; throws unless it exits 0.
    public static func output(_ tool: String, _ arguments: [String], package: String) throws
        -> String
    {
        let result = try run(tool, arguments, package: package)
        guard result.status == 0 else {
            throw Failure(
                description: "\(tool) \(arguments.joined(separator: " ")) exited "
                    + "\(result.status): \(result.stderr)")
        }
        return result.stdout
    }
}
