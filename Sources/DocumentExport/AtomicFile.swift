import Foundation

/// Writes files so a reader never sees a partial one: the bytes go to a hidden temporary
/// file in the destination's folder, are flushed, and the file is renamed over the target
/// (rename is atomic within one filesystem).
public enum AtomicFile {
    /// Writes `data` to `url` atomically, creating the parent folder if needed.
    public static func write(_ data: Data, to url: URL) throws(ExportError) {
        try write(to: url) { try $0.write(contentsOf: data) }
    }

    /// Writes what `body` writes into the handle to `url` atomically, creating the parent
    /// folder if needed: for outputs too large to hold in memory at once.
    public static func write(to url: URL, _ body: (FileHandle) throws -> Void) throws(ExportError)
    {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(
            ".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw ExportError(
                    file: url.path, reason: "cannot create a temporary file in \(folder.path)")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            do {
                try body(handle)
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            guard rename(temporary.path, url.path) == 0 else {
                throw ExportError(
                    file: url.path,
                    reason: "cannot rename into place: \(String(cString: strerror(errno)))")
            }
        } catch let error as ExportError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw ExportError(file: url.path, reason: error.localizedDescription)
        }
    }

    /// Writes `text` as UTF-8 to `url` atomically.
    public static func write(_ text: String, to url: URL) throws(ExportError) {
        try write(Data(text.utf8), to: url)
    }
}
