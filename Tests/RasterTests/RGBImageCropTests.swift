import Raster
import Testing

@Suite struct RGBImageCropTests {
    static func numbered(_ width: Int, _ height: Int) -> RGBImage {
        RGBImage(width: width, height: height,
                 pixels: (0..<width * height * 3).map { UInt8($0 % 256) })
    }

    @Test func cropCopiesTheRegion() {
        let image = Self.numbered(5, 4)
        let crop = image.cropped(x: 1, y: 2, width: 3, height: 2)
        #expect(crop.width == 3 && crop.height == 2)
        for y in 0..<2 {
            for x in 0..<3 { #expect(crop[x, y] == image[x + 1, y + 2]) }
        }
        #expect(image.cropped(x: 0, y: 0, width: 5, height: 4) == image)
        #expect(image.cropped(x: 5, y: 4, width: 0, height: 0).pixels.isEmpty)
    }

    @Test func padPlacesTheImageTopLeftOnTheFill() {
        let image = Self.numbered(2, 3)
        let padded = image.padded(toWidth: 4, height: 5, fill: (1, 2, 3))
        #expect(padded.width == 4 && padded.height == 5)
        #expect(padded.cropped(x: 0, y: 0, width: 2, height: 3) == image)
        #expect(padded[3, 0] == (1, 2, 3) && padded[0, 4] == (1, 2, 3))
        #expect(image.padded(toWidth: 2, height: 3) == image)
        #expect(RGBImage(width: 0, height: 0).padded(toWidth: 1, height: 1)[0, 0]
            == (255, 255, 255))
    }

    @Test func pasteWritesAtTheOffset() {
        var canvas = RGBImage(width: 4, height: 4, fill: (0, 0, 0))
        let patch = Self.numbered(2, 2)
        canvas.paste(patch, x: 2, y: 1)
        #expect(canvas.cropped(x: 2, y: 1, width: 2, height: 2) == patch)
        #expect(canvas[1, 1] == (0, 0, 0) && canvas[2, 3] == (0, 0, 0))
    }
}
