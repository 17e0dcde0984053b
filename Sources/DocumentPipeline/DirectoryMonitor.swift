import Foundation

import Glibc

/// Change notification for one directory through inotify: it only says *that* something
/// happened (a file created, written, closed, moved in, or changed attributes), and the
/// watcher then lists the directory. Events are read without blocking.
final class DirectoryMonitor {
    /// What `drain()` found.
    enum Change: Equatable {
        /// No event since the last drain.
        case none
        /// At least one event (or a queue overflow): list the directory again.
        case changed
        /// The directory itself was deleted, moved or unmounted.
        case directoryGone
    }

    private let descriptor: Int32

    /// Starts watching `directory`; throws when inotify is unavailable or out of watches.
    init(directory: URL) throws {
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { throw Self.error("inotify_init1") }
        let mask = UInt32(
            IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_ATTRIB
                | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF)
        guard inotify_add_watch(descriptor, directory.path, mask) >= 0 else {
            let error = Self.error("inotify_add_watch \(directory.path)")
            close(descriptor)
            throw error
        }
    }

    deinit { close(descriptor) }

    /// Reads every pending event.
    func drain() -> Change {
        var change = Change.none
        let capacity = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer, capacity)
            guard count > 0 else { break }
            var offset = 0
            // Each record is a fixed inotify_event header followed by `len` name bytes.
            while offset + MemoryLayout<inotify_event>.size <= count {
                let event = buffer.load(fromByteOffset: offset, as: inotify_event.self)
                if event.mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_UNMOUNT)
                    != 0
                {
                    return .directoryGone
                }
                change = .changed
                offset += MemoryLayout<inotify_event>.size + Int(event.len)
            }
        }
        return change
    }

    private static func error(_ call: String) -> NSError {
        NSError(
            domain: NSPOSIXErrorDomain, code: Int(errno),
            userInfo: [NSLocalizedDescriptionKey: "\(call): \(String(cString: strerror(errno)))"])
    }
}
