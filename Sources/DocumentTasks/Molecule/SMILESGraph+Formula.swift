extension SMILESGraph {
    /// Net formal charge.
    var netCharge: Int { atoms.reduce(0) { $0 + $1.charge } }

    /// Written hydrogen atoms that RDKit's `MolFromSmiles` folds into their neighbour:
    /// unlabelled, bonded to one non-hydrogen atom, not negative. They lose their charge and
    /// their own bracket hydrogens (`C[H+]` and `C[HH+]` read as neutral CH4), and RDKit removes
    /// them before checking valences.
    func foldedHydrogens() -> [Bool] {
        let incident = incidentBonds()
        return atoms.indices.map { index in
            let atom = atoms[index]
            return atom.atomicNumber == 1 && atom.isotope == 0 && atom.charge >= 0
                && incident[index].count == 1
                && atoms[bonds[incident[index][0]].other(index)].atomicNumber != 1
        }
    }

    /// Molecular formula in Hill order as RDKit's `CalcMolFormula` writes it: carbon, then
    /// hydrogen, then the other symbols in ASCII order (wildcards `*` first among them); without
    /// carbon, hydrogen first all the same (`HCl`, `H4N+`); then the net charge (`+`, `-2`).
    /// Isotopes count with their element.
    func hillFormula() -> String {
        var counts: [String: Int] = [:]
        var charge = 0
        for (atom, folded) in zip(atoms, foldedHydrogens()) {
            counts[ElementTable.elements[atom.atomicNumber].symbol, default: 0] += 1
            if folded { continue }
            if atom.hydrogenCount > 0 { counts["H", default: 0] += atom.hydrogenCount }
            charge += atom.charge
        }
        let order = ["C", "H"] + counts.keys.filter { $0 != "C" && $0 != "H" }.sorted()
        var formula = ""
        for symbol in order {
            guard let count = counts[symbol] else { continue }
            formula += count == 1 ? symbol : "\(symbol)\(count)"
        }
        if charge != 0 {
            formula += charge > 0 ? "+" : "-"
            if abs(charge) > 1 { formula += String(abs(charge)) }
        }
        return formula
    }

    /// Average molecular weight in g/mol: standard atomic weights, the exact isotope mass for
    /// labelled atoms (the mass number when the isotope is not tabulated), hydrogens at 1.008.
    func averageWeight() -> Double {
        var weight = 0.0
        for (atom, folded) in zip(atoms, foldedHydrogens()) {
            if folded {
                weight += ElementTable.elements[1].weight
                continue
            }
            if atom.atomicNumber == 0 {
                // Wildcards weigh nothing, whatever their label.
            } else if atom.isotope > 0 {
                weight += ElementTable.isotopeMasses[atom.atomicNumber * 1000 + atom.isotope]
                    ?? Double(atom.isotope)
            } else {
                weight += ElementTable.elements[atom.atomicNumber].weight
            }
            weight += Double(atom.hydrogenCount) * ElementTable.elements[1].weight
        }
        return weight
    }
}
