/// The pipelines shipped in `pipelines/*.yaml`, built into the binary (the PipelineEmbedder
/// build-tool plugin writes `files` from them at build time), so an installed copy of
/// palidoc finds `default`, `ocr`, `tables`, `music` and `molecules` with no source checkout.
/// Files of the same name on the search path win (`PipelineLocator`).
public enum BuiltinPipelines {
    /// The built-in names, sorted.
    public static var names: [String] { files.map(\.name).sorted() }

    /// The YAML text of built-in pipeline `name`, or `nil` when there is none.
    public static func yaml(named name: String) -> String? {
        files.first { $0.name == name }?.yaml
    }

    /// The definition of built-in pipeline `name`, or `nil` when there is none. Errors name
    /// the pipeline as `built-in:NAME`.
    public static func definition(named name: String) throws -> PipelineDefinition? {
        guard let text = yaml(named: name) else { return nil }
        return try PipelineDefinition.parse(yaml: text, file: "built-in:\(name)", defaultName: name)
    }
}
