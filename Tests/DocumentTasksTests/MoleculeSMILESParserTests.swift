import DocumentModel
import DocumentTasks
import Testing
import PaliTestSupport

@Suite struct MoleculeSMILESParserTests {
    @Test func aspirin() {
        let molecule = SMILESParser.molecule(from: "CC(=O)Oc1ccccc1C(=O)O")
        #expect(molecule.isValid && molecule.problems.isEmpty)
        #expect(molecule.formula == "C9H8O4")
        #expect(abs((molecule.averageWeight ?? 0) - 180.159) < 1e-3)
        #expect(molecule.atomCount == 13 && molecule.bondCount == 13)
        #expect(molecule.componentCount == 1 && molecule.charge == 0)
        #expect(molecule.smiles == molecule.text)
    }

    @Test(arguments: [
        ("[NH4+].[NH4+].[O-]S([O-])(=O)=O", "H8N2O4S", 3, 0),
        ("[13CH4]", "CH4", 1, 0),
        ("C[N+](C)(C)CC(=O)[O-]", "C5H11NO2", 1, 0),
        ("[Fe+2].[Cl-].[Cl-]", "Cl2Fe", 3, 0),
        ("[O-]C(=O)c1ccccc1", "C7H5O2-", 1, -1),
        ("[Cu+2]", "Cu+2", 1, 2),
        ("C%12CC%12", "C3H6", 1, 0),
        ("N[C@@H](C)C(=O)O", "C3H7NO2", 1, 0),
        ("[C@TH2]([H])(F)(Cl)Br", "CHBrClF", 1, 0),
        ("F[S@OH12](F)(F)(F)(F)F", "F6S", 1, 0),
        ("[CH3:7]C", "C2H6", 1, 0),
        ("c1cc[nH]c1", "C4H5N", 1, 0),
        ("c1cc[se]c1", "C4H4Se", 1, 0),
        ("F/C=C\\F", "C2H2F2", 1, 0),
        ("C$C", "C2", 1, 0),
    ] as [(String, String, Int, Int)])
    func validFormulaComponentsAndCharge(
        smiles: String, formula: String, components: Int, charge: Int
    ) {
        let molecule = SMILESParser.molecule(from: smiles)
        #expect(molecule.problems == [])
        #expect(molecule.formula == formula)
        #expect(molecule.componentCount == components && molecule.charge == charge)
    }

    @Test(arguments: [
        ("C1CC", 1, "unclosed ring 1"),
        ("CC(C", 2, "unclosed branch '('"),
        ("CC)C", 2, "unmatched ')'"),
        ("C[CH3", 1, "unclosed bracket atom '['"),
        ("C[Xx]", 2, "unknown element symbol"),
        ("C==C", 2, "two bond symbols in a row"),
        ("C11", 2, "ring closure 1 bonds an atom to itself"),
        ("C12CC12", 6, "ring closure 2 duplicates a bond"),
        ("CC.", 2, "'.' at the end"),
        ("C()C", 2, "branch without an atom"),
        ("C%1C", 2, "'%' must be followed by two digits"),
        ("[C@TH3]", 6, "chirality class @TH3 out of range"),
        ("[CH3:]", 5, "expected digits in atom class"),
        ("C?", 1, "unexpected character '?'"),
        ("CC(C)(C)(C)(C)C", 1, "valence 6 of C exceeds the allowed 4"),
        ("O=O=O", 2, "valence 4 of O exceeds the allowed 2"),
        ("c1ccnc1", 0, "aromatic system cannot be kekulised"),
        ("cC", 0, "aromatic atom is not in a ring"),
    ] as [(String, Int, String)])
    func invalidStringsAreKeptWithPositions(smiles: String, position: Int, message: String) {
        let molecule = SMILESParser.molecule(from: smiles)
        #expect(!molecule.isValid && molecule.smiles == smiles)
        #expect(molecule.formula == nil && molecule.averageWeight == nil)
        let problem = molecule.problems.first
        #expect(problem?.message.hasPrefix(message) == true, "\(molecule.problems)")
        #expect(problem?.position == position)
    }

    @Test func whitespaceEndsTheSMILESLikeRDKit() {
        let molecule = SMILESParser.molecule(from: "  CCO ethanol")
        #expect(molecule.smiles == "CCO" && molecule.text == "  CCO ethanol" && molecule.isValid)
        let empty = SMILESParser.molecule(from: " \n")
        #expect(!empty.isValid && empty.problems.first?.message == "empty SMILES")
    }

    /// Seeded random strings over the SMILES alphabet and truncations of real molecules never
    /// crash the parser, and validity always matches the problem list.
    @Test func randomAndTruncatedInputNeverCrashes() {
        var generator = SeededRandom(seed: 42)
        let alphabet = Array("CNOSPFBrIclnosp()[]=#$:-+@H0123456789%/\\.*:<>")
        for _ in 0..<3000 {
            let length = Int(generator.next() % 40)
            let text = String((0..<length).map { _ in
                alphabet[Int(generator.next() % UInt64(alphabet.count))]
            })
            let molecule = SMILESParser.molecule(from: text)
            #expect(molecule.isValid == molecule.problems.isEmpty)
        }
        // Every cut of morphine that leaves a ring or branch open is flagged.
        let drug = "CN1CC[C@]23c4c5ccc(O)c4O[C@H]2[C@@H](O)C=C[C@H]3[C@H]1C5"
        for cut in 4..<drug.count {
            #expect(!SMILESParser.molecule(from: String(drug.prefix(cut))).isValid)
        }
        // A 2,999-atom aromatic ring cannot be kekulised (odd); the search must not hang.
        let odd = SMILESParser.molecule(from: "c1" + String(repeating: "c", count: 2998) + "1")
        let even = SMILESParser.molecule(from: "c1" + String(repeating: "c", count: 2999) + "1")
        #expect(odd.atomCount == 2999 && even.atomCount == 3000)
        #expect(!odd.isValid && even.isValid)
    }
}
