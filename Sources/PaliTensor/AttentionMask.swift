/// Which keys a query may attend to, described by structure rather than per element, so the
/// attention kernel can turn it into one contiguous key range per query and skip key tiles
/// nobody sees.
///
/// Queries and keys are numbered by sequence position (keys `0..<keyRows`). A query inside
/// the bidirectional prefix sees the whole prefix; any other query sees keys up to itself,
/// and with a sliding window only the last `window` of those. This is transformers ≥ 5.23's
/// PaliGemma mask (`sliding_window_causal OR blockwise(prefix)`); every such range is
/// contiguous and contains the query itself.
public struct AttentionMask: Sendable, Equatable {
    /// Whether queries outside the prefix are causal (false: every query sees every key).
    public let causal: Bool
    /// Length of the bidirectional prefix (image + `<bos>` + prompt + `\n`).
    public let prefixLength: Int
    /// Sliding window of local layers, or nil for global attention.
    public let window: Int?

    /// Every query sees every key (SigLIP).
    public static let full = AttentionMask(causal: false, prefixLength: 0, window: nil)

    /// PaliGemma's prefix-LM mask, optionally with a sliding window for non-prefix queries.
    public static func prefixLM(prefixLength: Int, window: Int?) -> AttentionMask {
        AttentionMask(causal: true, prefixLength: prefixLength, window: window)
    }

    /// The keys query position `query` sees among `keyRows` keys.
    public func keyRange(query: Int, keyRows: Int) -> Range<Int> {
        guard causal else { return 0..<keyRows }
        if query < prefixLength { return 0..<min(prefixLength, keyRows) }
        let end = min(query + 1, keyRows)
        guard let window else { return 0..<end }
        return max(0, query - window + 1)..<end
    }
}
