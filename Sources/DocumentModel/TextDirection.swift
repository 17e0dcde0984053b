/// Which way a piece of text reads, as far as placing it in a PDF needs to know.
public enum TextDirection: Sendable {
    /// Left to right (Latin, Greek, CJK, …).
    case leftToRight
    /// Right to left (Hebrew, Arabic, …).
    case rightToLeft

    /// The direction of `text`: that of its first letter, right to left for the scripts of
    /// Unicode's R and AL ranges; left to right when it has no letter.
    public init(of text: String) {
        let rightToLeft: [ClosedRange<UInt32>] = [
            0x0590...0x08FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFF, 0x10800...0x10FFF,
            0x1E800...0x1EFFF,
        ]
        guard let letter = text.unicodeScalars.first(where: { $0.properties.isAlphabetic }),
            rightToLeft.contains(where: { $0.contains(letter.value) })
        else {
            self = .leftToRight
            return
        }
        self = .rightToLeft
    }
}
