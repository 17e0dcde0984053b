import DocumentModel

/// `detect`: labelled boxes. Prompt `detect {obj} ; {obj}`; the model answers
/// `<locY1><locX1><locY2><locX2> label` groups separated by ` ; `.
public struct DetectTask: DocumentTask {
    /// The prompt template used when a pipeline gives none (`{objects}`: names joined by ` ; `).
    public static let defaultPrompt = "detect {objects}"

    /// `detect`.
    public let name = "detect"
    /// The prompt.
    public var prompt: String

    /// A detection task for `objects` (prompt `detect a ; b`).
    public init(objects: [String]) {
        prompt = "detect " + objects.joined(separator: " ; ")
    }

    /// A detection task with a checkpoint-specific prompt.
    public init(prompt: String) {
        self.prompt = prompt
    }

    /// Detections with page boxes; unreadable groups are flagged and left out.
    public func parse(_ output: String, tile: Tile, page: Int) -> Region {
        var region = region(for: output, tile: tile, page: page)
        let (groups, issues) = LocGroups.parse(output)
        region.issues = issues
        for group in groups where group.box != nil {
            guard !group.text.isEmpty else {
                region.issues.append(group.missingText("label"))
                continue
            }
            guard let box = group.pageRect(in: tile, issues: &region.issues) else { continue }
            region.detections.append(Detection(label: group.text, box: box))
        }
        return region
    }
}
