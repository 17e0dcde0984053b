"""Train a small SentencePiece BPE model with Gemma's settings (shared by all fixture scripts).

Gemma / PaliGemma tokenizer settings (as big_vision and transformers use them): BPE, byte
fallback, no dummy prefix, identity normalisation (only space -> '▁'), digits split,
`<pad> <eos> <bos> <unk>` at ids 0-3, and `<loc0000>`…`<loc1023>`, `<seg000>`…`<seg127>`
appended as USER_DEFINED pieces *after* the trained vocabulary, as big_vision's
`_add_pieces` does. Deterministic for a given corpus and settings (single thread).
"""

import io
import os

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2 as sp_pb2

LOC_PIECES = [f"<loc{i:04d}>" for i in range(1024)]
SEG_PIECES = [f"<seg{i:03d}>" for i in range(128)]

DEFAULT_CORPUS = [
    "The quick brown fox jumps over the lazy dog.",
    "Invoice number 12345 dated 2024-03-17, total due: $1,234.56",
    "Table 1: Results of the experiment (mean ± std).",
    "caption en", "ocr", "detect table ; figure", "answer en what is the title?",
    "PaliGemma 2 reads documents, tables, music and molecules.",
    "<table><thead><tr><td>Name</td><td>Value</td></tr></thead></table>",
    "**kern *clefG2 4c 4d 4e =1 *- ", "CC(=O)Oc1ccccc1C(=O)O c1ccccc1",
    "Die Straße ist naß. Ça va très bien, merci ! ¿Qué tal?",
    "東京都の天気は晴れです。 中文文本测试。 한국어 텍스트",
    "Привет, мир! Γειά σου κόσμε. שלום עולם. مرحبا بالعالم",
    "emoji 🙂 👍🏽 👨‍👩‍👧 and symbols © ® ™ → ∑ √ ∞",
    "tabs\tand\nnewlines\n\nand    spaces",
]


def train(out_dir: str, vocab_size: int = 700, corpus=None, extra_lines: int = 400) -> str:
    """Train and write `out_dir/tokenizer.model`; returns its path.

    The trained part has `vocab_size` pieces (ids 0…vocab_size-1, including the 4 specials,
    the byte pieces and `\\n`); loc/seg pieces follow, so `<loc0000>` is id `vocab_size`.
    """
    os.makedirs(out_dir, exist_ok=True)
    lines = list(corpus or DEFAULT_CORPUS)
    # Repeat the corpus with small variations so BPE has frequencies to learn from.
    lines += [f"{lines[i % len(lines)]} {i}" for i in range(extra_lines)]
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buffer,
        model_type="bpe",
        vocab_size=vocab_size,
        byte_fallback=True,
        add_dummy_prefix=False,
        normalization_rule_name="identity",
        remove_extra_whitespaces=False,
        split_digits=True,
        allow_whitespace_only_pieces=True,
        split_by_whitespace=True,
        character_coverage=1.0,
        user_defined_symbols=["\n", "\t"],
        pad_id=0, eos_id=1, bos_id=2, unk_id=3,
        pad_piece="<pad>", eos_piece="<eos>", bos_piece="<bos>", unk_piece="<unk>",
        num_threads=1,
        minloglevel=2,
    )
    model = sp_pb2.ModelProto()
    model.ParseFromString(buffer.getvalue())
    for piece in LOC_PIECES + SEG_PIECES:
        entry = model.pieces.add()
        entry.piece = piece
        entry.score = 0.0
        entry.type = sp_pb2.ModelProto.SentencePiece.USER_DEFINED
    path = os.path.join(out_dir, "tokenizer.model")
    with open(path, "wb") as f:
        f.write(model.SerializeToString())
    return path


if __name__ == "__main__":
    import sys

    p = train(sys.argv[1] if len(sys.argv) > 1 else "/tmp/gemma-tok")
    sp = spm.SentencePieceProcessor(model_file=p)
    print(p, sp.get_piece_size(), sp.encode("<loc0012><loc0034> hello\n12 ok"),
          sp.piece_to_id("<loc0000>"), sp.piece_to_id("\n"))
