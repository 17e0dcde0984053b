import Foundation
import PaliTestSupport
import Testing

/// `palidoc render` as a user runs it, on the ingest fixtures.
@Suite struct RenderCommandTests {
    static func fixture(_ name: String) -> String {
        FixturePaths.fixture("ingest").appendingPathComponent(name).path
    }

    /// Width and height from a PNG's IHDR chunk.
    static func pngSize(_ url: URL) throws -> (Int, Int) {
        let bytes = [UInt8](try Data(contentsOf: url).prefix(24))
        try #require(bytes.count == 24 && bytes[12..<16].elementsEqual(Array("IHDR".utf8)))
        func u32(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (u32(16), u32(20))
    }

    @Test func rendersSelectedPagesAtTheRequestedDPI() throws {
        let out = try TemporaryDirectory("render")
        let result = try PalidocProcess.run(
            ["render", Self.fixture("mixed.pdf"), "--pages", "1,3-3", "--dpi", "72",
             "--out", out.url.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.url.path).sorted()
        #expect(files == ["page-0001.png", "page-0003.png"])
        #expect(try Self.pngSize(out.file("page-0001.png")) == (612, 792))
        // 300.5 × 200.25 pt with /Rotate 270 at 72 DPI: ceil(200.25) × ceil(300.5).
        #expect(try Self.pngSize(out.file("page-0003.png")) == (201, 301))
    }

    @Test func writesTilesAndTheirIndex() throws {
        let out = try TemporaryDirectory("tiles")
        let result = try PalidocProcess.run(
            ["render", Self.fixture("mixed.pdf"), "--pages", "1", "--dpi", "100",
             "--tiles", "448", "--overlap", "0.25", "--out", out.url.path])
        #expect(result.status == 0, "\(result.stderr)")
        let data = try Data(contentsOf: out.file("tiles.json"))
        let index = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(index["tileSize"] as? Int == 448 && index["overlap"] as? Double == 0.25)
        let pages = try #require(index["pages"] as? [[String: Any]])
        #expect(pages.count == 1)
        // 850 × 1100 px page; stride 448 − 112 = 336: columns and rows at 0, 336, 672.
        #expect(pages[0]["width"] as? Int == 850 && pages[0]["height"] as? Int == 1100)
        let tiles = try #require(pages[0]["tiles"] as? [[String: Any]])
        #expect(tiles.count == 9)
        let last = try #require(tiles.last)
        let rect = try #require(last["rect"] as? [String: Int])
        #expect(rect == ["x": 672, "y": 672, "width": 178, "height": 428])
        #expect(
            last["padding"] as? [String: Int] == ["left": 0, "top": 0, "right": 270, "bottom": 20])
        for tile in tiles {
            let file = try #require(tile["file"] as? String)
            #expect(try Self.pngSize(out.file(file)) == (448, 448))
        }
    }

    @Test func encryptedPDFNeedsItsPassword() throws {
        let out = try TemporaryDirectory("password")
        let ok = try PalidocProcess.run(
            ["render", Self.fixture("encrypted.pdf"), "--password", "secret", "--dpi", "30",
             "--out", out.url.path])
        #expect(ok.status == 0, "\(ok.stderr)")
        let wrong = try PalidocProcess.run(
            ["render", Self.fixture("encrypted.pdf"), "--password", "nope", "--out", out.url.path])
        #expect(wrong.status != 0)
        #expect(wrong.stderr == "palidoc: error: \(Self.fixture("encrypted.pdf")): "
            + "encrypted PDF: the password is wrong\n")
    }

    static let badInputs: [(String, String)] = [
        ("truncated.pdf", "truncated PDF"),
        ("not-a-pdf.pdf", "not a PDF, TIFF, PNG or JPEG file although it is named .pdf"),
        ("zero-pages.pdf", "the document has no pages"),
        ("absurd-size.pdf", "absurd page size"),
        ("encrypted.pdf", "a password is required"),
        ("truncated.tif", "corrupt or truncated TIFF"),
        ("corrupt.tif", "corrupt or truncated TIFF"),
        ("truncated.png", "corrupt or truncated image"),
        ("truncated.jpg", "corrupt or truncated image"),
    ]

    @Test(arguments: badInputs)
    func badInputIsOneLineNamingTheFile(_ name: String, _ reason: String) throws {
        let out = try TemporaryDirectory("bad")
        let path = Self.fixture(name)
        let result = try PalidocProcess.run(["render", path, "--out", out.url.path], timeout: 60)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("palidoc: error: \(path): "))
        #expect(result.stderr.contains(reason), "\(result.stderr)")
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
        #expect(result.stdout.isEmpty)
    }

    @Test func emptyFileAndMissingPagesAreErrors() throws {
        let dir = try TemporaryDirectory("empty")
        let empty = dir.file("empty.pdf")
        #expect(FileManager.default.createFile(atPath: empty.path, contents: Data()))
        let result = try PalidocProcess.run(["render", empty.path, "--out", dir.file("o").path])
        #expect(result.status == 1)
        #expect(result.stderr == "palidoc: error: \(empty.path): empty file (0 bytes)\n")
        let pages = try PalidocProcess.run(
            ["render", Self.fixture("multipage.tif"), "--pages", "2-5", "--out", dir.url.path])
        #expect(pages.status == 1)
        #expect(pages.stderr == "palidoc: error: \(Self.fixture("multipage.tif")): "
            + "page 4 does not exist (the document has 3 pages)\n")
    }

    @Test func bombGuardIsConfigurable() throws {
        let dir = try TemporaryDirectory("bomb")
        let result = try PalidocProcess.run(
            ["render", Self.fixture("mixed.pdf"), "--pages", "1", "--max-megapixels", "0.5",
             "--out", dir.url.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("exceeds the limit of 0.5 MP"))
    }

    @Test func invalidOptionsAreUsageErrors() throws {
        let dir = try TemporaryDirectory("usage")
        for arguments in [["--tiles", "300"], ["--pages", "0-2"], ["--dpi", "-5"],
                          ["--overlap", "0.95", "--tiles", "224"]] {
            let result = try PalidocProcess.run(
                ["render", Self.fixture("mixed.pdf"), "--out", dir.url.path] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(!result.stderr.isEmpty)
        }
    }
}
