import DocumentModel
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes molecules as a SMILES file (`.smi`): one line `SMILES<TAB>name` per valid molecule.
/// Invalid molecules are kept as comment lines `# invalid<TAB>SMILES<TAB>name<TAB>reasons`,
/// which readers skip (RDKit: `SmilesMolSupplier(path, delimiter="\t", titleLine=False)` reads
/// exactly the valid ones), so nothing the model said is lost. Tabs and line breaks inside
/// names and reasons become spaces. Files are written atomically (temporary file in the same
/// directory, then rename).
public enum SMILESWriter {
    /// One molecule and the name it gets in the file (e.g. `page3-tile2`).
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

    /// A file that could not be written.
    public struct WriteError: Error, CustomStringConvertible {
        /// The destination path.
        public var file: String
        /// Why it failed.
        public var reason: String
        /// `file: reason`.
        public var description: String { "\(file): \(reason)" }
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
    public static func write(_ entries: [Entry], to url: URL) throws(WriteError) {
        try writeAtomically(render(entries), to: url)
    }

    private static func oneLine(_ text: String) -> String {
        String(text.map { $0 == "\t" || $0.isNewline ? " " : $0 })
    }

    /// Writes to a hidden temporary file beside `url`, then renames it over `url`, so readers
    /// never see a partial file.
    private static func writeAtomically(_ text: String, to url: URL) throws(WriteError) {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try Data(text.utf8).write(to: temporary)
        } catch {
            throw WriteError(file: url.path, reason: "cannot write: \(error.localizedDescription)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(file: url.path, reason: "cannot rename into place: \(reason)")
        }
    }
}
