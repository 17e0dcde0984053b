#!/usr/bin/env bash
# palidoc against transformers on the same PaliGemma 2 3B-shaped random checkpoint, same
# machine, same run. Writes the checkpoint once if missing (Tests/Fixtures/large/, git-ignored),
# measures the machine's limits (OpenBLAS sgemm GFLOP/s, DRAM read bandwidth), runs
# `palidoc bench` (once per weight precision) and Tests/Benchmarks/transformers_bench.py (once
# per dtype, eager attention) with the same thread count, and prints tables with the ratios.
#
# Usage: Tests/Benchmarks/compare.sh [--resolution 224|448|896] [--new-tokens N] [--batch B]
#            [--runs R] [--reference-runs R] [--threads T] [--project-tokens N]
#            [--palidoc "f32 bf16 int8 w8a8"] [--kv-cache f32|bf16|int8]
#            [--transformers "float32 bfloat16"] [--unset-openblas-env]
# --palidoc / --transformers list the sides to run (an empty list skips that implementation);
# --kv-cache sets palidoc's keys and values in memory (default f32; transformers keeps them in
# its dtype);
# --project-tokens N adds pages/hour projected for N generated tokens per page (default 500,
# an OCR page) from the measured phases; --reference-runs sets transformers' own run count
# (default: --runs), for the slow bfloat16 runs on CPUs without native bf16;
# --unset-openblas-env runs palidoc and the probe without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE
# (machines that set them for older OpenBLAS builds), so palidoc's own core choice applies.
# Needs: a release build (`swift build -c release --product palidoc`), python3 with the pinned
# reference stack (Tests/Fixtures/requirements.txt), cc and libopenblas-dev. Raw JSON of every
# side goes to .build/bench/.
set -euo pipefail

resolution=224 new_tokens=16 batch=1 runs=3 reference_runs= threads=2 project_tokens=500
palidoc_sides="f32 bf16" kv_cache=f32 transformers_sides="float32 bfloat16" blas_env=()
while [ $# -gt 0 ]; do
    case "$1" in
        --resolution) resolution=$2; shift 2 ;;
        --new-tokens) new_tokens=$2; shift 2 ;;
        --batch) batch=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --reference-runs) reference_runs=$2; shift 2 ;;
        --threads) threads=$2; shift 2 ;;
        --project-tokens) project_tokens=$2; shift 2 ;;
        --palidoc) palidoc_sides=$2; shift 2 ;;
        --kv-cache) kv_cache=$2; shift 2 ;;
        --transformers) transformers_sides=$2; shift 2 ;;
        --unset-openblas-env) blas_env=(-u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE); shift ;;
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
env "${blas_env[@]}" "$out/machine_probe" "$threads" > "$out/machine.json"

tag="$resolution-b$batch-n$new_tokens-kv$kv_cache"
sides=()
for weights in $palidoc_sides; do
    echo "palidoc $weights ..." >&2
    env "${blas_env[@]}" "$palidoc" bench --model "$model" --resolution "$resolution" --batch "$batch" \
        --new-tokens "$new_tokens" --runs "$runs" --weights "$weights" --kv-cache "$kv_cache" \
        --project-tokens "$project_tokens" --json > "$out/palidoc-$weights-$tag.json"
    sides+=("palidoc $weights=palidoc-$weights-$tag.json")
done
for dtype in $transformers_sides; do
    echo "transformers $dtype ..." >&2
    python3 Tests/Benchmarks/transformers_bench.py --model "$model" --dtype "$dtype" \
        --batch "$batch" --new-tokens "$new_tokens" --runs "${reference_runs:-$runs}" \
        --threads "$threads" \
        2>/dev/null > "$out/transformers-$dtype-$tag.json"
    sides+=("transformers $dtype=transformers-$dtype-$tag.json")
done

python3 - "$out" "$model" "$project_tokens" "${sides[@]}" <<'PY'
import json, os, platform, sys

out, model, project = sys.argv[1], sys.argv[2], int(sys.argv[3])
sides = {}
for entry in sys.argv[4:]:
    name, file = entry.split("=", 1)
    sides[name] = json.load(open(os.path.join(out, file)))
machine = json.load(open(os.path.join(out, "machine.json")))
cpuinfo = open("/proc/cpuinfo").read().splitlines()
cpu = next((l.split(":", 1)[1].strip() for l in cpuinfo if l.startswith("model name")),
           platform.processor())
flags = next((l.split(":", 1)[1].split() for l in cpuinfo if l.startswith("flags")), [])
vector = [f for f in ("avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx_vnni", "avx512_vnni",
                      "avx512_bf16", "amx_tile", "amx_int8", "amx_bf16") if f in flags]
peak, gbps = machine["sgemm_gflops"], machine["read_gb_per_s"]
print(f"machine: {cpu}, {os.cpu_count()} CPUs ({' '.join(vector)}); {machine['threads']} "
      f"threads; OpenBLAS sgemm ({machine.get('blas_core', '?')}) {peak} GFLOP/s, DRAM read {gbps} GB/s (read loop "
      f"{machine.get('read_loop_gb_per_s', '?')}, sgemv {machine.get('sgemv_gb_per_s', '?')}); "
      f"load average {os.getloadavg()[0]:.2f}")
kernels = next((j["kernels"] for j in sides.values() if "kernels" in j), None)
if kernels:
    print(f"palidoc: kernel level {kernels['kernel_level']}, BLAS core {kernels['blas_core']} "
          f"({kernels['blas_core_origin']}), oneDNN {kernels.get('onednn', '?')}; "
          + "; ".join(f"{k}: {v}" for k, v in sorted(kernels["products"].items())))
first = next(iter(sides.values()))
runs = "/".join(sorted({str(j["runs"]) for j in sides.values()}))
caches = "/".join(sorted({j["kv_cache"] for j in sides.values() if "kv_cache" in j}))
print(f"resolution {first['resolution']} px, {first['prefix_tokens']} prefix tokens, batch "
      f"{first['batch']}, {first['new_tokens']} forced tokens, fastest of {runs} runs"
      + (f"; palidoc's KV cache {caches}" if caches else ""))

# Decode reads every decoder weight and the tied embedding once per step: the bandwidth bound.
t = json.load(open(os.path.join(model, "config.json")))["text_config"]
head = t.get("head_dim", 256)
per_layer = (t["hidden_size"] * head * (t["num_attention_heads"] * 2 + t["num_key_value_heads"] * 2)
             + 3 * t["hidden_size"] * t["intermediate_size"])
params = per_layer * t["num_hidden_layers"] + t["vocab_size"] * t["hidden_size"]
# Bytes per weight in memory (int8's per-row float32 scales add < 0.2 %).
weight_bytes = {"f32": 4, "float32": 4, "bf16": 2, "bfloat16": 2, "int8": 1, "w8a8": 1}
bounds = {k: params * b / gbps / 1e6 for k, b in weight_bytes.items()}
print(f"decode bandwidth bound: {params / 1e9:.2f} G weights per step -> "
      + ", ".join(f"{bounds[k]:.0f} ms ({k})" for k in ("f32", "bf16", "int8"))
      + " at the first probe's rate")
# palidoc reads each step's weights alone right after the step, in the same process: its
# decode / bound is the step against that read, at the memory's rate of the same moments.
read_alone = {n: j["decode_weight_bytes"] / j["decode_step_read_ms"] / 1e6
              for n, j in sides.items() if j.get("decode_step_read_ms")}
if read_alone:
    print("palidoc's decode / bound: each step against reading its weights alone right after "
          "it (" + ", ".join(f"{n.split()[-1]} {g:.1f} GB/s" for n, g in read_alone.items())
          + "); transformers': at the probe's rate")


def row(name, j):
    # palidoc reports encode and prefill apart; transformers' prefill includes the encode.
    first = j.get("prefill_incl_encode_s", j["encode_s"] * j["batch"] + j.get("prefill_s", 0))
    step = j["decode_ms_per_step"]
    bytes_per_weight = weight_bytes.get(name.split()[-1])
    bound = params * bytes_per_weight / gbps / 1e6 if bytes_per_weight else None
    over_bound = j.get("decode_step_over_read") or (step / bound if bound else None)
    projected = j["batch"] * 3600 / (first + step / 1000 * (project - 1))
    rate = lambda key: f"{j[key]:.0f} ({j[key] / peak:.0%})" if key in j else "—"
    return {"encode s/page": j["encode_s"],
            "encode GFLOP/s (of sgemm)": rate("encode_gflops_per_s"),
            "encode+prefill s": first,
            "prefill GFLOP/s (of sgemm)": rate("prefill_gflops_per_s"),
            # The linear layers' GEMMs alone (time inside Ops.linear, palidoc only).
            "GEMMs encode / prefill GFLOP/s (of sgemm)":
                f"{rate('encode_products_gflops_per_s')} / {rate('prefill_products_gflops_per_s')}"
                if "prefill_products_gflops_per_s" in j else "—",
            "decode ms/step": step,
            "decode / bound": f"{over_bound:.2f}×" if over_bound and j["batch"] == 1 else "—",
            "decode tokens/s": j["batch"] * 1000 / step,
            f"pages/hour ({j['new_tokens']} tokens)": j["pages_per_hour"],
            f"pages/hour ({project} tokens, projected)": projected,
            "peak RSS GB": (j["peak_rss_bytes"] or 0) / 1e9}


def cell(value):
    if isinstance(value, str):
        return value
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


rows = {name: row(name, j) for name, j in sides.items()}
columns = list(next(iter(rows.values())))
print("| | " + " | ".join(columns) + " |")
print("|---" * (len(columns) + 1) + "|")
for name, r in rows.items():
    print(f"| {name} | " + " | ".join(cell(r[c]) for c in columns) + " |")
# Speed-ups of each palidoc side over each transformers side (>1: palidoc faster or, for
# pages/hour, more pages), and the peak RSS ratio.
faster = ["encode s/page", "encode+prefill s", "decode ms/step"]
more = [c for c in columns if c.startswith("pages/hour")]
ours = [n for n in rows if n.startswith("palidoc")]
refs = [n for n in rows if n.startswith("transformers")]
if ours and refs:
    print()
    print("| speed-up | " + " | ".join(faster + more) + " | peak RSS ratio |")
    print("|---" * (len(faster) + len(more) + 2) + "|")
    for o in ours:
        for r in refs:
            a, b = rows[o], rows[r]
            values = [b[c] / a[c] for c in faster] + [a[c] / b[c] for c in more]
            values.append(a["peak RSS GB"] / b["peak RSS GB"])
            print(f"| {o} vs {r} | " + " | ".join(f"{v:.2f}×" for v in values) + " |")
PY
