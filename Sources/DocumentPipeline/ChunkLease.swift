import Foundation

/// A worker's hold on one chunk of a job: its pages (or the job's assembly), the lease token
/// that guards every write, and what the worker needs to convert it.
public struct ChunkLease: Sendable, Equatable {
    /// What the chunk asks for.
    public enum Kind: String, Sendable, Equatable {
        /// Convert `pages` and commit each page's result.
        case pages
        /// Build the document from every page result and run the exporters.
        case assemble
    }

    /// The job.
    public var job: QueueJob
    /// The chunk's number within the job.
    public var chunk: Int
    /// Pages or assembly.
    public var kind: Kind
    /// The chunk's pages (all of them for an assembly).
    public var pages: Range<Int>
    /// The random token of this lease.
    public var token: String
    /// Attempts at this chunk so far, this one included.
    public var attempts: Int
    /// The pipeline file's text.
    public var pipelineYAML: String
    /// Attempts and backoff.
    public var retries: RetryPolicy

    /// A lease; see the properties.
    public init(
        job: QueueJob, chunk: Int, kind: Kind, pages: Range<Int>, token: String, attempts: Int,
        pipelineYAML: String, retries: RetryPolicy
    ) {
        self.job = job
        self.chunk = chunk
        self.kind = kind
        self.pages = pages
        self.token = token
        self.attempts = attempts
        self.pipelineYAML = pipelineYAML
        self.retries = retries
    }

    /// The failure recorded when every attempt at a chunk ended in an expired lease.
    public static func expiredReason(attempts: Int, owner: String) -> String {
        "gave up after \(attempts) attempts; the last lease (\(owner)) expired: the worker "
            + "crashed, was killed or lost the store while working on this document"
    }

    /// A fresh random lease token.
    public static func newToken() -> String { UUID().uuidString.lowercased() }
}
