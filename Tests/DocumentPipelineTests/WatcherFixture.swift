import Foundation
import PaliTestSupport
import Testing

@testable import DocumentPipeline

/// An inbox, an output folder and a job store in a temporary directory, plus helpers to
/// drop files, run watchers with a time limit, and check that every input is accounted for.
final class WatcherFixture: Sendable {
    let folder: TemporaryDirectory
    let store: SQLiteJobStore
    var inbox: URL { folder.file("inbox") }
    var output: URL { folder.file("out") }
    var layout: InboxLayout { InboxLayout(inbox: inbox) }

    init() throws {
        folder = try TemporaryDirectory("watch")
        try FileManager.default.createDirectory(
            at: folder.file("inbox"), withIntermediateDirectories: true)
        store = try SQLiteJobStore(location: folder.file("state/jobs.sqlite"))
    }

    /// Test settings: 0.1 s settle time, fast retries, the system clock unless `clock`.
    func configuration(
        detection: InboxWatcher.Detection = .events, settleTime: TimeInterval = 0.1,
        retries: RetryPolicy = RetryPolicy(maxAttempts: 3, initialBackoff: 0.05, maxBackoff: 0.2),
        duplicates: DuplicatePolicy = .skip, clock: any WatchClock = SystemWatchClock()
    ) -> InboxWatcher.Configuration {
        InboxWatcher.Configuration(
            inbox: inbox, output: output, pipelineName: "test", settleTime: settleTime,
            detection: detection, retryPolicy: retries, duplicatePolicy: duplicates,
            owner: "test-host:\(inbox.path)", clock: clock)
    }

    func watcher(
        _ processor: FakeProcessor, _ configuration: InboxWatcher.Configuration? = nil,
        events: EventLog = EventLog()
    ) -> InboxWatcher {
        InboxWatcher(
            configuration: configuration ?? self.configuration(), store: store,
            processor: processor, onEvent: events.handler)
    }

    /// The text of a fake document.
    static func document(_ id: String, _ settings: [String: String] = [:]) -> String {
        let lines = ["id=\(id)"] + settings.sorted(by: { $0.key < $1.key }).map { "\($0)=\($1)" }
        return lines.joined(separator: "\n") + "\nEND\n"
    }

    /// Writes a fake document straight into the inbox.
    func drop(_ name: String, id: String? = nil, _ settings: [String: String] = [:]) throws {
        try Self.document(id ?? name, settings).write(
            to: inbox.appendingPathComponent(name), atomically: false, encoding: .utf8)
    }

    /// Leaves a fake document in `.processing/`, registered in the store, as an interrupted
    /// run does; returns its content hash. The inbox layout must be prepared.
    func leaveInProcessing(_ name: String, _ settings: [String: String] = [:]) async throws
        -> String
    {
        try Self.document(name, settings).write(
            to: layout.processing.appendingPathComponent(name), atomically: true,
            encoding: .utf8)
        let hash = Self.hash(name, settings)
        _ = try await store.register(contentHash: hash, originalName: name, at: Date())
        return hash
    }

    /// Runs `watcher` until idle, stopping it (and failing the test) after `limit` seconds: a
    /// guard against a hang, generous because suites running in parallel can hold the
    /// cooperative pool's threads for tens of seconds.
    @discardableResult
    func runUntilIdle(_ watcher: InboxWatcher, limit: TimeInterval = 180) async throws
        -> WatchSummary
    {
        let guardTask = Task {
            try await Task.sleep(nanoseconds: UInt64(limit * 1e9))
            watcher.requestStop()
        }
        defer { guardTask.cancel() }
        let summary = try await watcher.run(until: .idle)
        #expect(!summary.stoppedOnRequest, "watcher did not go idle within \(limit) s")
        return summary
    }

    /// Runs `watcher` on `clock` until idle, moving the clock on by `step` whenever the watcher
    /// sleeps, and failing the test after `limit` seconds of real time.
    @discardableResult
    func runUntilIdle(
        _ watcher: InboxWatcher, clock: ManualWatchClock, step: TimeInterval,
        limit: TimeInterval = 180
    ) async throws -> WatchSummary {
        let driver = Task {
            while !Task.isCancelled { try? await clock.advance(by: step, limit: limit) }
        }
        defer { driver.cancel() }
        let summary = try await runUntilIdle(watcher, limit: limit)
        clock.release()
        return summary
    }

    /// Waits until `condition` holds, for `limit` seconds at most.
    func eventually(
        _ what: String, limit: TimeInterval = 180, _ condition: () async throws -> Bool
    ) async throws {
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        Issue.record("timed out waiting for \(what)")
    }

    /// Starts this test binary again as a child process running only the test `testName`,
    /// with `variable` set to this fixture's folder (the child's cue to run at all); its
    /// output is discarded. The caller kills it.
    func startChild(running testName: String, variable: String) throws -> Process {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["--testing-library", "swift-testing", "--filter", testName]
        child.environment = ProcessInfo.processInfo.environment.merging(
            [variable: folder.url.path]) { $1 }
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        return child
    }

    /// Regular, non-hidden file names in a folder.
    func files(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { name in
                var isDirectory: ObjCBool = false
                let exists = FileManager.default.fileExists(
                    atPath: folder.appendingPathComponent(name).path, isDirectory: &isDirectory)
                return exists && !name.hasPrefix(".") && !isDirectory.boolValue
            }.sorted()
    }

    /// Every input is exactly once in `done/` or `failed/` (with its note where one is due),
    /// nothing is left in the inbox or `.processing/`, and no partial output remains.
    func expectAccounted(done: [String], failed: [String], duplicates: [String] = []) {
        let doneFiles = files(in: layout.done)
        let failedFiles = files(in: layout.failed)
        #expect(doneFiles.filter { !$0.hasSuffix(".json") } == (done + duplicates).sorted())
        #expect(
            doneFiles.filter { $0.hasSuffix(".duplicate.json") }
                == duplicates.map { $0 + ".duplicate.json" }.sorted())
        #expect(failedFiles.filter { !$0.hasSuffix(".error.json") } == failed.sorted())
        #expect(
            failedFiles.filter { $0.hasSuffix(".error.json") }
                == failed.map { $0 + ".error.json" }.sorted())
        #expect(files(in: inbox).isEmpty)
        #expect(files(in: layout.processing).isEmpty)
        let partial = output.appendingPathComponent(".palidoc-partial")
        #expect(
            ((try? FileManager.default.contentsOfDirectory(atPath: partial.path)) ?? []).isEmpty)
    }

    /// The decoded `.error.json` or `.duplicate.json` note.
    func note(_ url: URL) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    /// The page files listed by a result folder's `document.json`.
    func resultPages(_ folder: String) throws -> [String] {
        let url = output.appendingPathComponent(folder).appendingPathComponent("document.json")
        let object = try #require(
            JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        return try #require(object["pages"] as? [String])
    }

    /// The content hash of a fake document.
    static func hash(_ id: String, _ settings: [String: String] = [:]) -> String {
        SHA256.hexDigest(of: Data(document(id, settings).utf8))
    }
}
