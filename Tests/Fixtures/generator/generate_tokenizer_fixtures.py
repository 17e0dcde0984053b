"""Write Tests/Fixtures/tokenizer/: a Gemma-style tokenizer and reference encodings.

Outputs (all from the pinned stack in ../requirements.txt, seeded, nothing downloaded):
- tokenizer.model        `gemma_tokenizer.train(...)` with its defaults (BPE, byte fallback,
                         loc/seg pieces appended).
- tokenizer.json         what transformers' GemmaTokenizer converter writes for that model,
  tokenizer_config.json  saved through PaliGemmaProcessor, which adds `<image>`; the config
  processor_config.json  also gets an `added_tokens_decoder` like the released checkpoints.
- plain.model            a variant without byte fallback, with a dummy prefix and
                         remove_extra_whitespaces, to test those normaliser settings.
- unused.model           plain.model with a third of its merged pieces marked UNUSED.
- options.model          plain.model with treat_whitespace_as_suffix, no whitespace escaping
                         and extra whitespace kept.
- references.json        encodings of a few thousand strings by sentencepiece (`model`),
                         by `tokenizers` from tokenizer.json (`json`, only where it differs
                         from `model`), by transformers' AutoTokenizer on the folder
                         (`directory`, only where it differs), their decodings, byte-level
                         inputs with invalid UTF-8, random id sequences to decode, the
                         plain.model, unused.model and options.model encodings, tokenizer.json plus added
                         tokens with lstrip/rstrip/single_word/normalized options, or with
                         other normalizer/pre-tokenizer/decoder stages, and
                         PaliGemmaProcessor prompts.
- manifest.json          versions and SHA-256 of every file.

Run: python3 Tests/Fixtures/generator/generate_tokenizer_fixtures.py
     python3 Tests/Fixtures/generator/generate_tokenizer_fixtures.py \
         --benchmark-text Tests/Fixtures/large/mixed.txt   (only writes ~4 MB of mixed text
                                                           for `palidoc tokenize --benchmark`)
"""

import base64
import hashlib
import json
import os
import random
import shutil
import sys
import tempfile

import sentencepiece as spm

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gemma_tokenizer  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tokenizer")
SEED = 20260311

WORDS = [
    "the", "quick", "brown", "fox", "invoice", "total", "Table", "caption", "en", "ocr",
    "detect", "answer", "what", "is", "title", "PaliGemma", "documents", "tables",
    "Straße", "naß", "très", "¿Qué", "tal", "mean", "std", "$1,234.56", "2024-03-17",
    "<table>", "</td>", "**kern", "*clefG2", "CC(=O)O", "c1ccccc1", "→", "∑", "√", "∞",
]
SCRIPTS = [
    "東京都の天気は晴れです。", "中文文本测试", "한국어 텍스트", "Привет, мир!",
    "Γειά σου κόσμε", "שלום עולם", "مرحبا بالعالم", "नमस्ते दुनिया", "สวัสดีชาวโลก",
    "ᚠᛇᚻ᛫ᛒᛦᚦ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "𠜎𠜱𠝹", "ﾊﾝｶｸ", "ｆｕｌｌｗｉｄｔｈ",
]
EMOJI = [
    "🙂", "👍🏽", "👨‍👩‍👧", "🏳️‍🌈", "👩🏾‍💻", "🇩🇪", "❤️", "1️⃣", "🧑‍🤝‍🧑", "😀😃😄",
]
COMBINING = ["e\u0301", "a\u0308\u0304", "n\u0303", "\u0915\u094d\u0937", "o\u0336\u0336",
             "Z\u0351\u036b\u0343\u036a", "\u1100\u1161\u11a8"]
RTL = ["\u202eabc\u202c", "\u200fשלום\u200e", "عربي 123", "\u2067x\u2069"]
CONTROL = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\r", "\x1b[0m", "\x1f", "\x7f",
           "\x85", "\u00ad", "\u200b", "\u200d", "\ufeff", "\u2028", "\u2029", "\ufffd"]
SPACES = [" ", "  ", "    ", " " * 17, "\t", "\t\t\t", "\n", "\n\n", "\n" * 9, " \n ", "\t \n",
          "\u00a0", "\u3000", "\u2003", "\r\n"]
DIGITS = ["0", "7", "42", "123456789", "3.14159", "1,000,000", "٣٤٥", "१२३", "²³", "①"]
TAGS = ["<loc0123>", "<loc0000>", "<loc1023>", "<seg000>", "<seg127>", "<loc12>", "<LOC0001>",
        "<loc01234>", "<loc 0001>", "<seg12>", "<seg128>", "loc0001>", "<loc0001", "<<loc0001>>",
        "<bos>", "<eos>", "<pad>", "<unk>", "<image>", "<mask>", "<0x41>", "<s>", "</s>"]


def random_codepoint(rng):
    """A random scalar value from a spread of planes (no surrogates)."""
    while True:
        block = rng.choice([0x80, 0x800, 0x3000, 0x10000, 0x20000, 0xE000, 0x1F000, 0x110000])
        cp = rng.randrange(0, block)
        if not 0xD800 <= cp <= 0xDFFF:
            return chr(cp)


def fragment(rng):
    kind = rng.randrange(11)
    if kind == 0:
        return rng.choice(WORDS)
    if kind == 1:
        return rng.choice(SCRIPTS)
    if kind == 2:
        return rng.choice(EMOJI)
    if kind == 3:
        return rng.choice(COMBINING)
    if kind == 4:
        return rng.choice(RTL)
    if kind == 5:
        return rng.choice(CONTROL)
    if kind == 6:
        return rng.choice(SPACES)
    if kind == 7:
        return rng.choice(DIGITS)
    if kind == 8:
        return rng.choice(TAGS)
    if kind == 9:
        return "".join(random_codepoint(rng) for _ in range(rng.randrange(1, 4)))
    return " "


def test_strings(rng):
    fixed = [""] + WORDS + SCRIPTS + EMOJI + COMBINING + RTL + CONTROL + SPACES + DIGITS + TAGS
    fixed += list(gemma_tokenizer.DEFAULT_CORPUS)
    fixed += [
        "word<loc0123>word", "x<loc0001><loc0002>y", "a<seg005>b<loc1023>c", "  leading",
        "trailing  ", " ", "\n", "\t", "\x00\x00\x00", "a\x00b", " " * 200, "\t" * 50,
        "\n" * 50, " \t\n" * 20, "1234567890" * 5, "thethethethe", "caption en\n",
        "detect cat ; dog", "<loc0012><loc0034><loc0056><loc0078> cat ; <loc0100> dog",
        "ab" * 100, "\u200d" * 5, "👨‍👩‍👧‍👦" * 3, "e\u0301\u0301\u0301", "\ufffd\ufffd",
    ]
    generated = []
    while len(generated) < 1800:
        n = rng.randrange(1, 9)
        generated.append("".join(fragment(rng) for _ in range(n)))
    # Longer mixed strings (the BPE heap over hundreds of symbols).
    for _ in range(30):
        generated.append("".join(fragment(rng) for _ in range(rng.randrange(30, 60))))
    seen, out = set(), []
    for s in fixed + generated:
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def byte_inputs(rng):
    """Raw byte strings with invalid UTF-8 (sentencepiece replaces each bad byte by U+FFFD)."""
    pool = [b"\xff", b"\xfe", b"\xc0\xaf", b"\xe4\xb8", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
            b"\x80", b"\xf0\x9f\x98", b"abc", b" ", "東".encode(), "🙂".encode(), b"\x00",
            b"<loc0001>", b"\n", b"12"]
    out = [b"\xff", b"a\xffb", b"\xe4\xb8\xad\xe4", b"\xc3\x28"]
    for _ in range(150):
        out.append(b"".join(rng.choice(pool) for _ in range(rng.randrange(1, 7))))
    return out


def id_sequences(rng, size, byte_ids):
    """Random id sequences for decoding: byte pieces (often invalid UTF-8), controls, loc."""
    out = [[], [0, 1, 2, 3], [3, 3], byte_ids[0xE4:0xE5] + byte_ids[0xB8:0xB9]]
    for _ in range(250):
        seq = []
        for _ in range(rng.randrange(1, 12)):
            r = rng.random()
            if r < 0.4:
                seq.append(rng.choice(byte_ids))
            elif r < 0.5:
                seq.append(rng.randrange(0, 4))
            else:
                seq.append(rng.randrange(0, size))
        out.append(seq)
    return out


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    import tokenizers
    import transformers
    from PIL import Image
    from tokenizers import Tokenizer
    from transformers import AutoTokenizer, GemmaTokenizer, PaliGemmaProcessor
    from transformers import SiglipImageProcessorPil

    rng = random.Random(SEED)
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    work = tempfile.mkdtemp(prefix="palidoc-tok-")
    model_path = gemma_tokenizer.train(work)
    shutil.copy(model_path, os.path.join(OUT, "tokenizer.model"))

    # The fast tokenizer, converted by transformers from the same model; PaliGemmaProcessor
    # adds `<image>` and the loc/seg tokens as the released checkpoints have them.
    hf = GemmaTokenizer.from_pretrained(work)
    image_processor = SiglipImageProcessorPil(size={"height": 28, "width": 28},
                                              image_seq_length=4)
    processor = PaliGemmaProcessor(image_processor=image_processor, tokenizer=hf)
    processor.save_pretrained(OUT)
    config_path = os.path.join(OUT, "tokenizer_config.json")
    with open(config_path) as f:
        config = json.load(f)
    config.pop("vocab_file", None)
    # Released checkpoints list their added tokens here (older transformers wrote it).
    config["added_tokens_decoder"] = {
        str(i): {"content": t.content, "lstrip": t.lstrip, "normalized": t.normalized,
                 "rstrip": t.rstrip, "single_word": t.single_word, "special": t.special}
        for i, t in sorted(hf.added_tokens_decoder.items())
    }
    with open(config_path, "w") as f:
        json.dump(config, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")

    sp = spm.SentencePieceProcessor(model_file=os.path.join(OUT, "tokenizer.model"))
    fast = Tokenizer.from_file(os.path.join(OUT, "tokenizer.json"))
    folder = AutoTokenizer.from_pretrained(OUT)

    cases = []
    stats = {"json_differs": 0, "directory_differs": 0, "round_trips": 0}
    for s in test_strings(rng):
        ids = sp.encode(s)
        case = {"text": s, "model": ids}
        decoded = sp.decode(ids)
        if decoded == s:
            stats["round_trips"] += 1
        else:
            case["model_decoded"] = decoded
        json_ids = fast.encode(s, add_special_tokens=False).ids
        if json_ids != ids:
            case["json"] = json_ids
            stats["json_differs"] += 1
        json_decoded = fast.decode(json_ids, skip_special_tokens=True)
        if json_decoded != s:
            case["json_decoded"] = json_decoded
        dir_ids = folder.encode(s, add_special_tokens=False)
        if dir_ids != ids:
            case["directory"] = dir_ids
            stats["directory_differs"] += 1
        cases.append(case)

    byte_cases = [{"utf8_base64": base64.b64encode(b).decode(), "model": sp.encode(b)}
                  for b in byte_inputs(rng)]

    byte_ids = [sp.piece_to_id(f"<0x{b:02X}>") for b in range(256)]
    decode_cases = []
    for seq in id_sequences(rng, sp.get_piece_size(), byte_ids):
        decode_cases.append({"ids": seq, "model": sp.decode(seq),
                             "json": fast.decode(seq, skip_special_tokens=True)})

    # A second model exercising normaliser settings Gemma does not use.
    plain_dir = os.path.join(work, "plain")
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(list(gemma_tokenizer.DEFAULT_CORPUS) * 20),
        model_prefix=os.path.join(plain_dir + "-m"), model_type="bpe", vocab_size=220,
        byte_fallback=False, add_dummy_prefix=True, normalization_rule_name="identity",
        remove_extra_whitespaces=True, split_digits=False, character_coverage=0.98,
        user_defined_symbols=["<sep>"], pad_id=0, unk_id=1, bos_id=2, eos_id=3,
        num_threads=1, minloglevel=2)
    from sentencepiece import sentencepiece_model_pb2 as sp_pb2
    plain_proto = sp_pb2.ModelProto()
    with open(plain_dir + "-m.model", "rb") as f:
        plain_proto.ParseFromString(f.read())
    plain_proto.trainer_spec.ClearField("model_prefix")  # a temporary path
    with open(os.path.join(OUT, "plain.model"), "wb") as f:
        f.write(plain_proto.SerializeToString())
    plain = spm.SentencePieceProcessor(model_file=os.path.join(OUT, "plain.model"))
    plain_cases = []
    for s in test_strings(random.Random(SEED + 1))[:300]:
        ids = plain.encode(s)
        plain_cases.append({"text": s, "model": ids, "model_decoded": plain.decode(ids)})

    # The same model with some merged pieces marked UNUSED: sentencepiece still merges
    # through them and then splits them back (`rev_merge`).
    unused_proto = sp_pb2.ModelProto()
    with open(os.path.join(OUT, "plain.model"), "rb") as f:
        unused_proto.ParseFromString(f.read())
    normal = [p for p in unused_proto.pieces
              if p.type == sp_pb2.ModelProto.SentencePiece.NORMAL and len(p.piece) > 1]
    for p in normal[::3]:
        p.type = sp_pb2.ModelProto.SentencePiece.UNUSED
    with open(os.path.join(OUT, "unused.model"), "wb") as f:
        f.write(unused_proto.SerializeToString())
    unused = spm.SentencePieceProcessor(model_file=os.path.join(OUT, "unused.model"))
    unused_cases = []
    for s in test_strings(random.Random(SEED + 2))[:300]:
        ids = unused.encode(s)
        unused_cases.append({"text": s, "model": ids, "model_decoded": unused.decode(ids)})

    # plain.model with the remaining normaliser switches flipped: dummy prefix as a suffix,
    # spaces kept as " ", extra spaces kept.
    options_proto = sp_pb2.ModelProto()
    options_proto.CopyFrom(plain_proto)
    options_proto.trainer_spec.treat_whitespace_as_suffix = True
    options_proto.normalizer_spec.escape_whitespaces = False
    options_proto.normalizer_spec.remove_extra_whitespaces = False
    with open(os.path.join(OUT, "options.model"), "wb") as f:
        f.write(options_proto.SerializeToString())
    options = spm.SentencePieceProcessor(model_file=os.path.join(OUT, "options.model"))
    options_cases = []
    for s in test_strings(random.Random(SEED + 4))[:200]:
        ids = options.encode(s)
        options_cases.append({"text": s, "model": ids, "model_decoded": options.decode(ids)})

    # Added tokens with every option tokenizers has (lstrip, rstrip, single_word,
    # normalized, special), appended to tokenizer.json's by the Swift test.
    from tokenizers import AddedToken
    optioned = Tokenizer.from_file(os.path.join(OUT, "tokenizer.json"))
    before = len(json.loads(optioned.to_str())["added_tokens"])
    optioned.add_tokens([
        AddedToken("<L>", lstrip=True, normalized=False),
        AddedToken("<R>", rstrip=True, normalized=False),
        AddedToken("word", single_word=True, normalized=False),
        AddedToken(" sp ", normalized=True),
        AddedToken("<LR>", lstrip=True, rstrip=True, normalized=False)])
    optioned.add_special_tokens([AddedToken("<S>", lstrip=True, rstrip=True, normalized=False)])
    option_tokens = json.loads(optioned.to_str())["added_tokens"][before:]
    option_pool = ["<L>", "<R>", "word", " sp ", "<LR>", "<S>", " ", "  ", "\t", "\n", "\u3000",
                   "a", "é", "1", "_", "日本", "sp", "swordfish", "<loc0001>", "<bos>", "x"]
    option_rng = random.Random(SEED + 5)
    option_strings = ["a <L> b", "a  <R>  b", "a word b", "éword", "word_", "x sp y", "  <LR>  ",
                      "<S>\t\n x", "a\u3000<L>", "wordword", "日本word", "word日本"]
    option_strings += ["".join(option_rng.choice(option_pool) for _ in range(option_rng.randrange(1, 9)))
                       for _ in range(250)]
    option_cases = [{"text": t, "ids": optioned.encode(t, add_special_tokens=False).ids}
                    for t in option_strings]

    # The same model under other normalizer / pre-tokenizer / decoder stages tokenizer.json
    # allows (Split behaviours, Prepend, Strip), as the Swift test swaps them in.
    with open(os.path.join(OUT, "tokenizer.json")) as f:
        base = json.load(f)
    prepend = {"type": "Sequence", "normalizers": [
        {"type": "Prepend", "prepend": "\u2581"},
        {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}]}
    strip = {"type": "Sequence", "decoders": [
        {"type": "Replace", "pattern": {"String": "\u2581"}, "content": " "},
        {"type": "ByteFallback"}, {"type": "Fuse"},
        {"type": "Strip", "content": " ", "start": 1, "stop": 0}]}
    stage_variants = [{"normalizer": None, "pre_tokenizer": {
        "type": "Split", "pattern": {"String": " "}, "behavior": behaviour, "invert": False},
        "decoder": base["decoder"]}
        for behaviour in ["Removed", "Isolated", "MergedWithPrevious", "MergedWithNext",
                          "Contiguous"]]
    stage_variants.append({"normalizer": prepend, "pre_tokenizer": None, "decoder": strip})
    stage_variants.append({"normalizer": base["normalizer"], "pre_tokenizer": {
        "type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"String": "\u2581"}, "behavior": "MergedWithNext",
             "invert": False},
            {"type": "Split", "pattern": {"String": "o"}, "behavior": "Isolated",
             "invert": False}]}, "decoder": base["decoder"]})
    stage_variants.append({"normalizer": base["normalizer"], "pre_tokenizer": None,
                           "decoder": None})
    stage_strings = [t for t in test_strings(random.Random(SEED + 6)) if " " in t][:25]
    stage_cases = []
    for variant in stage_variants:
        changed = dict(base, **variant)
        variant_tokenizer = Tokenizer.from_str(json.dumps(changed))
        cases_for_variant = []
        for t in stage_strings:
            ids = variant_tokenizer.encode(t, add_special_tokens=False).ids
            cases_for_variant.append({"text": t, "ids": ids, "decoded": variant_tokenizer.decode(
                ids, skip_special_tokens=True)})
        stage_cases.append({"stages": json.dumps(variant), "strings": cases_for_variant})

    image = Image.new("RGB", (30, 20), (10, 200, 30))
    prompts = ["", "caption en", "ocr", "answer en what is the total?", "detect table ; figure",
               "segment <loc0001> cat", " spaced  prompt ", "中文 prompt\n", "x<bos>y",
               "tab\there", "emoji 👨‍👩‍👧"]
    prompt_cases = []
    for p in prompts:
        ids = processor(images=image, text=p, return_tensors=None)["input_ids"][0]
        prompt_cases.append({"prompt": p, "image_token_count": image_processor.image_seq_length,
                             "ids": ids})

    references = {
        "strings": cases, "bytes": byte_cases, "decode": decode_cases,
        "plain_model": plain_cases, "unused_model": unused_cases, "options_model": options_cases,
        "added_token_options": {"tokens": option_tokens, "strings": option_cases},
        "stage_variants": stage_cases,
        "prompts": prompt_cases,
        "image_token_id": processor.image_token_id,
    }
    with open(os.path.join(OUT, "references.json"), "w") as f:
        json.dump(references, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")

    files = sorted(n for n in os.listdir(OUT) if n != "manifest.json")
    manifest = {
        "generator": "Tests/Fixtures/generator/generate_tokenizer_fixtures.py",
        "seed": SEED,
        "versions": {"sentencepiece": spm.__version__, "transformers": transformers.__version__,
                     "tokenizers": tokenizers.__version__},
        "counts": {"strings": len(cases), "bytes": len(byte_cases),
                   "decode": len(decode_cases), "plain_model": len(plain_cases),
                   "unused_model": len(unused_cases), "options_model": len(options_cases),
                   "added_token_options": len(option_cases),
                   "stage_variants": len(stage_cases),
                   "prompts": len(prompt_cases), **stats},
        "files": {n: sha256(os.path.join(OUT, n)) for n in files},
    }
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    shutil.rmtree(work)
    print(json.dumps(manifest["counts"]))


def write_benchmark_text(path, megabytes=4.0):
    """Mixed text for speed measurements: mostly prose, with other scripts, digits, emoji,
    loc tags and whitespace runs (seeded; the same file every time)."""
    rng = random.Random(SEED + 3)
    prose = list(gemma_tokenizer.DEFAULT_CORPUS) + [" ".join(WORDS)]
    lines, size = [], 0
    while size < megabytes * 1_000_000:
        r = rng.random()
        if r < 0.6:
            line = " ".join(rng.choice(prose) for _ in range(rng.randrange(1, 4)))
        elif r < 0.75:
            line = " ".join(rng.choice(SCRIPTS) for _ in range(rng.randrange(1, 4)))
        elif r < 0.85:
            line = " ".join(rng.choice(DIGITS) for _ in range(rng.randrange(3, 12)))
        else:
            line = "".join(fragment(rng) for _ in range(rng.randrange(5, 20)))
        lines.append(line)
        size += len(line.encode()) + 1
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(path, size)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--benchmark-text":
        write_benchmark_text(sys.argv[2])
    else:
        main()
