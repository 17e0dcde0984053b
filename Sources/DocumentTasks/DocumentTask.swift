import DocumentModel

/// A document task: the prompt given to the model for one tile, and the parser that turns
/// the model's decoded text into `DocumentModel` values with what it repaired or could not
/// read. Prompts are configurable because fine-tuned checkpoints use their own prefixes.
public protocol DocumentTask: Sendable {
    /// The task's name in pipelines and in `Region.task` (`ocr`, `table`, …).
    var name: String { get }
    /// The prompt text (without `<image>`, `<bos>` or the trailing newline).
    var prompt: String { get }
    /// Parses the model's output for `tile` of page `page` (1-based). Never throws: what
    /// cannot be read is recorded in the region's `issues`.
    func parse(_ output: String, tile: Tile, page: Int) -> Region
}

extension DocumentTask {
    /// An empty region for this task on `tile`, carrying the prompt and raw output.
    func region(for output: String, tile: Tile, page: Int) -> Region {
        Region(
            id: "p\(page)-t\(tile.index)-\(name)", task: name, box: tile.rect, tile: tile.index,
            prompt: prompt, rawOutput: output)
    }

    /// A region whose `text` is the trimmed output, with empty or looping output flagged.
    func freeTextRegion(_ output: String, tile: Tile, page: Int) -> Region {
        var region = region(for: output, tile: tile, page: page)
        region.text = output.trimmingWhitespace()
        region.issues = TextChecks.issues(in: output)
        return region
    }
}
