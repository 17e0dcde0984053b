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
    /// Results published to `output`; the input went to `done/`.
    case done(file: String, output: URL)
    /// The document failed for good; it went to `failed/` with a `.error.json` note.
    case failed(file: String, failure: JobFailure)
    /// Something went wrong outside any one document (listing, store, moving files); the
    /// watcher carries on and tries again later.
    case problem(String)
    /// A stop was requested; the current page was finished and the watcher returns.
    case stopping
}
