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
        try "x".write(to: directory.file("file"), atomically: true, encoding: .utf8)
        let unwritable = directory.file("file/molecules.smi")
        #expect {
            try SMILESWriter.write(Self.entries, to: unwritable)
        } throws: { error in
            (error as? ExportError)?.file == unwritable.path
        }
    }

    @Test func documentMoleculesGoToOneFileNamedByPageAndTile() throws {
        let directory = try TemporaryDirectory("smiles")
        let document = SampleDocument.musicAndMolecules()
        let files = try SMILESWriter.write(document, to: directory.url, stem: "science")
        #expect(files == [directory.url.appendingPathComponent("science.smi")])
        let text = try String(contentsOf: files[0], encoding: .utf8)
        #expect(text.hasPrefix("Cn1c(=O)c2c(ncn2C)n(C)c1=O\tscience-p2-t0\n# invalid\tC1CC(<\t"))
        Snapshot.check(text, named: "science.smi")
        #expect(try SMILESWriter.write(SampleDocument.make(), to: directory.url, stem: "x") == [])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
                == ["science.smi"])
    }

    @Test func repeatedPageAndTileNamesAreNumbered() {
        let tile = Tile(index: 3, rect: PixelRect(x: 0, y: 0, width: 10, height: 10))
        var region = MoleculeTask().parse("C", tile: tile, page: 1)
        region.molecules.append(MoleculeTask().parse("O"))
        var whole = MoleculeTask().parse("N", tile: tile, page: 1)
        whole.tile = nil
        let document = Document(
            source: SourceFile(path: "m.png", format: "png"),
            pages: [Page(number: 1, width: 10, height: 10, regions: [region, region, whole])])
        #expect(
            SMILESWriter.entries(in: document, stem: "m").map(\.name)
                == ["m-p1-t3", "m-p1-t3-2", "m-p1-t3-3", "m-p1-t3-4", "m-p1"])
    }
}
