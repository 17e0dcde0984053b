import ArgumentParser
import DocumentPipeline
import Foundation

/// `palidoc pipelines`: the pipelines `--pipeline NAME` can reach, with where each comes from.
struct PipelinesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipelines",
        abstract: "List the pipelines --pipeline NAME can use, with description and origin.",
        discussion: """
            A NAME is looked up as NAME.yaml in $PALIDOC_PIPELINES (folders separated by ':'), \
            then ~/.config/palidoc/pipelines, then <prefix>/share/palidoc/pipelines beside an \
            installed binary, then the pipelines/ folder of the checkout it was built in, and \
            last among the pipelines built into palidoc; the first match is listed (a file \
            overrides a built-in pipeline of the same name).
            """)

    @Flag(help: "Print a JSON array: name, description, origin (built-in or file), path.")
    var json = false

    func run() throws {
        let locator = PipelineLocator()
        let listings = locator.pipelines()
        if json {
            let objects: [[String: Any]] = listings.map { listing in
                var object: [String: Any] = ["name": listing.name]
                switch listing.origin {
                case .builtIn: object["origin"] = "built-in"
                case .file(let url):
                    object["origin"] = "file"
                    object["path"] = url.path
                }
                object["overridesBuiltIn"] = listing.overridesBuiltIn
                if let description = listing.description { object["description"] = description }
                if let problem = listing.problem { object["problem"] = problem }
                return object
            }
            let data = try JSONSerialization.data(
                withJSONObject: objects,
                options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let width = listings.map(\.name.count).max() ?? 0
        for listing in listings {
            let name = listing.name.padding(toLength: width, withPad: " ", startingAt: 0)
            var origin = listing.origin.description
            if listing.overridesBuiltIn { origin += ", overrides the built-in one" }
            let text = listing.problem.map { "unreadable: \($0)" } ?? listing.description ?? ""
            print("\(name)  \(text) [\(origin)]")
        }
    }
}
