"""Build the tiny random PaliGemma 1 / PaliGemma 2 parity fixtures (seeded, nothing downloaded).

Writes `Tests/Fixtures/paligemma1-tiny/` and `Tests/Fixtures/paligemma2-tiny/`, each holding:
- `config.json` as the hub has it (sub-config fields with defaults omitted), and
  `config.saved.json`, the same configuration as transformers 5 saves it (every field),
- weights under the *released* key layout (`vision_tower.vision_model.*`,
  `language_model.model.*`, `multi_modal_projector.*`); PaliGemma 1 is split into two shards
  with `model.safetensors.index.json`, PaliGemma 2 is one `model.safetensors`,
- tokenizer files (`tokenizer.model` trained by `gemma_tokenizer.train`, plus the
  `tokenizer.json` / `tokenizer_config.json` transformers writes with `<image>` added),
- `image.png` (non-square, far larger than the model resolution),
- `reference.safetensors`: transformers' (fp32, eager, `SiglipImageProcessorPil`) tensors,
- `manifest.json`: library versions and the SHA-256 of every file.

The reference stack is pinned in `../requirements.txt`. Usage:
    python3 Tests/Fixtures/generator/generate_paligemma_fixtures.py [--large DIR [--resolution R]]
`--large DIR` instead writes a PaliGemma 2 3B-shaped random checkpoint (bf16, 224 (default), 448
or 896 px, sharded) to DIR for benchmarks (never committed; use `Tests/Fixtures/large/`, which is git-ignored).
"""

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile

import numpy as np
import PIL
import safetensors
import sentencepiece
import tokenizers
import torch
import transformers
from PIL import Image
from safetensors.torch import save_file
from transformers import (GemmaTokenizer, PaliGemmaConfig, PaliGemmaForConditionalGeneration,
                          PaliGemmaProcessor)
from transformers.models.siglip.image_processing_pil_siglip import SiglipImageProcessorPil

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gemma_tokenizer  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
PROMPT = "caption en"
BATCH_PROMPTS = ["caption en", "ocr", "answer en what is the title?"]
GREEDY_STEPS = 20
EMBED_STD = 0.2
POST_NORM_BASE = 2.0
BATCH_STEPS = 12
BEAM_STEPS = 10
NUM_BEAMS = 3

# Vision tower shared by both fixtures: 56 px / patch 14 -> 16 image tokens.
VISION = {
    "hidden_size": 32, "intermediate_size": 48, "model_type": "siglip_vision_model",
    "num_attention_heads": 4, "num_hidden_layers": 2, "image_size": 56, "patch_size": 14,
    "vision_use_head": False, "projection_dim": 64, "num_image_tokens": 16,
}

# Gemma 1: MQA (4 q heads, 1 kv head), head_dim 24 != 64 / 4, no softcaps, no post norms;
# rope via the pre-v5 `rope_theta` key with a non-default value.
TEXT_GEMMA = {
    "hidden_size": 64, "intermediate_size": 96, "model_type": "gemma",
    "num_attention_heads": 4, "num_hidden_layers": 4, "num_key_value_heads": 1,
    "head_dim": 24, "rope_theta": 50000.0, "num_image_tokens": 16,
}

# Gemma 2: GQA (2 q heads per kv head), head_dim 24, query_pre_attn_scalar 20 != 24, a sliding
# window (6) shorter than the 16-token image prefix, softcaps small enough to bind; layer_types
# left to the default (0, 2 sliding; 1, 3 global) as hub configs do; rope via v5
# `rope_parameters` with a non-default theta.
TEXT_GEMMA2 = {
    "hidden_size": 64, "intermediate_size": 96, "model_type": "gemma2",
    "num_attention_heads": 4, "num_hidden_layers": 4, "num_key_value_heads": 2,
    "head_dim": 24, "query_pre_attn_scalar": 20, "sliding_window": 6,
    "attn_logit_softcapping": 4.0, "final_logit_softcapping": 8.0,
    "rope_parameters": {"rope_type": "default", "rope_theta": 5000.0},
    "num_image_tokens": 16,
}


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def make_image(width, height, seed):
    """A smooth, structured but non-trivial RGB test picture (gradients, bars, a disc, noise)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    r = 127 + 120 * np.sin(x / 17.0 + seed) * np.cos(y / 23.0)
    g = 255 * x / max(width - 1, 1)
    b = 255 * ((np.floor(x / 13) + np.floor(y / 11)) % 2)
    disc = (x - width * 0.6) ** 2 + (y - height * 0.4) ** 2 < (min(width, height) * 0.25) ** 2
    r[disc], g[disc], b[disc] = 250, 30, 40
    rgb = np.stack([r, g, b], axis=-1) + rng.normal(0, 12, size=(height, width, 3))
    return Image.fromarray(np.clip(np.rint(rgb), 0, 255).astype(np.uint8), "RGB")


def released_name(name):
    """transformers 5 in-memory parameter name -> the released checkpoint's on-disk key."""
    if name.startswith("model.vision_tower."):
        return "vision_tower.vision_model." + name[len("model.vision_tower."):]
    if name.startswith("model.language_model."):
        return "language_model.model." + name[len("model.language_model."):]
    if name.startswith("model.multi_modal_projector."):
        return name[len("model."):]
    raise ValueError(name)


def scale_init(model, seed, gain):
    """Re-draw every weight so greedy decoding has clear margins and varied tokens.

    transformers' default init (std 0.02, zero norms, tied embedding) makes the last hidden
    state echo the last input embedding. Larger, seeded weights and non-zero norm scales make
    every layer matter; the embedding is drawn so logits spread over several units.
    """
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name == "lm_head.weight":
                continue
            if p.ndim == 1:
                base = 1.0 if "vision_tower" in name and "norm" in name and "weight" in name else 0.0
                if "post_" in name and "layernorm" in name and "language_model" in name:
                    base = POST_NORM_BASE  # Gemma 2's post norms would otherwise cap each layer
                p.copy_(base + 0.3 * torch.randn(p.shape, generator=gen))
            elif "embed_tokens" in name:
                p.copy_(EMBED_STD * torch.randn(p.shape, generator=gen))
            else:
                fan_in = int(np.prod(p.shape[1:]))
                p.copy_(torch.randn(p.shape, generator=gen) * (gain / fan_in ** 0.5))
    model.tie_weights()


def build_tokenizer(out_dir):
    gemma_tokenizer.train(out_dir)
    tok = GemmaTokenizer.from_pretrained(out_dir, add_bos_token=False, mask_token=None)
    tok.add_special_tokens({"additional_special_tokens": ["<image>"]})
    tok.save_pretrained(out_dir)
    return tok


def hub_config(text, image_token_index, vocab_size):
    text = dict(text, vocab_size=vocab_size)
    return {
        "architectures": ["PaliGemmaForConditionalGeneration"],
        "bos_token_id": 2, "eos_token_id": 1, "pad_token_id": 0,
        "hidden_size": 2048, "image_token_index": image_token_index,
        "model_type": "paligemma", "projection_dim": text["hidden_size"],
        "text_config": text, "vision_config": dict(VISION), "torch_dtype": "float32",
        "transformers_version": transformers.__version__,
    }


def save_weights(model, out_dir, shards):
    tensors = {}
    for name, t in model.state_dict().items():
        if name == "lm_head.weight":
            continue  # tied to the embedding, absent on disk as in the released checkpoints
        tensors[released_name(name)] = t.detach().contiguous().clone()
    names = sorted(tensors)
    if shards == 1:
        save_file(tensors, os.path.join(out_dir, "model.safetensors"), metadata={"format": "pt"})
        return
    weight_map, size = {}, 0
    per = (len(names) + shards - 1) // shards
    for i in range(shards):
        file = f"model-{i + 1:05d}-of-{shards:05d}.safetensors"
        part = {n: tensors[n] for n in names[i * per:(i + 1) * per]}
        save_file(part, os.path.join(out_dir, file), metadata={"format": "pt"})
        for n, t in part.items():
            weight_map[n] = file
            size += t.numel() * t.element_size()
    with open(os.path.join(out_dir, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": size}, "weight_map": weight_map}, f, indent=2)


def processor_inputs(processor, image, prompt):
    inputs = processor(images=image, text=prompt, return_tensors="pt")
    return inputs


def greedy(model, inputs, steps, suppress, eos):
    out = model.generate(**inputs, max_new_tokens=steps, do_sample=False, num_beams=1,
                         suppress_tokens=suppress, eos_token_id=eos, output_logits=True,
                         return_dict_in_generate=True, min_new_tokens=0)
    start = inputs["input_ids"].shape[1]
    ids = out.sequences[0, start:].tolist()
    logits = torch.stack([l[0] for l in out.logits]).float()
    return ids, logits


def build(name, text, shards, seed, image_size, gain):
    out_dir = os.path.join(ROOT, name)
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    tok = build_tokenizer(out_dir)
    image_token = tok.convert_tokens_to_ids("<image>")
    vocab = (image_token + 1 + 63) // 64 * 64  # HF pads the matrix to a multiple of 64 rows
    cfg_json = hub_config(text, image_token, vocab)
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(cfg_json, f, indent=2)

    torch.manual_seed(seed)
    config = PaliGemmaConfig.from_pretrained(out_dir)
    assert config.text_config.rope_parameters["rope_theta"] == text.get(
        "rope_theta", text.get("rope_parameters", {}).get("rope_theta"))
    model = PaliGemmaForConditionalGeneration(config)
    scale_init(model, seed, gain)
    save_weights(model, out_dir, shards)
    # Reload from the released layout so the references come from what is on disk.
    model = PaliGemmaForConditionalGeneration.from_pretrained(
        out_dir, attn_implementation="eager", dtype=torch.float32).eval()

    # transformers 5 writes every config field explicitly: keep its version beside the hub-style
    # one so both decodings can be compared.
    with tempfile.TemporaryDirectory() as saved:
        model.config.save_pretrained(saved)
        shutil.copy(os.path.join(saved, "config.json"), os.path.join(out_dir, "config.saved.json"))

    image = make_image(*image_size, seed)
    image.save(os.path.join(out_dir, "image.png"))
    image_b = make_image(97, 131, seed + 1)
    image_processor = SiglipImageProcessorPil(size={"height": 56, "width": 56})
    image_processor.image_seq_length = VISION["num_image_tokens"]
    processor = PaliGemmaProcessor(image_processor=image_processor, tokenizer=tok)
    suppress = list(range(image_token, vocab))  # no <image>, no padding rows
    ref = {}
    with torch.no_grad():
        inputs = processor_inputs(processor, image, PROMPT)
        pixel_values = inputs["pixel_values"]
        vision = model.model.vision_tower(pixel_values).last_hidden_state
        projected = model.model.multi_modal_projector(vision)
        full = model(**inputs)
        ids, logits = greedy(model, inputs, GREEDY_STEPS, suppress, [1])
        assert len(ids) == GREEDY_STEPS, f"{name}: greedy stopped early: {ids}"
        assert torch.allclose(logits[0], full.logits[0, -1], atol=1e-5)
        top2 = torch.topk(logits[:, :image_token], 2).values
        margin = (top2[:, 0] - top2[:, 1]).min().item()
        assert margin > 5e-3, f"{name}: argmax margin {margin} too small"
        assert len(set(ids)) >= 6, f"{name}: greedy ids too repetitive: {ids}"
        ref.update({
            "image_rgb": torch.from_numpy(np.asarray(image)).contiguous(),
            "input_ids": inputs["input_ids"][0].to(torch.int64),
            "pixel_values": pixel_values[0].float(),
            "vision_output": vision[0].float(),
            "projector_output": projected[0].float(),
            "prefill_logits": full.logits[0, -1].float(),
            "greedy_logits": logits,
            "greedy_ids": torch.tensor(ids, dtype=torch.int64),
        })

        # Several image/prompt pairs, each run alone (batch 1) by transformers; a stop id taken
        # from the first sequence's greedy path makes the sequences stop at different steps.
        images = [image, image_b, image]
        first, _ = greedy(model, processor_inputs(processor, images[0], BATCH_PROMPTS[0]),
                          BATCH_STEPS, suppress, [1])
        stop = [1, first[4]]
        batch_ids = torch.full((len(images), BATCH_STEPS), -1, dtype=torch.int64)
        batch_logits = torch.zeros((len(images), BATCH_STEPS, vocab))
        lengths = []
        for i, (img, prompt) in enumerate(zip(images, BATCH_PROMPTS)):
            inp = processor_inputs(processor, img, prompt)
            ids_i, logits_i = greedy(model, inp, BATCH_STEPS, suppress, stop)
            batch_ids[i, :len(ids_i)] = torch.tensor(ids_i)
            batch_logits[i, :len(ids_i)] = logits_i
            lengths.append(len(ids_i))
            ref[f"batch_input_ids_{i}"] = inp["input_ids"][0].to(torch.int64)
        assert len(set(lengths)) > 1, f"{name}: batch sequences all stop together: {lengths}"
        ref["batch_image_b_rgb"] = torch.from_numpy(np.asarray(image_b)).contiguous()
        ref["batch_stop_ids"] = torch.tensor(stop, dtype=torch.int64)
        ref["batch_ids"] = batch_ids
        ref["batch_logits"] = batch_logits

        # Beam search with transformers' defaults (length_penalty 1.0, early_stopping False);
        # the same extra stop id makes some hypotheses finish before the budget.
        out = model.generate(**inputs, max_new_tokens=BEAM_STEPS, do_sample=False,
                             num_beams=NUM_BEAMS, suppress_tokens=suppress, eos_token_id=stop,
                             return_dict_in_generate=True, output_scores=True)
        start = inputs["input_ids"].shape[1]
        beam = out.sequences[0, start:].tolist()
        ref["beam_ids"] = torch.tensor(beam, dtype=torch.int64)
        ref["beam_score"] = out.sequences_scores.float()
        ref["beam_stop_ids"] = torch.tensor(stop, dtype=torch.int64)

        # The same greedy run with every weight rounded to bf16 (compute stays fp32; buffers
        # such as RoPE's inverse frequencies untouched): what a bf16 copy of the checkpoint
        # must reproduce. These random fixtures are chaotic on purpose (large gains), so bf16
        # rounding could change greedy steps relative to fp32; seeds are chosen so it does not.
        for p in model.parameters():
            p.data = p.data.bfloat16().float()
        bf16_ids, bf16_logits = greedy(model, inputs, GREEDY_STEPS, suppress, [1])
        ref["bf16_greedy_ids"] = torch.tensor(bf16_ids, dtype=torch.int64)
        ref["bf16_greedy_logits"] = bf16_logits
        same = next((i for i, (a, b) in enumerate(zip(ids, bf16_ids)) if a != b), len(ids))
        assert same == len(ids), f"{name}: bf16 weights change greedy step {same}"
        print(f"{name}: bf16 weights keep all greedy ids; max logit deviation "
              f"{(bf16_logits - logits).abs().max().item():.4f}")
    save_file({k: v.contiguous() for k, v in ref.items()},
              os.path.join(out_dir, "reference.safetensors"),
              metadata={"prompt": PROMPT, "batch_prompts": json.dumps(BATCH_PROMPTS),
                        "num_beams": str(NUM_BEAMS), "beam_steps": str(BEAM_STEPS),
                        "batch_steps": str(BATCH_STEPS)})
    print(f"{name}: greedy {ids} margin {margin:.3f} batch lengths {lengths} beam {beam}")
    write_manifest(out_dir)


def write_manifest(out_dir):
    files = sorted(f for f in os.listdir(out_dir) if f != "manifest.json")
    manifest = {
        "generator": "Tests/Fixtures/generator/generate_paligemma_fixtures.py",
        # palidoc reads this marker and says in every output that the text is meaningless.
        "random_weights": True,
        "versions": {
            "python": sys.version.split()[0], "torch": torch.__version__,
            "transformers": transformers.__version__, "tokenizers": tokenizers.__version__,
            "safetensors": safetensors.__version__, "sentencepiece": sentencepiece.__version__,
            "numpy": np.__version__, "pillow": PIL.__version__,
        },
        "reference": "transformers PaliGemmaForConditionalGeneration, float32, eager attention, "
                     "SiglipImageProcessorPil, batch 1",
        "files": {f: sha256(os.path.join(out_dir, f)) for f in files},
    }
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


def build_large(out_dir, resolution=224):
    """PaliGemma 2 3B-shaped random checkpoint (224/448/896 px), bf16 on disk, sharded."""
    os.makedirs(out_dir, exist_ok=True)
    tok = build_tokenizer(out_dir)
    image_tokens = (resolution // 14) ** 2
    text = {"hidden_size": 2304, "intermediate_size": 9216, "model_type": "gemma2",
            "num_attention_heads": 8, "num_hidden_layers": 26, "num_key_value_heads": 4,
            "num_image_tokens": image_tokens, "hidden_activation": "gelu_pytorch_tanh"}
    vision = {"hidden_size": 1152, "intermediate_size": 4304, "model_type": "siglip_vision_model",
              "num_attention_heads": 16, "num_hidden_layers": 27,
              "num_image_tokens": image_tokens, "image_size": resolution,
              "patch_size": 14, "projection_dim": 2304, "vision_use_head": False}
    cfg = {"architectures": ["PaliGemmaForConditionalGeneration"], "bos_token_id": 2,
           "eos_token_id": 1, "pad_token_id": 0, "hidden_size": 2048,
           "image_token_index": 257152, "model_type": "paligemma", "projection_dim": 2304,
           "text_config": dict(text, vocab_size=257216), "vision_config": vision,
           "torch_dtype": "bfloat16"}
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    config = PaliGemmaConfig.from_pretrained(out_dir)
    with torch.device("meta"):
        model = PaliGemmaForConditionalGeneration(config)
    gen = torch.Generator().manual_seed(0)
    shard, shard_size, index, files = {}, 0, {}, []

    def flush():
        nonlocal shard, shard_size
        if shard:
            file = f"model-{len(files) + 1:05d}.safetensors"
            save_file(shard, os.path.join(out_dir, file), metadata={"format": "pt"})
            files.append(file)
            for n in shard:
                index[n] = file
            shard, shard_size = {}, 0

    for name, p in model.state_dict().items():
        if name == "lm_head.weight":
            continue
        t = (torch.randn(p.shape, generator=gen) * (0.02 if p.ndim > 1 else 0.1)).bfloat16()
        shard[released_name(name)] = t
        shard_size += t.numel() * 2
        if shard_size > 2_000_000_000:
            flush()
    flush()
    n = len(files)
    renames = {f: f"model-{i + 1:05d}-of-{n:05d}.safetensors" for i, f in enumerate(files)}
    for old, new in renames.items():
        os.rename(os.path.join(out_dir, old), os.path.join(out_dir, new))
    with open(os.path.join(out_dir, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {}, "weight_map": {k: renames[v] for k, v in index.items()}}, f)
    # The marker palidoc reads to flag outputs of a random-weight model.
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump({"generator": "Tests/Fixtures/generator/generate_paligemma_fixtures.py",
                   "random_weights": True}, f, indent=2)
        f.write("\n")
    print(f"wrote {out_dir} ({n} shards)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", help="write a 3B-shaped random checkpoint here instead")
    parser.add_argument("--resolution", type=int, default=224, choices=[224, 448, 896],
                        help="input resolution of the --large checkpoint")
    args = parser.parse_args()
    if args.large:
        build_large(args.large, args.resolution)
        return
    torch.set_num_threads(1)
    build("paligemma1-tiny", TEXT_GEMMA, shards=2, seed=3, image_size=(301, 187), gain=2.5)
    build("paligemma2-tiny", TEXT_GEMMA2, shards=1, seed=7, image_size=(263, 409), gain=4.0)


if __name__ == "__main__":
    main()
