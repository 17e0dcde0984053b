import Foundation
import Raster
import Testing

/// `RGBImage.resized` against Pillow 13's `Image.resize` (bit-exact), on the cases written by
/// `Tests/Fixtures/generator/generate_resize_fixtures.py`.
@Suite struct ResizeTests {
    struct Case: Decodable, CustomTestStringConvertible, Sendable {
        let source: String
        let width: Int
        let height: Int
        let filter: String
        let targetWidth: Int
        let targetHeight: Int
        let expected: String

        var testDescription: String {
            "\(source) \(width)x\(height) → \(targetWidth)x\(targetHeight) \(filter)"
        }
    }

    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/resize")

    static let cases: [Case] = {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("cases.json")) else {
            return []
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return (try? decoder.decode([Case].self, from: data)) ?? []
    }()

    @Test func fixtureIsPresent() {
        #expect(Self.cases.count == 28)
    }

    @Test(arguments: cases)
    func matchesPillowExactly(_ c: Case) throws {
        let source = try Data(contentsOf: Self.folder.appendingPathComponent(c.source))
        let expected = try Data(contentsOf: Self.folder.appendingPathComponent(c.expected))
        let image = RGBImage(width: c.width, height: c.height, pixels: Array(source))
        let filter = try #require(ResampleFilter(rawValue: c.filter))
        let resized = image.resized(width: c.targetWidth, height: c.targetHeight, filter: filter)
        #expect(resized.width == c.targetWidth && resized.height == c.targetHeight)
        let differing = zip(resized.pixels, expected).filter { $0 != $1 }.count
        #expect(differing == 0, "\(differing) of \(expected.count) bytes differ from Pillow")
    }

    @Test func sameSizeIsIdentity() {
        let image = RGBImage(width: 3, height: 2, pixels: Array(0..<18).map(UInt8.init))
        #expect(image.resized(width: 3, height: 2) == image)
    }
}
