/// Where a document's job stands.
public enum JobState: String, CaseIterable, Sendable, Codable {
    /// Waiting to be processed (new, released after an interruption, or waiting for a retry).
    case queued
    /// Taken by a worker, not started yet.
    case claimed
    /// Being processed; completed pages are recorded as they finish.
    case processing
    /// Finished; outputs published.
    case done
    /// Given up on; `lastFailure` says why.
    case failed

    /// Whether the job is finished for good.
    public var isTerminal: Bool { self == .done || self == .failed }
}
