import ArgumentParser
import DocumentPipeline
import Foundation

/// `palidoc submit`: stores documents in a shared queue for `palidoc worker`s.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Queue documents for the workers of a shared store.",
        discussion: """
            Each document (folders are searched for PDF, TIFF, PNG and JPEG files) is stored \
            in the store with the pipeline's text and the model's identity, split into \
            chunks of the pipeline's chunk_pages pages, and its job id printed. The same \
            content with the same pipeline is recognised: its existing job is printed. \
            Exit status 1 when a document could not be queued, 2 when the store or \
            pipeline cannot be used.
            """)

    @Argument(help: "Documents or folders.")
    var inputs: [String]

    @Option(help: "postgres:// URL or SQLite file (default: PALIDOC_STORE).")
    var store: String?

    @Option(
        help: """
            With a postgres:// store: keep documents and outputs in this folder, shared by \
            every machine, instead of the database (default: PALIDOC_BLOBS).
            """)
    var blobs: String?

    @Option(help: "Pipeline name (searched as NAME.yaml) or a .yaml file.")
    var pipeline = "default"

    @Option(
        help: """
            Checkpoint folder the workers must have (default: PALIDOC_MODEL, then the \
            pipeline's model).
            """)
    var model: String?

    @Option(help: "Higher priorities are converted first.")
    var priority = 0

    @Flag(help: "One JSON object per document instead of text lines.")
    var json = false

    func run() async throws {
        let definition: PipelineDefinition
        do {
            definition = try PipelineLocator().load(pipeline)
        } catch {
            Diagnostics.error("\(error)")
            throw ExitCode(2)
        }
        let settings = try QueueSettings.load(
            pipeline: pipeline, definition: definition, model: model)
        let opened = try await QueueStoreOpener.open(store, blobs: blobs)
        defer { opened.close() }
        let collected = BatchInputs.collect(inputs)
        var failures = 0
        for item in collected.unreadable + collected.skipped {
            Diagnostics.error("\(item.file.path): \(item.reason)")
            failures += 1
        }
        for file in collected.documents {
            do {
                let submission = try JobSubmission(
                    file: file, pipeline: definition, yaml: settings.yaml,
                    modelIdentity: settings.modelIdentity,
                    priority: priority)
                let (job, isNew) = try await opened.queue.submit(submission)
                report(job, file: file, isNew: isNew)
            } catch {
                Diagnostics.error("\(error)")
                failures += 1
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    private func report(_ job: QueueJob, file: URL, isNew: Bool) {
        guard json else {
            print("\(job.id)\t\(isNew ? "queued" : job.state.rawValue)\t\(file.path)")
            return
        }
        struct Line: Encodable {
            let id: Int64
            let file: String
            let new: Bool
            let state: String
            let pages: Int
            let sha256: String
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let line = Line(
            id: job.id, file: file.path, new: isNew, state: job.state.rawValue,
            pages: job.pageCount, sha256: job.contentSHA256)
        if let data = try? encoder.encode(line) { print(String(decoding: data, as: UTF8.self)) }
    }
}
