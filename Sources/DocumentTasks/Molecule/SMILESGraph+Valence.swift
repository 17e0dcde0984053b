import DocumentModel

extension SMILESGraph {
    /// RDKit's `cleanUp` step, which runs before valences are checked: neutral pentavalent
    /// nitrogen with a double bond to oxygen (nitro groups, `O=n1ccccc1`) or a triple bond to
    /// nitrogen (azides written `N=N#N`), neutral pentavalent phosphorus with `=O` and a second
    /// double bond to C or P, and neutral Cl/Br/I bonded only to oxygens with valence 3, 5 or 7
    /// (`OCl(=O)(=O)=O`) are rewritten to their charge-separated forms. The formula and net
    /// charge are unchanged; only validity depends on it.
    mutating func cleanUp() {
        let incident = incidentBonds()
        for atom in atoms.indices where atoms[atom].charge == 0 {
            let number = atoms[atom].atomicNumber
            guard [7, 15, 17, 35, 53].contains(number) else { continue }
            let valence = laxExplicitValence(atom, incident: incident)
            let doubleToOxygen = incident[atom].first {
                bonds[$0].order == .double && atoms[bonds[$0].other(atom)].atomicNumber == 8
                    && atoms[bonds[$0].other(atom)].charge == 0
            }
            switch number {
            case 7 where valence == 5:
                if let bond = doubleToOxygen {
                    separate(bond, from: atom, order: .single)
                } else if let bond = incident[atom].first(where: {
                    bonds[$0].order == .triple && atoms[bonds[$0].other(atom)].atomicNumber == 7
                        && atoms[bonds[$0].other(atom)].charge == 0
                }) {
                    separate(bond, from: atom, order: .double)
                }
            case 15 where valence == 5:
                let secondDouble = incident[atom].contains {
                    $0 != doubleToOxygen && bonds[$0].order == .double
                        && [6, 15].contains(atoms[bonds[$0].other(atom)].atomicNumber)
                }
                if let bond = doubleToOxygen, secondDouble {
                    separate(bond, from: atom, order: .single)
                }
            case 17, 35, 53:
                let onlyOxygens = incident[atom].allSatisfy {
                    atoms[bonds[$0].other(atom)].atomicNumber == 8
                }
                guard onlyOxygens, [3, 5, 7].contains(valence) else { continue }
                for bond in incident[atom] where bonds[bond].order == .double {
                    separate(bond, from: atom, order: .single)
                }
            default:
                continue
            }
        }
    }

    /// Lowers a bond's order, moving one positive charge to `atom` and one negative charge to
    /// the atom at the other end.
    private mutating func separate(_ bond: Int, from atom: Int, order: BondOrder) {
        bonds[bond].order = order
        atoms[atom].charge += 1
        atoms[bonds[bond].other(atom)].charge -= 1
    }

    /// The valence list RDKit uses for an atom: that of the isoelectronic neutral element
    /// (atomic number minus formal charge, clamped to the table), so `[N+]` may have four bonds
    /// like carbon and `[O-]` one like fluorine; RDKit does not limit hydride `[H-]`.
    func allowedValences(_ atom: Int) -> [Int] {
        if atoms[atom].atomicNumber == 1 && atoms[atom].charge < 0 { return [-1] }
        let effective = min(max(atoms[atom].atomicNumber - atoms[atom].charge, 0), 118)
        return ElementTable.elements[effective].valences
    }

    /// Whether a lower-case atom is bonded aromatically. RDKit treats one that is not (`s` in
    /// `C1CCsC1`) as an ordinary aliphatic atom.
    func hasAromaticBond(_ atom: Int, incident: [[Int]]) -> Bool {
        atoms[atom].isAromatic && incident[atom].contains { bonds[$0].order == .aromatic }
    }

    /// Explicit valence (bond orders plus bracket hydrogens), aromatic bonds counting 1.5. For
    /// aromatic atoms a sum above the default valence is rounded down to the nearest allowed
    /// valence when that is at most 1.5 away (RDKit's rule, which lets `c` at a ring fusion or
    /// `[nH]` pass before kekulisation; `kekulisationProblems()` checks the Kekulé structure).
    func laxExplicitValence(_ atom: Int, incident: [[Int]]) -> Int {
        var sum = Double(atoms[atom].bracketHydrogens)
        for bond in incident[atom] { sum += bonds[bond].valence(for: atom) }
        let valences = allowedValences(atom).filter { $0 >= 0 }
        if hasAromaticBond(atom, incident: incident), let lowest = valences.first,
            sum > Double(lowest)
        {
            var nearest = lowest
            for valence in valences {
                if Double(valence) > sum { break }
                nearest = valence
            }
            if sum - Double(nearest) <= 1.5 { sum = Double(nearest) }
        }
        return Int((sum + 0.1).rounded())
    }

    /// Sets every atom's explicit valence and implicit hydrogens, and reports atoms whose
    /// valence is above the largest their element (adjusted for charge) allows. Like RDKit's
    /// organometallic clean-up, single bonds from an over-valent non-metal to metals become
    /// dative bonds first (`[NH3][Pt]`). Hydrogen atoms that RDKit folds into their neighbour
    /// (`foldedHydrogens()`) are not checked.
    mutating func assignValences() -> [Molecule.Problem] {
        let incident = incidentBonds()
        let folded = foldedHydrogens()
        var problems: [Molecule.Problem] = []
        for atom in atoms.indices {
            if atoms[atom].isAromatic, atoms[atom].isBracket,
                !hasAromaticBond(atom, incident: incident),
                let largest = allowedValences(atom).max(), largest >= 0
            {
                // RDKit drops the hydrogens of a lower-case bracket atom outside aromatic bonds
                // that its bonds leave no room for (`C1=[nH]CC1` reads as `C1=NCC1`).
                let bondSum = Int(incident[atom].reduce(0.0) {
                    $0 + bonds[$1].valence(for: atom)
                }.rounded())
                atoms[atom].bracketHydrogens = max(
                    0, min(atoms[atom].bracketHydrogens, largest - bondSum))
            }
            var valence = laxExplicitValence(atom, incident: incident)
            guard atoms[atom].atomicNumber > 0, !folded[atom] else {
                atoms[atom].explicitValence = valence
                continue
            }
            let valences = allowedValences(atom)
            if !valences.contains(-1), atoms[atom].atomicNumber != 1,
                !Self.isMetal(atoms[atom].atomicNumber)
            {
                for bond in incident[atom] where valence > valences.max() ?? 0 {
                    let other = bonds[bond].other(atom)
                    guard bonds[bond].order == .single, Self.isMetal(atoms[other].atomicNumber)
                    else { continue }
                    bonds[bond] = Bond(
                        first: atom, second: other, order: .dative, position: bonds[bond].position)
                    valence -= 1
                }
            }
            atoms[atom].explicitValence = valence
            if valences.contains(-1) { continue }
            guard let allowed = valences.first(where: { $0 >= valence }) else {
                let symbol = ElementTable.elements[atoms[atom].atomicNumber].symbol
                let charge = atoms[atom].charge
                let described = charge == 0 ? symbol : "\(symbol) with charge \(charge)"
                problems.append(
                    Molecule.Problem(
                        position: atoms[atom].position,
                        message: "valence \(valence) of \(described) exceeds the allowed "
                            + "\(valences.max() ?? 0)"))
                continue
            }
            if !atoms[atom].isBracket { atoms[atom].implicitHydrogens = allowed - valence }
        }
        return problems
    }

    /// Elements that are not non-metals (for the organometallic clean-up).
    static func isMetal(_ atomicNumber: Int) -> Bool {
        ![0, 1, 2, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 33, 34, 35, 36, 52, 53, 54, 85, 86]
            .contains(atomicNumber)
    }
}
