#!/usr/bin/env bash
# Proves that check-imports.sh can fail: runs it on small trees in a temporary folder (a page
# with import tables, a few Swift files) and on a copy of this repository with one import
# added, and expects each verdict and each offending file named. Exits 1 on any surprise.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repository="$(cd "$here/../.." && pwd)"
check="$here/check-imports.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
surprises=0

# A page in the format of docs/architecture.md.
page() {
    mkdir -p "$1/docs"
    cat > "$1/docs/architecture.md" <<'PAGE'
# Architecture

| target | owns | may import |
|---|---|---|
| every target | the toolchain | `Foundation` |
| `CPaliKernels` | kernels | — |
| `PaliTensor` | ops | `CPaliKernels` |
| `PaliGemma` | the model | `PaliTensor` |
| `DocumentModel` | values | — |
| `DocumentPipeline` | the join | `DocumentModel`, `PaliGemma` |
| `palidoc` | the CLI | `ArgumentParser`, `DocumentPipeline` |

| file | holds | may also import |
|---|---|---|
| `Sources/palidoc/BenchCommand.swift` | bench | `PaliGemma` |

| test target | tests | may import |
|---|---|---|
| every test target | | `Testing` |
| `PaliGemmaTests` | the model | `PaliGemma` |
PAGE
}

# swift_file ROOT PATH LINES...: writes a Swift file.
swift_file() {
    local root=$1 path=$2
    shift 2
    mkdir -p "$(dirname "$root/$path")"
    printf '%s\n' "$@" > "$root/$path"
}

# A tree that follows the page.
clean_tree() {
    rm -rf "$1"
    page "$1"
    mkdir -p "$1/Sources/CPaliKernels"
    swift_file "$1" Sources/PaliTensor/Ops.swift "import CPaliKernels" "import Foundation"
    swift_file "$1" Sources/PaliGemma/Model.swift "import Foundation" "" "import PaliTensor"
    swift_file "$1" Sources/PaliGemma/Nested/Layer.swift "#if canImport(Glibc)" \
        "@preconcurrency import struct Foundation.Date" "#endif"
    swift_file "$1" Sources/DocumentModel/Page.swift "struct Page {}"
    swift_file "$1" Sources/DocumentPipeline/Engine.swift "import DocumentModel" "import PaliGemma"
    swift_file "$1" Sources/palidoc/ConvertCommand.swift "import ArgumentParser" \
        "import DocumentPipeline"
    swift_file "$1" Sources/palidoc/BenchCommand.swift "import ArgumentParser" "import PaliGemma"
    swift_file "$1" Tests/PaliGemmaTests/ModelTests.swift "import Testing" \
        "@testable import PaliGemma"
}

# expect NAME STATUS ROOT [TEXT...]: the check's exit status on ROOT is STATUS and its output
# holds every TEXT.
expect() {
    local name=$1 status=$2 root=$3 output actual=0
    shift 3
    output=$("$check" "$root" 2>&1) || actual=$?
    if [ "$actual" != "$status" ]; then
        echo "check-imports self-test: $name: exit status $actual, expected $status"
        printf '%s\n' "$output" | sed 's/^/    /'
        surprises=$((surprises + 1))
        return
    fi
    for text in "$@"; do
        if ! grep -qF -- "$text" <<< "$output"; then
            echo "check-imports self-test: $name: output lacks '$text'"
            printf '%s\n' "$output" | sed 's/^/    /'
            surprises=$((surprises + 1))
        fi
    done
}

tree="$work/tree"

clean_tree "$tree"
expect "a tree that follows the page" 0 "$tree" "follow docs/architecture.md"

clean_tree "$tree"
swift_file "$tree" Sources/PaliGemma/Attention.swift "import Foundation" "import CPaliKernels"
expect "the model importing the kernels" 1 "$tree" \
    "Sources/PaliGemma/Attention.swift:2: import CPaliKernels"

clean_tree "$tree"
swift_file "$tree" Sources/palidoc/GenerateCommand.swift "import ArgumentParser" "import PaliGemma"
expect "a CLI file without an exception importing the engine" 1 "$tree" \
    "Sources/palidoc/GenerateCommand.swift:2: import PaliGemma"

clean_tree "$tree"
swift_file "$tree" Sources/PaliGemma/Page.swift "  @testable import DocumentModel"
expect "the engine importing the documents" 1 "$tree" \
    "Sources/PaliGemma/Page.swift:1: import DocumentModel"

clean_tree "$tree"
swift_file "$tree" Tests/PaliGemmaTests/Extra.swift "import Testing" "import DocumentModel"
expect "a test importing what its row does not allow" 1 "$tree" \
    "Tests/PaliGemmaTests/Extra.swift:2: import DocumentModel"

clean_tree "$tree"
swift_file "$tree" Sources/DocumentModel/Date.swift "import Testing"
expect "a target importing a test-only module" 1 "$tree" \
    "Sources/DocumentModel/Date.swift:1: import Testing"

clean_tree "$tree"
swift_file "$tree" Sources/PostgresStore/Store.swift "import Foundation"
expect "a target without a row" 1 "$tree" "target \`PostgresStore\` has no row"

clean_tree "$tree"
rm "$tree/Sources/palidoc/BenchCommand.swift"
expect "an exception for a file that is gone" 1 "$tree" \
    "\`Sources/palidoc/BenchCommand.swift\`: no such file"

clean_tree "$tree"
sed -i '/^| `PaliGemma` | the model |/c\
| `PaliGemma` | the model | `PaliTensor`, `DocumentModel`, `CPaliKernels` |' \
    "$tree/docs/architecture.md"
swift_file "$tree" Sources/PaliGemma/Page.swift "import DocumentModel"
expect "a row that breaks the rules" 1 "$tree" \
    "\`PaliGemma\` may not import \`DocumentModel\`" \
    "\`PaliGemma\` may not import \`CPaliKernels\`"

clean_tree "$tree"
sed -i 's/| bench | `PaliGemma` |/| bench | `PaliGemma`, `DocumentModel` |/' \
    "$tree/docs/architecture.md"
expect "a CLI file allowed both sides" 1 "$tree" \
    "\`Sources/palidoc/BenchCommand.swift\` may not import both engine and document targets"

clean_tree "$tree"
rm -rf "$tree/Sources" "$tree/Tests"
mkdir -p "$tree/Sources"
expect "no Swift files" 1 "$tree" "no Swift files"

# This repository's own page and files, with one import the page does not allow.
copy="$work/copy"
mkdir -p "$copy"
cp -R "$repository/docs" "$copy/docs"
(cd "$repository" && find Sources Tests -name '*.swift' -type f -print0 \
    | while IFS= read -r -d '' file; do
        mkdir -p "$copy/$(dirname "$file")"
        cp "$file" "$copy/$file"
    done)
swift_file "$copy" Sources/DocumentModel/Intruder.swift "import Foundation" "import PaliGemma"
expect "this repository with an import of the engine in DocumentModel" 1 "$copy" \
    "Sources/DocumentModel/Intruder.swift:2: import PaliGemma"

if [ "$surprises" -gt 0 ]; then
    echo "check-imports self-test: $surprises surprise(s)"
    exit 1
fi
echo "check-imports self-test: every case gave the expected verdict"
