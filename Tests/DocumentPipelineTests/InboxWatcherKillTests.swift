import Foundation
import PaliTestSupport
import Testing

@testable import DocumentPipeline

/// A real `kill -9`: the watcher runs in a child process (this test binary, running only
/// `childWatcher`), is killed mid-document, and a watcher in this process takes over.
@Suite struct InboxWatcherKillTests {
    /// Set in the child's environment: the fixture folder to watch.
    static let childVariable = "PALIDOC_TEST_WATCH_CHILD"

    @Test func killDashNineMidDocumentThenRestart() async throws {
        let fixture = try WatcherFixture()
        let settings = ["pages": "8"]
        try fixture.drop("big.pdf", settings)
        let hash = WatcherFixture.hash("big.pdf", settings)
        let child = try fixture.startChild(running: "childWatcher", variable: Self.childVariable)
        defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }
        try await fixture.eventually("two pages in the child", limit: 180) {
            try await fixture.store.completedPages(contentHash: hash).count >= 2
        }
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal && child.terminationStatus == SIGKILL)

        let finished = try await fixture.store.completedPages(contentHash: hash)
        let resumeAt = ProcessingContext.firstUnfinishedPage(finished)
        #expect(resumeAt >= 2 && resumeAt < 8)
        #expect(fixture.files(in: fixture.layout.processing) == ["big.pdf"])
        #expect(try await fixture.store.job(contentHash: hash)?.state == .processing)

        let log = ProcessorLog()
        try await fixture.runUntilIdle(fixture.watcher(FakeProcessor(log: log)))
        #expect(log.starts("big.pdf") == [resumeAt])
        #expect(log.completions("big.pdf") == Array(resumeAt..<8))
        #expect(try fixture.resultPages("big") == (0..<8).map { "page-\($0).txt" })
        fixture.expectAccounted(done: ["big.pdf"], failed: [])
        let job = try #require(try await fixture.store.job(contentHash: hash))
        #expect(job.state == .done && job.attempts == 2)
    }

    /// The child side: watches the fixture folder named by the environment and hangs on page 3
    /// of `big.pdf` (pages 0–2 finished), so the parent's kill lands mid-document however
    /// slowly a busy test runner lets it look, until killed. Skipped in ordinary runs.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[childVariable] != nil))
    func childWatcher() async throws {
        let root = URL(
            fileURLWithPath: try #require(ProcessInfo.processInfo.environment[Self.childVariable]))
        let store = try SQLiteJobStore(location: root.appendingPathComponent("state/jobs.sqlite"))
        let inbox = root.appendingPathComponent("inbox")
        let configuration = InboxWatcher.Configuration(
            inbox: inbox, output: root.appendingPathComponent("out"), pipelineName: "test",
            settleTime: 0.1, owner: "test-host:\(inbox.standardizedFileURL.path)")
        let watcher = InboxWatcher(
            configuration: configuration, store: store,
            processor: FakeProcessor(
                log: ProcessorLog(), pageDelay: 0.2, hangAt: (id: "big.pdf", page: 3)))
        try await watcher.run()
    }
}
