import DocumentModel
import Foundation

/// One run of an `InboxWatcher`: list, settle, claim, process, file away. Created and used
/// only inside `InboxWatcher.run`, on one task.
final class WatchSession {
    private let configuration: InboxWatcher.Configuration
    private let layout: InboxLayout
    private let store: any JobStore
    private let processor: any DocumentProcessor
    private let stopFlag: StopFlag
    private let onEvent: @Sendable (WatcherEvent) -> Void
    private var settler: FileSettler
    private var monitor: DirectoryMonitor?
    /// Claimed files to handle again (recovered, retry after backoff, or after a
    /// bookkeeping problem), with the time they are due.
    private var scheduled: [URL: Date] = [:]
    /// Content hashes of claimed files, so a retry does not read the file again.
    private var hashes: [URL: String] = [:]
    /// Unopenable files already reported.
    private var reportedWaiting: Set<String> = []
    private var summary = WatchSummary()

    init(
        configuration: InboxWatcher.Configuration, layout: InboxLayout, store: any JobStore,
        processor: any DocumentProcessor, stopFlag: StopFlag,
        onEvent: @escaping @Sendable (WatcherEvent) -> Void
    ) {
        self.configuration = configuration
        self.layout = layout
        self.store = store
        self.processor = processor
        self.stopFlag = stopFlag
        self.onEvent = onEvent
        settler = FileSettler(settleTime: configuration.settleTime)
    }

    private var owner: String { configuration.owner }
    private var clock: any WatchClock { configuration.clock }
    private var isStopping: Bool { stopFlag.isSet || Task.isCancelled }
    /// Per-document temporary output folders live here, on the output's filesystem, so
    /// publishing is a rename.
    private var partialRoot: URL { configuration.output.appendingPathComponent(".palidoc-partial") }
    /// Loop period: a quarter of the settle time, within [10 ms, 250 ms].
    private var tick: TimeInterval { min(max(configuration.settleTime / 4, 0.01), 0.25) }

    /// The main loop.
    func run(until condition: InboxWatcher.RunCondition) async -> WatchSummary {
        startDetection()
        await recover()
        var lastListing = Date.distantPast
        var inboxEmpty = false
        while !isStopping {
            let now = clock.now()
            if shouldList(now: now, lastListing: lastListing) {
                lastListing = now
                do {
                    let entries = try layout.waitingFiles(
                        ignoredSuffixes: configuration.ignoredSuffixes)
                    inboxEmpty = entries.allSatisfy { reportedWaiting.contains($0.name) }
                    settler.observe(entries, at: now)
                } catch {
                    emit(
                        .problem("cannot list \(layout.inbox.path): \(error.localizedDescription)"))
                }
            }
            let ready = settler.settled(at: now, in: layout.inbox) { name, reason in
                if reportedWaiting.insert(name).inserted {
                    emit(.waiting(file: name, reason: reason))
                }
            }
            for entry in ready where !isStopping {
                settler.forget(entry.name)
                reportedWaiting.remove(entry.name)
                await intake(entry)
            }
            for (url, due) in scheduled.sorted(by: { $0.value < $1.value })
            where due <= clock.now() && !isStopping {
                scheduled[url] = nil
                await handle(claimed: url, arrivalName: nil)
            }
            // Idle: nothing waiting but files that do not open (which may never change).
            if condition == .idle && inboxEmpty && scheduled.isEmpty
                && settler.pendingNames.isSubset(of: reportedWaiting)
            {
                break
            }
            await clock.sleep(seconds: tick)
        }
        if isStopping {
            summary.stoppedOnRequest = true
            emit(.stopping)
        }
        do {
            _ = try await store.releaseClaims(owner: owner, refundAttempt: true, at: clock.now())
        } catch {
            emit(.problem("cannot release claims: \(error)"))
        }
        return summary
    }

    // MARK: - Detection

    private func startDetection() {
        var detection = "polling"
        if configuration.detection == .events {
            do {
                monitor = try DirectoryMonitor(directory: layout.inbox)
                detection = "inotify"
            } catch {
                emit(.fellBackToPolling(reason: error.localizedDescription))
            }
        }
        emit(.started(inbox: layout.inbox, detection: detection))
    }

    /// Whether to list the inbox now.
    private func shouldList(now: Date, lastListing: Date) -> Bool {
        let elapsed = now.timeIntervalSince(lastListing)
        if case .polling(let interval) = configuration.detection { return elapsed >= interval }
        guard let monitor else { return elapsed >= min(1, max(configuration.settleTime / 2, 0.02)) }
        switch monitor.drain() {
        case .changed: return true
        case .directoryGone:
            self.monitor = nil
            emit(.fellBackToPolling(reason: "the inotify watch on \(layout.inbox.path) ended"))
            return true
        case .none:
            // Files waiting to settle are re-examined every tick; otherwise only the safety
            // rescan lists a quiet inbox.
            return !settler.pendingNames.isEmpty || elapsed >= configuration.rescanInterval
        }
    }

    // MARK: - Intake

    /// Files left in `.processing/` by an earlier run: claims held under this owner go back
    /// to the queue (the attempt stays counted), and each file is handled first thing.
    private func recover() async {
        do {
            _ = try await store.releaseClaims(owner: owner, refundAttempt: false, at: clock.now())
        } catch {
            emit(.problem("cannot release earlier claims: \(error)"))
        }
        do {
            for url in try layout.claimedFiles() {
                emit(.recovered(file: url.lastPathComponent))
                scheduled[url] = .distantPast
                // Known up front, so a new copy of the same content arriving before this
                // file is handled counts as a duplicate, not as an orphaned job.
                hashes[url] = try? SHA256.hexDigest(ofFileAt: url)
            }
        } catch {
            emit(.problem("cannot list \(layout.processing.path): \(error.localizedDescription)"))
        }
    }

    /// Claims a settled inbox file by renaming it into `.processing/`, then handles it.
    private func intake(_ entry: InboxEntry) async {
        let source = layout.inbox.appendingPathComponent(entry.name)
        let claimed: URL
        do {
            claimed = try FileMover.move(source, into: layout.processing, preferredName: entry.name)
        } catch .sourceMissing {
            return
        } catch {
            emit(.problem("cannot claim \(entry.name): \(error)"))
            return
        }
        emit(.claimed(file: entry.name))
        await handle(claimed: claimed, arrivalName: entry.name)
    }

    /// Brings a claimed file one step further: registers new arrivals (recognising known
    /// content), then claims the job and processes it, or files it away when its job is
    /// already finished. Bookkeeping problems (store, file moves) leave the file in
    /// `.processing/` and schedule another look.
    private func handle(claimed url: URL, arrivalName: String?) async {
        let name = url.lastPathComponent
        guard FileMover.exists(url) else {
            emit(.problem("\(name) disappeared from \(layout.processing.path)"))
            hashes[url] = nil
            return
        }
        do {
            let hash: String
            if let known = hashes[url] {
                hash = known
            } else {
                do {
                    hash = try SHA256.hexDigest(ofFileAt: url)
                } catch {
                    try fileUnreadable(url, reason: error.localizedDescription)
                    return
                }
                hashes[url] = hash
            }
            guard let job = try await register(url, hash: hash, arrivalName: arrivalName) else {
                return
            }
            try await advance(url, job: job)
        } catch {
            let delay = max(configuration.retryPolicy.initialBackoff, 1)
            emit(.problem("\(name): \(error); trying again in \(Int(delay)) s"))
            scheduled[url] = clock.now().addingTimeInterval(delay)
        }
    }

    /// The job for a claimed file, or `nil` when the file was a duplicate and is filed away.
    private func register(_ url: URL, hash: String, arrivalName: String?) async throws -> Job? {
        let now = clock.now()
        guard let arrivalName else {
            if let existing = try await store.job(contentHash: hash) { return existing }
            let name = url.lastPathComponent
            let job = try await store.register(contentHash: hash, originalName: name, at: now).job
            try await store.recordArrival(
                Arrival(contentHash: hash, fileName: name, disposition: .accepted, at: now))
            return job
        }
        let registration = try await store.register(
            contentHash: hash, originalName: arrivalName, at: now)
        var job = registration.job
        let disposition: Arrival.Disposition
        if registration.isNew {
            disposition = .accepted
        } else if job.state == .queued
            && !hashes.contains(where: { $0.key != url && $0.value == hash })
        {
            // A queued job with no file claimed for it (its file was removed from
            // `.processing/`): this copy takes its place and resumes it.
            disposition = .accepted
        } else if job.state == .failed
            || (job.state == .done && configuration.duplicatePolicy == .reprocess)
        {
            job = try await store.reset(contentHash: hash, originalName: arrivalName, at: now)
            try? FileManager.default.removeItem(at: partialFolder(hash))
            disposition = .reprocessed
        } else {
            disposition = .duplicate
        }
        try await store.recordArrival(
            Arrival(contentHash: hash, fileName: arrivalName, disposition: disposition, at: now))
        guard disposition == .duplicate else { return job }
        let note = InboxReport.duplicate(file: arrivalName, original: job, at: now)
        try fileAway(url, into: layout.done, noteSuffix: ".duplicate.json", note: note)
        hashes[url] = nil
        summary.duplicates += 1
        emit(.duplicate(file: arrivalName, original: job.originalName))
        return nil
    }

    /// Acts on the job's state: file finished jobs away, wait for retries, or claim and
    /// process.
    private func advance(_ url: URL, job: Job) async throws {
        let now = clock.now()
        switch job.state {
        case .done:
            try fileAway(url, into: layout.done)
            hashes[url] = nil
            return
        case .failed:
            let failure =
                job.lastFailure
                ?? JobFailure(reason: "failed in an earlier run", stage: .intake)
            try fileFailed(url, job: job, failure: failure)
            return
        case .claimed, .processing:
            if job.owner == owner {
                // This session works one document at a time, so a claim of its own here was
                // left by an attempt cut short by a store error: release it and go on.
                _ = try await store.releaseClaims(owner: owner, refundAttempt: false, at: now)
            } else if let holder = job.owner {
                let idle = now.timeIntervalSince(job.updatedAt)
                guard idle >= configuration.staleClaimTimeout else {
                    // Held by a live worker sharing the store; look again later.
                    let wait = min(
                        configuration.staleClaimTimeout - idle, configuration.rescanInterval)
                    scheduled[url] = now.addingTimeInterval(max(wait, tick))
                    return
                }
                emit(
                    .problem(
                        "\(url.lastPathComponent): taking over the claim of \(holder), "
                            + "idle for \(Int(idle)) s"))
                _ = try await store.releaseClaim(
                    contentHash: job.contentHash, owner: holder, at: now)
            }
        case .queued:
            if let next = job.nextAttemptAt, next > now {
                scheduled[url] = next
                return
            }
        }
        guard
            let claimed = try await store.claim(contentHash: job.contentHash, owner: owner, at: now)
        else {
            scheduled[url] = now.addingTimeInterval(1)
            return
        }
        if claimed.attempts > configuration.retryPolicy.maxAttempts {
            let failure = JobFailure(
                reason: "gave up after \(claimed.attempts - 1) attempts; the last was cut short "
                    + "(the process crashed or was killed while working on this document)",
                stage: claimed.lastFailure?.stage ?? .inference,
                pageIndex: try await firstUnfinishedPage(claimed))
            try await store.markFailed(
                contentHash: claimed.contentHash, owner: owner, failure: failure, retryAt: nil,
                at: now)
            try fileFailed(url, job: claimed, failure: failure)
            return
        }
        try await process(url, job: claimed)
    }

    // MARK: - Processing

    /// One attempt at a claimed job.
    private func process(_ url: URL, job: Job) async throws {
        let name = url.lastPathComponent
        let hash = job.contentHash
        let partial = partialFolder(hash)
        if let published = job.outputPath, !FileMover.exists(partial),
            FileMover.exists(URL(fileURLWithPath: published))
        {
            // The results were renamed into place just before an interruption.
            try await finishDone(url, job: job, output: URL(fileURLWithPath: published))
            return
        }
        try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
        let completed = try await store.completedPages(contentHash: hash)
        try await store.markProcessing(contentHash: hash, owner: owner, at: clock.now())
        let onEvent = self.onEvent
        let context = ProcessingContext(
            file: url, job: job, completedPages: completed, outputFolder: partial, store: store,
            owner: owner, stopFlag: stopFlag
        ) { index, count in
            onEvent(.pageCompleted(file: name, pageIndex: index, pageCount: count))
        }
        emit(.processing(file: name, attempt: job.attempts, firstPage: context.firstUnfinishedPage))
        var failure: JobFailure?
        do {
            try await processor.process(context)
            if let count = context.pageCount {
                let finished = try await store.completedPages(contentHash: hash)
                if let missing = (0..<count).first(where: { !finished.contains($0) }) {
                    if isStopping { return }
                    let reason =
                        "the processor returned with page \(missing + 1) of \(count) unfinished"
                    failure = JobFailure(
                        reason: reason,
                        stage: .inference, pageIndex: missing)
                }
            }
        } catch  where isStopping && (error is ProcessingInterrupted || error is CancellationError)
        {
            return  // left in .processing/; the claim is released when the run ends
        } catch let error as JobFailure {
            failure = error
        } catch let error as JobStoreError {
            throw error
        } catch {
            failure = JobFailure(
                reason: String(describing: error),
                stage: context.pageCount == nil ? .open : .inference,
                pageIndex: context.pageInProgress)
        }
        if failure == nil {
            do {
                let output = try await publish(partial, job: job)
                try await finishDone(url, job: job, output: output, warnings: context.warnings)
                return
            } catch let error as JobFailure {
                failure = error
            }
        }
        if let failure { try await fail(url, job: job, failure: failure) }
    }

    /// Renames the finished temporary folder to its result folder, never over an existing
    /// one; the destination is recorded in the store first, so a restart can tell.
    private func publish(_ partial: URL, job: Job) async throws -> URL {
        let relative = configuration.outputLayout.folderPath(
            originalName: job.originalName, contentHash: job.contentHash, date: clock.now(),
            pipeline: configuration.pipelineName)
        let target = configuration.output.appendingPathComponent(relative)
        return try await FileMover.publish(partial, as: target, transient: true) { candidate in
            try await store.setOutputPath(
                candidate.path, contentHash: job.contentHash, owner: owner, at: clock.now())
        }
    }

    private func finishDone(
        _ url: URL, job: Job, output: URL, warnings: [DocumentWarning] = []
    ) async throws {
        try await store.markDone(contentHash: job.contentHash, owner: owner, at: clock.now())
        if warnings.isEmpty {
            try fileAway(url, into: layout.done)
        } else {
            let note = InboxReport.done(
                file: url.lastPathComponent, job: job, output: output, warnings: warnings,
                at: clock.now())
            try fileAway(url, into: layout.done, noteSuffix: ".repaired.json", note: note)
        }
        hashes[url] = nil
        summary.done += 1
        emit(.done(file: url.lastPathComponent, output: output, warnings: warnings.map(\.message)))
    }

    /// A failed attempt: retried later when transient and attempts remain, else final.
    private func fail(_ url: URL, job: Job, failure: JobFailure) async throws {
        let hash = job.contentHash
        if failure.isTransient && job.attempts < configuration.retryPolicy.maxAttempts {
            let at = clock.now().addingTimeInterval(
                configuration.retryPolicy.delay(afterAttempt: job.attempts))
            try await store.markFailed(
                contentHash: hash, owner: owner, failure: failure, retryAt: at, at: clock.now())
            scheduled[url] = at
            summary.retriesScheduled += 1
            emit(.retryScheduled(file: url.lastPathComponent, at: at, failure: failure))
            return
        }
        try await store.markFailed(
            contentHash: hash, owner: owner, failure: failure, retryAt: nil, at: clock.now())
        try fileFailed(url, job: try await store.job(contentHash: hash) ?? job, failure: failure)
    }

    // MARK: - Filing away

    /// Moves a failed input to `failed/` with its `.error.json`, and drops its partial
    /// outputs.
    private func fileFailed(_ url: URL, job: Job, failure: JobFailure) throws {
        let note = InboxReport.failure(
            file: url.lastPathComponent, job: job, failure: failure, at: clock.now())
        try fileAway(url, into: layout.failed, noteSuffix: ".error.json", note: note)
        try? FileManager.default.removeItem(at: partialFolder(job.contentHash))
        hashes[url] = nil
        summary.failed += 1
        emit(.failed(file: url.lastPathComponent, failure: failure))
    }

    /// A claimed file that cannot even be read: failed without a job.
    private func fileUnreadable(_ url: URL, reason: String) throws {
        let failure = JobFailure(reason: "cannot read the file: \(reason)", stage: .intake)
        let note = InboxReport(
            outcome: "failed", file: url.lastPathComponent, contentSHA256: nil,
            reason: failure.reason, stage: .intake, transient: false, attempts: 0, at: clock.now())
        try fileAway(url, into: layout.failed, noteSuffix: ".error.json", note: note)
        summary.failed += 1
        emit(.failed(file: url.lastPathComponent, failure: failure))
    }

    /// Moves a claimed file into `folder` under a free name; with a note, the note is
    /// written first as `<name><noteSuffix>`, then the file moved beside it. A note left by
    /// an interrupted earlier try (same content, file not beside it) is reused.
    private func fileAway(
        _ url: URL, into folder: URL, noteSuffix: String? = nil, note: InboxReport? = nil
    ) throws {
        let name = url.lastPathComponent
        guard let noteSuffix, let note else {
            _ = try FileMover.move(
                url, into: folder, preferredName: name,
                companionSuffixes: [".error.json", ".duplicate.json", ".repaired.json"])
            return
        }
        for attempt in 1...100_000 {
            let candidate = FileMover.numbered(name, attempt)
            let destination = folder.appendingPathComponent(candidate)
            let noteURL = folder.appendingPathComponent(candidate + noteSuffix)
            if FileMover.exists(destination) { continue }
            if FileMover.exists(noteURL) {
                guard let earlier = try? InboxReport.read(from: noteURL),
                    earlier.contentSHA256 != nil, earlier.contentSHA256 == note.contentSHA256
                else { continue }
            } else {
                do {
                    try note.write(to: noteURL)
                } catch FileMover.Failure.destinationExists {
                    continue
                }
            }
            do {
                try FileMover.renameNoReplace(url, to: destination)
                return
            } catch .destinationExists {
                continue
            }
        }
        throw FileMover.Failure.system("no free name for \(name) in \(folder.path)")
    }

    // MARK: - Helpers

    /// The temporary output folder of a job: content hash plus a digest of the owner, so
    /// watchers with separate stores sharing one output folder never share one.
    private func partialFolder(_ hash: String) -> URL {
        let ownerDigest = SHA256.hexDigest(of: Data(owner.utf8)).prefix(8)
        return partialRoot.appendingPathComponent("\(hash)-\(ownerDigest)")
    }

    private func firstUnfinishedPage(_ job: Job) async throws -> Int? {
        let finished = try await store.completedPages(contentHash: job.contentHash)
        let page = ProcessingContext.firstUnfinishedPage(finished)
        if let count = job.pageCount, page >= count { return nil }
        return job.pageCount == nil && finished.isEmpty ? nil : page
    }

    private func emit(_ event: WatcherEvent) { onEvent(event) }
}
