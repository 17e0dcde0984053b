/// Counts of what one `InboxWatcher.run` did.
public struct WatchSummary: Sendable, Equatable {
    /// Documents finished and published.
    public var done = 0
    /// Documents moved to `failed/`.
    public var failed = 0
    /// Files recognised as duplicates.
    public var duplicates = 0
    /// Retries scheduled after transient failures.
    public var retriesScheduled = 0
    /// Whether the run ended because a stop was requested (rather than going idle).
    public var stoppedOnRequest = false

    /// An empty summary.
    public init() {}
}
