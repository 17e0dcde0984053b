import Foundation

/// Durable job bookkeeping for watchers, keyed by content hash. `SQLiteJobStore` serves one
/// machine; a shared implementation (e.g. PostgreSQL) lets several machines work one inbox.
///
/// Every change is durable when the call returns, so a process killed at any instruction
/// resumes from the store. Calls that change a claimed job take the `owner` that claimed it
/// and throw `JobStoreError.notOwner` when the claim has been lost, so a stale worker can
/// never overwrite another's progress.
public protocol JobStore: Sendable {
    /// Creates a queued job for content never seen before, or returns the existing job.
    func register(contentHash: String, originalName: String, at date: Date) async throws
        -> JobRegistration
    /// Appends an arrival record.
    func recordArrival(_ arrival: Arrival) async throws
    /// Every arrival of the content, oldest first.
    func arrivals(contentHash: String) async throws -> [Arrival]
    /// The job for the content, if any.
    func job(contentHash: String) async throws -> Job?
    /// All jobs in the given states, oldest first.
    func jobs(in states: Set<JobState>) async throws -> [Job]
    /// Takes a queued job whose backoff has passed: state `claimed`, `owner` set, attempts
    /// plus one. `nil` when the job is not claimable (finished, held by another owner, or
    /// waiting for its retry time).
    func claim(contentHash: String, owner: String, at date: Date) async throws -> Job?
    /// Marks a claimed job as being processed.
    func markProcessing(contentHash: String, owner: String, at date: Date) async throws
    /// Records the document's page count.
    func setPageCount(_ count: Int, contentHash: String, owner: String, at date: Date) async throws
    /// Records one page as finished (idempotent).
    func completePage(_ pageIndex: Int, contentHash: String, owner: String, at date: Date)
        async throws
    /// The 0-based indices of the finished pages.
    func completedPages(contentHash: String) async throws -> Set<Int>
    /// Records where results are about to be published.
    func setOutputPath(_ path: String, contentHash: String, owner: String, at date: Date)
        async throws
    /// Marks the job done and releases the claim.
    func markDone(contentHash: String, owner: String, at date: Date) async throws
    /// Records a failed attempt. With `retryAt` the job goes back to `queued`, not to be
    /// claimed before then; without, it is `failed` for good.
    func markFailed(
        contentHash: String, owner: String, failure: JobFailure, retryAt: Date?, at date: Date
    ) async throws
    /// Starts known content over (queued, no attempts, pages, output or failure) under a new
    /// original name.
    func reset(contentHash: String, originalName: String, at date: Date) async throws -> Job
    /// Puts one job back to `queued` if `owner` still holds its claim (the attempt stays
    /// counted); `false` when it does not. Used to take over a stale claim.
    func releaseClaim(contentHash: String, owner: String, at date: Date) async throws -> Bool
    /// Puts every job claimed by `owner` back to `queued`, keeping finished pages; returns
    /// them. A worker calls it when it restarts (the attempts stay counted: they were cut
    /// short by a crash) and when it stops on request (`refundAttempt`: the attempt ended
    /// cleanly after a page and does not count against the retry bound).
    func releaseClaims(owner: String, refundAttempt: Bool, at date: Date) async throws -> [Job]
}

/// The result of `JobStore.register`.
public struct JobRegistration: Sendable, Equatable {
    /// The job (new or existing).
    public var job: Job
    /// Whether the content was new.
    public var isNew: Bool

    /// A registration result.
    public init(job: Job, isNew: Bool) {
        self.job = job
        self.isNew = isNew
    }
}

/// Job store failures.
public enum JobStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No job for the content hash.
    case unknownJob(String)
    /// The caller no longer holds the claim on the job.
    case notOwner(contentHash: String, owner: String)
    /// The store could not be opened or used.
    case unavailable(location: String, reason: String)
    /// A stored job holds a value this version does not know (a state, stage or arrival
    /// kind): never guessed, since a wrong guess could run a document twice or drop it.
    case unreadableJob(contentHash: String, reason: String)

    /// One line for logs and error messages.
    public var description: String {
        switch self {
        case .unknownJob(let hash): "no job for content \(hash)"
        case .notOwner(let hash, let owner): "job \(hash) is not claimed by \(owner)"
        case .unavailable(let location, let reason): "\(location): job store unavailable: \(reason)"
        case .unreadableJob(let hash, let reason): "job \(hash): unreadable record: \(reason)"
        }
    }
}
