/// What a `BatchConverter` run did.
public struct BatchSummary: Sendable, Equatable {
    /// Documents converted and published.
    public var done = 0
    /// Documents that failed.
    public var failed = 0
    /// Documents stopped by a cancellation (nothing published for them).
    public var interrupted = 0
    /// Files skipped as not documents.
    public var skipped = 0
    /// Documents converted from a damaged file that was repaired (counted in `done` too).
    public var repaired = 0
    /// Pages converted.
    public var pages = 0
    /// Tokens generated.
    public var tokens = 0
    /// Wall-clock seconds of the run.
    public var seconds = 0.0

    /// An empty summary.
    public init() {}

    /// The process exit status: 0 when nothing failed, 1 otherwise.
    public var exitStatus: Int32 { failed == 0 ? 0 : 1 }
}
