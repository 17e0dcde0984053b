import DocumentExport
import DocumentModel
import DocumentTasks
import Foundation
import PaliTestSupport
import Testing

@Suite struct SMILESWriterTests {
    static let entries = [
        SMILESWriter.Entry(
            name: "aspirin", molecule: MoleculeTask().parse("CC(=O)Oc1ccccc1C(=O)O")),
        SMILESWriter.Entry(name: "page 2\ttile 1", molecule: MoleculeTask().parse("C1CC")),
        SMILESWriter.Entry(name: "pyrrole-no-H", molecule: MoleculeTask().parse("c1ccnc1")),
        SMILESWriter.Entry(name: "salt", molecule: MoleculeTask().parse("[Na+].[Cl-]")),
        SMILESWriter.Entry(name: "empty", molecule: MoleculeTask().parse("  ")),
    ]

    @Test func snapshot() {
        #expect(SMILESWriter.render(Self.entries) == """
            CC(=O)Oc1ccccc1C(=O)O\taspirin
            # invalid\tC1CC\tpage 2 tile 1\tat 1: unclosed ring 1
            # invalid\tc1ccnc1\tpyrrole-no-H\tat 0: aromatic system cannot be kekulised \
            (no alternating single/double bond arrangement for the atoms at 0, 2, 3, 4, 5)
            [Na+].[Cl-]\tsalt
            # invalid\t\tempty\tat 0: empty SMILES

            """)
    }

    @Test func writesAtomicallyAndReadsBack() throws {
        let directory = try TemporaryDirectory("smiles")
        let file = directory.file("molecules.smi")
        try SMILESWriter.write(Self.entries, to: file)
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text == SMILESWriter.render(Self.entries))
        let valid = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(valid.count == 2)
        for line in valid {
            let fields = line.split(separator: "\t")
            let molecule = SMILESParser.molecule(from: String(fields[0]))
            let original = Self.entries.first { $0.name == fields[1] }?.molecule
            #expect(molecule.isValid && molecule.formula == original?.formula)
        }
        let listing = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        #expect(listing == ["molecules.smi"])
    }

    @Test func unwritablePathIsATypedError() throws {
        let directory = try TemporaryDirectory("smiles")
        let missing = directory.file("missing/molecules.smi")
        #expect(throws: SMILESWriter.WriteError.self) {
            try SMILESWriter.write(Self.entries, to: missing)
        }
    }
}
