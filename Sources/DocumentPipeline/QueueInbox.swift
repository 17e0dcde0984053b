import Foundation

/// The ingesting node of a cluster (`palidoc watch INBOX --store postgres://…`): settles and
/// claims inbox files as `InboxWatcher` does, submits them to a shared `JobQueue`, and when
/// the cluster has finished a document writes its outputs under the output folder and moves
/// the input to `done/`, or to `failed/` with `<name>.error.json`. The inbox is this
/// machine's alone; only the queue is shared. Files left in `.processing/` by an earlier run
/// are submitted again (the queue recognises them) and followed to the end.
public final class QueueInbox: Sendable {
    /// Settings of an ingesting node.
    public struct Configuration: Sendable {
        /// The watched folder.
        public var inbox: URL
        /// Where result folders are published.
        public var output: URL
        /// The pipeline documents are queued with.
        public var pipeline: PipelineDefinition
        /// The pipeline file's text, sent with every job.
        public var pipelineYAML: String
        /// The model the jobs need (`ModelIdentity`).
        public var modelIdentity: String
        /// Seconds a file's size and mtime must stay unchanged before it is taken.
        public var settleTime: TimeInterval
        /// Seconds between looks at the inbox and at the queue.
        public var pollSeconds: TimeInterval

        /// A configuration.
        public init(
            inbox: URL, output: URL, pipeline: PipelineDefinition, pipelineYAML: String,
            modelIdentity: String, settleTime: TimeInterval = 2, pollSeconds: TimeInterval = 0.5
        ) {
            self.inbox = inbox.standardizedFileURL
            self.output = output.standardizedFileURL
            self.pipeline = pipeline
            self.pipelineYAML = pipelineYAML
            self.modelIdentity = modelIdentity
            self.settleTime = settleTime
            self.pollSeconds = pollSeconds
        }
    }

    /// The settings.
    public let configuration: Configuration
    private let queue: any JobQueue
    private let onEvent: @Sendable (WatcherEvent) -> Void
    private let stopFlag = StopFlag()

    /// A node over `configuration.inbox` submitting to `queue`.
    public init(
        configuration: Configuration, queue: any JobQueue,
        onEvent: @escaping @Sendable (WatcherEvent) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.queue = queue
        self.onEvent = onEvent
    }

    /// Asks `run` to return (files in `.processing/` are followed again by the next run).
    public func requestStop() { stopFlag.set() }

    /// Traps SIGINT and SIGTERM as a stop request; keep the trap alive while running.
    public func stopOnSignals() -> SignalTrap {
        SignalTrap { [weak self] _ in self?.requestStop() }
    }

    /// Watches until a stop is requested (or, with `.idle`, until the inbox is empty and
    /// every submitted document is finished). Throws only when it cannot start.
    @discardableResult
    public func run(until condition: InboxWatcher.RunCondition = .stopRequested) async throws
        -> WatchSummary
    {
        let layout = InboxLayout(inbox: configuration.inbox)
        try layout.prepare()
        try FileManager.default.createDirectory(
            at: configuration.output, withIntermediateDirectories: true)
        let lock = try layout.lock()
        defer { lock.release() }
        var summary = WatchSummary()
        var settler = FileSettler(settleTime: configuration.settleTime)
        var pending: [URL: QueueJob] = [:]
        var reported: Set<String> = []
        onEvent(.started(inbox: layout.inbox, detection: "polling"))
        for url in (try? layout.claimedFiles()) ?? [] {
            onEvent(.recovered(file: url.lastPathComponent))
            if let job = await submit(url, layout: layout, summary: &summary) {
                pending[url] = job
            }
        }
        var inboxEmpty = false
        while !stopFlag.isSet {
            let now = Date()
            if let entries = try? layout.waitingFiles(
                ignoredSuffixes: InboxWatcher.Configuration.defaultIgnoredSuffixes)
            {
                inboxEmpty = entries.allSatisfy { reported.contains($0.name) }
                settler.observe(entries, at: now)
            }
            let ready = settler.settled(at: now, in: layout.inbox) { name, reason in
                if reported.insert(name).inserted { onEvent(.waiting(file: name, reason: reason)) }
            }
            for entry in ready where !stopFlag.isSet {
                settler.forget(entry.name)
                reported.remove(entry.name)
                let source = layout.inbox.appendingPathComponent(entry.name)
                guard
                    let claimed = try? FileMover.move(
                        source, into: layout.processing, preferredName: entry.name)
                else { continue }
                onEvent(.claimed(file: entry.name))
                if let job = await submit(claimed, layout: layout, summary: &summary) {
                    pending[claimed] = job
                }
            }
            for (url, job) in pending where !stopFlag.isSet {
                do {
                    guard let current = try await queue.job(id: job.id) else {
                        throw JobStoreError.unknownJob(job.contentSHA256)
                    }
                    switch current.state {
                    case .done:
                        let output = try await deliver(current)
                        try file(url, into: layout.done)
                        pending[url] = nil
                        summary.done += 1
                        onEvent(.done(file: url.lastPathComponent, output: output))
                    case .failed:
                        try fail(url, job: current, reason: current.failure ?? "failed", layout)
                        pending[url] = nil
                        summary.failed += 1
                    case .queued, .running:
                        continue
                    }
                } catch {
                    onEvent(.problem("\(url.lastPathComponent): \(error)"))
                }
            }
            if condition == .idle && inboxEmpty && pending.isEmpty
                && settler.pendingNames.isSubset(of: reported)
            {
                break
            }
            try? await Task.sleep(nanoseconds: UInt64(configuration.pollSeconds * 1e9))
        }
        if stopFlag.isSet {
            summary.stoppedOnRequest = true
            onEvent(.stopping)
        }
        return summary
    }

    /// Submits a claimed file; `nil` when it was filed away instead (unreadable, or known
    /// content already converted).
    private func submit(_ url: URL, layout: InboxLayout, summary: inout WatchSummary) async
        -> QueueJob?
    {
        let name = url.lastPathComponent
        while !stopFlag.isSet {
            do {
                let submission = try JobSubmission(
                    file: url, pipeline: configuration.pipeline,
                    yaml: configuration.pipelineYAML, modelIdentity: configuration.modelIdentity)
                let (job, isNew) = try await queue.submit(submission)
                if !isNew && job.state == .done && hasOutputs(of: job) {
                    try fileDuplicate(url, job: job, layout)
                    summary.duplicates += 1
                    onEvent(.duplicate(file: name, original: job.originalName))
                    return nil
                }
                return job
            } catch let failure as JobFailure {
                try? fail(url, job: nil, reason: failure.reason, layout)
                summary.failed += 1
                return nil
            } catch {
                onEvent(.problem("\(name): \(error); trying again"))
                try? await Task.sleep(nanoseconds: 2_000_000_000)
            }
        }
        return nil
    }

    /// Whether this node published the job's results already (known content arriving again
    /// whose first copy this node delivered counts as a duplicate; a job finished before this
    /// node saw it is delivered).
    private func hasOutputs(of job: QueueJob) -> Bool {
        FileMover.exists(
            configuration.output.appendingPathComponent(
                configuration.pipeline.output.folderPath(
                    originalName: job.originalName, contentHash: job.contentSHA256, date: Date(),
                    pipeline: configuration.pipeline.name)))
    }

    /// Writes a finished job's outputs into a temporary folder and renames it into place
    /// (never over an existing folder: `-2`, `-3`, … instead).
    private func deliver(_ job: QueueJob) async throws -> URL {
        let partial = configuration.output.appendingPathComponent(".palidoc-partial")
            .appendingPathComponent("\(job.contentSHA256)-queue")
        try? FileManager.default.removeItem(at: partial)
        for output in try await queue.outputs(jobID: job.id) {
            let target = partial.appendingPathComponent(output.path)
            try FileManager.default.createDirectory(
                at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try await queue.blob(output.sha256).write(to: target)
        }
        let relative = configuration.pipeline.output.folderPath(
            originalName: job.originalName, contentHash: job.contentSHA256, date: Date(),
            pipeline: configuration.pipeline.name)
        return try await FileMover.publish(
            partial, as: configuration.output.appendingPathComponent(relative), transient: true)
    }

    private func file(_ url: URL, into folder: URL) throws {
        _ = try FileMover.move(
            url, into: folder, preferredName: url.lastPathComponent,
            companionSuffixes: [".error.json", ".duplicate.json"])
    }

    /// Moves a failed input to `failed/` with its note.
    private func fail(_ url: URL, job: QueueJob?, reason: String, _ layout: InboxLayout) throws {
        let name = url.lastPathComponent
        let note = InboxReport(
            outcome: "failed", file: name, contentSHA256: job?.contentSHA256, reason: reason,
            at: Date())
        let destination = try FileMover.move(
            url, into: layout.failed, preferredName: name,
            companionSuffixes: [".error.json", ".duplicate.json"])
        try note.write(to: URL(fileURLWithPath: destination.path + ".error.json"))
        onEvent(.failed(file: name, failure: JobFailure(reason: reason, stage: .inference)))
    }

    /// Moves a second copy of converted content to `done/` with its note.
    private func fileDuplicate(_ url: URL, job: QueueJob, _ layout: InboxLayout) throws {
        let note = InboxReport(
            outcome: "duplicate", file: url.lastPathComponent, contentSHA256: job.contentSHA256,
            duplicateOf: job.originalName, duplicateState: .done, at: Date())
        let destination = try FileMover.move(
            url, into: layout.done, preferredName: url.lastPathComponent,
            companionSuffixes: [".error.json", ".duplicate.json"])
        try note.write(to: URL(fileURLWithPath: destination.path + ".duplicate.json"))
    }
}
