/// Python's `int(str)` for base 10: surrounding whitespace, an optional sign, digits with
/// single underscores between them.
enum PythonInt {
    static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingPythonWhitespace()
        var body = Substring(trimmed)
        var negative = false
        if let first = body.first, first == "+" || first == "-" {
            negative = first == "-"
            body = body.dropFirst()
        }
        guard let first = body.first, first.isASCII, first.isNumber, body.last != "_",
            !body.contains("__")
        else { return nil }
        var value = 0
        for c in body where c != "_" {
            guard let digit = c.wholeNumberValue, c.isASCII else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = s
        }
        return negative ? -value : value
    }
}

extension String {
    fileprivate func trimmingPythonWhitespace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[start...end])
    }
}
