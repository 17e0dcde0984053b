import Foundation

/// A `palidoc` process running beside a test (a worker, a watcher), its output going to a
/// file the test reads while it runs; signals go to it by pid. Spawned and reaped directly,
/// so `kill -9`, SIGSTOP and SIGCONT act on exactly this process.
public final class BackgroundPalidoc: @unchecked Sendable {
    /// The process id.
    public let pid: pid_t
    /// Standard output and error, interleaved.
    public let outputFile: URL
    private var status: Int32?

    /// Starts `palidoc arguments…` with `environment` added, output into `outputFile`.
    public init(_ arguments: [String], environment: [String: String] = [:], outputFile: URL)
        throws
    {
        self.outputFile = outputFile
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let argv = [PalidocProcess.executable.path] + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(
            &actions, 1, outputFile.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments = argv.map { strdup($0) } + [nil]
        var cEnvironment = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in cArguments + cEnvironment { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, &cEnvironment)
        guard result == 0 else {
            throw CocoaError(
                .executableLoad, userInfo: ["reason": String(cString: strerror(result))])
        }
        self.pid = pid
    }

    /// What the process has written so far.
    public var output: String {
        (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
    }

    /// Sends a signal.
    public func signal(_ signal: Int32) { kill(pid, signal) }

    /// Waits until `output` satisfies `condition` (polling), for `timeout` seconds at most.
    @discardableResult
    public func waitForOutput(timeout: TimeInterval, _ condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(output) { return true }
            if exitStatus(wait: false) != nil { return condition(output) }
            usleep(20_000)
        }
        return false
    }

    /// The exit status (128 + signal when killed); `nil` while running (`wait: false`). With
    /// `wait`, waits up to `timeout` seconds, then kills the process.
    @discardableResult
    public func exitStatus(wait: Bool = true, timeout: TimeInterval = 120) -> Int32? {
        if let status { return status }
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            var raw: Int32 = 0
            let reaped = waitpid(pid, &raw, WNOHANG)
            if reaped == pid {
                let signal = raw & 0x7f
                status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
                return status
            }
            guard wait else { return nil }
            if Date() >= deadline {
                kill(pid, SIGKILL)
                continue
            }
            usleep(20_000)
        } while true
    }

    deinit {
        if status == nil {
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            waitpid(pid, &raw, 0)
        }
    }
}
