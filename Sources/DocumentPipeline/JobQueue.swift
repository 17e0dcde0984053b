import Foundation

/// A shared queue of documents split into page chunks, worked by any number of `QueueWorker`s
/// on any number of machines. `SQLiteJobStore` serves one machine (several processes on
/// one file); `PostgresJobStore` serves many machines, with PostgreSQL the only shared
/// service.
///
/// Contract, which one behavioural test suite checks on both stores:
/// - A job is keyed by content SHA-256 and pipeline hash: submitting the same pair again
///   returns the existing job. Its document is stored as a content-addressed blob.
/// - `claimChunk` takes the oldest claimable chunk of the highest priority whose job needs
///   the caller's model, in one atomic step that sets a lease (random token, expiry by the
///   store's clock) and counts the attempt.
/// - Every later write for the chunk names the lease's token; once the lease was taken over
///   the write changes nothing and reports the loss (`false` or `.lost`).
/// - `reapExpiredLeases` returns chunks whose lease expired to the queue with backoff, or
///   fails their job once the attempts are spent.
/// - Completing a job's last page chunk hands its assembly to the same worker in the same
///   transaction, so a document is assembled once.
public protocol JobQueue: Sendable {
    /// Where the queue lives, fit for logs (a database URL with its password masked).
    var displayLocation: String { get }

    /// Stores the document and queues its job, or returns the job already queued or finished
    /// for the same content and pipeline.
    func submit(_ submission: JobSubmission) async throws -> (job: QueueJob, isNew: Bool)
    /// The job with this id.
    func job(id: Int64) async throws -> QueueJob?
    /// Takes the next claimable chunk for a worker with `model`, leased for `leaseSeconds`;
    /// `nil` when there is none. Also records the worker as alive.
    func claimChunk(worker: String, model: String, leaseSeconds: Double) async throws
        -> ChunkLease?
    /// The committed page results (page JSON) of a job among `pages`.
    func pageResults(jobID: Int64, pages: Range<Int>) async throws -> [Int: Data]
    /// Commits one page's result under the lease; `false` when the lease was lost.
    func savePageResult(_ result: Data, page: Int, lease: ChunkLease) async throws -> Bool
    /// Marks a page chunk done; after the job's last one, hands over its assembly.
    func completeChunk(_ lease: ChunkLease, leaseSeconds: Double) async throws
        -> ChunkCompletion
    /// Finishes an assembly lease: records the outputs (stored blobs) and marks the job done.
    /// `false` when the lease was lost.
    func finishJob(_ lease: ChunkLease, outputs: [JobOutput]) async throws -> Bool
    /// Records a failed attempt: with `retryAfter` seconds the chunk is queued again, else it
    /// and its job fail for good. `false` when the lease was lost.
    func failChunk(_ lease: ChunkLease, reason: String, retryAfter: Double?) async throws
        -> Bool
    /// Gives a lease back on a requested stop: queued at once, the attempt not counted.
    func releaseChunk(_ lease: ChunkLease) async throws
    /// Returns chunks whose lease expired to the queue, or fails their job when the attempts
    /// are spent; returns how many it handled.
    func reapExpiredLeases() async throws -> Int
    /// A lease renewer for one dedicated thread (see `LeaseHeartbeat`).
    func makeLeaseRenewer() throws -> any LeaseRenewer
    /// Returns when new work may be there, or after `timeout` seconds at most.
    func waitForWork(timeout: Double) async

    /// Stores bytes as a content-addressed blob; returns their SHA-256.
    func putBlob(_ data: Data) async throws -> String
    /// A blob's bytes, checked against its SHA-256.
    func blob(_ sha256: String) async throws -> Data
    /// The output files of a finished job.
    func outputs(jobID: Int64) async throws -> [JobOutput]

    /// What the queue holds now.
    func status() async throws -> QueueStatus
    /// Deletes jobs finished more than `seconds` ago and blobs nothing refers to any more.
    func prune(olderThan seconds: Double) async throws -> (jobs: Int, blobs: Int)
    /// Removes a worker from the list of live workers (on a clean exit).
    func removeWorker(_ worker: String) async throws
}

/// The outcome of `JobQueue.completeChunk`.
public enum ChunkCompletion: Sendable, Equatable {
    /// The lease was taken over; nothing was written.
    case lost
    /// The chunk is done; other chunks of the job remain.
    case done
    /// The chunk was the job's last: its assembly is leased to the caller.
    case assemble(ChunkLease)
}

/// Renews chunk leases synchronously, from one thread of its own (never Swift's shared
/// pool), so a busy process cannot starve its heartbeats.
public protocol LeaseRenewer: AnyObject, Sendable {
    /// Extends the lease by `seconds` from the store's clock; `false` when it was lost.
    func renew(_ lease: ChunkLease, seconds: Double) throws -> Bool
    /// Releases the renewer's resources.
    func close()
}
