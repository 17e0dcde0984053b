/// One HTML tag as written inside `<…>`: its lower-case name, whether it closes, and its
/// attributes (names lower-cased, values unquoted and entity-decoded).
struct Tag {
    var name: String
    var closing: Bool
    var selfClosing: Bool
    var attributes: [String: String]

    /// Elements that never have a closing tag.
    static let voidElements: Set<String> = ["br", "hr", "img", "wbr"]

    init(_ inside: String) {
        var s = Substring(inside)
        closing = s.first == "/"
        if closing { s = s.dropFirst() }
        selfClosing = s.last == "/"
        if selfClosing { s = s.dropLast() }
        let nameEnd = s.firstIndex { $0.isWhitespace || $0 == "/" } ?? s.endIndex
        name = s[..<nameEnd].lowercased()
        attributes = Tag.attributes(s[nameEnd...])
    }

    private static func attributes(_ s: Substring) -> [String: String] {
        var result: [String: String] = [:]
        var rest = s
        while true {
            rest = rest.drop { $0.isWhitespace || $0 == "/" }
            guard !rest.isEmpty else { break }
            let nameEnd = rest.firstIndex { $0.isWhitespace || $0 == "=" } ?? rest.endIndex
            let name = rest[..<nameEnd].lowercased()
            rest = rest[nameEnd...].drop { $0.isWhitespace }
            guard rest.first == "=" else {
                if !name.isEmpty { result[name] = "" }
                continue
            }
            rest = rest.dropFirst().drop { $0.isWhitespace }
            var value: Substring
            if let quote = rest.first, quote == "\"" || quote == "'" {
                let body = rest.dropFirst()
                let end = body.firstIndex(of: quote) ?? body.endIndex
                value = body[..<end]
                rest = end < body.endIndex ? body[body.index(after: end)...] : body[end...]
            } else {
                let end = rest.firstIndex { $0.isWhitespace } ?? rest.endIndex
                value = rest[..<end]
                rest = rest[end...]
            }
            if !name.isEmpty && result[name] == nil {
                result[name] = CellText.decodeEntities(String(value))
            }
        }
        return result
    }
}
