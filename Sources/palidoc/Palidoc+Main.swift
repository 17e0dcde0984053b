import ArgumentParser
import Foundation

extension Palidoc {
    /// Runs the command line, with exit status 2 for usage errors (bad or missing flags and
    /// arguments) instead of ArgumentParser's 64, as the README documents.
    static func main() async {
        BLASCoreSelection.restartIfNeeded()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
