/// The BPE model of Hugging Face `tokenizers` (`models/bpe`): merges applied by rank
/// (lowest first, leftmost on ties) over the characters of one pre-tokenized word, with
/// byte fallback `<0xNN>` and optional fusing of unknown characters.
struct MergeRankBPE: Sendable {
    /// The vocabulary: token bytes → id.
    let vocabulary: PieceTable
    /// (left id << 32 | right id) → (rank, merged id).
    private let merges: [UInt64: (rank: Int32, id: Int32)]
    private let unknownID: Int32?
    private let fuseUnknown: Bool
    private let ignoreMerges: Bool
    /// The id of `<0xNN>` per byte when byte fallback is on and the token exists.
    private let byteIDs: [Int32?]
    /// The id of `▁` when merges provably stop at words (see `SpaceBoundary`).
    private let wordStartID: Int32?

    /// A model from its vocabulary (token → id), merges as token pairs in rank order, and
    /// options; throws a description of the first inconsistency.
    init(
        vocabulary tokens: [(token: String, id: Int)], merges mergeList: [(String, String)],
        unknownToken: String?, byteFallback: Bool, fuseUnknown: Bool, ignoreMerges: Bool
    ) throws(MergeRankBPE.Failure) {
        // Looked up by bytes: `String` equality would conflate "é" and "e\u{301}".
        var table = PieceTable(expectedCount: tokens.count)
        for (token, id) in tokens {
            guard id >= 0 && id <= Int(Int32.max) else {
                throw Failure(reason: "vocabulary id \(id) of \(token) is out of range")
            }
            table.insertIfAbsent(Array(token.utf8), value: Int32(id))
        }
        func id(_ token: String) -> Int32? { table.lookup(Array(token.utf8)) }
        var merges: [UInt64: (rank: Int32, id: Int32)] = [:]
        merges.reserveCapacity(mergeList.count)
        for (rank, pair) in mergeList.enumerated() {
            guard let left = id(pair.0), let right = id(pair.1) else {
                throw Failure(
                    reason: "merge \(rank) (\(pair.0) \(pair.1)) uses a token not in the vocabulary"
                )
            }
            guard let merged = id(pair.0 + pair.1) else {
                throw Failure(
                    reason: "merge \(rank) result \(pair.0 + pair.1) is not in the vocabulary")
            }
            let key = UInt64(UInt32(left)) << 32 | UInt64(UInt32(right))
            merges[key] = (Int32(rank), merged)  // a repeated pair: the last rank wins
        }
        if let unknownToken, id(unknownToken) == nil {
            throw Failure(reason: "unknown token \(unknownToken) is not in the vocabulary")
        }
        vocabulary = table
        self.merges = merges
        unknownID = unknownToken.flatMap(id)
        self.fuseUnknown = fuseUnknown
        self.ignoreMerges = ignoreMerges
        wordStartID =
            SpaceBoundary.isUncrossable(by: tokens.lazy.map { Array($0.token.utf8) })
            ? table.lookup(SentencePieceNormalizer.spaceSymbol) : nil
        byteIDs = (0...255).map { byte in
            byteFallback ? table.lookup(SentencePieceBPE.bytePiece(UInt8(byte))) : nil
        }
    }

    /// Why a vocabulary/merge list is inconsistent.
    struct Failure: Error {
        let reason: String
    }

    private struct Merge: HeapOrdered {
        var rank: Int32
        var position: Int32
        var id: Int32

        /// Lowest rank first; on a tie, the leftmost position.
        @inline(__always)
        func precedes(_ other: Merge) -> Bool {
            rank < other.rank || (rank == other.rank && position < other.position)
        }
    }

    /// Appends the ids of one word (valid UTF-8) to `output` (`BPE::merge_word` + `merge_all`).
    func encode(word: UnsafeBufferPointer<UInt8>, into output: inout [Int]) {
        guard !word.isEmpty else { return }
        if ignoreMerges, let id = vocabulary.lookup(word) {
            output.append(Int(id))
            return
        }
        var ids: [Int32] = []  // [symbols]
        ids.reserveCapacity(word.count)
        var pendingUnknown = false
        var position = 0
        while position < word.count {
            let size = min(word.count - position, UTF8Scan.announcedLength(word[position]))
            let character = UnsafeBufferPointer(rebasing: word[position..<(position + size)])
            position += size
            if let id = vocabulary.lookup(character) {
                if pendingUnknown, let unknownID {
                    ids.append(unknownID)
                    pendingUnknown = false
                }
                ids.append(id)
                continue
            }
            if character.allSatisfy({ byteIDs[Int($0)] != nil }) {
                // As `tokenizers` does, a pending unknown is not flushed before the bytes.
                for byte in character { ids.append(byteIDs[Int(byte)]!) }
                continue
            }
            guard let unknownID else { continue }
            if pendingUnknown && !fuseUnknown { ids.append(unknownID) }
            pendingUnknown = true
        }
        if pendingUnknown, let unknownID { ids.append(unknownID) }
        // Merge word by word where no merge can cross (same ids, smaller queues).
        var chunkStart = 0
        if let wordStartID {
            for i in 1..<max(ids.count, 1) where ids[i] == wordStartID && ids[i - 1] != wordStartID
            {
                mergeChunk(ids[chunkStart..<i], into: &output)
                chunkStart = i
            }
        }
        mergeChunk(ids[chunkStart...], into: &output)
    }

    private func mergeChunk(_ chunk: ArraySlice<Int32>, into output: inout [Int]) {
        var ids = Array(chunk)
        mergeAll(&ids)
        for id in ids where id >= 0 { output.append(Int(id)) }
    }

    /// `Word::merge_all`: merged-away symbols are marked -1.
    private func mergeAll(_ ids: inout [Int32]) {
        let count = ids.count
        guard count > 1 else { return }
        var prev = (0..<count).map { Int32($0) - 1 }  // [symbols]
        var next = (0..<count).map { $0 + 1 < count ? Int32($0 + 1) : -1 }  // [symbols]
        @inline(__always) func pairKey(_ left: Int32, _ right: Int32) -> UInt64 {
            UInt64(UInt32(left)) << 32 | UInt64(UInt32(right))
        }
        var queue = BinaryHeap<Merge>(capacity: count)
        for i in 0..<(count - 1) {
            if let merge = merges[pairKey(ids[i], ids[i + 1])] {
                queue.push(Merge(rank: merge.rank, position: Int32(i), id: merge.id))
            }
        }
        while let top = queue.pop() {
            let position = Int(top.position)
            guard ids[position] >= 0, next[position] >= 0 else { continue }
            let right = Int(next[position])
            // Skip entries made stale by an earlier merge.
            guard let current = merges[pairKey(ids[position], ids[right])], current.id == top.id
            else { continue }
            ids[position] = top.id
            ids[right] = -1
            next[position] = next[right]
            if next[right] >= 0 { prev[Int(next[right])] = Int32(position) }
            if prev[position] >= 0 {
                let left = Int(prev[position])
                if let merge = merges[pairKey(ids[left], ids[position])] {
                    queue.push(Merge(rank: merge.rank, position: Int32(left), id: merge.id))
                }
            }
            if next[position] >= 0 {
                let after = Int(next[position])
                if let merge = merges[pairKey(ids[position], ids[after])] {
                    queue.push(Merge(rank: merge.rank, position: Int32(position), id: merge.id))
                }
            }
        }
    }
}
