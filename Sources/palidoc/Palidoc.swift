import ArgumentParser

/// The `palidoc` command line: maps flags onto the library, nothing else.
/// Each subcommand lives in its own `<Name>Command.swift`.
@main
struct Palidoc: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "palidoc",
        abstract: "Document understanding with PaliGemma / PaliGemma 2 on the CPU.",
        version: "0.1.0",
        subcommands: [
            TokenizeCommand.self,
            EvalCommand.self,
            SchemaCommand.self,
            RenderCommand.self,
            GenerateCommand.self,
            ConvertCommand.self,
            WatchCommand.self,
            SubmitCommand.self,
            WorkerCommand.self,
            StatusCommand.self,
            BenchCommand.self,
        ]
    )
}
