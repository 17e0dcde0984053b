import DocumentIngest
import DocumentModel
import Foundation
import PaliGemma
import PaliTensor

/// The weight precisions `convert`, `watch` and pipeline files choose from: the engine's, named
/// here so that callers of the pipeline need not import the engine.
public typealias WeightPrecision = PaliGemma.WeightPrecision

/// How inference holds its keys and values, named here for the same reason.
public typealias KVCacheFormat = PaliTensor.KVCacheFormat

/// What `convert` and `watch` share: the pipeline, the checkpoint and the converter.
public struct ConversionSetup: Sendable {
    public let pipeline: PipelineDefinition
    public let engine: PaliGemmaEngine
    public let converter: DocumentConverter

    /// Loads the pipeline (`NAME` or file), the model (`model`, `PALIDOC_MODEL`, or the
    /// pipeline's `model`) with its weights held as `weights`, else the pipeline's `weights`,
    /// else the engine's default, and its keys and values as `kvCache`, else the pipeline's
    /// `kv_cache`, else float32; and builds the converter for the pages `pages` selects
    /// (`"1-3,7"`). `strict` turns the pipeline's `strict` on. Every failure is thrown with a
    /// message that names the file or setting and the reason.
    public static func load(
        pipeline name: String, model: String?, weights: WeightPrecision?,
        kvCache: KVCacheFormat? = nil, pages: String?, password: String?, strict: Bool = false,
        threads: Int,
        onEvent: @escaping @Sendable (ConversionEvent) -> Void = { _ in }
    ) throws -> ConversionSetup {
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
            kvCache: kvCache ?? pipeline.kvCache ?? .f32, threads: threads)
        let converter = try DocumentConverter(
            pipeline: pipeline, engine: engine, pages: selection, password: password,
            threads: threads, onEvent: onEvent)
        return ConversionSetup(pipeline: pipeline, engine: engine, converter: converter)
    }

    /// The notice to show when the checkpoint is the random-weight test model, else nil.
    public var randomWeightsNotice: String? { engine.info.randomWeightsNotice }
}
