import ArgumentParser
import Foundation
import PaliTokenizer

import Glibc

/// `palidoc tokenize`: text → Gemma token ids, or ids → text, with a chosen tokenizer.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Encode text to token ids, or decode token ids to text.",
        discussion: """
            Ids are printed comma-separated, in the form --decode reads. --benchmark encodes \
            the input repeatedly and prints the encoding speed instead.
            """)

    @Option(help: "A tokenizer.model, a tokenizer.json, or a checkpoint folder.")
    var tokenizer: String

    @Option(help: "Text to encode.")
    var text: String?

    @Option(help: "File whose bytes (UTF-8) to encode.")
    var file: String?

    @Option(help: "Comma-separated token ids to decode.")
    var decode: String?

    @Flag(help: "Print JSON: {\"ids\", \"pieces\"} when encoding, {\"text\"} when decoding.")
    var json = false

    @Flag(help: "Measure encoding speed of the input (build with -c release).")
    var benchmark = false

    func validate() throws {
        let inputs = [text, file, decode].compactMap { $0 }.count
        guard inputs == 1 else {
            throw ValidationError("give exactly one of --text, --file or --decode")
        }
        if benchmark && decode != nil {
            throw ValidationError("--benchmark measures encoding: use it with --text or --file")
        }
    }

    func run() throws {
        do {
            let tokenizer = try loadTokenizer()
            if let decode {
                try printDecoded(decode, with: tokenizer)
                return
            }
            let input = try inputBytes()
            if benchmark {
                printBenchmark(input, with: tokenizer)
            } else {
                try printEncoded(tokenizer.encode(utf8: input), with: tokenizer)
            }
        } catch let error as TokenizerError {
            throw Diagnostics.error(error.description)
        } catch let failure as Failure {
            throw Diagnostics.error(failure.message)
        }
    }

    /// A failure with its one-line message (`<file or flag>: <reason>`).
    private struct Failure: Error {
        let message: String
    }


    private func loadTokenizer() throws -> GemmaTokenizer {
        let url = URL(fileURLWithPath: tokenizer)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
            isDirectory.boolValue
        {
            return try GemmaTokenizer.load(directory: url)
        }
        if url.pathExtension.lowercased() == "json" {
            return try GemmaTokenizer(tokenizerJSON: url)
        }
        return try GemmaTokenizer(modelFile: url)
    }

    private func inputBytes() throws -> [UInt8] {
        if let text { return Array(text.utf8) }
        let path = file ?? ""
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            let exists = FileManager.default.fileExists(atPath: path)
            throw Failure(
                message: "\(path): cannot read: \(exists ? "unreadable" : "no such file")")
        }
    }

    private func printEncoded(_ ids: [Int], with tokenizer: GemmaTokenizer) throws {
        guard json else {
            print(ids.map(String.init).joined(separator: ","))
            return
        }
        struct Output: Encodable {
            let ids: [Int]
            let pieces: [String]
        }
        let pieces = ids.map { tokenizer.piece(of: $0) ?? "" }
        try printJSON(Output(ids: ids, pieces: pieces))
    }

    private func printDecoded(_ list: String, with tokenizer: GemmaTokenizer) throws {
        var ids: [Int] = []
        for field in list.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = field.trimmingCharacters(in: .whitespaces)
            guard let id = Int(trimmed) else {
                throw Failure(message: "--decode: \"\(trimmed)\" is not a token id")
            }
            ids.append(id)
        }
        let text = try tokenizer.decode(ids)
        if json {
            struct Output: Encodable { let text: String }
            try printJSON(Output(text: text))
        } else {
            print(text)
        }
    }

    private func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Encodes the input for at least a second (and at least three times) and prints the
    /// best wall-clock throughput, and the throughput in CPU time (what the speed would be on
    /// an idle core of a busy machine).
    private func printBenchmark(_ input: [UInt8], with tokenizer: GemmaTokenizer) {
        var bestWall = Double.infinity
        var bestCPU = Double.infinity
        var total = 0.0
        var runs = 0
        var tokens = 0
        while runs < 3 || total < 1 {
            let wall = Date()
            let cpu = Self.cpuSeconds()
            tokens = tokenizer.encode(utf8: input).count
            let cpuElapsed = Self.cpuSeconds() - cpu
            let wallElapsed = Date().timeIntervalSince(wall)
            bestWall = min(bestWall, wallElapsed)
            bestCPU = min(bestCPU, cpuElapsed)
            total += wallElapsed
            runs += 1
        }
        let megabytes = Double(input.count) / 1_000_000
        print(
            String(
                format:
                    "%d bytes, %d tokens, best of %d runs: %.3f s, %.2f MB/s (CPU time: %.2f MB/s)",
                input.count, tokens, runs, bestWall, megabytes / bestWall, megabytes / bestCPU))
    }

    private static func cpuSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
