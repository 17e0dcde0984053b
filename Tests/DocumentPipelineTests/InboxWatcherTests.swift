import Foundation
import PaliTestSupport
import Testing

@testable import DocumentPipeline

/// Intake: which files are taken, when, and what becomes of them.
@Suite struct InboxWatcherTests {
    @Test func filesPresentAtStartAndArrivingLaterAreAllProcessed() async throws {
        let fixture = try WatcherFixture()
        let log = ProcessorLog()
        for (index, name) in ["a.txt", "b.txt", "c.txt"].enumerated() {
            try fixture.drop(name, ["pages": "\(index + 1)"])
        }
        let watcher = fixture.watcher(FakeProcessor(log: log))
        let run = Task { try await watcher.run() }
        try await fixture.eventually("the first three documents") {
            try await fixture.store.jobs(in: [.done]).count == 3
        }
        try fixture.drop("d.txt", ["pages": "2"])
        try fixture.drop("e.txt")
        try await fixture.eventually("all five documents") {
            try await fixture.store.jobs(in: [.done]).count == 5
        }
        watcher.requestStop()
        let summary = try await run.value
        #expect(summary.done == 5 && summary.failed == 0 && summary.stoppedOnRequest)
        fixture.expectAccounted(done: ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"], failed: [])
        for (name, pages) in [("a", 1), ("b", 2), ("c", 3), ("d", 2), ("e", 1)] {
            #expect(log.starts("\(name).txt") == [0])
            #expect(log.completions("\(name).txt") == Array(0..<pages))
            #expect(try fixture.resultPages(name) == (0..<pages).map { "page-\($0).txt" })
        }
        let jobs = try await fixture.store.jobs(in: Set(JobState.allCases))
        #expect(jobs.count == 5 && jobs.allSatisfy { $0.state == .done && $0.attempts == 1 })
        #expect(jobs.allSatisfy { $0.outputPath?.hasPrefix(fixture.output.path) == true })
    }

    /// A file written in chunks slower than nothing but faster than the settle time is
    /// taken only once complete (the fake processor rejects a file without its `END`). The
    /// watcher's clock moves 0.1 s per chunk, whatever the load.
    @Test func slowlyWrittenFileIsTakenOnlyWhenComplete() async throws {
        let fixture = try WatcherFixture()
        let log = ProcessorLog()
        let clock = ManualWatchClock()
        let watcher = fixture.watcher(
            FakeProcessor(log: log), fixture.configuration(settleTime: 1.0, clock: clock))
        let run = Task { try await watcher.run() }
        let text = WatcherFixture.document("slow.txt", ["pages": "2"])
        let url = fixture.inbox.appendingPathComponent("slow.txt")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        let handle = try FileHandle(forWritingTo: url)
        let bytes = Array(text.utf8)
        let chunk = bytes.count / 6 + 1
        for start in stride(from: 0, to: bytes.count, by: chunk) {
            try handle.write(contentsOf: Data(bytes[start..<min(start + chunk, bytes.count)]))
            try await clock.advance(by: 0.1)
            #expect(fixture.files(in: fixture.inbox) == ["slow.txt"], "taken while being written")
        }
        try handle.close()
        try await fixture.eventually("the slow file") {
            try await clock.advance(by: 0.25)
            return try await fixture.store.jobs(in: [.done]).count == 1
        }
        watcher.requestStop()
        clock.release()
        _ = try await run.value
        #expect(log.bytes("slow.txt") == bytes.count)
        #expect(log.completions("slow.txt") == [0, 1])
        fixture.expectAccounted(done: ["slow.txt"], failed: [])
    }

    @Test(arguments: [InboxWatcher.Detection.events, .polling(interval: 0.05)])
    func fileMovedInByRenameIsProcessed(detection: InboxWatcher.Detection) async throws {
        let fixture = try WatcherFixture()
        let log = ProcessorLog()
        let watcher = fixture.watcher(
            FakeProcessor(log: log), fixture.configuration(detection: detection))
        let events = EventLog()
        let observed = InboxWatcher(
            configuration: watcher.configuration, store: fixture.store,
            processor: FakeProcessor(log: log), onEvent: events.handler)
        let run = Task { try await observed.run() }
        let staging = fixture.folder.file("staging")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        try WatcherFixture.document("moved.pdf").write(
            to: staging.appendingPathComponent("moved.pdf"), atomically: false, encoding: .utf8)
        try await Task.sleep(nanoseconds: 200_000_000)
        try FileManager.default.moveItem(
            at: staging.appendingPathComponent("moved.pdf"),
            to: fixture.inbox.appendingPathComponent("moved.pdf"))
        try await fixture.eventually("the moved file") {
            try await fixture.store.jobs(in: [.done]).count == 1
        }
        observed.requestStop()
        _ = try await run.value
        fixture.expectAccounted(done: ["moved.pdf"], failed: [])
        let expected = detection == .events ? "inotify" : "polling"
        #expect(events.all.contains(.started(inbox: fixture.inbox, detection: expected)))
        _ = watcher
    }

    @Test func duplicateContentIsRecordedAndSkipped() async throws {
        let fixture = try WatcherFixture()
        let log = ProcessorLog()
        try fixture.drop("first.txt", id: "same", ["pages": "2"])
        try fixture.drop("second.txt", id: "same", ["pages": "2"])
        let events = EventLog()
        try await fixture.runUntilIdle(fixture.watcher(FakeProcessor(log: log), events: events))
        try fixture.drop("third.txt", id: "same", ["pages": "2"])
        let summary = try await fixture.runUntilIdle(fixture.watcher(FakeProcessor(log: log)))
        #expect(summary.duplicates == 1)
        #expect(log.starts("same") == [0])
        #expect(log.completions("same") == [0, 1])
        fixture.expectAccounted(
            done: ["first.txt"], failed: [], duplicates: ["second.txt", "third.txt"])
        let hash = WatcherFixture.hash("same", ["pages": "2"])
        let arrivals = try await fixture.store.arrivals(contentHash: hash)
        #expect(arrivals.map(\.fileName) == ["first.txt", "second.txt", "third.txt"])
        #expect(arrivals.map(\.disposition) == [.accepted, .duplicate, .duplicate])
        let note = try fixture.note(
            fixture.layout.done.appendingPathComponent("third.txt.duplicate.json"))
        #expect(note["duplicate_of"] as? String == "first.txt")
        #expect(note["duplicate_state"] as? String == "done")
        #expect(note["content_sha256"] as? String == hash)
        #expect((note["output"] as? String)?.hasSuffix("/out/first") == true)
        #expect(events.all.contains(.duplicate(file: "second.txt", original: "first.txt")))
    }

    @Test func reprocessPolicyRunsKnownContentAgain() async throws {
        let fixture = try WatcherFixture()
        let log = ProcessorLog()
        let configuration = fixture.configuration(duplicates: .reprocess)
        try fixture.drop("one.txt", id: "same")
        try await fixture.runUntilIdle(fixture.watcher(FakeProcessor(log: log), configuration))
        try fixture.drop("two.txt", id: "same")
        try await fixture.runUntilIdle(fixture.watcher(FakeProcessor(log: log), configuration))
        #expect(log.starts("same") == [0, 0])
        fixture.expectAccounted(done: ["one.txt", "two.txt"], failed: [])
        #expect(try fixture.resultPages("one") == ["page-0.txt"])
        #expect(try fixture.resultPages("two") == ["page-0.txt"])
        let arrivals = try await fixture.store.arrivals(contentHash: WatcherFixture.hash("same"))
        #expect(arrivals.map(\.disposition) == [.accepted, .reprocessed])
    }

    /// 200 small files at once: each processed exactly once, all accounted for, and the job
    /// store agrees.
    @Test func burstOf200SmallFiles() async throws {
        let fixture = try WatcherFixture()
        let log = ProcessorLog()
        let names = (0..<200).map { String(format: "burst-%03d.txt", $0) }
        for name in names { try fixture.drop(name) }
        let summary = try await fixture.runUntilIdle(
            fixture.watcher(FakeProcessor(log: log)), limit: 180)
        #expect(summary.done == 200)
        #expect(log.totalStarts == 200)
        #expect(names.allSatisfy { log.starts($0) == [0] && log.completions($0) == [0] })
        let jobs = try await fixture.store.jobs(in: Set(JobState.allCases))
        #expect(jobs.count == 200 && jobs.allSatisfy { $0.state == .done && $0.attempts == 1 })
        fixture.expectAccounted(done: names, failed: [])
    }

    @Test func ignoredNamesAndFoldersStayInTheInbox() async throws {
        let fixture = try WatcherFixture()
        let log = ProcessorLog()
        try fixture.drop("download.pdf.part")
        try fixture.drop(".hidden.pdf")
        try fixture.drop("good.pdf")
        try FileManager.default.createDirectory(
            at: fixture.inbox.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: fixture.inbox.appendingPathComponent("link.pdf"),
            withDestinationURL: fixture.folder.file("elsewhere.pdf"))
        try await fixture.runUntilIdle(fixture.watcher(FakeProcessor(log: log)))
        #expect(log.totalStarts == 1)
        #expect(
            FileManager.default.fileExists(
                atPath: fixture.inbox.appendingPathComponent("download.pdf.part").path))
        #expect(
            FileManager.default.fileExists(
                atPath: fixture.inbox.appendingPathComponent(".hidden.pdf").path))
        #expect(fixture.files(in: fixture.layout.done) == ["good.pdf"])
    }

    /// Names already taken in `done/` and in the output folder are never overwritten.
    @Test func collisionsGetNewNames() async throws {
        let fixture = try WatcherFixture()
        try fixture.layout.prepare()
        try "older".write(
            to: fixture.layout.done.appendingPathComponent("a.txt"), atomically: true,
            encoding: .utf8)
        let existingResult = fixture.output.appendingPathComponent("a")
        try FileManager.default.createDirectory(
            at: existingResult, withIntermediateDirectories: true)
        try "keep".write(
            to: existingResult.appendingPathComponent("mine.txt"), atomically: true, encoding: .utf8
        )
        try fixture.drop("a.txt")
        try await fixture.runUntilIdle(fixture.watcher(FakeProcessor(log: ProcessorLog())))
        #expect(fixture.files(in: fixture.layout.done) == ["a-2.txt", "a.txt"])
        #expect(
            try String(
                contentsOf: fixture.layout.done.appendingPathComponent("a.txt"), encoding: .utf8)
                == "older")
        #expect(fixture.files(in: existingResult) == ["mine.txt"])
        #expect(try fixture.resultPages("a-2") == ["page-0.txt"])
    }

    @Test func secondWatcherOnTheSameInboxIsRefused() async throws {
        let fixture = try WatcherFixture()
        let first = fixture.watcher(FakeProcessor(log: ProcessorLog()))
        let run = Task { try await first.run() }
        try await fixture.eventually("the lock") {
            FileManager.default.fileExists(
                atPath: fixture.layout.processing.appendingPathComponent(".lock").path)
        }
        try await Task.sleep(nanoseconds: 100_000_000)
        let second = fixture.watcher(FakeProcessor(log: ProcessorLog()))
        await #expect(throws: InboxWatcherError.self) { try await second.run(until: .idle) }
        first.requestStop()
        _ = try await run.value
    }

    @Test func misplacedFoldersAreRefused() async throws {
        let fixture = try WatcherFixture()
        for output in [
            fixture.inbox, fixture.layout.done, fixture.layout.failed.appendingPathComponent("x"),
        ] {
            var configuration = fixture.configuration()
            configuration.output = output
            let watcher = InboxWatcher(
                configuration: configuration, store: fixture.store,
                processor: FakeProcessor(log: ProcessorLog()))
            await #expect(throws: InboxWatcherError.badOutputFolder(output.path)) {
                try await watcher.run(until: .idle)
            }
        }
        var configuration = fixture.configuration()
        configuration.inbox = fixture.folder.file("missing")
        let watcher = InboxWatcher(
            configuration: configuration, store: fixture.store,
            processor: FakeProcessor(log: ProcessorLog()))
        await #expect(throws: InboxWatcherError.notADirectory(configuration.inbox.path)) {
            try await watcher.run(until: .idle)
        }
    }
}
