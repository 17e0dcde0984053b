import ArgumentParser
import DocumentPipeline
import Foundation
import PostgresJobStore

/// Opens the queue named by `--store` (or `PALIDOC_STORE`): a `postgres://` or
/// `postgresql://` URL, or a SQLite file path; with a PostgreSQL store, new blobs go to the
/// folder named by `--blobs` (or `PALIDOC_BLOBS`), else into the database. Every failure is
/// one error line (the URL's password masked) and exit status 2.
enum QueueStoreOpener {
    /// The opened queue; `close` ends its connections.
    struct Opened {
        let queue: any JobQueue
        /// Where this process stores blobs, for its log: a machine given another blob folder
        /// than the rest shows there.
        let blobs: String
        let close: () -> Void
    }

    /// The store text from the flag or the environment, or a usage error.
    static func location(_ flag: String?) throws -> String {
        if let text = setting(flag, "PALIDOC_STORE") { return text }
        Diagnostics.error("no store: pass --store URL|FILE or set PALIDOC_STORE")
        throw ExitCode(2)
    }

    /// Opens the store; `blobs` is the `--blobs` flag.
    static func open(_ flag: String?, blobs: String?) async throws -> Opened {
        let text = try location(flag)
        do {
            if PostgresStoreURL.isPostgresURL(text) {
                let folder = try setting(blobs, "PALIDOC_BLOBS").map {
                    try BlobFolder(URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath))
                }
                let store = try await PostgresJobStore.open(
                    PostgresStoreURL(parsing: text), blobFolder: folder)
                return Opened(
                    queue: store, blobs: folder.map { "blob folder \($0)" } ?? "the database",
                    close: store.close)
            }
            // A SQLite store serves one machine and keeps its blobs in its file; a blob
            // folder in the environment is meant for the shared store.
            if let blobs, !blobs.isEmpty {
                throw ValidationError("--blobs needs a postgres:// store")
            }
            let store = try SQLiteJobStore(location: URL(fileURLWithPath: text))
            return Opened(queue: store, blobs: "the database", close: {})
        } catch {
            Diagnostics.error("\(error)")
            throw ExitCode(2)
        }
    }

    /// The flag's value, else the environment variable's; `nil` when both are empty.
    private static func setting(_ flag: String?, _ variable: String) -> String? {
        if let flag, !flag.isEmpty { return flag }
        if let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty {
            return value
        }
        return nil
    }
}
