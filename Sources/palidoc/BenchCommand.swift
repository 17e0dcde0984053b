import ArgumentParser

/// `palidoc bench`: timings of the engine alone (`engine`, the default, so `palidoc bench
/// --model DIR --resolution R` times a checkpoint) and of a job store (`queue`).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the engine on a checkpoint (the default) or a job store.",
        subcommands: [EngineBenchCommand.self, QueueBenchCommand.self],
        defaultSubcommand: EngineBenchCommand.self)
}
