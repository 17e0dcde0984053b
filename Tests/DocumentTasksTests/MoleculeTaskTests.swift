import DocumentModel
import DocumentTasks
import Testing

@Suite struct MoleculeTaskTests {
    @Test func defaultAndConfiguredPrompt() {
        #expect(MoleculeTask().prompt == MoleculeTask.defaultPrompt)
        #expect(MoleculeTask(prompt: "smiles").prompt == "smiles")
    }

    @Test(arguments: [
        ("CC(=O)O", "CC(=O)O"),
        ("  CC(=O)O \n", "CC(=O)O"),
        ("```smiles\nCC(=O)O\n```", "CC(=O)O"),
        ("```\nCC(=O)O\n```", "CC(=O)O"),
        ("```CC(=O)O```", "CC(=O)O"),
        ("SMILES: CC(=O)O", "CC(=O)O"),
        ("\"CC(=O)O\"", "CC(=O)O"),
        ("`CC(=O)O`", "CC(=O)O"),
        ("CC(=O)O acetic acid", "CC(=O)O"),
    ])
    func extractsTheSMILES(output: String, smiles: String) {
        let molecule = MoleculeTask().parse(output)
        #expect(molecule.smiles == smiles && molecule.text == output)
        #expect(molecule.isValid && molecule.formula == "C2H4O2")
    }

    @Test func garbageIsFlaggedNotDropped() {
        let molecule = MoleculeTask().parse("unreadable image")
        #expect(!molecule.isValid && molecule.smiles == "unreadable" && !molecule.problems.isEmpty)
        #expect(molecule.text == "unreadable image")
        let empty = MoleculeTask().parse("")
        #expect(!empty.isValid && empty.problems.count == 1)
    }

    let tile = Tile(index: 0, rect: PixelRect(x: 0, y: 0, width: 200, height: 200))

    @Test func regionHoldsTheMolecule() {
        let region = MoleculeTask().parse("CC(=O)O", tile: tile, page: 2)
        #expect(region.id == "p2-t0-molecule" && region.task == "molecule")
        #expect(region.box == tile.rect && region.prompt == MoleculeTask.defaultPrompt)
        #expect(region.molecules == [MoleculeTask().parse("CC(=O)O")] && region.issues.isEmpty)
        #expect(region.molecules[0].formula == "C2H4O2" && region.text == nil)
    }

    @Test func problemsAreUnreadableAtTheirOffsetInTheOutput() {
        // "C1CC" starts at scalar 8; the unclosed ring bond is its character 1.
        let syntax = MoleculeTask().parse("SMILES: C1CC", tile: tile, page: 1)
        #expect(syntax.issues.map(\.code) == ["smiles-syntax"])
        #expect(syntax.issues.map(\.severity) == [.unreadable])
        #expect(syntax.issues.map(\.offset) == [9])
        #expect(syntax.issues[0].message == "unclosed ring 1")
        let pentavalent = MoleculeTask().parse("```\nC(C)(C)(C)(C)C\n```", tile: tile, page: 1)
        #expect(pentavalent.issues.map(\.code) == ["smiles-chemistry"])
        #expect(pentavalent.hasUnreadableParts && pentavalent.molecules[0].charge == 0)
        // The SMILES starts after "```\n"; the over-bonded carbon is its first atom.
        #expect(pentavalent.issues.map(\.offset) == [4])
        #expect(pentavalent.issues[0].message == "valence 5 of C exceeds the allowed 4")
        let empty = MoleculeTask().parse("", tile: tile, page: 1)
        #expect(empty.issues.map(\.code) == ["smiles-syntax", "empty-output"])
        #expect(empty.molecules.count == 1 && !empty.molecules[0].isValid)
    }
}
