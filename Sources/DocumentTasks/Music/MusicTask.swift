import DocumentModel
import Foundation

/// The `music` task: a prompt that asks the model to transcribe a music score image (optical
/// music recognition) to Humdrum `**kern`, and the parser of its answer. No public PaliGemma 2
/// checkpoint fixes the prompt (the paper's GrandStaff transfer has no released config), so it
/// is configurable; fine-tuned checkpoints use their own prefix.
public struct MusicTask: DocumentTask, Hashable {
    /// The prompt used unless a pipeline configures another.
    public static let defaultPrompt = "convert to kern"

    /// `music`.
    public let name = "music"
    /// The prompt sent with each image.
    public var prompt: String

    /// A task with a prompt (the default unless given).
    public init(prompt: String = MusicTask.defaultPrompt) {
        self.prompt = prompt
    }

    /// Reads the model's answer: surrounding whitespace and an enclosing Markdown code fence
    /// are removed, "bekern" is mapped to `**kern` (`KernParser.normalize(_:)`), and the score
    /// is checked and summarised by `KernParser`. Never fails: unreadable output comes back as
    /// an invalid score with its problems; `MusicScore.text` keeps the output whole. (The
    /// value alone, for callers without a tile; `parse(_:tile:page:)` places it in a region.)
    public func parse(_ modelOutput: String) -> MusicScore {
        var score = KernParser.score(from: String(Self.kernText(in: modelOutput)))
        score.text = modelOutput
        return score
    }

    /// The region holds the score (always one, valid or not); each of its problems becomes an
    /// issue. A problem on a line is `.unreadable` (code `kern-invalid-line`: the line, or a
    /// token on it, could not be read and is missing from the counts, so the score cannot be used
    /// as it stands), at the line's offset in the output when the score is plain `**kern` (for
    /// "bekern" the line numbers refer to the mapped `kern` and no offset is given). Spines left
    /// open at the end are a `.warning` (`kern-unterminated`: everything was read, but the output
    /// was likely cut short); a score with no `**kern` header line is `.unreadable`
    /// (`kern-no-header`). Empty and looping output is flagged as for the free-text tasks.
    public func parse(_ output: String, tile: Tile, page: Int) -> Region {
        var region = region(for: output, tile: tile, page: page)
        let text = Self.kernText(in: output)
        let score = parse(output)
        region.music = [score]
        // Scalar offsets of the starts of `kern`'s lines in the output; none when bekern mapping
        // changed the text, since its lines then have no place in the output.
        var lineStarts: [Int] = []
        if score.kern == text {
            var offset = output.scalarOffset(of: text.startIndex)
            lineStarts.append(offset)
            for scalar in text.unicodeScalars {
                offset += 1
                if scalar == "\n" { lineStarts.append(offset) }
            }
        }
        for problem in score.problems {
            if let line = problem.line {
                region.issues.append(
                    TaskIssue(
                        .unreadable, code: "kern-invalid-line",
                        message: "score line \(line): \(problem.message)",
                        offset: lineStarts.indices.contains(line - 1) ? lineStarts[line - 1] : nil))
            } else if score.spineCount > 0 {
                // Spines were opened, so the whole-score problem is the missing terminators.
                region.issues.append(
                    TaskIssue(
                        .warning, code: "kern-unterminated", message: problem.message,
                        offset: output.scalarOffset(of: text.endIndex)))
            } else {
                region.issues.append(
                    TaskIssue(.unreadable, code: "kern-no-header", message: problem.message))
            }
        }
        region.issues += TextChecks.issues(in: output)
        return region
    }

    /// The score's text in the model's output: without surrounding whitespace and without an
    /// enclosing code fence (and its language tag), as a slice of the output.
    private static func kernText(in output: String) -> Substring {
        var candidate = output[...].trimmingWhitespace()
        if candidate.hasPrefix("```") {
            var body = candidate.dropFirst(3)
            // A language tag (` ```kern `) is a plain word on the fence's line.
            let tag = body.prefix { !$0.isNewline }
            if tag.allSatisfy({ $0.isLetter || $0.isNumber }) { body = body.dropFirst(tag.count) }
            if let fence = body.range(of: "```", options: .backwards) {
                body = body[..<fence.lowerBound]
            }
            candidate = body.trimmingWhitespace()
        }
        return candidate
    }
}
