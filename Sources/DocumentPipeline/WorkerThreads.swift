import Foundation

/// Dedicated threads for CPU-bound work (inference, rendering, encoding), outside Swift's
/// cooperative pool: a forward pass or a 300 DPI render runs for a long while, and on the pool
/// it would starve the watcher's and the progress display's tasks. Jobs run first come, first
/// served on `count` threads; callers await their results.
// Unchecked: `jobs` is only touched with `condition` locked.
final class WorkerThreads: @unchecked Sendable {
    private let condition = NSCondition()
    /// Waiting jobs (guarded by `condition`).
    private var jobs: [@Sendable () -> Void] = []

    /// Starts `count` threads (at least one) that live as long as the process.
    init(count: Int, name: String) {
        for index in 0..<max(1, count) {
            let thread = Thread { [self] in work() }
            thread.name = "\(name)-\(index)"
            thread.stackSize = 16 << 20
            thread.start()
        }
    }

    /// Runs `body` on one of the threads and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            jobs.append { continuation.resume(with: Result { try body() }) }
            condition.signal()
            condition.unlock()
        }
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
