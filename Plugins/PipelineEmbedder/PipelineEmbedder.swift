import Foundation
import PackagePlugin

/// Builds the shipped pipelines (`pipelines/*.yaml`) into the target as Swift source, so an
/// installed binary finds them without a source checkout (`BuiltinPipelines`). The files are
/// the build's inputs: editing one rebuilds the target.
@main
struct PipelineEmbedder: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folder = context.package.directoryURL.appending(path: "pipelines")
        let files = try FileManager.default.contentsOfDirectory(
            at: folder, includingPropertiesForKeys: nil
        ).filter { $0.pathExtension == "yaml" && !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "BuiltinPipelines+Files.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) pipelines from \(folder.path)",
                executable: try context.tool(named: "EmbedPipelines").url,
                arguments: [output.path] + files.map(\.path),
                inputFiles: files, outputFiles: [output])
        ]
    }
}
