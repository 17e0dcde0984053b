import Foundation

/// Resolves the `--pipeline NAME|FILE` argument to a pipeline file.
///
/// An argument containing `/` or ending in `.yaml`/`.yml` is a file path (relative to the
/// current directory). Anything else is a NAME, looked up as `NAME.yaml` in, in order:
/// 1. each folder of the `PALIDOC_PIPELINES` environment variable (`:`-separated);
/// 2. `$XDG_CONFIG_HOME/palidoc/pipelines` (default `~/.config/palidoc/pipelines`);
/// 3. `<prefix>/share/palidoc/pipelines` when the binary is `<prefix>/bin/palidoc`;
/// 4. `pipelines/` in the nearest folder above the binary that has one — a source
///    checkout, where the binary is `<repo>/.build/<config>/palidoc`;
/// 5. the pipelines built into the binary (`BuiltinPipelines`: the shipped `pipelines/`).
/// The first match wins, so a user file overrides a built-in of the same name; a miss lists
/// the folders searched and the names available.
public struct PipelineLocator: Sendable {
    /// The running binary (its location anchors steps 3 and 4).
    public var executable: URL
    /// The environment (`PALIDOC_PIPELINES`, `XDG_CONFIG_HOME`, `HOME`).
    public var environment: [String: String]

    /// A locator for this process, or for the given binary and environment in tests.
    public init(
        executable: URL = Bundle.main.executableURL
            ?? URL(fileURLWithPath: CommandLine.arguments[0]),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.executable = executable
        self.environment = environment
    }

    /// The folders searched for a NAME, in order (existing or not).
    public var searchPath: [URL] {
        var folders: [URL] = []
        for entry in (environment["PALIDOC_PIPELINES"] ?? "").split(separator: ":") {
            folders.append(URL(fileURLWithPath: (String(entry) as NSString).expandingTildeInPath))
        }
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty {
            folders.append(URL(fileURLWithPath: config).appendingPathComponent("palidoc/pipelines"))
        } else if let home = environment["HOME"], !home.isEmpty {
            folders.append(
                URL(fileURLWithPath: home).appendingPathComponent(".config/palidoc/pipelines"))
        }
        let binaryFolder = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        if binaryFolder.lastPathComponent == "bin" {
            folders.append(
                binaryFolder.deletingLastPathComponent().appendingPathComponent(
                    "share/palidoc/pipelines"))
        }
        var folder = binaryFolder
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("pipelines")
            if isDirectory(candidate) {
                folders.append(candidate)
                break
            }
            folder = folder.deletingLastPathComponent()
        }
        return folders
    }

    /// Where the pipeline for `argument` comes from, or an error naming what was searched.
    public func resolve(_ argument: String) throws -> PipelineOrigin {
        if argument.contains("/") || argument.hasSuffix(".yaml") || argument.hasSuffix(".yml") {
            let url = URL(fileURLWithPath: (argument as NSString).expandingTildeInPath)
            guard FileManager.default.isReadableFile(atPath: url.path), !isDirectory(url) else {
                throw PipelineDefinitionError(file: argument, reason: "no such pipeline file")
            }
            return .file(url)
        }
        guard !argument.isEmpty, !argument.hasPrefix(".") else {
            throw PipelineDefinitionError(file: argument, reason: "not a pipeline name")
        }
        let folders = searchPath
        for folder in folders {
            let candidate = folder.appendingPathComponent("\(argument).yaml")
            if FileManager.default.isReadableFile(atPath: candidate.path) {
                return .file(candidate)
            }
        }
        if BuiltinPipelines.yaml(named: argument) != nil { return .builtIn }
        let searched = folders.map(\.path).joined(separator: ", ")
        let known = Set(availableNames()).union(BuiltinPipelines.names).sorted()
        let listing = known.isEmpty ? "none found" : known.joined(separator: ", ")
        throw PipelineDefinitionError(
            file: argument,
            reason: "no pipeline named '\(argument)' (searched: \(searched) and the built-in "
                + "pipelines; available: \(listing))")
    }

    /// The pipeline file for `argument`; a built-in pipeline has none (an error says so).
    public func locate(_ argument: String) throws -> URL {
        switch try resolve(argument) {
        case .file(let url): return url
        case .builtIn:
            throw PipelineDefinitionError(
                file: argument, reason: "built into palidoc, not a file on the search path")
        }
    }

    /// The YAML text of the pipeline for `argument` (its file's, or the built-in one's): what a
    /// shared queue sends to its workers.
    public func text(_ argument: String) throws -> String {
        switch try resolve(argument) {
        case .file(let url):
            do {
                return try String(contentsOf: url, encoding: .utf8)
            } catch {
                throw PipelineDefinitionError(
                    file: url.path, reason: "\(error.localizedDescription)")
            }
        case .builtIn:
            guard let text = BuiltinPipelines.yaml(named: argument) else {
                throw PipelineDefinitionError(file: argument, reason: "no such pipeline")
            }
            return text
        }
    }

    /// Locates and loads the pipeline for `argument`.
    public func load(_ argument: String) throws -> PipelineDefinition {
        switch try resolve(argument) {
        case .file(let url): return try PipelineDefinition.load(from: url)
        case .builtIn:
            guard let definition = try BuiltinPipelines.definition(named: argument) else {
                throw PipelineDefinitionError(file: argument, reason: "no such pipeline")
            }
            return definition
        }
    }

    /// Every pipeline a NAME can reach, sorted by name: the first file of that name along
    /// the search path, else the built-in one; each with its description (or why it cannot
    /// be read) and whether it hides a built-in pipeline of the same name.
    public func pipelines() -> [PipelineListing] {
        let names = Set(availableNames()).union(BuiltinPipelines.names).sorted()
        return names.compactMap { name in
            guard let origin = try? resolve(name) else { return nil }
            var listing = PipelineListing(name: name, origin: origin)
            if case .file(let url) = origin, let builtIn = BuiltinPipelines.yaml(named: name) {
                // A checkout's own copy of a shipped file overrides nothing.
                let text = try? String(contentsOf: url, encoding: .utf8)
                listing.overridesBuiltIn = text != builtIn
            }
            do {
                listing.description = try load(name).summary
            } catch {
                listing.problem = "\(error)"
            }
            return listing
        }
    }

    /// Names (`*.yaml` stems) of the files along the search path, sorted (built-in pipelines
    /// are `BuiltinPipelines.names`).
    public func availableNames() -> [String] {
        var names = Set<String>()
        for folder in searchPath {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for entry in entries where entry.hasSuffix(".yaml") && !entry.hasPrefix(".") {
                names.insert(String(entry.dropLast(5)))
            }
        }
        return names.sorted()
    }

    private func isDirectory(_ url: URL) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &flag)
            && flag.boolValue
    }
}
