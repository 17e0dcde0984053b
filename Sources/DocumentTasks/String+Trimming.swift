extension String {
    /// The string without leading and trailing whitespace or newlines.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[start...end])
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
}
