import DocumentPipeline
import Foundation
import Logging
import PostgresNIO

/// Content-addressed blobs, in `bytea` chunks of 1 MiB or as files in a blob folder, checked
/// against their SHA-256 on read; output records; status and pruning.
extension PostgresJobStore {
    /// Stores a blob where `folder` says (the database when `nil`) unless it is there. A blob
    /// already recorded stays where it is and counts as new for pruning; its row is locked
    /// until the transaction ends, so a prune deleting it either finished first (the blob is
    /// stored again) or waits.
    static func insertBlob(
        _ connection: PostgresConnection, _ data: Data, sha256: String, folder: BlobFolder?,
        logger: Logger
    ) async throws {
        while true {
            let inserted = try await connection.query(
                """
                INSERT INTO blobs (sha256, byte_count, folder)
                VALUES (\(sha256), \(data.count), \(folder?.id))
                ON CONFLICT DO NOTHING RETURNING 1
                """, logger: logger
            ).collect()
            if !inserted.isEmpty {
                if let folder { return try folder.write(data, sha256: sha256) }
                for (seq, start) in stride(from: 0, to: max(data.count, 1), by: blobChunkBytes)
                    .enumerated()
                {
                    let piece = data.subdata(in: start..<min(start + blobChunkBytes, data.count))
                    try await connection.query(
                        """
                        INSERT INTO blob_chunks (sha256, seq, data)
                        VALUES (\(sha256), \(seq), \(piece))
                        """, logger: logger)
                }
                return
            }
            let existing = try await connection.query(
                "UPDATE blobs SET created_at = now() WHERE sha256 = \(sha256) RETURNING folder",
                logger: logger
            ).collect()
            // Gone between the two statements (pruned): insert it again.
            guard let row = existing.first else { continue }
            // A file in this store's folder is written again when it went missing or bad.
            if let folder, try row.decode(String?.self) == folder.id {
                try folder.write(data, sha256: sha256)
            }
            return
        }
    }

    public func putBlob(_ data: Data) async throws -> String {
        let sha = SHA256.hexDigest(of: data)
        try await transaction { connection in
            try await Self.insertBlob(
                connection, data, sha256: sha, folder: self.blobFolder, logger: self.logger)
        }
        return sha
    }

    public func blob(_ sha256: String) async throws -> Data {
        let (found, folder, data) = try await run { [client, logger] in
            var found = false
            var folder: String?
            var data = Data()
            for try await (place, piece) in try await client.query(
                """
                SELECT b.folder, c.data FROM blobs b
                LEFT JOIN blob_chunks c ON c.sha256 = b.sha256
                WHERE b.sha256 = \(sha256) ORDER BY c.seq
                """, logger: logger
            ).decode((String?, Data?).self) {
                found = true
                folder = place
                if let piece { data.append(piece) }
            }
            return (found, folder, data)
        }
        guard found else { throw BlobError.missing(sha256: sha256, path: nil) }
        guard let folder else {
            guard SHA256.hexDigest(of: data) == sha256 else {
                throw BlobError.corrupt(sha256: sha256, path: nil)
            }
            return data
        }
        guard let here = blobFolder, here.id == folder else {
            throw BlobError.elsewhere(
                sha256: sha256, folder: folder, here: blobFolder?.description)
        }
        return try here.read(sha256)
    }

    public func outputs(jobID: Int64) async throws -> [JobOutput] {
        try await run { [client, logger] in
            var outputs: [JobOutput] = []
            for try await (path, sha, count) in try await client.query(
                """
                SELECT path, sha256, byte_count FROM queue_outputs WHERE job_id = \(jobID)
                ORDER BY path
                """, logger: logger
            ).decode((String, String, Int).self) {
                outputs.append(JobOutput(path: path, sha256: sha, byteCount: count))
            }
            return outputs
        }
    }

    public func status() async throws -> QueueStatus {
        try await run { [client, logger] in
            var counts: [String: Int] = [:]
            for try await (state, count) in try await client.query(
                "SELECT state, count(*)::int FROM queue_jobs GROUP BY state", logger: logger
            ).decode((String, Int).self) {
                counts[state] = count
            }
            var running: [QueueStatus.Running] = []
            for try await (job, name, kind, first, pages, owner, age) in try await client.query(
                """
                SELECT c.job_id, j.original_name, c.kind, c.first_page, c.page_count,
                    coalesce(c.lease_owner, '?'),
                    extract(epoch FROM now() - c.claimed_at)::float8
                FROM queue_chunks c JOIN queue_jobs j ON j.id = c.job_id
                WHERE c.state = 'running' ORDER BY c.claimed_at
                """, logger: logger
            ).decode((Int64, String, String, Int, Int, String, Double).self) {
                running.append(
                    QueueStatus.Running(
                        jobID: job, name: name, firstPage: kind == "assemble" ? nil : first + 1,
                        pageCount: pages, owner: owner, ageSeconds: age))
            }
            var failed: [QueueStatus.Failed] = []
            for try await (job, name, reason) in try await client.query(
                """
                SELECT id, original_name, coalesce(failure, '') FROM queue_jobs
                WHERE state = 'failed' ORDER BY finished_at DESC LIMIT 50
                """, logger: logger
            ).decode((Int64, String, String).self) {
                failed.append(QueueStatus.Failed(jobID: job, name: name, reason: reason))
            }
            let pages = try await client.query(
                """
                SELECT count(*)::int FROM queue_page_results
                WHERE created_at > now() - interval '1 hour'
                """, logger: logger
            ).collect()
            var waiting: [QueueStatus.Waiting] = []
            for try await (job, name, model, age) in try await client.query(
                """
                SELECT j.id, j.original_name, j.model_identity,
                    extract(epoch FROM now() - j.created_at)::float8
                FROM queue_jobs j WHERE j.state IN ('queued', 'running') AND EXISTS (
                    SELECT 1 FROM queue_chunks c WHERE c.job_id = j.id AND c.state = 'queued')
                ORDER BY j.id LIMIT 50
                """, logger: logger
            ).decode((Int64, String, String, Double).self) {
                waiting.append(
                    QueueStatus.Waiting(jobID: job, name: name, model: model, waitingSeconds: age))
            }
            var workers: [QueueStatus.Worker] = []
            for try await (id, model, age) in try await client.query(
                """
                SELECT id, model_identity, extract(epoch FROM now() - last_seen)::float8
                FROM queue_workers WHERE last_seen > now() - interval '5 minutes' ORDER BY id
                """, logger: logger
            ).decode((String, String, Double).self) {
                workers.append(QueueStatus.Worker(id: id, model: model, lastSeenSeconds: age))
            }
            return QueueStatus(
                queued: counts["queued"] ?? 0, runningJobs: counts["running"] ?? 0,
                running: running, done: counts["done"] ?? 0, failed: failed,
                pagesLastHour: try pages.first?.decode(Int.self) ?? 0, waiting: waiting,
                workers: workers)
        }
    }

    public func prune(olderThan seconds: Double) async throws -> (jobs: Int, blobs: Int) {
        try await transaction { connection in
            let jobs = try await connection.query(
                """
                WITH gone AS (
                    DELETE FROM queue_jobs WHERE state IN ('done', 'failed')
                        AND finished_at < now() - make_interval(secs => \(seconds))
                    RETURNING 1
                )
                SELECT count(*)::int FROM gone
                """, logger: self.logger
            ).collect()
            // Blobs in a folder this store cannot reach stay: their files could not go too.
            // Files are deleted while their rows are locked by the delete, so a blob stored
            // again meanwhile waits and then writes its file anew.
            let blobs = try await connection.query(
                """
                DELETE FROM blobs b
                WHERE b.created_at < now() - make_interval(secs => \(seconds))
                    AND (b.folder IS NULL OR b.folder = \(self.blobFolder?.id))
                    AND NOT EXISTS (SELECT 1 FROM queue_jobs j WHERE j.content_sha256 = b.sha256)
                    AND NOT EXISTS (SELECT 1 FROM queue_outputs o WHERE o.sha256 = b.sha256)
                RETURNING b.sha256, b.folder IS NOT NULL
                """, logger: self.logger
            ).collect()
            for row in blobs {
                let (sha, inFolder) = try row.decode((String, Bool).self)
                if inFolder { try self.blobFolder?.remove(sha) }
            }
            return (try jobs.first?.decode(Int.self) ?? 0, blobs.count)
        }
    }
}
