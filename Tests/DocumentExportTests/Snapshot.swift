import Foundation
import PaliTestSupport
import Testing

/// Exporter snapshots: `.snapshots/<name>` beside these tests (a dot folder, so SwiftPM
/// does not take the files for target sources). Set `PALIDOC_RECORD_SNAPSHOTS=1` to
/// (re)write them deliberately; otherwise a missing or different snapshot fails.
enum Snapshot {
    static let folder = FixturePaths.repositoryRoot
        .appendingPathComponent("Tests/DocumentExportTests/.snapshots")

    static func check(
        _ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let url = folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["PALIDOC_RECORD_SNAPSHOTS"] == "1" {
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try? text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record(
                "missing snapshot \(name); record with PALIDOC_RECORD_SNAPSHOTS=1",
                sourceLocation: sourceLocation)
            return
        }
        #expect(text == expected, "snapshot \(name) differs", sourceLocation: sourceLocation)
    }
}
