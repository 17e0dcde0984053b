import Foundation
import Testing

@testable import DocumentPipeline

@Suite struct WatcherEventTests {
    @Test func descriptionsUseOneBasedPages() {
        let failure = JobFailure(reason: "bad", stage: .render, pageIndex: 2)
        #expect(
            WatcherEvent.failed(file: "a.pdf", failure: failure).description
                == "a.pdf: failed in render on page 3: bad")
        #expect(
            WatcherEvent.pageCompleted(file: "a.pdf", pageIndex: 0, pageCount: 4).description
                == "a.pdf: page 1 of 4 done")
        #expect(
            WatcherEvent.processing(file: "a.pdf", attempt: 2, firstPage: 3).description
                == "a.pdf: processing from page 4 (attempt 2)")
    }
}
