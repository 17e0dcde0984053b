import Foundation

@testable import DocumentPipeline

/// A watcher clock that moves only when the test says so: `sleep` waits until `advance` passes
/// its deadline, and `advance` returns once every sleeper it woke is asleep again (the watcher
/// finished that pass). What the watcher sees then depends on the test's steps, not on how
/// busy the machine is. `release()` lets every sleep return at once, so a stopped watcher can
/// leave its loop.
final class ManualWatchClock: WatchClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    private var sleepers: [(deadline: Date, resume: CheckedContinuation<Void, Never>)] = []
    /// Sleepers woken by `advance` that have not slept again.
    private var awake = 0
    private var released = false

    /// A clock reading `start` until advanced.
    init(start: Date = Date()) { current = start }

    func now() -> Date { lock.withLock { current } }

    func sleep(seconds: TimeInterval) async {
        await withCheckedContinuation { (resume: CheckedContinuation<Void, Never>) in
            let immediately = lock.withLock {
                if awake > 0 { awake -= 1 }
                if released { return true }
                sleepers.append((current.addingTimeInterval(seconds), resume))
                return false
            }
            if immediately { resume.resume() }
        }
    }

    /// Moves time forward by `seconds`: the earliest sleepers due are woken at their
    /// deadline and awaited until they sleep again, until no sleeper is due before the target.
    /// Throws when the watcher neither sleeps nor stops within `limit` seconds of real time.
    func advance(by seconds: TimeInterval, limit: TimeInterval = 120) async throws {
        let target = now().addingTimeInterval(seconds)
        while true {
            try await waitUntilAsleep(limit: limit)
            let due: [CheckedContinuation<Void, Never>] = lock.withLock {
                guard !released, let next = sleepers.map(\.deadline).min(), next <= target
                else {
                    if current < target { current = target }
                    return []
                }
                if current < next { current = next }
                let due = sleepers.filter { $0.deadline <= current }.map(\.resume)
                sleepers.removeAll { $0.deadline <= current }
                awake += due.count
                return due
            }
            if due.isEmpty { return }
            due.forEach { $0.resume() }
        }
    }

    /// Waits until some task sleeps on this clock and none it woke is still running (or the
    /// clock is released).
    func waitUntilAsleep(limit: TimeInterval = 120) async throws {
        let deadline = Date().addingTimeInterval(limit)
        while !lock.withLock({ released || (!sleepers.isEmpty && awake == 0) }) {
            guard Date() < deadline else {
                throw CocoaError(.executableLoad, userInfo: [
                    NSLocalizedDescriptionKey: "the watcher did not come back to sleep"
                ])
            }
            try await Task.sleep(nanoseconds: 1_000_000)
        }
    }

    /// Every sleep, now and later, returns at once.
    func release() {
        let waiting = lock.withLock {
            released = true
            defer { sleepers = [] }
            return sleepers.map(\.resume)
        }
        waiting.forEach { $0.resume() }
    }
}
