import DocumentModel
import Foundation

/// The `molecule` task: a prompt that asks the model for the SMILES of a rendered structure,
/// and the parser of its answer. No public PaliGemma 2 checkpoint fixes the prompt (the paper's
/// PubChem → SMILES transfer has no released config), so it is configurable; fine-tuned
/// checkpoints use their own prefix.
public struct MoleculeTask: DocumentTask, Hashable {
    /// The prompt used unless a pipeline configures another.
    public static let defaultPrompt = "convert to smiles"

    /// `molecule`.
    public let name = "molecule"
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
    /// its problems. (The value alone, for callers without a tile; `parse(_:tile:page:)` places
    /// it in a region.)
    public func parse(_ modelOutput: String) -> Molecule {
        SMILESParser.molecule(smiles: String(Self.smilesText(in: modelOutput)), text: modelOutput)
    }

    /// The region holds the molecule (always one, valid or not). An invalid molecule cannot be
    /// used (no formula or weight), so each of its problems is `.unreadable`: code
    /// `smiles-syntax` when the string does not parse, `smiles-chemistry` when it parses but
    /// breaks valence or aromaticity rules; the offset is the problem's position in the output.
    /// Empty and looping output is flagged as for the free-text tasks.
    public func parse(_ output: String, tile: Tile, page: Int) -> Region {
        var region = region(for: output, tile: tile, page: page)
        let start = output.scalarOffset(of: Self.smilesText(in: output).startIndex)
        let molecule = parse(output)
        region.molecules = [molecule]
        // Only a string that parses has a net charge.
        let code = molecule.charge == nil ? "smiles-syntax" : "smiles-chemistry"
        for problem in molecule.problems {
            region.issues.append(
                TaskIssue(
                    .unreadable, code: code, message: problem.message,
                    offset: problem.position.map { start + $0 }))
        }
        region.issues += TextChecks.issues(in: output)
        return region
    }

    /// The SMILES in the model's output, as a slice of it.
    private static func smilesText(in output: String) -> Substring {
        var candidate = output[...].trimmingWhitespace()
        if candidate.hasPrefix("```") {
            var body = candidate.dropFirst(3)
            // A language tag (` ```smiles `) is a plain word on the fence's line.
            let tag = body.prefix { !$0.isNewline }
            if body.contains(where: \.isNewline), tag.allSatisfy({ $0.isLetter || $0.isNumber }) {
                body = body.dropFirst(tag.count)
            }
            if let fence = body.range(of: "```") { body = body[..<fence.lowerBound] }
            candidate = body.trimmingWhitespace()
        }
        if candidate.lowercased().hasPrefix("smiles:") {
            candidate = candidate.dropFirst(7).trimmingWhitespace()
        }
        for quote: Character in ["\"", "'", "`"]
        where candidate.count >= 2 && candidate.first == quote && candidate.last == quote {
            candidate = candidate.dropFirst().dropLast().trimmingWhitespace()
        }
        return candidate.prefix { !$0.isWhitespace }
    }
}
