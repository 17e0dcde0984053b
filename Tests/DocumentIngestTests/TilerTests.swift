import DocumentIngest
import DocumentModel
import Raster
import Testing

@Suite struct TilerTests {
    /// A page with a different colour in every pixel, so any misplaced pixel shows.
    static func page(width: Int, height: Int) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                image[x, y] = (UInt8(x % 251), UInt8(y % 241), UInt8((x * 7 + y * 13) % 256))
            }
        }
        return image
    }

    @Test(arguments: [(224, 0.12, 500, 300), (448, 0.12, 448, 448), (448, 0.25, 1000, 1300),
                      (224, 0.0, 224, 225), (896, 0.12, 100, 60), (224, 0.5, 700, 230)])
    func tilesCoverThePageAndReassembleIt(size: Int, overlap: Double, width: Int, height: Int)
        throws
    {
        let page = Self.page(width: width, height: height)
        let tiler = try Tiler(mode: .tiles, tileSize: size, overlap: overlap)
        let tiles = tiler.tiles(of: page)
        let overlapPixels = Int((Double(size) * overlap).rounded())
        var canvas = RGBImage(width: width, height: height, fill: (0, 0, 0))
        var covered = [Int](repeating: 0, count: width * height)
        for (index, tile) in tiles.enumerated() {
            #expect(tile.index == index)
            #expect(tile.image.width == size && tile.image.height == size)
            // The rectangle lies in the page; padding fills the tile to R×R with white.
            #expect(tile.rect.x >= 0 && tile.rect.y >= 0)
            #expect(tile.rect.maxX <= width && tile.rect.maxY <= height)
            #expect(tile.rect.width + tile.padding.right == size)
            #expect(tile.rect.height + tile.padding.bottom == size)
            #expect(tile.rect.x == tile.column * (size - overlapPixels))
            #expect(tile.rect.y == tile.row * (size - overlapPixels))
            let inner = tile.image.cropped(x: 0, y: 0, width: tile.rect.width,
                                           height: tile.rect.height)
            #expect(inner == page.cropped(x: tile.rect.x, y: tile.rect.y,
                                          width: tile.rect.width, height: tile.rect.height))
            for y in 0..<size {
                for x in 0..<size where x >= tile.rect.width || y >= tile.rect.height {
                    #expect(tile.image[x, y] == (255, 255, 255))
                }
            }
            canvas.paste(inner, x: tile.rect.x, y: tile.rect.y)
            for y in tile.rect.y..<tile.rect.maxY {
                for x in tile.rect.x..<tile.rect.maxX { covered[y * width + x] += 1 }
            }
        }
        #expect(canvas == page)
        #expect(covered.allSatisfy { $0 >= 1 })
        // Neighbours overlap by exactly the requested amount (unless clipped by the edge).
        for a in tiles {
            for b in tiles where b.row == a.row && b.column == a.column + 1 {
                #expect((a.rect.intersection(b.rect)?.width ?? 0)
                    == min(overlapPixels, b.rect.width))
            }
            for b in tiles where b.column == a.column && b.row == a.row + 1 {
                #expect((a.rect.intersection(b.rect)?.height ?? 0)
                    == min(overlapPixels, b.rect.height))
            }
        }
    }

    @Test func gridOriginsStopAtTheFarEdge() throws {
        let tiler = try Tiler(mode: .tiles, tileSize: 448)  // overlap 54 px, stride 394
        #expect(tiler.overlapPixels == 54 && tiler.stride == 394)
        #expect(tiler.origins(length: 448) == [0])
        #expect(tiler.origins(length: 449) == [0, 394])
        #expect(tiler.origins(length: 1700) == [0, 394, 788, 1182, 1576])
        #expect(tiler.origins(length: 10) == [0])
    }

    @Test func pageModeIsOneTileOfTheWholePage() throws {
        let page = Self.page(width: 300, height: 500)
        let tiles = try Tiler(mode: .page, tileSize: 896).tiles(of: page)
        #expect(tiles.count == 1)
        #expect(tiles[0].rect == PixelRect(x: 0, y: 0, width: 300, height: 500))
        #expect(tiles[0].padding == .none && tiles[0].image == page && !tiles[0].isBlank)
    }

    @Test func blankTilesAreFlagged() throws {
        var page = RGBImage(width: 1344, height: 448)
        // Scanner noise (±12 levels) on two tiles, a grey blank tile, one dark word.
        for y in 0..<448 {
            for x in 0..<1344 {
                let noise = UInt8(230 + (x * 31 + y * 17) % 25)
                page[x, y] = x >= 896 ? (200, 200, 200) : (noise, noise, noise)
            }
        }
        for y in 200..<230 { for x in 40..<110 { page[x, y] = (20, 20, 20) } }
        let tiles = try Tiler(mode: .tiles, tileSize: 448, overlap: 0).tiles(of: page)
        #expect(tiles.map(\.isBlank) == [false, true, true])
        // A single full stop (4×4 px) is not blank.
        var dot = RGBImage(width: 224, height: 224)
        for y in 100..<104 { for x in 100..<104 { dot[x, y] = (0, 0, 0) } }
        #expect(try Tiler(mode: .page, tileSize: 224).tiles(of: dot)[0].isBlank == false)
        let white = RGBImage(width: 224, height: 224)
        #expect(try Tiler(mode: .page, tileSize: 224).tiles(of: white)[0].isBlank)
    }

    @Test func invalidConfigurationsAreRejected() {
        #expect(throws: Tiler.ConfigurationError.invalidTileSize(0)) {
            try Tiler(mode: .tiles, tileSize: 0)
        }
        #expect(throws: Tiler.ConfigurationError.invalidOverlap(0.95)) {
            try Tiler(mode: .tiles, tileSize: 224, overlap: 0.95)
        }
        #expect(throws: Tiler.ConfigurationError.invalidOverlap(-0.1)) {
            try Tiler(mode: .tiles, tileSize: 224, overlap: -0.1)
        }
    }
}
