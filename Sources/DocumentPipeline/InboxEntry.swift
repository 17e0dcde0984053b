import Foundation

import Glibc

/// A regular file seen in an inbox, with the metadata that tells whether it is still
/// changing.
struct InboxEntry: Equatable {
    /// File name inside the inbox.
    var name: String
    /// Size in bytes.
    var size: Int64
    /// Modification time, seconds since 1970 with nanoseconds.
    var modified: Double
    /// Inode and device: a file replaced under the same name is a different file.
    var inode: UInt64
    var device: UInt64

    /// `lstat`s `name` in `folder`; `nil` unless it is a regular file.
    static func read(name: String, in folder: URL) -> InboxEntry? {
        var status = stat()
        guard lstat(folder.appendingPathComponent(name).path, &status) == 0,
            status.st_mode & S_IFMT == S_IFREG
        else { return nil }
        return InboxEntry(
            name: name, size: Int64(status.st_size),
            modified: Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9,
            inode: UInt64(status.st_ino), device: UInt64(status.st_dev))
    }

    /// Whether the same file is unchanged (size, mtime, identity).
    func isUnchanged(from other: InboxEntry) -> Bool {
        size == other.size && modified == other.modified && inode == other.inode
            && device == other.device
    }
}
