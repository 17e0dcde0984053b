import Foundation
import PaliTestSupport
import Synchronization
import Testing

@testable import DocumentPipeline

/// Failures, stops and restarts: nothing is lost and nothing is done twice.
@Suite struct InboxWatcherRecoveryTests {
    /// A run abandoned mid-document (as by `kill -9`: the processor never returns, no
    /// cleanup runs, the kernel drops the inbox lock) is resumed by the next watcher at the
    /// first unfinished page, keeping the pages already written.
    @Test func restartAfterAbandonedRunResumesAtTheFirstUnfinishedPage() async throws {
        let fixture = try WatcherFixture()
        let log = ProcessorLog()
        try fixture.drop("long.pdf", ["pages": "5"])
        try fixture.drop("other.pdf", ["pages": "2"])
        let first = fixture.watcher(FakeProcessor(log: log, hangAt: ("long.pdf", 2)))
        let abandoned = Task { try await first.run() }
        try await fixture.eventually("the hang at page 3") { log.isHung("long.pdf") }
        #expect(log.completions("long.pdf") == [0, 1])
        first.abandonLockForTesting()
        _ = abandoned  // never resumes, like a killed process

        let events = EventLog()
        let second = fixture.watcher(FakeProcessor(log: log), events: events)
        try await fixture.runUntilIdle(second)
        #expect(log.starts("long.pdf") == [0, 2])
        #expect(log.completions("long.pdf") == [0, 1, 2, 3, 4])
        #expect(log.completions("other.pdf") == [0, 1])
        #expect(events.all.contains(.recovered(file: "long.pdf")))
        #expect(events.all.contains(.processing(file: "long.pdf", attempt: 2, firstPage: 2)))
        #expect(try fixture.resultPages("long") == (0..<5).map { "page-\($0).txt" })
        fixture.expectAccounted(done: ["long.pdf", "other.pdf"], failed: [])
        let job = try #require(
            try await fixture.store.job(
                contentHash: WatcherFixture.hash("long.pdf", ["pages": "5"])))
        #expect(job.state == .done && job.attempts == 2 && job.pageCount == 5)
    }

    /// A stop request ends the run after the current page; the attempt does not count, and
    /// the next run carries on from the next page.
    @Test func stopFinishesTheCurrentPageThenTheNextRunResumes() async throws {
        let fixture = try WatcherFixture()
        let log = ProcessorLog()
        try fixture.drop("doc.pdf", ["pages": "4"])
        let events = EventLog()
        // The stop arrives while page 1 is being recorded, from the event it triggers.
        let current = Mutex<InboxWatcher?>(nil)
        let watcher = InboxWatcher(
            configuration: fixture.configuration(), store: fixture.store,
            processor: FakeProcessor(log: log)
        ) { event in
            events.handler(event)
            if case .pageCompleted(_, 0, _) = event { current.withLock { $0?.requestStop() } }
        }
        current.withLock { $0 = watcher }
        let summary = try await watcher.run()
        #expect(summary.stoppedOnRequest && summary.done == 0 && summary.failed == 0)
        #expect(log.completions("doc.pdf") == [0])
        #expect(fixture.files(in: fixture.layout.processing) == ["doc.pdf"])
        let hash = WatcherFixture.hash("doc.pdf", ["pages": "4"])
        let paused = try #require(try await fixture.store.job(contentHash: hash))
        #expect(paused.state == .queued && paused.attempts == 0 && paused.owner == nil)
        #expect(try await fixture.store.completedPages(contentHash: hash) == [0])
        #expect(events.all.last == .stopping)

        try await fixture.runUntilIdle(fixture.watcher(FakeProcessor(log: log)))
        #expect(log.completions("doc.pdf") == [0, 1, 2, 3])
        #expect(log.starts("doc.pdf") == [0, 1])
        fixture.expectAccounted(done: ["doc.pdf"], failed: [])
        #expect(try await fixture.store.job(contentHash: hash)?.attempts == 1)
    }

    /// SIGTERM through `stopOnSignals()` stops a running watcher cleanly.
    @Test func sigtermStopsTheWatcher() async throws {
        let fixture = try WatcherFixture()
        let watcher = fixture.watcher(FakeProcessor(log: ProcessorLog()))
        let trap = watcher.stopOnSignals()
        defer { trap.cancel() }
        let run = Task { try await watcher.run() }
        try await Task.sleep(nanoseconds: 200_000_000)
        kill(getpid(), SIGTERM)
        try await fixture.eventually("the stop") { watcher.isStopRequested }
        watcher.requestStop()  // so a missed signal fails the test instead of hanging it
        let summary = try await run.value
        #expect(summary.stoppedOnRequest)
    }

    /// Every failure path ends in `failed/` with a note giving reason, stage and page, or
    /// (transient once) in `done/`; the watcher carries on with the other files.
    @Test func failuresEndInFailedWithTheirReasons() async throws {
        let fixture = try WatcherFixture()
        let log = ProcessorLog()
        try fixture.drop("bad-page.pdf", ["pages": "3", "fail-at": "1"])
        try fixture.drop("generic.pdf", ["error": "generic"])
        try fixture.drop("busy-once.pdf", ["transient": "1", "pages": "2"])
        try fixture.drop("busy-always.pdf", ["transient": "99"])
        try fixture.drop("lazy.pdf", ["pages": "3", "skip": "1"])
        try "no end marker".write(
            to: fixture.inbox.appendingPathComponent("truncated.pdf"), atomically: true,
            encoding: .utf8)
        try Data().write(to: fixture.inbox.appendingPathComponent("empty.pdf"))
        try fixture.drop("good.pdf", ["pages": "2"])
        let summary = try await fixture.runUntilIdle(fixture.watcher(FakeProcessor(log: log)))
        #expect(summary.done == 2 && summary.failed == 6)
        #expect(summary.retriesScheduled == 3)
        fixture.expectAccounted(
            done: ["busy-once.pdf", "good.pdf"],
            failed: [
                "bad-page.pdf", "busy-always.pdf", "empty.pdf", "generic.pdf", "lazy.pdf",
                "truncated.pdf",
            ])

        func note(_ name: String) throws -> [String: Any] {
            try fixture.note(fixture.layout.failed.appendingPathComponent(name + ".error.json"))
        }
        let badPage = try note("bad-page.pdf")
        #expect(badPage["reason"] as? String == "page image unreadable")
        #expect(badPage["stage"] as? String == "render")
        #expect(badPage["page"] as? Int == 2)
        #expect(badPage["transient"] as? Bool == false)
        #expect(badPage["attempts"] as? Int == 1)
        #expect(badPage["file"] as? String == "bad-page.pdf")
        let busy = try note("busy-always.pdf")
        #expect(busy["attempts"] as? Int == 3 && busy["transient"] as? Bool == true)
        #expect(busy["stage"] as? String == "inference")
        #expect(log.starts("busy-always.pdf").count == 3)
        #expect(log.starts("busy-once.pdf").count == 2)
        let generic = try note("generic.pdf")
        #expect(generic["stage"] as? String == "open" && generic["page"] == nil)
        #expect((generic["reason"] as? String)?.contains("PlainError") == true)
        let lazy = try note("lazy.pdf")
        #expect((lazy["reason"] as? String)?.contains("page 2 of 3 unfinished") == true)
        #expect(lazy["page"] as? Int == 2)
        #expect(try note("truncated.pdf")["reason"] as? String == "truncated input")
        #expect(try note("empty.pdf")["content_sha256"] as? String == SHA256.hexDigest(of: Data()))
        // Failed documents leave no result folders.
        let results = try FileManager.default.contentsOfDirectory(atPath: fixture.output.path)
            .filter { !$0.hasPrefix(".") }.sorted()
        #expect(results == ["busy-once", "good"])
        let failedJobs = try await fixture.store.jobs(in: [.failed])
        #expect(failedJobs.count == 6)
    }

    /// Dropping content that failed before tries it again (the user fixed something).
    @Test func failedContentDroppedAgainIsRetried() async throws {
        let fixture = try WatcherFixture()
        let log = ProcessorLog()
        try fixture.drop("x.pdf", id: "x", ["transient": "3"])
        try await fixture.runUntilIdle(fixture.watcher(FakeProcessor(log: log)))
        #expect(fixture.files(in: fixture.layout.failed) == ["x.pdf", "x.pdf.error.json"])
        try fixture.drop("x.pdf", id: "x", ["transient": "3"])
        try await fixture.runUntilIdle(fixture.watcher(FakeProcessor(log: log)))
        // Attempts start over at 1, so the 4th overall call (attempt 1 again) still fails
        // transiently, then attempts 2 and 3 fail too: the bound applies per drop.
        #expect(log.starts("x").count == 6)
        #expect(
            fixture.files(in: fixture.layout.failed)
                == ["x-2.pdf", "x-2.pdf.error.json", "x.pdf", "x.pdf.error.json"])
        let arrivals = try await fixture.store.arrivals(
            contentHash: WatcherFixture.hash("x", ["transient": "3"]))
        #expect(arrivals.map(\.disposition) == [.accepted, .reprocessed])
    }

    /// A document that was cut short (crash, kill) as many times as attempts are allowed is
    /// given up on instead of crashing the watcher forever.
    @Test func documentInterruptedTooOftenIsGivenUpOn() async throws {
        let fixture = try WatcherFixture()
        let log = ProcessorLog()
        let configuration = fixture.configuration()
        try fixture.layout.prepare()
        let hash = try await fixture.leaveInProcessing("killer.pdf", ["pages": "3"])
        for _ in 0..<3 {
            _ = try await fixture.store.claim(
                contentHash: hash, owner: configuration.owner, at: Date())
            try await fixture.store.completePage(
                0, contentHash: hash, owner: configuration.owner, at: Date())
            _ = try await fixture.store.releaseClaims(
                owner: configuration.owner, refundAttempt: false, at: Date())
        }
        try await fixture.runUntilIdle(fixture.watcher(FakeProcessor(log: log), configuration))
        #expect(log.totalStarts == 0)
        fixture.expectAccounted(done: [], failed: ["killer.pdf"])
        let note = try fixture.note(
            fixture.layout.failed.appendingPathComponent("killer.pdf.error.json"))
        #expect((note["reason"] as? String)?.contains("gave up after 3 attempts") == true)
        #expect(note["page"] as? Int == 2)
    }

    /// Files whose job finished just before an interruption are filed away without being
    /// processed again; a published result is not published twice.
    @Test func finishedWorkLeftInProcessingIsFiledAway() async throws {
        let fixture = try WatcherFixture()
        let log = ProcessorLog()
        let owner = fixture.configuration().owner
        try fixture.layout.prepare()
        // Crash after markDone, before the move to done/.
        let doneHash = try await fixture.leaveInProcessing("done.pdf")
        _ = try await fixture.store.claim(contentHash: doneHash, owner: owner, at: Date())
        try await fixture.store.markDone(contentHash: doneHash, owner: owner, at: Date())
        // Crash after the results were renamed into place, before markDone.
        let publishedHash = try await fixture.leaveInProcessing("published.pdf")
        let result = fixture.output.appendingPathComponent("published")
        try FileManager.default.createDirectory(at: result, withIntermediateDirectories: true)
        _ = try await fixture.store.claim(contentHash: publishedHash, owner: owner, at: Date())
        try await fixture.store.setOutputPath(
            result.path, contentHash: publishedHash, owner: owner, at: Date())

        try await fixture.runUntilIdle(fixture.watcher(FakeProcessor(log: log)))
        #expect(log.totalStarts == 0)
        fixture.expectAccounted(done: ["done.pdf", "published.pdf"], failed: [])
        #expect(try await fixture.store.job(contentHash: publishedHash)?.state == .done)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: fixture.output.path).filter {
                !$0.hasPrefix(".")
            } == ["published"])
    }

    /// An error note left by an interrupted filing (note written, file not yet moved) is
    /// reused rather than duplicated.
    @Test func interruptedFilingReusesItsNote() async throws {
        let fixture = try WatcherFixture()
        let owner = fixture.configuration().owner
        try fixture.layout.prepare()
        let hash = try await fixture.leaveInProcessing("bad.pdf")
        let job = try #require(
            try await fixture.store.claim(contentHash: hash, owner: owner, at: Date()))
        let failure = JobFailure(reason: "corrupt", stage: .open)
        try await fixture.store.markFailed(
            contentHash: hash, owner: owner, failure: failure, retryAt: nil, at: Date())
        try InboxReport.failure(file: "bad.pdf", job: job, failure: failure, at: Date())
            .write(to: fixture.layout.failed.appendingPathComponent("bad.pdf.error.json"))
        try await fixture.runUntilIdle(fixture.watcher(FakeProcessor(log: ProcessorLog())))
        fixture.expectAccounted(done: [], failed: ["bad.pdf"])
    }

    /// A queued job whose claimed file was lost (removed from `.processing/` by hand) is
    /// resumed by the next copy of its content instead of blocking it as a duplicate.
    @Test func orphanedJobIsTakenOverByANewCopy() async throws {
        let fixture = try WatcherFixture()
        let log = ProcessorLog()
        let owner = fixture.configuration().owner
        let settings = ["pages": "3"]
        let hash = WatcherFixture.hash("orphan", settings)
        _ = try await fixture.store.register(
            contentHash: hash, originalName: "lost.pdf", at: Date())
        _ = try await fixture.store.claim(contentHash: hash, owner: owner, at: Date())
        try await fixture.store.completePage(0, contentHash: hash, owner: owner, at: Date())
        try fixture.drop("again.pdf", id: "orphan", settings)
        try await fixture.runUntilIdle(fixture.watcher(FakeProcessor(log: log)))
        #expect(log.starts("orphan") == [1])
        fixture.expectAccounted(done: ["again.pdf"], failed: [])
        #expect(try await fixture.store.job(contentHash: hash)?.state == .done)
    }

    /// Store failures at any step leave the file in `.processing/` and are retried: each
    /// document still ends in `done/` exactly once, and no page is processed twice.
    @Test(arguments: ["register", "claim", "completePage", "setOutputPath", "markDone"])
    func storeHiccupsLoseNothing(failingCall: String) async throws {
        let fixture = try WatcherFixture()
        let log = ProcessorLog()
        let store = FlakyJobStore(fixture.store, failOnce: [failingCall])
        try fixture.drop("doc.pdf", ["pages": "3"])
        let events = EventLog()
        let watcher = InboxWatcher(
            configuration: fixture.configuration(), store: store,
            processor: FakeProcessor(log: log), onEvent: events.handler)
        try await fixture.runUntilIdle(watcher)
        fixture.expectAccounted(done: ["doc.pdf"], failed: [])
        // A page whose record failed is done again; no other page is.
        let expected = failingCall == "completePage" ? [0, 0, 1, 2] : [0, 1, 2]
        #expect(log.completions("doc.pdf") == expected)
        #expect(try fixture.resultPages("doc") == ["page-0.txt", "page-1.txt", "page-2.txt"])
        #expect(events.all.contains { if case .problem = $0 { true } else { false } })
        let job = try #require(try await fixture.store.jobs(in: [.done]).first)
        #expect(job.outputPath == fixture.output.appendingPathComponent("doc").path)
    }

    /// A claim left by a predecessor under another owner name (say, a container that came
    /// back with a new host name) is taken over once it has been idle for the stale-claim
    /// timeout; until then the file waits (time on the watcher's clock, moved in steps).
    @Test func staleClaimOfAnotherOwnerIsTakenOver() async throws {
        let fixture = try WatcherFixture()
        let log = ProcessorLog()
        try fixture.layout.prepare()
        let settings = ["pages": "3"]
        let hash = try await fixture.leaveInProcessing("stale.pdf", settings)
        // The predecessor's last progress is the watcher clock's start.
        let clock = ManualWatchClock()
        _ = try await fixture.store.claim(contentHash: hash, owner: "old-host", at: clock.now())
        try await fixture.store.completePage(
            0, contentHash: hash, owner: "old-host", at: clock.now())
        var configuration = fixture.configuration(clock: clock)
        configuration.staleClaimTimeout = 0.6
        configuration.rescanInterval = 0.1
        let events = EventLog()
        let started = clock.now()
        try await fixture.runUntilIdle(
            fixture.watcher(FakeProcessor(log: log), configuration, events: events), clock: clock,
            step: 0.05)
        #expect(clock.now().timeIntervalSince(started) >= 0.5)
        #expect(log.starts("stale.pdf") == [1])
        #expect(log.completions("stale.pdf") == [1, 2])
        fixture.expectAccounted(done: ["stale.pdf"], failed: [])
        #expect(
            events.all.contains { event in
                if case .problem(let text) = event {
                    text.contains("taking over the claim of old-host")
                } else {
                    false
                }
            })
    }
}
