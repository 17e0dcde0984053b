import DocumentIngest
import Foundation

/// The files a `palidoc convert` run works on: files named directly and every file found
/// (recursively, hidden names skipped) in the folders named, minus what is not a document.
public struct BatchInputs: Sendable, Equatable {
    /// Files to convert, in the order given (folders' files sorted by path).
    public var documents: [URL]
    /// Files that are not documents by their content (`.md`, `.krn`, …), with the reason.
    public var skipped: [Skipped]
    /// Named paths that do not exist or cannot be read, with the reason.
    public var unreadable: [Skipped]

    /// A file left out and why.
    public struct Skipped: Sendable, Equatable {
        /// The file.
        public var file: URL
        /// Why it was left out.
        public var reason: String
    }

    /// Collects the inputs of `paths`, never descending into `excluding` (the output folder).
    public static func collect(_ paths: [String], excluding: URL? = nil) -> BatchInputs {
        var inputs = BatchInputs(documents: [], skipped: [], unreadable: [])
        let excluded = excluding?.standardizedFileURL.resolvingSymlinksInPath().path
        var seen = Set<String>()
        for path in paths {
            let url = URL(fileURLWithPath: path).standardizedFileURL
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                inputs.unreadable.append(Skipped(file: url, reason: "no such file or directory"))
                continue
            }
            let files = isDirectory.boolValue ? files(in: url, excluding: excluded) : [url]
            for file in files where seen.insert(file.resolvingSymlinksInPath().path).inserted {
                inputs.classify(file)
            }
        }
        return inputs
    }

    /// Regular files under `folder`, sorted, skipping hidden names and `excluded`.
    private static func files(in folder: URL, excluding excluded: String?) -> [URL] {
        guard
            let enumerator = FileManager.default.enumerator(
                at: folder, includingPropertiesForKeys: [.isRegularFileKey, .isDirectoryKey],
                options: [.skipsHiddenFiles])
        else { return [] }
        var found: [URL] = []
        for case let url as URL in enumerator {
            let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .isDirectoryKey])
            if values?.isDirectory == true {
                if let excluded, url.resolvingSymlinksInPath().path == excluded {
                    enumerator.skipDescendants()
                }
                continue
            }
            if values?.isRegularFile == true { found.append(url.standardizedFileURL) }
        }
        return found.sorted { $0.path < $1.path }
    }

    /// Files with a document signature, and empty or unreadable files (which fail with
    /// their reason), are documents; other files are skipped.
    private mutating func classify(_ file: URL) {
        guard let handle = try? FileHandle(forReadingFrom: file) else {
            documents.append(file)  // fails with the reader's reason
            return
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 1024)) ?? Data()
        if header.isEmpty || DocumentFormat.detect(header: header) != nil {
            documents.append(file)
        } else {
            skipped.append(Skipped(file: file, reason: "not a PDF, TIFF, PNG or JPEG document"))
        }
    }
}
