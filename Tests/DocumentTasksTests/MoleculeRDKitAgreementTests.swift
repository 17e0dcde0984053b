import DocumentModel
import DocumentTasks
import Foundation
import PaliTestSupport
import Testing

/// Compares `SMILESParser` with RDKit 2026.09.1 on strings `generate_smiles_fixtures.py` wrote
/// and judged with `Chem.MolFromSmiles`, `CalcMolFormula` and `Descriptors.MolWt`.
@Suite struct MoleculeRDKitAgreementTests {
    struct Case: Decodable {
        var smiles: String
        var valid: Bool
        var formula: String?
        var weight: Double?
    }

    /// Disagreements with RDKit, one line each.
    struct Disagreements {
        var validity: [String] = []
        var formula: [String] = []
        var weight: [String] = []
    }

    static func load(_ url: URL) throws -> [Case] {
        try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
    }

    static func compare(_ cases: [Case]) -> Disagreements {
        var result = Disagreements()
        for reference in cases {
            let molecule = SMILESParser.molecule(from: reference.smiles)
            let quoted = reference.smiles.debugDescription
            guard molecule.isValid == reference.valid else {
                let why = molecule.problems.map(\.message).joined(separator: "; ")
                result.validity.append("\(quoted) rdkit=\(reference.valid) ours: \(why)")
                continue
            }
            guard reference.valid else { continue }
            if molecule.formula != reference.formula {
                result.formula.append(
                    "\(quoted) rdkit=\(reference.formula ?? "") ours=\(molecule.formula ?? "")")
            }
            if let weight = molecule.averageWeight, let expected = reference.weight,
                abs(weight - expected) <= 1e-3
            {
                continue
            }
            result.weight.append(
                "\(quoted) rdkit=\(reference.weight ?? 0) ours=\(molecule.averageWeight ?? 0)")
        }
        return result
    }

    /// The committed fixture: real molecules, RDKit re-spellings, seeded random edits, edge
    /// cases and garbage; every verdict, formula and weight must agree.
    @Test func agreesWithRDKitOnCommittedFixture() throws {
        let cases = try Self.load(
            FixturePaths.fixture("smiles").appendingPathComponent("rdkit_reference.json"))
        #expect(cases.count >= 500)
        #expect(cases.filter(\.valid).count >= 250 && cases.filter { !$0.valid }.count >= 250)
        let found = Self.compare(cases)
        #expect(found.validity.isEmpty, "\(found.validity.joined(separator: "\n"))")
        #expect(found.formula.isEmpty, "\(found.formula.joined(separator: "\n"))")
        #expect(found.weight.isEmpty, "\(found.weight.joined(separator: "\n"))")
    }

    /// Opt-in: the large held-out set (`generate_smiles_fixtures.py --heldout`, NCI molecules
    /// and edits of them) named by `PALIDOC_SMILES_HELDOUT`; prints the agreement and lists the
    /// disagreements.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PALIDOC_SMILES_HELDOUT"] != nil))
    func agreesWithRDKitOnHeldOutSet() throws {
        let path = ProcessInfo.processInfo.environment["PALIDOC_SMILES_HELDOUT"] ?? ""
        let cases = try Self.load(URL(fileURLWithPath: path))
        let found = Self.compare(cases)
        let valid = cases.filter(\.valid).count
        print(
            "held-out SMILES: \(cases.count) strings (\(valid) valid); validity disagreements "
                + "\(found.validity.count), formula \(found.formula.count), weight "
                + "\(found.weight.count)")
        for line in found.validity + found.formula + found.weight { print("  " + line) }
        #expect(Double(found.validity.count) <= 0.001 * Double(cases.count))
        #expect(Double(found.formula.count) <= 0.001 * Double(valid))
        #expect(Double(found.weight.count) <= 0.001 * Double(valid))
    }
}
