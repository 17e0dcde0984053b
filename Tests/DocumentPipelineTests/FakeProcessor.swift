import Foundation
import Synchronization

@testable import DocumentPipeline

/// A `DocumentProcessor` for watcher unit tests only (the real conversion is proven end to
/// end elsewhere). Each input is a text file of `key=value` lines ending in `END`:
/// `id` (name in the log), `pages` (default 1), `fail-at` (page with a permanent error),
/// `transient` (attempts that fail transiently), `error=generic` (a plain Swift error),
/// `skip` (a page never completed). Each page writes `page-N.txt`; the end writes
/// `document.json` listing the page files present.
struct FakeProcessor: DocumentProcessor {
    let log: ProcessorLog
    /// Time spent on each page.
    var pageDelay: TimeInterval = 0
    /// Hang forever on reaching this page of this id (a process killed mid-document).
    var hangAt: (id: String, page: Int)?

    struct PlainError: Error {}

    func process(_ context: ProcessingContext) async throws {
        let text = try String(contentsOf: context.file, encoding: .utf8)
        guard text.hasSuffix("END\n") else {
            throw JobFailure(reason: "truncated input", stage: .open)
        }
        var spec: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { spec[parts[0]] = parts[1] }
        }
        let id = spec["id"] ?? context.file.lastPathComponent
        log.started(id, firstPage: context.firstUnfinishedPage, bytes: text.utf8.count)
        if spec["error"] == "generic" { throw PlainError() }
        if let transient = spec["transient"].flatMap(Int.init), context.job.attempts <= transient {
            throw JobFailure(reason: "resource busy", stage: .inference, isTransient: true)
        }
        let pages = spec["pages"].flatMap(Int.init) ?? 1
        try await context.setPageCount(pages)
        for page in context.firstUnfinishedPage..<pages {
            if let hangAt, hangAt.id == id, hangAt.page == page {
                log.hung(id)
                try await Task.sleep(nanoseconds: 86_400 * 1_000_000_000)
            }
            if spec["fail-at"] == String(page) {
                throw JobFailure(
                    reason: "page image unreadable", stage: .render, pageIndex: page)
            }
            if spec["skip"] == String(page) { continue }
            if pageDelay > 0 { try await Task.sleep(nanoseconds: UInt64(pageDelay * 1e9)) }
            try "page \(page) of \(id)\n".write(
                to: context.outputFolder.appendingPathComponent("page-\(page).txt"),
                atomically: true, encoding: .utf8)
            log.completed(id, page: page)
            try await context.completePage(page)
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: context.outputFolder.path)
            .filter { $0.hasPrefix("page-") }.sorted()
        let json = try JSONSerialization.data(withJSONObject: ["id": id, "pages": files])
        try json.write(to: context.outputFolder.appendingPathComponent("document.json"))
    }
}

/// What the fake processor did, across watcher runs.
final class ProcessorLog: Sendable {
    private struct State {
        var starts: [String: [Int]] = [:]
        var completions: [String: [Int]] = [:]
        var bytes: [String: Int] = [:]
        var hung: Set<String> = []
    }
    private let state = Mutex(State())

    func started(_ id: String, firstPage: Int, bytes: Int) {
        state.withLock {
            $0.starts[id, default: []].append(firstPage)
            $0.bytes[id] = bytes
        }
    }
    func completed(_ id: String, page: Int) {
        state.withLock { $0.completions[id, default: []].append(page) }
    }
    func hung(_ id: String) { _ = state.withLock { $0.hung.insert(id) } }

    /// First unfinished page of each attempt that reached the processor.
    func starts(_ id: String) -> [Int] { state.withLock { $0.starts[id] ?? [] } }
    /// Pages completed, in order, over all attempts.
    func completions(_ id: String) -> [Int] { state.withLock { $0.completions[id] ?? [] } }
    func bytes(_ id: String) -> Int? { state.withLock { $0.bytes[id] } }
    func isHung(_ id: String) -> Bool { state.withLock { $0.hung.contains(id) } }
    var totalStarts: Int { state.withLock { $0.starts.values.map(\.count).reduce(0, +) } }
}

/// Collects watcher events.
final class EventLog: Sendable {
    private let events = Mutex<[WatcherEvent]>([])

    var handler: @Sendable (WatcherEvent) -> Void {
        { event in self.events.withLock { $0.append(event) } }
    }
    var all: [WatcherEvent] { events.withLock { $0 } }
}
