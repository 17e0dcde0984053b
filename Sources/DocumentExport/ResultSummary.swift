import DocumentModel
import Foundation

/// One-line summaries of music and molecule results, shared by the HTML and Markdown
/// exporters (the full problems are the region's issues).
enum ResultSummary {
    /// `valid **kern: 2 spines, 3 measures, 12 notes, 1 rest, 2 chords`, or `invalid **kern
    /// (2 problems): …` with what could be counted.
    static func of(_ score: MusicScore) -> String {
        let problems = count(score.problems.count, "problem")
        let validity = score.isValid ? "valid **kern" : "invalid **kern (\(problems))"
        return "\(validity): \(count(score.spineCount, "spine")), "
            + "\(count(score.measureCount, "measure")), \(count(score.noteCount, "note")), "
            + "\(count(score.restCount, "rest")), \(count(score.chordCount, "chord"))"
    }

    /// `C8H10N4O2, 194.19 g/mol`, or `invalid SMILES: <first problem>` (`…; N more`).
    static func of(_ molecule: Molecule) -> String {
        guard molecule.isValid, let formula = molecule.formula,
            let weight = molecule.averageWeight
        else {
            let first = molecule.problems.first?.message ?? "not a molecule"
            let more = molecule.problems.count > 1 ? "; \(molecule.problems.count - 1) more" : ""
            return "invalid SMILES: \(first)\(more)"
        }
        return "\(formula), \(String(format: "%.2f", weight)) g/mol"
    }

    private static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }
}
