import Foundation

/// The watcher's time: what it reads as now (settling, backoff, stale claims, the dates it
/// records) and how it waits between passes over the inbox. The system clock in use; tests
/// drive a manual one, so their settle times and backoffs do not depend on how busy the
/// machine is.
public protocol WatchClock: Sendable {
    /// The current time.
    func now() -> Date
    /// Waits `seconds` (or until the task is cancelled).
    func sleep(seconds: TimeInterval) async
}

/// Wall-clock time and real sleeps.
public struct SystemWatchClock: WatchClock {
    /// The system clock.
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(seconds: TimeInterval) async {
        try? await Task.sleep(nanoseconds: UInt64(max(seconds, 0) * 1e9))
    }
}
