import ArgumentParser
import DocumentPipeline
import Foundation

/// What every document a CLI command queues carries: the pipeline's YAML (sent to the workers)
/// and the identity of the model its results must come from.
struct QueueSettings {
    let yaml: String
    let modelIdentity: String

    /// For pipeline `name` (already loaded as `definition`) and the model `--model`,
    /// `PALIDOC_MODEL` or the pipeline names; every problem is one `palidoc: error:` line and
    /// exit status 2.
    static func load(pipeline name: String, definition: PipelineDefinition, model: String?)
        throws -> QueueSettings
    {
        do {
            let yaml = try PipelineLocator().text(name)
            guard let folder = definition.modelFolder(override: model) else {
                throw ConverterError(
                    "no model: pass --model DIR, set PALIDOC_MODEL, or set 'model' in the "
                        + "pipeline \(name)")
            }
            let identity = try ModelIdentity.compute(folder: folder)
            return QueueSettings(yaml: yaml, modelIdentity: identity)
        } catch {
            Diagnostics.error("\(error)")
            throw ExitCode(2)
        }
    }
}
