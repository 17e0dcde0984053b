import DocumentModel

/// `ocr-words`: text detection and recognition. The model emits
/// `<locY1><locX1><locY2><locX2> text` groups separated by ` ; `; each becomes a word with
/// its box mapped from the squashed model square to the tile (with its padding) and then to
/// page pixels. The prompt is checkpoint-specific (the paper's text-detection transfer
/// prefix is not public), so it is configurable; the default asks in the detect style.
public struct OCRWordsTask: DocumentTask {
    /// The prompt used when a pipeline gives none.
    public static let defaultPrompt = "ocr"

    /// `ocr-words`.
    public let name = "ocr-words"
    /// The prompt (default `ocr`).
    public var prompt: String

    /// An OCR-with-boxes task with the given prompt.
    public init(prompt: String = Self.defaultPrompt) {
        self.prompt = prompt
    }

    /// Words with page boxes; `text` is the words joined by spaces. Groups whose box cannot
    /// be read keep their word (box `nil`) and are flagged.
    public func parse(_ output: String, tile: Tile, page: Int) -> Region {
        var region = region(for: output, tile: tile, page: page)
        let (groups, issues) = LocGroups.parse(output)
        region.issues = issues
        for group in groups {
            if group.text.isEmpty {
                region.issues.append(group.missingText("word"))
                continue
            }
            let box = group.pageRect(in: tile, issues: &region.issues)
            region.words.append(Word(text: group.text, box: box))
        }
        region.text = region.words.map(\.text).joined(separator: " ")
        if groups.isEmpty && !output.trimmingWhitespace().isEmpty && region.issues.isEmpty {
            region.issues.append(
                TaskIssue(.unreadable, code: "no-loc-groups", message: "no located words found"))
        }
        region.issues += TextChecks.issues(in: output)
        return region
    }
}
