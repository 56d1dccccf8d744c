#!/usr/bin/env python3
"""Runs Sightglass benchmark programs under `skua run` as Sightglass runs them (the folder's
README.md): the working directory is the program's folder, preopened as "."; `bench.start`
and `bench.end` are imported from a preloaded no-op module; stdout and stderr must equal the
expected files of the folder, compared line by line as Sightglass does.

    run_sightglass.py --skua build/skua PROG.wasm...     # these programs
    run_sightglass.py --skua build/skua --all DIR        # every program under DIR

Programs that need SIMD128 (they fail `wasm-validate --disable-simd`) are skipped with that
reason while skua cannot compile them (issue 7); once it can, they are checked like the rest.

Exit status: 0 all passed, 1 some failed, 77 all skipped (reason printed). The last line is
"N passed, N failed, N skipped".
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77

# The "bench" module: exports start and end, both [] -> [] and empty (no timing here).
BENCH_NOOP = bytes([
    0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,       # magic, version
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00,                   # type 0: [] -> []
    0x03, 0x03, 0x02, 0x00, 0x00,                         # two functions of type 0
    0x07, 0x0F, 0x02,                                     # two exports:
    0x05, ord("s"), ord("t"), ord("a"), ord("r"), ord("t"), 0x00, 0x00,  # "start" func 0
    0x03, ord("e"), ord("n"), ord("d"), 0x00, 0x01,       # "end" func 1
    0x0A, 0x07, 0x02, 0x02, 0x00, 0x0B, 0x02, 0x00, 0x0B,  # bodies: end, end
])


# Inputs some programs read that the Sightglass snapshot in ../shared lacks (its PROVENANCE.md
# lists what was left out; these files were too). Without them every engine fails, so such a
# program is skipped with this reason rather than failed.
NEEDED_INPUTS = {
    "pulldown-cmark/benchmark.wasm": "default.input.md",
}


def missing_input(wasm):
    key = os.path.join(os.path.basename(os.path.dirname(wasm)), os.path.basename(wasm))
    need = NEEDED_INPUTS.get(key)
    if need and not os.path.exists(os.path.join(os.path.dirname(wasm), need)):
        return need
    return None


def expected_output(wasm, stream):
    folder, stem = os.path.dirname(wasm), os.path.basename(wasm)[:-5]
    for base in (stem, "default", "benchmark"):
        p = os.path.join(folder, f"{base}.{stream}.expected")
        if os.path.exists(p):
            with open(p, "rb") as f:
                return f.read()
    return None


def output_lines(data):
    """Lines as Sightglass compares them (Rust's str::lines): split at "\\n", one trailing
    "\\r" dropped per line, no empty last line after a final newline."""
    parts = data.split(b"\n")
    if parts[-1] == b"":
        parts.pop()
    return [p[:-1] if p.endswith(b"\r") else p for p in parts]


def first_difference(got, want):
    g, w = output_lines(got), output_lines(want)
    i = next((k for k in range(min(len(g), len(w))) if g[k] != w[k]), min(len(g), len(w)))
    show = lambda ls: repr(ls[i][:100]) if i < len(ls) else "end of output"
    return f"line {i + 1}: got {show(g)}, expected {show(w)}"


def needs_simd(wasm):
    """True/False, or None when wabt's wasm-validate is not there to tell."""
    if not shutil.which("wasm-validate"):
        return None
    r = subprocess.run(["wasm-validate", "--disable-simd", wasm], capture_output=True)
    return r.returncode != 0


def run_one(skua, wasm, bench_module, timeout):
    """('ok'|'fail'|'skip', detail, seconds)."""
    folder = os.path.dirname(wasm)
    need = missing_input(wasm)
    if need:
        return "skip", (f"the program reads {need}, which this Sightglass snapshot lacks "
                        "(every engine fails without it)"), 0.0
    cmd = [skua, "run", "--dir", ".", "--preload", f"bench={bench_module}",
           os.path.basename(wasm)]
    t0 = time.monotonic()
    try:
        r = subprocess.run(cmd, cwd=folder, capture_output=True, stdin=subprocess.DEVNULL,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return "fail", f"timed out after {timeout} s", time.monotonic() - t0
    secs = time.monotonic() - t0
    if r.returncode != 0 and needs_simd(wasm) and b"unsupported" in r.stderr:
        return "skip", ("uses SIMD128, which skua does not compile yet (issue 7): "
                        + r.stderr.decode(errors="replace").strip()[:200]), secs
    problems = []
    if r.returncode != 0:
        problems.append(f"exit status {r.returncode}")
    for stream in ("stdout", "stderr"):
        want = expected_output(wasm, stream)
        got = getattr(r, stream)
        if want is not None and output_lines(got) != output_lines(want):
            problems.append(f"{stream} differs from the expected output: "
                            + first_difference(got, want))
    if problems:
        tail = r.stderr[-600:].decode(errors="replace").strip()
        return "fail", "; ".join(problems) + (f"\n    stderr: {tail}" if tail else ""), secs
    return "ok", "", secs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--skua", required=True)
    ap.add_argument("--all", metavar="DIR", help="every program one folder below DIR")
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("programs", nargs="*")
    args = ap.parse_args()
    skua = os.path.abspath(args.skua)
    progs = [os.path.abspath(p) for p in args.programs]
    if args.all:
        progs += sorted(glob.glob(os.path.join(os.path.abspath(args.all), "*", "*.wasm")))
    progs = [p for p in progs if os.path.exists(p)]
    if not progs:
        print("skipped: no Sightglass programs found (set SKUA_SIGHTGLASS to the folder that "
              "holds them, e.g. ../shared/sightglass; see README.md)")
        return SKIP
    work = tempfile.mkdtemp(prefix="skua-sightglass-")
    counts = {"ok": 0, "fail": 0, "skip": 0}
    try:
        bench_module = os.path.join(work, "bench_noop.wasm")
        with open(bench_module, "wb") as f:
            f.write(BENCH_NOOP)
        for wasm in progs:
            label = os.path.relpath(wasm, os.path.dirname(os.path.dirname(wasm)))
            status, detail, secs = run_one(skua, wasm, bench_module, args.timeout)
            counts[status] += 1
            word = {"ok": "ok  ", "fail": "FAIL", "skip": "skip"}[status]
            print(f"{word} {label} ({secs:.2f} s){': ' + detail if detail else ''}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{counts['ok']} passed, {counts['fail']} failed, {counts['skip']} skipped")
    if counts["fail"]:
        return 1
    return SKIP if counts["skip"] and not counts["ok"] else 0


if __name__ == "__main__":
    sys.exit(main())
