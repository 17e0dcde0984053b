import Foundation

/// Where the repository's committed files are, found from this source file's location so
/// tests work from any working directory and any build folder.
public enum FixturePaths {
    /// The repository root (the folder holding `Package.swift`).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // PaliTestSupport
        .deletingLastPathComponent()  // Sources
        .deletingLastPathComponent()

    /// `Tests/Fixtures/<name>`.
    public static func fixture(_ name: String) -> URL {
        repositoryRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(name)
    }

    /// The official ALTO 4.4 schema (Library of Congress), with the xlink schema it imports.
    public static let altoSchema = fixture("alto/alto-4-4.xsd")
}
