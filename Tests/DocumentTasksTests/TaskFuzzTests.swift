import DocumentModel
import DocumentTasks
import Testing
import PaliTestSupport

/// Random and truncated model output through every task: parsers must not crash, must keep
/// every box inside the tile, and must flag output they could not read.
@Suite struct TaskFuzzTests {

    static let pieces = [
        "<loc0000>", "<loc1023>", "<loc0512>", "<loc9999>", "<loc12>", " ; ", ";", " word", "é",
        "<tr>", "</tr>", "<td>", "</td>", "<td colspan=\"2\">", "<td rowspan=\"x\">", "<thead>",
        "</thead>", "<tbody>", "</tbody>", "<table>", "</table>", "<b>", "</b>", "<", ">", "&amp;",
        "&#x1F600;", "&#99999999;", "\"", " ", "\n", "<td rowspan=99999>", "<sup>", "x", "\u{0}",
        "**kern", "\t", "*-", "*^", "*v", "=1", "4c", "8.dd#", "r", "```", "C", "c1", "(", ")",
        "[NH4+]", "%12", "=", "/", "@@",
    ]

    static let tasks: [any DocumentTask] = [
        OCRTask(), OCRWordsTask(), TableTask(), CaptionTask(), AnswerTask(question: "q"),
        ReportTask(prompt: "r"), DetectTask(objects: ["a"]), MusicTask(), MoleculeTask(),
    ]

    @Test func randomOutputNeverCrashesAndBoxesStayOnTheTile() {
        var rng = SeededRandom(seed: 20_261_129)
        let tile = Tile(
            index: 1, rect: PixelRect(x: 100, y: 50, width: 300, height: 120),
            padding: TilePadding(right: 0, bottom: 180))
        for _ in 0..<400 {
            var output = ""
            for _ in 0..<Int.random(in: 0..<40, using: &rng) {
                output += Self.pieces.randomElement(using: &rng)!
            }
            // Truncate at a random scalar, as a token budget would.
            let scalars = Array(output.unicodeScalars)
            let cut = scalars.isEmpty ? 0 : Int.random(in: 0...scalars.count, using: &rng)
            let truncated = String(String.UnicodeScalarView(scalars[0..<cut]))
            for text in [output, truncated] {
                for task in Self.tasks {
                    let region = task.parse(text, tile: tile, page: 1)
                    #expect(region.rawOutput == text)
                    let boxes = region.words.compactMap(\.box) + region.detections.map(\.box)
                    for box in boxes {
                        #expect(box.intersection(tile.rect) == box, "\(box) off \(tile.rect)")
                    }
                    let length = text.unicodeScalars.count
                    for issue in region.issues {
                        #expect((0...length).contains(issue.offset ?? 0), "\(issue) in \(text)")
                    }
                    for score in region.music where !score.isValid {
                        #expect(!region.issues.isEmpty, "invalid score not flagged: \(text)")
                    }
                    for molecule in region.molecules where !molecule.isValid {
                        #expect(region.hasUnreadableParts, "invalid SMILES not flagged: \(text)")
                    }
                    if let table = region.table {
                        for cell in table.cells {
                            #expect(cell.row + cell.rowSpan <= table.rows)
                            #expect(cell.column + cell.columnSpan <= table.columns)
                        }
                    }
                }
            }
        }
    }

    @Test func truncatedValidOutputIsFlagged() {
        let tile = Tile(index: 0, rect: PixelRect(x: 0, y: 0, width: 100, height: 100))
        let table =
            "<thead><tr><td>a</td><td>b</td></tr></thead>"
            + "<tbody><tr><td>1</td><td>2</td></tr></tbody>"
        let words =
            "<loc0010><loc0020><loc0100><loc0200> alpha ; <loc0300><loc0020><loc0400><loc0200> beta"
        for cut in 1..<table.count {
            let prefix = String(table.prefix(cut))
            // A header that ends cleanly is a complete table: nothing to notice there.
            if prefix.hasSuffix("</thead>") { continue }
            let region = TableTask().parse(prefix, tile: tile, page: 1)
            #expect(!region.issues.isEmpty, "table cut at \(cut) not flagged")
        }
        // Cut inside the second group's tokens: the first word survives, the rest is flagged.
        for cut in 57..<words.count - 6 {
            let region = OCRWordsTask().parse(String(words.prefix(cut)), tile: tile, page: 1)
            #expect(region.words.first?.text == "alpha")
            #expect(region.hasUnreadableParts, "words cut at \(cut) not flagged")
        }
    }
}
