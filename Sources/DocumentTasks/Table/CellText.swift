/// Plain text of cell HTML: tags removed, character references decoded.
enum CellText {
    /// `html` without tags, with entities decoded (`<br>` reads as a space).
    static func plain(_ html: String) -> String {
        var out = ""
        let s = Array(html.unicodeScalars)
        var i = 0
        while i < s.count {
            if startsTag(s, at: i), let close = s[i...].firstIndex(of: ">") {
                let inside = String(String.UnicodeScalarView(s[(i + 1)..<close]))
                if Tag(inside).name == "br" { out += " " }
                i = close + 1
            } else {
                out.unicodeScalars.append(s[i])
                i += 1
            }
        }
        return decodeEntities(out)
    }

    /// True when `<` at `index` opens a tag (`<` then a letter, `/`, `!` or `?`), as HTML
    /// tokenizers decide; a `<` before a space or digit is text (`p < 0.05`).
    static func startsTag(_ s: [Unicode.Scalar], at index: Int) -> Bool {
        guard s[index] == "<", index + 1 < s.count else { return false }
        let next = s[index + 1]
        return next == "/" || next == "!" || next == "?"
            || (next.isASCII && next.properties.isAlphabetic)
    }

    /// Named (`&amp; &lt; &gt; &quot; &apos; &nbsp;`) and numeric references decoded; anything
    /// else is kept as written.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let named: [String: String] = [
            "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}",
        ]
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            guard let semi = after.prefix(12).firstIndex(of: ";") else {
                out += "&"
                rest = after
                continue
            }
            let name = after[..<semi]
            var decoded: String?
            if name.hasPrefix("#x") || name.hasPrefix("#X") {
                decoded = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map {
                    String($0)
                }
            } else if name.hasPrefix("#") {
                decoded = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
            } else {
                decoded = named[String(name)]
            }
            if let decoded {
                out += decoded
                rest = after[after.index(after: semi)...]
            } else {
                out += "&"
                rest = after
            }
        }
        return out + rest
    }
}
