import Testing
import PaliTestSupport

@testable import PaliTokenizer

/// The hash table, trie and word-boundary rule against plain versions on seeded random data.
@Suite struct BuildingBlockTests {
    @Test func pieceTableAgreesWithADictionary() {
        var random = SeededRandom(seed: 1)
        var table = PieceTable(expectedCount: 4)
        var reference: [[UInt8]: Int32] = [:]
        for value in 0..<3000 {
            let key = random.bytes(maxLength: 12)
            let added = table.insertIfAbsent(key, value: Int32(value))
            #expect(added == (reference[key] == nil))
            if reference[key] == nil { reference[key] = Int32(value) }
        }
        #expect(table.count == reference.count)
        for _ in 0..<5000 {
            let key = random.bytes(maxLength: 14)
            #expect(table.lookup(key) == reference[key])
        }
    }

    @Test func prefixTrieFindsTheLongestKey() {
        var random = SeededRandom(seed: 2)
        var trie = PrefixTrie()
        var keys: [[UInt8]: Int32] = [:]
        for value in 0..<200 {
            let key = random.bytes(maxLength: 5)
            trie.insert(key, value: Int32(value))
            keys[key] = Int32(value)
        }
        for _ in 0..<2000 {
            let text = random.bytes(maxLength: 10)
            let expected = (1...text.count).reversed().lazy
                .compactMap { length in keys[Array(text.prefix(length))].map { (length, $0) } }
                .first
            let found = text.withUnsafeBufferPointer {
                trie.longestMatch(in: $0, from: 0, to: $0.count)
            }
            #expect(found?.length == expected?.0 && found?.value == expected?.1)
        }
    }

    @Test func wordBoundariesAreOnlyUsedWhenNoPieceCrossesThem() {
        let space = SentencePieceNormalizer.spaceSymbol
        let word = Array("word".utf8)
        #expect(SpaceBoundary.isUncrossable(by: [space + word, space + space, word, space]))
        #expect(!SpaceBoundary.isUncrossable(by: [word + space]))
        #expect(!SpaceBoundary.isUncrossable(by: [space + word + space + word]))
        #expect(!SpaceBoundary.isUncrossable(by: [space + space + word + space]))
    }

    @Test func jsonKeepsCanonicallyEquivalentKeysApart() throws {
        let text = #"{"v": {"\u00e9": 1, "e\u0301": 2, "x": [true, null, -1.5e2, "\ud83d\ude00"]}}"#
        let value = try JSONValue(parsing: Array(text.utf8))
        let members = try #require(value["v"]?.members)
        #expect(
            members.map { Array($0.key.unicodeScalars) } == [["\u{E9}"], ["e", "\u{301}"], ["x"]])
        #expect(members.map { $0.value.integer } == [1, 2, nil])
        let array = try #require(value["v"]?["x"]?.array)
        #expect(array[0].bool == true && array[1].isNull && array[3].string == "😀")
        if case .number(let number) = array[2] { #expect(number == -150) } else { Issue.record() }
        for broken in ["{", "[1,]", "{\"a\" 1}", "\"\\x\"", "01x", "[1] 2", "\"\u{1}\""] {
            #expect(throws: JSONValue.Failure.self) { try JSONValue(parsing: Array(broken.utf8)) }
        }
    }
}
