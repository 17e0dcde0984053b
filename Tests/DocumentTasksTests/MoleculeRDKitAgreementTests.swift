import DocumentModel
import DocumentTasks
import Foundation
import PaliTestSupport
import Testing

/// Compares `SMILESParser` with RDKit on the strings `generate_smiles_fixtures.py` wrote (real
/// molecules, their RDKit re-spellings, seeded random edits, edge cases and garbage).
@Suite struct MoleculeRDKitAgreementTests {
    struct Case: Decodable {
        var smiles: String
        var valid: Bool
        var formula: String?
        var weight: Double?
    }

    static func cases() throws -> [Case] {
        let url = FixturePaths.fixture("smiles").appendingPathComponent("rdkit_reference.json")
        return try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
    }

    @Test func agreesWithRDKitOnValidityFormulaAndWeight() throws {
        let cases = try Self.cases()
        #expect(cases.count >= 500)
        var validityMismatches: [String] = []
        var formulaMismatches: [String] = []
        var weightMismatches: [String] = []
        for reference in cases {
            let molecule = SMILESParser.molecule(from: reference.smiles)
            #expect(molecule.smiles == reference.smiles)
            guard molecule.isValid == reference.valid else {
                let why = molecule.problems.map(\.message).joined(separator: "; ")
                validityMismatches.append("\(reference.smiles.debugDescription) rdkit=\(reference.valid) ours=\(molecule.isValid) \(why)")
                continue
            }
            guard reference.valid else {
                #expect(!molecule.problems.isEmpty)
                continue
            }
            if molecule.formula != reference.formula {
                formulaMismatches.append("\(reference.smiles) rdkit=\(reference.formula ?? "") ours=\(molecule.formula ?? "")")
            }
            if let weight = molecule.averageWeight, let expected = reference.weight,
                abs(weight - expected) <= 1e-3
            {
                continue
            }
            weightMismatches.append("\(reference.smiles) rdkit=\(reference.weight ?? 0) ours=\(molecule.averageWeight ?? 0)")
        }
        print("SMILES vs RDKit: \(cases.count) strings, validity mismatches \(validityMismatches.count), formula mismatches \(formulaMismatches.count), weight mismatches \(weightMismatches.count)")
        #expect(validityMismatches.isEmpty, "\(validityMismatches.joined(separator: "\n"))")
        #expect(formulaMismatches.isEmpty, "\(formulaMismatches.joined(separator: "\n"))")
        #expect(weightMismatches.isEmpty, "\(weightMismatches.joined(separator: "\n"))")
    }
}
