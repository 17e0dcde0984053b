import ArgumentParser
import DocumentPipeline

extension ConversionSetup {
    /// `load(...)` with every problem reported as one `palidoc: error:` line and exit status
    /// 2, and the random-weights notice shown.
    static func loadForCLI(
        pipeline name: String, model: String?, weights: WeightPrecision?,
        kvCache: KVCacheFormat?, pages: String?, password: String?, strict: Bool, threads: Int,
        onEvent: @escaping @Sendable (ConversionEvent) -> Void = { _ in }
    ) throws -> ConversionSetup {
        do {
            let setup = try load(
                pipeline: name, model: model, weights: weights, kvCache: kvCache, pages: pages,
                password: password, strict: strict, threads: threads, onEvent: onEvent)
            if let notice = setup.randomWeightsNotice { Diagnostics.note(notice) }
            return setup
        } catch {
            Diagnostics.error("\(error)")
            throw ExitCode(2)
        }
    }
}
