extension KernParser {
    /// Maps the "bekern"/"ekern" tokenisation some OMR models (Sheet Music Transformer style,
    /// possibly a fine-tuned PaliGemma) emit back to plain `**kern`:
    /// - the markers `<b>` (line break), `<t>` (tab) and `<s>` (space), together with the plain
    ///   spaces around them that separate vocabulary items;
    /// - the separators `@` and `·` between the parts of a token (`4@c@#·L` → `4c#L`), removed
    ///   outside comment lines;
    /// - the exclusive interpretations `**ekern`, `**bekern` (with an optional `_1.0` version
    ///   suffix) → `**kern`.
    /// Plain `**kern` comes back unchanged.
    public static func normalize(_ text: String) -> String {
        var result = text
        if result.contains("<b>") || result.contains("<t>") || result.contains("<s>") {
            for (marker, replacement) in [("<b>", "\n"), ("<t>", "\t"), ("<s>", " ")] {
                result = result.replacing(" \(marker) ", with: marker)
                    .replacing(" \(marker)", with: marker)
                    .replacing("\(marker) ", with: marker)
                    .replacing(marker, with: replacement)
            }
        }
        guard result.contains("@") || result.contains("·") || result.contains("ekern") else {
            return result
        }
        let lines = result.split(separator: "\n", omittingEmptySubsequences: false).map {
            line -> String in
            if line.hasPrefix("!") { return String(line) }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map {
                field -> String in
                let plain = String(field.filter { $0 != "@" && $0 != "·" })
                for name in ["**ekern", "**bekern"] where plain == name || plain == name + "_1.0" {
                    return "**kern"
                }
                return plain
            }
            return fields.joined(separator: "\t")
        }
        return lines.joined(separator: "\n")
    }
}
