import DocumentModel
import DocumentTasks
import Testing

@Suite struct MusicTaskTests {
    @Test func defaultAndConfiguredPrompt() {
        #expect(MusicTask().prompt == MusicTask.defaultPrompt)
        #expect(MusicTask(prompt: "omr").prompt == "omr")
    }

    @Test func stripsWhitespaceAndFencesAndKeepsTheOutput() {
        let output = "\n```kern\n**kern\n4c\n*-\n```\n"
        let score = MusicTask().parse(output)
        #expect(score.problems == [] && score.noteCount == 1)
        #expect(score.text == output && score.kern == "**kern\n4c\n*-")
        #expect(MusicTask().parse("```**kern\n4c\n*-```").kern == "**kern\n4c\n*-")
        #expect(MusicTask().parse("```\n**kern\n4c\n*-\n```").isValid)
    }

    @Test func invalidOutputIsFlaggedNotDropped() {
        let score = MusicTask().parse("**kern\t**kern\n4c\t4d\n4e")
        #expect(!score.isValid && score.text == "**kern\t**kern\n4c\t4d\n4e")
        #expect(score.problems.map(\.line) == [3, nil])
        #expect(score.noteCount == 2)
    }

    let tile = Tile(index: 2, rect: PixelRect(x: 0, y: 100, width: 400, height: 100))

    @Test func regionHoldsTheScore() {
        let output = "**kern\t**kern\n4c\t4e 4g\n=\t=\n*-\t*-"
        let region = MusicTask().parse(output, tile: tile, page: 3)
        #expect(region.id == "p3-t2-music" && region.task == "music" && region.tile == 2)
        #expect(region.box == tile.rect && region.prompt == MusicTask.defaultPrompt)
        #expect(region.rawOutput == output && region.text == nil)
        #expect(region.music == [MusicTask().parse(output)] && region.issues.isEmpty)
        #expect(region.music[0].chordCount == 1)
    }

    @Test func problemsBecomeIssuesAtTheirLinesInTheOutput() {
        // The score starts at scalar 9 (after "\n```kern\n"); its line 2 at 23, line 3 at 29.
        let output = "\n```kern\n**kern\t**kern\n4c\t4x\n4d\n```"
        let region = MusicTask().parse(output, tile: tile, page: 1)
        #expect(region.music.count == 1 && !region.music[0].isValid)
        #expect(region.issues.map(\.code) == [
            "kern-invalid-line", "kern-invalid-line", "kern-unterminated",
        ])
        #expect(region.issues.map(\.severity) == [.unreadable, .unreadable, .warning])
        #expect(region.issues.map(\.offset) == [23, 29, 31])
        #expect(region.issues[0].message == "score line 2: spine 2, token '4x': no pitch or rest")
        #expect(region.hasUnreadableParts)
    }

    @Test func truncationAloneIsAWarning() {
        let region = MusicTask().parse("**kern\n4c\n=1\n4d", tile: tile, page: 1)
        #expect(region.issues.map(\.code) == ["kern-unterminated"])
        #expect(!region.hasUnreadableParts && !region.music[0].isValid)
    }

    @Test func bekernLinesHaveNoOffsetAndGarbageHasNoHeader() {
        let bekern = MusicTask().parse("**ekern <b> 4@x <b> *-", tile: tile, page: 1)
        #expect(bekern.issues.map(\.code) == ["kern-invalid-line"])
        #expect(bekern.issues[0].offset == nil)
        #expect(bekern.issues[0].message.hasPrefix("score line 2:"))
        let prose = MusicTask().parse("I cannot read this image.", tile: tile, page: 1)
        #expect(prose.issues.map(\.code) == ["kern-invalid-line", "kern-no-header"])
        #expect(prose.issues.map(\.offset) == [0, nil])
        let empty = MusicTask().parse("  ", tile: tile, page: 1)
        #expect(empty.issues.map(\.code) == ["kern-no-header", "empty-output"])
        #expect(empty.music.count == 1 && empty.music[0].text == "  ")
    }
}
