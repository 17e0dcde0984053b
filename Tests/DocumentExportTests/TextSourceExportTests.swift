import DocumentExport
import DocumentModel
import Foundation
import PaliTestSupport
import Testing

/// Where text came from (`pdf-text` or `model`) in every format: JSON (against the schema),
/// hOCR (`x_source`), ALTO (`OtherTag` + `TAGREFS`, against the official schema), and the
/// HTML and Markdown views.
@Suite struct TextSourceExportTests {
    /// Page 1 from the PDF's text layer, page 2 read by the model.
    static func document() -> Document {
        func page(_ number: Int, _ source: TextSource) -> Page {
            var page = Page(number: number, width: 600, height: 800, dpi: 72)
            page.textSource = source
            page.pointWidth = 600
            page.pointHeight = 800
            page.rotation = number == 1 ? 90 : 0
            page.regions = [
                Region(
                    id: "p\(number)-ocr-words", task: "ocr-words", text: "alpha beta",
                    words: [
                        Word(
                            text: "alpha", box: PixelRect(x: 10, y: 10, width: 50, height: 12),
                            source: source),
                        Word(
                            text: "beta", box: PixelRect(x: 70, y: 10, width: 40, height: 12),
                            source: source),
                    ])
            ]
            return page
        }
        return Document(
            source: SourceFile(path: "mixed.pdf", format: "pdf"),
            pages: [page(1, .pdfText), page(2, .model)])
    }

    @Test func jsonRecordsAndValidates() throws {
        let data = try JSONExporter.data(Self.document())
        let validator = try JSONSchemaValidator(schema: DocumentSchema.json)
        #expect(validator.violations(try JSONSerialization.jsonObject(with: data)) == [])
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"textSource\" : \"pdf-text\""))
        #expect(text.contains("\"source\" : \"model\""))
        #expect(try JSONDecoder().decode(Document.self, from: data) == Self.document())
        // The schema refuses a source it does not know.
        var object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        var pages = object["pages"] as! [[String: Any]]
        pages[0]["textSource"] = "guess"
        object["pages"] = pages
        #expect(!validator.violations(object).isEmpty)
    }

    @Test func hocrHasXSource() throws {
        let hocr = HOCRExporter.hocr(Self.document())
        let root = try Markup.parseXML(hocr)
        let pages = root.descendants(named: "div").filter { $0.attribute("class") == "ocr_page" }
        #expect(pages.map { $0.attribute("title")?.hasSuffix("x_source pdf-text") } == [
            true, false,
        ])
        let words = root.descendants(named: "span").filter {
            $0.attribute("class") == "ocrx_word"
        }
        #expect(
            words.compactMap { $0.attribute("title")?.components(separatedBy: "x_source ").last }
                == ["pdf-text", "pdf-text", "model", "model"])
    }

    @Test func altoTagsValidate() throws {
        let alto = ALTOExporter.alto(Self.document())
        let root = try Markup.parseXML(alto)
        let tags = root.descendants(named: "OtherTag").map { $0.attribute("LABEL") }
        #expect(tags == ["pdf-text", "model"])
        let ids = Set(root.descendants(named: "OtherTag").compactMap { $0.attribute("ID") })
        #expect(
            root.descendants(named: "String").map { $0.attribute("TAGREFS") } == [
                "source_pdf-text", "source_pdf-text", "source_model", "source_model",
            ])
        #expect(
            root.descendants(named: "TextBlock").map { $0.attribute("TAGREFS") } == [
                "source_pdf-text", "source_model",
            ])
        #expect(ids == ["source_pdf-text", "source_model"])
        // The official schema: valid, and a tag without its required ID is not.
        let schema = FixturePaths.altoSchema
        #expect(try Markup.schemaViolation(in: alto, schemaPath: schema.path) == nil)
        let broken = alto.replacingOccurrences(
            of: "<OtherTag ID=\"source_model\" ", with: "<OtherTag ")
        #expect(try Markup.schemaViolation(in: broken, schemaPath: schema.path) != nil)
    }

    @Test func viewsShowIt() throws {
        let html = try HTMLExporter.html(Self.document())
        #expect(html.contains("Text: the PDF&#39;s own text layer (pdf-text)"))
        #expect(html.contains("Text: read from the page image by the model (model)"))
        let markdown = MarkdownExporter.markdown(Self.document())
        #expect(markdown.contains("Text: the PDF's own text layer (pdf-text)"))
        #expect(markdown.contains("Text: read from the page image by the model (model)"))
    }
}
