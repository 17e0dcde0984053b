import ArgumentParser
import PaliTensor

/// The `palidoc` command line: maps flags onto the library, nothing else.
/// Each subcommand lives in its own `<Name>Command.swift`.
@main
struct Palidoc: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "palidoc",
        abstract: "Document understanding with PaliGemma / PaliGemma 2 on the CPU.",
        subcommands: [
            TokenizeCommand.self,
            EvalCommand.self,
            SchemaCommand.self,
            RenderCommand.self,
            GenerateCommand.self,
            ConvertCommand.self,
            WatchCommand.self,
            PipelinesCommand.self,
            SubmitCommand.self,
            WorkerCommand.self,
            StatusCommand.self,
            BenchCommand.self,
        ]
    )

    /// The version `--version` prints.
    static let version = "0.1.0"

    @Flag(name: .long, help: "Print the version and exit.")
    var version = false

    @Flag(
        name: .long,
        help: """
            With --version: also the CPU and its features, the BLAS core and the kernel each \
            kind of product runs on.
            """)
    var verbose = false

    mutating func run() async throws {
        guard version else { throw CleanExit.helpRequest(self) }
        print(Self.version)
        if verbose { KernelReport.current().lines.forEach { print($0) } }
    }
}
