import DocumentModel
import Foundation

/// ALTO 4.4 for OCR words, in pixel units: `Description` (unit, source file, the palidoc
/// processing step), then `Layout` with one `Page` per page (`ID`, `PHYSICAL_IMG_NR`, size),
/// a `PrintSpace` covering the page, a `TextBlock` per region with words, `TextLine`s from
/// `TextLine.group`, and `String`s (`CONTENT`, HPOS/VPOS/WIDTH/HEIGHT, `WC` in 0–1 when a
/// confidence exists) separated by `SP`. Valid against the official `alto-4-4.xsd`. Words
/// without a box are not written (the JSON keeps them).
public enum ALTOExporter {
    /// The ALTO namespace.
    public static let namespace = "http://www.loc.gov/standards/alto/ns-v4#"

    /// The ALTO XML text.
    public static func alto(_ document: Document) -> String {
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <alto xmlns="\(namespace)" \
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
            xsi:schemaLocation="\(namespace) http://www.loc.gov/alto/v4/alto-4-4.xsd">
             <Description>
              <MeasurementUnit>pixel</MeasurementUnit>
              <sourceImageInformation>
               <fileName>\(XMLEscaping.escape(document.source.path))</fileName>
              </sourceImageInformation>
              <Processing ID="processing_1">
               <processingSoftware>
                <softwareName>palidoc</softwareName>

            """
        if let version = document.pipeline?.palidocVersion {
            out += "    <softwareVersion>\(XMLEscaping.escape(version))</softwareVersion>\n"
        }
        out += "   </processingSoftware>\n  </Processing>\n </Description>\n <Layout>\n"
        for (index, page) in document.pages.enumerated() {
            let p = page.number
            out +=
                "  <Page ID=\"page_\(p)\" PHYSICAL_IMG_NR=\"\(index + 1)\" "
                + "WIDTH=\"\(page.width)\" HEIGHT=\"\(page.height)\">\n"
            out += "   <PrintSpace \(position(page.bounds))>\n"
            var block = 0
            var line = 0
            var word = 0
            for region in page.regions {
                let lines = TextLine.group(region.words)
                guard let first = lines.first else { continue }
                block += 1
                let area = lines.dropFirst().reduce(first.box) { TextLine.union($0, $1.box) }
                out += "    <TextBlock ID=\"block_\(p)_\(block)\" \(position(area))>\n"
                for textLine in lines {
                    line += 1
                    out += "     <TextLine ID=\"line_\(p)_\(line)\" \(position(textLine.box))>"
                    for (i, item) in textLine.words.enumerated() {
                        word += 1
                        if i > 0 { out += "<SP/>" }
                        out +=
                            "<String ID=\"string_\(p)_\(word)\" "
                            + "CONTENT=\"\(XMLEscaping.escape(item.word.text))\" "
                            + position(item.box)
                        if let confidence = item.word.confidence {
                            out += " WC=\"\(String(format: "%.4f", min(max(confidence, 0), 1)))\""
                        }
                        out += "/>"
                    }
                    out += "</TextLine>\n"
                }
                out += "    </TextBlock>\n"
            }
            out += "   </PrintSpace>\n  </Page>\n"
        }
        return out + " </Layout>\n</alto>\n"
    }

    /// Writes the ALTO XML to `url` atomically.
    public static func write(_ document: Document, to url: URL) throws(ExportError) {
        try AtomicFile.write(alto(document), to: url)
    }

    private static func position(_ r: PixelRect) -> String {
        "HPOS=\"\(r.x)\" VPOS=\"\(r.y)\" WIDTH=\"\(r.width)\" HEIGHT=\"\(r.height)\""
    }
}
