import DocumentModel
import Foundation

/// Searchable PDF, as OCR tools write it: one page per document page, of the input's size
/// in points and with its rotation (`/Rotate`), showing the page raster, under which every
/// boxed word of the page's text (`ocr-words`, or the PDF's own text layer) lies as invisible
/// text (render mode 3) exactly over its box, so viewers can search, select and copy it.
///
/// The text uses a glyph-less TrueType font (`GlyphlessFont`) embedded once, with 2-byte
/// codes per character and a ToUnicode map (`PDFGlyphTable`), so any script survives copying.
/// Words are grouped into lines as hOCR and ALTO group them (`TextBlock`); each line's font
/// size is its height, its baseline sits at the font's descent above the line's bottom, and
/// each word is scaled horizontally (`Tz`) to span its box. Words of a line are separated by
/// a space character, so text extractors split them where the boxes do. Right-to-left words
/// are written in visual order, as PDF text is.
///
/// Pages without words are image-only. Every string in the file is hex-encoded, so no text
/// from a document can alter the PDF's structure.
public enum PDFExporter {
    /// The resolution assumed for a page whose size on paper is unknown (as ingestion assumes
    /// for a raster that declares none).
    public static let fallbackDPI = 72.0

    /// The fraction of the page left between each page edge and the image.
    static let imageInset = 1e-6

    /// Writes the PDF of `document` to `url` atomically; `image` gives each page's encoded
    /// raster (`page.width` × `page.height` pixels), one page at a time.
    public static func write(
        _ document: Document, to url: URL, image: (Page) throws -> PDFPageImage
    ) throws(ExportError) {
        try AtomicFile.write(to: url) { handle in
            do {
                try write(document, into: handle, image: image)
            } catch let error as PDFWriterError {
                throw ExportError(file: url.path, reason: error.reason)
            }
        }
    }

    private static func write(
        _ document: Document, into handle: FileHandle, image: (Page) throws -> PDFPageImage
    ) throws {
        var writer = try PDFObjectWriter(handle: handle)
        let catalog = writer.reserve()
        let pages = writer.reserve()
        let font = writer.reserve()
        var glyphs = PDFGlyphTable()
        var kids: [Int] = []
        for page in document.pages {
            let geometry = Geometry(page)
            let pageObject = writer.reserve()
            let contents = writer.reserve()
            let imageObject = writer.reserve()
            let encoded: PDFPageImage
            do {
                encoded = try image(page)
            } catch {
                throw PDFWriterError(reason: "page \(page.number): \(error)")
            }
            let xObject = try encoded.xObject(width: page.width, height: page.height)
            try writer.stream(imageObject, xObject.dictionary, xObject.data)
            let text = try content(page, geometry, &glyphs)
            try writer.stream(contents, "", Data(text.utf8))
            let box = geometry.mediaBox
            try writer.object(
                pageObject,
                "<< /Type /Page /Parent \(pages) 0 R /MediaBox [0 0 "
                    + "\(PDFSyntax.numbers(box.width, box.height))] /Rotate \(geometry.rotation) "
                    + "/Resources << /XObject << /Im0 \(imageObject) 0 R >> "
                    + "/Font << /F0 \(font) 0 R >> >> /Contents \(contents) 0 R >>")
            kids.append(pageObject)
        }
        try writeFont(font, glyphs, &writer)
        try writer.object(
            pages,
            "<< /Type /Pages /Kids [\(kids.map { "\($0) 0 R" }.joined(separator: " "))] "
                + "/Count \(kids.count) >>")
        try writer.object(catalog, "<< /Type /Catalog /Pages \(pages) 0 R >>")
        let info = writer.reserve()
        let title = URL(fileURLWithPath: document.source.path).lastPathComponent
        let producer = (["palidoc", document.pipeline?.palidocVersion].compactMap { $0 })
            .joined(separator: " ")
        try writer.object(
            info,
            "<< /Title \(PDFSyntax.text(title)) /Producer \(PDFSyntax.text(producer)) >>")
        // The file identifier: the input's content hash where known, so converting the same
        // input gives the same identifier; otherwise a fresh one.
        let hash = document.source.sha256.map { String($0.prefix(32)) }
        let id = hash ?? UUID().uuidString.replacingOccurrences(of: "-", with: "")
        try writer.finish(root: catalog, info: info, id: id.uppercased())
    }

    /// A page's size on paper and how its pixels map onto it.
    private struct Geometry {
        /// Width and height in points as displayed (after rotation).
        var width: Double
        var height: Double
        /// Clockwise rotation: 0, 90, 180 or 270.
        var rotation: Int
        /// Points per pixel, horizontally and vertically.
        var scaleX: Double
        var scaleY: Double

        init(_ page: Page) {
            let dpi = page.dpi ?? PDFExporter.fallbackDPI
            width = page.pointWidth ?? Double(page.width) * 72 / dpi
            height = page.pointHeight ?? Double(page.height) * 72 / dpi
            let turn = ((page.rotation ?? 0) % 360 + 360) % 360
            rotation = turn % 90 == 0 ? turn : 0
            scaleX = width / Double(page.width)
            scaleY = height / Double(page.height)
        }

        /// The unrotated page box: `/Rotate` turns it into the displayed size.
        var mediaBox: (width: Double, height: Double) {
            rotation == 90 || rotation == 270 ? (height, width) : (width, height)
        }

        /// The matrix from displayed coordinates (origin bottom-left of the page as shown)
        /// to the unrotated user space the content stream is in.
        var displayMatrix: String? {
            switch rotation {
            case 90: "0 1 -1 0 \(PDFSyntax.number(height)) 0 cm"
            case 180: "-1 0 0 -1 \(PDFSyntax.numbers(width, height)) cm"
            case 270: "0 -1 1 0 0 \(PDFSyntax.number(width)) cm"
            default: nil
            }
        }
    }

    /// The page's content stream: the image over the whole page, then the invisible text.
    private static func content(
        _ page: Page, _ geometry: Geometry, _ glyphs: inout PDFGlyphTable
    ) throws -> String {
        var out = "q\n"
        if let matrix = geometry.displayMatrix { out += matrix + "\n" }
        // Poppler's Splash maps an image edge lying exactly on a pixel boundary one pixel
        // beyond it, so a page-filling image would be resampled to one more column and row
        // than the page has; inset by a millionth of the page, it is drawn pixel for pixel.
        let insetX = geometry.width * imageInset, insetY = geometry.height * imageInset
        out += "q " + PDFSyntax.numbers(
            geometry.width - 2 * insetX, 0, 0, geometry.height - 2 * insetY, insetX, insetY)
        out += " cm /Im0 Do Q\n"
        let em = Double(GlyphlessFont.unitsPerEm)
        let advance = Double(GlyphlessFont.advance) / em
        let descent = Double(GlyphlessFont.descent) / em
        var text = ""
        for line in TextBlock.blocks(of: page).flatMap(\.lines) {
            let words = line.words.compactMap { word in word.box.map { (word.text, $0) } }
            guard let lineBox = line.box, !words.isEmpty else { continue }
            let size = Double(lineBox.height) * geometry.scaleY
            guard size > 0 else { continue }
            let baseline = geometry.height - Double(lineBox.maxY) * geometry.scaleY
                - descent * size
            text += "/F0 \(PDFSyntax.number(size)) Tf\n"
            for (index, (word, box)) in words.enumerated() {
                // PDF text is in visual order: a right-to-left word's characters go left to
                // right reversed, and readers (Poppler included) turn them back.
                let rightToLeft = TextDirection(of: word) == .rightToLeft
                let visual = rightToLeft ? String(word.reversed()) : word
                guard var codes = glyphs.codes(for: visual), let space = glyphs.codes(for: " ")
                else {
                    throw PDFWriterError(
                        reason: "the text has more than \(PDFGlyphTable.capacity) distinct "
                            + "characters")
                }
                guard !codes.isEmpty, box.width > 0 else { continue }
                let width = Double(box.width) * geometry.scaleX
                let scale = 100 * width / (Double(codes.count) * advance * size)
                if index < words.count - 1 { codes += space }
                text += "\(PDFSyntax.number(scale)) Tz 1 0 0 1 "
                text += "\(PDFSyntax.numbers(Double(box.x) * geometry.scaleX, baseline)) Tm "
                text += "<" + codes.map(PDFSyntax.hex).joined() + "> Tj\n"
            }
        }
        if !text.isEmpty { out += "BT\n3 Tr\n" + text + "ET\n" }
        return out + "Q\n"
    }

    /// The glyph-less Type 0 font (object `font`) and its parts, with every code `glyphs`
    /// handed out.
    private static func writeFont(
        _ font: Int, _ glyphs: PDFGlyphTable, _ writer: inout PDFObjectWriter
    ) throws {
        let cidFont = writer.reserve()
        let descriptor = writer.reserve()
        let file = writer.reserve()
        let toUnicode = writer.reserve()
        let cidToGID = writer.reserve()
        let name = "/" + GlyphlessFont.name
        try writer.object(
            font,
            "<< /Type /Font /Subtype /Type0 /BaseFont \(name) /Encoding /Identity-H "
                + "/DescendantFonts [\(cidFont) 0 R] /ToUnicode \(toUnicode) 0 R >>")
        try writer.object(
            cidFont,
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont \(name) /CIDSystemInfo << "
                + "/Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                + "/FontDescriptor \(descriptor) 0 R /DW \(GlyphlessFont.advance) "
                + "/CIDToGIDMap \(cidToGID) 0 R >>")
        let ascent = GlyphlessFont.ascent, descent = GlyphlessFont.descent
        try writer.object(
            descriptor,
            "<< /Type /FontDescriptor /FontName \(name) /Flags 5 /FontBBox [0 \(descent) "
                + "\(GlyphlessFont.advance) \(ascent)] /ItalicAngle 0 /Ascent \(ascent) "
                + "/Descent \(descent) /CapHeight \(ascent) /StemV 80 "
                + "/FontFile2 \(file) 0 R >>")
        let fontData = GlyphlessFont.data
        try writer.stream(file, "/Length1 \(fontData.count)", fontData)
        try writer.stream(toUnicode, "", glyphs.toUnicode)
        try writer.stream(cidToGID, "", glyphs.cidToGID)
    }
}
