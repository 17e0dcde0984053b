import Foundation

/// Cheap looks at a file before a decoder sees it: existence, emptiness, head bytes, and the
/// whole file mapped for the PDF structure check.
enum FileProbe {
    /// The first `count` bytes of `url`; throws `unreadable` or `emptyFile`.
    static func header(of url: URL, count: Int = 1024) throws -> Data {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw IngestError(url, .unreadable(reason(error, url)))
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: count) ?? Data()
        } catch {
            throw IngestError(url, .unreadable(reason(error, url)))
        }
        guard !data.isEmpty else { throw IngestError(url, .emptyFile) }
        return data
    }

    /// The whole file.
    static func contents(of url: URL) throws -> Data {
        do {
            return try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw IngestError(url, .unreadable(reason(error, url)))
        }
    }

    private static func reason(_ error: Error, _ url: URL) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            return "no such file"
        }
        if isDirectory.boolValue { return "is a directory" }
        if !FileManager.default.isReadableFile(atPath: url.path) { return "permission denied" }
        return (error as NSError).localizedDescription
    }
}
