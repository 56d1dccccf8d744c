#!/usr/bin/env bash
# Translates and verifies every function of every valid module of a corpus with
# `skua compile --no-codegen --verify` (the IR verifier after translation and after every pass):
#
#   run_corpus.sh SKUA spec DIR        # modules of `module` commands in DIR/*.wast
#                                      # (converted with wabt's wast2json at test time)
#   run_corpus.sh SKUA sightglass DIR  # DIR/*/*.wasm
#
# Exit 77 (skipped) when the corpus or wast2json is missing; the message says how to get it.
set -u
skua=$1
kind=$2
dir=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
n=0
check() {
    n=$((n + 1))
    if ! "$skua" compile --no-codegen --verify "$1" >/dev/null 2>"$tmp/err"; then
        echo "FAIL $2: $(head -c 2000 "$tmp/err")"
        fail=$((fail + 1))
    fi
}
case "$kind" in
spec)
    if ! ls "$dir"/*.wast >/dev/null 2>&1; then
        echo "no spec testsuite at '$dir': set SKUA_SPEC_TESTSUITE (see README.md)"
        exit 77
    fi
    if ! command -v wast2json >/dev/null 2>&1; then
        echo "wast2json not found: install wabt (apt-get install wabt)"
        exit 77
    fi
    for wast in "$dir"/*.wast; do
        base=$(basename "$wast" .wast)
        mkdir -p "$tmp/$base"
        if ! wast2json "$wast" -o "$tmp/$base/$base.json" >/dev/null 2>"$tmp/err"; then
            echo "FAIL $base.wast: wast2json: $(head -c 500 "$tmp/err")"
            fail=$((fail + 1))
            continue
        fi
        for wasm in $(grep '"type": "module"' "$tmp/$base/$base.json" |
            sed -n 's/.*"filename": "\([^"]*\)".*/\1/p'); do
            check "$tmp/$base/$wasm" "$base.wast: $wasm"
        done
        rm -rf "${tmp:?}/$base"
    done
    ;;
sightglass)
    if ! ls "$dir"/*/*.wasm >/dev/null 2>&1; then
        echo "no sightglass corpus at '$dir': set SKUA_SIGHTGLASS (see README.md)"
        exit 77
    fi
    for wasm in "$dir"/*/*.wasm; do
        check "$wasm" "${wasm#"$dir"/}"
    done
    ;;
*)
    echo "usage: run_corpus.sh SKUA spec|sightglass DIR"
    exit 2
    ;;
esac
echo "$kind: $n modules translated and verified, $fail failed"
[ "$fail" = 0 ]
