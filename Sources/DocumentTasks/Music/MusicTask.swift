import DocumentModel
import Foundation

/// The `music` task: a prompt that asks the model to transcribe a music score image (optical
/// music recognition) to Humdrum `**kern`, and the parser of its answer. No public PaliGemma 2
/// checkpoint fixes the prompt (the paper's GrandStaff transfer has no released config), so it
/// is configurable; fine-tuned checkpoints use their own prefix.
public struct MusicTask: Sendable, Hashable {
    /// The prompt used unless a pipeline configures another.
    public static let defaultPrompt = "convert to kern"

    /// The prompt sent with each image.
    public var prompt: String

    /// A task with a prompt (the default unless given).
    public init(prompt: String = MusicTask.defaultPrompt) {
        self.prompt = prompt
    }

    /// Reads the model's answer: surrounding whitespace and an enclosing Markdown code fence
    /// are removed, "bekern" is mapped to `**kern` (`KernParser.normalize(_:)`), and the score
    /// is checked and summarised by `KernParser`. Never fails: unreadable output comes back as
    /// an invalid score with its problems; `MusicScore.text` keeps the output whole.
    public func parse(_ modelOutput: String) -> MusicScore {
        var candidate = modelOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        if candidate.hasPrefix("```") {
            var body = candidate.dropFirst(3)
            // A language tag (` ```kern `) is a plain word on the fence's line.
            let tag = body.prefix { !$0.isNewline }
            if tag.allSatisfy({ $0.isLetter || $0.isNumber }) { body = body.dropFirst(tag.count) }
            if let fence = body.range(of: "```", options: .backwards) {
                body = body[..<fence.lowerBound]
            }
            candidate = body.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var score = KernParser.score(from: candidate)
        score.text = modelOutput
        return score
    }
}
