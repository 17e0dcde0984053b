import DocumentPipeline
import Foundation
import Logging
import PostgresNIO

/// The database schema: versioned migrations, applied at start in one transaction under an
/// advisory lock, so workers starting together apply each migration once.
extension PostgresJobStore {
    /// The schema version this palidoc writes.
    public static let schemaVersion = 2

    /// The migrations: number i takes version i to i + 1 (statements end with `;` and a
    /// line break).
    static let migrations = [
        """
        CREATE TABLE palidoc_schema (version int NOT NULL);
        INSERT INTO palidoc_schema (version) VALUES (0);
        CREATE TABLE blobs (
            sha256 text PRIMARY KEY,
            byte_count bigint NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE blob_chunks (
            sha256 text NOT NULL REFERENCES blobs ON DELETE CASCADE,
            seq int NOT NULL,
            data bytea NOT NULL,
            PRIMARY KEY (sha256, seq)
        );
        CREATE TABLE queue_jobs (
            id bigserial PRIMARY KEY,
            content_sha256 text NOT NULL REFERENCES blobs,
            original_name text NOT NULL,
            pipeline_name text NOT NULL,
            pipeline_hash text NOT NULL,
            pipeline_yaml text NOT NULL,
            model_identity text NOT NULL,
            priority int NOT NULL DEFAULT 0,
            state text NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'running', 'done', 'failed')),
            page_count int NOT NULL,
            max_attempts int NOT NULL,
            initial_backoff double precision NOT NULL,
            max_backoff double precision NOT NULL,
            failure text,
            created_at timestamptz NOT NULL DEFAULT now(),
            finished_at timestamptz,
            UNIQUE (content_sha256, pipeline_hash)
        );
        CREATE TABLE queue_chunks (
            job_id bigint NOT NULL REFERENCES queue_jobs ON DELETE CASCADE,
            seq int NOT NULL,
            kind text NOT NULL CHECK (kind IN ('pages', 'assemble')),
            first_page int NOT NULL,
            page_count int NOT NULL,
            state text NOT NULL
                CHECK (state IN ('waiting', 'queued', 'running', 'done', 'failed')),
            attempts int NOT NULL DEFAULT 0,
            run_after timestamptz NOT NULL DEFAULT now(),
            lease_token text,
            lease_owner text,
            lease_expires_at timestamptz,
            claimed_at timestamptz,
            last_error text,
            PRIMARY KEY (job_id, seq)
        );
        CREATE INDEX queue_chunks_claimable ON queue_chunks (run_after) WHERE state = 'queued';
        CREATE INDEX queue_chunks_leased ON queue_chunks (lease_expires_at)
            WHERE state = 'running';
        CREATE TABLE queue_page_results (
            job_id bigint NOT NULL REFERENCES queue_jobs ON DELETE CASCADE,
            page_index int NOT NULL,
            result bytea NOT NULL,
            worker text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (job_id, page_index)
        );
        CREATE INDEX queue_page_results_by_time ON queue_page_results (created_at);
        CREATE TABLE queue_outputs (
            job_id bigint NOT NULL REFERENCES queue_jobs ON DELETE CASCADE,
            path text NOT NULL,
            sha256 text NOT NULL REFERENCES blobs,
            byte_count bigint NOT NULL,
            PRIMARY KEY (job_id, path)
        );
        CREATE TABLE queue_workers (
            id text PRIMARY KEY,
            model_identity text NOT NULL,
            last_seen timestamptz NOT NULL DEFAULT now()
        )
        """,
        // A blob's file in a blob folder (the folder's id), or its chunks when NULL.
        """
        ALTER TABLE blobs ADD COLUMN folder text
        """,
    ]

    /// Brings the schema to `schemaVersion`; refuses a database written by a newer palidoc.
    static func migrate(_ connection: PostgresConnection, location: String) async throws {
        let logger = Logger(label: "palidoc.store", factory: { _ in SwiftLogNoOpLogHandler() })
        // A worker whose role may not create tables must still start on a current schema:
        // look before taking the lock or writing anything.
        if let version = try await version(connection, logger: logger) {
            if version > schemaVersion { throw newer(version, location: location) }
            if version == schemaVersion { return }
        }
        try await connection.withTransaction(logger: logger) { connection in
            try await connection.query(
                "SELECT pg_advisory_xact_lock(hashtext('palidoc schema'))", logger: logger)
            let current = try await version(connection, logger: logger) ?? 0
            if current > schemaVersion { throw newer(current, location: location) }
            for index in current..<schemaVersion {
                // One statement per query: the extended protocol takes no more.
                for statement in migrations[index].components(separatedBy: ";\n")
                where !statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "UPDATE palidoc_schema SET version = \(index + 1)", logger: logger)
            }
        }
    }

    /// The schema version, or `nil` when the database has no palidoc tables.
    private static func version(_ connection: PostgresConnection, logger: Logger) async throws
        -> Int?
    {
        // pg_tables reads the catalog with the statement's snapshot, so a table created by a
        // migration that held the lock before is seen (to_regclass may miss it).
        let exists = try await connection.query(
            """
            SELECT EXISTS (SELECT 1 FROM pg_tables
                WHERE schemaname = current_schema() AND tablename = 'palidoc_schema')
            """, logger: logger
        ).collect()
        guard try exists.first?.decode(Bool.self) == true else { return nil }
        let rows = try await connection.query(
            "SELECT max(version) FROM palidoc_schema", logger: logger
        ).collect()
        return try rows.first?.decode(Int?.self) ?? 0
    }

    private static func newer(_ version: Int, location: String) -> JobStoreError {
        .unavailable(
            location: location,
            reason: "the database has schema version \(version), newer than this palidoc's "
                + "\(schemaVersion); upgrade palidoc on this machine")
    }
}
