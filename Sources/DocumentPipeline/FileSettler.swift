import Foundation

import Glibc

/// Decides when an inbox file has finished arriving: its size, mtime and identity have not
/// changed for `settleTime` of observation, its mtime is at least `settleTime` old, and it
/// can be opened for reading. A file being written (slowly, in chunks, over a network) keeps
/// changing and is left alone; a file moved in whole settles after `settleTime`.
struct FileSettler {
    /// Seconds a file must stay unchanged.
    let settleTime: TimeInterval
    /// Files seen and not yet taken: the latest observation and when it last changed.
    private var pending: [String: (entry: InboxEntry, firstSeen: Date, stableSince: Date)] = [:]

    /// A settler with the given settle time.
    init(settleTime: TimeInterval) {
        self.settleTime = settleTime
    }

    /// Names of the files waiting to settle.
    var pendingNames: Set<String> { Set(pending.keys) }

    /// Takes in a full listing: new files start waiting, changed files start over, files that
    /// vanished are forgotten.
    mutating func observe(_ entries: [InboxEntry], at now: Date) {
        var seen = Set<String>()
        for entry in entries {
            seen.insert(entry.name)
            if let known = pending[entry.name] {
                if !entry.isUnchanged(from: known.entry) {
                    pending[entry.name] = (entry, known.firstSeen, now)
                }
            } else {
                pending[entry.name] = (entry, now, now)
            }
        }
        for name in pending.keys where !seen.contains(name) { pending[name] = nil }
    }

    /// Files settled at `now` that open for reading, oldest arrival first. Files that do not
    /// open stay pending; `unopenable` receives their names and reasons.
    func settled(at now: Date, in folder: URL, unopenable: (String, String) -> Void) -> [InboxEntry]
    {
        var ready: [(InboxEntry, Date)] = []
        for (name, item) in pending {
            guard now.timeIntervalSince(item.stableSince) >= settleTime else { continue }
            let age = now.timeIntervalSince1970 - item.entry.modified
            // A modification time in the future (clock skew on a network share) says nothing.
            if age >= 0 && age < settleTime { continue }
            let descriptor = open(
                folder.appendingPathComponent(name).path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
            guard descriptor >= 0 else {
                unopenable(name, String(cString: strerror(errno)))
                continue
            }
            close(descriptor)
            ready.append((item.entry, item.firstSeen))
        }
        return ready.sorted { ($0.1, $0.0.name) < ($1.1, $1.0.name) }.map(\.0)
    }

    /// Stops tracking `name` (taken or gone).
    mutating func forget(_ name: String) { pending[name] = nil }
}
