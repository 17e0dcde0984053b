extension GemmaTokenizer {
    /// The text of `ids`. For a `tokenizer.model`, exactly sentencepiece's `decode` (byte
    /// pieces reassembled, `▁` → space, control pieces dropped); added tokens beyond the
    /// model decode to their content, special ones to nothing. For a `tokenizer.json`,
    /// exactly `tokenizers`' `decode(ids, skip_special_tokens=True)`.
    /// Throws `TokenizerError.idOutOfRange` for an id no file defines.
    public func decode(_ ids: [Int]) throws -> String {
        for id in ids where piece(of: id) == nil {
            throw TokenizerError.idOutOfRange(file: source, id: id, count: count)
        }
        switch backend {
        case .sentencePiece(let model):
            let items = ids.map { id -> SentencePieceBPE.DecodeItem in
                guard id >= modelCount, let token = addedByID[id] else { return .id(id) }
                return .literal(token.special ? [] : Array(token.content.utf8))
            }
            return String(decoding: model.decode(items), as: UTF8.self)
        case .tokenizers(let pipeline):
            let tokens = ids.compactMap { id -> String? in
                if let token = addedByID[id], token.special { return nil }
                return pieces[id]
            }
            return pipeline.decode(tokens)
        }
    }
}
