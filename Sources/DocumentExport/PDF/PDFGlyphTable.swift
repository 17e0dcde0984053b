import Foundation

/// The character codes of one PDF's invisible text: every distinct character (extended
/// grapheme cluster) gets a 2-byte CID of the glyph-less font, and the ToUnicode CMap maps
/// each CID back to the character's UTF-16 text — surrogate pairs and combining sequences
/// included — so copying and searching give back exactly the words written, in any script.
struct PDFGlyphTable {
    /// The characters by CID; CID 0 is `.notdef` and never used.
    private(set) var characters: [String] = [""]
    private var codes: [String: UInt16] = [:]

    /// The largest number of distinct characters one document can hold (2-byte codes).
    static let capacity = Int(UInt16.max)

    /// The CIDs of `text`'s characters, control characters left out (they have no glyph);
    /// `nil` when the table is full.
    mutating func codes(for text: String) -> [UInt16]? {
        var out: [UInt16] = []
        for character in text where !character.unicodeScalars.allSatisfy(Self.isControl) {
            let key = String(character)
            if let code = codes[key] {
                out.append(code)
                continue
            }
            guard characters.count < Self.capacity else { return nil }
            let code = UInt16(characters.count)
            characters.append(key)
            codes[key] = code
            out.append(code)
        }
        return out
    }

    /// C0 and C1 controls, which no viewer draws or copies meaningfully.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// The ToUnicode CMap: one `bfchar` entry per CID, in blocks of 100 (the CMap limit).
    var toUnicode: Data {
        var out = """
            /CIDInit /ProcSet findresource begin
            12 dict begin
            begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def
            /CMapType 2 def
            1 begincodespacerange
            <0000> <FFFF>
            endcodespacerange

            """
        let entries = characters.indices.dropFirst()
        var start = entries.startIndex
        while start < entries.endIndex {
            let end = min(start + 100, entries.endIndex)
            out += "\(end - start) beginbfchar\n"
            for code in start..<end {
                // A bfchar destination holds at most 512 bytes: 256 UTF-16 units.
                let units = Array(characters[code].utf16.prefix(256))
                out += "<\(PDFSyntax.hex(UInt16(code)))> <"
                out += units.map(PDFSyntax.hex).joined() + ">\n"
            }
            out += "endbfchar\n"
            start = end
        }
        out += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        return Data(out.utf8)
    }

    /// The CIDToGIDMap stream: CID 0 to glyph 0 (`.notdef`), every used CID to glyph 1.
    var cidToGID: Data {
        var bytes = [UInt8](repeating: 0, count: 2 * characters.count)
        for cid in 1..<characters.count { bytes[2 * cid + 1] = 1 }
        return Data(bytes)
    }
}
