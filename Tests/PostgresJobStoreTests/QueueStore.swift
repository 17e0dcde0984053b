import DocumentPipeline
import Foundation
import PaliTestSupport
import PostgresJobStore

/// The two `JobQueue` implementations, each on a fresh store, for the shared suite; the
/// PostgreSQL one also with its blobs in a folder.
enum QueueStore: String, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres
    case postgresBlobFolder

    var description: String { rawValue }

    /// A fresh store of this kind; `keep` holds what must outlive the test (a folder).
    func make() async throws -> (queue: any JobQueue, keep: AnyObject?) {
        switch self {
        case .sqlite:
            let folder = try TemporaryDirectory("queue")
            return (try SQLiteJobStore(location: folder.file("jobs.sqlite")), folder)
        case .postgres:
            let server = try PostgresTestServer.get()
            let database = try server.createDatabase("queue")
            let url = try PostgresStoreURL(
                parsing: server.url(database: database), environment: [:])
            return (try await PostgresJobStore.open(url), nil)
        case .postgresBlobFolder:
            let server = try PostgresTestServer.get()
            let database = try server.createDatabase("queue")
            let url = try PostgresStoreURL(
                parsing: server.url(database: database), environment: [:])
            let folder = try TemporaryDirectory("blobs")
            return (
                try await PostgresJobStore.open(url, blobFolder: BlobFolder(folder.url)), folder
            )
        }
    }
}

/// A submission of `pages` pages with made-up content.
func submission(
    _ content: String, pages: Int = 3, chunkPages: Int = 1, model: String = "model-a",
    pipeline: String = "tasks: [ocr]\n", maxAttempts: Int = 3, backoff: Double = 0
) -> JobSubmission {
    JobSubmission(
        document: Data(content.utf8), originalName: "\(content).pdf", pipelineName: "test",
        pipelineYAML: pipeline, modelIdentity: model, pageCount: pages, chunkPages: chunkPages,
        retries: RetryPolicy(
            maxAttempts: maxAttempts, initialBackoff: backoff, maxBackoff: max(backoff, 1)))
}
