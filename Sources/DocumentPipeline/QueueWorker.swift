import DocumentExport
import DocumentModel
import Foundation
import Synchronization

/// Works a shared `JobQueue`: claims chunks for its model, converts their pages (committing
/// each page's result before the next starts), assembles documents whose last chunk it
/// finished, and renews its leases from a heartbeat thread. Several workers, in one process
/// or on many machines, share one queue.
///
/// A lease lost (taken over after this worker stalled) abandons the chunk: every write after
/// it is rejected by the store. The store going away is waited out with backoff. A stop
/// (`requestStop`) finishes the page in progress, gives the lease back and returns.
public final class QueueWorker: Sendable {
    /// Settings of a worker.
    public struct Configuration: Sendable {
        /// The worker's id in the queue (lease owner); unique per worker.
        public var workerID: String
        /// The identity of the loaded model (`ModelIdentity`).
        public var modelIdentity: String
        /// Lease length in seconds; heartbeats renew it every third of that.
        public var leaseSeconds: Double
        /// Longest wait for new work before looking again (NOTIFY wakes it earlier).
        public var pollSeconds: Double
        /// How long a store call is retried (the database restarting) before the chunk is
        /// abandoned to the reaper.
        public var storeRetrySeconds: Double
        /// Chunks worked at once.
        public var concurrency: Int
        /// Rendering threads per converter.
        public var threads: Int
        /// Where documents and temporary outputs go.
        public var workFolder: URL

        /// A configuration; the defaults suit a long-running worker.
        public init(
            workerID: String, modelIdentity: String, leaseSeconds: Double = 30,
            pollSeconds: Double = 3, storeRetrySeconds: Double = 120, concurrency: Int = 1,
            threads: Int = 1, workFolder: URL
        ) {
            self.workerID = workerID
            self.modelIdentity = modelIdentity
            self.leaseSeconds = leaseSeconds
            self.pollSeconds = pollSeconds
            self.storeRetrySeconds = storeRetrySeconds
            self.concurrency = max(1, concurrency)
            self.threads = max(1, threads)
            self.workFolder = workFolder
        }
    }

    /// What a worker reports.
    public enum Event: Sendable, CustomStringConvertible {
        /// A chunk was claimed.
        case claimed(
            job: Int64, name: String, kind: ChunkLease.Kind, pages: Range<Int>,
            attempt: Int)
        /// A page's result was committed.
        case pageDone(job: Int64, name: String, page: Int)
        /// A document was assembled and its outputs stored.
        case assembled(job: Int64, name: String, outputs: Int)
        /// The lease was taken over; the chunk was abandoned.
        case leaseLost(job: Int64, name: String)
        /// An attempt failed; `retryAfter` when it is tried again.
        case failed(job: Int64, name: String, reason: String, retryAfter: Double?)
        /// The lease was given back on a stop.
        case released(job: Int64, name: String)
        /// Expired leases were returned to the queue.
        case reaped(count: Int)
        /// A store or file problem the worker rides out.
        case problem(String)

        /// One line for logs.
        public var description: String {
            switch self {
            case .claimed(let job, let name, let kind, let pages, let attempt):
                let what =
                    kind == .assemble
                    ? "assembly" : "pages \(pages.lowerBound + 1)-\(pages.upperBound)"
                return "job \(job) \(name): claimed \(what) (attempt \(attempt))"
            case .pageDone(let job, let name, let page):
                return "job \(job) \(name): page \(page + 1) committed"
            case .assembled(let job, let name, let outputs):
                return "job \(job) \(name): done, \(outputs) output files stored"
            case .leaseLost(let job, let name):
                return "job \(job) \(name): lease taken over by another worker; chunk abandoned"
            case .failed(let job, let name, let reason, let retry):
                let next = retry.map { "; retry in \(Int($0)) s" } ?? "; failed for good"
                return "job \(job) \(name): \(reason)\(next)"
            case .released(let job, let name):
                return "job \(job) \(name): lease released on stop"
            case .reaped(let count):
                return "returned \(count) expired lease\(count == 1 ? "" : "s") to the queue"
            case .problem(let text):
                return text
            }
        }
    }

    /// The settings.
    public let configuration: Configuration
    private let queue: any JobQueue
    private let engine: any Engine
    private let onEvent: @Sendable (Event) -> Void
    private let stopFlag = StopFlag()
    private let converters = Mutex<[String: DocumentConverter]>([:])

    /// A worker on `queue` converting with `engine`; `onEvent` hears progress.
    public init(
        queue: any JobQueue, engine: any Engine, configuration: Configuration,
        onEvent: @escaping @Sendable (Event) -> Void = { _ in }
    ) {
        self.queue = queue
        self.engine = engine
        self.configuration = configuration
        self.onEvent = onEvent
    }

    /// Asks the worker to finish its pages in progress, release its leases and return.
    public func requestStop() { stopFlag.set() }

    /// Traps SIGINT and SIGTERM as a stop request; keep the trap alive while running.
    public func stopOnSignals() -> SignalTrap {
        SignalTrap { [weak self] _ in self?.requestStop() }
    }

    /// Claims and works chunks until a stop is requested (or, with `untilIdle`, until no
    /// chunk is claimable).
    public func run(untilIdle: Bool = false) async {
        try? FileManager.default.createDirectory(
            at: configuration.workFolder, withIntermediateDirectories: true)
        await withTaskGroup(of: Void.self) { group in
            for slot in 0..<configuration.concurrency {
                group.addTask { await self.loop(slot: slot, untilIdle: untilIdle) }
            }
        }
        try? await queue.removeWorker(configuration.workerID)
    }

    /// One claim loop; slot 0 also reaps expired leases.
    private func loop(slot: Int, untilIdle: Bool) async {
        var lastReap = Date.distantPast
        var backoff = 0.5
        while !stopFlag.isSet {
            do {
                if slot == 0 && Date().timeIntervalSince(lastReap) >= configuration.leaseSeconds / 3
                {
                    lastReap = Date()
                    let count = try await queue.reapExpiredLeases()
                    if count > 0 { onEvent(.reaped(count: count)) }
                }
                let lease = try await queue.claimChunk(
                    worker: configuration.workerID, model: configuration.modelIdentity,
                    leaseSeconds: configuration.leaseSeconds)
                backoff = 0.5
                guard let lease else {
                    if untilIdle { return }
                    await queue.waitForWork(timeout: configuration.pollSeconds)
                    continue
                }
                await work(lease)
            } catch {
                onEvent(.problem("\(error); trying again in \(backoff) s"))
                try? await Task.sleep(nanoseconds: UInt64(backoff * 1e9))
                backoff = min(backoff * 2, 10)
            }
        }
    }

    // MARK: - Chunks

    /// Thrown when every page of the chunk is committed, to end the conversion before it
    /// assembles a document it has only part of.
    private struct ChunkFinished: Error {}
    /// Thrown when a write finds the lease taken over.
    private struct LeaseLost: Error {}

    private func work(_ lease: ChunkLease) async {
        let name = lease.job.originalName
        onEvent(
            .claimed(
                job: lease.job.id, name: name, kind: lease.kind, pages: lease.pages,
                attempt: lease.attempts))
        let renewer: any LeaseRenewer
        do {
            renewer = try queue.makeLeaseRenewer()
        } catch {
            onEvent(.problem("cannot start a heartbeat: \(error)"))
            return
        }
        defer { renewer.close() }
        var current = lease
        while true {
            let heartbeat = LeaseHeartbeat(
                lease: current, renewer: renewer, leaseSeconds: configuration.leaseSeconds,
                interval: configuration.leaseSeconds / 3
            ) { [onEvent] in onEvent(.problem($0)) }
            let next = await attempt(current, heartbeat: heartbeat)
            heartbeat.stop()
            guard let next else { return }
            onEvent(
                .claimed(
                    job: next.job.id, name: name, kind: next.kind, pages: next.pages,
                    attempt: next.attempts))
            current = next
        }
    }

    /// Works one lease; returns the assembly lease when this chunk was the job's last.
    private func attempt(_ lease: ChunkLease, heartbeat: LeaseHeartbeat) async -> ChunkLease? {
        let name = lease.job.originalName
        let folder = configuration.workFolder.appendingPathComponent(
            "job-\(lease.job.id)-\(lease.chunk)-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            switch lease.kind {
            case .pages:
                try await convertPages(lease, folder: folder, heartbeat: heartbeat)
                let completion = try await persist {
                    try await self.queue.completeChunk(
                        lease, leaseSeconds: self.configuration.leaseSeconds)
                }
                switch completion {
                case .lost: throw LeaseLost()
                case .done: return nil
                case .assemble(let next): return next
                }
            case .assemble:
                let outputs = try await assemble(lease, folder: folder, heartbeat: heartbeat)
                guard try await persist({ try await self.queue.finishJob(lease, outputs: outputs) })
                else { throw LeaseLost() }
                onEvent(.assembled(job: lease.job.id, name: name, outputs: outputs.count))
                return nil
            }
        } catch is LeaseLost {
            onEvent(.leaseLost(job: lease.job.id, name: name))
        } catch is ProcessingInterrupted {
            do {
                try await queue.releaseChunk(lease)
                onEvent(.released(job: lease.job.id, name: name))
            } catch {
                onEvent(.problem("job \(lease.job.id): cannot release the lease: \(error)"))
            }
        } catch let failure as JobFailure {
            await fail(lease, reason: failure.description, transient: failure.isTransient)
        } catch let error as BlobError {
            await fail(lease, reason: "\(error)", transient: error.isTransient)
        } catch let error as JobStoreError {
            // The store stayed away: the lease expires and the reaper hands the chunk on.
            onEvent(.problem("job \(lease.job.id): \(error); chunk left to expire"))
        } catch {
            await fail(lease, reason: "\(error)", transient: false)
        }
        return nil
    }

    /// Converts the chunk's pages that have no committed result, committing each.
    private func convertPages(_ lease: ChunkLease, folder: URL, heartbeat: LeaseHeartbeat)
        async throws
    {
        let committed = try await persist {
            try await self.queue.pageResults(jobID: lease.job.id, pages: lease.pages)
        }
        let todo = lease.pages.filter { committed[$0] == nil }
        guard !todo.isEmpty else { return }
        let converter = try converter(for: lease)
        let document = try await documentFile(lease)
        let remaining = Mutex(todo.count)
        let progress = DocumentConverter.Progress(
            completed: Set(0..<lease.job.pageCount).subtracting(todo),
            setPageCount: { _ in },
            completePage: { [self] index in
                let result = try await pageResult(index, folder: folder)
                guard !heartbeat.isLost,
                    try await persist({
                        try await self.queue.savePageResult(result, page: index, lease: lease)
                    })
                else { throw LeaseLost() }
                onEvent(.pageDone(job: lease.job.id, name: lease.job.originalName, page: index))
                if remaining.withLock({
                    $0 -= 1
                    return $0
                }) == 0 {
                    throw ChunkFinished()
                }
                if stopFlag.isSet { throw ProcessingInterrupted() }
            })
        do {
            try await converter.convert(
                file: document, sourcePath: lease.job.originalName,
                contentHash: lease.job.contentSHA256, into: folder, progress: progress,
                events: { _ in })
        } catch is ChunkFinished {
            return
        }
        throw JobFailure(reason: "the conversion ended before its last page", stage: .inference)
    }

    /// Builds the document from every committed page and runs the exporters; stores each
    /// output file as a blob.
    private func assemble(_ lease: ChunkLease, folder: URL, heartbeat: LeaseHeartbeat)
        async throws -> [JobOutput]
    {
        let results = try await persist {
            try await self.queue.pageResults(jobID: lease.job.id, pages: lease.pages)
        }
        let pagesFolder = folder.appendingPathComponent(DocumentConverter.pagesFolder)
        try FileManager.default.createDirectory(at: pagesFolder, withIntermediateDirectories: true)
        for page in lease.pages {
            guard let result = results[page] else {
                throw JobFailure(
                    reason: "page \(page + 1) has no committed result", stage: .export,
                    pageIndex: page)
            }
            try await unpack(result, page: page, folder: folder)
        }
        let converter = try converter(for: lease)
        let document = try await documentFile(lease)
        let progress = DocumentConverter.Progress(
            completed: Set(lease.pages), setPageCount: { _ in }, completePage: { _ in })
        try await converter.convert(
            file: document, sourcePath: lease.job.originalName,
            contentHash: lease.job.contentSHA256, into: folder, progress: progress,
            events: { _ in })
        guard !heartbeat.isLost else { throw LeaseLost() }
        var outputs: [JobOutput] = []
        let base = folder.standardizedFileURL.path + "/"
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
            else { continue }
            let data = try Data(contentsOf: url)
            let sha = try await persist { try await self.queue.putBlob(data) }
            let path = String(url.standardizedFileURL.path.dropFirst(base.count))
            outputs.append(JobOutput(path: path, sha256: sha, byteCount: data.count))
        }
        return outputs.sorted { $0.path < $1.path }
    }

    /// Records a failed attempt: a transient failure with attempts left is retried after
    /// the policy's backoff; anything else fails the job.
    private func fail(_ lease: ChunkLease, reason: String, transient: Bool) async {
        let retry =
            transient && lease.attempts < lease.retries.maxAttempts
            ? lease.retries.delay(afterAttempt: lease.attempts) : nil
        do {
            let held = try await persist {
                try await self.queue.failChunk(lease, reason: reason, retryAfter: retry)
            }
            onEvent(
                held
                    ? .failed(
                        job: lease.job.id, name: lease.job.originalName, reason: reason,
                        retryAfter: retry)
                    : .leaseLost(job: lease.job.id, name: lease.job.originalName))
        } catch {
            onEvent(.problem("job \(lease.job.id): cannot record the failure: \(error)"))
        }
    }

    // MARK: - Page results

    /// What a page's committed result holds: the page (JSON) and the files the page wrote
    /// beside it (its raster, kept for the HTML and PDF exporters), stored as blobs; paths
    /// relative to the output folder.
    private struct PageResult: Codable {
        var page: Page
        var files: [String: String]
    }

    /// The committed form of a finished page in `folder`.
    private func pageResult(_ index: Int, folder: URL) async throws -> Data {
        let pagesFolder = folder.appendingPathComponent(DocumentConverter.pagesFolder)
        let page = try JSONDecoder().decode(
            Page.self, from: Data(contentsOf: DocumentConverter.pageFile(index, in: pagesFolder)))
        var files: [String: String] = [:]
        for encoding in [PDFPageImage.Encoding.png, .jpeg] {
            let url = DocumentConverter.pageImage(page.number, encoding, in: folder)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            let data = try Data(contentsOf: url)
            let path = DocumentConverter.pagesFolder + "/" + url.lastPathComponent
            files[path] = try await persist { try await self.queue.putBlob(data) }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(PageResult(page: page, files: files))
    }

    /// Writes a committed page back into `folder` as the converter saved it.
    private func unpack(_ result: Data, page index: Int, folder: URL) async throws {
        let pagesFolder = folder.appendingPathComponent(DocumentConverter.pagesFolder)
        let decoded: PageResult
        do {
            decoded = try JSONDecoder().decode(PageResult.self, from: result)
        } catch {
            throw JobFailure(
                reason: "the committed result of page \(index + 1) is unreadable",
                stage: .export, pageIndex: index)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(decoded.page).write(
            to: DocumentConverter.pageFile(index, in: pagesFolder))
        for (path, sha) in decoded.files {
            let target = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try await persist { try await self.queue.blob(sha) }.write(to: target)
        }
    }

    // MARK: - Helpers

    /// The converter for the lease's pipeline (parsed once per pipeline text).
    private func converter(for lease: ChunkLease) throws -> DocumentConverter {
        if let known = converters.withLock({ $0[lease.job.pipelineHash] }) { return known }
        let pipeline: PipelineDefinition
        do {
            pipeline = try PipelineDefinition.parse(
                yaml: lease.pipelineYAML,
                file: "pipeline '\(lease.job.pipelineName)' of job "
                    + "\(lease.job.id)", defaultName: lease.job.pipelineName)
        } catch {
            throw JobFailure(reason: "\(error)", stage: .intake)
        }
        let converter: DocumentConverter
        do {
            converter = try DocumentConverter(
                pipeline: pipeline, engine: engine, threads: configuration.threads)
        } catch {
            throw JobFailure(reason: "\(error)", stage: .intake)
        }
        converters.withLock { $0[lease.job.pipelineHash] = converter }
        return converter
    }

    /// The job's document as a local file (fetched once per content), named with its
    /// original extension.
    private func documentFile(_ lease: ChunkLease) async throws -> URL {
        let ext = URL(fileURLWithPath: lease.job.originalName).pathExtension
        let file = configuration.workFolder.appendingPathComponent(
            lease.job.contentSHA256 + (ext.isEmpty ? "" : ".\(ext)"))
        if FileMover.exists(file) { return file }
        let data = try await persist { try await self.queue.blob(lease.job.contentSHA256) }
        do {
            try AtomicFile.write(data, to: file)
        } catch {
            throw JobFailure(
                reason: "cannot write \(file.path): \(error.localizedDescription)",
                stage: .intake, isTransient: true)
        }
        return file
    }

    /// Runs a store call, retrying with backoff while the store is unavailable, for
    /// `storeRetrySeconds` at most.
    private func persist<T: Sendable>(_ call: @Sendable () async throws -> T) async throws -> T {
        let deadline = Date().addingTimeInterval(configuration.storeRetrySeconds)
        var delay = 0.25
        while true {
            do {
                return try await call()
            } catch let error as JobStoreError {
                guard case .unavailable = error, Date() < deadline else { throw error }
                onEvent(.problem("\(error); trying again in \(delay) s"))
                try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                delay = min(delay * 2, 5)
            }
        }
    }
}
