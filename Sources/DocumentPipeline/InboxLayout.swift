import Foundation

import Glibc

/// The folders of a watched inbox:
/// - `INBOX/` — drop files here (top level only; sub-folders, hidden files, symbolic links
///   and names ending in a partial-download suffix are ignored);
/// - `INBOX/.processing/` — claimed files, renamed here atomically before any work;
/// - `INBOX/done/` — finished inputs (and duplicates, each with a `.duplicate.json` note);
/// - `INBOX/failed/` — failed inputs, each with `<name>.error.json`;
/// - `INBOX/.palidoc/jobs.sqlite` — the default job store location.
public struct InboxLayout: Sendable {
    /// The inbox folder.
    public let inbox: URL

    /// A layout for `inbox`.
    public init(inbox: URL) {
        self.inbox = inbox.standardizedFileURL
    }

    /// Claimed files.
    public var processing: URL { inbox.appendingPathComponent(".processing") }
    /// Finished inputs.
    public var done: URL { inbox.appendingPathComponent("done") }
    /// Failed inputs and their error notes.
    public var failed: URL { inbox.appendingPathComponent("failed") }
    /// Where a watcher keeps its SQLite job store unless told otherwise.
    public var defaultStoreLocation: URL {
        inbox.appendingPathComponent(".palidoc/jobs.sqlite")
    }

    /// Creates the sub-folders when missing; the inbox itself must exist.
    func prepare() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: inbox.path, isDirectory: &isDirectory),
            isDirectory.boolValue
        else { throw InboxWatcherError.notADirectory(inbox.path) }
        for folder in [processing, done, failed] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
    }

    /// The regular files waiting in the inbox, minus ignored names.
    func waitingFiles(ignoredSuffixes: [String]) throws -> [InboxEntry] {
        try FileManager.default.contentsOfDirectory(atPath: inbox.path).compactMap { name in
            guard !name.hasPrefix("."), !ignoredSuffixes.contains(where: { name.hasSuffix($0) })
            else { return nil }
            return InboxEntry.read(name: name, in: inbox)
        }
    }

    /// The claimed files in `.processing/` (regular, not hidden), by name.
    func claimedFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(atPath: processing.path).sorted()
            .filter { !$0.hasPrefix(".") && InboxEntry.read(name: $0, in: processing) != nil }
            .map { processing.appendingPathComponent($0) }
    }

    /// Takes the inbox's exclusive lock (`.processing/.lock`, `flock`), so two watchers never
    /// work one inbox. The kernel drops the lock when the process dies, even by `kill -9`.
    func lock() throws -> InboxLock {
        let path = processing.appendingPathComponent(".lock").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw InboxWatcherError.lockFailed(path, String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason =
                errno == EWOULDBLOCK
                ? "another watcher is working this inbox" : String(cString: strerror(errno))
            close(descriptor)
            throw InboxWatcherError.lockFailed(inbox.path, reason)
        }
        return InboxLock(descriptor: descriptor)
    }
}

/// A held inbox lock; released by `release()` or when the value is freed.
final class InboxLock {
    private var descriptor: Int32

    init(descriptor: Int32) { self.descriptor = descriptor }

    /// Releases the lock (idempotent). Unlocks before closing: a child process forked by
    /// another thread shares the open file description (and with it the lock) until it
    /// executes, which would keep the inbox locked past the close.
    func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}

/// Why a watcher could not start.
public enum InboxWatcherError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The inbox is missing or not a folder.
    case notADirectory(String)
    /// The inbox lock could not be taken.
    case lockFailed(String, String)
    /// The output folder would be inside the inbox's own bookkeeping, or be the inbox.
    case badOutputFolder(String)

    /// `path: reason`, for the CLI's error line.
    public var description: String {
        switch self {
        case .notADirectory(let path): "\(path): not a directory"
        case .lockFailed(let path, let reason): "\(path): cannot lock the inbox: \(reason)"
        case .badOutputFolder(let path):
            "\(path): the output folder must not be the inbox or one of its sub-folders"
        }
    }
}
