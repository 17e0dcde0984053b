import DocumentModel
import Foundation

/// The `molecule` task: a prompt that asks the model for the SMILES of a rendered structure,
/// and the parser of its answer. No public PaliGemma 2 checkpoint fixes the prompt (the paper's
/// PubChem → SMILES transfer has no released config), so it is configurable; fine-tuned
/// checkpoints use their own prefix.
public struct MoleculeTask: Sendable, Hashable {
    /// The prompt used unless a pipeline configures another.
    public static let defaultPrompt = "convert to smiles"

    /// The prompt sent with each image.
    public var prompt: String

    /// A task with a prompt (the default unless given).
    public init(prompt: String = MoleculeTask.defaultPrompt) {
        self.prompt = prompt
    }

    /// Reads the model's answer: surrounding whitespace, a Markdown code fence, a `SMILES:`
    /// label and enclosing quotes or backticks are removed; the SMILES is the first
    /// whitespace-free run of what remains (RDKit's rule; anything after it is kept only in
    /// `Molecule.text`). Never fails: unreadable output comes back as an invalid molecule with
    /// its problems.
    public func parse(_ modelOutput: String) -> Molecule {
        var candidate = modelOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        if candidate.hasPrefix("```") {
            var body = candidate.dropFirst(3)
            // A language tag (` ```smiles `) is a plain word on the fence's line.
            let tag = body.prefix { !$0.isNewline }
            if body.contains(where: \.isNewline), tag.allSatisfy({ $0.isLetter || $0.isNumber }) {
                body = body.dropFirst(tag.count)
            }
            if let fence = body.range(of: "```") { body = body[..<fence.lowerBound] }
            candidate = body.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if candidate.lowercased().hasPrefix("smiles:") {
            candidate = candidate.dropFirst(7).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        for quote: Character in ["\"", "'", "`"]
        where candidate.count >= 2 && candidate.first == quote && candidate.last == quote {
            candidate = candidate.dropFirst().dropLast()
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let smiles = String(candidate.prefix { !$0.isWhitespace })
        return SMILESParser.molecule(smiles: smiles, text: modelOutput)
    }
}
