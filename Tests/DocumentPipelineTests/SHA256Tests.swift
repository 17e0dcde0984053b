import Foundation
import PaliTestSupport
import Testing

@testable import DocumentPipeline

@Suite struct SHA256Tests {
    /// FIPS 180-4 / NIST CSRC example vectors.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
                + "klmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ])
    func knownVectors(message: String, digest: String) {
        #expect(SHA256.hexDigest(of: Data(message.utf8)) == digest)
    }

    @Test func millionAs() {
        var hash = SHA256()
        let chunk = Data(repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hash.update(data: chunk) }
        #expect(
            hash.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Splitting the message anywhere (across block and padding boundaries) gives the same
    /// digest as hashing it at once.
    @Test func chunkingDoesNotMatter() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<1000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for length in [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 999] {
            let message = Array(bytes[0..<length])
            let whole = SHA256.hexDigest(of: Data(message))
            for split in Set([0, 1, length / 3, length / 2, max(0, length - 1), length])
            where split <= length {
                var hash = SHA256()
                hash.update(Array(message[0..<split]))
                hash.update(data: Data(message[split...]))
                #expect(hash.hexDigest() == whole, "length \(length), split \(split)")
            }
        }
    }

    /// A file larger than the 1 MiB read chunk, checked against coreutils' `sha256sum`.
    @Test func fileDigestMatchesSha256sum() throws {
        let folder = try TemporaryDirectory("sha")
        let file = folder.file("blob.bin")
        var generator = SystemRandomNumberGenerator()
        let words = (0..<(1 << 17) + 4096).map { _ in generator.next() as UInt64 }
        let data = words.withUnsafeBytes { Data($0) }.dropLast(5)
        try data.write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(
            decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let expected = String(output.prefix(64))
        #expect(try SHA256.hexDigest(ofFileAt: file) == expected)
        #expect(SHA256.hexDigest(of: data) == expected)
    }
}
