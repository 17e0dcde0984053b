import ArgumentParser
import DocumentPipeline
import Foundation

/// `palidoc convert`: documents and folders through a pipeline into result folders.
struct ConvertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert documents (files or folders, recursively) with a pipeline.",
        discussion: """
            Each document (PDF, TIFF, PNG or JPEG, detected from its content) gets one result \
            folder under --out, named by the pipeline's output.folder (default {stem}); an \
            existing folder is never overwritten (-2, -3, … instead). Files that are not \
            documents are skipped and listed. Exit status: 0 when every document was \
            converted, 1 when some failed (one 'palidoc: error: <file>: <reason>' line each), \
            2 for usage errors (flags, pipeline, model), 130 when stopped by SIGINT/SIGTERM \
            (documents in progress finish their current page and publish nothing).
            """)

    @Argument(help: "Documents and folders to convert.")
    var inputs: [String]

    @Option(help: "Pipeline name (searched as NAME.yaml) or a .yaml file.")
    var pipeline = "default"

    @Option(help: "Output folder (created if missing).")
    var out: String

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

    @Option(help: "Pages to convert in every document, e.g. 1-3,7 or 5- (default: all).")
    var pages: String?

    @Option(help: "Password for encrypted PDFs.")
    var password: String?

    @Flag(help: "Refuse damaged PDFs instead of repairing them (pipeline key 'strict').")
    var strict = false

    @Option(help: "Documents converted at once (each with its own inference thread).")
    var jobs = 1

    @Option(help: "Progress: auto, tty (bar), json (JSON lines on stdout) or none.")
    var progress: String = "auto"

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one input") }
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs must be 1 to 64") }
        guard ProgressDisplay.Mode(rawValue: progress) != nil else {
            throw ValidationError("--progress must be auto, tty, json or none")
        }
    }

    func run() async throws {
        let display = ProgressDisplay(mode: ProgressDisplay.Mode(rawValue: progress) ?? .auto)
        let setup = try ConversionSetup.loadForCLI(
            pipeline: pipeline, model: model, weights: weights, kvCache: kvCache, pages: pages,
            password: password, strict: strict, threads: jobs)
        let output = URL(fileURLWithPath: out).standardizedFileURL
        do {
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        } catch {
            Diagnostics.error("\(output.path): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        let inputs = BatchInputs.collect(self.inputs, excluding: output)
        let batch = BatchConverter(converter: setup.converter, output: output, jobs: jobs)
        let run = Task { await batch.run(inputs) { display.handle($0) } }
        // SIGINT/SIGTERM: finish the current pages, publish nothing half-done, stop; a second
        // signal ends the process at once.
        let trap = SignalTrap { _ in run.cancel() }
        let summary = await run.value
        withExtendedLifetime(trap) {}
        display.finish(summary, output: output)
        if run.isCancelled { throw ExitCode(130) }
        if summary.exitStatus != 0 { throw ExitCode(summary.exitStatus) }
    }
}
