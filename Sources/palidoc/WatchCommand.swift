import ArgumentParser
import DocumentPipeline
import Foundation
import PostgresJobStore

/// `palidoc watch`: a hot folder converted with a pipeline, losing nothing.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch an inbox folder and convert every document dropped into it.",
        discussion: """
            Files already in INBOX are taken first, then new ones once their size and mtime \
            have been stable for --settle seconds and they open. Each is claimed by renaming \
            it into INBOX/.processing/, converted into a temporary folder that is renamed \
            into place under --out, and moved to INBOX/done/ (or INBOX/failed/ with a \
            <name>.error.json). State lives in INBOX/.palidoc/jobs.sqlite, keyed by content \
            hash: a restart (even after kill -9) resumes at the first unfinished page, and \
            content seen before is recognised. SIGINT/SIGTERM finish the current page and \
            exit 0. Exit status 2 for usage errors or when the watcher cannot start.
            """)

    @Argument(help: "The inbox folder.")
    var inbox: String

    @Option(help: "Output folder (must not be inside the inbox's bookkeeping folders).")
    var out: String

    @Option(help: "Pipeline name (searched as NAME.yaml) or a .yaml file.")
    var pipeline = "default"

    @Option(help: "Checkpoint folder (wins over PALIDOC_MODEL and the pipeline's model).")
    var model: String?

    @Option(help: "Weights in memory; wins over the pipeline's 'weights' (see `palidoc generate`).")
    var weights: WeightPrecision?

    @Option(
        name: .customLong("kv-cache"),
        help: """
            Keys and values in memory; wins over the pipeline's 'kv_cache' \
            (see `palidoc generate`).
            """)
    var kvCache: KVCacheFormat?

    @Option(help: "Password for encrypted PDFs.")
    var password: String?

    @Flag(help: "Refuse damaged PDFs instead of repairing them (pipeline key 'strict').")
    var strict = false

    @Flag(help: "List the inbox periodically instead of inotify (NFS, SMB shares).")
    var poll = false

    @Option(help: "Seconds a file must stay unchanged before it is taken.")
    var settle: Double = 2

    @Option(
        help: """
            Job store: a SQLite file (default INBOX/.palidoc/jobs.sqlite), or a postgres:// URL \
            to submit to a shared queue worked by `palidoc worker`s.
            """)
    var store: String?

    @Option(
        help: """
            With a postgres:// store: keep documents and outputs in this folder, shared by \
            every machine, instead of the database (default: PALIDOC_BLOBS).
            """)
    var blobs: String?

    @Option(help: "With a postgres:// store: workers to run in this process too.")
    var workers = 0

    @Flag(help: "Return once the inbox is empty and no retry is pending (batch use).")
    var untilIdle = false

    func validate() throws {
        guard settle.isFinite, settle >= 0, settle <= 3600 else {
            throw ValidationError("--settle must be between 0 and 3600 seconds")
        }
        if blobs != nil, !(store.map(PostgresStoreURL.isPostgresURL) ?? false) {
            throw ValidationError("--blobs needs a postgres:// store")
        }
    }

    func run() async throws {
        if let store, PostgresStoreURL.isPostgresURL(store) {
            try await runOnQueue(store)
            return
        }
        let setup = try ConversionSetup.loadForCLI(
            pipeline: pipeline, model: model, weights: weights, kvCache: kvCache, pages: nil,
            password: password, strict: strict, threads: 1)
        let inboxURL = URL(fileURLWithPath: inbox).standardizedFileURL
        let detection: InboxWatcher.Detection =
            poll ? .polling(interval: max(0.1, min(settle / 2, 1))) : .events
        let configuration = InboxWatcher.Configuration(
            inbox: inboxURL, output: URL(fileURLWithPath: out), pipeline: setup.pipeline,
            settleTime: settle, detection: detection)
        let watcher: InboxWatcher
        do {
            let location =
                store.map { URL(fileURLWithPath: $0) }
                ?? InboxLayout(inbox: inboxURL).defaultStoreLocation
            try FileManager.default.createDirectory(
                at: location.deletingLastPathComponent(), withIntermediateDirectories: true)
            watcher = InboxWatcher(
                configuration: configuration, store: try SQLiteJobStore(location: location),
                processor: setup.converter
            ) { event in
                if case .failed(let file, let failure) = event {
                    // Converter reasons already start with the file's name.
                    let reason =
                        failure.reason.hasPrefix(file + ": ")
                        ? failure.reason : "\(file): \(failure.reason)"
                    Diagnostics.error("\(reason)")
                } else {
                    Diagnostics.note("\(event)")
                }
            }
        } catch {
            Diagnostics.error("\(error)")
            throw ExitCode(2)
        }
        let trap = watcher.stopOnSignals()
        defer { withExtendedLifetime(trap) {} }
        do {
            let summary = try await watcher.run(until: untilIdle ? .idle : .stopRequested)
            print(
                "palidoc: \(summary.done) done, \(summary.failed) failed, "
                    + "\(summary.duplicates) duplicates")
        } catch {
            Diagnostics.error("\(error)")
            throw ExitCode(2)
        }
    }
}
