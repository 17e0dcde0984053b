import Foundation
import PaliTestSupport
import Testing

/// A copy of the built binary, run from a folder far from any checkout, still has the
/// shipped pipelines (built in), and user files on the search path override them.
@Suite struct InstalledBinaryTests {
    /// `<temp>/prefix/bin/palidoc`, a working folder and a home, with no pipeline files.
    struct Install {
        let temp: TemporaryDirectory
        var binary: URL { temp.file("prefix/bin/palidoc") }
        var work: URL { temp.file("work") }
        var home: URL { temp.file("home") }

        init() throws {
            temp = try TemporaryDirectory("installed")
            for folder in [binary.deletingLastPathComponent(), work, home] {
                try FileManager.default.createDirectory(
                    at: folder, withIntermediateDirectories: true)
            }
            try Self.copyClosingOnExec(PalidocProcess.executable, to: binary)
        }

        /// Writes a copy of `source` (mode 755) through a descriptor marked close-on-exec:
        /// a process another test starts while the copy is written (a PostgreSQL server, a
        /// worker) would otherwise keep it open for writing for its whole life, and running the
        /// copy would fail with ETXTBSY until that process ends.
        static func copyClosingOnExec(_ source: URL, to target: URL) throws {
            let bytes = try Data(contentsOf: source)
            let fd = open(target.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
            guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            defer { close(fd) }
            try bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                    guard written > 0 else {
                        throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                    }
                    offset += written
                }
            }
        }

        /// Runs the copy in `work` with only `home` for user settings. A process that another
        /// test forks while the copy is being written holds it open for writing until that
        /// process execs, and running the copy fails with ETXTBSY meanwhile: tried again.
        func run(_ arguments: [String]) throws -> PalidocProcess.Result {
            var attempt = 1
            while true {
                let process = Process()
                process.executableURL = binary
                process.arguments = arguments
                var environment = ProcessInfo.processInfo.environment
                environment["PALIDOC_PIPELINES"] = nil
                environment["XDG_CONFIG_HOME"] = nil
                environment["PALIDOC_MODEL"] = nil
                environment["HOME"] = home.path
                process.environment = environment
                process.currentDirectoryURL = work
                do {
                    return try process.runCapturingOutput()
                } catch let error as NSError where attempt < 100 && Self.isTextFileBusy(error) {
                    attempt += 1
                    usleep(50_000)
                }
            }
        }

        /// Whether launching failed because the executable is open for writing.
        static func isTextFileBusy(_ error: NSError) -> Bool {
            let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError
            return [error, underlying].contains {
                $0?.domain == NSPOSIXErrorDomain && $0?.code == Int(ETXTBSY)
            }
        }
    }

    static func listing(_ result: PalidocProcess.Result) throws -> [String: [String: Any]] {
        let array = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: array.map { ($0["name"] as! String, $0) })
    }

    @Test func copiedBinaryFindsTheShippedPipelines() throws {
        let install = try Install()
        let result = try install.run(["pipelines", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let listing = try Self.listing(result)
        #expect(listing.keys.sorted() == ["default", "molecules", "music", "ocr", "tables"])
        for (name, entry) in listing {
            #expect(entry["origin"] as? String == "built-in", "\(name)")
            #expect((entry["description"] as? String)?.isEmpty == false, "\(name)")
        }
        // The built-in default pipeline converts a document.
        let png = install.work.appendingPathComponent("page.png")
        try FileManager.default.copyItem(at: FixturePaths.fixture("ingest/rgba.png"), to: png)
        let convert = try install.run([
            "convert", "page.png", "--out", "out", "--progress", "none", "--model",
            FixturePaths.fixture("paligemma2-tiny").path,
        ])
        #expect(convert.status == 0, "\(convert.stderr)")
        #expect(
            FileManager.default.fileExists(
                atPath: install.work.appendingPathComponent("out/page/page.md").path))
        let missing = try install.run(["convert", "page.png", "--out", "o", "--pipeline", "x"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("available: default, molecules, music, ocr, tables"))
    }

    @Test func userFilesOverrideBuiltInPipelines() throws {
        let install = try Install()
        let folder = install.home.appendingPathComponent(".config/palidoc/pipelines")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "description: my own\ntasks: [caption]\n".write(
            to: folder.appendingPathComponent("ocr.yaml"), atomically: true, encoding: .utf8)
        let listing = try Self.listing(try install.run(["pipelines", "--json"]))
        let ocr = try #require(listing["ocr"])
        #expect(ocr["origin"] as? String == "file")
        #expect(ocr["description"] as? String == "my own")
        #expect(ocr["overridesBuiltIn"] as? Bool == true)
        #expect(
            (ocr["path"] as? String).map { URL(fileURLWithPath: $0).resolvingSymlinksInPath() }
                == folder.appendingPathComponent("ocr.yaml").resolvingSymlinksInPath())
        #expect(listing["tables"]?["origin"] as? String == "built-in")
        let text = try install.run(["pipelines"])
        #expect(text.stdout.contains("my own ["), "\(text.stdout)")
        #expect(text.stdout.contains("overrides the built-in one]"))
    }

    /// `make install` installs these: bash, zsh and fish completion scripts.
    @Test func completionScriptsAreGenerated() throws {
        let install = try Install()
        for shell in ["bash", "zsh", "fish"] {
            let result = try install.run(["--generate-completion-script", shell])
            #expect(result.status == 0)
            #expect(result.stdout.contains("pipelines"), "\(shell)")
            #expect(result.stdout.contains("strict"), "\(shell)")
        }
    }
}
