/// Where BPE merges provably cannot reach across: the boundary before a `▁` that follows a
/// character other than `▁`.
///
/// A merge result is always a vocabulary piece, so if no piece holds a `▁` right after
/// another character's bytes, no merge ever joins "x" and "▁…". SentencePiece models trained
/// with `split_by_whitespace` (Gemma's) have that property; `isUncrossable` checks it on the
/// actual vocabulary so that merging word by word is exact, never assumed.
enum SpaceBoundary {
    /// Whether no piece contains `▁` preceded by bytes other than another `▁`.
    static func isUncrossable<Pieces: Sequence>(by pieces: Pieces) -> Bool
    where Pieces.Element == [UInt8] {
        let space = SentencePieceNormalizer.spaceSymbol
        for piece in pieces where piece.count > 3 {
            var i = 1
            while i + 3 <= piece.count {
                if piece[i] == space[0] && piece[i + 1] == space[1] && piece[i + 2] == space[2] {
                    guard i >= 3, piece[(i - 3)..<i].elementsEqual(space) else { return false }
                    i += 3
                } else {
                    i += 1
                }
            }
        }
        return true
    }

    /// Whether a word starts at `position` (a `▁`) after the character at `previous`.
    @inline(__always)
    static func startsWord(_ text: UnsafeBufferPointer<UInt8>, at position: Int, previous: Int)
        -> Bool
    {
        isSpaceSymbol(text, at: position) && !isSpaceSymbol(text, at: previous)
    }

    @inline(__always)
    private static func isSpaceSymbol(_ text: UnsafeBufferPointer<UInt8>, at position: Int) -> Bool
    {
        position + 3 <= text.count && text[position] == 0xE2 && text[position + 1] == 0x96
            && text[position + 2] == 0x81
    }
}
