/// The result of one task on one tile (or on a whole page): what the model said, what the
/// task's parser made of it, and what it had to repair or could not read.
///
/// Exactly the fields of the task's kind are filled: `text` for `ocr`, `caption`, `report`
/// and `answer`; `words` (and `text`) for `ocr-words`; `table` for `table`; `detections`
/// for `detect`; `music` for `music`; `molecules` for `molecule`.
public struct Region: Sendable, Hashable, Codable {
    /// Identifier unique within the document (`p1-t0-table`, …).
    public var id: String
    /// The task that produced it (`ocr`, `ocr-words`, `table`, `caption`, …).
    public var task: String
    /// Where on the page it lies, in page pixels (the tile's rectangle for whole-tile tasks).
    public var box: PixelRect?
    /// Index of the tile it came from, within its page.
    public var tile: Int?
    /// The prompt given to the model.
    public var prompt: String?
    /// The model's raw decoded text.
    public var rawOutput: String?
    /// Plain text (OCR text, caption, report, answer).
    public var text: String?
    /// Words with boxes.
    public var words: [Word]
    /// A table grid.
    public var table: Table?
    /// Labelled boxes.
    public var detections: [Detection]
    /// Music scores (`**kern`), valid or not.
    public var music: [MusicScore]
    /// Molecules (SMILES), valid or not.
    public var molecules: [Molecule]
    /// What the parser repaired or could not read. Empty when the output was clean.
    public var issues: [TaskIssue]

    /// A region with the given results.
    public init(
        id: String, task: String, box: PixelRect? = nil, tile: Int? = nil,
        prompt: String? = nil, rawOutput: String? = nil, text: String? = nil,
        words: [Word] = [], table: Table? = nil, detections: [Detection] = [],
        music: [MusicScore] = [], molecules: [Molecule] = [], issues: [TaskIssue] = []
    ) {
        self.id = id
        self.task = task
        self.box = box
        self.tile = tile
        self.prompt = prompt
        self.rawOutput = rawOutput
        self.text = text
        self.words = words
        self.table = table
        self.detections = detections
        self.music = music
        self.molecules = molecules
        self.issues = issues
    }

    /// True when some part of the model output could not be read.
    public var hasUnreadableParts: Bool { issues.contains { $0.severity == .unreadable } }
}
