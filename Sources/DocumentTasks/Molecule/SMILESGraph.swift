/// The atoms and bonds written in a SMILES string, before chemistry is checked.
struct SMILESGraph {
    /// One atom as written (organic-subset atom such as `Cl` or bracket atom such as `[13CH3+:1]`).
    struct Atom {
        /// Atomic number; 0 for the wildcard `*`.
        var atomicNumber: Int
        /// Written in lower case (`c`, `[nH]`).
        var isAromatic: Bool
        /// Written in brackets: its hydrogen count is exactly `bracketHydrogens` (no implicit H).
        var isBracket: Bool
        /// Mass number, when given (`[13C]`); 0 means none, as in RDKit.
        var isotope: Int
        /// Hydrogens written inside the brackets (`[NH4+]` → 4).
        var bracketHydrogens: Int
        /// Formal charge.
        var charge: Int
        /// Atom class (`[CH3:1]` → 1).
        var atomClass: Int?
        /// Chirality mark as written (`@`, `@@`, `@TH1`, `@OH12` …).
        var chirality: String?
        /// Offset of the atom's first character in the string.
        var position: Int
        /// Implicit hydrogens (organic-subset atoms only), set by the valence step.
        var implicitHydrogens = 0
        /// Bond orders plus bracket hydrogens, set by the valence step.
        var explicitValence = 0

        /// All hydrogens attached without being written as atoms.
        var hydrogenCount: Int { bracketHydrogens + implicitHydrogens }
    }

    /// A bond's order; `aromatic` counts 1.5 towards valence until kekulisation; `dative`
    /// (RDKit's `->`) counts only for the acceptor, the bond's `second` atom.
    enum BondOrder {
        case single, double, triple, quadruple, aromatic, dative

        /// Contribution to an atom's valence.
        var valence: Double {
            switch self {
            case .single, .dative: 1
            case .double: 2
            case .triple: 3
            case .quadruple: 4
            case .aromatic: 1.5
            }
        }
    }

    /// A bond between two atoms (indices into `atoms`).
    struct Bond {
        /// First atom.
        var first: Int
        /// Second atom.
        var second: Int
        /// Order.
        var order: BondOrder
        /// Offset of the bond symbol, or of the second atom / ring digit when implicit.
        var position: Int

        /// The atom at the other end from `atom`.
        func other(_ atom: Int) -> Int { atom == first ? second : first }

        /// Contribution to `atom`'s valence (a dative bond gives nothing to its donor).
        func valence(for atom: Int) -> Double {
            order == .dative && atom == first ? 0 : order.valence
        }
    }

    /// Atoms in the order written.
    var atoms: [Atom] = []
    /// Bonds in the order written (ring closures when closed).
    var bonds: [Bond] = []
    /// Dot-separated components.
    var componentCount = 0

    /// Bond indices touching each atom.
    func incidentBonds() -> [[Int]] {
        var result = [[Int]](repeating: [], count: atoms.count)
        for (index, bond) in bonds.enumerated() {
            result[bond.first].append(index)
            result[bond.second].append(index)
        }
        return result
    }
}
