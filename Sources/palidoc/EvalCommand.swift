import ArgumentParser
import DocumentExport
import Foundation

/// `palidoc eval`: scores model outputs against ground truth.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score predictions against ground truth.",
        subcommands: [TEDSCommand.self])

    /// `palidoc eval teds`: TEDS / TEDS-S of predicted tables (PubTabNet's metric).
    struct TEDSCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "teds",
            abstract: "TEDS (or TEDS-S) of predicted HTML tables, as PubTabNet computes it.",
            discussion: """
                Each of --pred and --gt is an HTML file (one table), PubTabNet JSONL \
                (.jsonl), or a JSON object mapping table names to HTML strings (or to \
                {"html": …}). Tables are paired by name; a missing prediction scores 0. \
                Prints one "name<TAB>score" line per ground-truth table, then "mean<TAB>score".
                """)

        @Option(help: "Predicted tables.")
        var pred: String

        @Option(help: "Ground-truth tables.")
        var gt: String

        @Flag(help: "Compare structure only (TEDS-S): ignore cell content.")
        var structureOnly = false

        func run() throws {
            do {
                let predictions = try TEDSTables(contentsOf: URL(fileURLWithPath: pred))
                let truth = try TEDSTables(contentsOf: URL(fileURLWithPath: gt))
                let evaluation: TEDSEvaluation
                do {
                    evaluation = try TEDSEvaluation(
                        predictions: predictions, groundTruth: truth,
                        metric: TEDS(structureOnly: structureOnly))
                } catch {
                    throw TEDSInputError(file: gt, reason: error.description)
                }
                if evaluation.entries.isEmpty {
                    throw TEDSInputError(file: gt, reason: "no ground-truth tables")
                }
                var out = ""
                for entry in evaluation.entries {
                    let note = entry.problem.map { "\t(\($0))" } ?? ""
                    out += "\(entry.name)\t\(Self.format(entry.score))\(note)\n"
                }
                out += "mean\t\(Self.format(evaluation.mean))\n"
                print(out, terminator: "")
                for name in evaluation.unmatchedPredictions {
                    Diagnostics.warning("\(pred): \(name) has no ground truth")
                }
            } catch {
                throw Diagnostics.error("\(error)")
            }
        }

        static func format(_ value: Double) -> String { String(format: "%.6f", value) }
    }
}
