import DocumentModel

/// Reads PaliGemma's located-text syntax: groups of four `<locNNNN>` tokens (yMin, xMin,
/// yMax, xMax on the squashed model square) each followed by a text, groups separated by
/// ` ; ` (`detect` labels and `ocr-words` words both use it).
///
/// Coordinates decode as `NNNN / 1023`, the inverse of big_vision's `round(v · 1023)`
/// encoding (paligemma2.md §3); a token above 1023, a group with fewer than four tokens,
/// an inverted box or text in front of the first group is reported, never guessed.
enum LocGroups {
    /// One group as read.
    struct Group {
        /// The box, or `nil` when its tokens were unusable (see the issues).
        var box: NormalizedBox?
        /// The text after the box, trimmed.
        var text: String
        /// Character offset of the group in the output.
        var offset: Int

        /// The issue for a box followed by no text; `noun` names what the text would be.
        func missingText(_ noun: String) -> TaskIssue {
            TaskIssue(
                .unreadable, code: "box-without-text", message: "a box without a \(noun)",
                offset: offset)
        }

        /// The box in page pixels; `nil` when there is none, and, with a warning added to
        /// `issues`, when it lies in the tile's padding.
        func pageRect(in tile: Tile, issues: inout [TaskIssue]) -> PixelRect? {
            guard let box else { return nil }
            guard let rect = tile.pageRect(normalized: box) else {
                issues.append(
                    TaskIssue(
                        .warning, code: "box-outside-tile",
                        message: "the box of \"\(text)\" lies in the tile's padding",
                        offset: offset))
                return nil
            }
            return rect
        }
    }

    /// The groups of `output` and what could not be read.
    static func parse(_ output: String) -> (groups: [Group], issues: [TaskIssue]) {
        var groups: [Group] = []
        var issues: [TaskIssue] = []
        let scalars = Array(output.unicodeScalars)
        var i = 0
        var pendingText = ""
        var current: (locs: [Int], offset: Int)?
        var currentText = ""

        func finishGroup() {
            guard let group = current else {
                let stray = pendingText.trimmingSeparators()
                if !stray.isEmpty {
                    issues.append(
                        TaskIssue(
                            .unreadable, code: "text-without-box",
                            message: "text without a location: \"\(stray.prefix(40))\"",
                            offset: 0))
                }
                pendingText = ""
                return
            }
            let (box, issue) = LocGroups.box(group.locs, offset: group.offset)
            if let issue { issues.append(issue) }
            groups.append(
                Group(box: box, text: currentText.trimmingSeparators(), offset: group.offset))
            current = nil
            currentText = ""
        }

        while i < scalars.count {
            if let (value, length) = locToken(scalars, at: i) {
                // A new group starts unless we are still collecting this group's tokens.
                if let group = current, currentText.trimmingSeparators().isEmpty,
                    group.locs.count < 4
                {
                    current?.locs.append(value)
                } else {
                    finishGroup()
                    current = ([value], i)
                }
                i += length
                continue
            }
            if current == nil {
                pendingText.unicodeScalars.append(scalars[i])
            } else {
                currentText.unicodeScalars.append(scalars[i])
            }
            i += 1
        }
        finishGroup()
        return (groups, issues)
    }

    /// The box four loc values (yMin, xMin, yMax, xMax) encode, or why they encode none.
    static func box(_ locs: [Int], offset: Int) -> (NormalizedBox?, TaskIssue?) {
        guard locs.count == 4 else {
            return (
                nil,
                TaskIssue(
                    .unreadable, code: "bad-loc-group",
                    message: "\(locs.count) location tokens instead of 4", offset: offset)
            )
        }
        if let bad = locs.first(where: { $0 > 1023 }) {
            return (
                nil,
                TaskIssue(
                    .unreadable, code: "loc-out-of-range",
                    message: "<loc\(bad)> is beyond <loc1023>", offset: offset)
            )
        }
        let v = locs.map { Double($0) / 1023 }
        guard v[0] <= v[2], v[1] <= v[3] else {
            return (
                nil,
                TaskIssue(
                    .unreadable, code: "inverted-box", message: "box edges out of order",
                    offset: offset)
            )
        }
        return (NormalizedBox(yMin: v[0], xMin: v[1], yMax: v[2], xMax: v[3]), nil)
    }

    /// The number of a `<locNNNN>` tag's name (`loc0042` → 42), or `nil`.
    static func locNumber(tagName name: String) -> Int? {
        guard name.count == 7, name.hasPrefix("loc") else { return nil }
        let digits = name.dropFirst(3)
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }

    /// `<locNNNN>` at `index`: its number and length in scalars.
    private static func locToken(_ s: [Unicode.Scalar], at index: Int) -> (Int, Int)? {
        let prefix: [Unicode.Scalar] = ["<", "l", "o", "c"]
        guard index + 9 <= s.count, Array(s[index..<index + 4]) == prefix, s[index + 8] == ">"
        else { return nil }
        var value = 0
        for k in index + 4..<index + 8 {
            guard let digit = Int(String(s[k])), s[k].isASCII else { return nil }
            value = value * 10 + digit
        }
        return (value, 9)
    }
}
