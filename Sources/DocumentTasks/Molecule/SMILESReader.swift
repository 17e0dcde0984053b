/// Reads the OpenSMILES grammar into a `SMILESGraph`: organic-subset and bracket atoms (isotope,
/// element or aromatic symbol, chirality `@`/`@@`/`@TH1`…`@OH30`, hydrogen count, charge `+`,
/// `++`, `+2`, `-`, atom class `:n`), bonds `- = # $ : / \`, branches, ring closures `0`–`9`,
/// `%nn` and `%(n…)`, dot-separated components, and RDKit's dative bonds `->` and `<-`. The
/// first syntax error stops reading, with RDKit's acceptance rules where OpenSMILES leaves a
/// choice (e.g. a ring closure's first bond symbol wins over a conflicting second one).
struct SMILESReader {
    /// A syntax error at a position of the string.
    struct SyntaxError: Error {
        /// Offset of the offending character (the string's length for "unexpected end").
        var position: Int
        /// What is wrong.
        var message: String
    }

    private let text: [Unicode.Scalar]
    private var index = 0
    private var graph = SMILESGraph()
    /// Bonded atoms of each atom, for the duplicate-bond check of ring closures.
    private var neighbours: [[Int]] = []

    /// A reader over `smiles`.
    init(_ smiles: String) {
        text = Array(smiles.unicodeScalars)
    }

    /// Element symbols (and the old IUPAC placeholders RDKit still reads) to atomic numbers.
    private static let atomicNumbers: [String: Int] = {
        var table: [String: Int] = [:]
        for (number, element) in ElementTable.elements.enumerated() where number > 0 {
            table[element.symbol] = number
        }
        for (name, number) in [("Uut", 113), ("Uuq", 114), ("Uup", 115), ("Uuh", 116),
                               ("Uus", 117), ("Uuo", 118)] {
            table[name] = number
        }
        return table
    }()

    /// Aromatic symbols allowed inside brackets, to atomic numbers.
    private static let aromaticBracketSymbols: [String: Int] = [
        "b": 5, "c": 6, "n": 7, "o": 8, "p": 15, "s": 16, "se": 34, "te": 52, "as": 33, "si": 14,
    ]

    /// Ranges of the numbered chirality classes (`@TH1`, `@AL2`, `@SP3`, `@TB20`, `@OH30`).
    private static let chiralityClasses: [String: ClosedRange<Int>] = [
        "TH": 1...2, "AL": 1...2, "SP": 1...3, "TB": 1...20, "OH": 1...30,
    ]

    private struct PendingBond {
        /// `nil` for `/` and `\`, which mark direction but keep the implicit order (RDKit
        /// keeps a directional bond between aromatic atoms aromatic).
        var order: SMILESGraph.BondOrder?
        /// `<-`: a dative bond from the next atom to the previous one.
        var reversed = false
        var position: Int
    }

    private struct OpenRing {
        var atom: Int
        var order: SMILESGraph.BondOrder?
        var position: Int
    }

    /// Reads the whole string.
    mutating func read() throws(SyntaxError) -> SMILESGraph {
        guard !text.isEmpty else { throw SyntaxError(position: 0, message: "empty SMILES") }
        var previous: Int?
        var branchOpenings: [(atom: Int, position: Int, atomCount: Int)] = []
        var pending: PendingBond?
        var rings: [Int: OpenRing] = [:]
        var afterBranchOpening = false
        var lastDot: Int?
        while index < text.count {
            let character = text[index]
            let position = index
            if character == "(" {
                guard let atom = previous else { throw error("branch without a preceding atom") }
                guard pending == nil else { throw error("bond symbol before '('") }
                guard !afterBranchOpening else { throw error("branch opens right after '('") }
                branchOpenings.append((atom, position, graph.atoms.count))
                afterBranchOpening = true
                index += 1
                continue
            }
            defer { afterBranchOpening = false }
            switch character {
            case ")":
                guard let opening = branchOpenings.popLast() else { throw error("unmatched ')'") }
                guard previous != nil else { throw error("')' right after '.'") }
                guard pending == nil else { throw error("bond symbol before ')'") }
                guard graph.atoms.count > opening.atomCount else {
                    throw error("branch without an atom")
                }
                previous = opening.atom
                index += 1
            case ".":
                guard previous != nil, !afterBranchOpening else {
                    throw error("'.' without a preceding atom")
                }
                guard pending == nil else { throw error("bond symbol before '.'") }
                previous = nil
                lastDot = position
                index += 1
            case "-", "=", "#", "$", ":", "/", "\\", "<":
                guard previous != nil else { throw error("bond symbol without a preceding atom") }
                guard pending == nil else { throw error("two bond symbols in a row") }
                var order = character == "/" || character == "\\" ? nil : Self.order(of: character)
                var reversed = false
                if character == "-" && peek(1) == ">" {
                    order = .dative
                    index += 1
                } else if character == "<" {
                    guard peek(1) == "-" else { throw error("'<' not followed by '-'") }
                    order = .dative
                    reversed = true
                    index += 1
                }
                pending = PendingBond(order: order, reversed: reversed, position: position)
                index += 1
            case "0"..."9", "%":
                guard let atom = previous, !afterBranchOpening else {
                    throw error("ring-closure number without a preceding atom")
                }
                let number = try readRingNumber()
                if let open = rings.removeValue(forKey: number) {
                    guard open.atom != atom else {
                        throw SyntaxError(
                            position: position,
                            message: "ring closure \(number) bonds an atom to itself")
                    }
                    guard !bonded(open.atom, atom) else {
                        throw SyntaxError(
                            position: position, message: "ring closure \(number) duplicates a bond")
                    }
                    let order = open.order ?? pending?.order ?? implicitOrder(open.atom, atom)
                    addBond(
                        SMILESGraph.Bond(first: open.atom, second: atom, order: order,
                                         position: pending?.position ?? position))
                } else {
                    rings[number] = OpenRing(atom: atom, order: pending?.order, position: position)
                }
                pending = nil
            default:
                let atom = try readAtom()
                let atomIndex = graph.atoms.count
                graph.atoms.append(atom)
                neighbours.append([])
                if let previousAtom = previous {
                    let reversed = pending?.reversed ?? false
                    addBond(
                        SMILESGraph.Bond(
                            first: reversed ? atomIndex : previousAtom,
                            second: reversed ? previousAtom : atomIndex,
                            order: pending?.order ?? implicitOrder(previousAtom, atomIndex),
                            position: pending?.position ?? position))
                } else {
                    graph.componentCount += 1
                }
                pending = nil
                previous = atomIndex
            }
        }
        if let pending {
            throw SyntaxError(position: pending.position, message: "bond symbol at the end")
        }
        if let opening = branchOpenings.last {
            throw SyntaxError(position: opening.position, message: "unclosed branch '('")
        }
        if let (number, open) = rings.min(by: { $0.value.position < $1.value.position }) {
            throw SyntaxError(position: open.position, message: "unclosed ring \(number)")
        }
        if previous == nil, let lastDot {
            throw SyntaxError(position: lastDot, message: "'.' at the end")
        }
        return graph
    }

    private func error(_ message: String) -> SyntaxError {
        SyntaxError(position: index, message: message)
    }

    private static func order(of symbol: Unicode.Scalar) -> SMILESGraph.BondOrder {
        switch symbol {
        case "=": .double
        case "#": .triple
        case "$": .quadruple
        case ":": .aromatic
        default: .single
        }
    }

    private func bonded(_ first: Int, _ second: Int) -> Bool {
        neighbours[first].contains(second)
    }

    /// Appends a bond and records the two atoms as neighbours.
    private mutating func addBond(_ bond: SMILESGraph.Bond) {
        graph.bonds.append(bond)
        neighbours[bond.first].append(bond.second)
        neighbours[bond.second].append(bond.first)
    }

    /// A bond without a symbol is aromatic between two aromatic atoms, single otherwise.
    private func implicitOrder(_ first: Int, _ second: Int) -> SMILESGraph.BondOrder {
        graph.atoms[first].isAromatic && graph.atoms[second].isAromatic ? .aromatic : .single
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < text.count ? text[index + offset] : nil
    }

    private static func isDigit(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return ("0"..."9").contains(scalar)
    }

    private static func isLowercase(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return ("a"..."z").contains(scalar)
    }

    /// Reads up to `limit` decimal digits (at least one).
    private mutating func readDigits(limit: Int, what: String) throws(SyntaxError) -> (Int, Int) {
        var value = 0
        var count = 0
        while count < limit, Self.isDigit(peek()) {
            value = value * 10 + Int(peek()!.value - 48)
            count += 1
            index += 1
        }
        guard count > 0 else { throw error("expected digits in \(what)") }
        return (value, count)
    }

    /// `d`, `%dd` or `%(d…)`.
    private mutating func readRingNumber() throws(SyntaxError) -> Int {
        if peek() == "%" {
            index += 1
            if peek() == "(" {
                index += 1
                let (value, _) = try readDigits(limit: 5, what: "ring number")
                guard peek() == ")" else { throw error("expected ')' after ring number") }
                index += 1
                return value
            }
            guard Self.isDigit(peek()), Self.isDigit(peek(1)) else {
                throw error("'%' must be followed by two digits")
            }
            let number = try readDigits(limit: 2, what: "ring number").0
            guard number > 0 else { throw error("ring number %00") }
            return number
        }
        return try readDigits(limit: 1, what: "ring number").0
    }

    private mutating func readAtom() throws(SyntaxError) -> SMILESGraph.Atom {
        let position = index
        let character = text[index]
        if character == "[" { return try readBracketAtom() }
        var atom = SMILESGraph.Atom(
            atomicNumber: 0, isAromatic: false, isBracket: false, isotope: 0, bracketHydrogens: 0,
            charge: 0, atomClass: nil, chirality: nil, position: position)
        index += 1
        switch character {
        case "*": atom.atomicNumber = 0
        case "B":
            if peek() == "r" { index += 1; atom.atomicNumber = 35 } else { atom.atomicNumber = 5 }
        case "C":
            if peek() == "l" { index += 1; atom.atomicNumber = 17 } else { atom.atomicNumber = 6 }
        case "N": atom.atomicNumber = 7
        case "O": atom.atomicNumber = 8
        case "P": atom.atomicNumber = 15
        case "S": atom.atomicNumber = 16
        case "F": atom.atomicNumber = 9
        case "I": atom.atomicNumber = 53
        case "b", "c", "n", "o", "p", "s":
            atom.atomicNumber = Self.aromaticBracketSymbols[String(character)]!
            atom.isAromatic = true
        default:
            index = position
            throw error("unexpected character '\(character.escaped(asASCII: true))'")
        }
        return atom
    }

    private mutating func readBracketAtom() throws(SyntaxError) -> SMILESGraph.Atom {
        let position = index
        index += 1  // `[`
        var atom = SMILESGraph.Atom(
            atomicNumber: 0, isAromatic: false, isBracket: true, isotope: 0, bracketHydrogens: 0,
            charge: 0, atomClass: nil, chirality: nil, position: position)
        if Self.isDigit(peek()) {
            let (isotope, count) = try readDigits(limit: 4, what: "isotope")
            guard count == 1 || text[position + 1] != "0" else {
                throw SyntaxError(position: position + 1, message: "isotope with a leading zero")
            }
            atom.isotope = isotope
        }
        try readElement(into: &atom)
        if peek() == "@" { atom.chirality = try readChirality() }
        if peek() == "H" {
            index += 1
            atom.bracketHydrogens = Self.isDigit(peek()) ? Int(text[index].value - 48) : 1
            if Self.isDigit(peek()) { index += 1 }
        }
        if let sign = peek(), sign == "+" || sign == "-" {
            let unit = sign == "+" ? 1 : -1
            index += 1
            if peek() == sign {
                index += 1
                atom.charge = 2 * unit
            } else if Self.isDigit(peek()) {
                atom.charge = unit * (try readDigits(limit: 2, what: "charge").0)
            } else {
                atom.charge = unit
            }
        }
        if peek() == ":" {
            index += 1
            let start = index
            let (value, count) = try readDigits(limit: 9, what: "atom class")
            if count > 1, text[start] == "0" {
                index = start
                throw error("atom class with a leading zero")
            }
            atom.atomClass = value
        }
        guard peek() == "]" else {
            throw peek() == nil
                ? SyntaxError(position: position, message: "unclosed bracket atom '['")
                : error("unexpected character in bracket atom")
        }
        index += 1
        return atom
    }

    private mutating func readElement(into atom: inout SMILESGraph.Atom) throws(SyntaxError) {
        guard let first = peek() else { throw error("unclosed bracket atom '['") }
        if first == "*" {
            index += 1
            return
        }
        if Self.isLowercase(first) {
            if let second = peek(1), Self.isLowercase(second),
                let number = Self.aromaticBracketSymbols[String(first) + String(second)]
            {
                index += 2
                atom.atomicNumber = number
            } else if let number = Self.aromaticBracketSymbols[String(first)] {
                index += 1
                atom.atomicNumber = number
            } else {
                throw error("unknown aromatic symbol")
            }
            atom.isAromatic = true
            return
        }
        for length in [3, 2, 1] where index + length <= text.count {
            let symbol = String(String.UnicodeScalarView(text[index..<index + length]))
            if let number = Self.atomicNumbers[symbol] {
                index += length
                atom.atomicNumber = number
                return
            }
        }
        throw error("unknown element symbol")
    }

    private mutating func readChirality() throws(SyntaxError) -> String {
        index += 1  // `@`
        if peek() == "@" {
            index += 1
            return "@@"
        }
        if let first = peek(), let second = peek(1) {
            let name = String(first) + String(second)
            if let range = Self.chiralityClasses[name] {
                index += 2
                guard Self.isDigit(peek()) else { return "@\(name)" }
                let (value, _) = try readDigits(limit: 2, what: "chirality class @\(name)")
                guard range.contains(value) else {
                    throw error("chirality class @\(name)\(value) out of range")
                }
                return "@\(name)\(value)"
            }
        }
        return "@"
    }
}
