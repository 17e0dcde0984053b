/// SentencePiece's BPE model (`bpe_model.cc`, `model_interface.cc`) and the processor's
/// id assembly and decoding (`sentencepiece_processor.cc`), on UTF-8 bytes.
struct SentencePieceBPE: Sendable {
    typealias PieceType = SentencePieceModelProto.PieceType

    /// Piece bytes by id.
    let pieces: [[UInt8]]
    /// Piece types by id.
    let types: [PieceType]
    private let scores: [Float]
    /// `pieces_`: normal, user-defined and unused pieces (the ones merges may produce).
    private let mergeable: PieceTable
    /// `reserved_id_map_`: control, unknown and byte pieces.
    private let reserved: PieceTable
    /// `PieceToId(IdToPiece(id))` for every id (differs from id only for duplicate strings).
    private let canonicalID: [Int32]
    /// User-defined symbols, matched longest first and never merged.
    let userDefined: PrefixTrie
    /// The identity normalizer with the model's whitespace options.
    let normalizer: SentencePieceNormalizer
    private let unknownID: Int32
    private let byteFallback: Bool
    /// The id of `<0xNN>` for each byte (byte-fallback models only).
    private let byteIDs: [Int32]
    private let unknownSurface: [UInt8]
    private let hasUnusedPieces: Bool
    /// Whether the text may be merged word by word (see `SpaceBoundary`).
    private let mergesWithinWords: Bool

    /// Builds the model from a parsed proto, with `InitializePieces`' checks; `file` names
    /// the source in errors.
    init(proto: SentencePieceModelProto, file: String) throws {
        let spec = proto.trainerSpec
        guard spec.modelType == SentencePieceModelProto.ModelType.bpe.rawValue else {
            let name =
                SentencePieceModelProto.ModelType(rawValue: spec.modelType)
                .map { "\($0)".uppercased() } ?? "\(spec.modelType)"
            throw TokenizerError.unsupported(
                file: file, reason: "model type \(name); only BPE models are implemented")
        }
        let normalizerSpec = proto.normalizerSpec
        guard normalizerSpec.precompiledCharsmap.isEmpty else {
            throw TokenizerError.unsupported(
                file: file,
                reason: "normalization rule '\(normalizerSpec.name)' (a character map of "
                    + "\(normalizerSpec.precompiledCharsmap.count) bytes); only 'identity' "
                    + "normalisation is implemented")
        }
        if let denormalizer = proto.denormalizerSpec, !denormalizer.precompiledCharsmap.isEmpty {
            throw TokenizerError.unsupported(
                file: file, reason: "denormalization rule '\(denormalizer.name)'")
        }
        normalizer = SentencePieceNormalizer(
            addDummyPrefix: normalizerSpec.addDummyPrefix,
            removeExtraWhitespaces: normalizerSpec.removeExtraWhitespaces,
            escapeWhitespaces: normalizerSpec.escapeWhitespaces,
            treatWhitespaceAsSuffix: spec.treatWhitespaceAsSuffix)
        byteFallback = spec.byteFallback
        unknownSurface = spec.unkSurface

        var pieces: [[UInt8]] = []
        var types: [PieceType] = []
        var scores: [Float] = []
        pieces.reserveCapacity(proto.pieces.count)
        var mergeable = PieceTable(expectedCount: proto.pieces.count)
        var reserved = PieceTable(expectedCount: 512)
        var userDefined = PrefixTrie()
        var unknownID: Int32 = -1
        var byteIDs = [Int32](repeating: -1, count: 256)
        let byteValues = Self.bytePieceValues()
        for (index, entry) in proto.pieces.enumerated() {
            guard !entry.piece.isEmpty else {
                throw TokenizerError.malformed(file: file, reason: "piece \(index) is empty")
            }
            guard let type = PieceType(rawValue: entry.type) else {
                throw TokenizerError.malformed(
                    file: file, reason: "piece \(index) has unknown type \(entry.type)")
            }
            let id = Int32(index)
            let isMergeable = type == .normal || type == .userDefined || type == .unused
            let added =
                isMergeable
                ? mergeable.insertIfAbsent(entry.piece, value: id)
                : reserved.insertIfAbsent(entry.piece, value: id)
            guard added else {
                throw TokenizerError.malformed(
                    file: file,
                    reason: "piece \(String(decoding: entry.piece, as: UTF8.self)) is defined twice"
                )
            }
            switch type {
            case .userDefined: userDefined.insert(entry.piece, value: id)
            case .unknown:
                guard unknownID < 0 else {
                    throw TokenizerError.malformed(file: file, reason: "two unknown pieces")
                }
                unknownID = id
            case .byte:
                guard spec.byteFallback else {
                    throw TokenizerError.malformed(
                        file: file,
                        reason: "byte piece \(index) found although byte_fallback is off")
                }
                guard let value = byteValues[entry.piece] else {
                    throw TokenizerError.malformed(
                        file: file,
                        reason: "byte piece \(String(decoding: entry.piece, as: UTF8.self)) "
                            + "is not of the form <0xNN>")
                }
                byteIDs[Int(value)] = id
            default: break
            }
            pieces.append(entry.piece)
            types.append(type)
            scores.append(entry.score)
        }
        guard unknownID >= 0 else {
            throw TokenizerError.malformed(file: file, reason: "no unknown piece is defined")
        }
        if spec.byteFallback, let missing = byteIDs.firstIndex(of: -1) {
            throw TokenizerError.malformed(
                file: file,
                reason: "byte_fallback is on but piece <0x\(Self.hex(UInt8(missing)))> is missing")
        }
        self.pieces = pieces
        self.types = types
        self.scores = scores
        self.mergeable = mergeable
        self.reserved = reserved
        self.userDefined = userDefined
        self.unknownID = unknownID
        self.byteIDs = byteIDs
        hasUnusedPieces = types.contains(.unused)
        // UNUSED pieces make the split-back table depend on the global merge order.
        mergesWithinWords =
            !hasUnusedPieces && normalizer.escapeWhitespaces
            && SpaceBoundary.isUncrossable(
                by: zip(pieces, types).filter {
                    $0.1 != .control && $0.1 != .unknown && $0.1 != .byte
                }
                .map(\.0))
        canonicalID = pieces.map { piece in
            reserved.lookup(piece) ?? mergeable.lookup(piece) ?? unknownID
        }
    }

    /// `PieceToId`: reserved pieces first, then the others, else the unknown id.
    func pieceToID(_ piece: UnsafeBufferPointer<UInt8>) -> Int32 {
        reserved.lookup(piece) ?? mergeable.lookup(piece) ?? unknownID
    }

    /// The `<0xNN>` spelling of a byte.
    static func bytePiece(_ byte: UInt8) -> [UInt8] { Array("<0x\(hex(byte))>".utf8) }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }

    private static func bytePieceValues() -> [[UInt8]: UInt8] {
        var values: [[UInt8]: UInt8] = [:]
        for byte in 0...255 { values[bytePiece(UInt8(byte))] = UInt8(byte) }
        return values
    }
}

// MARK: - Encoding

extension SentencePieceBPE {
    /// A candidate merge of two adjacent symbols (`SymbolPair`).
    private struct SymbolPair: HeapOrdered {
        var left: Int32
        var right: Int32
        var score: Float
        var size: Int32

        /// Higher score first; on a tie, the leftmost pair (`SymbolPairComparator`).
        @inline(__always)
        func precedes(_ other: SymbolPair) -> Bool {
            score > other.score || (score == other.score && left < other.left)
        }
    }

    /// One symbol of the linked list over the text (`Symbol`); merged-away symbols have
    /// length 0.
    private struct Symbol {
        var start: Int32
        var length: Int32
        var prev: Int32
        var next: Int32
        var frozen: Bool
    }

    /// Appends the ids of already-normalized text to `output`: `bpe::Model::Encode`, then
    /// the processor's unknown handling (byte fallback, or runs of unknowns fused into one).
    func encode(normalized text: UnsafeBufferPointer<UInt8>, into output: inout [Int]) {
        let count = text.count
        guard count > 0 else { return }
        var symbols: [Symbol] = []  // [symbols]
        symbols.reserveCapacity(count)
        var position = 0
        while position < count {
            var size = min(count - position, UTF8Scan.announcedLength(text[position]))
            var frozen = false
            if userDefined.mayStart(with: text[position]),
                let match = userDefined.longestMatch(in: text, from: position, to: count)
            {
                size = match.length
                frozen = true
            }
            let index = Int32(symbols.count)
            symbols.append(
                Symbol(
                    start: Int32(position), length: Int32(size), prev: index - 1, next: index + 1,
                    frozen: frozen))
            position += size
        }
        symbols[symbols.count - 1].next = -1

        var agenda = BinaryHeap<SymbolPair>(capacity: 64)
        // For unused pieces: the split that last produced each (`rev_merge`), as the left
        // part's length.
        var reverseMerge: [Int32: Int32] = [:]
        func addPair(_ left: Int32, _ right: Int32) {
            guard left >= 0, right >= 0 else { return }
            let l = symbols[Int(left)]
            let r = symbols[Int(right)]
            guard !l.frozen, !r.frozen else { return }
            let start = Int(l.start)
            let size = Int(l.length + r.length)
            guard
                let id = mergeable.lookup(
                    UnsafeBufferPointer(rebasing: text[start..<(start + size)]))
            else { return }
            agenda.push(
                SymbolPair(left: left, right: right, score: scores[Int(id)], size: Int32(size)))
            if hasUnusedPieces && types[Int(id)] == .unused { reverseMerge[id] = l.length }
        }
        // Runs the merge loop over symbols `first..<end` (`Encode`'s main loop). No merge can
        // cross a frozen symbol, nor (when `mergesWithinWords`) a word boundary, so chunks
        // merged one after the other give the ids of one global loop, with small heaps.
        func mergeChunk(_ first: Int, _ end: Int) {
            guard end - first > 1 else { return }
            for i in (first + 1)..<end { addPair(Int32(i - 1), Int32(i)) }
            while let top = agenda.pop() {
                let left = Int(top.left)
                let right = Int(top.right)
                let l = symbols[left]
                let r = symbols[right]
                // Skip pairs made stale by an earlier merge.
                guard l.length > 0, r.length > 0, l.length + r.length == top.size else { continue }
                symbols[left].length = top.size
                symbols[left].next = r.next
                if r.next >= 0 { symbols[Int(r.next)].prev = top.left }
                symbols[right].length = 0
                addPair(l.prev, top.left)
                addPair(top.left, r.next)
            }
        }
        if hasUnusedPieces {
            mergeChunk(0, symbols.count)
        } else {
            var chunkStart = 0
            for i in 1..<symbols.count {
                let boundary =
                    symbols[i].frozen || symbols[i - 1].frozen
                    || (mergesWithinWords
                        && SpaceBoundary.startsWord(
                            text, at: Int(symbols[i].start), previous: Int(symbols[i - 1].start)))
                if boundary {
                    mergeChunk(chunkStart, i)
                    chunkStart = i
                }
            }
            mergeChunk(chunkStart, symbols.count)
        }

        var previousWasUnknown = false
        func emit(_ pieceStart: Int, _ size: Int) {
            let piece = UnsafeBufferPointer(rebasing: text[pieceStart..<(pieceStart + size)])
            let id = pieceToID(piece)
            let type = types[Int(id)]
            if type == .unused, let leftSize = reverseMerge[id] {
                emit(pieceStart, Int(leftSize))
                emit(pieceStart + Int(leftSize), size - Int(leftSize))
                return
            }
            let isUnknown = type == .unknown
            if isUnknown && byteFallback {
                for byte in piece { output.append(Int(byteIDs[Int(byte)])) }
            } else if !(isUnknown && previousWasUnknown) {
                output.append(Int(id))
            }
            previousWasUnknown = isUnknown
        }
        var index = 0
        while index >= 0 {
            let symbol = symbols[index]
            emit(Int(symbol.start), Int(symbol.length))
            index = Int(symbol.next)
        }
    }
}

// MARK: - Decoding

extension SentencePieceBPE {
    /// One item to decode: a model id, or text from outside the model (an added token).
    enum DecodeItem {
        case id(Int)
        case literal([UInt8])
    }

    /// `SentencePieceProcessor::Decode`: byte pieces reassembled into UTF-8 (each malformed
    /// byte → U+FFFD), `▁` → space, control pieces dropped, the unknown piece as its surface,
    /// the leading `▁` dropped when the model adds a dummy prefix or removes extra spaces.
    /// Ids must be in range (the caller checks).
    func decode(_ items: [DecodeItem]) -> [UInt8] {
        var text: [UInt8] = []
        var byteRun: [UInt8] = []
        func flushBytes() {
            guard !byteRun.isEmpty else { return }
            byteRun.withUnsafeBufferPointer { run in
                var offset = 0
                while offset < run.count {
                    let (length, valid) = UTF8Scan.sentencePieceCharacter(
                        in: run, at: offset, end: run.count)
                    if valid {
                        text.append(contentsOf: run[offset..<(offset + length)])
                    } else {
                        text.append(contentsOf: UTF8Scan.replacementCharacter)
                    }
                    offset += length
                }
            }
            byteRun.removeAll(keepingCapacity: true)
        }
        let stripsLeadingSpace = normalizer.addDummyPrefix || normalizer.removeExtraWhitespaces
        var isBeginningWhitespace = true  // `is_bos_ws`
        var beginningWhitespaceSeen = false  // `bos_ws_seen`
        for item in items {
            var id = -1
            if case .id(let rawID) = item {
                id = Int(canonicalID[rawID])
                if types[id] == .byte {
                    byteRun.append(Self.byteValue(of: pieces[id]))
                    continue
                }
            }
            flushBytes()
            if beginningWhitespaceSeen || !text.isEmpty { isBeginningWhitespace = false }
            beginningWhitespaceSeen = false
            switch item {
            case .literal(let bytes):
                text.append(contentsOf: bytes)
            case .id:
                switch types[id] {
                case .control:
                    break
                case .unknown:
                    text.append(contentsOf: unknownSurface)
                default:
                    var surface = pieces[id][...]
                    if isBeginningWhitespace && stripsLeadingSpace
                        && surface.starts(with: SentencePieceNormalizer.spaceSymbol)
                    {
                        surface = surface.dropFirst(SentencePieceNormalizer.spaceSymbol.count)
                        beginningWhitespaceSeen = !normalizer.removeExtraWhitespaces
                    }
                    Self.appendReplacingSpaceSymbol(surface, to: &text)
                }
            }
        }
        flushBytes()
        return text
    }

    private static func byteValue(of piece: [UInt8]) -> UInt8 {
        // "<0xNN>": validated when the model was loaded.
        func nibble(_ c: UInt8) -> UInt8 { c <= 0x39 ? c - 0x30 : c - 0x41 + 10 }
        return nibble(piece[3]) << 4 | nibble(piece[4])
    }

    private static func appendReplacingSpaceSymbol(
        _ surface: ArraySlice<UInt8>, to text: inout [UInt8]
    ) {
        var i = surface.startIndex
        while i < surface.endIndex {
            if surface[i] == 0xE2 && i + 2 < surface.endIndex && surface[i + 1] == 0x96
                && surface[i + 2] == 0x81
            {
                text.append(0x20)
                i += 3
            } else {
                text.append(surface[i])
                i += 1
            }
        }
    }
}
