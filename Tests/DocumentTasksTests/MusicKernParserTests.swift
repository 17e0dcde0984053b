import DocumentModel
import DocumentTasks
import Foundation
import PaliTestSupport
import Testing

@Suite struct MusicKernParserTests {
    static func sample() throws -> String {
        try String(
            contentsOf: FixturePaths.fixture("kern")
                .appendingPathComponent("grandstaff_sample.krn"),
            encoding: .utf8)
    }

    /// Replaces line `number` (1-based) of the sample.
    static func sample(replacingLine number: Int, with line: String) throws -> String {
        var lines = try sample().split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        lines[number - 1] = line
        return lines.joined(separator: "\n")
    }

    @Test func summarisesTheSample() throws {
        let text = try Self.sample()
        let score = KernParser.score(from: text)
        #expect(score.problems == [])
        #expect(score.isValid)
        #expect(score.text == text && score.kern == text)
        #expect(score.spineCount == 2)
        #expect(score.maxSpineCount == 3)
        #expect(score.measureCount == 3)
        #expect(score.noteCount == 18)
        #expect(score.restCount == 2)
        #expect(score.chordCount == 4)
    }

    @Test(arguments: [
        (7, "4GG\t8.dd-\t4c", 7, "3 fields but 2 active spines"),
        (13, "2.GG\t2.g]", 13, "2 fields but 3 active spines"),
        (7, "4GG\t8.dd-x7", 7, "spine 2, token '8.dd-x7': more than one duration"),
        (7, "4GG\t4cd", 7, "spine 2, token '4cd': more than one pitch or rest"),
        (7, "4GG\tcc", 7, "spine 2, token 'cc': no duration"),
        (7, "4GG\t4#c", 7, "spine 2, token '4#c': accidental '#' not after a pitch"),
        (7, "4GG\t4r]", 7, "spine 2, token '4r]': tie on a rest"),
        (7, "4GG\t4c%", 7, "spine 2, token '4c%': '%' not after a duration"),
        (7, "4GG\t4cc+", 7, "spine 2, token '4cc+': unexpected character '+'"),
        (7, "4GG\t4c  4e", 7, "extra space in spine 2"),
        (7, "4GG\t*", 7, "data line has '*' in spine 2"),
        (7, "", 7, "empty line"),
        (3, "*clefH2\t*clefG2", 3, "malformed clef '*clefH2'"),
        (4, "*k[f#]\t*k[fc#]", 4, "malformed key signature '*k[fc#]'"),
        (5, "*M3/4\t*M3/", 5, "malformed meter '*M3/'"),
        (6, "!LH\tRH", 6, "local comment line has a field not starting with '!' in spine 2"),
        (11, "=1\t=1+", 11, "malformed barline '=1+'"),
        (11, "=1\t1", 11, "barline line has a field not starting with '=' in spine 2"),
        (12, "*\t*v", 12, "*v in spine 2 has no neighbouring *v to join"),
        (12, "*x\t*", 12, "*x in spine 1 has no neighbouring *x"),
        (2, "4c\t4d", 2, "expected the exclusive interpretation line (**kern …)"),
    ] as [(Int, String, Int, String)])
    func flagsWithLineNumbers(line: Int, replacement: String, problemLine: Int, message: String)
        throws
    {
        let score = KernParser.score(from: try Self.sample(replacingLine: line, with: replacement))
        #expect(!score.isValid)
        #expect(score.problems.contains(MusicScore.Problem(line: problemLine, message: message)),
                "\(score.problems)")
    }

    @Test func truncatedOutputIsFlaggedButSummarised() throws {
        let lines = try Self.sample().split(separator: "\n").prefix(14)
        let score = KernParser.score(from: lines.joined(separator: "\n"))
        #expect(!score.isValid)
        #expect(score.problems == [
            MusicScore.Problem(
                line: nil, message: "3 spines not terminated with *- (truncated output?)"),
        ])
        #expect(score.noteCount == 11 && score.measureCount == 2 && score.maxSpineCount == 3)
    }

    @Test func spineManipulators() {
        let text = """
            **kern\t**kern\t**kern
            *x\t*x\t*
            *+\t*\t*
            *\t**dynam\t*\t*
            4c\tp\t4e\t4g
            *\t*-\t*\t*
            *^\t*\t*
            4c\t4e\t.\t.
            *v\t*v\t*\t*
            *\t*v\t*v
            4c 4e 4g\t4c
            *-\t*-
            """
        let score = KernParser.score(from: text)
        #expect(score.problems == [])
        #expect(score.maxSpineCount == 4 && score.chordCount == 1 && score.noteCount == 9)
    }

    @Test func addedSpineNeedsExclusiveInterpretation() {
        let score = KernParser.score(from: "**kern\n*+\n4c\t4d\n*-\t*-")
        #expect(score.problems == [
            MusicScore.Problem(line: 3, message: "spine 2 was added by *+ without **name"),
        ])
    }

    @Test func linesAfterTerminationAndMissingHeader() {
        #expect(KernParser.score(from: "**kern\n4c\n*-\n4d").problems == [
            MusicScore.Problem(line: 4, message: "line after all spines were terminated"),
        ])
        #expect(KernParser.score(from: "!! only a comment").problems == [
            MusicScore.Problem(line: nil, message: "no exclusive interpretation line (**kern)"),
        ])
        #expect(KernParser.score(from: "**text\nhello\n*-").problems == [
            MusicScore.Problem(line: 1, message: "no **kern spine"),
        ])
    }

    @Test func graceNotesRationalDurationsAndSignifiers() {
        let text = "**kern\n8qc#\n3%2ee-\n(16.AA-L\n00r\n4c;\\\n[4F#_\n4F#]\n*-\n"
        let score = KernParser.score(from: text)
        #expect(score.problems == [])
        #expect(score.noteCount == 6 && score.restCount == 1)
    }

    @Test func bekernIsMappedToKern() {
        let text = "**ekern_1.0 <t> **ekern_1.0 <b> *clefF4 <t> *clefG2 <b> 4@GG <s> 4@D <t> "
            + "8@dd@-·L <b> . <t> 8@cc·J <b> =1 <t> =1 <b> *- <t> *-"
        let score = KernParser.score(from: text)
        #expect(
            score.kern
                == "**kern\t**kern\n*clefF4\t*clefG2\n4GG 4D\t8dd-L\n.\t8ccJ\n=1\t=1\n*-\t*-")
        #expect(score.problems == [])
        #expect(score.text == text)
        #expect(score.noteCount == 4 && score.chordCount == 1 && score.measureCount == 1)
    }

    /// Seeded random truncations and character edits of the sample: the parser must return
    /// (never crash or hang) and every truncation before the final terminators is flagged.
    @Test func randomAndTruncatedInputNeverCrashes() throws {
        let text = try Self.sample()
        let characters = Array(text)
        var generator = SeededRandom(seed: 6)
        for cut in 0..<characters.count - 6 {
            let score = KernParser.score(from: String(characters[..<cut]))
            #expect(!score.isValid, "truncated at \(cut)")
        }
        let alphabet = Array("\t\n *^v+-x!=.[]_()#-rcdefgabCDG0123456789;LJ@·<b>")
        for _ in 0..<2000 {
            var edited = characters
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let position = Int(generator.next() % UInt64(edited.count))
                let replacement = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                switch generator.next() % 3 {
                case 0: edited.remove(at: position)
                case 1: edited.insert(replacement, at: position)
                default: edited[position] = replacement
                }
            }
            let score = KernParser.score(from: String(edited))
            #expect(score.isValid == score.problems.isEmpty)
        }
        for _ in 0..<500 {
            let garbage = (0..<Int(generator.next() % 200)).map { _ in
                alphabet[Int(generator.next() % UInt64(alphabet.count))]
            }
            #expect(!KernParser.score(from: String(garbage)).text.isEmpty || garbage.isEmpty)
        }
    }
}

