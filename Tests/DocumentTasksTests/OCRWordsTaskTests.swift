import DocumentModel
import DocumentTasks
import Testing

@Suite struct OCRWordsTaskTests {
    /// A 400×200 tile at (1000, 500) padded to 400×400 for the model's square.
    let tile = Tile(
        index: 3, rect: PixelRect(x: 1000, y: 500, width: 400, height: 200),
        padding: TilePadding(right: 0, bottom: 200))

    @Test func mapsLocBoxesThroughPaddingToPagePixels() {
        // y 0..1023 covers the padded 400 px height; x covers 400 px.
        let output =
            "<loc0000><loc0000><loc0511><loc0511> Hello ; "
            + "<loc0256><loc0512><loc0384><loc1023> world;"
        let region = OCRWordsTask().parse(output, tile: tile, page: 2)
        #expect(region.issues.isEmpty)
        #expect(region.id == "p2-t3-ocr-words")
        #expect(region.words.map(\.text) == ["Hello", "world;"])
        // 511/1023·400 = 199.8 → floor 0, ceil 200 (clipped to the 200-row tile).
        #expect(region.words[0].box == PixelRect(x: 1000, y: 500, width: 200, height: 200))
        // y 256/1023·400 = 100.1 → 100, 384/1023·400 = 150.1 → 151; x 200.2 → 200, 400.
        #expect(region.words[1].box == PixelRect(x: 1200, y: 600, width: 200, height: 51))
        #expect(region.text == "Hello world;")
    }

    @Test func boxInPaddingIsFlaggedAndWordKept() {
        let output = "<loc0700><loc0000><loc0800><loc0100> ghost"
        let region = OCRWordsTask().parse(output, tile: tile, page: 1)
        #expect(region.words == [Word(text: "ghost", box: nil)])
        #expect(region.issues.map(\.code) == ["box-outside-tile"])
    }

    @Test(arguments: [
        ("<loc0001><loc0002><loc0003> short", "bad-loc-group"),
        ("<loc0001><loc0002><loc2000><loc0004> far", "loc-out-of-range"),
        ("<loc0500><loc0002><loc0100><loc0004> upside", "inverted-box"),
        ("lead <loc0001><loc0002><loc0003><loc0004> x", "text-without-box"),
        ("<loc0001><loc0002><loc0003><loc0004>", "box-without-text"),
        ("just some text", "text-without-box"),
    ])
    func flagsUnreadableGroups(output: String, code: String) {
        let region = OCRWordsTask().parse(output, tile: tile, page: 1)
        #expect(
            region.issues.contains { $0.code == code && $0.severity == .unreadable },
            "\(region.issues)")
    }
}

@Suite struct DetectTaskTests {
    @Test func labelledBoxesOnAnUnpaddedTile() {
        let tile = Tile(index: 0, rect: PixelRect(x: 0, y: 0, width: 1023, height: 2046))
        let task = DetectTask(objects: ["shoe", "table"])
        #expect(task.prompt == "detect shoe ; table")
        let region = task.parse("<loc0051><loc0309><loc0708><loc0646> shoe", tile: tile, page: 1)
        #expect(
            region.detections == [
                Detection(label: "shoe", box: PixelRect(x: 309, y: 102, width: 337, height: 1314))
            ])
        #expect(region.issues.isEmpty)
        let unlabelled = task.parse(
            "<loc0051><loc0309><loc0708><loc0646><loc0001><loc0002><loc0003><loc0004> a",
            tile: tile, page: 1)
        #expect(unlabelled.detections.map(\.label) == ["a"])
        #expect(unlabelled.issues.map(\.code) == ["box-without-text"])
    }
}

@Suite struct FreeTextTaskTests {
    let tile = Tile(index: 0, rect: PixelRect(x: 0, y: 0, width: 10, height: 10))

    @Test func promptsAndTrimming() {
        #expect(CaptionTask().prompt == "caption en")
        #expect(AnswerTask(question: "what is the total?").prompt == "answer en what is the total?")
        #expect(OCRTask().prompt == "ocr")
        #expect(ReportTask(prompt: "findings").prompt == "findings")
        let region = AnswerTask(question: "q").parse("  42\n", tile: tile, page: 1)
        #expect(region.text == "42" && region.issues.isEmpty && region.task == "answer")
    }

    @Test func flagsEmptyAndLoopingOutput() {
        #expect(OCRTask().parse(" ", tile: tile, page: 1).issues.map(\.code) == ["empty-output"])
        let loop = "Results " + String(repeating: "of the table ", count: 12)
        #expect(
            CaptionTask().parse(loop, tile: tile, page: 1).issues.map(\.code)
                == ["repetition-loop"])
        let fine = "A short caption with some words, none repeated in a loop."
        #expect(CaptionTask().parse(fine, tile: tile, page: 1).issues.isEmpty)
    }
}
