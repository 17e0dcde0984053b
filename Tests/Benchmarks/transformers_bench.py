"""Time transformers' PaliGemma on a checkpoint, phase by phase, as `palidoc bench` does.

Usage:
    python3 Tests/Benchmarks/transformers_bench.py --model DIR --dtype float32|bfloat16
        [--batch B] [--new-tokens N] [--runs R] [--threads T] [--prompt TEXT]

Eager attention, `--threads` torch threads (default 2). Random pixel values at the
checkpoint's resolution; the prefix is `<image>`×N, `<bos>`, prompt, `\\n` (the processor's
layout). Phases, each the fastest of `--runs`: vision + projector per page (timed by hooks
inside the prefill forward), prefill including vision for the whole batch (as transformers
runs it, one forward), and one forced decode step
of the batch (argmax fed back, never stopping at `<eos>`). Peak RSS is VmHWM. Prints one JSON
object whose keys match `palidoc bench --json` where they mean the same thing.
"""

import argparse
import json
import time

import torch
from transformers import AutoTokenizer, PaliGemmaForConditionalGeneration


def peak_rss_bytes():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return None


def prefix_ids(model, tokenizer, prompt, batch):
    config = model.config
    image_tokens = config.vision_config.num_image_tokens if hasattr(
        config.vision_config, "num_image_tokens") else (
        config.vision_config.image_size // config.vision_config.patch_size) ** 2
    text = tokenizer.encode(prompt + "\n", add_special_tokens=False)
    ids = [config.image_token_id] * image_tokens + [tokenizer.bos_token_id] + text
    return torch.tensor([ids] * batch)


class EncodeTimer:
    """Times vision tower + projector inside the prefill forward (hooks), so the slow
    bfloat16 runs encode each page once instead of once more on their own."""

    def __init__(self, model):
        self.start = self.end = None
        inner = model.model
        inner.vision_tower.register_forward_pre_hook(self._begin)
        inner.multi_modal_projector.register_forward_hook(self._finish)

    def _begin(self, module, args):
        self.start = time.perf_counter()

    def _finish(self, module, args, output):
        self.end = time.perf_counter()

    def seconds(self):
        return self.end - self.start


@torch.inference_mode()
def measure(model, timer, input_ids, pixel_values, new_tokens):
    batch = input_ids.shape[0]
    mask = torch.ones_like(input_ids)
    token_types = torch.zeros_like(input_ids)  # the whole prefix is bidirectional
    start = time.perf_counter()
    out = model(input_ids=input_ids, pixel_values=pixel_values, attention_mask=mask,
                token_type_ids=token_types, use_cache=True, logits_to_keep=1)
    prefill = time.perf_counter() - start
    encode = timer.seconds() / batch

    past = out.past_key_values
    logits = out.logits[:, -1, :]
    start = time.perf_counter()
    for _ in range(new_tokens - 1):
        token = logits.argmax(dim=-1, keepdim=True)
        mask = torch.cat([mask, torch.ones_like(token)], dim=1)
        out = model(input_ids=token, attention_mask=mask, past_key_values=past, use_cache=True)
        past, logits = out.past_key_values, out.logits[:, -1, :]
    step = (time.perf_counter() - start) / (new_tokens - 1)
    return encode, prefill, step


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--dtype", choices=["float32", "bfloat16"], default="bfloat16")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--new-tokens", type=int, default=16)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--prompt", default="ocr")
    args = parser.parse_args()
    if args.new_tokens < 2:
        parser.error("--new-tokens must be at least 2")
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    start = time.perf_counter()
    dtype = getattr(torch, args.dtype)
    model = PaliGemmaForConditionalGeneration.from_pretrained(
        args.model, dtype=dtype, attn_implementation="eager").eval()
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    load = time.perf_counter() - start

    size = model.config.vision_config.image_size
    input_ids = prefix_ids(model, tokenizer, args.prompt, args.batch)
    pixel_values = (torch.rand(args.batch, 3, size, size) * 2 - 1).to(dtype)
    timer = EncodeTimer(model)
    best = None
    for _ in range(args.runs):
        times = measure(model, timer, input_ids, pixel_values, args.new_tokens)
        best = times if best is None else tuple(min(a, b) for a, b in zip(best, times))
    encode, prefill, step = best
    batch_seconds = prefill + step * (args.new_tokens - 1)
    print(json.dumps({
        "implementation": "transformers", "dtype": args.dtype, "threads": args.threads,
        "resolution": size, "batch": args.batch, "new_tokens": args.new_tokens,
        "prefix_tokens": input_ids.shape[1], "runs": args.runs, "load_s": load,
        "encode_s": encode, "prefill_incl_encode_s": prefill,
        "decode_ms_per_step": step * 1000, "decode_tokens_per_s": args.batch / step,
        "batch_s": batch_seconds, "pages_per_hour": args.batch * 3600 / batch_seconds,
        "peak_rss_bytes": peak_rss_bytes(),
    }, sort_keys=True))


if __name__ == "__main__":
    main()
