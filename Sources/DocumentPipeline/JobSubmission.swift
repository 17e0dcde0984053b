import Foundation

/// A document to queue: its bytes, the pipeline (text and hash) and the model it needs.
public struct JobSubmission: Sendable {
    /// The document's bytes.
    public var document: Data
    /// Lowercase hex SHA-256 of `document`.
    public var contentSHA256: String
    /// The file name the document was submitted under.
    public var originalName: String
    /// The pipeline's name.
    public var pipelineName: String
    /// The pipeline file's text, which workers parse.
    public var pipelineYAML: String
    /// SHA-256 of `pipelineYAML`.
    public var pipelineHash: String
    /// The model identity (`ModelIdentity`) a worker must have to take the job.
    public var modelIdentity: String
    /// The document's page count.
    public var pageCount: Int
    /// Pages per chunk (the pipeline's `chunk_pages`).
    public var chunkPages: Int
    /// Higher runs first.
    public var priority: Int
    /// Attempts and backoff of every chunk.
    public var retries: RetryPolicy

    /// A submission of `document` under `originalName` with a pipeline and model.
    public init(
        document: Data, originalName: String, pipelineName: String, pipelineYAML: String,
        modelIdentity: String, pageCount: Int, chunkPages: Int = 1, priority: Int = 0,
        retries: RetryPolicy = RetryPolicy()
    ) {
        self.document = document
        contentSHA256 = SHA256.hexDigest(of: document)
        self.originalName = originalName
        self.pipelineName = pipelineName
        self.pipelineYAML = pipelineYAML
        pipelineHash = SHA256.hexDigest(of: Data(pipelineYAML.utf8))
        self.modelIdentity = modelIdentity
        self.pageCount = pageCount
        self.chunkPages = max(1, chunkPages)
        self.priority = priority
        self.retries = retries
    }

    /// The page ranges of the job's chunks.
    public var chunkRanges: [Range<Int>] {
        stride(from: 0, to: pageCount, by: chunkPages).map {
            $0..<min($0 + chunkPages, pageCount)
        }
    }
}
