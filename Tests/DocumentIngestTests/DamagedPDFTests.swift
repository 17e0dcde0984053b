import DocumentIngest
import Foundation
import PaliTestSupport
import Testing

/// PDFs damaged the ways files get damaged (cut-off ends, a wrong `startxref`, a garbled or
/// shifted cross-reference table) made from a good one: Poppler repairs them, palidoc opens
/// them with `repairs` saying what was wrong and renders the same pages; `strict` refuses
/// them. qpdf, which repairs on its own, is the outside judge of which files are damaged.
@Suite struct DamagedPDFTests {
    typealias H = IngestTestHelpers

    /// A way to damage a PDF and what palidoc must say about it.
    struct Damage: Sendable, CustomStringConvertible {
        var name: String
        var damage: @Sendable (Data) -> Data
        var says: String
        /// qpdf reads a file without `%%EOF` without complaint; it warns about the others.
        var qpdfWarns = true
        var description: String { name }
    }

    static func lastRange(of text: String, in data: Data) -> Range<Data.Index> {
        data.range(of: Data(text.utf8), options: .backwards)!
    }

    static let damages: [Damage] = [
        Damage(name: "no-eof", damage: { data in
            data.prefix(upTo: lastRange(of: "%%EOF", in: data).lowerBound)
        }, says: "does not end with %%EOF", qpdfWarns: false),
        Damage(name: "wrong-startxref", damage: { data in
            let start = lastRange(of: "startxref", in: data).lowerBound
            return data.prefix(upTo: start) + Data("startxref\n999\n%%EOF\n".utf8)
        }, says: "no cross-reference table at offset 999"),
        Damage(name: "garbled-xref", damage: { data in
            let xref = lastRange(of: "\nxref\n", in: data).lowerBound + 1
            let trailer = lastRange(of: "trailer", in: data).lowerBound
            return data.prefix(upTo: xref) + Data("xref\n0 15\nnot a table\n".utf8)
                + data.suffix(from: trailer)
        }, says: "is malformed"),
        Damage(name: "shifted-offsets", damage: { data in
            // Every in-use entry points 3 bytes past its object.
            let xref = lastRange(of: "\nxref\n", in: data).lowerBound + 1
            var table = String(decoding: data.suffix(from: xref), as: UTF8.self)
            let entry = try! Regex(#"(\d{10}) 00000 n"#)
            table = table.replacing(entry) { match in
                String(format: "%010d 00000 n", Int(match.output[1].substring!)! + 3)
            }
            return data.prefix(upTo: xref) + Data(table.utf8)
        }, says: "entries point at no object"),
    ]

    @Test(arguments: damages)
    func repairedByDefaultRefusedWhenStrict(_ damage: Damage) throws {
        let dir = try TemporaryDirectory("damaged")
        let good = H.fixture("mixed.pdf")
        let url = dir.file("\(damage.name).pdf")
        try damage.damage(try Data(contentsOf: good)).write(to: url)
        #expect(try Self.qpdfCheck(good).damaged == false)
        let qpdf = try Self.qpdfCheck(url)
        #expect(qpdf.damaged == damage.qpdfWarns, "\(damage.name): \(qpdf.output)")

        let original = try openDocument(url: good)
        #expect(original.repairs.isEmpty)
        let repaired = try openDocument(url: url)
        #expect(repaired.pageCount == original.pageCount)
        for index in 0..<original.pageCount {
            let a = try original.renderPage(index: index, dpi: 30).image
            let b = try repaired.renderPage(index: index, dpi: 30).image
            #expect(H.identical(a, b), "\(damage.name): page \(index + 1) differs")
        }
        let repairs = repaired.repairs
        #expect(repairs.contains { $0.contains(damage.says) }, "\(repairs)")

        let error = try #require(throws: IngestError.self) {
            _ = try openDocument(url: url, strict: true)
        }
        #expect(error.file == url)
        switch error.reason {
        case .truncatedPDF: #expect(damage.name == "no-eof")
        case .damagedPDF(let why): #expect(why.contains(damage.says), "\(why)")
        default: Issue.record("unexpected reason \(error.reason)")
        }
    }

    /// Poppler's own account is kept: a shifted table makes it rebuild the table as it opens.
    @Test func popplerReportsAreKept() throws {
        let dir = try TemporaryDirectory("damaged")
        let url = dir.file("shifted.pdf")
        let shifted = try #require(Self.damages.first { $0.name == "shifted-offsets" })
        try shifted.damage(try Data(contentsOf: H.fixture("mixed.pdf"))).write(to: url)
        let repairs = try openDocument(url: url).repairs
        #expect(repairs.contains { $0.hasPrefix("Poppler: ") && $0.contains("reconstruct") })
    }

    /// A file cut off before its table and trailer cannot be repaired: refused either way.
    @Test func unrepairableFilesStayRefused() throws {
        for strict in [false, true] {
            let error = try #require(throws: IngestError.self) {
                _ = try openDocument(url: H.fixture("truncated.pdf"), strict: strict)
            }
            #expect(error.reason == .truncatedPDF)
        }
    }

    /// Every sound PDF among the fixtures and examples reads as sound (no false alarms).
    @Test func soundFilesHaveNoRepairs() throws {
        let examples = FixturePaths.repositoryRoot.appendingPathComponent("examples")
        let files = [
            H.fixture("mixed.pdf"), H.fixture("benchmark.pdf"), H.fixture("encrypted.pdf"),
            examples.appendingPathComponent("invoice.pdf"),
            examples.appendingPathComponent("report-table.pdf"),
        ]
        for url in files {
            if url.lastPathComponent != "encrypted.pdf" {
                #expect(try Self.qpdfCheck(url).damaged == false, "\(url.lastPathComponent)")
            }
            let source = try openDocument(url: url, password: "secret", strict: true)
            #expect(source.repairs == [], "\(url.lastPathComponent)")
        }
    }

    /// `qpdf --check`: whether qpdf had to repair the file (it warns, or fails), and what it
    /// said. Fails the test when qpdf is missing (`make deps` installs it).
    static func qpdfCheck(_ url: URL) throws -> (damaged: Bool, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["qpdf", "--check", url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        let output = String(decoding: data, as: UTF8.self)
        process.waitUntilExit()
        try #require(
            process.terminationStatus != 127, "qpdf is missing (install it: `make deps`)")
        let damaged = process.terminationStatus != 0 || output.contains("WARNING")
        return (damaged, output)
    }
}
