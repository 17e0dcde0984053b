/// What a watcher does with a file whose content (SHA-256) it has already seen.
public enum DuplicatePolicy: String, CaseIterable, Sendable, Codable {
    /// Record the arrival, move the file to `done/` with a `.duplicate.json` note that names
    /// the first copy, and do not process it again.
    case skip
    /// Process the content again from the first page (a new output folder).
    case reprocess
}
