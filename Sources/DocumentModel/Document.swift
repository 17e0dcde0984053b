/// Everything palidoc learned about one input file: its pages with their tiles and the task
/// results (regions), the model and pipeline that produced them, and how long it took.
///
/// This is the root of the JSON written by the JSON exporter; its shape is the versioned
/// schema `DocumentSchema.json` (see `schemaVersion`).
public struct Document: Sendable, Hashable, Codable {
    /// The schema version this value follows (`"MAJOR.MINOR"`, currently
    /// `Document.currentSchemaVersion`). Readers accept any minor version of their major.
    public var schemaVersion: String
    /// The input file.
    public var source: SourceFile
    /// Pages in document order.
    public var pages: [Page]
    /// The model that read the pages, when one did.
    public var model: ModelInfo?
    /// The pipeline that ran.
    public var pipeline: PipelineInfo?
    /// Wall-clock seconds per stage.
    public var timings: Timings?
    /// What a reader should know about the input itself (a damaged file that was repaired);
    /// absent when there is nothing.
    public var warnings: [DocumentWarning]?

    /// The schema version written by this build.
    public static let currentSchemaVersion = "1.1"

    /// A document in the current schema version.
    public init(
        source: SourceFile, pages: [Page] = [], model: ModelInfo? = nil,
        pipeline: PipelineInfo? = nil, timings: Timings? = nil, warnings: [DocumentWarning]? = nil
    ) {
        self.schemaVersion = Document.currentSchemaVersion
        self.source = source
        self.pages = pages
        self.model = model
        self.pipeline = pipeline
        self.timings = timings
        self.warnings = warnings
    }

    private enum CodingKeys: String, CodingKey {
        case schemaVersion, source, pages, model, pipeline, timings, warnings
    }

    /// Decodes a document, refusing a schema major version this build does not know.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let version = try container.decode(String.self, forKey: .schemaVersion)
        let major = Document.currentSchemaVersion.split(separator: ".").first
        guard version.split(separator: ".").first == major else {
            throw DecodingError.dataCorruptedError(
                forKey: .schemaVersion, in: container,
                debugDescription: "unsupported document schema version \(version) "
                    + "(this build reads \(Document.currentSchemaVersion))")
        }
        schemaVersion = version
        source = try container.decode(SourceFile.self, forKey: .source)
        pages = try container.decode([Page].self, forKey: .pages)
        model = try container.decodeIfPresent(ModelInfo.self, forKey: .model)
        pipeline = try container.decodeIfPresent(PipelineInfo.self, forKey: .pipeline)
        timings = try container.decodeIfPresent(Timings.self, forKey: .timings)
        warnings = try container.decodeIfPresent([DocumentWarning].self, forKey: .warnings)
    }
}
