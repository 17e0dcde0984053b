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
}
