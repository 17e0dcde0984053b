import Foundation
import GRDB
import PaliTestSupport
import Testing

@testable import DocumentPipeline

@Suite struct SQLiteJobStoreTests {
    let folder: TemporaryDirectory
    let store: SQLiteJobStore
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    init() throws {
        folder = try TemporaryDirectory("store")
        store = try SQLiteJobStore(location: folder.file("state/jobs.sqlite"))
    }

    @Test func registerCreatesOnceAndRecognisesKnownContent() async throws {
        let first = try await store.register(contentHash: "h1", originalName: "a.pdf", at: start)
        #expect(first.isNew)
        #expect(first.job.state == .queued && first.job.attempts == 0)
        #expect(first.job.originalName == "a.pdf" && first.job.createdAt == start)
        let second = try await store.register(
            contentHash: "h1", originalName: "copy.pdf", at: start + 5)
        #expect(!second.isNew)
        #expect(second.job.originalName == "a.pdf")
        try await store.recordArrival(
            Arrival(contentHash: "h1", fileName: "a.pdf", disposition: .accepted, at: start))
        try await store.recordArrival(
            Arrival(contentHash: "h1", fileName: "copy.pdf", disposition: .duplicate, at: start + 5)
        )
        let arrivals = try await store.arrivals(contentHash: "h1")
        #expect(arrivals.map(\.disposition) == [.accepted, .duplicate])
        #expect(arrivals.map(\.fileName) == ["a.pdf", "copy.pdf"])
    }

    @Test func claimIsExclusiveAndCountsAttempts() async throws {
        _ = try await store.register(contentHash: "h", originalName: "a.pdf", at: start)
        let claimed = try #require(try await store.claim(contentHash: "h", owner: "w1", at: start))
        #expect(claimed.state == .claimed && claimed.owner == "w1" && claimed.attempts == 1)
        #expect(try await store.claim(contentHash: "h", owner: "w2", at: start) == nil)
        #expect(try await store.claim(contentHash: "unknown", owner: "w1", at: start) == nil)
        await #expect(throws: JobStoreError.notOwner(contentHash: "h", owner: "w2")) {
            try await store.completePage(0, contentHash: "h", owner: "w2", at: start)
        }
        try await store.markProcessing(contentHash: "h", owner: "w1", at: start)
        try await store.setPageCount(3, contentHash: "h", owner: "w1", at: start)
        try await store.completePage(0, contentHash: "h", owner: "w1", at: start)
        try await store.completePage(1, contentHash: "h", owner: "w1", at: start)
        try await store.completePage(1, contentHash: "h", owner: "w1", at: start)  // idempotent
        #expect(try await store.completedPages(contentHash: "h") == [0, 1])
        let job = try #require(try await store.job(contentHash: "h"))
        #expect(job.state == .processing && job.pageCount == 3)
    }

    @Test func transientFailureWaitsForItsRetryTime() async throws {
        _ = try await store.register(contentHash: "h", originalName: "a.pdf", at: start)
        _ = try await store.claim(contentHash: "h", owner: "w", at: start)
        let failure = JobFailure(
            reason: "disk full", stage: .export, pageIndex: 2, isTransient: true)
        try await store.markFailed(
            contentHash: "h", owner: "w", failure: failure, retryAt: start + 10, at: start)
        let waiting = try #require(try await store.job(contentHash: "h"))
        #expect(waiting.state == .queued && waiting.owner == nil)
        #expect(waiting.lastFailure == failure && waiting.nextAttemptAt == start + 10)
        #expect(try await store.claim(contentHash: "h", owner: "w", at: start + 9) == nil)
        let again = try #require(
            try await store.claim(contentHash: "h", owner: "w", at: start + 10))
        #expect(again.attempts == 2 && again.nextAttemptAt == nil)
        try await store.markFailed(
            contentHash: "h", owner: "w",
            failure: JobFailure(reason: "corrupt", stage: .open), retryAt: nil, at: start + 11)
        let failed = try #require(try await store.job(contentHash: "h"))
        #expect(failed.state == .failed && failed.lastFailure?.reason == "corrupt")
        #expect(failed.lastFailure?.pageIndex == nil && failed.lastFailure?.isTransient == false)
        #expect(try await store.claim(contentHash: "h", owner: "w", at: start + 99) == nil)
        #expect(try await store.jobs(in: [.failed]).map(\.contentHash) == ["h"])
    }

    @Test func doneAndOutputPath() async throws {
        _ = try await store.register(contentHash: "h", originalName: "a.pdf", at: start)
        _ = try await store.claim(contentHash: "h", owner: "w", at: start)
        try await store.setOutputPath("/out/a", contentHash: "h", owner: "w", at: start)
        try await store.markDone(contentHash: "h", owner: "w", at: start + 1)
        let job = try #require(try await store.job(contentHash: "h"))
        #expect(job.state == .done && job.outputPath == "/out/a" && job.owner == nil)
        #expect(job.updatedAt == start + 1)
        await #expect(throws: JobStoreError.self) {
            try await store.markDone(contentHash: "h", owner: "w", at: start)
        }
    }

    @Test func resetStartsOver() async throws {
        _ = try await store.register(contentHash: "h", originalName: "a.pdf", at: start)
        _ = try await store.claim(contentHash: "h", owner: "w", at: start)
        try await store.completePage(0, contentHash: "h", owner: "w", at: start)
        try await store.markFailed(
            contentHash: "h", owner: "w", failure: JobFailure(reason: "x", stage: .open),
            retryAt: nil, at: start)
        let job = try await store.reset(contentHash: "h", originalName: "b.pdf", at: start + 1)
        #expect(job.state == .queued && job.attempts == 0 && job.lastFailure == nil)
        #expect(job.originalName == "b.pdf")
        #expect(try await store.completedPages(contentHash: "h").isEmpty)
        await #expect(throws: JobStoreError.unknownJob("nope")) {
            try await store.reset(contentHash: "nope", originalName: "x", at: start)
        }
    }

    @Test func releaseClaimsKeepsPagesAndRefundsOnlyCleanStops() async throws {
        for hash in ["a", "b", "c"] {
            _ = try await store.register(contentHash: hash, originalName: hash, at: start)
        }
        _ = try await store.claim(contentHash: "a", owner: "w", at: start)
        try await store.completePage(0, contentHash: "a", owner: "w", at: start)
        _ = try await store.claim(contentHash: "b", owner: "other", at: start)
        let crashed = try await store.releaseClaims(owner: "w", refundAttempt: false, at: start)
        #expect(crashed.map(\.contentHash) == ["a"])
        #expect(crashed[0].state == .queued && crashed[0].attempts == 1 && crashed[0].owner == nil)
        #expect(try await store.completedPages(contentHash: "a") == [0])
        #expect(try await store.job(contentHash: "b")?.owner == "other")
        _ = try await store.claim(contentHash: "a", owner: "w", at: start)
        let stopped = try await store.releaseClaims(owner: "w", refundAttempt: true, at: start)
        #expect(stopped[0].attempts == 1)
    }

    @Test func singleClaimReleaseIsCompareAndSet() async throws {
        _ = try await store.register(contentHash: "h", originalName: "a", at: start)
        _ = try await store.claim(contentHash: "h", owner: "w", at: start)
        try await store.completePage(0, contentHash: "h", owner: "w", at: start + 7)
        #expect(try await store.job(contentHash: "h")?.updatedAt == start + 7)  // heartbeat
        #expect(try await store.releaseClaim(contentHash: "h", owner: "other", at: start) == false)
        #expect(try await store.releaseClaim(contentHash: "h", owner: "w", at: start + 8))
        let job = try #require(try await store.job(contentHash: "h"))
        #expect(job.state == .queued && job.owner == nil && job.attempts == 1)
    }

    /// Everything committed survives closing and reopening; the database is in WAL mode.
    @Test func durableAcrossReopen() async throws {
        _ = try await store.register(contentHash: "h", originalName: "a.pdf", at: start)
        _ = try await store.claim(contentHash: "h", owner: "w", at: start)
        try await store.completePage(4, contentHash: "h", owner: "w", at: start)
        let location = folder.file("state/jobs.sqlite")
        #expect(FileManager.default.fileExists(atPath: location.path + "-wal"))
        let reopened = try SQLiteJobStore(location: location)
        #expect(try await reopened.job(contentHash: "h")?.state == .claimed)
        #expect(try await reopened.completedPages(contentHash: "h") == [4])
    }

    /// A row whose state this version does not know (a newer writer, or a damaged file) is
    /// an error naming the job and the value, never read as some other state.
    @Test func unknownStateIsAnError() async throws {
        _ = try await store.register(contentHash: "h", originalName: "a.pdf", at: start)
        let location = folder.file("state/jobs.sqlite")
        let queue = try DatabaseQueue(path: location.path)
        try await queue.write { db in
            try db.execute(sql: "UPDATE jobs SET state = 'archived' WHERE content_hash = 'h'")
        }
        await #expect(
            throws: JobStoreError.unreadableJob(contentHash: "h", reason: "unknown state 'archived'")
        ) { try await store.job(contentHash: "h") }
    }

    @Test func unusableLocationIsReported() throws {
        let blocker = folder.file("file")
        try Data("x".utf8).write(to: blocker)
        #expect(throws: JobStoreError.self) {
            try SQLiteJobStore(location: blocker.appendingPathComponent("jobs.sqlite"))
        }
    }
}
