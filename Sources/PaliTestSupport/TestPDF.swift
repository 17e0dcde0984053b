import Foundation

/// Small valid PDFs made on the spot: `pages` pages, each with a few strokes and a comment
/// naming `label` and the page, so every document has its own content hash.
public enum TestPDF {
    /// The bytes of the PDF.
    public static func make(label: String, pages: Int) -> Data {
        var objects: [String] = []
        let pageIDs = (0..<pages).map { 3 + 2 * $0 }
        objects.append("<< /Type /Catalog /Pages 2 0 R >>")
        objects.append(
            "<< /Type /Pages /Kids [\(pageIDs.map { "\($0) 0 R" }.joined(separator: " "))] "
                + "/Count \(pages) >>")
        for page in 0..<pages {
            let stream = "% \(label) page \(page + 1)\n10 10 m \(20 + page) 80 l S\n"
            objects.append(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 144 144] "
                    + "/Contents \(pageIDs[page] + 1) 0 R >>")
            objects.append("<< /Length \(stream.utf8.count) >>\nstream\n\(stream)endstream")
        }
        return file(objects: objects)
    }

    /// A PDF file of `objects` (numbered from 1, the first the catalog) with its
    /// cross-reference table and trailer.
    public static func file(objects: [String]) -> Data {
        var text = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(text.utf8.count)
            text += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = text.utf8.count
        text += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { text += String(format: "%010d 00000 n \n", offset) }
        text += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(text.utf8)
    }
}
