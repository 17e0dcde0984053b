import Foundation

import Glibc

/// Renames that never overwrite: the watcher's only way of moving inputs and outputs.
enum FileMover {
    /// Why a no-replace rename failed.
    enum Failure: Error, Equatable {
        /// The destination exists.
        case destinationExists
        /// The source does not exist (any more).
        case sourceMissing
        /// Another error, with `errno`'s text.
        case system(String)
    }

    /// `renameat2(2)` looked up at run time: glibc has it since 2.28, but Swift's Glibc module
    /// does not export it.
    private typealias RenameAt2 =
        @convention(c) (
            Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32
        ) -> Int32
    private static let renameat2: RenameAt2? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else {
            return nil
        }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()
    /// `RENAME_NOREPLACE` from `<stdio.h>`.
    private static let renameNoReplace: UInt32 = 1

    /// Renames `source` to `destination` (same filesystem) unless `destination` exists.
    /// Atomic where the filesystem supports `RENAME_NOREPLACE`; otherwise a hard link plus
    /// unlink for files, or a check then a rename.
    static func renameNoReplace(_ source: URL, to destination: URL) throws(Failure) {
        if let renameat2 {
            if renameat2(AT_FDCWD, source.path, AT_FDCWD, destination.path, renameNoReplace) == 0 {
                return
            }
            let code = errno
            if code != EINVAL && code != ENOSYS && code != ENOTSUP { throw failure(code) }
        }
        var status = stat()
        if lstat(destination.path, &status) == 0 { throw .destinationExists }
        if lstat(source.path, &status) != 0 { throw failure(errno) }
        if status.st_mode & S_IFMT == S_IFREG, link(source.path, destination.path) == 0 {
            unlink(source.path)
            return
        }
        if rename(source.path, destination.path) != 0 { throw failure(errno) }
    }

    /// Moves `source` into `folder` under `name`, or under `stem-2.ext`, `stem-3.ext`, … when
    /// taken. A name counts as taken when it exists, or when any `name + suffix` for the
    /// given companion suffixes exists (so `x.pdf` and `x.pdf.error.json` stay paired).
    /// Returns the destination.
    static func move(
        _ source: URL, into folder: URL, preferredName: String, companionSuffixes: [String] = []
    ) throws(Failure) -> URL {
        for attempt in 1...100_000 {
            let name = numbered(preferredName, attempt)
            let destination = folder.appendingPathComponent(name)
            if companionSuffixes.contains(where: {
                exists(folder.appendingPathComponent(name + $0))
            }) {
                continue
            }
            do {
                try renameNoReplace(source, to: destination)
                return destination
            } catch .destinationExists {
                continue
            }
        }
        throw .system("no free name for \(preferredName) in \(folder.path)")
    }

    /// `name` for attempt 1, then `stem-N.ext` (`name-N` without an extension).
    static func numbered(_ name: String, _ attempt: Int) -> String {
        guard attempt > 1 else { return name }
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            return "\(name[..<dot])-\(attempt)\(name[dot...])"
        }
        return "\(name)-\(attempt)"
    }

    /// Whether anything (even a dangling link) exists at `url`.
    static func exists(_ url: URL) -> Bool {
        var status = stat()
        return lstat(url.path, &status) == 0
    }

    private static func failure(_ code: Int32) -> Failure {
        switch code {
        case EEXIST, ENOTEMPTY: .destinationExists
        case ENOENT: .sourceMissing
        default: .system(String(cString: strerror(code)))
        }
    }
}
