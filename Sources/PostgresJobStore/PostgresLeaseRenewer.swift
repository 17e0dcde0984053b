import DocumentPipeline
import Foundation
import Logging
import PostgresNIO

/// Renews leases on a connection of its own, blocking the calling heartbeat thread on NIO
/// futures: the renewal runs on the connection's event loop, never on Swift's shared task
/// pool. A broken connection is replaced at the next renewal.
final class PostgresLeaseRenewer: LeaseRenewer, @unchecked Sendable {
    private let url: PostgresStoreURL
    private let lock = NSLock()
    private var connection: PostgresConnection?
    private let logger = Logger(
        label: "palidoc.heartbeat", factory: { _ in SwiftLogNoOpLogHandler() })

    init(url: PostgresStoreURL) { self.url = url }

    func renew(_ lease: ChunkLease, seconds: Double) throws -> Bool {
        try lock.withLock {
            do {
                let connection = try self.connection ?? connect()
                self.connection = connection
                let result = try connection.query(
                    """
                    WITH renewed AS (
                        UPDATE queue_chunks
                        SET lease_expires_at = now() + make_interval(secs => \(seconds))
                        WHERE job_id = \(lease.job.id) AND seq = \(lease.chunk)
                            AND lease_token = \(lease.token) AND state = 'running'
                        RETURNING lease_owner
                    ), seen AS (
                        UPDATE queue_workers SET last_seen = now()
                        WHERE id IN (SELECT lease_owner FROM renewed)
                    )
                    SELECT count(*)::int FROM renewed
                    """, logger: logger
                ).wait()
                return try result.rows.first?.decode(Int.self) == 1
            } catch {
                Self.close(connection)
                connection = nil
                throw JobStoreError.unavailable(
                    location: url.description, reason: PostgresStoreURL.reason(error))
            }
        }
    }

    func close() {
        lock.withLock {
            Self.close(connection)
            connection = nil
        }
    }

    /// Closes a connection, keeping it alive until it is closed (postgres-nio requires it).
    private static func close(_ connection: PostgresConnection?) {
        guard let connection else { return }
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    /// Opens the connection, waiting on this thread.
    private func connect() throws -> PostgresConnection {
        let configuration = try url.connectionConfiguration()
        let logger = self.logger
        let box = ResultBox<PostgresConnection>()
        Task.detached {
            do {
                box.set(
                    .success(
                        try await PostgresConnection.connect(
                            configuration: configuration, id: 2, logger: logger)))
            } catch {
                box.set(.failure(error))
            }
        }
        return try box.wait().get()
    }
}

/// One result handed from a task to a waiting thread.
private final class ResultBox<Value>: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private var result: Result<Value, any Error>?

    func set(_ value: Result<Value, any Error>) {
        result = value
        semaphore.signal()
    }

    func wait() -> Result<Value, any Error> {
        semaphore.wait()
        return result!
    }
}
