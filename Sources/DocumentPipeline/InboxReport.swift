import DocumentModel
import Foundation

/// The JSON note a watcher leaves beside a file it moved out of the inbox:
/// `failed/<name>.error.json` (why it failed), `done/<name>.duplicate.json` (which earlier
/// file had the same content) or `done/<name>.repaired.json` (converted from a damaged file
/// that was repaired: what was wrong, pages recovered).
struct InboxReport: Codable, Equatable {
    /// `"failed"`, `"duplicate"` or `"done"`.
    var outcome: String
    /// The file's name when it arrived.
    var file: String
    /// SHA-256 of its content (absent when the file could not be read).
    var contentSHA256: String?
    /// Failure reason (failed only).
    var reason: String?
    /// Failed processing step (failed only).
    var stage: ProcessingStage?
    /// 1-based page number the failure belongs to, if any (failed only).
    var page: Int?
    /// Whether the last failure was of a transient kind (failed only).
    var transient: Bool?
    /// Attempts made (failed only).
    var attempts: Int?
    /// Name under which the content first arrived (duplicate only).
    var duplicateOf: String?
    /// State of the first copy's job (duplicate only).
    var duplicateState: JobState?
    /// Where the first copy's results are, if published (duplicate), or this file's (done).
    var output: String?
    /// What the conversion found about the file itself (done only).
    var warnings: [DocumentWarning]?
    /// When the note was written (ISO 8601, UTC).
    var at: Date

    enum CodingKeys: String, CodingKey {
        case outcome, file, reason, stage, page, transient, attempts, output, warnings, at
        case contentSHA256 = "content_sha256"
        case duplicateOf = "duplicate_of"
        case duplicateState = "duplicate_state"
    }

    /// The note for a job that failed for good.
    static func failure(file: String, job: Job, failure: JobFailure, at date: Date) -> InboxReport {
        InboxReport(
            outcome: "failed", file: file, contentSHA256: job.contentHash, reason: failure.reason,
            stage: failure.stage, page: failure.pageIndex.map { $0 + 1 },
            transient: failure.isTransient, attempts: job.attempts, at: date)
    }

    /// The note for a second copy of known content.
    static func duplicate(file: String, original: Job, at date: Date) -> InboxReport {
        InboxReport(
            outcome: "duplicate", file: file, contentSHA256: original.contentHash,
            duplicateOf: original.originalName, duplicateState: original.state,
            output: original.outputPath, at: date)
    }

    /// The note for a file converted with warnings (a damaged file that was repaired).
    static func done(
        file: String, job: Job, output: URL, warnings: [DocumentWarning], at date: Date
    ) -> InboxReport {
        InboxReport(
            outcome: "done", file: file, contentSHA256: job.contentHash, output: output.path,
            warnings: warnings, at: date)
    }

    /// Writes the note to `url` atomically (a hidden temp file renamed into place, never
    /// over an existing file).
    func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        try (try encoder.encode(self) + Data("\n".utf8)).write(to: temporary)
        do {
            try FileMover.renameNoReplace(temporary, to: url)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}

extension InboxReport {
    /// Reads a note written by `write(to:)`.
    static func read(from url: URL) throws -> InboxReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(InboxReport.self, from: Data(contentsOf: url))
    }
}
