#!/usr/bin/env bash
# Holds the package to its architecture: every `import` in Sources/<Target>/**/*.swift and
# Tests/<Target>Tests/**/*.swift must be allowed by the tables of docs/architecture.md, and the
# tables themselves must keep the rules that page states. Prints each offending file and import
# and exits 1; exits 0 only when every file follows the page.
#
# Usage: Tests/Architecture/check-imports.sh [ROOT]    (ROOT: the repository, by default the
# one this script is in). Needs bash 4, awk and GNU find and sort; no Python.
#
# Import tables are the Markdown tables whose header ends in "may import" or "may also import".
# In each row the first cell names its subjects: targets or files in backticks
# (`PaliGemma`, `Sources/palidoc/EngineBenchCommand.swift`), or the words "every target" or
# "every test target"; the last cell lists the modules they may import in backticks ("—" for
# none). A file's allowed imports are its target's row, the "every target" row, for test targets
# the "every test target" row, and the file's own row.
set -euo pipefail

root=${1:-"$(cd "$(dirname "$0")/../.." && pwd)"}
doc="$root/docs/architecture.md"
[ -f "$doc" ] || { echo "check-imports: $doc: missing" >&2; exit 1; }

# "subject<TAB>module" per allowed import, "subject<TAB>" for a subject without any.
rules=$(awk '
    function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
    # Splits a table row into cells[1..n]; returns n.
    function split_row(line, cells,    body, n) {
        body = line
        sub(/^[ \t]*\|/, "", body)
        sub(/\|[ \t]*$/, "", body)
        n = split(body, cells, "|")
        return n
    }
    # Appends every `code span` of s to list[1..], returns the count.
    function spans(s, list,    n) {
        n = 0
        while (match(s, /`[^`]+`/)) {
            list[++n] = substr(s, RSTART + 1, RLENGTH - 2)
            s = substr(s, RSTART + RLENGTH)
        }
        return n
    }
    /^[ \t]*\|/ {
        n = split_row($0, cells)
        if (!in_table) {
            in_table = 1
            header = tolower(trim(cells[n]))
            importing = (header == "may import" || header == "may also import")
            next
        }
        if ($0 ~ /^[ \t]*\|[ \t:|-]+$/) next
        if (!importing) next
        first = trim(cells[1])
        subject_count = 0
        if (tolower(first) == "every target" || tolower(first) == "every test target") {
            subjects[1] = tolower(first)
            subject_count = 1
        } else {
            subject_count = spans(first, subjects)
        }
        if (subject_count == 0) next
        module_count = spans(cells[n], modules)
        for (i = 1; i <= subject_count; i++) {
            printf "%s\t\n", subjects[i]
            for (j = 1; j <= module_count; j++) printf "%s\t%s\n", subjects[i], modules[j]
        }
        next
    }
    { in_table = 0; importing = 0 }
' "$doc")

[ -n "$rules" ] || { echo "check-imports: $doc: no import tables found" >&2; exit 1; }

failures=0
fail() {
    echo "$*"
    failures=$((failures + 1))
}

# The tables keep the page's rules: the engine never imports the documents, the documents
# below the pipeline never import the engine, only PaliTensor reaches the engine's C kernels,
# the CLI joins both sides only through DocumentPipeline (no file of it imports both sides),
# and one target (with its tests) imports PostgresNIO.
while IFS= read -r line; do
    fail "docs/architecture.md: $line"
done < <(printf '%s\n' "$rules" | awk -F'\t' '
    $2 == "" { next }
    {
        s = $1; m = $2
        engine = (s ~ /^Pali/ && s !~ /^PaliTestSupport/) || s ~ /^Sources\/Pali/ \
            && s !~ /^Sources\/PaliTestSupport\//
        documents = (s ~ /^Document/ || s ~ /^Sources\/Document/) && s !~ /DocumentPipeline/
        if (engine && m ~ /^Document/)
            print "`" s "` may not import `" m "`: the engine never imports the documents"
        if (documents && m ~ /^Pali/ && m != "PaliTestSupport")
            print "`" s "` may not import `" m "`: the documents never import the engine"
        if (m == "CPaliKernels" && s != "PaliTensor" && s != "PaliTensorTests" \
            && s !~ /^Sources\/PaliTensor\//)
            print "`" s "` may not import `CPaliKernels`: only PaliTensor reaches the C kernels"
        if (s == "palidoc" && m != "DocumentPipeline" \
            && (m ~ /^(Pali|Document|Raster$)/ || m ~ /^C[A-Z]/))
            print "`palidoc` may not import `" m "`: it joins engine and documents only " \
                "through DocumentPipeline"
        if (s ~ /^Sources\/palidoc\// && m ~ /^C[A-Z]/)
            print "`" s "` may not import `" m "`: the CLI reaches no C module"
        if (s ~ /^Sources\/palidoc\// && m ~ /^Pali/ && m != "PaliTestSupport")
            engine_files[s] = 1
        if (s ~ /^Sources\/palidoc\// && m ~ /^Document/ && m != "DocumentPipeline")
            document_files[s] = 1
        if (m == "PostgresNIO") {
            if (s ~ /Tests$/) tests[s] = 1; else owners[s] = 1
        }
    }
    END {
        for (s in engine_files)
            if (s in document_files)
                print "`" s "` may not import both engine and document targets: only " \
                    "DocumentPipeline joins them"
        count = 0
        for (s in owners) { count++; owner = s }
        if (count > 1) print "only one target may import `PostgresNIO`"
        for (s in tests)
            if (count != 1 || s != owner "Tests")
                print "`" s "` may not import `PostgresNIO`: only the store target and its tests"
    }
')

declare -A allowed=() known=()
while IFS=$'\t' read -r subject module; do
    known[$subject]=1
    [ -n "$module" ] && allowed["$subject|$module"]=1
done <<< "$rules"

# A file exception for a file that is gone is a stale line of the architecture.
for subject in "${!known[@]}"; do
    case "$subject" in
        */*) [ -f "$root/$subject" ] \
            || fail "docs/architecture.md: \`$subject\`: no such file (stale exception)" ;;
    esac
done

files=0 targets=0
for dir in "$root"/Sources/*/ "$root"/Tests/*Tests/; do
    [ -d "$dir" ] || continue
    target=$(basename "$dir")
    targets=$((targets + 1))
    if [ -z "${known[$target]:-}" ]; then
        fail "${dir#"$root"/}: target \`$target\` has no row in docs/architecture.md"
        continue
    fi
    case "$target" in *Tests) is_test=1 ;; *) is_test=0 ;; esac
    while IFS= read -r -d '' file; do
        files=$((files + 1))
        relative=${file#"$root"/}
        # `import M`, `@testable import M`, `import struct M.T`, indented under `#if`.
        while IFS=: read -r number module; do
            [ -n "$module" ] || continue
            if [ -n "${allowed["$target|$module"]:-}" ] \
                || [ -n "${allowed["every target|$module"]:-}" ] \
                || { [ "$is_test" = 1 ] && [ -n "${allowed["every test target|$module"]:-}" ]; } \
                || [ -n "${allowed["$relative|$module"]:-}" ]; then
                continue
            fi
            fail "$relative:$number: import $module" \
                "(not allowed for $target by docs/architecture.md)"
        done < <(awk '
            {
                line = $0
                sub(/^[ \t]+/, "", line)
                while (line ~ /^@[A-Za-z_]+(\([^)]*\))?[ \t]+/)
                    sub(/^@[A-Za-z_]+(\([^)]*\))?[ \t]+/, "", line)
                if (line !~ /^import[ \t]+/) next
                sub(/^import[ \t]+/, "", line)
                sub(/^(typealias|struct|class|enum|protocol|let|var|func)[ \t]+/, "", line)
                if (match(line, /^[A-Za-z_][A-Za-z0-9_]*/)) print NR ":" substr(line, 1, RLENGTH)
            }' "$file")
    done < <(find "$dir" -name '*.swift' -type f -print0 | sort -z)
done

if [ "$files" -eq 0 ]; then
    echo "check-imports: no Swift files under $root/Sources or $root/Tests" >&2
    exit 1
fi
if [ "$failures" -gt 0 ]; then
    echo "check-imports: $failures import(s) or rows against docs/architecture.md" \
        "($files files in $targets targets checked)"
    exit 1
fi
echo "check-imports: $files Swift files in $targets targets follow docs/architecture.md"
