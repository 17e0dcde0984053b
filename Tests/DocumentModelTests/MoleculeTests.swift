import DocumentModel
import Foundation
import Testing

@Suite struct MoleculeTests {
    @Test func codableRoundTripKeepsInvalidMolecules() throws {
        let molecule = Molecule(
            text: "SMILES: C1CC", smiles: "C1CC", isValid: false,
            problems: [Molecule.Problem(position: 1, message: "unclosed ring 1")], atomCount: 0,
            bondCount: 0, componentCount: 0, formula: nil, averageWeight: nil, charge: nil)
        let data = try JSONEncoder().encode(molecule)
        #expect(try JSONDecoder().decode(Molecule.self, from: data) == molecule)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(object?["smiles"] as? String == "C1CC" && object?["isValid"] as? Bool == false)
    }
}
