import Foundation

/// What is wrong with the end of a PDF and its cross-reference table, read from the bytes.
///
/// Poppler rebuilds a damaged cross-reference table by scanning the file for objects, often
/// without saying so (a wrong `startxref`, a garbled table). To report such repairs, this
/// check reads what a PDF reader reads first: the `%%EOF` marker at the end, the `startxref`
/// offset before it, the classic `xref` table there (every in-use entry must point at
/// `N G obj` for its own object number) or a cross-reference stream object, and each older
/// section named by a trailer's `/Prev`. Compressed cross-reference streams are not opened.
enum PDFCrossReferenceCheck {
    /// One line per problem found; empty for a sound file.
    static func problems(in data: Data) -> [String] {
        // The file is memory-mapped; the scanner reads it in place.
        data.withUnsafeBytes { raw in Scanner(bytes: raw.bindMemory(to: UInt8.self)).problems() }
    }

    /// The problem line for a missing `%%EOF`, also used to classify strict refusals.
    static let missingEOF = "the file does not end with %%EOF (it may be cut off)"

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>

        func problems() -> [String] {
            var found: [String] = []
            let tailStart = max(0, bytes.count - 1024)
            if find("%%EOF", from: tailStart) == nil { found.append(missingEOF) }
            guard let keyword = findLast("startxref", from: max(0, bytes.count - 4096)) else {
                found.append("no startxref offset near the end of the file")
                return found
            }
            guard let (offset, _) = integer(at: skipSpace(keyword + 9)) else {
                found.append("startxref is not followed by an offset")
                return found
            }
            var next: Int? = offset
            var visited: Set<Int> = []
            var checked: Set<Int> = []
            var badEntries: [(object: Int, offset: Int)] = []
            while let section = next, visited.insert(section).inserted, visited.count <= 64 {
                guard section >= 0, section < bytes.count else {
                    found.append("a cross-reference offset (\(section)) lies past the end")
                    break
                }
                let start = skipSpace(section)
                if matches("xref", at: start) {
                    guard
                        let prev = table(
                            at: start + 4, checked: &checked, bad: &badEntries)
                    else {
                        found.append("the cross-reference table at offset \(section) is malformed")
                        break
                    }
                    next = prev
                } else if objectHeader(at: start) != nil {
                    next = nil  // a cross-reference stream: compressed, not opened here
                } else {
                    found.append("no cross-reference table at offset \(section)")
                    break
                }
            }
            if let first = badEntries.first {
                found.append(
                    "\(badEntries.count) cross-reference "
                        + "\(badEntries.count == 1 ? "entry points" : "entries point") at no "
                        + "object (object \(first.object) at offset \(first.offset))")
            }
            return found
        }

        /// Reads a classic table's subsections from `position` (after `xref`) up to its
        /// trailer; checks the in-use entries not seen in a newer section; returns the
        /// trailer's `/Prev` (or `nil` when it has none), or `nil` twice over when the table
        /// is malformed.
        func table(
            at position: Int, checked: inout Set<Int>, bad: inout [(object: Int, offset: Int)]
        ) -> Int?? {
            var p = skipSpace(position)
            while !matches("trailer", at: p) {
                guard let (first, afterFirst) = integer(at: p),
                    let (count, afterCount) = integer(at: skipSpace(afterFirst)),
                    count >= 0, count <= bytes.count / 18
                else { return nil }
                p = skipSpace(afterCount)
                for index in 0..<count {
                    // `nnnnnnnnnn ggggg n` and a two-byte end of line.
                    guard p + 18 <= bytes.count, let (offset, _) = integer(at: p),
                        bytes[p + 10] == 0x20, let (_, _) = integer(at: p + 11),
                        bytes[p + 16] == 0x20, bytes[p + 17] == UInt8(ascii: "n")
                            || bytes[p + 17] == UInt8(ascii: "f")
                    else { return nil }
                    let object = first + index
                    if bytes[p + 17] == UInt8(ascii: "n"), checked.insert(object).inserted,
                        objectHeader(at: offset) != object
                    {
                        bad.append((object, offset))
                    }
                    p = skipSpace(p + 18)
                }
            }
            // The trailer dictionary ends before the next `startxref`, a few lines on.
            let end = find("startxref", from: p, to: p + 65_536) ?? min(bytes.count, p + 65_536)
            guard let prev = find("/Prev", from: p, to: end) else { return .some(nil) }
            guard let (offset, _) = integer(at: skipSpace(prev + 5)) else { return nil }
            return .some(offset)
        }

        /// The object number of `N G obj` at `position` (after white space), or `nil`.
        func objectHeader(at position: Int) -> Int? {
            guard position >= 0, position < bytes.count,
                let (number, afterNumber) = integer(at: skipSpace(position)),
                let (_, afterGeneration) = integer(at: skipSpace(afterNumber)),
                matches("obj", at: skipSpace(afterGeneration))
            else { return nil }
            return number
        }

        /// A run of decimal digits at `position` and the index after it.
        func integer(at position: Int) -> (Int, Int)? {
            var p = position, value = 0
            while p < bytes.count, bytes[p] >= 0x30, bytes[p] <= 0x39, p - position < 18 {
                value = value * 10 + Int(bytes[p] - 0x30)
                p += 1
            }
            return p > position ? (value, p) : nil
        }

        func skipSpace(_ position: Int) -> Int {
            var p = max(0, position)
            // PDF white space: NUL, tab, LF, FF, CR, space.
            while p < bytes.count, [0, 9, 10, 12, 13, 32].contains(bytes[p]) { p += 1 }
            return p
        }

        func matches(_ word: String, at position: Int) -> Bool {
            let w = Array(word.utf8)
            guard position >= 0, position + w.count <= bytes.count else { return false }
            return bytes[position..<(position + w.count)].elementsEqual(w)
        }

        func find(_ word: String, from start: Int, to end: Int? = nil) -> Int? {
            let w = Array(word.utf8)
            let limit = min(end ?? bytes.count, bytes.count)
            guard !w.isEmpty else { return nil }
            var p = max(0, start)
            while p + w.count <= limit {
                if bytes[p] == w[0] && matches(word, at: p) { return p }
                p += 1
            }
            return nil
        }

        func findLast(_ word: String, from start: Int) -> Int? {
            let w = Array(word.utf8)
            var p = bytes.count - w.count
            while p >= max(0, start) {
                if bytes[p] == w[0] && matches(word, at: p) { return p }
                p -= 1
            }
            return nil
        }
    }
}
