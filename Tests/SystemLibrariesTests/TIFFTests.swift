import CTIFF
import Foundation
import Testing

/// Proves libtiff is linked: a two-page TIFF is written and both pages read back.
@Suite struct TIFFTests {
    @Test func readsBothPagesOfATwoPageTIFF() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("palidoc-\(UUID().uuidString).tif").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sizes = [(w: 5, h: 3, value: UInt8(40)), (w: 7, h: 4, value: UInt8(200))]

        let out = try #require(TIFFOpen(path, "w"))
        for (index, page) in sizes.enumerated() {
            TIFFSetField_u32(out, UInt32(TIFFTAG_IMAGEWIDTH), UInt32(page.w))
            TIFFSetField_u32(out, UInt32(TIFFTAG_IMAGELENGTH), UInt32(page.h))
            TIFFSetField_u16(out, UInt32(TIFFTAG_BITSPERSAMPLE), 8)
            TIFFSetField_u16(out, UInt32(TIFFTAG_SAMPLESPERPIXEL), 1)
            TIFFSetField_u16(out, UInt32(TIFFTAG_PHOTOMETRIC), UInt16(PHOTOMETRIC_MINISBLACK))
            TIFFSetField_u16(out, UInt32(TIFFTAG_PLANARCONFIG), UInt16(PLANARCONFIG_CONTIG))
            TIFFSetField_u32(out, UInt32(TIFFTAG_ROWSPERSTRIP), UInt32(page.h))
            var row = [UInt8](repeating: page.value, count: page.w)
            for y in 0..<page.h {
                row[0] = UInt8(y + index)
                #expect(TIFFWriteScanline(out, &row, UInt32(y), 0) == 1)
            }
            #expect(TIFFWriteDirectory(out) == 1)
        }
        TIFFClose(out)

        let input = try #require(TIFFOpen(path, "r"))
        defer { TIFFClose(input) }
        #expect(TIFFNumberOfDirectories(input) == 2)
        for (index, page) in sizes.enumerated() {
            #expect(TIFFSetDirectory(input, tdir_t(index)) == 1)
            var width: UInt32 = 0, height: UInt32 = 0
            TIFFGetField_u32(input, UInt32(TIFFTAG_IMAGEWIDTH), &width)
            TIFFGetField_u32(input, UInt32(TIFFTAG_IMAGELENGTH), &height)
            #expect(Int(width) == page.w && Int(height) == page.h)
            var raster = [UInt32](repeating: 0, count: page.w * page.h)
            #expect(TIFFReadRGBAImageOriented(input, width, height, &raster, ORIENTATION_TOPLEFT, 0) == 1)
            // ABGR packed: grey value in every colour channel.
            #expect(raster[1] & 0xFF == UInt32(page.value))
            #expect(raster[page.w * (page.h - 1)] & 0xFF == UInt32(page.h - 1 + index))
        }
    }
}
