import DocumentExport
import DocumentModel
import Foundation
import PaliTestSupport
import Testing

@testable import DocumentPipeline

/// The watcher with the real converter and the real tiny checkpoint: slow writers, renames,
/// duplicates, a bad file and a burst, each input accounted for exactly once.
@Suite struct ConverterWatchTests {
    static let burst = 200

    @Test func realEngineInboxLosesNothing() async throws {
        let fixture = try WatcherFixture()
        let converter = try DocumentConverter(
            pipeline: RealEngine.pipeline, engine: try RealEngine.engine())
        let ingest = FixturePaths.fixture("ingest")
        let examples = FixturePaths.repositoryRoot.appendingPathComponent("examples")
        // Already there at start.
        try FileManager.default.copyItem(
            at: examples.appendingPathComponent("report-table.pdf"),
            to: fixture.inbox.appendingPathComponent("report.pdf"))
        try Data("%PDF-1.4\nbroken\n".utf8).write(
            to: fixture.inbox.appendingPathComponent("corrupt.pdf"))
        let events = EventLog()
        // The watcher's time moves in the test's steps: 0.15 s per chunk of the slow writer.
        let clock = ManualWatchClock()
        let watcher = InboxWatcher(
            configuration: fixture.configuration(settleTime: 0.3, clock: clock),
            store: fixture.store, processor: converter, onEvent: events.handler)
        let run = Task { try await watcher.run() }
        defer {
            watcher.requestStop()
            clock.release()
        }

        // Written slowly in chunks: never taken while growing.
        let scan = try Data(contentsOf: ingest.appendingPathComponent("multipage.tif"))
        let slow = fixture.inbox.appendingPathComponent("slow.tif")
        #expect(FileManager.default.createFile(atPath: slow.path, contents: nil))
        let handle = try FileHandle(forWritingTo: slow)
        let chunk = scan.count / 6 + 1
        for start in stride(from: 0, to: scan.count, by: chunk) {
            try handle.write(contentsOf: scan[start..<min(start + chunk, scan.count)])
            try await clock.advance(by: 0.15)
        }
        try handle.close()
        // Written elsewhere, moved in whole.
        let staging = fixture.folder.file("staging")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        try RealEngine.png(seed: 100_000).write(to: staging.appendingPathComponent("moved.png"))
        #expect(
            rename(
                staging.appendingPathComponent("moved.png").path,
                fixture.inbox.appendingPathComponent("moved.png").path) == 0)
        // A burst of small files.
        for i in 0..<Self.burst {
            try RealEngine.png(seed: i).write(
                to: fixture.inbox.appendingPathComponent(String(format: "burst-%03d.png", i)))
        }
        let original = try RealEngine.png(seed: 200_000)
        try original.write(to: fixture.inbox.appendingPathComponent("dup-a.png"))
        let expectedDone = 4 + Self.burst
        // From here on the clock moves whenever the watcher waits.
        let driver = Task { while !Task.isCancelled { try? await clock.advance(by: 0.1) } }
        defer { driver.cancel() }
        try await fixture.eventually("every input filed", limit: 300) {
            fixture.files(in: fixture.layout.done).filter { !$0.hasSuffix(".json") }.count
                == expectedDone
        }
        // The same content again, under another name: recognised, not converted again.
        try original.write(to: fixture.inbox.appendingPathComponent("dup-b.png"))
        try await fixture.eventually("duplicate filed", limit: 180) {
            fixture.files(in: fixture.layout.done).contains("dup-b.png.duplicate.json")
        }
        watcher.requestStop()
        clock.release()
        _ = try await run.value

        let burstNames = (0..<Self.burst).map { String(format: "burst-%03d.png", $0) }
        fixture.expectAccounted(
            done: ["report.pdf", "slow.tif", "moved.png", "dup-a.png"] + burstNames,
            failed: ["corrupt.pdf"], duplicates: ["dup-b.png"])
        let note = try fixture.note(
            fixture.layout.failed.appendingPathComponent("corrupt.pdf.error.json"))
        #expect(note["stage"] as? String == "open")
        #expect((note["reason"] as? String)?.contains("corrupt.pdf") == true)

        // The job store: one job per distinct content, each converted in exactly one attempt.
        let done = try await fixture.store.jobs(in: [.done])
        #expect(done.count == expectedDone)
        #expect(done.allSatisfy { $0.attempts == 1 })
        #expect(try await fixture.store.jobs(in: [.failed]).count == 1)
        let processed = events.all.filter {
            if case .processing = $0 { return true } else { return false }
        }
        #expect(processed.count == expectedDone + 1)

        // One result folder per document, complete and valid.
        let folders = try FileManager.default.contentsOfDirectory(atPath: fixture.output.path)
            .filter { !$0.hasPrefix(".") }
        #expect(folders.count == expectedDone)
        let validator = try JSONSchemaValidator(schema: DocumentSchema.json)
        for job in done {
            let folder = URL(fileURLWithPath: try #require(job.outputPath))
            let stem = DocumentConverter.stem(of: job.originalName)
            let json = folder.appendingPathComponent("\(stem).json")
            #expect(
                validator.violations(
                    try JSONSerialization.jsonObject(with: Data(contentsOf: json))) == [])
            let document = try JSONExporter.read(json)
            #expect(document.source.sha256 == job.contentHash)
            #expect(document.pages.count == job.pageCount)
            for suffix in [".html", ".md", ".hocr", ".alto.xml"] {
                let text = try String(
                    contentsOf: folder.appendingPathComponent(stem + suffix), encoding: .utf8)
                if suffix == ".html" {
                    _ = try Markup.parseHTML(text)
                } else if suffix != ".md" {
                    _ = try Markup.parseXML(text)
                }
            }
        }
    }
}
