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

    /// `../shared/<path>` beside the repository (design and reference material; present on
    /// developer machines and in CI, possibly absent elsewhere — check before use).
    public static func shared(_ path: String) -> URL {
        repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
            .appendingPathComponent(path)
    }
}
