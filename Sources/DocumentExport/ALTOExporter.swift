import DocumentModel
import Foundation

/// ALTO 4.4 for OCR text, in pixel units: `Description` (unit, source file, the palidoc
/// processing step), then `Layout` with one `Page` per page (`ID`, `PHYSICAL_IMG_NR`, size),
/// a `PrintSpace` covering the page, a `TextBlock` per text block (`TextBlock`), its
/// `TextLine`s, and `String`s (`CONTENT`, HPOS/VPOS/WIDTH/HEIGHT when the word has a box,
/// `WC` in 0–1 when it has a confidence) separated by `SP`. Lines and words of plain `ocr`
/// text have no positions (optional in ALTO 4). Where the text came from is an `OtherTag`
/// (`pdf-text` or `model`) in `Tags`, referred to by `TAGREFS` on text blocks (the page's
/// source) and strings. Valid against the official `alto-4-4.xsd`.
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
        out += "   </processingSoftware>\n  </Processing>\n </Description>\n"
        let sources = Set(document.pages.flatMap { [$0.textSource] + $0.words.map(\.source) })
        let used = TextSource.allCases.filter { sources.contains($0) }
        if !used.isEmpty {
            out += " <Tags>\n"
            for source in used {
                out +=
                    "  <OtherTag ID=\"\(tag(source))\" LABEL=\"\(source.rawValue)\" "
                    + "DESCRIPTION=\"\(XMLEscaping.escape(source.label))\"/>\n"
            }
            out += " </Tags>\n"
        }
        out += " <Layout>\n"
        for (index, page) in document.pages.enumerated() {
            let p = page.number
            out +=
                "  <Page ID=\"page_\(p)\" PHYSICAL_IMG_NR=\"\(index + 1)\" "
                + "WIDTH=\"\(page.width)\" HEIGHT=\"\(page.height)\">\n"
            out += "   <PrintSpace \(position(page.bounds))>\n"
            var block = 0
            var line = 0
            var word = 0
            for textBlock in TextBlock.blocks(of: page) {
                block += 1
                out += "    <TextBlock ID=\"block_\(p)_\(block)\" \(position(textBlock.box))"
                out += page.textSource.map { " TAGREFS=\"\(tag($0))\">\n" } ?? ">\n"
                for textLine in textBlock.lines {
                    line += 1
                    out += "     <TextLine ID=\"line_\(p)_\(line)\"\(position(textLine.box))>"
                    for (i, item) in textLine.words.enumerated() {
                        word += 1
                        if i > 0 { out += "<SP/>" }
                        out +=
                            "<String ID=\"string_\(p)_\(word)\" "
                            + "CONTENT=\"\(XMLEscaping.escape(item.text))\"\(position(item.box))"
                        if let confidence = item.confidence {
                            out += " WC=\"\(String(format: "%.4f", min(max(confidence, 0), 1)))\""
                        }
                        if let source = item.source { out += " TAGREFS=\"\(tag(source))\"" }
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

    /// The ID of the `OtherTag` naming a text source.
    private static func tag(_ source: TextSource) -> String { "source_\(source.rawValue)" }

    private static func position(_ r: PixelRect) -> String {
        "HPOS=\"\(r.x)\" VPOS=\"\(r.y)\" WIDTH=\"\(r.width)\" HEIGHT=\"\(r.height)\""
    }

    /// ` HPOS=… VPOS=… WIDTH=… HEIGHT=…` for a known box, nothing for an unknown one (the
    /// positions are optional in ALTO 4).
    private static func position(_ r: PixelRect?) -> String {
        r.map { " " + position($0) } ?? ""
    }
}
