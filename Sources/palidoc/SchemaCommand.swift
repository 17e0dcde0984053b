import ArgumentParser
import DocumentExport
import Foundation

/// `palidoc schema`: the JSON Schema of the documents the JSON exporter writes.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print (or save) the JSON Schema of palidoc's JSON output.")

    @Option(help: "Write the schema to this file instead of standard output.")
    var output: String?

    func run() throws {
        guard let output else {
            print(DocumentSchema.json)
            return
        }
        do {
            try DocumentSchema.write(to: URL(fileURLWithPath: output))
        } catch {
            throw Diagnostics.error("\(error)")
        }
    }
}
