import ArgumentParser
import DocumentPipeline
import Foundation
import PostgresJobStore

/// Opens the queue named by `--store` (or `PALIDOC_STORE`): a `postgres://` or
/// `postgresql://` URL, or a SQLite file path. Every failure is one error line (the URL's
/// password masked) and exit status 2.
enum QueueStoreOpener {
    /// The opened queue; `close` ends its connections.
    struct Opened {
        let queue: any JobQueue
        let close: () -> Void
    }

    /// The store text from the flag or the environment, or a usage error.
    static func location(_ flag: String?) throws -> String {
        if let flag, !flag.isEmpty { return flag }
        if let variable = ProcessInfo.processInfo.environment["PALIDOC_STORE"],
            !variable.isEmpty
        {
            return variable
        }
        Diagnostics.error("no store: pass --store URL|FILE or set PALIDOC_STORE")
        throw ExitCode(2)
    }

    /// Opens the store.
    static func open(_ flag: String?) async throws -> Opened {
        let text = try location(flag)
        do {
            if PostgresStoreURL.isPostgresURL(text) {
                let store = try await PostgresJobStore.open(PostgresStoreURL(parsing: text))
                return Opened(queue: store, close: store.close)
            }
            let store = try SQLiteJobStore(location: URL(fileURLWithPath: text))
            return Opened(queue: store, close: {})
        } catch {
            Diagnostics.error("\(error)")
            throw ExitCode(2)
        }
    }
}
