import DocumentExport
import DocumentModel
import DocumentTasks
import Foundation
import PaliTestSupport
import Testing

/// Documents built from random model output go through every exporter: nothing throws,
/// the HTML tables read back, the JSON and ALTO stay schema-valid, hOCR stays well-formed XML,
/// `.krn` files keep the score and `.smi` files hold one line per molecule.
@Suite struct ExporterFuzzTests {

    static let tablePieces = [
        "<tr>", "</tr>", "<td>", "</td>", "<td colspan=\"2\">", "<td rowspan=\"3\">", "<thead>",
        "</thead>", "<tbody>", "<b>", "</b>", "<p>", "<div>", "</div>", "<li>", "<select>",
        "<option>", "<form>", "<frameset>", "<br>", "x", " & ", "<", "\"", "<th>", "<table>",
        "<caption>", "<img src=x>", "<script>", "</p>", "<textarea>", "]]>",
    ]
    static let wordPieces = [
        "<loc0100>", "<loc0200>", "<loc0300>", "<loc0900>", " ; ", "w", "&", "<", "\"", "'",
        "]]>", "\u{1}", "\u{FFFE}", "é", "--", " ",
    ]
    static let kernPieces = [
        "**kern", "\t", "\n", "*-", "*^", "*v", "=1", "4c", "8.dd#", "4r", " ", "<", "&", "```",
    ]
    static let smilesPieces = ["C", "c1", "(", ")", "[NH4+]", "=", "O", "%12", "<", "&", "`", " "]

    static func random(_ pieces: [String], _ rng: inout SeededRandom) -> String {
        (0..<Int.random(in: 0..<30, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }
            .joined()
    }

    @Test func randomDocumentsExport() throws {
        var rng = SeededRandom(seed: 42)
        let tile = Tile(index: 0, rect: PixelRect(x: 0, y: 0, width: 800, height: 600))
        let schema = FixturePaths.altoSchema
        let validator = try JSONSchemaValidator(schema: DocumentSchema.json)
        for round in 0..<40 {
            var regions: [Region] = []
            for _ in 0..<3 {
                regions.append(
                    TableTask().parse(Self.random(Self.tablePieces, &rng), tile: tile, page: 1))
                regions.append(
                    OCRWordsTask().parse(Self.random(Self.wordPieces, &rng), tile: tile, page: 1))
                regions.append(
                    MusicTask().parse(Self.random(Self.kernPieces, &rng), tile: tile, page: 1))
                regions.append(
                    MoleculeTask().parse(Self.random(Self.smilesPieces, &rng), tile: tile, page: 1))
            }
            let document = Document(
                source: SourceFile(path: "fuzz-\(round).png", format: "png"),
                pages: [Page(number: 1, width: 800, height: 600, tiles: [tile], regions: regions)])
            _ = try HTMLExporter.html(document)
            _ = MarkdownExporter.markdown(document)
            let json = try JSONSerialization.jsonObject(with: JSONExporter.data(document))
            #expect(validator.violations(json) == [])
            for score in document.pages[0].regions.flatMap(\.music) {
                // The appended `!!` comments change nothing Humdrum reads.
                let reread = KernParser.score(from: KernWriter.render(score))
                #expect(reread.noteCount == score.noteCount && reread.restCount == score.restCount)
                #expect(reread.measureCount == score.measureCount)
            }
            let smi = SMILESWriter.render(SMILESWriter.entries(in: document, stem: "fuzz"))
            #expect(smi.split(separator: "\n").count == 3)
            for table in document.pages[0].tables { _ = CSVExporter.csv(table) }
            _ = try Markup.parseXML(HOCRExporter.hocr(document))
            let alto = ALTOExporter.alto(document)
            _ = try Markup.parseXML(alto)
            #expect(try Markup.schemaViolation(in: alto, schemaPath: schema.path) == nil)
        }
    }
}
