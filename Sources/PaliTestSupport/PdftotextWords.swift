import Foundation

/// The words `pdftotext -bbox` (poppler-utils) finds on a PDF page: the reference the PDF
/// text-layer reader and the searchable-PDF writer are checked against.
public struct PdftotextWords {
    /// One word, its box in points from the page's top-left corner.
    public struct Word: Equatable, CustomStringConvertible {
        public var text: String
        public var xMin: Double
        public var yMin: Double
        public var xMax: Double
        public var yMax: Double

        /// `text@[xMin,yMin,xMax,yMax]`.
        public var description: String {
            "\(text)@[\(Int(xMin)),\(Int(yMin)),\(Int(xMax)),\(Int(yMax))]"
        }
    }

    /// The page's width and height in points, as pdftotext reports them.
    public var width: Double
    public var height: Double
    /// The words in pdftotext's order.
    public var words: [Word]

    /// The words of page `page` (1-based) of `pdf`.
    public init(_ pdf: URL, page: Int) throws {
        let xhtml = try ExternalTool.output(
            "pdftotext", ["-bbox", "-f", String(page), "-l", String(page), pdf.path, "-"],
            package: "poppler-utils")
        func number(_ name: String, in text: Substring) -> Double? {
            guard let range = text.range(of: name + "=\"") else { return nil }
            let rest = text[range.upperBound...]
            return rest.firstIndex(of: "\"").flatMap { Double(rest[..<$0]) }
        }
        guard let pageTag = xhtml.range(of: "<page ") else {
            throw ExternalTool.Failure(description: "pdftotext -bbox wrote no page")
        }
        let pageLine = xhtml[pageTag.lowerBound...].prefix { $0 != ">" }
        width = number("width", in: pageLine) ?? 0
        height = number("height", in: pageLine) ?? 0
        words = []
        var rest = xhtml[pageTag.upperBound...]
        while let open = rest.range(of: "<word "), let close = rest.range(of: "</word>") {
            let tag = rest[open.lowerBound..<close.lowerBound]
            guard let end = tag.firstIndex(of: ">") else { break }
            let attributes = tag[..<end]
            words.append(
                Word(
                    text: Self.unescape(String(tag[tag.index(after: end)...])),
                    xMin: number("xMin", in: attributes) ?? .nan,
                    yMin: number("yMin", in: attributes) ?? .nan,
                    xMax: number("xMax", in: attributes) ?? .nan,
                    yMax: number("yMax", in: attributes) ?? .nan))
            rest = rest[close.upperBound...]
        }
    }

    private static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The words of page `page` in the reading order plain `pdftotext` writes them (right to
    /// left runs turned into reading order), without the embedding marks it wraps them in.
    public static func readingOrder(_ pdf: URL, page: Int) throws -> [String] {
        let text = try ExternalTool.output(
            "pdftotext", ["-f", String(page), "-l", String(page), pdf.path, "-"],
            package: "poppler-utils")
        return text.unicodeScalars.filter { !(0x202A...0x202E).contains($0.value) }
            .split(whereSeparator: { $0.properties.isWhitespace })
            .map { String(String.UnicodeScalarView($0)) }
    }

    /// The words of `expected` (text in reading order, box `[xMin, yMin, xMax, yMax]` in
    /// points) that this page lacks within `tolerance` points, each found word used once.
    /// `-bbox` lists right-to-left words as drawn, so a word also matches its reversal.
    public func missing(_ expected: [(text: String, box: [Double])], tolerance: Double)
        -> [String]
    {
        var unmatched = words
        var missing: [String] = []
        for (text, box) in expected {
            let found = unmatched.firstIndex { seen in
                (seen.text == text || seen.text == String(text.reversed()))
                    && zip(box, [seen.xMin, seen.yMin, seen.xMax, seen.yMax])
                        .allSatisfy { abs($0 - $1) <= tolerance }
            }
            if let found {
                unmatched.remove(at: found)
            } else {
                missing.append("\(text)@\(box)")
            }
        }
        return missing
    }
}
