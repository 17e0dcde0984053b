import DocumentModel
import Foundation

/// hOCR 1.2 (XHTML) for OCR text: one `ocr_page` per page (`bbox`, `ppageno`, and `image`
/// when the page image is known), one `ocr_carea` > `ocr_par` per text block
/// (`TextBlock`), `ocr_line`s, and `ocrx_word` spans with `bbox` when the word has a box and
/// `x_wconf` (integer percent) when it has a confidence. Lines of plain `ocr` text have no
/// box of their own and carry their block's (hOCR requires one). The head carries exactly
/// one `ocr-system` and one `ocr-capabilities` listing every class and property written.
/// Boxes are `x0 y0 x1 y1` page pixels, x1/y1 exclusive as Tesseract writes them. Where the
/// text came from is the engine-specific property `x_source` (`pdf-text` or `model`) on pages
/// and words.
public enum HOCRExporter {
    /// Classes and properties this writer can emit.
    public static let capabilities = "ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf"

    /// The hOCR text.
    public static func hocr(_ document: Document) -> String {
        let system = ["palidoc", document.pipeline?.palidocVersion].compactMap { $0 }
            .joined(separator: " ")
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" \
            "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
            <html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
             <head>
              <title>\(XMLEscaping.escape(document.source.path))</title>
              <meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>
              <meta http-equiv="Content-Security-Policy" \
            content="\(HTMLExporter.contentSecurityPolicy)"/>
              <meta name="ocr-system" content="\(XMLEscaping.escape(system))"/>
              <meta name="ocr-capabilities" content="\(capabilities)"/>
              <meta name="ocr-number-of-pages" content="\(document.pages.count)"/>
             </head>
             <body>

            """
        for (pageIndex, page) in document.pages.enumerated() {
            let p = page.number
            var title = ""
            if let image = page.image { title += "image \"\(image)\"; " }
            title += "bbox 0 0 \(page.width) \(page.height); ppageno \(pageIndex)"
            if let source = page.textSource { title += "; x_source \(source.rawValue)" }
            out +=
                "  <div class=\"ocr_page\" id=\"page_\(p)\" "
                + "title=\"\(XMLEscaping.escape(title))\">\n"
            var block = 0
            var line = 0
            var word = 0
            for textBlock in TextBlock.blocks(of: page) {
                block += 1
                out +=
                    "   <div class=\"ocr_carea\" id=\"block_\(p)_\(block)\" "
                    + "title=\"\(bbox(textBlock.box))\">\n"
                out +=
                    "    <p class=\"ocr_par\" id=\"par_\(p)_\(block)\" "
                    + "title=\"\(bbox(textBlock.box))\">\n"
                for textLine in textBlock.lines {
                    line += 1
                    // hOCR requires a line bbox; unboxed (plain OCR) lines get the block's.
                    out +=
                        "     <span class=\"ocr_line\" id=\"line_\(p)_\(line)\" "
                        + "title=\"\(bbox(textLine.box ?? textBlock.box))\">"
                    for (index, item) in textLine.words.enumerated() {
                        word += 1
                        var properties: [String] = []
                        if let box = item.box { properties.append(bbox(box)) }
                        if let confidence = item.confidence {
                            properties.append("x_wconf \(Int((confidence * 100).rounded()))")
                        }
                        if let source = item.source {
                            properties.append("x_source \(source.rawValue)")
                        }
                        let title =
                            properties.isEmpty
                            ? "" : " title=\"\(properties.joined(separator: "; "))\""
                        if index > 0 { out += " " }
                        out +=
                            "<span class=\"ocrx_word\" id=\"word_\(p)_\(word)\"\(title)>"
                            + XMLEscaping.escape(item.text) + "</span>"
                    }
                    out += "</span>\n"
                }
                out += "    </p>\n   </div>\n"
            }
            out += "  </div>\n"
        }
        return out + " </body>\n</html>\n"
    }

    /// Writes the hOCR to `url` atomically.
    public static func write(_ document: Document, to url: URL) throws(ExportError) {
        try AtomicFile.write(hocr(document), to: url)
    }

    private static func bbox(_ r: PixelRect) -> String { "bbox \(r.x) \(r.y) \(r.maxX) \(r.maxY)" }
}
