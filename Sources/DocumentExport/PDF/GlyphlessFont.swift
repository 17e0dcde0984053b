import Foundation

/// A TrueType font whose glyphs draw nothing, embedded under the invisible text of searchable
/// PDFs (as Tesseract's PDF renderer does): viewers find a real, embedded font and no
/// substitute is ever looked up, while text render mode 3 and the empty outlines keep the
/// text invisible. Every glyph advances half an em (`advance` of `unitsPerEm`); the PDF
/// scales each word horizontally to its box. Built here, table by table, from the TrueType
/// specification: `.notdef` and one empty glyph, vertical metrics `ascent`/`descent`.
enum GlyphlessFont {
    /// The font's PostScript name.
    static let name = "GlyphLessFont"
    /// Font units per em.
    static let unitsPerEm = 1000
    /// Advance width of every glyph, in font units.
    static let advance = 500
    /// Ascent above the baseline, in font units.
    static let ascent = 800
    /// Descent below the baseline, in font units (negative).
    static let descent = -200
    /// Glyph count: `.notdef` and the blank glyph every character maps to.
    static let glyphCount = 2

    /// The font file (an `sfnt` with cmap, glyf, head, hhea, hmtx, loca, maxp, name, OS/2 and
    /// post).
    static let data: Data = {
        var tables: [(tag: String, data: [UInt8])] = [
            ("OS/2", os2()), ("cmap", cmap()), ("glyf", []), ("head", head()),
            ("hhea", hhea()), ("hmtx", hmtx()), ("loca", [UInt8](repeating: 0, count: 6)),
            ("maxp", maxp()), ("name", nameTable()), ("post", post()),
        ]
        tables.sort { $0.tag < $1.tag }
        var out = Bytes()
        let count = tables.count
        let power = 1 << (Int.bitWidth - 1 - count.leadingZeroBitCount)
        out.u32(0x0001_0000)
        out.u16(count)
        out.u16(power * 16)
        out.u16(power.trailingZeroBitCount)
        out.u16(count * 16 - power * 16)
        var offset = 12 + 16 * count
        var headOffset = 0
        for table in tables {
            out.tag(table.tag)
            out.u32(checksum(table.data))
            out.u32(offset)
            out.u32(table.data.count)
            if table.tag == "head" { headOffset = offset }
            offset += (table.data.count + 3) & ~3
        }
        for table in tables {
            out.bytes += table.data
            out.zeros(((table.data.count + 3) & ~3) - table.data.count)
        }
        // head.checkSumAdjustment makes the whole file sum to 0xB1B0AFBA.
        let adjustment = (0xB1B0_AFBA &- checksum(out.bytes)) & 0xFFFF_FFFF
        for i in 0..<4 {
            out.bytes[headOffset + 8 + i] = UInt8((adjustment >> (24 - 8 * i)) & 0xFF)
        }
        return Data(out.bytes)
    }()

    /// Big-endian byte building.
    private struct Bytes {
        var bytes: [UInt8] = []
        mutating func u16(_ value: Int) {
            bytes += [UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
        }
        mutating func u32(_ value: Int) {
            u16((value >> 16) & 0xFFFF)
            u16(value & 0xFFFF)
        }
        mutating func tag(_ tag: String) { bytes += Array(tag.utf8) }
        mutating func zeros(_ count: Int) { bytes += [UInt8](repeating: 0, count: count) }
    }

    /// The TrueType table checksum: the sum of its big-endian 32-bit words, zero-padded.
    private static func checksum(_ data: [UInt8]) -> Int {
        var sum: UInt32 = 0
        var i = 0
        while i < data.count {
            var word: UInt32 = 0
            for j in 0..<4 { word = word << 8 | UInt32(i + j < data.count ? data[i + j] : 0) }
            sum = sum &+ word
            i += 4
        }
        return Int(sum)
    }

    private static func head() -> [UInt8] {
        var b = Bytes()
        b.u32(0x0001_0000)  // version
        b.u32(0x0001_0000)  // fontRevision
        b.u32(0)  // checkSumAdjustment, set once the file is assembled
        b.u32(0x5F0F_3CF5)  // magicNumber
        b.u16(0x000B)  // flags: baseline at y=0, left sidebearing at x=0, integer scaling
        b.u16(unitsPerEm)
        b.zeros(16)  // created, modified
        b.u16(0)  // xMin
        b.u16(descent & 0xFFFF)  // yMin
        b.u16(advance)  // xMax
        b.u16(ascent)  // yMax
        b.u16(0)  // macStyle
        b.u16(8)  // lowestRecPPEM
        b.u16(2)  // fontDirectionHint
        b.u16(0)  // indexToLocFormat: short offsets
        b.u16(0)  // glyphDataFormat
        return b.bytes
    }

    private static func hhea() -> [UInt8] {
        var b = Bytes()
        b.u32(0x0001_0000)
        b.u16(ascent)
        b.u16(descent & 0xFFFF)
        b.u16(0)  // lineGap
        b.u16(advance)  // advanceWidthMax
        b.zeros(6)  // minLeftSideBearing, minRightSideBearing, xMaxExtent
        b.u16(1)  // caretSlopeRise
        b.zeros(4)  // caretSlopeRun, caretOffset
        b.zeros(8)  // reserved
        b.u16(0)  // metricDataFormat
        b.u16(glyphCount)  // numberOfHMetrics
        return b.bytes
    }

    private static func hmtx() -> [UInt8] {
        var b = Bytes()
        for _ in 0..<glyphCount {
            b.u16(advance)
            b.u16(0)
        }
        return b.bytes
    }

    private static func maxp() -> [UInt8] {
        var b = Bytes()
        b.u32(0x0001_0000)
        b.u16(glyphCount)
        b.zeros(8)  // maxPoints, maxContours, maxCompositePoints, maxCompositeContours
        b.u16(2)  // maxZones
        b.zeros(16)  // twilight points … component depth
        return b.bytes
    }

    /// A format 4 subtable with only the required final segment: no character maps to a
    /// glyph through `cmap` (the PDF selects glyphs by CID).
    private static func cmap() -> [UInt8] {
        var b = Bytes()
        b.u16(0)  // version
        b.u16(1)  // numTables
        b.u16(3)  // platform: Windows
        b.u16(1)  // encoding: Unicode BMP
        b.u32(12)  // offset
        b.u16(4)  // format
        b.u16(24)  // length
        b.u16(0)  // language
        b.u16(2)  // segCountX2
        b.u16(2)  // searchRange
        b.u16(0)  // entrySelector
        b.u16(0)  // rangeShift
        b.u16(0xFFFF)  // endCode
        b.u16(0)  // reservedPad
        b.u16(0xFFFF)  // startCode
        b.u16(1)  // idDelta
        b.u16(0)  // idRangeOffset
        return b.bytes
    }

    private static func nameTable() -> [UInt8] {
        let records: [(id: Int, text: String)] = [
            (1, name), (2, "Regular"), (4, name), (6, name),
        ]
        var strings: [UInt8] = []
        var b = Bytes()
        b.u16(0)  // format
        b.u16(records.count)
        b.u16(6 + 12 * records.count)  // stringOffset
        for record in records {
            let utf16 = record.text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
            b.u16(3)  // platform: Windows
            b.u16(1)  // encoding: Unicode BMP
            b.u16(0x409)  // language: en-US
            b.u16(record.id)
            b.u16(utf16.count)
            b.u16(strings.count)
            strings += utf16
        }
        return b.bytes + strings
    }

    private static func os2() -> [UInt8] {
        var b = Bytes()
        b.u16(1)  // version
        b.u16(advance)  // xAvgCharWidth
        b.u16(400)  // usWeightClass
        b.u16(5)  // usWidthClass
        b.u16(0)  // fsType: installable embedding
        b.zeros(20)  // sub/superscript and strikeout metrics
        b.u16(0)  // sFamilyClass
        b.zeros(10)  // panose
        b.zeros(16)  // ulUnicodeRange1…4
        b.tag("NONE")  // achVendID
        b.u16(0x40)  // fsSelection: regular
        b.u16(0x20)  // usFirstCharIndex
        b.u16(0xFFFF)  // usLastCharIndex
        b.u16(ascent)  // sTypoAscender
        b.u16(descent & 0xFFFF)  // sTypoDescender
        b.u16(0)  // sTypoLineGap
        b.u16(ascent)  // usWinAscent
        b.u16(-descent)  // usWinDescent
        b.zeros(8)  // ulCodePageRange1…2
        return b.bytes
    }

    private static func post() -> [UInt8] {
        var b = Bytes()
        b.u32(0x0003_0000)  // version 3: no glyph names
        b.u32(0)  // italicAngle
        b.u16(-100 & 0xFFFF)  // underlinePosition
        b.u16(50)  // underlineThickness
        b.u32(1)  // isFixedPitch
        b.zeros(16)  // memory usage hints
        return b.bytes
    }
}
