import DocumentIngest
import Foundation
import PaliTestSupport
import Raster
import Testing

/// Every TIFF, PNG and JPEG variant from the fixture generator decodes to the generator's
/// reference pixels (exactly for lossless codecs; within the stated tolerance for JPEG).
@Suite struct RasterFixtureTests {
    typealias H = IngestTestHelpers

    static let files = [
        "grey8-lzw.tif", "rgb8-deflate.tif", "rgb8-packbits.tif", "rgb8-jpeg.tif",
        "rgba8-lzw.tif", "palette-lzw.tif", "bilevel-g4.tif", "bilevel-g3.tif", "cmyk8-lzw.tif",
        "grey16-deflate-cm.tif", "rgb16-tiled-deflate.tif", "rgb8-tiled.tif",
        "orientation-3.tif", "orientation-6.tif", "orientation-8.tif", "multipage.tif",
        "photo-exif6.jpg", "cmyk.jpg", "rgba.png", "grey16.png", "palette-trns.png",
    ]

    @Test(arguments: files)
    func decodesToReferencePixels(_ name: String) throws {
        let entry = try H.manifestEntry(name)
        let reference = try [UInt8](Data(contentsOf: H.fixture(try #require(
            entry["reference"] as? String))))
        let tolerance = try #require(entry["tolerance"] as? Int)
        let document = try openDocument(url: H.fixture(name))
        #expect(document.pageCount == entry["pages"] as? Int)
        var decoded: [UInt8] = []
        for index in 0..<document.pageCount {
            let page = try document.renderPage(index: index, dpi: 200)
            #expect(page.index == index)
            decoded += page.image.pixels
            if index == 0 {
                #expect(page.image.width == entry["width"] as? Int)
                #expect(page.image.height == entry["height"] as? Int)
                if let dpi = entry["dpi"] as? [Double] {
                    let resolution = try #require(page.resolution)
                    #expect(abs(resolution.x - dpi[0]) < 0.05 && abs(resolution.y - dpi[1]) < 0.05)
                }
            }
        }
        #expect(decoded.count == reference.count)
        #expect(H.maxAbsoluteDifference(decoded, reference) <= tolerance)
    }

    @Test func formatComesFromContentNotName() throws {
        let dir = try TemporaryDirectory("ingest")
        let disguised = dir.file("scan.pdf")
        try FileManager.default.copyItem(at: H.fixture("grey8-lzw.tif"), to: disguised)
        let document = try openDocument(url: disguised)
        #expect(document.format == .tiff)
        #expect(try document.pageSize(index: 0) == PageSize(width: 56 * 72 / 300.0,
                                                             height: 40 * 72 / 300.0))
    }

    @Test func imageFileReadsAndWritesPNGAtomically() throws {
        let dir = try TemporaryDirectory("ingest")
        var image = RGBImage(width: 7, height: 5, fill: (10, 20, 30))
        image[3, 2] = (255, 0, 128)
        let url = dir.file("out.png")
        try ImageFile.writePNG(image, to: url)
        try ImageFile.writePNG(image, to: url)  // replaces an existing file
        #expect(try ImageFile.read(url) == image)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.url.path)
        #expect(leftovers == ["out.png"])
        // A folder that does not exist: a clear error naming the file.
        let missing = dir.file("no/such/folder/x.png")
        #expect(throws: IngestError.self) { try ImageFile.writePNG(image, to: missing) }
        #expect(throws: IngestError(H.fixture("mixed.pdf"), .notAnImage)) {
            try ImageFile.read(H.fixture("mixed.pdf"))
        }
    }
}
