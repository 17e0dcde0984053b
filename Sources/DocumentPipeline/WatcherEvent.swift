import Foundation

/// What an `InboxWatcher` reports as it works, for logs and progress output. File names are
/// the names in the inbox.
public enum WatcherEvent: Sendable, Equatable {
    /// Watching started; `detection` is `inotify` or `polling`.
    case started(inbox: URL, detection: String)
    /// inotify was unavailable (or the watch was lost); scanning by polling instead.
    case fellBackToPolling(reason: String)
    /// A file left in `.processing/` by an earlier run was found and will be resumed.
    case recovered(file: String)
    /// A settled file cannot be opened yet; it stays in the inbox.
    case waiting(file: String, reason: String)
    /// A file was claimed (moved into `.processing/`).
    case claimed(file: String)
    /// A file's content was seen before; it went to `done/` with a `.duplicate.json` note.
    case duplicate(file: String, original: String)
    /// Processing starts: attempt number (1-based) and first unfinished page (0-based).
    case processing(file: String, attempt: Int, firstPage: Int)
    /// A page finished (0-based index; page count when known).
    case pageCompleted(file: String, pageIndex: Int, pageCount: Int?)
    /// A transient failure; the document will be tried again at the given time.
    case retryScheduled(file: String, at: Date, failure: JobFailure)
    /// Results published to `output`; the input went to `done/` (with a `.repaired.json`
    /// note when there are `warnings`: a damaged file that was repaired).
    case done(file: String, output: URL, warnings: [String] = [])
    /// The document failed for good; it went to `failed/` with a `.error.json` note.
    case failed(file: String, failure: JobFailure)
    /// Something went wrong outside any one document (listing, store, moving files); the
    /// watcher carries on and tries again later.
    case problem(String)
    /// A stop was requested; the current page was finished and the watcher returns.
    case stopping
}

extension WatcherEvent: CustomStringConvertible {
    /// One line for a log (pages 1-based).
    public var description: String {
        switch self {
        case .started(let inbox, let detection):
            "watching \(inbox.path) (\(detection))"
        case .fellBackToPolling(let reason):
            "polling instead of inotify: \(reason)"
        case .recovered(let file):
            "\(file): resuming after an interrupted run"
        case .waiting(let file, let reason):
            "\(file): waiting, cannot open it yet (\(reason))"
        case .claimed(let file):
            "\(file): claimed"
        case .duplicate(let file, let original):
            "\(file): same content as \(original), skipped"
        case .processing(let file, let attempt, let firstPage):
            "\(file): processing from page \(firstPage + 1) (attempt \(attempt))"
        case .pageCompleted(let file, let pageIndex, let pageCount):
            "\(file): page \(pageIndex + 1)\(pageCount.map { " of \($0)" } ?? "") done"
        case .retryScheduled(let file, let at, let failure):
            "\(file): \(failure.reason); retrying at \(ISO8601DateFormatter().string(from: at))"
        case .done(let file, let output, let warnings):
            "\(file): done → \(output.path)" + warnings.map { " (\($0))" }.joined()
        case .failed(let file, let failure):
            "\(file): failed in \(failure.stage.rawValue)"
                + (failure.pageIndex.map { " on page \($0 + 1)" } ?? "") + ": \(failure.reason)"
        case .problem(let text):
            "problem: \(text)"
        case .stopping:
            "stopping after the current page"
        }
    }
}
