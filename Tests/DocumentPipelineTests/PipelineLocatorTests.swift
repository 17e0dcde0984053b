import Foundation
import PaliTestSupport
import Testing

@testable import DocumentPipeline

@Suite struct PipelineLocatorTests {
    /// A fake install: `<root>/repo/.build/debug/palidoc`, `<root>/repo/pipelines/*.yaml`,
    /// `<root>/custom/*.yaml`, `<root>/config/palidoc/pipelines/*.yaml`.
    struct Tree {
        let folder: TemporaryDirectory
        var root: URL { folder.url }
        var binary: URL { root.appendingPathComponent("repo/.build/debug/palidoc") }

        init() throws {
            folder = try TemporaryDirectory("locator")
            let files = [
                "repo/pipelines/default.yaml", "repo/pipelines/ocr.yaml", "custom/ocr.yaml",
                "custom/mine.yaml", "config/palidoc/pipelines/cfg.yaml",
                "prefix/share/palidoc/pipelines/installed.yaml",
            ]
            for path in files {
                let url = root.appendingPathComponent(path)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try "tasks: [ocr]\n".write(to: url, atomically: true, encoding: .utf8)
            }
            try FileManager.default.createDirectory(
                at: binary.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data().write(to: binary)
        }
    }

    @Test func namesFollowTheSearchOrder() throws {
        let tree = try Tree()
        let locator = PipelineLocator(
            executable: tree.binary,
            environment: [
                "PALIDOC_PIPELINES": tree.root.appendingPathComponent("custom").path,
                "XDG_CONFIG_HOME": tree.root.appendingPathComponent("config").path,
            ])
        #expect(
            try locator.locate("ocr").path
                == tree.root.appendingPathComponent("custom/ocr.yaml").path)
        #expect(try locator.locate("mine").lastPathComponent == "mine.yaml")
        #expect(try locator.locate("cfg").path.hasSuffix("config/palidoc/pipelines/cfg.yaml"))
        #expect(try locator.locate("default").path.hasSuffix("repo/pipelines/default.yaml"))
        #expect(locator.availableNames() == ["cfg", "default", "mine", "ocr"])
        #expect(try locator.load("mine").name == "mine")
    }

    @Test func installedPrefixIsSearched() throws {
        let tree = try Tree()
        let binary = tree.root.appendingPathComponent("prefix/bin/palidoc")
        try FileManager.default.createDirectory(
            at: binary.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data().write(to: binary)
        let locator = PipelineLocator(executable: binary, environment: [:])
        #expect(
            try locator.locate("installed").path.hasSuffix("share/palidoc/pipelines/installed.yaml")
        )
    }

    @Test func pathsAreFiles() throws {
        let tree = try Tree()
        let locator = PipelineLocator(executable: tree.binary, environment: [:])
        let file = tree.root.appendingPathComponent("custom/mine.yaml").path
        #expect(try locator.locate(file).path == file)
        #expect(throws: PipelineDefinitionError.self) { try locator.locate("/nowhere/x.yaml") }
        #expect(throws: PipelineDefinitionError.self) {
            try locator.locate(tree.root.appendingPathComponent("custom").path)
        }
    }

    @Test func missingNameListsWhatExists() throws {
        let tree = try Tree()
        let locator = PipelineLocator(executable: tree.binary, environment: [:])
        let error = #expect(throws: PipelineDefinitionError.self) { try locator.locate("tabels") }
        #expect(error?.file == "tabels")
        #expect(error?.reason.contains("available: default, molecules, music, ocr, tables") == true)
        #expect(
            error?.reason.contains(tree.root.appendingPathComponent("repo/pipelines").path) == true)
    }

    /// The shipped files are built into the binary byte for byte; a name without a file on
    /// the search path loads the built-in one, a file of the same name wins.
    @Test func shippedPipelinesAreBuiltIn() throws {
        let folder = FixturePaths.repositoryRoot.appendingPathComponent("pipelines")
        let shipped = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
        #expect(BuiltinPipelines.names == shipped)
        #expect(shipped.count == 5)
        for name in shipped {
            let text = try String(
                contentsOf: folder.appendingPathComponent("\(name).yaml"), encoding: .utf8)
            #expect(BuiltinPipelines.yaml(named: name) == text)
        }
        let tree = try Tree()
        let locator = PipelineLocator(executable: tree.binary, environment: [:])
        #expect(try locator.resolve("tables") == .builtIn)
        #expect(try locator.load("tables").name == "tables")
        #expect(try locator.resolve("ocr") != .builtIn)
        let listing = locator.pipelines()
        #expect(listing.map(\.name) == ["default", "molecules", "music", "ocr", "tables"])
        #expect(listing.first { $0.name == "ocr" }?.overridesBuiltIn == true)
        #expect(listing.first { $0.name == "music" }?.origin == .builtIn)
        #expect(listing.allSatisfy { $0.problem == nil || $0.origin != .builtIn })
    }

    /// The test binary lives in this checkout's `.build`, so the shipped files are found by
    /// name.
    @Test func checkoutPipelinesAreFoundFromTheBuildFolder() throws {
        let locator = PipelineLocator(environment: [:])
        let url = try locator.locate("tables")
        #expect(
            url.standardizedFileURL.path
                == FixturePaths.repositoryRoot.appendingPathComponent("pipelines/tables.yaml")
                .standardizedFileURL.path)
    }
}
