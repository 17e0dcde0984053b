/// The step of processing a document in which something went wrong.
public enum ProcessingStage: String, CaseIterable, Sendable, Codable {
    /// Taking the file in: settling, claiming, hashing, job bookkeeping.
    case intake
    /// Opening the document (format, encryption, corrupt structure).
    case open
    /// Rendering a page to pixels or cutting tiles.
    case render
    /// Running the model.
    case inference
    /// Parsing the model output into document structures.
    case parse
    /// Writing output files.
    case export
    /// Moving outputs into place.
    case publish
}
