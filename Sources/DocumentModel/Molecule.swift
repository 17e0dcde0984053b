/// A molecule read from a SMILES string (the `molecule` task's result). The original text is
/// always kept; a string that does not parse or that breaks valence or aromaticity rules is kept
/// too, with `isValid == false` and the reasons in `problems`.
public struct Molecule: Sendable, Hashable, Codable {
    /// One reason a SMILES string is not a valid molecule.
    public struct Problem: Sendable, Hashable, Codable {
        /// 0-based offset of the offending character in `smiles` (Unicode scalars), or `nil` when
        /// the problem concerns the whole string (e.g. an aromatic system that cannot be
        /// kekulised).
        public var position: Int?
        /// What is wrong, in words.
        public var message: String

        /// A problem at a position.
        public init(position: Int?, message: String) {
            self.position = position
            self.message = message
        }
    }

    /// The text the SMILES was read from (the model's output), kept whole.
    public var text: String
    /// The SMILES string that was checked: taken from `text` without surrounding whitespace
    /// (and, for model output, code fences, quotes or a `SMILES:` label); it ends at the first
    /// whitespace, as in RDKit, where a name may follow. Problem positions refer to it.
    public var smiles: String
    /// Whether the string is a valid molecule (parses, valences allowed, aromatic systems
    /// kekulisable — the rules RDKit's `MolFromSmiles` applies).
    public var isValid: Bool
    /// Why the string is invalid; empty when valid.
    public var problems: [Problem]
    /// Atoms written in the string (bracket `[H]` atoms included, implicit hydrogens not).
    public var atomCount: Int
    /// Bonds written in the string (ring closures included, bonds to implicit hydrogens not).
    public var bondCount: Int
    /// Number of dot-separated components.
    public var componentCount: Int
    /// Molecular formula in Hill order with the net charge appended (`C9H8O4`, `H4N+`), as RDKit's
    /// `CalcMolFormula`; `nil` when invalid.
    public var formula: String?
    /// Average molecular weight in g/mol (standard atomic weights; labelled isotopes use their
    /// isotope mass), as RDKit's `Descriptors.MolWt`; `nil` when invalid.
    public var averageWeight: Double?
    /// Net formal charge; `nil` when the string does not parse.
    public var charge: Int?

    /// A molecule from all its fields.
    public init(
        text: String, smiles: String, isValid: Bool, problems: [Problem], atomCount: Int,
        bondCount: Int, componentCount: Int, formula: String?, averageWeight: Double?, charge: Int?
    ) {
        self.text = text
        self.smiles = smiles
        self.isValid = isValid
        self.problems = problems
        self.atomCount = atomCount
        self.bondCount = bondCount
        self.componentCount = componentCount
        self.formula = formula
        self.averageWeight = averageWeight
        self.charge = charge
    }
}
