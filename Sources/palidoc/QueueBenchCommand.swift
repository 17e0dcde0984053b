import ArgumentParser
import DocumentPipeline
import Foundation
import Synchronization

/// `palidoc bench queue`: how many claim → page checkpoint → complete cycles a store serves
/// to concurrent clients, without a model.
struct QueueBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Time the queue's claim, page checkpoint and completion against a store.",
        discussion: """
            For each --clients count, that many clients, each with a store connection of its \
            own, repeat a cycle for --seconds: claim a chunk, commit one page's result, \
            complete the chunk (a job's last completion also finishes its assembly, with no \
            outputs). Jobs of --pages one-page chunks are submitted ahead of the clients and \
            kept coming while they run; what is left queued is failed afterwards. Each run \
            uses a model identity of its own, so workers never take its jobs, but it leaves \
            finished jobs behind: point it at a database of its own.
            """)

    @Option(help: "postgres:// URL or SQLite file (default: PALIDOC_STORE).")
    var store: String?

    @Option(help: "Blob folder for the submitted documents (default: PALIDOC_BLOBS).")
    var blobs: String?

    @Option(help: "Concurrent clients per run, comma-separated.")
    var clients = "1,8,16"

    @Option(help: "Seconds each run lasts.")
    var seconds: Double = 10

    @Option(help: "Pages (one-page chunks) per submitted job.")
    var pages = 8

    @Flag(help: "Print the results as one JSON object.")
    var json = false

    /// The client counts.
    private var counts: [Int] {
        clients.split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
    }

    func validate() throws {
        guard !counts.isEmpty, counts.allSatisfy({ (1...256).contains($0) }),
            counts.count == clients.split(separator: ",").count
        else { throw ValidationError("--clients takes counts from 1 to 256, comma-separated") }
        guard seconds.isFinite, seconds > 0 else {
            throw ValidationError("--seconds must be positive")
        }
        guard (1...1000).contains(pages) else {
            throw ValidationError("--pages must be 1 to 1000")
        }
    }

    /// Chunks submitted and not yet claimed, and whether the run is over: shared by the
    /// submitting task and the clients.
    private final class Backlog: Sendable {
        let queued = Atomic<Int>(0)
        let stopped = Atomic<Bool>(false)
    }

    /// One run's measurements.
    struct Run: Encodable {
        let clients: Int
        let cycles: Int
        let seconds: Double
        let cyclesPerSecond: Double
        let p50Milliseconds: Double
        let p99Milliseconds: Double
        /// Claims that found nothing: the submitter fell behind the clients.
        let emptyClaims: Int
    }

    /// A run that could not go on (a lease lost although nothing else works the jobs).
    private struct BenchFailure: Error, CustomStringConvertible {
        let description: String
    }

    func run() async throws {
        do {
            try await report()
        } catch let code as ExitCode {
            throw code
        } catch {
            throw Diagnostics.error("\(error)")
        }
    }

    /// Runs every client count and prints the results.
    private func report() async throws {
        var runs: [Run] = []
        var location = ""
        for count in counts {
            let run = try await measure(clients: count) { location = $0 }
            runs.append(run)
            if !json {
                if runs.count == 1 {
                    print("store \(location), \(format(seconds, 1)) s per run, \(pages)-page jobs")
                    print("clients  cycles  cycles/s  p50 ms  p99 ms  empty claims")
                }
                print(
                    [
                        pad(run.clients, 7), pad(run.cycles, 6),
                        pad(format(run.cyclesPerSecond, 1), 8),
                        pad(format(run.p50Milliseconds, 2), 6),
                        pad(format(run.p99Milliseconds, 2), 6), pad(run.emptyClaims, 12),
                    ].joined(separator: "  "))
            }
        }
        if json {
            struct Report: Encodable {
                let store: String
                let secondsPerRun: Double
                let pagesPerJob: Int
                let runs: [Run]
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            let report = Report(
                store: location, secondsPerRun: seconds, pagesPerJob: pages, runs: runs)
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        }
    }

    /// One run with `clients` clients; `located` receives the store's display location.
    private func measure(clients: Int, located: (String) -> Void) async throws -> Run {
        var opened: [QueueStoreOpener.Opened] = []
        defer { for store in opened { store.close() } }
        for _ in 0...clients { opened.append(try await QueueStoreOpener.open(store, blobs: blobs)) }
        located(opened[0].queue.displayLocation)
        let submitter = opened[0].queue
        let model = "bench-" + UUID().uuidString.lowercased()
        let backlog = Backlog()
        let target = max(2000, clients * 200)
        try await submit(jobs: target / pages + 1, model: model, to: submitter, backlog: backlog)
        let feeding = Task {
            // Keeps `target` chunks queued ahead of the clients.
            while !backlog.stopped.load(ordering: .relaxed) {
                if backlog.queued.load(ordering: .relaxed) < target {
                    try await submit(jobs: 8, model: model, to: submitter, backlog: backlog)
                } else {
                    try await Task.sleep(nanoseconds: 5_000_000)
                }
            }
        }
        let clock = ContinuousClock()
        let start = clock.now
        let end = start + .milliseconds(Int(seconds * 1000))
        let results = try await withThrowingTaskGroup(of: ([Duration], Int).self) { group in
            for index in 1...clients {
                let queue = opened[index].queue
                group.addTask {
                    try await cycles(
                        queue, worker: "bench-\(index)", model: model, until: end,
                        backlog: backlog)
                }
            }
            return try await group.reduce(into: [([Duration], Int)]()) { $0.append($1) }
        }
        let elapsed = clock.now - start
        backlog.stopped.store(true, ordering: .relaxed)
        try await feeding.value
        try await drain(model: model, queue: submitter)
        let latencies = results.flatMap { $0.0 }.sorted()
        func percentile(_ p: Double) -> Double {
            guard !latencies.isEmpty else { return 0 }
            let index = min(
                latencies.count - 1, Int((Double(latencies.count) * p).rounded(.up)) - 1)
            return milliseconds(latencies[max(0, index)])
        }
        let total = milliseconds(elapsed) / 1000
        return Run(
            clients: clients, cycles: latencies.count, seconds: total,
            cyclesPerSecond: Double(latencies.count) / total, p50Milliseconds: percentile(0.5),
            p99Milliseconds: percentile(0.99), emptyClaims: results.map { $0.1 }.reduce(0, +))
    }

    /// One client's cycles until `end`: their durations and the claims that found nothing.
    private func cycles(
        _ queue: any JobQueue, worker: String, model: String, until end: ContinuousClock.Instant,
        backlog: Backlog
    ) async throws -> ([Duration], Int) {
        let clock = ContinuousClock()
        let result = Data(#"{"page":{"number":1,"regions":[]},"files":{}}"#.utf8)
        var durations: [Duration] = []
        var empty = 0
        while clock.now < end {
            let began = clock.now
            guard
                let lease = try await queue.claimChunk(
                    worker: worker, model: model, leaseSeconds: 60)
            else {
                empty += 1
                try await Task.sleep(nanoseconds: 1_000_000)
                continue
            }
            backlog.queued.subtract(1, ordering: .relaxed)
            guard try await queue.savePageResult(result, page: lease.pages.lowerBound, lease: lease)
            else {
                throw BenchFailure(description: "job \(lease.job.id): lease lost during the bench")
            }
            switch try await queue.completeChunk(lease, leaseSeconds: 60) {
            case .lost:
                throw BenchFailure(description: "job \(lease.job.id): lease lost during the bench")
            case .done: break
            case .assemble(let assembly):
                _ = try await queue.finishJob(assembly, outputs: [])
            }
            durations.append(clock.now - began)
        }
        return (durations, empty)
    }

    /// Submits `jobs` jobs of `pages` one-page chunks for `model`.
    private func submit(jobs: Int, model: String, to queue: any JobQueue, backlog: Backlog)
        async throws
    {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<jobs {
                let name = UUID().uuidString.lowercased()
                let submission = JobSubmission(
                    document: Data("queue bench \(name)".utf8), originalName: "\(name).pdf",
                    pipelineName: "bench", pipelineYAML: "tasks: [ocr]\n", modelIdentity: model,
                    pageCount: pages, chunkPages: 1,
                    retries: RetryPolicy(maxAttempts: 3, initialBackoff: 0, maxBackoff: 1))
                group.addTask { _ = try await queue.submit(submission) }
            }
            try await group.waitForAll()
        }
        backlog.queued.add(jobs * pages, ordering: .relaxed)
    }

    /// Fails the run's jobs still queued, so later runs' claims do not pass over them.
    private func drain(model: String, queue: any JobQueue) async throws {
        while let lease = try await queue.claimChunk(
            worker: "bench", model: model, leaseSeconds: 60)
        {
            _ = try await queue.failChunk(lease, reason: "queue bench ended", retryAfter: nil)
        }
    }

    private func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    private func format(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    private func pad(_ value: Any, _ width: Int) -> String {
        let text = "\(value)"
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
