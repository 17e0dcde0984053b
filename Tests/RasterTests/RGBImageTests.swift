import Raster
import Testing

@Suite struct RGBImageTests {
    @Test func fillAndSubscript() {
        var image = RGBImage(width: 3, height: 2)
        #expect(image.pixels.allSatisfy { $0 == 255 })
        image[2, 1] = (1, 2, 3)
        #expect(image[2, 1] == (1, 2, 3))
        #expect(Array(image.pixels[15..<18]) == [1, 2, 3])
        #expect(image[0, 0] == (255, 255, 255))
    }

    @Test func blackFill() {
        let image = RGBImage(width: 4, height: 4, fill: (0, 0, 0))
        #expect(image.pixels.count == 48)
        #expect(image.pixels.allSatisfy { $0 == 0 })
    }
}
