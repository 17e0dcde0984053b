import Foundation

extension Process {
    /// Starts the configured process with empty standard input, waits for it (terminating it
    /// after `timeout` seconds when one is given) and returns its status and output. Both
    /// pipes are read concurrently so a chatty child never blocks on a full pipe.
    public func runCapturingOutput(timeout: TimeInterval? = nil) throws -> PalidocProcess.Result
    {
        let out = Pipe(), err = Pipe()
        standardOutput = out
        standardError = err
        standardInput = FileHandle.nullDevice
        try run()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            outData = out.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        if let timeout {
            let deadline = Date().addingTimeInterval(timeout)
            while isRunning && Date() < deadline { usleep(10_000) }
            if isRunning { terminate() }
        }
        waitUntilExit()
        group.wait()
        return PalidocProcess.Result(
            status: terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
