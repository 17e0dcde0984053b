#!/usr/bin/env bash
# The shared queue's benchmarks, on a PostgreSQL 15 server of their own:
#   (a) queue cycles per second (claim + page checkpoint + complete) with concurrent clients
#       (`palidoc bench queue`, no model);
#   (b) pages/hour on one machine with the same total threads: one worker process with 2
#       threads, two processes with 1 thread each, one process converting 2 chunks at once;
#   (c) kill -9 of the worker holding a chunk mid-batch: time until another worker reclaims it
#       and commits its next pages, and the work lost (read from the database's timestamps).
# Prints a header (CPU, features, commit, date, server settings) and Markdown tables for
# docs/benchmarks/. Numbers are only comparable on one machine; run it on a quiet one.
#
# Usage: Tests/Benchmarks/queue.sh [--model DIR] [--palidoc BIN] [--seconds S]
#            [--clients 1,8,16] [--documents N] [--pages N] [--chunk-pages N] [--tokens N]
#            [--dpi N] [--lease S] [--kill-pages N] [--weights W] [--only queue|pages|kill]
#   --model       checkpoint for (b) and (c) (default: Tests/Fixtures/paligemma2-tiny)
#   --palidoc     binary to run (default: builds and runs .build/release/palidoc)
#   --seconds     length of each queue-cycle run (default 10)
#   --clients     client counts of (a) (default 1,8,16)
#   --documents, --pages   (b): documents and pages each (default 8 × 4)
#   --chunk-pages (b): pages per chunk (default 1, the pipeline default; a chunk's pages are
#                 decoded together in batches of up to 8)
#   --tokens      OCR tokens per page at most, so a page takes seconds (default 8)
#   --dpi         render resolution of the pages (default 72)
#   --lease       worker lease in seconds for (c) (default 5)
#   --kill-pages  pages of (c)'s document, one chunk (default 24: three engine batches)
#   --weights     the workers' --weights (default auto)
# As root the server runs as nobody (initdb refuses root). Needs python3 (standard library
# only) to write the test PDFs.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
model=Tests/Fixtures/paligemma2-tiny
palidoc=""
seconds=10
clients=1,8,16
documents=8
chunk_pages=1
pages=4
tokens=8
dpi=72
lease=5
kill_pages=24
weights=auto
only=""
while [ $# -gt 0 ]; do
    case "$1" in
        --model) model=$2; shift 2 ;;
        --palidoc) palidoc=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --clients) clients=$2; shift 2 ;;
        --documents) documents=$2; shift 2 ;;
        --pages) pages=$2; shift 2 ;;
        --chunk-pages) chunk_pages=$2; shift 2 ;;
        --tokens) tokens=$2; shift 2 ;;
        --dpi) dpi=$2; shift 2 ;;
        --lease) lease=$2; shift 2 ;;
        --kill-pages) kill_pages=$2; shift 2 ;;
        --weights) weights=$2; shift 2 ;;
        --only) only=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
        *) echo "queue.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
model=$(cd "$model" && pwd)
model_folder=$model
if [ -z "$palidoc" ]; then
    swift build -c release --product palidoc >&2
    palidoc=.build/release/palidoc
fi
palidoc=$(cd "$(dirname "$palidoc")" && pwd)/$(basename "$palidoc")

# --- The server -------------------------------------------------------------------------------
pgbin=/usr/lib/postgresql/15/bin
work=$(mktemp -d /tmp/palidoc-queue-bench.XXXXXX)
as_server=()
if [ "$(id -u)" = 0 ]; then
    chown nobody:nogroup "$work"
    as_server=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/socket" "$work/docs"
[ "$(id -u)" = 0 ] && chown nobody:nogroup "$work/socket"
workers=()
cleanup() {
    for pid in "${workers[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    "${as_server[@]}" "$pgbin/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
"${as_server[@]}" "$pgbin/initdb" -D "$work/data" -U postgres --auth-local=trust \
    --auth-host=reject -E UTF8 --locale=C >"$work/initdb.log" 2>&1
"${as_server[@]}" "$pgbin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -t 60 \
    -o "-k $work/socket -p $port -c listen_addresses=127.0.0.1 -c max_connections=300" \
    start >/dev/null
psql() { "$pgbin/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$work/socket" -p "$port" -U postgres "$@"; }
store() { echo "postgres://postgres@/$1?host=$work/socket&port=$port"; }

# The random 3B-shaped checkpoints carry the small test tokenizer, whose <image> id is not the
# config's image_token_index, so they cannot convert documents. Such a checkpoint is used
# through a folder of links with the config's index set to the tokenizer's id: every logit is
# still computed (only generation stops below that id), so a page costs what it would.
image_id=$("$palidoc" tokenize --tokenizer "$model" --text "<image>")
config_id=$(python3 -c 'import json, sys
print(json.load(open(sys.argv[1])).get("image_token_index", 257152))' "$model/config.json")
model_note=""
if [ "$image_id" != "$config_id" ]; then
    mkdir "$work/model"
    for file in "$model"/*; do ln -s "$file" "$work/model/"; done
    rm "$work/model/config.json"
    python3 -c 'import json, sys
config = json.load(open(sys.argv[1]))
config["image_token_index"] = int(sys.argv[2])
json.dump(config, open(sys.argv[3], "w"), indent=2)' "$model/config.json" "$image_id" \
        "$work/model/config.json"
    model_note=", its config's image_token_index $config_id set to its tokenizer's <image> id $image_id"
    model=$work/model
fi
# Creates the empty database bench_NAME with palidoc's schema; prints its name.
new_database() {
    psql -d postgres -c "CREATE DATABASE bench_$1" >/dev/null
    "$palidoc" status --store "$(store "bench_$1")" >/dev/null
    echo "bench_$1"
}

# --- Header -----------------------------------------------------------------------------------
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
flags=$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' \
    | grep -E '^(avx|avx2|fma|f16c|avx512f|avx512bw|avx512vl|avx512_vnni|avx512_bf16|avx_vnni|amx_.*)$' \
    | tr '\n' ' ')
echo "# palidoc queue benchmarks"
echo
echo "- CPU: $cpu, $(nproc) cores seen, features: ${flags:-none of avx, avx2, fma, avx512}"
echo "- memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "- commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD 2>/dev/null || echo ' (with local changes)'), date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- PostgreSQL: $(psql -d postgres -c 'SHOW server_version'), same machine, unix socket;" \
    "fsync $(psql -d postgres -c 'SHOW fsync'), synchronous_commit" \
    "$(psql -d postgres -c 'SHOW synchronous_commit'), shared_buffers" \
    "$(psql -d postgres -c 'SHOW shared_buffers')"
echo "- binary: $palidoc"
echo "- model: $model_folder$model_note; $tokens OCR tokens per page at most, pages at $dpi DPI; --weights $weights"
echo
echo '```'
"$palidoc" --version --verbose 2>&1 || true
echo '```'
echo

# --- Documents and pipelines ------------------------------------------------------------------
# Writes DIR/NAME-i.pdf, i = 1…COUNT, of PAGES pages each, text unique to each document.
make_pdfs() {
    python3 - "$@" <<'PY'
import sys
folder, name, count, pages = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
for doc in range(1, count + 1):
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None,
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for page in range(1, pages + 1):
        lines = [f"{name} {doc}, page {page}"] + [
            f"Line {line}: the quick brown fox jumps over the lazy dog {doc * 1000 + page}"
            for line in range(1, 25)]
        text = "BT /F1 11 Tf 50 790 Td 14 TL " + " ".join(f"({l}) '" for l in lines) + " ET"
        objects.append(f"<< /Length {len(text)} >>\nstream\n{text}\nendstream")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       f"/Resources << /Font << /F1 3 0 R >> >> /Contents {len(objects)} 0 R >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {pages} >>"
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
            "%%EOF\n").encode()
    open(f"{folder}/{name}-{doc}.pdf", "wb").write(out)
PY
}
# A pipeline of one short OCR task by the model (never the PDFs' text layer), CHUNK pages per
# chunk, retried at once.
make_pipeline() {
    cat >"$work/pipeline-$1.yaml" <<EOF
tasks: [{task: ocr, max_tokens: $tokens}]
text_layer: ignore
dpi: $dpi
exporters: [json]
chunk_pages: $1
retries: {max_attempts: 5, initial_backoff_seconds: 0, max_backoff_seconds: 1}
EOF
    echo "$work/pipeline-$1.yaml"
}
# Starts a worker in the background (its pid added to `workers`): LOG THREADS JOBS STORE
# [more flags].
start_worker() {
    local log=$1 threads=$2 jobs=$3 url=$4
    shift 4
    OPENBLAS_NUM_THREADS=$threads "$palidoc" worker --store "$url" --model "$model" \
        --weights "$weights" --jobs "$jobs" --poll 0.5 "$@" >"$log" 2>&1 &
    workers+=($!)
}
# Waits until SQL (on DATABASE) prints EXPECTED, for TIMEOUT seconds at most; stops the
# script when a job failed.
wait_for() {
    local database=$1 sql=$2 expected=$3 timeout=$4 start=$SECONDS failure
    until [ "$(psql -d "$database" -c "$sql")" = "$expected" ]; do
        failure=$(psql -d "$database" -c "SELECT failure FROM queue_jobs WHERE state = 'failed'
            LIMIT 1")
        if [ -n "$failure" ]; then
            echo "queue.sh: a job failed: $failure" >&2
            exit 1
        fi
        if [ $((SECONDS - start)) -ge "$timeout" ]; then
            echo "queue.sh: timed out waiting for: $sql = $expected" >&2
            exit 1
        fi
        sleep 0.1
    done
}
stop_workers() {
    for pid in "${workers[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${workers[@]}"; do wait "$pid" 2>/dev/null || true; done
    workers=()
}
now() { date +%s.%N; }

# --- (a) Queue cycles -------------------------------------------------------------------------
if [ -z "$only" ] || [ "$only" = queue ]; then
    db=$(new_database queue)
    echo "## Queue cycles (claim + page checkpoint + complete)"
    echo
    echo "\`palidoc bench queue --clients $clients --seconds $seconds\`: each client has a" \
        "connection of its own; 8-page jobs, one page per chunk, submitted ahead of the clients."
    echo
    echo "| clients | cycles/s | p50 ms | p99 ms | cycles | empty claims |"
    echo "|---:|---:|---:|---:|---:|---:|"
    "$palidoc" bench queue --store "$(store "$db")" --clients "$clients" --seconds "$seconds" \
        | awk 'NR > 2 { printf "| %s | %s | %s | %s | %s | %s |\n", $1, $3, $4, $5, $2, $6 }'
    echo
fi

# --- (b) Pages per hour -----------------------------------------------------------------------
if [ -z "$only" ] || [ "$only" = pages ]; then
    echo "## Pages per hour, one machine, 2 threads in all"
    echo
    echo "$documents documents of $pages pages, $chunk_pages page(s) per chunk; timed from the" \
        "submission (workers loaded and waiting) to the last document assembled."
    echo
    echo "| workers | per worker | pages | seconds | pages/hour |"
    echo "|---|---|---:|---:|---:|"
    pipeline=$(make_pipeline "$chunk_pages")
    rm -rf "$work/docs"/*
    make_pdfs "$work/docs" doc "$documents" "$pages"
    for config in "1 2 1" "2 1 1" "1 2 2"; do
        read -r processes threads jobs <<<"$config"
        db=$(new_database "pages_${processes}x${threads}_jobs${jobs}")
        url=$(store "$db")
        for index in $(seq "$processes"); do
            start_worker "$work/$db-$index.log" "$threads" "$jobs" "$url"
        done
        # Workers register on their first look for work, once their model is loaded.
        wait_for "$db" "SELECT count(*) FROM queue_workers" "$processes" 600
        begin=$(now)
        "$palidoc" submit "$work/docs"/*.pdf --store "$url" --pipeline "$pipeline" \
            --model "$model" >/dev/null
        wait_for "$db" "SELECT count(*) FROM queue_jobs WHERE state <> 'done'" 0 7200
        end=$(now)
        stop_workers
        total=$((documents * pages))
        awk -v p="$processes" -v t="$threads" -v j="$jobs" -v n="$total" -v b="$begin" \
            -v e="$end" 'BEGIN {
                s = e - b
                printf "| %d process%s | OPENBLAS_NUM_THREADS=%d, --jobs %d | %d | %.1f | %.0f |\n",
                    p, (p > 1 ? "es" : ""), t, j, n, s, n / s * 3600 }'
    done
    echo
fi

# --- (c) kill -9 and recovery -----------------------------------------------------------------
# A worker converts a chunk's pages in engine batches (up to 8 whole pages decoded together) and
# commits each batch's pages as they finish, so a kill loses the batch in flight: the victim is
# killed halfway through its second batch, timed by its first (claim to first commit).
if [ -z "$only" ] || [ "$only" = kill ]; then
    echo "## kill -9 of a worker mid-batch"
    echo
    db=$(new_database kill)
    url=$(store "$db")
    rm -rf "$work/docs"/*
    make_pdfs "$work/docs" kill 1 "$kill_pages"
    pipeline=$(make_pipeline "$kill_pages")
    for index in 1 2; do
        start_worker "$work/kill-$index.log" 1 1 "$url" --lease "$lease"
    done
    wait_for "$db" "SELECT count(*) FROM queue_workers" 2 600
    "$palidoc" submit "$work/docs/kill-1.pdf" --store "$url" --pipeline "$pipeline" \
        --model "$model" >/dev/null
    wait_for "$db" "SELECT count(*) > 0 FROM queue_page_results" t 3600
    sleep "$(psql -d "$db" -c "SELECT extract(epoch FROM greatest(interval '50 ms',
        ((SELECT min(created_at) FROM queue_page_results)
            - (SELECT claimed_at FROM queue_chunks WHERE kind = 'pages')) / 2
        - (clock_timestamp() - (SELECT max(created_at) FROM queue_page_results))))")"
    read -r owner state claimed <<<"$(psql -d "$db" -F ' ' -c "
        SELECT lease_owner, state, extract(epoch FROM claimed_at)
        FROM queue_chunks WHERE kind = 'pages'")"
    if [ "$state" != running ] || [ "$(psql -d "$db" -c \
        "SELECT count(*) FROM queue_page_results")" -ge "$kill_pages" ]; then
        echo "queue.sh: the chunk was $state with $(psql -d "$db" -c \
            "SELECT count(*) FROM queue_page_results") pages committed at the kill; give more" \
            "--kill-pages" >&2
        exit 1
    fi
    victim=${owner##*:}
    killed_at=$(psql -d "$db" -c "SELECT extract(epoch FROM clock_timestamp())")
    kill -9 "$victim"
    wait "$victim" 2>/dev/null || true
    wait_for "$db" "SELECT state FROM queue_jobs" done 3600
    stop_workers
    read -r committed first_commit last_commit reclaim next_commit resumed redone <<<"$(psql \
        -d "$db" -F ' ' -c "
        SELECT count(*) FILTER (WHERE worker = '$owner'),
            extract(epoch FROM min(created_at) FILTER (WHERE worker = '$owner')),
            extract(epoch FROM max(created_at) FILTER (WHERE worker = '$owner')),
            (SELECT extract(epoch FROM claimed_at) FROM queue_chunks WHERE kind = 'pages'),
            extract(epoch FROM min(created_at) FILTER (WHERE worker <> '$owner')),
            min(page_index) FILTER (WHERE worker <> '$owner') + 1,
            count(*) FILTER (WHERE worker <> '$owner')
        FROM queue_page_results")"
    echo "One $kill_pages-page document in one chunk, 2 workers (OPENBLAS_NUM_THREADS=1 each)," \
        "\`--lease $lease\` (heartbeat every $(awk -v l="$lease" 'BEGIN { printf "%.3g", l / 3 }') s," \
        "the reaper looks as often), retry backoff 0; the worker holding the chunk killed" \
        "halfway through the batch after its last commit."
    echo
    echo "| measure | value |"
    echo "|---|---:|"
    awk -v k="$killed_at" -v c="$committed" -v s="$claimed" -v f="$first_commit" \
        -v l="$last_commit" -v r="$reclaim" -v n="$next_commit" -v p="$resumed" -v d="$redone" '
        BEGIN {
            printf "| kill -9 → chunk reclaimed by the other worker | %.2f s |\n", r - k
            printf "| kill -9 → the other worker commits its first pages | %.2f s |\n", n - k
            printf "| pages committed before the kill (kept) | %d |\n", c
            printf "| resumed at page (the first without a result) | %d |\n", p
            printf "| pages converted after the kill | %d |\n", d
            printf "| work lost: the batch in flight, last commit → kill | %.2f s |\n", k - l
            printf "| the killed worker: claim → first commit | %.2f s |\n", f - s }'
    echo
fi
