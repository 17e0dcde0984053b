import DocumentModel

/// Turns a SMILES string into a `Molecule`: OpenSMILES syntax, RDKit's clean-up of
/// charge-separated groups, valence limits and implicit hydrogens (organic subset: B 3; C 4;
/// N 3; O 2; P 3, 5; S 2, 4, 6; F, Cl, Br 1; I 1, 3, 5 — charged atoms use the valences of their
/// isoelectronic neutral element), and kekulisation of aromatic systems, so that validity agrees
/// with RDKit's `MolFromSmiles`. Invalid strings come back flagged with their problems, never
/// dropped or thrown.
public enum SMILESParser {
    /// Analyses one SMILES string (taken exactly as given; see `MoleculeTask` for cleaning
    /// model output).
    public static func molecule(from smiles: String) -> Molecule {
        var reader = SMILESReader(smiles)
        var graph: SMILESGraph
        do {
            graph = try reader.read()
        } catch {
            return Molecule(
                smiles: smiles, isValid: false,
                problems: [Molecule.Problem(position: error.position, message: error.message)],
                atomCount: 0, bondCount: 0, componentCount: 0, formula: nil, averageWeight: nil,
                charge: nil)
        }
        graph.cleanUp()
        var problems = graph.assignValences()
        if problems.isEmpty { problems = graph.kekulisationProblems() }
        let isValid = problems.isEmpty
        return Molecule(
            smiles: smiles, isValid: isValid, problems: problems, atomCount: graph.atoms.count,
            bondCount: graph.bonds.count, componentCount: graph.componentCount,
            formula: isValid ? graph.hillFormula() : nil,
            averageWeight: isValid ? graph.averageWeight() : nil, charge: graph.netCharge)
    }
}
