#!/usr/bin/env bash
# Golden IR tests: each golden/*.wat is a module followed by its expected IR after a marker
# line, as ';;' comments (so wat2wasm reads the whole file). The test converts the module
# with wat2wasm, prints its IR with `skua compile --no-codegen --emit=ir --verify` and diffs.
#
#   run_golden.sh SKUA GOLDEN_DIR
#   SKUA_BLESS=1 run_golden.sh ...     # rewrite the expectations (review the diff!)
#   SKUA_BLESS=1 ctest -R ir_golden    # the same through ctest
#
# Exit 77 (skipped) when wabt's wat2wasm is missing.
set -u
skua=$1
dir=$2
marker=';; ---- expected IR'
if ! command -v wat2wasm >/dev/null 2>&1; then
    echo "wat2wasm not found: install wabt (apt-get install wabt) to run the golden IR tests"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
n=0
for wat in "$dir"/*.wat; do
    n=$((n + 1))
    name=$(basename "$wat" .wat)
    if ! wat2wasm --debug-names "$wat" -o "$tmp/$name.wasm" 2>"$tmp/err"; then
        echo "FAIL $name: wat2wasm: $(cat "$tmp/err")"
        fail=1
        continue
    fi
    if ! "$skua" compile --no-codegen --verify --emit=ir "$tmp/$name.wasm" >"$tmp/actual" 2>"$tmp/err"; then
        echo "FAIL $name: skua compile: $(cat "$tmp/err")"
        fail=1
        continue
    fi
    if [ "${SKUA_BLESS:-}" = 1 ]; then
        awk -v m="$marker" 'index($0, m) == 1 { exit } { print }' "$wat" >"$tmp/new"
        echo "$marker (skua compile --emit=ir; refresh: SKUA_BLESS=1 ctest -R ir_golden) ----" >>"$tmp/new"
        sed 's/^/;; /; s/^;; $/;;/' "$tmp/actual" >>"$tmp/new"
        if ! cmp -s "$tmp/new" "$wat"; then
            cp "$tmp/new" "$wat"
            echo "blessed $name"
        fi
        continue
    fi
    if ! grep -q "^$marker" "$wat"; then
        echo "FAIL $name: no expected IR (marker '$marker'); run with SKUA_BLESS=1 and review"
        fail=1
        continue
    fi
    awk -v m="$marker" 'found { sub(/^;; ?/, ""); print } index($0, m) == 1 { found = 1 }' \
        "$wat" >"$tmp/expected"
    if ! diff -u "$tmp/expected" "$tmp/actual" >"$tmp/diff"; then
        echo "FAIL $name: IR differs from the expectation (- expected, + actual):"
        cat "$tmp/diff"
        fail=1
    fi
done
echo "$n golden IR tests, $([ $fail = 0 ] && echo all passed || echo some failed)"
exit $fail
