import DocumentExport
import DocumentModel
import Foundation
import PaliTestSupport
import Testing

@Suite struct HOCRExporterTests {
    @Test func metadataAndClassesFollowTheSpec() throws {
        let hocr = HOCRExporter.hocr(SampleDocument.make())
        let root = try Markup.parseXML(hocr)
        let metas = root.descendants(named: "meta")
        #expect(metas.filter { $0.attribute("name") == "ocr-system" }.count == 1)
        let capabilities = try #require(metas.first { $0.attribute("name") == "ocr-capabilities" })
        let declared = Set(
            capabilities.attribute("content")!.split(separator: " ").map(String.init))
        var used: Set<String> = []
        func collect(_ e: MarkupElement) {
            if let c = e.attribute("class") { used.insert(c) }
            if e.attribute("title")?.contains("x_wconf") == true { used.insert("ocrp_wconf") }
            e.elements.forEach(collect)
        }
        collect(root)
        #expect(used.isSubset(of: declared), "\(used.subtracting(declared)) not declared")
        let pages = root.descendants(named: "div").filter { $0.attribute("class") == "ocr_page" }
        #expect(pages.count == 2)
        #expect(
            pages[0].attribute("title") == "image \"sample-p1.png\"; bbox 0 0 1000 1000; ppageno 0")
        Snapshot.check(hocr, named: "sample.hocr")
    }

    @Test func wordsRoundTrip() throws {
        let document = SampleDocument.make()
        let root = try Markup.parseHTML(HOCRExporter.hocr(document))
        let words = root.descendants(named: "span").filter { $0.attribute("class") == "ocrx_word" }
        let read = words.compactMap { span -> Word? in
            guard let title = span.attribute("title") else { return nil }
            let properties = Dictionary(
                uniqueKeysWithValues: title.split(separator: ";").map {
                    let parts = $0.split(separator: " ")
                    return (String(parts[0]), parts.dropFirst().map { Int($0)! })
                })
            let b = properties["bbox"]!
            return Word(
                text: span.textContent,
                box: PixelRect(x: b[0], y: b[1], width: b[2] - b[0], height: b[3] - b[1]),
                confidence: properties["x_wconf"].map { Double($0[0]) / 100 })
        }
        #expect(read == document.pages.flatMap(\.words))
        let lines = root.descendants(named: "span").filter { $0.attribute("class") == "ocr_line" }
        #expect(lines.map { $0.elements.count } == [2, 2, 3, 2])
        // Plain OCR lines carry their block's (the tile's) box and unboxed words.
        #expect(lines[2].attribute("title") == "bbox 0 0 1000 1000")
        #expect(lines[2].textContent == "Plain OCR text")
        #expect(lines[3].elements.allSatisfy { $0.attribute("title") == nil })
    }
}

@Suite struct ALTOExporterTests {
    @Test func validatesAgainstTheOfficialSchema() throws {
        let alto = ALTOExporter.alto(SampleDocument.make())
        Snapshot.check(alto, named: "sample.alto.xml")
        let schema = FixturePaths.altoSchema
        #expect(try Markup.schemaViolation(in: alto, schemaPath: schema.path) == nil)
        // The check can fail: a String without CONTENT is invalid.
        let broken = alto.replacingOccurrences(of: "CONTENT=\"Hello\" ", with: "")
        #expect(try Markup.schemaViolation(in: broken, schemaPath: schema.path) != nil)
    }

    @Test func wordsRoundTrip() throws {
        let document = SampleDocument.make()
        let root = try Markup.parseXML(ALTOExporter.alto(document))
        #expect(root.namespace == ALTOExporter.namespace)
        let read = root.descendants(named: "String").compactMap { s -> Word? in
            guard s.attribute("HPOS") != nil else { return nil }
            let v = { (name: String) in Int(s.attribute(name)!)! }
            return Word(
                text: s.attribute("CONTENT")!,
                box: PixelRect(x: v("HPOS"), y: v("VPOS"), width: v("WIDTH"), height: v("HEIGHT")),
                confidence: s.attribute("WC").map { Double($0)! })
        }
        let plain = root.descendants(named: "TextLine").suffix(2).map {
            $0.descendants(named: "String").map { $0.attribute("CONTENT")! }
        }
        #expect(plain == [["Plain", "OCR", "text"], ["second", "line"]])
        #expect(read == document.pages.flatMap(\.words))
    }
}
