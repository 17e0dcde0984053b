import DocumentPipeline
import Foundation
import Logging
import PostgresNIO

/// A `JobQueue` in a PostgreSQL database, shared by workers on many machines.
///
/// Chunks are claimed with one `UPDATE … FROM (SELECT … FOR UPDATE SKIP LOCKED)` statement
/// that sets the lease (random token, expiry from the database's `now()`) and counts the
/// attempt; every later write names the token. New work is announced with `NOTIFY`, heard
/// on a `LISTEN` connection that reconnects with backoff; waiting falls back to polling. The
/// connection pool reconnects after the server restarts or drops a connection.
public final class PostgresJobStore: JobQueue {
    /// The store's URL (its description masks the password).
    public let url: PostgresStoreURL
    /// Where this store puts new blobs: a shared folder, or the database when `nil`. Blobs
    /// are read from wherever the database says they were put.
    public let blobFolder: BlobFolder?
    let client: PostgresClient
    let logger = Logger(label: "palidoc.store", factory: { _ in SwiftLogNoOpLogHandler() })
    private let runner: Task<Void, Never>
    private let listener: Task<Void, Never>
    private let wake = WakeSignal()

    /// The NOTIFY channel announcing claimable chunks.
    static let channel = "palidoc_work"
    /// Blob chunk size.
    static let blobChunkBytes = 1 << 20

    /// Where the queue lives: the URL, password masked.
    public var displayLocation: String { url.description }

    /// Connects to `url`, creates or migrates the schema (under an advisory lock, so many
    /// workers may start at once) and starts the pool and the listener; new blobs go to
    /// `blobFolder` when given, else into the database. Throws `JobStoreError.unavailable`
    /// with a one-line reason: the server refuses or cannot be reached, the password is
    /// wrong, or the database's schema is newer than this palidoc.
    public static func open(_ url: PostgresStoreURL, blobFolder: BlobFolder? = nil) async throws
        -> PostgresJobStore
    {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: try url.connectionConfiguration(), id: 1,
                logger: Logger(label: "palidoc.store", factory: { _ in SwiftLogNoOpLogHandler() }))
        } catch {
            throw JobStoreError.unavailable(
                location: url.description, reason: PostgresStoreURL.reason(error))
        }
        do {
            try await migrate(connection, location: url.description)
            try await connection.close()
        } catch {
            try? await connection.close()
            if let error = error as? JobStoreError { throw error }
            throw JobStoreError.unavailable(
                location: url.description, reason: PostgresStoreURL.reason(error))
        }
        return PostgresJobStore(url: url, blobFolder: blobFolder)
    }

    private init(url: PostgresStoreURL, blobFolder: BlobFolder?) {
        self.url = url
        self.blobFolder = blobFolder
        let client = PostgresClient(configuration: url.clientConfiguration())
        self.client = client
        runner = Task { await client.run() }
        let wake = self.wake
        listener = Task {
            var delay = 0.5
            while !Task.isCancelled {
                do {
                    try await client.withConnection { connection in
                        try await connection.listen(on: Self.channel) { notifications in
                            // Work announced while not listening is found by this look.
                            wake.signal()
                            delay = 0.5
                            for try await _ in notifications { wake.signal() }
                        }
                    }
                } catch {
                    if Task.isCancelled { return }
                }
                try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                delay = min(delay * 2, 10)
            }
        }
    }

    /// Stops the listener and the connection pool.
    public func close() {
        listener.cancel()
        runner.cancel()
    }

    deinit { close() }

    // MARK: - Helpers

    /// Seconds a store call may take before it is given up as unanswered.
    static let callDeadline = 30.0

    /// Runs `body`, mapping database errors to `JobStoreError.unavailable` (a blob folder's
    /// errors stay what they are); a call left unanswered (a connection that died without
    /// the pool noticing) fails after `callDeadline` seconds instead of hanging its worker.
    func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            return try await Deadline.run(seconds: Self.callDeadline, body)
        } catch is Deadline.Expired {
            throw JobStoreError.unavailable(
                location: displayLocation,
                reason: "no answer from the database within \(Int(Self.callDeadline)) s")
        } catch let error as JobStoreError {
            throw error
        } catch let error as BlobError {
            throw error
        } catch {
            throw JobStoreError.unavailable(
                location: displayLocation, reason: PostgresStoreURL.reason(error))
        }
    }

    /// Runs `body` in a transaction, mapping database errors.
    func transaction<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await run { [client, logger] in
            try await client.withTransaction(logger: logger) { connection in
                try await body(connection)
            }
        }
    }

    /// The job columns, in the order `job(from:)` reads them, for table alias `j`.
    static let jobColumns = """
        j.id, j.content_sha256, j.original_name, j.pipeline_name, j.pipeline_hash,
        j.model_identity, j.priority, j.state, j.page_count, j.failure
        """

    /// A job from a row starting with `jobColumns`.
    static func job(from row: PostgresRow) throws -> QueueJob {
        let (id, sha, name, pipeline, hash, model, priority, state, pages, failure) =
            try row.decode(
                (Int64, String, String, String, String, String, Int, String, Int, String?).self)
        return QueueJob(
            id: id, contentSHA256: sha, originalName: name, pipelineName: pipeline,
            pipelineHash: hash, modelIdentity: model, priority: priority,
            state: QueueJob.State(rawValue: state) ?? .queued, pageCount: pages, failure: failure)
    }

    // MARK: - Submitting

    public func submit(_ submission: JobSubmission) async throws -> (job: QueueJob, isNew: Bool) {
        try await transaction { connection in
            try await Self.insertBlob(
                connection, submission.document, sha256: submission.contentSHA256,
                folder: self.blobFolder, logger: self.logger)
            let inserted = try await connection.query(
                """
                INSERT INTO queue_jobs (content_sha256, original_name, pipeline_name,
                    pipeline_hash, pipeline_yaml, model_identity, priority, page_count,
                    max_attempts, initial_backoff, max_backoff)
                VALUES (\(submission.contentSHA256), \(submission.originalName),
                    \(submission.pipelineName), \(submission.pipelineHash),
                    \(submission.pipelineYAML), \(submission.modelIdentity),
                    \(submission.priority), \(submission.pageCount),
                    \(submission.retries.maxAttempts), \(submission.retries.initialBackoff),
                    \(submission.retries.maxBackoff))
                ON CONFLICT (content_sha256, pipeline_hash) DO NOTHING
                RETURNING id
                """, logger: self.logger
            ).collect()
            guard let row = inserted.first else {
                let existing = try await connection.query(
                    """
                    SELECT \(unescaped: Self.jobColumns) FROM queue_jobs j
                    WHERE content_sha256 = \(submission.contentSHA256)
                        AND pipeline_hash = \(submission.pipelineHash)
                    """, logger: self.logger
                ).collect()
                guard let first = existing.first else {
                    throw JobStoreError.unknownJob(submission.contentSHA256)
                }
                return (try Self.job(from: first), false)
            }
            let id = try row.decode(Int64.self)
            let ranges = submission.chunkRanges
            for (seq, range) in ranges.enumerated() {
                try await connection.query(
                    """
                    INSERT INTO queue_chunks (job_id, seq, kind, first_page, page_count, state)
                    VALUES (\(id), \(seq), 'pages', \(range.lowerBound), \(range.count), 'queued')
                    """, logger: self.logger)
            }
            try await connection.query(
                """
                INSERT INTO queue_chunks (job_id, seq, kind, first_page, page_count, state)
                VALUES (\(id), \(ranges.count), 'assemble', 0, \(submission.pageCount),
                    'waiting')
                """, logger: self.logger)
            try await connection.query("NOTIFY \(unescaped: Self.channel)", logger: self.logger)
            let rows = try await connection.query(
                "SELECT \(unescaped: Self.jobColumns) FROM queue_jobs j WHERE id = \(id)",
                logger: self.logger
            ).collect()
            return (try Self.job(from: rows[0]), true)
        }
    }

    public func job(id: Int64) async throws -> QueueJob? {
        try await run { [client, logger] in
            let rows = try await client.query(
                "SELECT \(unescaped: Self.jobColumns) FROM queue_jobs j WHERE id = \(id)",
                logger: logger
            ).collect()
            return try rows.first.map(Self.job(from:))
        }
    }

    // MARK: - Claiming and leases

    /// Lease columns returned by claims, then `jobColumns`, then pipeline and retries.
    static func lease(from row: PostgresRow) throws -> ChunkLease {
        let random = row.makeRandomAccess()
        let job = QueueJob(
            id: try random["id"].decode(Int64.self),
            contentSHA256: try random["content_sha256"].decode(String.self),
            originalName: try random["original_name"].decode(String.self),
            pipelineName: try random["pipeline_name"].decode(String.self),
            pipelineHash: try random["pipeline_hash"].decode(String.self),
            modelIdentity: try random["model_identity"].decode(String.self),
            priority: try random["priority"].decode(Int.self),
            state: QueueJob.State(rawValue: try random["state"].decode(String.self)) ?? .running,
            pageCount: try random["page_count"].decode(Int.self),
            failure: try random["failure"].decode(String?.self))
        let first = try random["chunk_first"].decode(Int.self)
        let count = try random["chunk_pages"].decode(Int.self)
        return ChunkLease(
            job: job, chunk: try random["chunk_seq"].decode(Int.self),
            kind: ChunkLease.Kind(rawValue: try random["chunk_kind"].decode(String.self))
                ?? .pages,
            pages: first..<(first + count), token: try random["lease_token"].decode(String.self),
            attempts: try random["chunk_attempts"].decode(Int.self),
            pipelineYAML: try random["pipeline_yaml"].decode(String.self),
            retries: RetryPolicy(
                maxAttempts: try random["max_attempts"].decode(Int.self),
                initialBackoff: try random["initial_backoff"].decode(Double.self),
                maxBackoff: try random["max_backoff"].decode(Double.self)))
    }

    /// The select list of a claim's result: the updated chunk `c` joined to its job `j`.
    static let leaseSelect = """
        c.seq AS chunk_seq, c.kind AS chunk_kind, c.first_page AS chunk_first,
        c.page_count AS chunk_pages, c.attempts AS chunk_attempts, c.lease_token,
        \(jobColumns), j.pipeline_yaml, j.max_attempts, j.initial_backoff, j.max_backoff
        """

    public func claimChunk(worker: String, model: String, leaseSeconds: Double) async throws
        -> ChunkLease?
    {
        let token = ChunkLease.newToken()
        return try await run { [client, logger] in
            try await client.query(
                """
                INSERT INTO queue_workers (id, model_identity, last_seen)
                VALUES (\(worker), \(model), now())
                ON CONFLICT (id) DO UPDATE SET model_identity = excluded.model_identity,
                    last_seen = now()
                """, logger: logger)
            let rows = try await client.query(
                """
                WITH next AS (
                    SELECT c.job_id, c.seq FROM queue_chunks c
                    JOIN queue_jobs j ON j.id = c.job_id
                    WHERE c.state = 'queued' AND c.run_after <= now()
                        AND j.state IN ('queued', 'running') AND j.model_identity = \(model)
                    ORDER BY j.priority DESC, j.id, c.seq
                    LIMIT 1
                    FOR UPDATE OF c SKIP LOCKED
                ), c AS (
                    UPDATE queue_chunks q SET state = 'running', attempts = q.attempts + 1,
                        lease_token = \(token), lease_owner = \(worker), claimed_at = now(),
                        lease_expires_at = now() + make_interval(secs => \(leaseSeconds))
                    FROM next WHERE q.job_id = next.job_id AND q.seq = next.seq
                    RETURNING q.*
                ), started AS (
                    UPDATE queue_jobs s SET state = 'running'
                    FROM c WHERE s.id = c.job_id AND s.state = 'queued'
                )
                SELECT \(unescaped: Self.leaseSelect) FROM c JOIN queue_jobs j ON j.id = c.job_id
                """, logger: logger
            ).collect()
            return try rows.first.map(Self.lease(from:))
        }
    }

    public func pageResults(jobID: Int64, pages: Range<Int>) async throws -> [Int: Data] {
        try await run { [client, logger] in
            var results: [Int: Data] = [:]
            for try await (page, data) in try await client.query(
                """
                SELECT page_index, result FROM queue_page_results
                WHERE job_id = \(jobID) AND page_index >= \(pages.lowerBound)
                    AND page_index < \(pages.upperBound)
                """, logger: logger
            ).decode((Int, Data).self) {
                results[page] = data
            }
            return results
        }
    }

    public func savePageResult(_ result: Data, page: Int, lease: ChunkLease) async throws -> Bool {
        try await run { [client, logger] in
            let rows = try await client.query(
                """
                WITH lease AS (
                    SELECT lease_owner FROM queue_chunks
                    WHERE job_id = \(lease.job.id) AND seq = \(lease.chunk)
                        AND lease_token = \(lease.token) AND state = 'running'
                    FOR SHARE
                ), saved AS (
                    INSERT INTO queue_page_results (job_id, page_index, result, worker)
                    SELECT \(lease.job.id), \(page), \(result), lease_owner FROM lease
                    ON CONFLICT DO NOTHING
                )
                SELECT count(*)::int FROM lease
                """, logger: logger
            ).collect()
            return try rows.first?.decode(Int.self) == 1
        }
    }

    /// Ends the lease on a chunk as `done`; `false` when the token no longer holds it.
    private static func finishChunk(
        _ connection: PostgresConnection, _ lease: ChunkLease, logger: Logger
    ) async throws -> String? {
        let rows = try await connection.query(
            """
            UPDATE queue_chunks SET state = 'done', lease_token = NULL, lease_expires_at = NULL
            WHERE job_id = \(lease.job.id) AND seq = \(lease.chunk)
                AND lease_token = \(lease.token) AND state = 'running'
            RETURNING lease_owner
            """, logger: logger
        ).collect()
        return try rows.first?.decode(String.self)
    }

    public func completeChunk(_ lease: ChunkLease, leaseSeconds: Double) async throws
        -> ChunkCompletion
    {
        let token = ChunkLease.newToken()
        return try await transaction { connection in
            guard
                let owner = try await Self.finishChunk(connection, lease, logger: self.logger)
            else { return .lost }
            // Completions of one job's chunks queue here, so exactly one sees none left.
            try await connection.query(
                "SELECT 1 FROM queue_jobs WHERE id = \(lease.job.id) FOR UPDATE",
                logger: self.logger)
            let open = try await connection.query(
                """
                SELECT count(*)::int FROM queue_chunks
                WHERE job_id = \(lease.job.id) AND kind = 'pages' AND state <> 'done'
                """, logger: self.logger
            ).collect()
            guard try open.first?.decode(Int.self) == 0 else { return .done }
            let rows = try await connection.query(
                """
                WITH c AS (
                    UPDATE queue_chunks q SET state = 'running', attempts = q.attempts + 1,
                        lease_token = \(token), lease_owner = \(owner), claimed_at = now(),
                        lease_expires_at = now() + make_interval(secs => \(leaseSeconds))
                    WHERE q.job_id = \(lease.job.id) AND q.kind = 'assemble'
                        AND q.state = 'waiting'
                    RETURNING q.*
                )
                SELECT \(unescaped: Self.leaseSelect) FROM c JOIN queue_jobs j ON j.id = c.job_id
                """, logger: self.logger
            ).collect()
            guard let row = rows.first else { return .done }
            return .assemble(try Self.lease(from: row))
        }
    }

    public func finishJob(_ lease: ChunkLease, outputs: [JobOutput]) async throws -> Bool {
        try await transaction { connection in
            guard try await Self.finishChunk(connection, lease, logger: self.logger) != nil else {
                return false
            }
            for output in outputs {
                try await connection.query(
                    """
                    INSERT INTO queue_outputs (job_id, path, sha256, byte_count)
                    VALUES (\(lease.job.id), \(output.path), \(output.sha256),
                        \(output.byteCount))
                    ON CONFLICT (job_id, path) DO UPDATE SET sha256 = excluded.sha256,
                        byte_count = excluded.byte_count
                    """, logger: self.logger)
            }
            try await connection.query(
                """
                UPDATE queue_jobs SET state = 'done', finished_at = now()
                WHERE id = \(lease.job.id)
                """, logger: self.logger)
            return true
        }
    }

    public func failChunk(_ lease: ChunkLease, reason: String, retryAfter: Double?) async throws
        -> Bool
    {
        try await transaction { connection in
            if let retryAfter {
                let rows = try await connection.query(
                    """
                    UPDATE queue_chunks SET state = 'queued', lease_token = NULL,
                        lease_owner = NULL, lease_expires_at = NULL, last_error = \(reason),
                        run_after = now() + make_interval(secs => \(retryAfter))
                    WHERE job_id = \(lease.job.id) AND seq = \(lease.chunk)
                        AND lease_token = \(lease.token) AND state = 'running'
                    RETURNING 1
                    """, logger: self.logger
                ).collect()
                return !rows.isEmpty
            }
            let rows = try await connection.query(
                """
                SELECT 1 FROM queue_chunks
                WHERE job_id = \(lease.job.id) AND seq = \(lease.chunk)
                    AND lease_token = \(lease.token) AND state = 'running'
                FOR UPDATE
                """, logger: self.logger
            ).collect()
            guard !rows.isEmpty else { return false }
            try await Self.failJob(connection, lease.job.id, reason: reason, logger: self.logger)
            return true
        }
    }

    /// Fails a job and every unfinished chunk of it.
    static func failJob(
        _ connection: PostgresConnection, _ job: Int64, reason: String, logger: Logger
    ) async throws {
        try await connection.query(
            """
            UPDATE queue_chunks SET state = 'failed', lease_token = NULL,
                lease_expires_at = NULL, last_error = coalesce(last_error, \(reason))
            WHERE job_id = \(job) AND state <> 'done'
            """, logger: logger)
        try await connection.query(
            """
            UPDATE queue_jobs SET state = 'failed', failure = \(reason), finished_at = now()
            WHERE id = \(job)
            """, logger: logger)
    }

    public func releaseChunk(_ lease: ChunkLease) async throws {
        _ = try await run { [client, logger] in
            try await client.query(
                """
                WITH released AS (
                    UPDATE queue_chunks SET state = 'queued', lease_token = NULL,
                        lease_owner = NULL, lease_expires_at = NULL,
                        attempts = greatest(attempts - 1, 0), run_after = now()
                    WHERE job_id = \(lease.job.id) AND seq = \(lease.chunk)
                        AND lease_token = \(lease.token) AND state = 'running'
                    RETURNING 1
                )
                SELECT pg_notify(\(Self.channel), '') FROM released
                """, logger: logger)
        }
    }

    public func reapExpiredLeases() async throws -> Int {
        try await transaction { connection in
            let expired = try await connection.query(
                """
                WITH expired AS (
                    SELECT job_id, seq FROM queue_chunks
                    WHERE state = 'running' AND lease_expires_at < now()
                    FOR UPDATE SKIP LOCKED
                )
                SELECT c.job_id, c.seq, c.attempts, coalesce(c.lease_owner, '?'),
                    j.max_attempts, j.initial_backoff, j.max_backoff
                FROM expired e JOIN queue_chunks c ON c.job_id = e.job_id AND c.seq = e.seq
                JOIN queue_jobs j ON j.id = c.job_id
                """, logger: self.logger
            ).collect()
            var requeued = false
            for row in expired {
                let (job, seq, attempts, owner, maxAttempts, initial, maximum) = try row.decode(
                    (Int64, Int, Int, String, Int, Double, Double).self)
                if attempts >= maxAttempts {
                    try await Self.failJob(
                        connection, job,
                        reason: ChunkLease.expiredReason(attempts: attempts, owner: owner),
                        logger: self.logger)
                    continue
                }
                let delay = RetryPolicy(
                    maxAttempts: maxAttempts, initialBackoff: initial, maxBackoff: maximum
                ).delay(afterAttempt: attempts)
                let error = "the lease of \(owner) expired"
                try await connection.query(
                    """
                    UPDATE queue_chunks SET state = 'queued', lease_token = NULL,
                        lease_owner = NULL, lease_expires_at = NULL, last_error = \(error),
                        run_after = now() + make_interval(secs => \(delay))
                    WHERE job_id = \(job) AND seq = \(seq)
                    """, logger: self.logger)
                requeued = true
            }
            if requeued {
                try await connection.query(
                    "NOTIFY \(unescaped: Self.channel)", logger: self.logger)
            }
            return expired.count
        }
    }

    public func makeLeaseRenewer() throws -> any LeaseRenewer {
        PostgresLeaseRenewer(url: url)
    }

    public func waitForWork(timeout: Double) async {
        await wake.wait(timeout: timeout)
    }

    public func removeWorker(_ worker: String) async throws {
        _ = try await run { [client, logger] in
            try await client.query("DELETE FROM queue_workers WHERE id = \(worker)", logger: logger)
        }
    }
}
