extension String {
    /// The string without leading and trailing whitespace or newlines.
    func trimmingWhitespace() -> String {
        String(self[...].trimmingWhitespace())
    }

    /// The text with surrounding whitespace and a trailing group separator (` ;`) removed;
    /// a `;` that belongs to the text (`however;`) is kept.
    func trimmingSeparators() -> String {
        let trimmed = trimmingWhitespace()
        guard trimmed.hasSuffix(";") else { return trimmed }
        let rest = trimmed.dropLast()
        guard rest.isEmpty || rest.last?.isWhitespace == true else { return trimmed }
        return String(rest).trimmingWhitespace()
    }

    /// The offset of `index` (an index of this string or of a slice of it) in Unicode scalars,
    /// the unit of `TaskIssue.offset`.
    func scalarOffset(of index: Index) -> Int {
        unicodeScalars.distance(from: startIndex, to: index)
    }
}

extension Substring {
    /// The slice without leading and trailing whitespace or newlines, keeping the indices of
    /// the string it is cut from (an all-whitespace slice becomes the empty slice at its start).
    func trimmingWhitespace() -> Substring {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return self[startIndex..<startIndex] }
        return Substring(scalars[start...end])
    }
}
