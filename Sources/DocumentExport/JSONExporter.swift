import DocumentModel
import Foundation

/// The whole document as JSON (schema `DocumentSchema.json`, version
/// `Document.currentSchemaVersion`): sorted keys, pretty-printed, slashes unescaped.
public enum JSONExporter {
    /// The JSON bytes.
    public static func data(_ document: Document) throws(ExportError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do { return try encoder.encode(document) + Data("\n".utf8) } catch {
            throw ExportError(file: document.source.path, reason: "cannot encode: \(error)")
        }
    }

    /// Writes the JSON to `url` atomically.
    public static func write(_ document: Document, to url: URL) throws(ExportError) {
        try AtomicFile.write(try data(document), to: url)
    }

    /// Reads a document written by `write` (any minor version of the current schema).
    public static func read(_ url: URL) throws(ExportError) -> Document {
        do {
            return try JSONDecoder().decode(Document.self, from: Data(contentsOf: url))
        } catch {
            throw ExportError(file: url.path, reason: "not a palidoc document: \(error)")
        }
    }
}
