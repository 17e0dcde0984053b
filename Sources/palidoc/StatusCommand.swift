import ArgumentParser
import DocumentPipeline
import Foundation

/// `palidoc status`: what a shared queue holds.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a shared store's jobs, workers and throughput.",
        discussion: """
            Queued, running (with lease owner and age), done and failed jobs (with reasons), \
            pages converted over the last hour, the oldest waiting job and why jobs wait. \
            --prune DAYS first deletes jobs finished more than DAYS days ago and the blobs \
            nothing refers to any more.
            """)

    @Option(help: "postgres:// URL or SQLite file (default: PALIDOC_STORE).")
    var store: String?

    @Option(
        help: """
            With a postgres:// store: keep documents and outputs in this folder, shared by \
            every machine, instead of the database (default: PALIDOC_BLOBS).
            """)
    var blobs: String?

    @Flag(help: "The status as one JSON object.")
    var json = false

    @Option(help: "Delete jobs finished more than this many days ago, then report.")
    var prune: Double?

    func validate() throws {
        if let prune, !(prune.isFinite && prune >= 0) {
            throw ValidationError("--prune takes a number of days, 0 or more")
        }
    }

    func run() async throws {
        let opened = try await QueueStoreOpener.open(store, blobs: blobs)
        defer { opened.close() }
        let status: QueueStatus
        do {
            if let prune {
                let removed = try await opened.queue.prune(olderThan: prune * 86_400)
                Diagnostics.note("pruned \(removed.jobs) jobs and \(removed.blobs) blobs")
            }
            status = try await opened.queue.status()
        } catch {
            Diagnostics.error("\(error)")
            throw ExitCode(2)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(status), as: UTF8.self))
            return
        }
        print("store:    \(opened.queue.displayLocation)")
        print(
            "jobs:     \(status.queued) queued, \(status.runningJobs) running, "
                + "\(status.done) done, \(status.failed.count) failed")
        print("pages:    \(status.pagesLastHour) in the last hour")
        for chunk in status.running {
            let what =
                chunk.firstPage.map { "pages \($0)-\($0 + chunk.pageCount - 1)" } ?? "assembly"
            print(
                "running:  job \(chunk.jobID) \(chunk.name) \(what) by \(chunk.owner), "
                    + "\(Int(chunk.ageSeconds)) s")
        }
        if let oldest = status.oldestWaiting {
            let waited = Int(oldest.waitingSeconds)
            print("oldest:   job \(oldest.jobID) \(oldest.name), waiting \(waited) s")
        }
        for job in status.waiting {
            if let reason = job.reason {
                print("waiting:  job \(job.jobID) \(job.name): \(reason)")
            }
        }
        for job in status.failed { print("failed:   job \(job.jobID) \(job.name): \(job.reason)") }
        for worker in status.workers {
            print(
                "worker:   \(worker.id) model \(ModelIdentity.short(worker.model)), seen "
                    + "\(Int(worker.lastSeenSeconds)) s ago")
        }
    }
}
