import Foundation

/// One document's processing record, keyed by the SHA-256 of its content.
public struct Job: Sendable, Equatable {
    /// Lowercase hex SHA-256 of the file's bytes: the job's identity.
    public var contentHash: String
    /// The file name the content first arrived under.
    public var originalName: String
    /// Where the job stands.
    public var state: JobState
    /// Attempts started so far (claims), interrupted ones included.
    public var attempts: Int
    /// Not to be claimed before this time (backoff after a transient failure).
    public var nextAttemptAt: Date?
    /// The latest failure, if any.
    public var lastFailure: JobFailure?
    /// Number of pages, once the processor has reported it.
    public var pageCount: Int?
    /// The worker holding the claim (`claimed`/`processing` only).
    public var owner: String?
    /// Where the results were published (set just before the final rename, so a restart can
    /// tell a publish that happened from one that did not).
    public var outputPath: String?
    /// When the content first arrived.
    public var createdAt: Date
    /// When the record last changed.
    public var updatedAt: Date

    /// A job record; see the properties.
    public init(
        contentHash: String, originalName: String, state: JobState = .queued, attempts: Int = 0,
        nextAttemptAt: Date? = nil, lastFailure: JobFailure? = nil, pageCount: Int? = nil,
        owner: String? = nil, outputPath: String? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.contentHash = contentHash
        self.originalName = originalName
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastFailure = lastFailure
        self.pageCount = pageCount
        self.owner = owner
        self.outputPath = outputPath
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
