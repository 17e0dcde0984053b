import DocumentExport
import DocumentModel
import DocumentTasks
import Foundation
import PaliTestSupport
import Testing

@Suite struct KernWriterTests {
    @Test func validScoreSnapshotAndRoundTrip() throws {
        let score = MusicTask().parse("**kern\t**kern\n4GG 4D\t4g\n=1\t=1\n*-\t*-")
        #expect(KernWriter.render(score) == "**kern\t**kern\n4GG 4D\t4g\n=1\t=1\n*-\t*-\n")
        let directory = try TemporaryDirectory("kern")
        let file = directory.file("score.krn")
        try KernWriter.write(score, to: file)
        let written = try String(contentsOf: file, encoding: .utf8)
        #expect(written == KernWriter.render(score))
        let reread = KernParser.score(from: written)
        #expect(reread.isValid && reread.noteCount == score.noteCount)
        #expect(reread.chordCount == 1 && reread.measureCount == 1)
        let listing = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        #expect(listing == ["score.krn"])
    }

    @Test func bekernIsWrittenAsKern() {
        let score = MusicTask().parse("**ekern <b> 4@c·L <b> *-")
        #expect(KernWriter.render(score) == "**kern\n4cL\n*-\n")
    }

    @Test func invalidScoreIsKeptWithReasonsAfterIt() throws {
        let score = MusicTask().parse("**kern\t**kern\n4c\t4x\n4d")
        #expect(
            KernWriter.render(score) == "**kern\t**kern\n4c\t4x\n4d\n"
                + "!!palidoc-invalid: line 2: spine 2, token '4x': no pitch or rest\n"
                + "!!palidoc-invalid: line 3: 1 fields but 2 active spines\n"
                + "!!palidoc-invalid: 2 spines not terminated with *- (truncated output?)\n")
        // The appended comments leave the score's own line numbers unchanged.
        let reread = KernParser.score(from: KernWriter.render(score))
        #expect(reread.problems.prefix(3) == score.problems.prefix(3))
    }

    @Test func overwritesAtomicallyAndReportsUnwritablePaths() throws {
        let directory = try TemporaryDirectory("kern")
        let file = directory.file("score.krn")
        try KernWriter.write(MusicTask().parse("**kern\n4c\n*-"), to: file)
        try KernWriter.write(MusicTask().parse("**kern\n4d\n*-"), to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == "**kern\n4d\n*-\n")
        // A path below a regular file cannot be created.
        let unwritable = directory.file("score.krn/inner.krn")
        #expect {
            try KernWriter.write(MusicTask().parse("**kern\n4c\n*-"), to: unwritable)
        } throws: { error in
            let error = error as? ExportError
            return error?.file == unwritable.path
                && error?.description.hasPrefix(unwritable.path + ": ") == true
        }
        let listing = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        #expect(listing == ["score.krn"])
    }

    @Test func documentScoresGetOneFileEachNamedByPage() throws {
        let directory = try TemporaryDirectory("kern")
        let document = SampleDocument.musicAndMolecules()
        let files = try KernWriter.write(document, to: directory.url, stem: "science")
        #expect(files.map(\.lastPathComponent) == ["science-p1-m1.krn", "science-p1-m2.krn"])
        let scores = document.pages[0].regions.flatMap(\.music)
        for (file, score) in zip(files, scores) {
            #expect(try String(contentsOf: file, encoding: .utf8) == KernWriter.render(score))
        }
        Snapshot.check(KernWriter.render(scores[0]), named: "science-p1-m1.krn")
        Snapshot.check(KernWriter.render(scores[1]), named: "science-p1-m2.krn")
        #expect(try KernWriter.write(SampleDocument.make(), to: directory.url, stem: "x") == [])
    }
}
