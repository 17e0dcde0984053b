import DocumentIngest
import Foundation
import Testing

@Suite struct PageSelectionTests {
    @Test(arguments: ["", "0", "3-1", "a", "1--2", "1,,2", "-3"])
    func rejectsMalformedSelections(_ text: String) {
        #expect(throws: PageSelection.SyntaxError.self) { try PageSelection(parsing: text) }
    }
}
