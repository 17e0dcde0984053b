import DocumentIngest
import Foundation
import Testing

@Suite struct PageSelectionTests {
    @Test(arguments: ["", "0", "3-1", "a", "1--2", "1,,2", "-3"])
    func rejectsMalformedSelections(_ text: String) {
        #expect(throws: PageSelection.SyntaxError.self) { try PageSelection(parsing: text) }
    }

    @Test func selectsPagesInOrderWithoutRepeats() throws {
        let url = IngestTestHelpers.fixture("mixed.pdf")
        let document = try openDocument(url: url)  // 4 pages
        #expect(try PageSelection(parsing: "2, 1-2,4-").indices(in: document) == [1, 0, 3])
        #expect(try PageSelection(parsing: "3").indices(in: document) == [2])
        #expect(try PageSelection.all.indices(in: document) == [0, 1, 2, 3])
        #expect(throws: IngestError(url, .pageOutOfRange(index: 6, pageCount: 4))) {
            try PageSelection(parsing: "1-3,7").indices(in: document)
        }
        #expect(throws: IngestError(url, .pageOutOfRange(index: 4, pageCount: 4))) {
            try PageSelection(parsing: "2-9").indices(in: document)
        }
    }
}
