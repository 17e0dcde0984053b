import Foundation
import GRDB

/// `JobQueue` in the same SQLite file: several worker processes on one machine share it
/// (SQLite serialises their writes). Times are the database's clock, in Unix seconds.
extension SQLiteJobStore: JobQueue {
    /// The queue's tables (migration `v2-queue`).
    static let queueSchema = """
        CREATE TABLE blobs (
            sha256 TEXT PRIMARY KEY NOT NULL,
            byte_count INTEGER NOT NULL,
            created_at REAL NOT NULL
        );
        CREATE TABLE blob_chunks (
            sha256 TEXT NOT NULL REFERENCES blobs(sha256) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (sha256, seq)
        ) WITHOUT ROWID;
        CREATE TABLE queue_jobs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            content_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
            original_name TEXT NOT NULL,
            pipeline_name TEXT NOT NULL,
            pipeline_hash TEXT NOT NULL,
            pipeline_yaml TEXT NOT NULL,
            model_identity TEXT NOT NULL,
            priority INTEGER NOT NULL,
            state TEXT NOT NULL,
            page_count INTEGER NOT NULL,
            max_attempts INTEGER NOT NULL,
            initial_backoff REAL NOT NULL,
            max_backoff REAL NOT NULL,
            failure TEXT,
            created_at REAL NOT NULL,
            finished_at REAL,
            UNIQUE (content_sha256, pipeline_hash)
        );
        CREATE TABLE queue_chunks (
            job_id INTEGER NOT NULL REFERENCES queue_jobs(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            first_page INTEGER NOT NULL,
            page_count INTEGER NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            run_after REAL NOT NULL,
            lease_token TEXT,
            lease_owner TEXT,
            lease_expires_at REAL,
            claimed_at REAL,
            last_error TEXT,
            PRIMARY KEY (job_id, seq)
        );
        CREATE INDEX queue_chunks_by_state ON queue_chunks(state, run_after);
        CREATE TABLE queue_page_results (
            job_id INTEGER NOT NULL REFERENCES queue_jobs(id) ON DELETE CASCADE,
            page_index INTEGER NOT NULL,
            result BLOB NOT NULL,
            worker TEXT NOT NULL,
            created_at REAL NOT NULL,
            PRIMARY KEY (job_id, page_index)
        );
        CREATE TABLE queue_outputs (
            job_id INTEGER NOT NULL REFERENCES queue_jobs(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL REFERENCES blobs(sha256),
            byte_count INTEGER NOT NULL,
            PRIMARY KEY (job_id, path)
        );
        CREATE TABLE queue_workers (
            id TEXT PRIMARY KEY NOT NULL,
            model_identity TEXT NOT NULL,
            last_seen REAL NOT NULL
        );
        """

    /// The database's clock in Unix seconds, as SQL.
    private static let now = "((julianday('now') - 2440587.5) * 86400.0)"
    /// Blob chunk size.
    static let blobChunkBytes = 1 << 20

    /// Where the queue lives: the database file.
    public var displayLocation: String { location.path }

    /// A write in an IMMEDIATE transaction, so writers in several processes queue on the
    /// database lock instead of failing on a lock upgrade.
    private func immediate<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T)
        async throws -> T
    {
        do {
            return try await pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch let error as JobStoreError {
            throw error
        } catch {
            throw JobStoreError.unavailable(location: location.path, reason: "\(error)")
        }
    }

    public func submit(_ submission: JobSubmission) async throws -> (job: QueueJob, isNew: Bool) {
        try await immediate { db in
            try Self.insertBlob(db, submission.document, sha256: submission.contentSHA256)
            if let existing = try Row.fetchOne(
                db, sql: "SELECT * FROM queue_jobs WHERE content_sha256 = ? AND pipeline_hash = ?",
                arguments: [submission.contentSHA256, submission.pipelineHash])
            {
                return (Self.queueJob(existing), false)
            }
            try db.execute(
                sql: """
                    INSERT INTO queue_jobs (content_sha256, original_name, pipeline_name,
                        pipeline_hash, pipeline_yaml, model_identity, priority, state, page_count,
                        max_attempts, initial_backoff, max_backoff, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, \(Self.now))
                    """,
                arguments: [
                    submission.contentSHA256, submission.originalName, submission.pipelineName,
                    submission.pipelineHash, submission.pipelineYAML, submission.modelIdentity,
                    submission.priority, submission.pageCount, submission.retries.maxAttempts,
                    submission.retries.initialBackoff, submission.retries.maxBackoff,
                ])
            let id = db.lastInsertedRowID
            let ranges = submission.chunkRanges
            for (seq, range) in ranges.enumerated() {
                try Self.insertChunk(db, id, seq, "pages", range, state: "queued")
            }
            try Self.insertChunk(
                db, id, ranges.count, "assemble", 0..<submission.pageCount, state: "waiting")
            let row = try Row.fetchOne(
                db, sql: "SELECT * FROM queue_jobs WHERE id = ?", arguments: [id])!
            return (Self.queueJob(row), true)
        }
    }

    private static func insertChunk(
        _ db: Database, _ job: Int64, _ seq: Int, _ kind: String, _ range: Range<Int>,
        state: String
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO queue_chunks (job_id, seq, kind, first_page, page_count, state,
                    run_after)
                VALUES (?, ?, ?, ?, ?, ?, \(now))
                """,
            arguments: [job, seq, kind, range.lowerBound, range.count, state])
    }

    public func job(id: Int64) async throws -> QueueJob? {
        try await immediate { db in
            try Row.fetchOne(db, sql: "SELECT * FROM queue_jobs WHERE id = ?", arguments: [id])
                .map(Self.queueJob)
        }
    }

    public func claimChunk(worker: String, model: String, leaseSeconds: Double) async throws
        -> ChunkLease?
    {
        let token = ChunkLease.newToken()
        return try await immediate { db in
            try db.execute(
                sql: """
                    INSERT INTO queue_workers (id, model_identity, last_seen)
                    VALUES (?, ?, \(Self.now))
                    ON CONFLICT (id) DO UPDATE SET model_identity = excluded.model_identity,
                        last_seen = excluded.last_seen
                    """, arguments: [worker, model])
            guard
                let next = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT c.job_id, c.seq FROM queue_chunks c
                        JOIN queue_jobs j ON j.id = c.job_id
                        WHERE c.state = 'queued' AND c.run_after <= \(Self.now)
                            AND j.state IN ('queued', 'running') AND j.model_identity = ?
                        ORDER BY j.priority DESC, j.id, c.seq LIMIT 1
                        """, arguments: [model])
            else { return nil }
            let job: Int64 = next["job_id"]
            let seq: Int = next["seq"]
            try db.execute(
                sql: """
                    UPDATE queue_chunks SET state = 'running', attempts = attempts + 1,
                        lease_token = ?, lease_owner = ?, claimed_at = \(Self.now),
                        lease_expires_at = \(Self.now) + ?
                    WHERE job_id = ? AND seq = ?
                    """, arguments: [token, worker, leaseSeconds, job, seq])
            try db.execute(
                sql: "UPDATE queue_jobs SET state = 'running' WHERE id = ? AND state = 'queued'",
                arguments: [job])
            return try Self.lease(db, job: job, seq: seq)
        }
    }

    private static func lease(_ db: Database, job: Int64, seq: Int) throws -> ChunkLease? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT c.seq, c.kind, c.first_page, c.page_count AS chunk_pages, c.attempts,
                        c.lease_token, j.*
                    FROM queue_chunks c JOIN queue_jobs j ON j.id = c.job_id
                    WHERE c.job_id = ? AND c.seq = ?
                    """, arguments: [job, seq])
        else { return nil }
        let first: Int = row["first_page"]
        let count: Int = row["chunk_pages"]
        return ChunkLease(
            job: queueJob(row), chunk: row["seq"],
            kind: ChunkLease.Kind(rawValue: row["kind"]) ?? .pages, pages: first..<(first + count),
            token: row["lease_token"], attempts: row["attempts"],
            pipelineYAML: row["pipeline_yaml"],
            retries: RetryPolicy(
                maxAttempts: row["max_attempts"], initialBackoff: row["initial_backoff"],
                maxBackoff: row["max_backoff"]))
    }

    public func pageResults(jobID: Int64, pages: Range<Int>) async throws -> [Int: Data] {
        try await immediate { db in
            var results: [Int: Data] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT page_index, result FROM queue_page_results
                    WHERE job_id = ? AND page_index >= ? AND page_index < ?
                    """, arguments: [jobID, pages.lowerBound, pages.upperBound])
            {
                results[row["page_index"]] = row["result"]
            }
            return results
        }
    }

    /// Whether the lease is still held (its token on a running chunk).
    private static func holds(_ db: Database, _ lease: ChunkLease) throws -> Bool {
        try Int.fetchOne(
            db,
            sql: """
                SELECT 1 FROM queue_chunks
                WHERE job_id = ? AND seq = ? AND lease_token = ? AND state = 'running'
                """, arguments: [lease.job.id, lease.chunk, lease.token]) != nil
    }

    public func savePageResult(_ result: Data, page: Int, lease: ChunkLease) async throws -> Bool {
        try await immediate { db in
            guard try Self.holds(db, lease) else { return false }
            try db.execute(
                sql: """
                    INSERT INTO queue_page_results (job_id, page_index, result, worker, created_at)
                    SELECT ?, ?, ?, lease_owner, \(Self.now) FROM queue_chunks
                    WHERE job_id = ? AND seq = ?
                    ON CONFLICT DO NOTHING
                    """, arguments: [lease.job.id, page, result, lease.job.id, lease.chunk])
            return true
        }
    }

    public func completeChunk(_ lease: ChunkLease, leaseSeconds: Double) async throws
        -> ChunkCompletion
    {
        let token = ChunkLease.newToken()
        return try await immediate { db in
            guard try Self.holds(db, lease) else { return .lost }
            let owner = try String.fetchOne(
                db, sql: "SELECT lease_owner FROM queue_chunks WHERE job_id = ? AND seq = ?",
                arguments: [lease.job.id, lease.chunk])
            try db.execute(
                sql: """
                    UPDATE queue_chunks SET state = 'done', lease_token = NULL,
                        lease_expires_at = NULL
                    WHERE job_id = ? AND seq = ?
                    """, arguments: [lease.job.id, lease.chunk])
            let open =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM queue_chunks
                        WHERE job_id = ? AND kind = 'pages' AND state <> 'done'
                        """, arguments: [lease.job.id]) ?? 0
            guard open == 0 else { return .done }
            try db.execute(
                sql: """
                    UPDATE queue_chunks SET state = 'running', attempts = attempts + 1,
                        lease_token = ?, lease_owner = ?, claimed_at = \(Self.now),
                        lease_expires_at = \(Self.now) + ?
                    WHERE job_id = ? AND kind = 'assemble' AND state = 'waiting'
                    """,
                arguments: [token, owner, leaseSeconds, lease.job.id])
            guard db.changesCount == 1,
                let seq = try Int.fetchOne(
                    db, sql: "SELECT seq FROM queue_chunks WHERE job_id = ? AND kind = 'assemble'",
                    arguments: [lease.job.id]),
                let next = try Self.lease(db, job: lease.job.id, seq: seq)
            else { return .done }
            return .assemble(next)
        }
    }

    public func finishJob(_ lease: ChunkLease, outputs: [JobOutput]) async throws -> Bool {
        try await immediate { db in
            guard try Self.holds(db, lease) else { return false }
            for output in outputs {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO queue_outputs (job_id, path, sha256, byte_count)
                        VALUES (?, ?, ?, ?)
                        """,
                    arguments: [lease.job.id, output.path, output.sha256, output.byteCount])
            }
            try db.execute(
                sql: """
                    UPDATE queue_chunks SET state = 'done', lease_token = NULL,
                        lease_expires_at = NULL
                    WHERE job_id = ? AND seq = ?
                    """, arguments: [lease.job.id, lease.chunk])
            try db.execute(
                sql: "UPDATE queue_jobs SET state = 'done', finished_at = \(Self.now) WHERE id = ?",
                arguments: [lease.job.id])
            return true
        }
    }

    public func failChunk(_ lease: ChunkLease, reason: String, retryAfter: Double?) async throws
        -> Bool
    {
        try await immediate { db in
            guard try Self.holds(db, lease) else { return false }
            if let retryAfter {
                try Self.requeueChunk(
                    db, job: lease.job.id, seq: lease.chunk, reason: reason, after: retryAfter)
            } else {
                try Self.failJob(db, lease.job.id, reason: reason)
            }
            return true
        }
    }

    /// Fails a job and every unfinished chunk of it.
    /// Puts a chunk back in the queue, its lease dropped, not to be claimed for `seconds`.
    private static func requeueChunk(
        _ db: Database, job: Int64, seq: Int, reason: String, after seconds: Double
    ) throws {
        try db.execute(
            sql: """
                UPDATE queue_chunks SET state = 'queued', lease_token = NULL,
                    lease_owner = NULL, lease_expires_at = NULL, last_error = ?,
                    run_after = \(now) + ?
                WHERE job_id = ? AND seq = ?
                """, arguments: [reason, seconds, job, seq])
    }

    private static func failJob(_ db: Database, _ job: Int64, reason: String) throws {
        try db.execute(
            sql: """
                UPDATE queue_chunks SET state = 'failed', lease_token = NULL,
                    lease_expires_at = NULL, last_error = coalesce(last_error, ?)
                WHERE job_id = ? AND state <> 'done'
                """, arguments: [reason, job])
        try db.execute(
            sql: """
                UPDATE queue_jobs SET state = 'failed', failure = ?, finished_at = \(now)
                WHERE id = ?
                """, arguments: [reason, job])
    }

    public func releaseChunk(_ lease: ChunkLease) async throws {
        try await immediate { db in
            try db.execute(
                sql: """
                    UPDATE queue_chunks SET state = 'queued', lease_token = NULL,
                        lease_owner = NULL, lease_expires_at = NULL,
                        attempts = max(attempts - 1, 0), run_after = \(Self.now)
                    WHERE job_id = ? AND seq = ? AND lease_token = ? AND state = 'running'
                    """, arguments: [lease.job.id, lease.chunk, lease.token])
        }
    }

    public func reapExpiredLeases() async throws -> Int {
        try await immediate { db in
            let expired = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.job_id, c.seq, c.attempts, c.lease_owner, j.max_attempts,
                        j.initial_backoff, j.max_backoff
                    FROM queue_chunks c JOIN queue_jobs j ON j.id = c.job_id
                    WHERE c.state = 'running' AND c.lease_expires_at < \(Self.now)
                    """)
            for row in expired {
                let job: Int64 = row["job_id"]
                let attempts: Int = row["attempts"]
                let policy = RetryPolicy(
                    maxAttempts: row["max_attempts"], initialBackoff: row["initial_backoff"],
                    maxBackoff: row["max_backoff"])
                let owner: String = row["lease_owner"] ?? "?"
                if attempts >= policy.maxAttempts {
                    try Self.failJob(
                        db, job, reason: ChunkLease.expiredReason(attempts: attempts, owner: owner))
                } else {
                    try Self.requeueChunk(
                        db, job: job, seq: row["seq"], reason: "the lease of \(owner) expired",
                        after: policy.delay(afterAttempt: attempts))
                }
            }
            return expired.count
        }
    }

    private static func queueJob(_ row: Row) -> QueueJob {
        QueueJob(
            id: row["id"], contentSHA256: row["content_sha256"],
            originalName: row["original_name"], pipelineName: row["pipeline_name"],
            pipelineHash: row["pipeline_hash"], modelIdentity: row["model_identity"],
            priority: row["priority"], state: QueueJob.State(rawValue: row["state"]) ?? .queued,
            pageCount: row["page_count"], failure: row["failure"])
    }

    public func makeLeaseRenewer() throws -> any LeaseRenewer { SQLiteLeaseRenewer(pool: pool) }

    public func waitForWork(timeout: Double) async {
        try? await Task.sleep(nanoseconds: UInt64(max(0, timeout) * 1e9))
    }

    public func putBlob(_ data: Data) async throws -> String {
        let sha = SHA256.hexDigest(of: data)
        try await immediate { db in try Self.insertBlob(db, data, sha256: sha) }
        return sha
    }

    private static func insertBlob(_ db: Database, _ data: Data, sha256: String) throws {
        try db.execute(
            sql: """
                INSERT INTO blobs (sha256, byte_count, created_at) VALUES (?, ?, \(now))
                ON CONFLICT DO NOTHING
                """, arguments: [sha256, data.count])
        guard db.changesCount == 1 else { return }
        for (seq, start) in stride(from: 0, to: max(data.count, 1), by: blobChunkBytes).enumerated()
        {
            let piece = data.subdata(in: start..<min(start + blobChunkBytes, data.count))
            try db.execute(
                sql: "INSERT INTO blob_chunks (sha256, seq, data) VALUES (?, ?, ?)",
                arguments: [sha256, seq, piece])
        }
    }

    public func blob(_ sha256: String) async throws -> Data {
        let pieces = try await immediate { db in
            try Data.fetchAll(
                db, sql: "SELECT data FROM blob_chunks WHERE sha256 = ? ORDER BY seq",
                arguments: [sha256])
        }
        // Every blob has a chunk, an empty one too.
        guard !pieces.isEmpty else { throw BlobError.missing(sha256: sha256, path: nil) }
        let data = pieces.reduce(into: Data()) { $0.append($1) }
        guard SHA256.hexDigest(of: data) == sha256 else {
            throw BlobError.corrupt(sha256: sha256, path: nil)
        }
        return data
    }

    public func outputs(jobID: Int64) async throws -> [JobOutput] {
        try await immediate { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM queue_outputs WHERE job_id = ? ORDER BY path",
                arguments: [jobID]
            ).map { JobOutput(path: $0["path"], sha256: $0["sha256"], byteCount: $0["byte_count"]) }
        }
    }

    public func status() async throws -> QueueStatus {
        try await immediate { db in
            func count(_ state: String) throws -> Int {
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM queue_jobs WHERE state = ?", arguments: [state])
                    ?? 0
            }
            let running = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.job_id, j.original_name, c.kind, c.first_page, c.page_count,
                        c.lease_owner, \(Self.now) - c.claimed_at AS age
                    FROM queue_chunks c JOIN queue_jobs j ON j.id = c.job_id
                    WHERE c.state = 'running' ORDER BY c.claimed_at
                    """
            ).map { row -> QueueStatus.Running in
                let kind: String = row["kind"]
                let first: Int = row["first_page"]
                return QueueStatus.Running(
                    jobID: row["job_id"], name: row["original_name"],
                    firstPage: kind == "assemble" ? nil : first + 1, pageCount: row["page_count"],
                    owner: row["lease_owner"] ?? "?", ageSeconds: row["age"] ?? 0)
            }
            let failed = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, original_name, failure FROM queue_jobs WHERE state = 'failed'
                    ORDER BY finished_at DESC LIMIT 50
                    """
            ).map {
                QueueStatus.Failed(
                    jobID: $0["id"], name: $0["original_name"], reason: $0["failure"] ?? "")
            }
            let pages =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM queue_page_results
                        WHERE created_at > \(Self.now) - 3600
                        """) ?? 0
            let waiting = try Row.fetchAll(
                db,
                sql: """
                    SELECT j.id, j.original_name, j.model_identity,
                        \(Self.now) - j.created_at AS age
                    FROM queue_jobs j WHERE j.state IN ('queued', 'running') AND EXISTS (
                        SELECT 1 FROM queue_chunks c WHERE c.job_id = j.id AND c.state = 'queued')
                    ORDER BY j.id LIMIT 50
                    """
            ).map {
                QueueStatus.Waiting(
                    jobID: $0["id"], name: $0["original_name"], model: $0["model_identity"],
                    waitingSeconds: $0["age"])
            }
            let workers = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, model_identity, \(Self.now) - last_seen AS age FROM queue_workers
                    WHERE last_seen > \(Self.now) - 300 ORDER BY id
                    """
            ).map {
                QueueStatus.Worker(
                    id: $0["id"], model: $0["model_identity"], lastSeenSeconds: $0["age"])
            }
            return QueueStatus(
                queued: try count("queued"), runningJobs: try count("running"), running: running,
                done: try count("done"), failed: failed, pagesLastHour: pages, waiting: waiting,
                workers: workers)
        }
    }

    public func prune(olderThan seconds: Double) async throws -> (jobs: Int, blobs: Int) {
        try await immediate { db in
            try db.execute(
                sql: """
                    DELETE FROM queue_jobs WHERE state IN ('done', 'failed')
                        AND finished_at < \(Self.now) - ?
                    """, arguments: [seconds])
            let jobs = db.changesCount
            try db.execute(
                sql: """
                    DELETE FROM blobs WHERE created_at < \(Self.now) - ?
                        AND NOT EXISTS (SELECT 1 FROM queue_jobs j
                            WHERE j.content_sha256 = blobs.sha256)
                        AND NOT EXISTS (SELECT 1 FROM queue_outputs o
                            WHERE o.sha256 = blobs.sha256)
                    """, arguments: [seconds])
            return (jobs, db.changesCount)
        }
    }

    public func removeWorker(_ worker: String) async throws {
        try await immediate { db in
            try db.execute(sql: "DELETE FROM queue_workers WHERE id = ?", arguments: [worker])
        }
    }
}

/// Renews leases with synchronous writes on the calling (heartbeat) thread.
final class SQLiteLeaseRenewer: LeaseRenewer {
    private let pool: DatabasePool

    init(pool: DatabasePool) { self.pool = pool }

    func renew(_ lease: ChunkLease, seconds: Double) throws -> Bool {
        try pool.write { db in
            try db.execute(
                sql: """
                    UPDATE queue_chunks
                    SET lease_expires_at = ((julianday('now') - 2440587.5) * 86400.0) + ?
                    WHERE job_id = ? AND seq = ? AND lease_token = ? AND state = 'running'
                    """, arguments: [seconds, lease.job.id, lease.chunk, lease.token])
            guard db.changesCount == 1 else { return false }
            try db.execute(
                sql: """
                    UPDATE queue_workers SET last_seen = ((julianday('now') - 2440587.5) * 86400.0)
                    WHERE id = (SELECT lease_owner FROM queue_chunks WHERE job_id = ? AND seq = ?)
                    """, arguments: [lease.job.id, lease.chunk])
            return true
        }
    }

    func close() {}
}
