import Foundation

/// Where each document's result folder goes under the output directory.
///
/// `folder` is a relative path template. Placeholders: `{stem}` (file name without its last
/// extension), `{name}` (file name), `{ext}` (last extension, without the dot), `{hash}`
/// (first 16 hex digits of the content SHA-256), `{date}` (UTC processing date,
/// `YYYY-MM-DD`) and `{pipeline}` (the pipeline's name). `/` in the template makes
/// sub-folders. An existing folder is never overwritten: the result goes to `<folder>-2`,
/// `<folder>-3`, ….
public struct OutputLayout: Sendable, Equatable {
    /// The relative path template of a document's result folder.
    public var folder: String

    /// The placeholders `folder` may contain.
    public static let placeholders = ["stem", "name", "ext", "hash", "date", "pipeline"]

    /// A layout; the default puts each document in `<out>/<stem>/`.
    public init(folder: String = "{stem}") {
        self.folder = folder
    }

    /// Why `folder` is not a usable template, or `nil` when it is.
    public func templateProblem() -> String? {
        if folder.isEmpty { return "must not be empty" }
        if folder.hasPrefix("/") { return "must be a relative path, got '\(folder)'" }
        var rest = Substring(folder)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else {
                return "unclosed '{' in '\(folder)'"
            }
            let name = String(rest[rest.index(after: open)..<close])
            if !Self.placeholders.contains(name) {
                let known = Self.placeholders.map { "{\($0)}" }.joined(separator: ", ")
                return "unknown placeholder '{\(name)}' (known: \(known))"
            }
            rest = rest[rest.index(after: close)...]
        }
        if rest.contains("}") { return "unmatched '}' in '\(folder)'" }
        for component in folder.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty || component == "." || component == ".." {
                return "path components must not be empty, '.' or '..' in '\(folder)'"
            }
        }
        return nil
    }

    /// The relative result folder for one document. Substituted values cannot add path
    /// components or hide the folder: `/` and NUL become `_`, and a component starting with
    /// `.` gets a `_` in front.
    public func folderPath(
        originalName: String, contentHash: String, date: Date, pipeline: String
    ) -> String {
        let url = URL(fileURLWithPath: originalName)
        let ext = url.pathExtension
        let stem = ext.isEmpty ? originalName : url.deletingPathExtension().lastPathComponent
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        let values: [String: String] = [
            "stem": stem, "name": originalName, "ext": ext,
            "hash": String(contentHash.prefix(16)), "date": formatter.string(from: date),
            "pipeline": pipeline,
        ]
        // One pass over the template, so text coming from a file name is never expanded.
        var result = ""
        var rest = Substring(folder)
        while let open = rest.firstIndex(of: "{"),
            let close = rest[open...].firstIndex(of: "}")
        {
            result += rest[..<open]
            let value = values[String(rest[rest.index(after: open)..<close])] ?? ""
            result += String(value.map { $0 == "/" || $0 == "\0" ? "_" : $0 })
            rest = rest[rest.index(after: close)...]
        }
        result += rest
        return result.split(separator: "/").map { component -> String in
            let text = String(component)
            if text.isEmpty || text == "." || text == ".." { return "_" + text }
            return text.hasPrefix(".") ? "_" + text : text
        }.joined(separator: "/")
    }
}
