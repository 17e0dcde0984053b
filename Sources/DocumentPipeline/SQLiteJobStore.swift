import Foundation
import GRDB

/// A `JobStore` in one SQLite file (GRDB), for watchers on one machine.
///
/// The database runs in WAL mode with `synchronous = FULL`: every call's change is committed
/// and on disk when it returns, so `kill -9` (or a power cut) at any point leaves the last
/// committed state, never a torn one. Keep the file on a local disk: SQLite's locking is not
/// reliable over network filesystems.
public final class SQLiteJobStore: JobStore {
    /// The database file.
    public let location: URL
    let pool: DatabasePool

    /// Opens (creating if needed) the store at `location`; parent folders are created.
    public init(location: URL) throws {
        self.location = location
        do {
            try FileManager.default.createDirectory(
                at: location.deletingLastPathComponent(), withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(30)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                try db.execute(sql: "PRAGMA foreign_keys = ON")
            }
            pool = try DatabasePool(path: location.path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw JobStoreError.unavailable(location: location.path, reason: "\(error)")
        }
    }

    /// The schema, one migration per version.
    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE jobs (
                        content_hash TEXT PRIMARY KEY NOT NULL,
                        original_name TEXT NOT NULL,
                        state TEXT NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at DOUBLE,
                        failure_reason TEXT,
                        failure_stage TEXT,
                        failure_page INTEGER,
                        failure_transient INTEGER,
                        page_count INTEGER,
                        owner TEXT,
                        output_path TEXT,
                        created_at DOUBLE NOT NULL,
                        updated_at DOUBLE NOT NULL
                    );
                    CREATE INDEX jobs_by_state ON jobs(state);
                    CREATE TABLE job_pages (
                        content_hash TEXT NOT NULL
                            REFERENCES jobs(content_hash) ON DELETE CASCADE,
                        page_index INTEGER NOT NULL,
                        completed_at DOUBLE NOT NULL,
                        PRIMARY KEY (content_hash, page_index)
                    ) WITHOUT ROWID;
                    CREATE TABLE arrivals (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        content_hash TEXT NOT NULL,
                        file_name TEXT NOT NULL,
                        disposition TEXT NOT NULL,
                        arrived_at DOUBLE NOT NULL
                    );
                    CREATE INDEX arrivals_by_hash ON arrivals(content_hash);
                    """)
        }
        migrator.registerMigration("v2-queue") { db in try db.execute(sql: queueSchema) }
        return migrator
    }

    /// Runs a write transaction, mapping database errors to `JobStoreError.unavailable`.
    private func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T)
        async throws -> T
    {
        do {
            return try await pool.write(body)
        } catch let error as JobStoreError {
            throw error
        } catch {
            throw JobStoreError.unavailable(location: location.path, reason: "\(error)")
        }
    }

    /// Runs a read, mapping database errors to `JobStoreError.unavailable`.
    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T)
        async throws -> T
    {
        do {
            return try await pool.read(body)
        } catch let error as JobStoreError {
            throw error
        } catch {
            throw JobStoreError.unavailable(location: location.path, reason: "\(error)")
        }
    }

    /// Creates a queued job for new content, or returns the existing one.
    public func register(contentHash: String, originalName: String, at date: Date) async throws
        -> JobRegistration
    {
        try await write { db in
            if let existing = try Self.fetchJob(db, contentHash) {
                return JobRegistration(job: existing, isNew: false)
            }
            let time = date.timeIntervalSince1970
            try db.execute(
                sql: """
                    INSERT INTO jobs (content_hash, original_name, state, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [contentHash, originalName, JobState.queued.rawValue, time, time])
            return JobRegistration(job: try Self.fetchJob(db, contentHash)!, isNew: true)
        }
    }

    /// Appends an arrival record.
    public func recordArrival(_ arrival: Arrival) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO arrivals (content_hash, file_name, disposition, arrived_at)
                    VALUES (?, ?, ?, ?)
                    """,
                arguments: [
                    arrival.contentHash, arrival.fileName, arrival.disposition.rawValue,
                    arrival.at.timeIntervalSince1970,
                ])
        }
    }

    /// Every arrival of the content, oldest first.
    public func arrivals(contentHash: String) async throws -> [Arrival] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM arrivals WHERE content_hash = ? ORDER BY id",
                arguments: [contentHash]
            ).map { row in
                let kind: String = row["disposition"]
                guard let disposition = Arrival.Disposition(rawValue: kind) else {
                    throw JobStoreError.unreadableJob(
                        contentHash: contentHash, reason: "unknown arrival kind '\(kind)'")
                }
                return Arrival(
                    contentHash: row["content_hash"], fileName: row["file_name"],
                    disposition: disposition, at: Date(timeIntervalSince1970: row["arrived_at"]))
            }
        }
    }

    /// The job for the content, if any.
    public func job(contentHash: String) async throws -> Job? {
        try await read { db in try Self.fetchJob(db, contentHash) }
    }

    /// All jobs in the given states, oldest first.
    public func jobs(in states: Set<JobState>) async throws -> [Job] {
        let names = states.map(\.rawValue)
        return try await read { db in
            let marks = Array(repeating: "?", count: names.count).joined(separator: ", ")
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM jobs WHERE state IN (\(marks))
                    ORDER BY created_at, content_hash
                    """,
                arguments: StatementArguments(names)
            ).map { try Self.job(from: $0) }
        }
    }

    /// Takes a queued job whose backoff has passed (one atomic `UPDATE`).
    public func claim(contentHash: String, owner: String, at date: Date) async throws -> Job? {
        try await write { db in
            let time = date.timeIntervalSince1970
            try db.execute(
                sql: """
                    UPDATE jobs SET state = ?, owner = ?, attempts = attempts + 1,
                        next_attempt_at = NULL, updated_at = ?
                    WHERE content_hash = ? AND state = ?
                        AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
                    """,
                arguments: [
                    JobState.claimed.rawValue, owner, time, contentHash, JobState.queued.rawValue,
                    time,
                ])
            return db.changesCount == 1 ? try Self.fetchJob(db, contentHash) : nil
        }
    }

    /// Marks a claimed job as being processed.
    public func markProcessing(contentHash: String, owner: String, at date: Date) async throws {
        try await updateOwned(
            contentHash, owner, date, set: "state = ?", [JobState.processing.rawValue])
    }

    /// Records the document's page count.
    public func setPageCount(_ count: Int, contentHash: String, owner: String, at date: Date)
        async throws
    {
        try await updateOwned(contentHash, owner, date, set: "page_count = ?", [count])
    }

    /// Records one page as finished (idempotent).
    public func completePage(_ pageIndex: Int, contentHash: String, owner: String, at date: Date)
        async throws
    {
        try await write { db in
            try Self.requireOwner(db, contentHash, owner)
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO job_pages (content_hash, page_index, completed_at)
                    VALUES (?, ?, ?)
                    """,
                arguments: [contentHash, pageIndex, date.timeIntervalSince1970])
            // The job's update time doubles as the claim's heartbeat.
            try db.execute(
                sql: "UPDATE jobs SET updated_at = ? WHERE content_hash = ?",
                arguments: [date.timeIntervalSince1970, contentHash])
        }
    }

    /// The 0-based indices of the finished pages.
    public func completedPages(contentHash: String) async throws -> Set<Int> {
        try await read { db in
            Set(
                try Int.fetchAll(
                    db, sql: "SELECT page_index FROM job_pages WHERE content_hash = ?",
                    arguments: [contentHash]))
        }
    }

    /// Records where results are about to be published.
    public func setOutputPath(_ path: String, contentHash: String, owner: String, at date: Date)
        async throws
    {
        try await updateOwned(contentHash, owner, date, set: "output_path = ?", [path])
    }

    /// Marks the job done and releases the claim.
    public func markDone(contentHash: String, owner: String, at date: Date) async throws {
        try await updateOwned(
            contentHash, owner, date, set: "state = ?, owner = NULL, next_attempt_at = NULL",
            [JobState.done.rawValue])
    }

    /// Records a failed attempt: queued again with `retryAt`, else failed for good.
    public func markFailed(
        contentHash: String, owner: String, failure: JobFailure, retryAt: Date?, at date: Date
    ) async throws {
        let state: JobState = retryAt == nil ? .failed : .queued
        try await updateOwned(
            contentHash, owner, date,
            set: """
                state = ?, owner = NULL, next_attempt_at = ?, failure_reason = ?,
                failure_stage = ?, failure_page = ?, failure_transient = ?
                """,
            [
                state.rawValue, retryAt?.timeIntervalSince1970, failure.reason,
                failure.stage.rawValue, failure.pageIndex, failure.isTransient,
            ])
    }

    /// Starts known content over under a new original name.
    public func reset(contentHash: String, originalName: String, at date: Date) async throws -> Job
    {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE jobs SET original_name = ?, state = ?, attempts = 0,
                        next_attempt_at = NULL, failure_reason = NULL, failure_stage = NULL,
                        failure_page = NULL, failure_transient = NULL, page_count = NULL,
                        owner = NULL, output_path = NULL, updated_at = ?
                    WHERE content_hash = ?
                    """,
                arguments: [
                    originalName, JobState.queued.rawValue, date.timeIntervalSince1970, contentHash,
                ])
            guard db.changesCount == 1 else { throw JobStoreError.unknownJob(contentHash) }
            try db.execute(
                sql: "DELETE FROM job_pages WHERE content_hash = ?", arguments: [contentHash])
            return try Self.fetchJob(db, contentHash)!
        }
    }

    /// Puts one job back in the queue if `owner` holds its claim.
    public func releaseClaim(contentHash: String, owner: String, at date: Date) async throws
        -> Bool
    {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE jobs SET state = ?, owner = NULL, updated_at = ?
                    WHERE content_hash = ? AND owner = ? AND state IN (?, ?)
                    """,
                arguments: [
                    JobState.queued.rawValue, date.timeIntervalSince1970, contentHash, owner,
                    JobState.claimed.rawValue, JobState.processing.rawValue,
                ])
            return db.changesCount == 1
        }
    }

    /// Puts the owner's claimed jobs back in the queue.
    public func releaseClaims(owner: String, refundAttempt: Bool, at date: Date) async throws
        -> [Job]
    {
        try await write { db in
            let held = try String.fetchAll(
                db, sql: "SELECT content_hash FROM jobs WHERE owner = ? AND state IN (?, ?)",
                arguments: [owner, JobState.claimed.rawValue, JobState.processing.rawValue])
            try db.execute(
                sql: """
                    UPDATE jobs SET state = ?, owner = NULL, updated_at = ?,
                        attempts = MAX(attempts - ?, 0)
                    WHERE owner = ? AND state IN (?, ?)
                    """,
                arguments: [
                    JobState.queued.rawValue, date.timeIntervalSince1970, refundAttempt ? 1 : 0,
                    owner,
                    JobState.claimed.rawValue, JobState.processing.rawValue,
                ])
            return try held.compactMap { try Self.fetchJob(db, $0) }
        }
    }

    /// `UPDATE jobs SET <set>, updated_at = ?` on a job the caller owns.
    private func updateOwned(
        _ contentHash: String, _ owner: String, _ date: Date, set: String,
        _ values: [(any DatabaseValueConvertible)?]
    ) async throws {
        let arguments = StatementArguments(values + [date.timeIntervalSince1970, contentHash])
        try await write { db in
            try Self.requireOwner(db, contentHash, owner)
            try db.execute(
                sql: "UPDATE jobs SET \(set), updated_at = ? WHERE content_hash = ?",
                arguments: arguments)
        }
    }

    /// Throws unless `owner` holds a live claim on the job.
    private static func requireOwner(_ db: Database, _ contentHash: String, _ owner: String) throws
    {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT state, owner FROM jobs WHERE content_hash = ?",
                arguments: [contentHash])
        else { throw JobStoreError.unknownJob(contentHash) }
        let state: String = row["state"]
        let holder: String? = row["owner"]
        guard holder == owner,
            state == JobState.claimed.rawValue || state == JobState.processing.rawValue
        else { throw JobStoreError.notOwner(contentHash: contentHash, owner: owner) }
    }

    private static func fetchJob(_ db: Database, _ contentHash: String) throws -> Job? {
        try Row.fetchOne(
            db, sql: "SELECT * FROM jobs WHERE content_hash = ?", arguments: [contentHash]
        )
        .map { try job(from: $0) }
    }

    /// A job row as a `Job`; a state or failure stage this version does not know is an error.
    private static func job(from row: Row) throws -> Job {
        let hash: String = row["content_hash"]
        var failure: JobFailure?
        if let reason: String = row["failure_reason"] {
            let stageName: String = row["failure_stage"] ?? ""
            guard let stage = ProcessingStage(rawValue: stageName) else {
                throw JobStoreError.unreadableJob(
                    contentHash: hash, reason: "unknown failure stage '\(stageName)'")
            }
            failure = JobFailure(
                reason: reason, stage: stage, pageIndex: row["failure_page"],
                isTransient: row["failure_transient"] ?? false)
        }
        let stateName: String = row["state"]
        guard let state = JobState(rawValue: stateName) else {
            throw JobStoreError.unreadableJob(
                contentHash: hash, reason: "unknown state '\(stateName)'")
        }
        let nextAttempt: Double? = row["next_attempt_at"]
        return Job(
            contentHash: hash, originalName: row["original_name"],
            state: state, attempts: row["attempts"],
            nextAttemptAt: nextAttempt.map(Date.init(timeIntervalSince1970:)),
            lastFailure: failure, pageCount: row["page_count"], owner: row["owner"],
            outputPath: row["output_path"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
    }
}
