import Foundation
import PaliTestSupport
import Testing

/// `palidoc convert` with the shipped `ocr` pipeline on a born-digital PDF: the words come
/// from the PDF's text layer (no token generated), every output says so, and the searchable
/// PDF holds the same words where the input had them.
@Suite struct SearchablePDFCommandTests {
    @Test func bornDigitalPagesThroughTheOCRPipeline() throws {
        let temp = try TemporaryDirectory("convert-born")
        let input = FixturePaths.fixture("ingest").appendingPathComponent("benchmark.pdf")
        let out = temp.file("out")
        let result = try PalidocProcess.run([
            "convert", input.path, "--pipeline", "ocr", "--pages", "1-2", "--out", out.path,
            "--model", FixturePaths.fixture("paligemma2-tiny").path, "--progress", "none",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = result.stdout + result.stderr
        #expect(summary.contains("2 pages, 0 tokens"), "\(summary)")
        let folder = out.appendingPathComponent("benchmark")
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: folder.appendingPathComponent("benchmark.json")))
        let pages = try #require((json as? [String: Any])?["pages"] as? [[String: Any]])
        #expect(pages.map { $0["textSource"] as? String } == ["pdf-text", "pdf-text"])
        let hocr = try String(
            contentsOf: folder.appendingPathComponent("benchmark.hocr"), encoding: .utf8)
        #expect(hocr.contains("x_source pdf-text") && !hocr.contains("x_source model"))
        let markdown = try String(
            contentsOf: folder.appendingPathComponent("benchmark.md"), encoding: .utf8)
        #expect(markdown.contains("Text: the PDF's own text layer (pdf-text)"))
        let pdf = folder.appendingPathComponent("benchmark.pdf")
        let check = try ExternalTool.run("qpdf", ["--check", pdf.path], package: "qpdf")
        #expect(check.status == 0, "\(check.stdout)")
        for page in [1, 2] {
            #expect(
                try PdftotextWords.readingOrder(pdf, page: page)
                    == PdftotextWords.readingOrder(input, page: page), "page \(page)")
            // The words lie where the input's did, to a page pixel (0.24 pt at 300 dpi).
            let original = try PdftotextWords(input, page: page)
            let missing = try PdftotextWords(pdf, page: page).missing(
                original.words.map { ($0.text, [$0.xMin, $0.yMin, $0.xMax, $0.yMax]) },
                tolerance: 1)
            #expect(missing.isEmpty, "page \(page): \(missing.prefix(5))")
        }
    }
}
