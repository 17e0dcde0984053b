import Foundation

/// One queued document as the shared queue records it.
public struct QueueJob: Sendable, Equatable, Codable {
    /// Where a queued job stands.
    public enum State: String, Sendable, Codable, CaseIterable {
        /// No chunk started yet.
        case queued
        /// Chunks are being worked (or wait for a retry).
        case running
        /// Assembled; outputs stored.
        case done
        /// Given up on; `failure` says why.
        case failed

        /// Whether the job is finished for good.
        public var isTerminal: Bool { self == .done || self == .failed }
    }

    /// The queue's id of the job.
    public var id: Int64
    /// Lowercase hex SHA-256 of the document.
    public var contentSHA256: String
    /// The file name the document was submitted under.
    public var originalName: String
    /// The pipeline's name.
    public var pipelineName: String
    /// SHA-256 of the pipeline's text.
    public var pipelineHash: String
    /// The model a worker must have.
    public var modelIdentity: String
    /// Higher runs first.
    public var priority: Int
    /// Where it stands.
    public var state: State
    /// The document's page count.
    public var pageCount: Int
    /// Why it failed, when it did.
    public var failure: String?

    /// A job record; see the properties.
    public init(
        id: Int64, contentSHA256: String, originalName: String, pipelineName: String,
        pipelineHash: String, modelIdentity: String, priority: Int, state: State, pageCount: Int,
        failure: String?
    ) {
        self.id = id
        self.contentSHA256 = contentSHA256
        self.originalName = originalName
        self.pipelineName = pipelineName
        self.pipelineHash = pipelineHash
        self.modelIdentity = modelIdentity
        self.priority = priority
        self.state = state
        self.pageCount = pageCount
        self.failure = failure
    }
}

/// One output file of a finished job, stored as a blob.
public struct JobOutput: Sendable, Equatable, Codable {
    /// Path relative to the job's result folder.
    public var path: String
    /// The blob's SHA-256.
    public var sha256: String
    /// Size in bytes.
    public var byteCount: Int

    /// An output record.
    public init(path: String, sha256: String, byteCount: Int) {
        self.path = path
        self.sha256 = sha256
        self.byteCount = byteCount
    }
}
