/// Why a queue's blob could not be stored or read back. A worker records it as a failed
/// attempt of its chunk: retried after the backoff when the cause may go away (a folder not
/// mounted yet, a full disk, a machine given the wrong blob folder), the job failed at once
/// for bytes that no longer match their SHA-256.
public enum BlobError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No such blob: no file at `path`, or not in the database when `path` is `nil`.
    case missing(sha256: String, path: String?)
    /// The bytes read do not hash to `sha256`: the file at `path`, or the database's chunks
    /// when `path` is `nil`.
    case corrupt(sha256: String, path: String?)
    /// The blob is kept in blob folder `folder` (its id), which this store cannot read: it
    /// has no blob folder (`here` is `nil`) or another one (`here` names it and its id).
    case elsewhere(sha256: String, folder: String, here: String?)
    /// The blob folder at `path` cannot be used.
    case unusable(path: String, reason: String)

    /// Whether trying again later may succeed.
    public var isTransient: Bool {
        if case .corrupt = self { return false }
        return true
    }

    /// One line for logs and failure reasons.
    public var description: String {
        switch self {
        case .missing(let sha, let path?): "blob \(sha) is missing: no file \(path)"
        case .missing(let sha, nil): "blob \(sha) is not in the database"
        case .corrupt(let sha, let path?):
            "blob \(sha) is corrupt: \(path) does not match its SHA-256"
        case .corrupt(let sha, nil):
            "blob \(sha) is corrupt: its chunks in the database do not match its SHA-256"
        case .elsewhere(let sha, let folder, nil):
            "blob \(sha) is kept in blob folder \(folder), and this store has none "
                + "(--blobs DIR or PALIDOC_BLOBS names it)"
        case .elsewhere(let sha, let folder, let here?):
            "blob \(sha) is kept in blob folder \(folder), not in this store's \(here)"
        case .unusable(let path, let reason): "blob folder \(path): \(reason)"
        }
    }
}
