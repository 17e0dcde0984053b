import DocumentModel

/// Checks shared by the free-text tasks: empty output and repetition loops (a VLM that
/// repeats one phrase until its token budget, documents.md §2 item 10).
enum TextChecks {
    /// Issues for a free-text output.
    static func issues(in output: String) -> [TaskIssue] {
        var issues: [TaskIssue] = []
        if output.trimmingWhitespace().isEmpty {
            issues.append(
                TaskIssue(.warning, code: "empty-output", message: "the model said nothing"))
        }
        if let period = repeatedTail(output) {
            issues.append(
                TaskIssue(
                    .warning, code: "repetition-loop",
                    message: "the output ends in a phrase of \(period) characters repeated "
                        + "\(minimumRepeats)+ times; the model likely looped"))
        }
        return issues
    }

    /// How many back-to-back copies of a tail phrase count as a loop.
    static let minimumRepeats = 8

    /// The length of a phrase (4…200 characters) the output ends with, repeated at least
    /// `minimumRepeats` times back to back; `nil` when there is none.
    static func repeatedTail(_ text: String) -> Int? {
        let s = Array(text.unicodeScalars)
        guard s.count >= 4 * minimumRepeats else { return nil }
        for period in 4...min(200, s.count / minimumRepeats) {
            var repeats = 1
            var end = s.count
            while end - 2 * period >= 0,
                s[(end - 2 * period)..<(end - period)] == s[(end - period)..<end]
            {
                repeats += 1
                end -= period
                if repeats >= minimumRepeats { return period }
            }
        }
        return nil
    }
}
