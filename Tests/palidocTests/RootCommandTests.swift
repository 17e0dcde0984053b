import PaliTestSupport
import Testing

@Suite struct RootCommandTests {
    @Test func printsVersionAndHelp() throws {
        let version = try PalidocProcess.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
        let help = try PalidocProcess.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: palidoc"))
    }

    @Test func unknownSubcommandIsAUsageError() throws {
        let result = try PalidocProcess.run(["no-such-command"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("Error"))
    }
}
