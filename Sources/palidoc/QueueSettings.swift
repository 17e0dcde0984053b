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

extension QueueSettings {
    /// This process's worker id in the store, "host:pid", the host as `gethostname` gives it:
    /// no name lookup, which could stall a worker on a machine without DNS.
    static var workerID: String {
        var name = [CChar](repeating: 0, count: 256)
        let host =
            gethostname(&name, name.count) == 0
            ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            : "host"
        return "\(host):\(getpid())"
    }
}
