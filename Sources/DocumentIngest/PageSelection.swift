import Foundation

/// A set of 1-based page numbers as users write them: `1-3,7`, `5-` (to the end), `2`.
public struct PageSelection: Sendable {
    /// The text is not a list of `N`, `A-B` or `A-` items with 1 ≤ A ≤ B.
    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The rejected text.
        public let text: String

        /// One line for the user.
        public var description: String {
            "invalid page selection '\(text)' (expected e.g. 1-3,7 or 5-; pages start at 1)"
        }
    }

    /// Inclusive 1-based ranges; a `nil` upper bound means "to the last page".
    private let ranges: [(lower: Int, upper: Int?)]

    /// Every page.
    public static let all = PageSelection(ranges: [(1, nil)])

    private init(ranges: [(lower: Int, upper: Int?)]) { self.ranges = ranges }

    /// Parses `text` (commas between items, spaces allowed).
    public init(parsing text: String) throws {
        var ranges: [(lower: Int, upper: Int?)] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "-", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard (1...2).contains(parts.count), let lower = Int(parts[0]), lower >= 1 else {
                throw SyntaxError(text: text)
            }
            if parts.count == 1 {
                ranges.append((lower, lower))
            } else if parts[1].isEmpty {
                ranges.append((lower, nil))
            } else if let upper = Int(parts[1]), upper >= lower {
                ranges.append((lower, upper))
            } else {
                throw SyntaxError(text: text)
            }
        }
        self.ranges = ranges
    }

    /// Zero-based page indices of `document`, in selection order without repeats.
    /// Throws `pageOutOfRange` for the first selected page the document lacks.
    public func indices(in document: any DocumentSource) throws -> [Int] {
        let count = document.pageCount
        var seen = Set<Int>(), result: [Int] = []
        for (lower, upper) in ranges {
            let last = upper ?? max(lower, count)
            guard last <= count else {
                let missing = max(lower, count + 1) - 1
                throw IngestError(document.url, .pageOutOfRange(index: missing, pageCount: count))
            }
            for page in lower...last where seen.insert(page).inserted {
                result.append(page - 1)
            }
        }
        return result
    }
}
