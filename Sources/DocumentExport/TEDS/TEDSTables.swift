import Foundation

/// Named HTML tables read from one of the inputs `palidoc eval teds` accepts:
/// - a JSON object mapping names to HTML strings (PubTabNet's `sample_pred.json`) or to
///   objects with an `html` string (its `sample_gt.json`);
/// - PubTabNet JSONL (one `{"filename", "html": {"structure": {"tokens"}, "cells"}}` per
///   line), rebuilt into HTML as PubTabNet's `examples/utils.py format_html` does (a line
///   whose `html` is already a string is taken as is);
/// - any other file: one HTML table, named after the file.
public struct TEDSTables: Sendable {
    /// Table names in input order.
    public var names: [String]
    /// HTML per name.
    public var html: [String: String]

    /// Tables given directly.
    public init(_ pairs: [(name: String, html: String)]) {
        names = pairs.map(\.name)
        html = Dictionary(pairs, uniquingKeysWith: { _, last in last })
    }

    /// Reads `url`, choosing the format from its content (see the type's summary).
    public init(contentsOf url: URL) throws(TEDSInputError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TEDSInputError(
                file: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TEDSInputError(file: url.path, reason: "not UTF-8 text")
        }
        let trimmed = text.drop { $0.isWhitespace }
        if url.pathExtension.lowercased() == "jsonl" {
            try self.init(jsonLines: text, file: url.path)
        } else if trimmed.hasPrefix("{") {
            try self.init(jsonObject: data, file: url.path)
        } else {
            self.init([(url.deletingPathExtension().lastPathComponent, text)])
        }
    }

    private init(jsonObject data: Data, file: String) throws(TEDSInputError) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TEDSInputError(file: file, reason: "not a JSON object of tables")
        }
        var pairs: [(String, String)] = []
        for name in object.keys.sorted() {
            if let html = object[name] as? String {
                pairs.append((name, html))
            } else if let entry = object[name] as? [String: Any],
                let html = entry["html"] as? String
            {
                pairs.append((name, html))
            } else {
                throw TEDSInputError(
                    file: file,
                    reason: "entry \"\(name)\" is neither an HTML string nor {\"html\": …}")
            }
        }
        self.init(pairs)
    }

    private init(jsonLines text: String, file: String) throws(TEDSInputError) {
        var pairs: [(String, String)] = []
        for (number, line) in text.split(
            omittingEmptySubsequences: false, whereSeparator: \.isNewline
        ).enumerated() {
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)),
                let entry = object as? [String: Any]
            else { throw TEDSInputError(file: file, reason: "line \(number + 1) is not JSON") }
            guard let html = entry["html"] as? String ?? TEDSTables.pubTabNetHTML(entry) else {
                throw TEDSInputError(
                    file: file,
                    reason: "line \(number + 1) has no html string nor html.structure.tokens "
                        + "and html.cells")
            }
            let name = entry["filename"] as? String ?? "line\(number + 1)"
            pairs.append((name, html))
        }
        self.init(pairs)
    }

    /// PubTabNet's `format_html`: cell tokens (single characters HTML-escaped) inserted after
    /// each `<td>` or `>` structure token, pairing tokens and cells from the end.
    static func pubTabNetHTML(_ entry: [String: Any]) -> String? {
        guard let html = entry["html"] as? [String: Any],
            let structure = (html["structure"] as? [String: Any])?["tokens"] as? [String],
            let cells = html["cells"] as? [[String: Any]]
        else { return nil }
        var code = structure
        let slots = structure.indices.filter { structure[$0] == "<td>" || structure[$0] == ">" }
        for (slot, cell) in zip(slots.reversed(), cells.reversed()) {
            guard let tokens = cell["tokens"] as? [String], !tokens.isEmpty else { continue }
            let content = tokens.map { $0.unicodeScalars.count == 1 ? htmlEscape($0) : $0 }
            code.insert(content.joined(), at: slot + 1)
        }
        return "<html><body><table>" + code.joined() + "</table></body></html>"
    }

    /// Python's `html.escape(s, quote=True)`.
    private static func htmlEscape(_ s: String) -> String {
        switch s {
        case "&": "&amp;"
        case "<": "&lt;"
        case ">": "&gt;"
        case "\"": "&quot;"
        case "'": "&#x27;"
        default: s
        }
    }
}
