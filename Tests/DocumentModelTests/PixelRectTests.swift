import DocumentModel
import Testing

@Suite struct PixelRectTests {
    @Test func intersection() {
        let a = PixelRect(x: 0, y: 0, width: 10, height: 10)
        let b = PixelRect(x: 5, y: 8, width: 10, height: 10)
        #expect(a.intersection(b) == PixelRect(x: 5, y: 8, width: 5, height: 2))
        #expect(a.intersection(PixelRect(x: 10, y: 0, width: 3, height: 3)) == nil)
        #expect(b.maxX == 15 && b.maxY == 18 && b.area == 100)
    }
}
