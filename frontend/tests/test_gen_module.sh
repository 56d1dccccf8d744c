#!/bin/sh
# The benchmark generator (bench/gen_large_module.py) writes valid modules, and skua agrees
# with wabt's wasm-validate on them: two seeds at 128 KiB each.
#
#   test_gen_module.sh SKUA GENERATOR SCRATCH_DIR
set -eu
skua=$1 gen=$2 dir=$3
if ! command -v python3 >/dev/null 2>&1; then
    echo "skipped: python3 not found"
    exit 77
fi
for seed in 1 2; do
    out="$dir/gen_module_$seed.wasm"
    python3 "$gen" -o "$out" --size 128K --seed "$seed" >/dev/null
    "$skua" validate "$out"
    if command -v wasm-validate >/dev/null 2>&1; then
        wasm-validate "$out"
    fi
done
