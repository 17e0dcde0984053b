import Foundation

/// Runs the built `palidoc` executable, as a user would, for CLI tests.
///
/// The binary sits next to the test bundle in SwiftPM's build folder, whatever
/// `--scratch-path` was used.
public enum PalidocProcess {
    /// The result of one run.
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// Path of the `palidoc` binary built alongside the running tests.
    public static var executable: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        // The test runner may be …/debug/palidocPackageTests.xctest or a file inside it.
        while dir.path != "/" {
            dir = dir.deletingLastPathComponent()
            let candidate = dir.appendingPathComponent("palidoc")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                return candidate
            }
        }
        return URL(fileURLWithPath: "palidoc")
    }

    /// Runs `palidoc arguments…` to completion (with `timeout` seconds at most) and captures
    /// its output, with this process's environment plus `environment` less `unsetting`.
    /// Standard input is empty.
    public static func run(
        _ arguments: [String], environment: [String: String] = [:],
        unsetting: Set<String> = [], currentDirectory: URL? = nil, timeout: TimeInterval = 600
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !unsetting.contains($0.key) }
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        return try process.runCapturingOutput(timeout: timeout)
    }
}
