import DocumentPipeline
import Foundation
import Glibc

/// A folder holding blobs as files named by their SHA-256 (`sha256/ab/cd/<sha256>`), for a
/// queue whose machines share a filesystem: documents and outputs then stay out of the
/// database.
///
/// Files are written to a temporary name in their final folder, synced and renamed, so a
/// reader never sees part of one; a valid file already there is kept (the name is the
/// content). Every read is checked against the SHA-256.
///
/// The folder carries an id (the file `palidoc-blobs`, created with the folder) that the
/// database records with each blob kept here: a machine given another folder, or a local
/// folder where a shared one was not mounted, is told so instead of missing files.
public struct BlobFolder: Sendable, Equatable, CustomStringConvertible {
    /// The folder.
    public let root: URL
    /// The id in its `palidoc-blobs` file.
    public let id: String

    /// The file naming the folder's id.
    static let idFile = "palidoc-blobs"

    /// Opens `root`, creating it and its id when they do not exist yet (several processes
    /// may do so at once: one id wins).
    public init(_ root: URL) throws {
        self.root = root.standardizedFileURL
        let file = self.root.appendingPathComponent(Self.idFile)
        if let id = try Self.readID(file) {
            self.id = id
            return
        }
        let temporary = self.root.appendingPathComponent(".\(Self.idFile).\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(
                at: self.root, withIntermediateDirectories: true)
            try Self.writeSynced(Data((UUID().uuidString.lowercased() + "\n").utf8), to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw BlobError.unusable(path: self.root.path, reason: Self.reason(error))
        }
        // link() fails when the name exists: a process that got there first keeps its id.
        let linked = link(temporary.path, file.path) == 0 || errno == EEXIST
        let failure = errno
        unlink(temporary.path)
        guard linked, let id = try Self.readID(file) else {
            throw BlobError.unusable(
                path: self.root.path,
                reason: "cannot create \(file.path): \(String(cString: strerror(failure)))")
        }
        self.id = id
    }

    /// Where the blob `sha256` lives; a name that is not a SHA-256 (64 hex digits) could
    /// point outside the folder and is refused.
    public func file(_ sha256: String) throws -> URL {
        guard sha256.count == 64, sha256.allSatisfy(\.isHexDigit) else {
            throw BlobError.unusable(path: root.path, reason: "'\(sha256)' is not a SHA-256")
        }
        return root.appendingPathComponent("sha256")
            .appendingPathComponent(String(sha256.prefix(2)))
            .appendingPathComponent(String(sha256.dropFirst(2).prefix(2)))
            .appendingPathComponent(sha256)
    }

    /// How error messages name this folder.
    public var description: String { "\(root.path) (\(id))" }

    /// Stores `data` as the blob `sha256` unless a file with those bytes is there; a file
    /// that does not match (damaged) is replaced.
    public func write(_ data: Data, sha256: String) throws {
        let target = try file(sha256)
        if let existing = try? Data(contentsOf: target), SHA256.hexDigest(of: existing) == sha256 {
            return
        }
        let folder = target.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(sha256).\(UUID().uuidString).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Self.writeSynced(data, to: temporary)
            guard rename(temporary.path, target.path) == 0 else {
                throw BlobError.unusable(
                    path: root.path,
                    reason: "cannot rename into \(target.path): "
                        + String(cString: strerror(errno)))
            }
            // The rename is durable once the folder's entry is.
            let handle = open(folder.path, O_RDONLY | O_DIRECTORY)
            if handle >= 0 {
                fsync(handle)
                close(handle)
            }
        } catch let error as BlobError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw BlobError.unusable(
                path: root.path, reason: "cannot write \(target.path): \(Self.reason(error))")
        }
    }

    /// The blob `sha256`, checked against its SHA-256.
    public func read(_ sha256: String) throws -> Data {
        let target = try file(sha256)
        let data: Data
        do {
            data = try Data(contentsOf: target)
        } catch {
            if !FileManager.default.fileExists(atPath: target.path) {
                throw BlobError.missing(sha256: sha256, path: target.path)
            }
            throw BlobError.unusable(
                path: root.path, reason: "cannot read \(target.path): \(Self.reason(error))")
        }
        guard SHA256.hexDigest(of: data) == sha256 else {
            throw BlobError.corrupt(sha256: sha256, path: target.path)
        }
        return data
    }

    /// Deletes the blob's file; one already gone is no error.
    public func remove(_ sha256: String) throws {
        let target = try file(sha256)
        guard unlink(target.path) == 0 || errno == ENOENT else {
            throw BlobError.unusable(
                path: root.path,
                reason: "cannot delete \(target.path): \(String(cString: strerror(errno)))")
        }
    }

    // MARK: - Helpers

    /// The id in `file`, or `nil` when there is no such file.
    private static func readID(_ file: URL) throws -> String? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw BlobError.unusable(
                path: file.deletingLastPathComponent().path,
                reason: "cannot read \(file.path): \(reason(error))")
        }
        let id = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !id.isEmpty, !id.contains(where: \.isWhitespace) else {
            throw BlobError.unusable(
                path: file.deletingLastPathComponent().path,
                reason: "\(file.path) does not hold a blob folder id")
        }
        return id
    }

    /// Writes a new file and syncs it to disk.
    private static func writeSynced(_ data: Data, to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw BlobError.unusable(
                path: url.deletingLastPathComponent().path,
                reason: "cannot create \(url.path): \(String(cString: strerror(errno)))")
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.write(contentsOf: data)
        try handle.synchronize()
    }

    /// An error's text without Foundation's wrapping.
    private static func reason(_ error: any Error) -> String {
        if let error = error as? BlobError { return "\(error)" }
        return (error as NSError).localizedDescription
    }
}
