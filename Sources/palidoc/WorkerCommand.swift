import ArgumentParser
import DocumentPipeline
import Foundation

/// `palidoc worker`: converts chunks from a shared queue until stopped.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Convert queued documents from a shared store until stopped.",
        discussion: """
            Claims chunks of pages whose job needs this worker's model (jobs for another \
            model are left alone), commits each page's result before the next, and \
            assembles and exports a document once its last chunk is done. SIGINT/SIGTERM \
            finish the current page, give the lease back and exit 0. Exit status 2 when the \
            store or model cannot be used.
            """)

    @Option(help: "postgres:// URL or SQLite file (default: PALIDOC_STORE).")
    var store: String?

    @Option(
        help: """
            With a postgres:// store: keep documents and outputs in this folder, shared by \
            every machine, instead of the database (default: PALIDOC_BLOBS).
            """)
    var blobs: String?

    @Option(help: "Checkpoint folder (default: PALIDOC_MODEL).")
    var model: String?

    @Option(help: "Weights in memory (see `palidoc generate`).")
    var weights: WeightPrecision?

    @Option(
        name: .customLong("kv-cache"), help: "Keys and values in memory (see `palidoc generate`).")
    var kvCache = KVCacheFormat.f32

    @Option(help: "Chunks converted at once.")
    var jobs = 1

    @Option(help: "Lease length in seconds; heartbeats renew it every third of that.")
    var lease: Double = 30

    @Option(help: "Seconds between looks for work when no notification arrives.")
    var poll: Double = 3

    @Flag(help: "Exit once no chunk is claimable (batch use).")
    var untilIdle = false

    func validate() throws {
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs must be 1 to 64") }
        guard lease.isFinite, lease >= 1, lease <= 3600 else {
            throw ValidationError("--lease must be between 1 and 3600 seconds")
        }
        guard poll.isFinite, poll >= 0.1, poll <= 600 else {
            throw ValidationError("--poll must be between 0.1 and 600 seconds")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let path = model ?? environment["PALIDOC_MODEL"], !path.isEmpty else {
            Diagnostics.error("no model: pass --model DIR or set PALIDOC_MODEL")
            throw ExitCode(2)
        }
        let folder = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        let engine: PaliGemmaEngine
        let identity: String
        do {
            identity = try ModelIdentity.compute(folder: folder)
            engine = try PaliGemmaEngine(
                directory: folder, weights: weights ?? PaliGemmaEngine.defaultWeights,
                kvCache: kvCache,
                threads: jobs)
        } catch {
            Diagnostics.error("\(error)")
            throw ExitCode(2)
        }
        if let notice = engine.info.randomWeightsNotice { Diagnostics.note(notice) }
        let opened = try await QueueStoreOpener.open(store, blobs: blobs)
        defer { opened.close() }
        let workerID = QueueSettings.workerID
        let work = FileManager.default.temporaryDirectory.appendingPathComponent(
            "palidoc-worker-\(getpid())")
        defer { try? FileManager.default.removeItem(at: work) }
        let worker = QueueWorker(
            queue: opened.queue, engine: engine,
            configuration: QueueWorker.Configuration(
                workerID: workerID, modelIdentity: identity, leaseSeconds: lease,
                pollSeconds: poll, concurrency: jobs, workFolder: work)
        ) { event in
            Diagnostics.note("\(event)")
        }
        Diagnostics.note(
            "worker \(workerID) on \(opened.queue.displayLocation), model "
                + "\(ModelIdentity.short(identity)), storing blobs in \(opened.blobs)")
        let trap = worker.stopOnSignals()
        defer { withExtendedLifetime(trap) {} }
        await worker.run(untilIdle: untilIdle)
        Diagnostics.note("worker \(workerID) stopped")
    }
}
