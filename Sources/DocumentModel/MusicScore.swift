/// A music score in Humdrum `**kern` (the `music` task's result). The model's text is always
/// kept; a score that breaks the Humdrum spine rules or the `**kern` token grammar is kept too,
/// with `isValid == false` and the reasons, by line, in `problems`.
public struct MusicScore: Sendable, Hashable, Codable {
    /// One reason the score is not valid `**kern`.
    public struct Problem: Sendable, Hashable, Codable {
        /// 1-based line of `kern` the problem is on, or `nil` for the whole score (e.g. missing
        /// terminators at the end).
        public var line: Int?
        /// What is wrong, in words.
        public var message: String

        /// A problem on a line.
        public init(line: Int?, message: String) {
            self.line = line
            self.message = message
        }
    }

    /// The text exactly as given (the model's output).
    public var text: String
    /// The `**kern` text that was checked: `text` with "bekern" separators and `<b>`/`<t>`/`<s>`
    /// markers mapped back to plain Humdrum (identical to `text` for plain `**kern`).
    public var kern: String
    /// Whether `kern` is valid: consistent spines through splits and joins, every token well
    /// formed, every spine terminated.
    public var isValid: Bool
    /// Why the score is invalid; empty when valid.
    public var problems: [Problem]
    /// Spines opened by the first exclusive-interpretation line (`**kern\t**kern` → 2).
    public var spineCount: Int
    /// The most spines active at once (after splits `*^`).
    public var maxSpineCount: Int
    /// Measures: stretches of data lines separated by barlines (a pickup counts as one).
    public var measureCount: Int
    /// Note tokens in `**kern` spines, each chord member counted (tied continuations too).
    public var noteCount: Int
    /// Rest tokens in `**kern` spines.
    public var restCount: Int
    /// Chords: `**kern` fields holding two or more notes.
    public var chordCount: Int

    /// A score from all its fields.
    public init(
        text: String, kern: String, isValid: Bool, problems: [Problem], spineCount: Int,
        maxSpineCount: Int, measureCount: Int, noteCount: Int, restCount: Int, chordCount: Int
    ) {
        self.text = text
        self.kern = kern
        self.isValid = isValid
        self.problems = problems
        self.spineCount = spineCount
        self.maxSpineCount = maxSpineCount
        self.measureCount = measureCount
        self.noteCount = noteCount
        self.restCount = restCount
        self.chordCount = chordCount
    }
}
