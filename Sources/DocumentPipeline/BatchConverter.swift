import DocumentModel
import Foundation
import Synchronization

/// `palidoc convert`: converts many documents with one converter, up to `jobs` at a time,
/// each into a temporary folder under `output/.palidoc-partial/` that is renamed into place
/// whole when the document is done (never over an existing folder: `-2`, `-3`, … instead).
/// A failed document publishes nothing and never stops the run. Cancelling the task running
/// `run` (the CLI does on SIGINT/SIGTERM) stops after the current page of each document in
/// progress, removes their temporary folders and starts no further document.
public struct BatchConverter: Sendable {
    /// The converter.
    public let converter: DocumentConverter
    /// Where result folders go.
    public let output: URL
    /// Documents converted at once.
    public let jobs: Int

    /// A batch run into `output` with `jobs` documents in parallel.
    public init(converter: DocumentConverter, output: URL, jobs: Int = 1) {
        self.converter = converter
        self.output = output.standardizedFileURL
        self.jobs = max(1, jobs)
    }

    /// Converts `inputs.documents`, reporting to `onEvent`, and returns the counts.
    public func run(_ inputs: BatchInputs, onEvent: @escaping @Sendable (BatchEvent) -> Void)
        async -> BatchSummary
    {
        let clock = ContinuousClock()
        let start = clock.now
        // The temporary folders' parent goes too when nothing else uses it.
        defer { rmdir(output.appendingPathComponent(".palidoc-partial").path) }
        var result = BatchSummary()
        result.skipped = inputs.skipped.count
        onEvent(.started(documents: inputs.documents.count, skipped: inputs.skipped.count))
        for skipped in inputs.skipped {
            onEvent(.skipped(file: skipped.file.path, reason: skipped.reason))
        }
        await withTaskGroup(of: Outcome.self) { group in
            var next = inputs.documents.makeIterator()
            func startNext() {
                guard !Task.isCancelled, let file = next.next() else { return }
                group.addTask { await convert(file, onEvent: onEvent) }
            }
            for _ in 0..<jobs { startNext() }
            while let outcome = await group.next() {
                switch outcome {
                case .done(let pages, let tokens, let repaired):
                    result.done += 1
                    if repaired { result.repaired += 1 }
                    result.pages += pages
                    result.tokens += tokens
                case .failed: result.failed += 1
                case .interrupted: result.interrupted += 1
                }
                startNext()
            }
        }
        result.failed += inputs.unreadable.count
        let elapsed = clock.now - start
        result.seconds = elapsed / .seconds(1)
        for item in inputs.unreadable {
            onEvent(
                .documentFailed(
                    file: item.file.path,
                    failure: JobFailure(reason: "\(item.file.path): \(item.reason)", stage: .open)))
        }
        onEvent(.finished(result))
        return result
    }

    private enum Outcome: Sendable {
        case done(pages: Int, tokens: Int, repaired: Bool)
        case failed
        case interrupted
    }

    /// One document: convert into a temporary folder, publish, or clean up and report.
    private func convert(_ file: URL, onEvent: @escaping @Sendable (BatchEvent) -> Void) async
        -> Outcome
    {
        let name = file.path
        onEvent(.documentStarted(file: name))
        let partial = output.appendingPathComponent(".palidoc-partial")
            .appendingPathComponent(UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: partial) }
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let hash: String
            do {
                hash = try SHA256.hexDigest(ofFileAt: file)
            } catch {
                throw JobFailure(
                    reason: "\(name): cannot read the file (\(error.localizedDescription))",
                    stage: .intake)
            }
            let tokens = Mutex(0)
            let progress = DocumentConverter.Progress(
                completed: [], setPageCount: { _ in }, completePage: { _ in })
            let document = try await converter.convert(
                file: file, sourcePath: name, contentHash: hash, into: partial,
                progress: progress
            ) { event in
                if case .tiles(_, _, let count) = event { tokens.withLock { $0 += count } }
                onEvent(.progress(event))
            }
            let target: URL
            do {
                target = try await publish(partial, file: file, hash: hash)
            } catch let error as JobFailure {
                var named = error
                named.reason = "\(name): \(error.reason)"
                throw named
            }
            let elapsed = clock.now - start
            let warnings = document.warnings ?? []
            onEvent(
                .documentDone(
                    file: name, output: target.path, pages: document.pages.count,
                    seconds: elapsed / .seconds(1), warnings: warnings.map(\.message)))
            return .done(
                pages: document.pages.count, tokens: tokens.withLock { $0 },
                repaired: warnings.contains { $0.code == DocumentWarning.repairedCode })
        } catch let error as JobFailure {
            onEvent(.documentFailed(file: name, failure: error))
        } catch is CancellationError {
            onEvent(.documentInterrupted(file: name))
            return .interrupted
        } catch {
            onEvent(
                .documentFailed(
                    file: name,
                    failure: JobFailure(reason: "\(name): \(error)", stage: .inference)))
        }
        return .failed
    }

    /// Renames the finished folder to its result folder, never over an existing one.
    private func publish(_ partial: URL, file: URL, hash: String) async throws -> URL {
        let relative = converter.pipeline.output.folderPath(
            originalName: file.lastPathComponent, contentHash: hash, date: Date(),
            pipeline: converter.pipeline.name)
        return try await FileMover.publish(
            partial, as: output.appendingPathComponent(relative), transient: false)
    }
}
