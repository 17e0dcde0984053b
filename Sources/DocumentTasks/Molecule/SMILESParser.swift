import DocumentModel

/// Turns a SMILES string into a `Molecule`: OpenSMILES syntax, RDKit's clean-up of
/// charge-separated groups, valence limits and implicit hydrogens (organic subset: B 3; C 4;
/// N 3; O 2; P 3, 5; S 2, 4, 6; F, Cl, Br 1; I 1, 3, 5 — charged atoms use the valences of their
/// isoelectronic neutral element), and kekulisation of aromatic systems, so that validity agrees
/// with RDKit's `MolFromSmiles`. Invalid strings come back flagged with their problems, never
/// dropped or thrown.
public enum SMILESParser {
    /// Analyses the SMILES in `text`: like RDKit's `MolFromSmiles`, leading whitespace is
    /// skipped and the SMILES ends at the next whitespace (a name may follow). See
    /// `MoleculeTask` for cleaning model output first.
    public static func molecule(from text: String) -> Molecule {
        let start = text.drop(while: \.isWhitespace)
        let smiles = String(start.prefix { !$0.isWhitespace })
        return molecule(smiles: smiles, text: text)
    }

    /// Analyses `smiles` (no whitespace), remembering the text it came from.
    static func molecule(smiles: String, text: String) -> Molecule {
        var reader = SMILESReader(smiles)
        var graph: SMILESGraph
        do {
            graph = try reader.read()
        } catch {
            return Molecule(
                text: text, smiles: smiles, isValid: false,
                problems: [Molecule.Problem(position: error.position, message: error.message)],
                atomCount: 0, bondCount: 0, componentCount: 0, formula: nil, averageWeight: nil,
                charge: nil)
        }
        graph.cleanUp()
        var problems = graph.assignValences()
        if problems.isEmpty { problems = graph.kekulisationProblems() }
        let isValid = problems.isEmpty
        return Molecule(
            text: text, smiles: smiles, isValid: isValid, problems: problems,
            atomCount: graph.atoms.count, bondCount: graph.bonds.count,
            componentCount: graph.componentCount,
            formula: isValid ? graph.hillFormula() : nil,
            averageWeight: isValid ? graph.averageWeight() : nil, charge: graph.netCharge)
    }
}
