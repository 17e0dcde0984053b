#!/usr/bin/env bash
# palidoc against transformers on the same PaliGemma 2 3B-shaped random checkpoint, same
# machine, same run. Writes the checkpoint once if missing (Tests/Fixtures/large/, git-ignored),
# measures the machine's limits (OpenBLAS sgemm GFLOP/s, DRAM read bandwidth), runs
# `palidoc bench` (f32 and bf16 weights) and Tests/Benchmarks/transformers_bench.py (float32 and bfloat16, eager
# attention) with the same thread count, and prints a table with the ratios.
#
# Usage: Tests/Benchmarks/compare.sh [--resolution 224|448|896] [--new-tokens N] [--batch B]
#                                    [--runs R] [--threads T]
# Needs: a release build (`swift build -c release --product palidoc`), python3 with the pinned
# reference stack (Tests/Fixtures/requirements.txt), cc and libopenblas-dev. Raw JSON of every
# side goes to .build/bench/.
set -euo pipefail

resolution=224 new_tokens=16 batch=1 runs=3 threads=2
while [ $# -gt 0 ]; do
    case "$1" in
        --resolution) resolution=$2; shift 2 ;;
        --new-tokens) new_tokens=$2; shift 2 ;;
        --batch) batch=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --threads) threads=$2; shift 2 ;;
        *) echo "compare.sh: error: unknown argument $1" >&2; exit 2 ;;
    esac
done
case "$resolution" in 224|448|896) ;; *)
    echo "compare.sh: error: --resolution must be 224, 448 or 896" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
model=${PALIDOC_BENCH_MODEL:-Tests/Fixtures/large/paligemma2-3b-$resolution}
out=.build/bench
mkdir -p "$out"
palidoc=.build/release/palidoc
[ -x "$palidoc" ] || { echo "compare.sh: error: build first: swift build -c release --product palidoc" >&2; exit 1; }

if [ ! -f "$model/config.json" ]; then
    echo "writing the 3B-shaped random checkpoint to $model (once) ..." >&2
    python3 Tests/Fixtures/generator/generate_paligemma_fixtures.py --large "$model" \
        --resolution "$resolution"
fi

export OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads
cc -O3 -march=native -pthread Tests/Benchmarks/machine_probe.c \
    $(pkg-config --cflags --libs openblas) -o "$out/machine_probe"
"$out/machine_probe" "$threads" > "$out/machine.json"

tag="$resolution-b$batch-n$new_tokens"
for weights in f32 bf16; do
    "$palidoc" bench --model "$model" --resolution "$resolution" --batch "$batch" \
        --new-tokens "$new_tokens" --runs "$runs" --weights "$weights" --json \
        > "$out/palidoc-$weights-$tag.json"
done
for dtype in float32 bfloat16; do
    python3 Tests/Benchmarks/transformers_bench.py --model "$model" --dtype "$dtype" \
        --batch "$batch" --new-tokens "$new_tokens" --runs "$runs" --threads "$threads" \
        2>/dev/null > "$out/transformers-$dtype-$tag.json"
done

python3 - "$out" "$tag" "$model" <<'EOF'
import json, os, platform, sys

out, tag, model = sys.argv[1], sys.argv[2], sys.argv[3]
load = lambda name: json.load(open(os.path.join(out, name)))
machine = load("machine.json")
ours = load(f"palidoc-f32-{tag}.json")
sides = {"palidoc f32": ours, "palidoc bf16": load(f"palidoc-bf16-{tag}.json"),
         "transformers fp32": load(f"transformers-float32-{tag}.json"),
         "transformers bf16": load(f"transformers-bfloat16-{tag}.json")}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
            if l.startswith("model name")), platform.processor())
print(f"machine: {cpu}, {os.cpu_count()} CPUs; {machine['threads']} threads; "
      f"OpenBLAS sgemm {machine['sgemm_gflops']} GFLOP/s, DRAM read {machine['read_gb_per_s']} GB/s")
print(f"resolution {ours['resolution']} px, {ours['prefix_tokens']} prefix tokens, batch "
      f"{ours['batch']}, {ours['new_tokens']} forced tokens, fastest of {ours['runs']}")

# Decode reads every decoder weight and the tied embedding once per step: the bandwidth bound.
t = json.load(open(os.path.join(model, "config.json")))["text_config"]
head = t.get("head_dim", 256)
per_layer = (t["hidden_size"] * head * (t["num_attention_heads"] * 2 + t["num_key_value_heads"] * 2)
             + 3 * t["hidden_size"] * t["intermediate_size"])
params = per_layer * t["num_hidden_layers"] + t["vocab_size"] * t["hidden_size"]
gbps = machine["read_gb_per_s"]
print(f"decode bandwidth bound: {params / 1e9:.2f} G weights per step -> "
      f"{params * 4 / gbps / 1e6:.0f} ms (f32), {params * 2 / gbps / 1e6:.0f} ms (bf16)")


def row(j):
    # palidoc reports encode and prefill apart; transformers' prefill includes the encode.
    first = j.get("prefill_incl_encode_s", j["encode_s"] * j["batch"] + j.get("prefill_s", 0))
    return {"encode s/page": j["encode_s"], "encode+prefill s": first,
            "decode ms/step": j["decode_ms_per_step"], "pages/hour": j["pages_per_hour"],
            "peak RSS GB": (j["peak_rss_bytes"] or 0) / 1e9}


rows = {name: row(j) for name, j in sides.items()}
columns = list(rows["palidoc f32"])
print("| | " + " | ".join(columns) + " |")
print("|---" * (len(columns) + 1) + "|")
for name, r in rows.items():
    print(f"| {name} | " + " | ".join(f"{r[c]:.3f}" if r[c] < 10 else f"{r[c]:.1f}"
                                       for c in columns) + " |")
for ours_name in ("palidoc f32", "palidoc bf16"):
    for ref in ("transformers fp32", "transformers bf16"):
        t, p = rows[ref], rows[ours_name]
        # Speed-up of palidoc: >1 means palidoc is faster (or, for pages/hour, does more).
        speed = [t[c] / p[c] for c in columns[:3]] + [p["pages/hour"] / t["pages/hour"],
                                                       p["peak RSS GB"] / t["peak RSS GB"]]
        print(f"| {ours_name} vs {ref} (speed-up; RSS ratio) | "
              + " | ".join(f"{s:.2f}×" for s in speed) + " |")
EOF
