import ArgumentParser
import DocumentPipeline
import Foundation

extension WatchCommand {
    /// `watch --store postgres://…`: this node ingests the inbox into the shared queue and
    /// publishes finished documents; `--workers N` also converts here.
    func runOnQueue(_ store: String) async throws {
        let setup = try ConversionSetup.load(
            pipeline: pipeline, model: model, weights: weights, kvCache: kvCache, pages: nil,
            password: password, threads: max(1, workers))
        let settings = try QueueSettings.load(
            pipeline: pipeline, definition: setup.pipeline, model: model)
        let opened = try await QueueStoreOpener.open(store, blobs: blobs)
        defer { opened.close() }
        let node = QueueInbox(
            configuration: QueueInbox.Configuration(
                inbox: URL(fileURLWithPath: inbox), output: URL(fileURLWithPath: out),
                pipeline: setup.pipeline, pipelineYAML: settings.yaml,
                modelIdentity: settings.modelIdentity,
                settleTime: settle, pollSeconds: max(0.1, min(settle / 2, 1))),
            queue: opened.queue
        ) { event in
            if case .failed(let file, let failure) = event {
                Diagnostics.error("\(file): \(failure.reason)")
            } else {
                Diagnostics.note("\(event)")
            }
        }
        let trap = node.stopOnSignals()
        defer { withExtendedLifetime(trap) {} }
        var local: QueueWorker?
        var working: Task<Void, Never>?
        if workers > 0 {
            let work = FileManager.default.temporaryDirectory.appendingPathComponent(
                "palidoc-watch-\(getpid())")
            let worker = QueueWorker(
                queue: opened.queue, engine: setup.engine,
                configuration: QueueWorker.Configuration(
                    workerID: QueueSettings.workerID, modelIdentity: settings.modelIdentity,
                    concurrency: workers, workFolder: work)
            ) { Diagnostics.note("\($0)") }
            local = worker
            working = Task { await worker.run() }
        }
        do {
            let summary = try await node.run(until: untilIdle ? .idle : .stopRequested)
            local?.requestStop()
            await working?.value
            print(
                "palidoc: \(summary.done) done, \(summary.failed) failed, "
                    + "\(summary.duplicates) duplicates")
        } catch {
            local?.requestStop()
            await working?.value
            Diagnostics.error("\(error)")
            throw ExitCode(2)
        }
    }
}
