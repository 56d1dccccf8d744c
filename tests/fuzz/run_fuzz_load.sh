#!/bin/sh
# Runs fuzz_load for SECONDS, seeded with .skua files that skua compiles at test time from
# the bundled example and the small modules of the WASI testsuite and Sightglass (each
# compiled with --cpu base, so the seeds load on any x86_64 host).
#
#   run_fuzz_load.sh FUZZER SKUA WORKDIR EXAMPLES WASI_TESTSUITE SIGHTGLASS SECONDS
#
# New inputs accumulate in WORKDIR/corpus (kept between runs); crash reproducers are written
# to WORKDIR (crash-*, leak-*, timeout-*). Missing test data only means fewer seeds.
set -eu
fuzzer=$1 skua=$2 work=$3 examples=$4 wasi=$5 sightglass=$6 seconds=$7
mkdir -p "$work/corpus" "$work/seeds"

if [ ! -f "$work/seeds/.done" ]; then
    n=0
    for f in "$examples"/*.wasm "$wasi"/assemblyscript/*.wasm "$wasi"/c/*.wasm \
             "$sightglass"/noop/*.wasm "$sightglass"/shootout/shootout-fib2.wasm; do
        [ -f "$f" ] || continue
        # Small modules only: the fuzzer mutates faster, and the structure is the same.
        [ "$(wc -c < "$f")" -le 200000 ] || continue
        out="$work/seeds/$(basename "$(dirname "$f")")-$(basename "$f" .wasm).skua"
        if "$skua" compile --cpu base "$f" -o "$out" >/dev/null 2>&1; then
            n=$((n + 1))
        fi
    done
    [ "$n" -gt 0 ] || { echo "error: no seed compiled (is $skua working?)"; exit 1; }
    touch "$work/seeds/.done"
fi
echo "seeds: $(ls "$work/seeds" | wc -l) .skua files"

exec "$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" "$work/seeds"
