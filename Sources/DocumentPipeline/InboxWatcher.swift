import Foundation

/// A hot folder that loses nothing: every file dropped into the inbox ends up exactly once in
/// `done/` or `failed/`, and no content is processed twice.
///
/// - Files already in the inbox at start are taken, then new ones as they arrive (inotify,
///   or polling for network filesystems).
/// - A file is taken only once its size and mtime have been stable for the settle time and
///   it opens; it is claimed by an atomic rename into `INBOX/.processing/`.
/// - Jobs are keyed by content SHA-256 in a durable `JobStore`; pages are checkpointed, so a
///   restart (after a crash or `kill -9`) resumes claimed files at their first unfinished
///   page. Content seen before is recognised (`DuplicatePolicy`).
/// - Outputs go to a temporary folder under the output directory and are renamed into place
///   whole; nothing is ever overwritten (names get `-2`, `-3`, … instead).
/// - Transient failures are retried with backoff up to the policy's bound; other failures
///   move the input to `failed/` with `<name>.error.json` (reason, stage, page). No failure of
///   one document stops the watcher.
/// - `requestStop()` (wired to SIGINT/SIGTERM by `stopOnSignals()`) finishes the current
///   page and returns.
public final class InboxWatcher: Sendable {
    /// When `run` returns.
    public enum RunCondition: Sendable {
        /// Only when a stop is requested (a service).
        case stopRequested
        /// Also once the inbox is empty and nothing waits for a retry (a batch run).
        case idle
    }

    /// The settings.
    public let configuration: Configuration
    private let store: any JobStore
    private let processor: any DocumentProcessor
    private let onEvent: @Sendable (WatcherEvent) -> Void
    private let stopFlag = StopFlag()
    private let lockHandle = LockHandle()

    /// A watcher over `configuration.inbox`, recording jobs in `store` and handing documents
    /// to `processor`; `onEvent` receives progress (from the task running `run`).
    public init(
        configuration: Configuration, store: any JobStore, processor: any DocumentProcessor,
        onEvent: @escaping @Sendable (WatcherEvent) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.store = store
        self.processor = processor
        self.onEvent = onEvent
    }

    /// Watches until a stop is requested (or, with `.idle`, until there is nothing left to
    /// do). Throws only when it cannot start: the inbox is missing, locked by another
    /// watcher, or the output folder is misplaced.
    @discardableResult
    public func run(until condition: RunCondition = .stopRequested) async throws -> WatchSummary {
        let layout = InboxLayout(inbox: configuration.inbox)
        try layout.prepare()
        let output = configuration.output.path
        let bookkeeping = [layout.processing, layout.done, layout.failed].map(\.path)
        if output == layout.inbox.path
            || bookkeeping.contains(where: { output == $0 || output.hasPrefix($0 + "/") })
        {
            throw InboxWatcherError.badOutputFolder(output)
        }
        try FileManager.default.createDirectory(
            at: configuration.output, withIntermediateDirectories: true)
        let lock = try layout.lock()
        lockHandle.set(lock)
        defer { lockHandle.release() }
        let session = WatchSession(
            configuration: configuration, layout: layout, store: store, processor: processor,
            stopFlag: stopFlag, onEvent: onEvent)
        return await session.run(until: condition)
    }

    /// Asks a running watcher to finish the page in progress and return. Safe from any
    /// thread. A stopped watcher stays stopped: create a new one to watch again.
    public func requestStop() { stopFlag.set() }

    /// Whether a stop has been requested.
    public var isStopRequested: Bool { stopFlag.isSet }

    /// Traps SIGINT and SIGTERM: the first requests a stop; a second of the same signal
    /// ends the process at once. Keep the returned trap alive while running.
    public func stopOnSignals() -> SignalTrap {
        SignalTrap { [weak self] _ in self?.requestStop() }
    }

    /// Test support: drops the inbox lock of a run that is left hanging, as the kernel does
    /// for a process killed with `kill -9`, so a new watcher can start over the same inbox.
    func abandonLockForTesting() { lockHandle.release() }
}

/// The lock of the current run, shared with `abandonLockForTesting`.
private final class LockHandle: @unchecked Sendable {
    private let guardLock = NSLock()
    private var lock: InboxLock?

    func set(_ lock: InboxLock) { guardLock.withLock { self.lock = lock } }

    func release() {
        guardLock.withLock {
            lock?.release()
            lock = nil
        }
    }
}
