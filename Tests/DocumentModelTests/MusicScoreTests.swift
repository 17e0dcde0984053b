import DocumentModel
import Foundation
import Testing

@Suite struct MusicScoreTests {
    @Test func codableRoundTrip() throws {
        let score = MusicScore(
            text: "**kern\n4c", kern: "**kern\n4c", isValid: false,
            problems: [MusicScore.Problem(line: nil, message: "1 spines not terminated")],
            spineCount: 1, maxSpineCount: 1, measureCount: 1, noteCount: 1, restCount: 0,
            chordCount: 0)
        let data = try JSONEncoder().encode(score)
        #expect(try JSONDecoder().decode(MusicScore.self, from: data) == score)
    }
}
