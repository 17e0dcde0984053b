import ArgumentParser
import DocumentIngest
import DocumentModel
import DocumentPipeline
import Foundation
import PaliGemma

/// What `convert` and `watch` share: the pipeline, the checkpoint and the converter, with
/// every problem reported as one `palidoc: error:` line and exit status 2.
struct ConversionSetup {
    let pipeline: PipelineDefinition
    let engine: PaliGemmaEngine
    let converter: DocumentConverter

    /// Loads the pipeline (`NAME` or file), the model (`--model`, `PALIDOC_MODEL`, or the
    /// pipeline's `model`) with its weights held as `--weights`, else the pipeline's
    /// `weights`, else the engine's default; and builds the converter. `strict` (the
    /// `--strict` flag) turns the pipeline's `strict` on.
    static func load(
        pipeline name: String, model: String?, weights: WeightPrecision?, pages: String?,
        password: String?, strict: Bool = false, threads: Int,
        onEvent: @escaping @Sendable (ConversionEvent) -> Void = { _ in }
    ) throws -> ConversionSetup {
        do {
            var pipeline = try PipelineLocator().load(name)
            if strict { pipeline.strict = true }
            guard let folder = pipeline.modelFolder(override: model) else {
                throw ConverterError(
                    "no model: pass --model DIR, set PALIDOC_MODEL, or set 'model' in the "
                        + "pipeline file \(pipeline.sourceFile?.path ?? name)")
            }
            let selection = try pages.map { try PageSelection(parsing: $0) }
            let engine = try PaliGemmaEngine(
                directory: folder,
                weights: weights ?? pipeline.weights ?? PaliGemmaEngine.defaultWeights,
                threads: threads)
            let converter = try DocumentConverter(
                pipeline: pipeline, engine: engine, pages: selection, password: password,
                threads: threads, onEvent: onEvent)
            if engine.info.isRandomTestModel {
                Diagnostics.note("\(ModelInfo.randomWeightsNotice)")
            }
            return ConversionSetup(pipeline: pipeline, engine: engine, converter: converter)
        } catch {
            Diagnostics.error("\(error)")
            throw ExitCode(2)
        }
    }
}
