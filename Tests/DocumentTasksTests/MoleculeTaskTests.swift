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
}
