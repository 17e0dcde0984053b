/// The text layer of one PDF page as Poppler reads it: its words with boxes, and what
/// deciding whether the page has a real text layer needs.
public struct PDFPageText: Sendable, Equatable {
    /// One word and its box.
    public struct Word: Sendable, Equatable {
        /// The text (Unicode, as the PDF's ToUnicode maps or font encodings give it).
        public var text: String
        /// Box in points from the top-left corner of the page as displayed (crop box, after
        /// `/Rotate`): left, top, right, bottom.
        public var left: Double
        public var top: Double
        public var right: Double
        public var bottom: Double
        /// Whether the next word follows on the same line (Poppler's line, whatever way the
        /// text runs).
        public var continuesLine: Bool

        /// A word.
        public init(
            text: String, left: Double, top: Double, right: Double, bottom: Double,
            continuesLine: Bool = false
        ) {
            self.text = text
            self.left = left
            self.top = top
            self.right = right
            self.bottom = bottom
            self.continuesLine = continuesLine
        }
    }

    /// Words in Poppler's reading order (as `pdftotext` lists them).
    public var words: [Word]
    /// The page size in points, as displayed.
    public var size: PageSize

    /// A page's text.
    public init(words: [Word], size: PageSize) {
        self.words = words
        self.size = size
    }

    /// Characters other than white space, over all words.
    public var characterCount: Int {
        words.reduce(0) { $0 + $1.text.filter { !$0.isWhitespace }.count }
    }
}
