import Foundation
import Testing

@testable import DocumentPipeline

@Suite struct OutputLayoutTests {
    let date = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21 UTC
    let hash = String(repeating: "ab", count: 32)

    @Test(arguments: [
        ("{stem}", "scan 1.pdf", "scan 1"),
        ("{name}", "scan.pdf", "scan.pdf"),
        ("{date}/{stem}-{hash}", "a.tiff", "2026-09-21/a-abababababababab"),
        ("{pipeline}/{ext}/{stem}", "a.tar.gz", "ocr/gz/a.tar"),
        ("{stem}", "README", "README"),
        ("{stem}", ".hidden.pdf", "_.hidden"),
        ("x/{stem}", "{date}.pdf", "x/{date}"),
    ])
    func folderPaths(template: String, file: String, expected: String) {
        let layout = OutputLayout(folder: template)
        #expect(layout.templateProblem() == nil)
        #expect(
            layout.folderPath(originalName: file, contentHash: hash, date: date, pipeline: "ocr")
                == expected)
    }

    @Test(arguments: ["", "/abs", "a//b", "../up", "{nope}", "{stem", "stem}", "a/./b"])
    func badTemplates(template: String) {
        #expect(OutputLayout(folder: template).templateProblem() != nil)
    }
}
