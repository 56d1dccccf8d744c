#!/bin/sh
# Runs a libFuzzer target for SECONDS, seeded with the modules of the spec testsuite
# (converted once with wabt's wast2json into WORKDIR/seeds) and of Sightglass.
#
#   run_fuzz.sh FUZZER WORKDIR SPEC_TESTSUITE SIGHTGLASS SECONDS
#
# New inputs that libFuzzer finds accumulate in WORKDIR/corpus (kept between runs); crash
# reproducers are written to WORKDIR (crash-*, leak-*, timeout-*). Missing test data only
# means fewer seeds.
set -eu
fuzzer=$1 work=$2 spec=$3 sightglass=$4 seconds=$5
mkdir -p "$work/corpus" "$work/seeds"

if [ ! -f "$work/seeds/.done" ]; then
    if [ -d "$spec" ] && command -v wast2json >/dev/null 2>&1; then
        for f in "$spec"/*.wast; do
            (cd "$work/seeds" && wast2json "$f" -o "$(basename "$f" .wast).json" \
                >/dev/null 2>&1) || true
        done
        rm -f "$work/seeds"/*.json "$work/seeds"/*.wat
    else
        echo "note: no spec testsuite at '$spec' or no wast2json: no spec seeds"
    fi
    if [ -d "$sightglass" ]; then
        for f in "$sightglass"/*/*.wasm; do
            [ -f "$f" ] || continue
            cp "$f" "$work/seeds/sightglass-$(basename "$(dirname "$f")")-$(basename "$f")"
        done
    else
        echo "note: no Sightglass at '$sightglass': no Sightglass seeds"
    fi
    touch "$work/seeds/.done"
fi
echo "seeds: $(ls "$work/seeds" | wc -l) files"

exec "$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" "$work/seeds"
