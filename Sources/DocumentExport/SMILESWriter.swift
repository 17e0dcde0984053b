import DocumentModel
import Foundation

/// Writes molecules as a SMILES file (`.smi`): one line `SMILES<TAB>name` per valid molecule.
/// Invalid molecules are kept as comment lines `# invalid<TAB>SMILES<TAB>name<TAB>reasons`,
/// which readers skip (RDKit: `SmilesMolSupplier(path, delimiter="\t", titleLine=False)` reads
/// exactly the valid ones), so nothing the model said is lost. Tabs and line breaks inside
/// names and reasons become spaces. Files are written atomically (`AtomicFile`).
public enum SMILESWriter {
    /// One molecule and the name it gets in the file (e.g. `caffeine-p3-t2`).
    public struct Entry: Sendable, Hashable {
        /// Name written after the SMILES.
        public var name: String
        /// The molecule.
        public var molecule: Molecule

        /// An entry.
        public init(name: String, molecule: Molecule) {
            self.name = name
            self.molecule = molecule
        }
    }

    /// The file's text.
    public static func render(_ entries: [Entry]) -> String {
        var text = ""
        for entry in entries {
            let name = oneLine(entry.name)
            if entry.molecule.isValid {
                text += "\(entry.molecule.smiles)\t\(name)\n"
            } else {
                let reasons = entry.molecule.problems.map { problem in
                    problem.position.map { "at \($0): \(problem.message)" } ?? problem.message
                }
                text += "# invalid\t\(oneLine(entry.molecule.smiles))\t\(name)\t"
                    + oneLine(reasons.joined(separator: "; ")) + "\n"
            }
        }
        return text
    }

    /// Writes `render(entries)` to `url` atomically.
    public static func write(_ entries: [Entry], to url: URL) throws(ExportError) {
        try AtomicFile.write(render(entries), to: url)
    }

    /// Every molecule of `document`, in page and region order, named
    /// `<stem>-p<page>-t<tile>` (`<stem>-p<page>` for a region without a tile); a name that
    /// would repeat gets `-2`, `-3`, … in order.
    public static func entries(in document: Document, stem: String) -> [Entry] {
        var entries: [Entry] = []
        var uses: [String: Int] = [:]
        for page in document.pages {
            for region in page.regions {
                let base = "\(stem)-p\(page.number)" + (region.tile.map { "-t\($0)" } ?? "")
                for molecule in region.molecules {
                    uses[base, default: 0] += 1
                    let name = uses[base] == 1 ? base : "\(base)-\(uses[base]!)"
                    entries.append(Entry(name: name, molecule: molecule))
                }
            }
        }
        return entries
    }

    /// Writes every molecule of `document` (`entries(in:stem:)`) to `folder` as one
    /// `<stem>.smi`, atomically; returns the file, or nothing when the document has no
    /// molecules.
    @discardableResult
    public static func write(_ document: Document, to folder: URL, stem: String) throws(ExportError)
        -> [URL]
    {
        let entries = entries(in: document, stem: stem)
        guard !entries.isEmpty else { return [] }
        let url = folder.appendingPathComponent("\(stem).smi")
        try write(entries, to: url)
        return [url]
    }

    private static func oneLine(_ text: String) -> String {
        String(text.map { $0 == "\t" || $0.isNewline ? " " : $0 })
    }
}
