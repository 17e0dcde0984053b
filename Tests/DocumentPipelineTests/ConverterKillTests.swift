import DocumentExport
import Foundation
import PaliTestSupport
import Testing

@testable import DocumentPipeline

/// `kill -9` in the middle of a real conversion: the child (this test binary running only
/// `childRealWatcher`) converts a 4-page PDF with the real engine, slowed down, and is killed
/// after two pages; a watcher here resumes at the first unfinished page.
@Suite struct ConverterKillTests {
    static let childVariable = "PALIDOC_TEST_REAL_WATCH_CHILD"

    static func configuration(_ root: URL) -> InboxWatcher.Configuration {
        let inbox = root.appendingPathComponent("inbox")
        return InboxWatcher.Configuration(
            inbox: inbox, output: root.appendingPathComponent("out"), pipelineName: "e2e",
            settleTime: 0.1, owner: "test-host:\(inbox.standardizedFileURL.path)")
    }

    @Test func killDashNineMidDocumentThenResume() async throws {
        let fixture = try WatcherFixture()
        let source = FixturePaths.fixture("ingest/mixed.pdf")
        try FileManager.default.copyItem(
            at: source, to: fixture.inbox.appendingPathComponent("mixed.pdf"))
        let hash = try SHA256.hexDigest(ofFileAt: source)
        let child = try fixture.startChild(
            running: "childRealWatcher", variable: Self.childVariable)
        defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }
        try await fixture.eventually("two pages in the child", limit: 180) {
            try await fixture.store.completedPages(contentHash: hash).count >= 2
        }
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal)
        let finished = try await fixture.store.completedPages(contentHash: hash)
        let resumeAt = ProcessingContext.firstUnfinishedPage(finished)
        #expect(resumeAt >= 2 && resumeAt < 4)

        let events = EventLog()
        let converter = try DocumentConverter(
            pipeline: RealEngine.pipeline, engine: try RealEngine.engine())
        let watcher = InboxWatcher(
            configuration: Self.configuration(fixture.folder.url), store: fixture.store,
            processor: converter, onEvent: events.handler)
        try await fixture.runUntilIdle(watcher, limit: 180)
        let starts = events.all.compactMap { event -> Int? in
            if case .processing(_, _, let first) = event { return first } else { return nil }
        }
        #expect(starts == [resumeAt])
        fixture.expectAccounted(done: ["mixed.pdf"], failed: [])
        let job = try #require(try await fixture.store.job(contentHash: hash))
        #expect(job.state == .done && job.attempts == 2 && job.pageCount == 4)
        let folder = URL(fileURLWithPath: try #require(job.outputPath))
        let document = try JSONExporter.read(folder.appendingPathComponent("mixed.json"))
        #expect(document.pages.map(\.number) == [1, 2, 3, 4])
        let validator = try JSONSchemaValidator(schema: DocumentSchema.json)
        #expect(
            validator.violations(
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: folder.appendingPathComponent("mixed.json")))) == [])
        _ = try Markup.parseXML(
            String(
                contentsOf: folder.appendingPathComponent("mixed.alto.xml"), encoding: .utf8))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: fixture.output.path)
                .filter { !$0.hasPrefix(".") } == ["mixed"])
    }

    /// The child: the real converter, 1.5 s per engine call, stalled once two pages are
    /// finished (so the parent's kill lands mid-document however busy the machine is), until
    /// killed. Skipped normally.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[childVariable] != nil))
    func childRealWatcher() async throws {
        let root = URL(
            fileURLWithPath: try #require(ProcessInfo.processInfo.environment[Self.childVariable]))
        let store = try SQLiteJobStore(location: root.appendingPathComponent("state/jobs.sqlite"))
        let hash = try SHA256.hexDigest(ofFileAt: FixturePaths.fixture("ingest/mixed.pdf"))
        let converter = try DocumentConverter(
            pipeline: RealEngine.pipeline,
            engine: SlowEngine(inner: try RealEngine.engine(), delay: 1.5) {
                ((try? await store.completedPages(contentHash: hash))?.count ?? 0) >= 2
            })
        let watcher = InboxWatcher(
            configuration: Self.configuration(root), store: store, processor: converter)
        try await watcher.run()
    }
}
