import DocumentModel

extension SMILESGraph {
    /// Bonds that lie on a cycle (not bridges), found with Tarjan's low-link depth-first search.
    func ringBonds() -> [Bool] {
        let incident = incidentBonds()
        var isRing = [Bool](repeating: true, count: bonds.count)
        var order = [Int](repeating: -1, count: atoms.count)
        var low = [Int](repeating: 0, count: atoms.count)
        var counter = 0
        for root in atoms.indices where order[root] < 0 {
            // Iterative DFS: (atom, bond used to enter it, next incident position).
            var stack: [(atom: Int, via: Int, next: Int)] = [(root, -1, 0)]
            order[root] = counter
            low[root] = counter
            counter += 1
            while let top = stack.last {
                if top.next < incident[top.atom].count {
                    stack[stack.count - 1].next += 1
                    let bond = incident[top.atom][top.next]
                    if bond == top.via { continue }
                    let neighbour = bonds[bond].other(top.atom)
                    if order[neighbour] < 0 {
                        order[neighbour] = counter
                        low[neighbour] = counter
                        counter += 1
                        stack.append((neighbour, bond, 0))
                    } else {
                        low[top.atom] = min(low[top.atom], order[neighbour])
                    }
                } else {
                    stack.removeLast()
                    guard let parent = stack.last else { continue }
                    low[parent.atom] = min(low[parent.atom], low[top.atom])
                    if low[top.atom] > order[parent.atom] { isRing[top.via] = false }
                }
            }
        }
        return isRing
    }

    /// Checks that every aromatic atom is in a ring and that every aromatic system has a Kekulé
    /// structure, as RDKit's sanitisation requires. Needs `assignValences()` first.
    ///
    /// An atom of an aromatic ring must take one double bond when its valence state asks for
    /// exactly one more bond order than its single bonds and hydrogens give (RDKit's
    /// `markDbondCands`: the default valence adjusted for charge, raised to the next allowed
    /// valence when the atom already exceeds it; bracket atoms may also be one short, becoming
    /// radicals). The system is kekulisable when those atoms can be paired off along aromatic
    /// ring bonds — a perfect matching, searched exactly with backtracking. Wildcard atoms `*`
    /// in the system may take a double bond but need not.
    func kekulisationProblems() -> [Molecule.Problem] {
        let incident = incidentBonds()
        let inRing = ringBonds()
        var problems: [Molecule.Problem] = []
        let ringAtom = atoms.indices.map { atom in incident[atom].contains { inRing[$0] } }
        for atom in atoms.indices where atoms[atom].isAromatic && !ringAtom[atom] {
            problems.append(
                Molecule.Problem(
                    position: atoms[atom].position, message: "aromatic atom is not in a ring"))
        }
        guard problems.isEmpty else { return problems }
        var inSystem = atoms.indices.map { atom in
            ringAtom[atom] && incident[atom].contains { inRing[$0] && bonds[$0].order == .aromatic }
        }
        // A wildcard in a ring with aromatic atoms belongs to their system (it may stand for
        // an aromatic atom).
        for atom in atoms.indices where atoms[atom].atomicNumber == 0 && !inSystem[atom] {
            inSystem[atom] = incident[atom].contains {
                inRing[$0] && atoms[bonds[$0].other(atom)].isAromatic
            }
        }
        var required = [Bool](repeating: false, count: atoms.count)
        var optional = [Bool](repeating: false, count: atoms.count)
        for atom in atoms.indices where inSystem[atom] {
            if atoms[atom].atomicNumber == 0 {
                optional[atom] = true
            } else {
                required[atom] = needsDoubleBond(atom, incident: incident)
            }
        }
        // Edges along which a double bond may go: aromatic ring bonds between candidates, and
        // ring bonds to a wildcard candidate.
        var neighbours = [[Int]](repeating: [], count: atoms.count)
        for (index, bond) in bonds.enumerated() where inRing[index] {
            let (a, b) = (bond.first, bond.second)
            guard required[a] || optional[a], required[b] || optional[b] else { continue }
            guard bond.order == .aromatic || optional[a] || optional[b] else { continue }
            neighbours[a].append(b)
            neighbours[b].append(a)
        }
        var matcher = KekuleMatcher(required: required, neighbours: neighbours)
        if matcher.solve() {
            for atom in atoms.indices where inSystem[atom] && atoms[atom].atomicNumber > 0 {
                if let problem = kekuleValenceProblem(atom, partner: matcher.partner[atom],
                                                      incident: incident) {
                    problems.append(problem)
                }
            }
        } else {
            let positions = atoms.indices.filter { required[$0] }.map { atoms[$0].position }
            problems.append(
                Molecule.Problem(
                    position: positions.first,
                    message: matcher.exhausted
                        ? "aromatic system too large to kekulise"
                        : "aromatic system cannot be kekulised (no alternating single/double "
                            + "bond arrangement for the atoms at "
                            + positions.map(String.init).joined(separator: ", ") + ")"))
        }
        return problems
    }

    /// RDKit checks valences again once aromaticity is perceived anew on the Kekulé structure;
    /// an atom that is no longer aromatic then needs its Kekulé valence to be allowed. Instead of
    /// RDKit's full perception this takes an atom to stay aromatic unless it has four or more
    /// neighbours and hydrogens, two multiple bonds, or a charge beyond ±1 — the cases where the
    /// lenient aromatic rounding of `laxExplicitValence` hid an over-valent Kekulé atom
    /// (`c1ccc(C)(C)=c1`, `O=c1cccc=1`, `C[n++]1ccccc1`).
    private func kekuleValenceProblem(_ atom: Int, partner: Int, incident: [[Int]])
        -> Molecule.Problem?
    {
        let valences = allowedValences(atom)
        guard !valences.contains(-1), let largest = valences.max() else { return nil }
        var valence = atoms[atom].hydrogenCount
        var multipleBonds = 0
        for bond in incident[atom] {
            let order = bonds[bond].order == .aromatic
                ? (bonds[bond].other(atom) == partner ? 2 : 1)
                : Int(bonds[bond].valence(for: atom).rounded())
            valence += order
            if order > 1 { multipleBonds += 1 }
        }
        let staysAromatic = incident[atom].count + atoms[atom].hydrogenCount <= 3
            && multipleBonds <= 1 && abs(atoms[atom].charge) <= 1
        guard valence > largest, !staysAromatic else { return nil }
        return Molecule.Problem(
            position: atoms[atom].position,
            message: "valence \(valence) in the Kekulé structure exceeds the allowed \(largest)")
    }

    /// RDKit's test for an aromatic atom that must receive a double bond in a Kekulé structure.
    private func needsDoubleBond(_ atom: Int, incident: [[Int]]) -> Bool {
        let number = atoms[atom].atomicNumber
        var bondOrderSum = atoms[atom].hydrogenCount
        var ignored = 0  // bonds that add nothing (a dative bond's donor end)
        for bond in incident[atom] {
            let contribution = bonds[bond].order == .aromatic
                ? 1 : Int(bonds[bond].valence(for: atom).rounded())
            bondOrderSum += contribution
            if contribution == 0 { ignored += 1 }
        }
        let valences = ElementTable.elements[number].valences
        var charge = atoms[atom].charge
        if ElementTable.earlyAtoms.contains(number) { charge = -charge }
        if number == 6 && charge > 0 { charge = -charge }
        var target = (valences.first ?? 0) + charge
        let totalValence = atoms[atom].explicitValence + atoms[atom].implicitHydrogens
        var next = 1
        while totalValence > target && next < valences.count && valences[next] > 0 {
            target = valences[next] + charge
            next += 1
        }
        let totalDegree = incident[atom].count + atoms[atom].implicitHydrogens - ignored
        if totalDegree >= target { return false }
        return target == bondOrderSum + 1 || (atoms[atom].isBracket && target == bondOrderSum + 2)
    }
}

/// Exact search for a matching that pairs every required atom with a neighbour (optional atoms
/// may stay unpaired), by backtracking over connected pieces with a step limit so that
/// adversarial input cannot hang the parser.
private struct KekuleMatcher {
    let required: [Bool]
    let neighbours: [[Int]]
    var partner: [Int]
    var steps = 0
    /// Whether the step limit stopped the search.
    var exhausted = false
    private static let stepLimit = 100_000

    init(required: [Bool], neighbours: [[Int]]) {
        self.required = required
        self.neighbours = neighbours
        partner = [Int](repeating: -1, count: required.count)
    }

    mutating func solve() -> Bool {
        // A connected piece with an odd number of required atoms and no optional one can never
        // be paired off; answering that at once keeps big odd systems from a long search.
        var seen = [Bool](repeating: false, count: required.count)
        for start in required.indices where required[start] && !seen[start] {
            var stack = [start]
            seen[start] = true
            var requiredCount = 0
            var hasOptional = false
            while let atom = stack.popLast() {
                if required[atom] { requiredCount += 1 } else { hasOptional = true }
                for other in neighbours[atom] where !seen[other] {
                    seen[other] = true
                    stack.append(other)
                }
            }
            if requiredCount % 2 == 1 && !hasOptional { return false }
        }
        return search()
    }

    /// Depth-first search with an explicit stack (no recursion, so long aromatic chains cannot
    /// exhaust the thread's stack): pair the lowest unpaired required atom with its next free
    /// neighbour, and on a dead end undo the latest choice and try its next option.
    private mutating func search() -> Bool {
        var choices: [(atom: Int, option: Int)] = []
        var start = 0
        while let atom = (start..<required.count).first(where: {
            required[$0] && partner[$0] < 0
        }) {
            var choice = (atom: atom, option: 0)
            while true {
                steps += 1
                if steps > Self.stepLimit {
                    exhausted = true
                    return false
                }
                let options = neighbours[choice.atom]
                if let index = (choice.option..<options.count).first(where: {
                    partner[options[$0]] < 0
                }) {
                    partner[choice.atom] = options[index]
                    partner[options[index]] = choice.atom
                    choice.option = index + 1
                    choices.append(choice)
                    start = choice.atom + 1
                    break
                }
                guard let previous = choices.popLast() else { return false }
                partner[partner[previous.atom]] = -1
                partner[previous.atom] = -1
                choice = previous
            }
        }
        return true
    }
}
