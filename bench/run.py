#!/usr/bin/env python3
"""Benchmark harness: runs the Sightglass programs on skua, wasm2c+gcc and V8's two tiers.

Runs every program of a Sightglass-style folder (default ${SKUA_SIGHTGLASS:-../shared/sightglass}
beside the checkout) on each engine, side by side in one run (the runs of the engines are
interleaved, so a noisy machine hurts them alike), checks each run's exit status, stdout and
stderr against the expected files, and prints the median run times with ratios to a
reference engine and geometric means. A second table gives compile throughput (MB/s of
module bytes, single-threaded) for `skua compile` and V8's Liftoff and TurboFan.

Engines (see bench/README.md for the details and the reasons behind the flags):
  skua         build/skua run --dir . --preload bench=<bench/bench_timer.wat> PROG.wasm
  wasm2c       wabt's wasm2c, gcc -O2, bench/wasm2c_host.c + skua's runtime/wasi (cached)
  v8-liftoff   node --liftoff-only --no-wasm-tier-up ... bench/node_runner.mjs
  v8-turbofan  node --no-liftoff ... bench/node_runner.mjs

An engine whose tools are missing (skua without its `run` command, node absent, ...) is
skipped with a note. A program an engine cannot run (wasm2c 1.0.32 has no SIMD) or whose
output is wrong is reported, and its figure is left out of the table and the means.

Standard library only. Exit status: 0 (also when the benchmark folder is missing: the run
is then "skipped" with a hint), 1 when some run produced wrong output, 2 on usage errors.
"""
import argparse
import datetime
import fnmatch
import hashlib
import json
import math
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH_DIR)
ENGINE_NAMES = ["skua", "wasm2c", "v8-liftoff", "v8-turbofan"]
COMPILERS = ["skua", "v8-liftoff", "v8-turbofan"]

# Flags for node. Eager compilation everywhere, so that no engine compiles inside the timed
# bench.start..bench.end part (skua and wasm2c compile everything before running).
# --single-threaded-gc works around a node 20 crash (abort in uvwasi_destroy or a SIGSEGV
# during a GC forced by external memory pressure, seen on libsodium-pwhash_*); GC threads do
# not run wasm code. --allow-natives-syntax lets node_runner.mjs report the code's tier.
NODE_COMMON = ["--no-warnings", "--allow-natives-syntax", "--no-wasm-lazy-compilation",
               "--single-threaded-gc"]
NODE_TIER_FLAGS = {
    # Liftoff only: no TurboFan at all, and no dynamic tier-up to it.
    "v8-liftoff": ["--liftoff-only", "--no-wasm-tier-up", "--no-wasm-dynamic-tiering"],
    # TurboFan only: Liftoff disabled, so every function is compiled by TurboFan up front.
    "v8-turbofan": ["--no-liftoff"],
}
NODE_TIER_NAME = {"v8-liftoff": "liftoff", "v8-turbofan": "turbofan"}
# Compile table: V8 limited to the main thread (implies --wasm-num-compilation-tasks=0 and no
# background compile jobs; checked below by comparing CPU and wall time).
NODE_COMPILE_FLAGS = ["--single-threaded"]

# A probe program for `skua run --preload`: imports bench.start/end like Sightglass programs.
PROBE_WAT = """(module
  (import "bench" "start" (func $start))
  (import "bench" "end" (func $end))
  (memory (export "memory") 1)
  (func (export "_start") (call $start) (call $end)))
"""
SKUA_MARKER = re.compile(rb"\[skua-bench-ns (\d+)\]\n")
# How skua reports a feature it does not implement yet (SkDiag "unsupported feature: ..."):
# such a program is "unsupported" on that engine, not a wrong output.
UNSUPPORTED = re.compile(rb"unsupported feature: [^\n(]*")

# wabt's wasm2c runtime as Debian packages it.
WASM_RT_INCLUDE = "/usr/share/wabt/wasm2c"
WASM_RT_LIB_CANDIDATES = ["/usr/lib/x86_64-linux-gnu/libwasm-rt-impl.a",
                          "/usr/lib/libwasm-rt-impl.a", "/usr/local/lib/libwasm-rt-impl.a"]
WASI_SOURCES = ["ctx.c", "path.c", "fd.c", "fs.c", "proc.c", "imports.c"]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def sha256_files(paths, extra=b""):
    h = hashlib.sha256(extra)
    for p in paths:
        with open(p, "rb") as f:
            h.update(f.read())
    return h.hexdigest()


def tool_version(argv):
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        return (r.stdout or r.stderr).strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        return None


# ---------------------------------------------------------------------------------------
# Benchmarks


class Benchmark:
    """One program: its name, folder, module and expected outputs (None when absent)."""

    def __init__(self, name, folder, wasm):
        self.name = name
        self.folder = folder
        self.wasm = wasm
        self.size = os.path.getsize(wasm)
        stem = os.path.basename(wasm)[:-5]
        self.expected = {}
        for stream in ("stdout", "stderr"):
            self.expected[stream] = None
            for base in (stem, "default", "benchmark"):
                p = os.path.join(folder, f"{base}.{stream}.expected")
                if os.path.exists(p):
                    with open(p, "rb") as f:
                        self.expected[stream] = f.read()
                    break
        self.checked = any(v is not None for v in self.expected.values())
        self.simd = None  # filled by detect_simd()

    def detect_simd(self):
        """True when the module needs SIMD128 (it fails validation with SIMD disabled)."""
        if self.simd is None and shutil.which("wasm-validate"):
            r = subprocess.run(["wasm-validate", "--disable-simd", self.wasm],
                               capture_output=True)
            self.simd = r.returncode != 0
        return self.simd


def discover(root):
    """Every .wasm one level below root; named after its folder when it is alone there."""
    benches = []
    for entry in sorted(os.listdir(root)):
        folder = os.path.join(root, entry)
        if not os.path.isdir(folder):
            continue
        wasms = sorted(f for f in os.listdir(folder) if f.endswith(".wasm"))
        for w in wasms:
            name = entry if len(wasms) == 1 and w == "benchmark.wasm" else w[:-5]
            benches.append(Benchmark(name, folder, os.path.join(folder, w)))
    return benches


def select(benches, patterns):
    """Benchmarks whose name matches one pattern (a glob, or a substring without * ? [)."""
    if not patterns:
        return benches
    pats = [p for arg in patterns for p in arg.split(",") if p]

    def hit(name, p):
        return fnmatch.fnmatch(name, p) if any(c in p for c in "*?[") else p in name

    return [b for b in benches if any(hit(b.name, p) for p in pats)]


# ---------------------------------------------------------------------------------------
# Running one process


class Result:
    """One run: status, times in seconds (bench None when unknown) and an error text."""

    def __init__(self, ok, wall, cpu, bench, error="", stdout=b"", stderr=b"", code=0):
        self.ok, self.wall, self.cpu, self.bench, self.code = ok, wall, cpu, bench, code
        self.error, self.stdout, self.stderr = error, stdout, stderr


def run_process(argv, cwd, timeout, tmp):
    """Runs argv in cwd with stdin closed; returns (exit code, wall s, cpu s, out, err).

    The exit code is 128+N after signal N and -1 after the timeout. cpu is the child's user +
    system time (all its threads), from wait4.
    """
    out_path, err_path = os.path.join(tmp, "stdout"), os.path.join(tmp, "stderr")
    timed_out = threading.Event()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)

        def kill():
            timed_out.set()
            p.kill()

        killer = threading.Timer(timeout, kill)
        killer.start()
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        killer.cancel()
    code = os.waitstatus_to_exitcode(status)
    p.returncode = code  # reaped by wait4: keep Popen from waiting again
    code = -1 if timed_out.is_set() else 128 - code if code < 0 else code
    with open(out_path, "rb") as f:
        stdout = f.read()
    with open(err_path, "rb") as f:
        stderr = f.read()
    return code, wall, usage.ru_utime + usage.ru_stime, stdout, stderr


def output_lines(data):
    """The lines of an output as Sightglass compares them (Rust's str::lines): split at
    "\n", one trailing "\r" dropped per line, no empty last line after a final newline."""
    parts = data.split(b"\n")
    if parts[-1] == b"":
        parts.pop()
    return [p[:-1] if p.endswith(b"\r") else p for p in parts]


def first_difference(got, want):
    """A short description of the first line where two outputs differ."""
    g, w = output_lines(got), output_lines(want)
    i = next((k for k in range(min(len(g), len(w))) if g[k] != w[k]), min(len(g), len(w)))
    show = lambda ls: repr(ls[i][:80]) if i < len(ls) else "end of output"
    return f"line {i + 1}: got {show(g)}, expected {show(w)}"


# ---------------------------------------------------------------------------------------
# Engines


class Engine:
    """An engine: available or not (with a note), and how to run one benchmark on it."""

    name = "?"

    def __init__(self, args):
        self.args = args
        self.available = False
        self.note = ""

    def prepare(self, bench):
        """Builds what the benchmark needs; returns None, or why the engine cannot run it."""
        return None

    def command(self, bench, timing_path):
        raise NotImplementedError

    def bench_time(self, timing_path, stderr):
        """(bench seconds or None, stderr without the engine's own markers)."""
        return None, stderr


class SkuaEngine(Engine):
    name = "skua"

    def __init__(self, args):
        super().__init__(args)
        self.skua = args.skua
        self.bench_module = None
        if not os.access(self.skua, os.X_OK):
            self.note = f"{self.skua} not found (build skua: cmake -B build && cmake --build build)"
            return
        r = subprocess.run([self.skua, "run", "--help"], capture_output=True)
        if r.returncode != 0:
            self.note = f"{self.skua} has no `run` command yet"
            return
        self.available = self.probe(args.work)

    def probe(self, work):
        """Chooses the bench module: the timer if skua links WASI into preloaded modules."""
        os.makedirs(work, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=work) as tmp:
            probe_wat = os.path.join(tmp, "probe.wat")
            with open(probe_wat, "w") as f:
                f.write(PROBE_WAT)
            probe = os.path.join(tmp, "probe.wasm")
            if not wat2wasm(probe_wat, probe):
                self.note = "wat2wasm failed on the probe module"
                return False
            for kind in ("timer", "noop"):
                mod = os.path.join(work, f"bench_{kind}.wasm")
                if not wat2wasm(os.path.join(BENCH_DIR, f"bench_{kind}.wat"), mod):
                    self.note = f"wat2wasm failed on bench/bench_{kind}.wat"
                    return False
                r = subprocess.run([self.skua, "run", "--preload", f"bench={mod}", probe],
                                   capture_output=True, cwd=tmp, timeout=60)
                if r.returncode == 0 and (kind == "noop" or SKUA_MARKER.search(r.stderr)):
                    self.bench_module = mod
                    if kind == "noop":
                        self.note = ("bench.start/end timing unavailable (the timer module "
                                     "did not link under --preload): wall-clock only")
                    return True
            self.note = ("`skua run --preload bench=MODULE` failed on a probe: "
                         + r.stderr.decode(errors="replace").strip()[:200])
            return False

    def command(self, bench, timing_path):
        return [self.skua, "run", "--dir", ".", "--preload", f"bench={self.bench_module}",
                os.path.basename(bench.wasm)]

    def bench_time(self, timing_path, stderr):
        marks = [int(m.group(1)) for m in SKUA_MARKER.finditer(stderr)]
        if not marks:
            return None, stderr
        return sum(marks) / 1e9, SKUA_MARKER.sub(b"", stderr)


def wat2wasm(src, dst):
    if os.path.exists(dst) and os.path.getmtime(dst) >= os.path.getmtime(src):
        return True
    return subprocess.run(["wat2wasm", src, "-o", dst], capture_output=True).returncode == 0


def read_timing(path):
    """(bench seconds or None, tier or None) from a runner's --timing file."""
    try:
        with open(path) as f:
            t = json.load(f)
    except (OSError, ValueError):
        return None, None
    return (t["bench_ns"] / 1e9 if t.get("pairs") else None), t.get("tier")


class Wasm2cEngine(Engine):
    """wabt's wasm2c output built with gcc -O2 against bench/wasm2c_host.c and skua's WASI."""

    name = "wasm2c"
    CFLAGS = ["-O2"]

    def __init__(self, args):
        super().__init__(args)
        self.cc = args.cc
        self.exes = {}
        self.rt_lib = next((p for p in WASM_RT_LIB_CANDIDATES if os.path.exists(p)), None)
        missing = [t for t in ("wasm2c", self.cc) if not shutil.which(t)]
        if not os.path.exists(os.path.join(WASM_RT_INCLUDE, "wasm-rt-impl.h")):
            missing.append(os.path.join(WASM_RT_INCLUDE, "wasm-rt-impl.h"))
        if not self.rt_lib:
            missing.append("libwasm-rt-impl.a")
        if missing:
            self.note = "missing " + ", ".join(missing) + " (apt-get install wabt gcc)"
            return
        self.wasi_srcs = [os.path.join(REPO, "runtime", "wasi", s) for s in WASI_SOURCES]
        hdrs = [os.path.join(REPO, "runtime", "wasi", h)
                for h in ("wasi.h", "wasi_abi.h", "wasi_impl.h")]
        if not all(os.path.exists(p) for p in self.wasi_srcs + hdrs):
            self.note = "runtime/wasi sources not found"
            return
        self.version = tool_version(["wasm2c", "--version"])
        cc_version = tool_version([self.cc, "--version"]) or ""
        # One key for everything shared by all programs: host, WASI sources, flags, tools.
        self.key = sha256_files(
            [os.path.join(BENCH_DIR, "wasm2c_host.c"), self.rt_lib] + self.wasi_srcs + hdrs,
            " ".join(self.CFLAGS + [cc_version, self.version or ""]).encode())
        self.dir = os.path.join(args.work, "wasm2c")
        self.lock = threading.Lock()
        self.wasi_objs = None
        self.available = True

    def wasi_objects(self):
        """skua's WASI core compiled once with the same flags (cached by content)."""
        with self.lock:
            if self.wasi_objs:
                return self.wasi_objs
            out = os.path.join(self.dir, "wasi-" + self.key[:16])
            os.makedirs(out, exist_ok=True)
            objs = []
            for src in self.wasi_srcs:
                obj = os.path.join(out, os.path.basename(src)[:-2] + ".o")
                if not os.path.exists(obj):
                    r = subprocess.run([self.cc] + self.CFLAGS + ["-std=c11", "-D_GNU_SOURCE",
                                       "-I", REPO, "-c", src, "-o", obj + ".tmp"],
                                       capture_output=True, text=True)
                    if r.returncode:
                        raise RuntimeError(f"{src}: {r.stderr[-1500:]}")
                    os.replace(obj + ".tmp", obj)
                objs.append(obj)
            self.wasi_objs = objs
            return objs

    def prepare(self, bench):
        """Translates and builds bench once per (module, host, flags); returns an error."""
        if bench.name in self.exes:
            return None
        key = sha256_files([bench.wasm], self.key.encode())[:16]
        work = os.path.join(self.dir, f"{bench.name}-{key}")
        exe = os.path.join(work, "prog")
        if os.path.exists(exe):
            self.exes[bench.name] = exe
            return None
        os.makedirs(work, exist_ok=True)
        r = subprocess.run(["wasm2c", bench.wasm, "-n", "prog", "-o",
                            os.path.join(work, "prog.c")], capture_output=True, text=True)
        if r.returncode:
            shutil.rmtree(work, ignore_errors=True)
            if bench.detect_simd():
                return "uses SIMD128, which wasm2c 1.0.32 does not support"
            return "wasm2c failed: " + (r.stderr.strip()[-300:] or f"exit {r.returncode}")
        with open(os.path.join(work, "prog.h")) as f:
            header = f.read()
        m = re.search(r"void Z_prog_instantiate\(Z_prog_instance_t\*([^)]*)\);", header)
        if not m:
            return "wasm2c output has no Z_prog_instantiate (unexpected wasm2c version?)"
        args = []
        for mod in re.findall(r"struct Z_(\w+)_instance_t\*", m.group(1)):
            if mod not in ("bench", "wasi_snapshot_preview1"):
                return f"imports module '{mod}', which the wasm2c host does not provide"
            args.append(f"&{mod.split('_')[0]}_inst")
        with open(os.path.join(work, "prog_imports.h"), "w") as f:
            f.write("/* Generated by bench/run.py: the import instances, in wasm2c's order. */\n"
                    f"#define PROG_IMPORT_ARGS {', '.join(args)}\n")
        try:
            wasi = self.wasi_objects()
        except RuntimeError as e:
            return f"building runtime/wasi failed: {e}"
        cmd = ([self.cc] + self.CFLAGS + ["-D_GNU_SOURCE", "-w", "-I", work, "-I", REPO,
               "-I", WASM_RT_INCLUDE, os.path.join(work, "prog.c"),
               os.path.join(BENCH_DIR, "wasm2c_host.c")] + wasi
               + [self.rt_lib, "-lm", "-o", exe + ".tmp"])
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode:
            return "gcc failed: " + r.stderr.strip()[-600:]
        os.replace(exe + ".tmp", exe)
        os.remove(os.path.join(work, "prog.c"))  # large, and rebuilt from the .wasm anyway
        for old in os.listdir(self.dir):  # builds of older versions of this program
            if old.startswith(bench.name + "-") and old != os.path.basename(work) and \
                    len(old) == len(bench.name) + 17:
                shutil.rmtree(os.path.join(self.dir, old), ignore_errors=True)
        self.exes[bench.name] = exe
        return None

    def command(self, bench, timing_path):
        return [self.exes[bench.name], "--timing", timing_path, "--dir", ".::.", "--",
                os.path.basename(bench.wasm)]

    def bench_time(self, timing_path, stderr):
        return read_timing(timing_path)[0], stderr


class NodeEngine(Engine):
    """node (V8) with one tier forced by flags; the runner reports the tier it really got."""

    def __init__(self, args, name):
        super().__init__(args)
        self.name = name
        self.node = shutil.which(args.node)
        if not self.node:
            self.note = f"{args.node} not found (install node >= 20 for the V8 columns)"
            return
        self.version = tool_version([self.node, "--version"])
        known = subprocess.run([self.node, "--v8-options"], capture_output=True,
                               text=True).stdout
        flags = NODE_COMMON + NODE_TIER_FLAGS[name] + NODE_COMPILE_FLAGS
        unknown = [f for f in flags if f"  {f.split('=')[0].replace('--no-', '--')} " not in
                   known and f != "--no-warnings"]
        if unknown:
            self.note = f"this V8 lacks {' '.join(unknown)}"
            return
        self.flags = NODE_COMMON + NODE_TIER_FLAGS[name]
        self.runner = os.path.join(BENCH_DIR, "node_runner.mjs")
        self.tier_errors = 0
        self.available = True

    def command(self, bench, timing_path):
        return ([self.node] + self.flags + [self.runner, "run", "--timing", timing_path,
                os.path.basename(bench.wasm)])

    def bench_time(self, timing_path, stderr):
        secs, tier = read_timing(timing_path)
        if tier != NODE_TIER_NAME[self.name]:
            self.tier_errors += 1
            raise TierError(f"code ran in tier '{tier}', expected "
                            f"'{NODE_TIER_NAME[self.name]}': check the V8 flags")
        return secs, stderr


class TierError(Exception):
    pass


def make_engines(args):
    engines = []
    for name in args.engines:
        if name == "skua":
            engines.append(SkuaEngine(args))
        elif name == "wasm2c":
            engines.append(Wasm2cEngine(args))
        else:
            engines.append(NodeEngine(args, name))
    return engines


# ---------------------------------------------------------------------------------------
# The run-time table


class Cell:
    """One engine on one benchmark: its runs, or why it has no figure."""

    def __init__(self):
        self.runs = []
        self.status = "ok"  # ok | unsupported | failed | unavailable
        self.reason = ""

    def median(self, metric):
        vals = [getattr(r, metric) for r in self.runs]
        if self.status != "ok" or not vals or any(v is None for v in vals):
            return None
        return statistics.median(vals)


def check_output(bench, res):
    """Sets res.ok/res.error from the exit status and the outputs.

    Outputs are compared line by line, as Sightglass does (libsodium's expected "0" has no
    final newline; the programs print one). A program without expected files (hashset, richards, sqlite3 in the Sightglass snapshot)
    only has its exit status checked: they print timings, so engines cannot be compared
    with each other either.
    """
    problems = []
    if res.code != 0:
        problems.append("timed out" if res.code == -1 else f"exit status {res.code}")
    for stream in ("stdout", "stderr"):
        got, want = getattr(res, stream), bench.expected[stream]
        if want is not None and output_lines(got) != output_lines(want):
            problems.append(f"{stream} differs from the expected output: "
                            + first_difference(got, want))
    if problems:
        tail = " ".join(res.stderr[-2000:].decode(errors="replace").split())
        tail = tail if len(tail) <= 200 else tail[:120] + " ... " + tail[-70:]
        res.ok, res.error = False, "; ".join(problems) + (f" [stderr: {tail}]" if tail else "")


def run_once(engine, bench, args, tmp):
    timing = os.path.join(tmp, "timing.json")
    if os.path.exists(timing):
        os.remove(timing)
    code, wall, cpu, out, err = run_process(engine.command(bench, timing), bench.folder,
                                            args.timeout, tmp)
    res = Result(True, wall, cpu, None, stdout=out, stderr=err, code=code)
    try:
        res.bench, res.stderr = engine.bench_time(timing, err)
    except TierError as e:
        res.ok, res.error = False, str(e)
    return res


def run_table(benches, engines, args, tmp):
    """Runs every benchmark args.runs times per engine, interleaved; returns {(b, e): Cell}."""
    cells = {(b.name, e.name): Cell() for b in benches for e in engines}
    live = [e for e in engines if e.available]
    for e in engines:
        if not e.available:
            for b in benches:
                cells[(b.name, e.name)].status = "unavailable"
    # Build what can be built first (wasm2c + gcc), in parallel.
    for e in live:
        with ThreadPoolExecutor(args.jobs) as pool:
            errs = list(pool.map(e.prepare, benches))
        for b, err in zip(benches, errs):
            if err:
                c = cells[(b.name, e.name)]
                c.status = "failed" if err.startswith(("gcc", "building")) else "unsupported"
                c.reason = err
    for i, b in enumerate(benches, 1):
        order = [e for e in live if cells[(b.name, e.name)].status == "ok"]
        for r in range(args.runs):
            rot = order[r % len(order):] + order[:r % len(order)] if order else []
            for e in rot:
                c = cells[(b.name, e.name)]
                if c.status != "ok":
                    continue
                res = run_once(e, b, args, tmp)
                if res.ok:
                    check_output(b, res)
                if not res.ok and UNSUPPORTED.search(res.stderr) and res.code not in (0, -1):
                    # the engine refused a feature it does not have yet (skua's SkDiag wording)
                    c.status = "unsupported"
                    c.reason = UNSUPPORTED.search(res.stderr).group(0).decode(errors="replace")
                    continue
                if not res.ok:
                    c.status, c.reason = "failed", res.error
                    save_failure(args.work, b, e, res)
                    continue
                c.runs.append(res)
        parts = []
        for e in engines:
            c = cells[(b.name, e.name)]
            if c.status == "ok" and c.runs:
                bt = c.median("bench")
                parts.append(f"{e.name} {fmt_ms(c.median('wall'))}"
                             + (f" ({fmt_ms(bt)})" if bt is not None else ""))
            elif c.status in ("failed", "unsupported"):
                parts.append(f"{e.name} {c.status.upper()}")
        log(f"[{i}/{len(benches)}] {b.name}: " + ", ".join(parts))
        for e in engines:
            c = cells[(b.name, e.name)]
            if c.status == "failed":
                log(f"    {e.name}: {c.reason}")
    return cells


def save_failure(work, bench, engine, res):
    d = os.path.join(work, "failures", engine.name)
    os.makedirs(d, exist_ok=True)
    for stream in ("stdout", "stderr"):
        with open(os.path.join(d, f"{bench.name}.{stream}"), "wb") as f:
            f.write(getattr(res, stream))


# ---------------------------------------------------------------------------------------
# The compile-throughput table


def code_section_size(path):
    """Size in bytes of the module's code section (id 10), or 0."""
    with open(path, "rb") as f:
        data = f.read()
    pos = 8
    while pos < len(data):
        sid = data[pos]
        pos += 1
        size = shift = 0
        while True:
            byte = data[pos]
            pos += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        if sid == 10:
            return size
        pos += size
    return 0


class CompileCell:
    def __init__(self):
        self.times = []  # seconds per compilation
        self.cpu_ratio = []  # V8 only: CPU time / wall time per compilation
        self.error = ""
        self.source = ""  # where the time comes from


def skua_compile_support(skua):
    """(usable, has --stats, note): usable once `skua compile` writes modules (-o)."""
    if not os.access(skua, os.X_OK):
        return False, False, f"{skua} not found"
    r = subprocess.run([skua, "compile", "--help"], capture_output=True, text=True)
    text = r.stdout + r.stderr
    if r.returncode != 0:
        return False, False, f"{skua} has no `compile` command yet"
    if not re.search(r"(^|\s)-o[\s,=]", text):
        return False, False, ("`skua compile` does not write a compiled module yet (no -o), "
                              "so it is not the whole pipeline")
    return True, "--stats" in text, ""


def compile_skua(args, bench, tmp, stats):
    """(seconds, source, error): the `total` line of --stats, else the process wall time."""
    out = os.path.join(tmp, "out.skua")
    argv = [args.skua, "compile"] + (["--stats"] if stats else []) + [bench.wasm, "-o", out]
    t0 = time.perf_counter()
    r = subprocess.run(argv, capture_output=True, text=True, timeout=args.timeout)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        return None, "", (r.stderr or r.stdout).strip()[-300:] or f"exit {r.returncode}"
    m = re.search(r"^\s*(total|whole pipeline)\s+([\d.]+)\s*ms", r.stdout, re.M) \
        if stats else None
    if m:
        return (float(m.group(2)) / 1e3,
                f"`skua compile --stats` '{m.group(1)}' line (in-process, decode to machine code)",
                "")
    return wall, "wall time of the `skua compile -o` process", ""


def compile_v8(args, engine, bench):
    """(seconds, cpu/wall, error) for one `new WebAssembly.Module` in a fresh node."""
    argv = ([engine.node] + NODE_COMMON + NODE_TIER_FLAGS[engine.name] + NODE_COMPILE_FLAGS
            + [os.path.join(BENCH_DIR, "node_runner.mjs"), "compile", bench.wasm])
    r = subprocess.run(argv, capture_output=True, text=True, timeout=args.timeout)
    if r.returncode:
        return None, None, (r.stderr.strip() or f"exit {r.returncode}")[-300:]
    try:
        j = json.loads(r.stdout)
    except ValueError:
        return None, None, "bad runner output: " + r.stdout[:200]
    if j["tier"] not in (NODE_TIER_NAME[engine.name], "unknown"):
        return None, None, f"compiled in tier '{j['tier']}': check the V8 flags"
    wall = j["wall_ns"] / 1e9
    return wall, (j["cpu_ns"] / j["wall_ns"] if j["wall_ns"] else 1.0), ""


def compile_table(benches, engines, args, tmp):
    by_name = {e.name: e for e in engines}
    todo = []
    skua_ok, skua_stats, skua_note = skua_compile_support(args.skua)
    notes = {}
    for name in COMPILERS:
        if name not in args.engines:
            continue
        if name == "skua":
            if skua_ok:
                todo.append(name)
            else:
                notes[name] = skua_note
        elif by_name[name].available:
            todo.append(name)
        else:
            notes[name] = by_name[name].note
    cells = {(b.name, n): CompileCell() for b in benches for n in todo}
    for i, b in enumerate(benches, 1):
        for r in range(args.compile_runs):
            for n in todo[r % len(todo):] + todo[:r % len(todo)] if todo else []:
                c = cells[(b.name, n)]
                if c.error:
                    continue
                if n == "skua":
                    t, c.source, c.error = compile_skua(args, b, tmp, skua_stats)
                else:
                    t, ratio, c.error = compile_v8(args, by_name[n], b)
                    if ratio is not None:
                        c.cpu_ratio.append(ratio)
                if t is not None:
                    c.times.append(t)
        log(f"[compile {i}/{len(benches)}] {b.name}: " + ", ".join(
            f"{n} " + (f"{b.size / 1e6 / statistics.median(cells[(b.name, n)].times):.1f} MB/s"
                       if not cells[(b.name, n)].error else "FAILED") for n in todo))
    return todo, cells, notes


# ---------------------------------------------------------------------------------------
# Output


def fmt_ms(secs):
    if secs is None:
        return "-"
    ms = secs * 1e3
    return f"{ms:.0f}" if ms >= 100 else f"{ms:.1f}" if ms >= 1 else f"{ms:.2f}"


def geomean(vals):
    vals = [v for v in vals if v and v > 0]
    return math.exp(sum(math.log(v) for v in vals) / len(vals)) if vals else None


def render(headers, rows, markdown, align=None):
    """A table as markdown or as aligned plain text; align: 'l'/'r' per column."""
    align = align or ["l"] + ["r"] * (len(headers) - 1)
    if markdown:
        out = ["| " + " | ".join(headers) + " |",
               "|" + "|".join(":---" if a == "l" else "---:" for a in align) + "|"]
        out += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(out)
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]

    def line(r):
        return "  ".join(str(x).ljust(w) if a == "l" else str(x).rjust(w)
                         for x, w, a in zip(r, widths, align))

    return "\n".join([line(headers), "  ".join("-" * w for w in widths)]
                     + [line(r) for r in rows])


class Notes:
    """Footnotes shared by the tables: one number per distinct (engine, status, reason), so
    81 programs that one engine cannot run share one note that counts them. Reasons of the
    form "unsupported feature: OP ..." are grouped over OP, which the note lists."""

    def __init__(self):
        self.keys, self.programs, self.details = [], [], []

    def ref(self, engine, status, reason, program):
        reason = " ".join(reason.split())
        m = re.match(r"(unsupported feature: )(\S+)(.*)", reason)
        group, detail = (m.group(1) + "X" + m.group(3), m.group(2)) if m else (reason, None)
        key = (engine, status, group)
        if key not in self.keys:
            self.keys.append(key)
            self.programs.append([])
            self.details.append([])
        i = self.keys.index(key)
        if program not in self.programs[i]:
            self.programs[i].append(program)
        if detail and detail not in self.details[i]:
            self.details[i].append(detail)
        return i + 1

    def text(self, markdown):
        out = []
        for i, (key, progs, details) in enumerate(zip(self.keys, self.programs, self.details)):
            engine, status, reason = key
            who = progs[0] if len(progs) == 1 else f"{len(progs)} programs"
            if details:
                reason += " (X = " + ", ".join(details) + ")"
            line = f"[{i + 1}] {engine}, {who}: {status}: {reason}"
            out.append(("- " + line.replace("|", "\\|")) if markdown else line)
        return "\n".join(out)


def run_report(benches, engines, cells, metric, ref, markdown, notes):
    """The table of one metric ('bench' or 'wall') with geometric means; notes: Notes."""
    names = [e.name for e in engines if e.available]
    others = [n for n in names if n != ref]
    headers = ["benchmark"] + [f"{n} ms" for n in names] + [f"{n}/{ref}" for n in others]
    rows = []
    med = {(b.name, n): cells[(b.name, n)].median(metric) for b in benches for n in names}
    for b in benches:
        label = b.name + (" (simd)" if b.simd else "") + ("" if b.checked else " †")
        row = [label]
        for n in names:
            c = cells[(b.name, n)]
            if c.status in ("failed", "unsupported"):
                row.append(f"{c.status} [{notes.ref(n, c.status, c.reason, b.name)}]")
            elif c.status == "unavailable":
                row.append("")
            else:
                row.append(fmt_ms(med[(b.name, n)]) if med[(b.name, n)] is not None else "n/a")
        for n in others:
            a, r = med[(b.name, n)], med[(b.name, ref)]
            row.append(f"{a / r:.2f}" if a and r else "")
        rows.append(row)
    # Geometric means over the benchmarks every engine with figures has a figure for.
    with_figs = [n for n in names if any(med[(b.name, n)] for b in benches)]
    common = [b for b in benches if all(med[(b.name, n)] for n in with_figs)]
    if common and with_figs:
        row = [f"geomean ({len(common)} common)"]
        for n in names:
            g = geomean([med[(b.name, n)] for b in common]) if n in with_figs else None
            row.append(fmt_ms(g) if g else "")
        for n in others:
            g = geomean([med[(b.name, n)] / med[(b.name, ref)] for b in common]) \
                if n in with_figs and ref in with_figs else None
            row.append(f"{g:.2f}" if g else "")
        rows.append(row)
    row, any_pair = ["geomean ratio, all pairs (n)"] + [""] * len(names), False
    for n in others:
        pairs = [med[(b.name, n)] / med[(b.name, ref)] for b in benches
                 if med[(b.name, n)] and med[(b.name, ref)]]
        g = geomean(pairs)
        row.append(f"{g:.2f} ({len(pairs)})" if g else "")
        any_pair |= bool(g)
    if any_pair:
        rows.append(row)
    if markdown:
        rows = [[x.replace("|", "\\|") for x in r] for r in rows]
    return render(headers, rows, markdown)


def compile_report(benches, todo, cells, markdown, notes):
    headers = ["module", "size KB", "code KB"] + [f"{n} MB/s" for n in todo]
    rows = []
    totals = {n: [0, 0.0] for n in todo}  # bytes, seconds over modules all compilers did
    ok_all = [b for b in benches if all(cells[(b.name, n)].times and not cells[(b.name, n)].error
                                        for n in todo)]
    for b in benches:
        row = [b.name + (" (simd)" if b.simd else ""), f"{b.size / 1e3:.0f}",
               f"{code_section_size(b.wasm) / 1e3:.0f}"]
        for n in todo:
            c = cells[(b.name, n)]
            if c.error or not c.times:
                m = UNSUPPORTED.search(c.error.encode())
                status = "unsupported" if m else "failed"
                reason = m.group(0).decode() if m else c.error or "no result"
                row.append(f"{status} [{notes.ref(n, status, reason, b.name)}]")
                continue
            t = statistics.median(c.times)
            row.append(f"{b.size / 1e6 / t:.1f}")
            if b in ok_all:
                totals[n][0] += b.size
                totals[n][1] += t
        rows.append(row)
    if ok_all:
        size = sum(b.size for b in ok_all)
        code = sum(code_section_size(b.wasm) for b in ok_all)
        rows.append([f"all {len(ok_all)} modules (total bytes / total time)",
                     f"{size / 1e3:.0f}", f"{code / 1e3:.0f}"]
                    + [f"{totals[n][0] / 1e6 / totals[n][1]:.1f}" for n in todo])
        rows.append([f"geomean of {len(ok_all)} modules", "", ""]
                    + [f"{geomean([b.size / 1e6 / statistics.median(cells[(b.name, n)].times) for b in ok_all]):.1f}"
                       for n in todo])
    return render(headers, rows, markdown)


def machine_line():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.+)$", f.read(), re.M)
            cpu = m.group(1).strip() if m else platform.processor() or cpu
    except OSError:
        pass
    load = ", load average %.1f at start" % os.getloadavg()[0] if hasattr(os, "getloadavg") \
        else ""
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}{load}"


def header_lines(args, engines):
    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "?"
    lines = [f"date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
             f"machine: {machine_line()}",
             f"skua commit {commit}; programs: {args.sightglass}"]
    for e in engines:
        if e.available:
            extra = {"wasm2c": lambda: f"{e.version}, {args.cc} -O2",
                     "v8-liftoff": lambda: f"node {e.version} " + " ".join(e.flags),
                     "v8-turbofan": lambda: f"node {e.version} " + " ".join(e.flags),
                     "skua": lambda: args.skua}.get(e.name, lambda: "")()
            lines.append(f"{e.name}: {extra}" + (f" ({e.note})" if e.note else ""))
        else:
            lines.append(f"{e.name}: skipped: {e.note}")
    return lines


def emit(text, markdown):
    """Prints one block (table, caption, notes) followed by a blank line."""
    print(text)
    print()


def main():
    default_sg = os.environ.get("SKUA_SIGHTGLASS") or os.path.join(REPO, "..", "shared",
                                                                    "sightglass")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="Details: bench/README.md")
    ap.add_argument("--sightglass", default=default_sg,
                    help="the programs (default: $SKUA_SIGHTGLASS or ../shared/sightglass)")
    ap.add_argument("--filter", action="append", default=[],
                    help="run only benchmarks matching (glob, or substring; comma-separated; "
                         "repeatable)")
    ap.add_argument("--simd-only", action="store_true",
                    help="only the programs that use SIMD128 (issue 7: skua vs V8 TurboFan)")
    ap.add_argument("--engines", default=",".join(ENGINE_NAMES),
                    help="comma-separated subset of " + ",".join(ENGINE_NAMES))
    ap.add_argument("--ref", default="v8-turbofan",
                    help="engine the ratios divide by (default v8-turbofan, the only one that "
                         "runs every program; falls back to the first engine with figures)")
    ap.add_argument("--runs", type=int, default=3, help="runs per engine and program (3)")
    ap.add_argument("--compile-runs", type=int, default=3,
                    help="compilations per compiler and module (3)")
    ap.add_argument("--tables", default="run,compile", help="run, compile or both")
    ap.add_argument("--markdown", action="store_true", help="markdown tables (for the README)")
    ap.add_argument("--json", help="also write every measurement to this file")
    ap.add_argument("--list", action="store_true", help="list the selected programs and exit")
    ap.add_argument("--skua", default=os.path.join(REPO, "build", "skua"))
    ap.add_argument("--node", default="node")
    ap.add_argument("--cc", default="gcc")
    ap.add_argument("--work", default=os.path.join(REPO, "build-bench"),
                    help="cache for wasm2c builds and failing outputs (default build-bench/)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="parallel wasm2c builds")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per process")
    args = ap.parse_args()
    args.engines = [e for e in args.engines.split(",") if e]
    tables = set(t for t in args.tables.split(",") if t)
    bad = [e for e in args.engines if e not in ENGINE_NAMES] + \
          [t for t in tables if t not in ("run", "compile")]
    if bad or args.runs < 1 or args.compile_runs < 1:
        ap.error("unknown engine or table: " + ", ".join(bad) if bad else "runs must be >= 1")
    args.sightglass = os.path.abspath(args.sightglass)
    args.work = os.path.abspath(args.work)
    args.skua = os.path.abspath(args.skua)

    if not os.path.isdir(args.sightglass):
        print(f"skipped: no benchmark programs at {args.sightglass}. Get the Sightglass "
              "programs (https://github.com/bytecodealliance/sightglass, folder benchmarks/) "
              "and point SKUA_SIGHTGLASS or --sightglass at them.")
        return 0
    benches = select(discover(args.sightglass), args.filter)
    if not benches:
        print(f"skipped: no program in {args.sightglass} matches {args.filter}")
        return 0
    for b in benches:
        b.detect_simd()
    if args.simd_only:
        benches = [b for b in benches if b.simd]
    if args.list:
        for b in benches:
            print(f"{b.name:40} {b.size / 1e3:8.0f} KB  {'simd' if b.simd else '    '}  "
                  f"{'' if b.checked else 'no expected output'}  "
                  f"{os.path.relpath(b.wasm, args.sightglass)}")
        return 0

    os.makedirs(args.work, exist_ok=True)
    engines = make_engines(args)
    for e in engines:
        log(f"{e.name}: " + ("ready" if e.available else "skipped") +
            (f" ({e.note})" if e.note else ""))
    md = args.markdown
    failed = False
    out = {"header": header_lines(args, engines), "run": {}, "compile": {}}
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        cells = run_table(benches, engines, args, tmp) if "run" in tables else None
        ctodo, ccells, cnotes = (compile_table(benches, engines, args, tmp)
                                 if "compile" in tables else ([], None, {}))

    emit(("\n".join(f"- {line}" for line in out["header"]) if md
          else "\n".join(out["header"])), md)
    if cells and not any(e.available for e in engines):
        emit("run times: skipped: no engine is available (see above)", md)
    elif cells:
        with_figs = [e.name for e in engines
                     if any(cells[(b.name, e.name)].runs for b in benches)]
        shown = [e.name for e in engines if e.available]
        ref = args.ref if args.ref in shown else (with_figs or shown or [args.ref])[0]
        notes = Notes()
        for metric, title in (("bench", "Run time between bench.start and bench.end"),
                              ("wall", "Run time of the whole process (wall clock)")):
            text = run_report(benches, engines, cells, metric, ref, md, notes)
            emit((f"**{title}**" if md else title) +
                 f": median of {args.runs} runs, ms; ratio = engine time / {ref} time "
                 "(below 1 is faster); n/a: the engine cannot time bench.start..end. † no "
                 "expected output files: only the exit status is checked.", md)
            emit(text, md)
        if notes.keys:
            emit(notes.text(md), md)
        failed = any(c.status == "failed" for c in cells.values())
        out["run"] = {f"{b}|{e}": {"status": c.status, "reason": c.reason,
                                   "wall": [r.wall for r in c.runs],
                                   "cpu": [r.cpu for r in c.runs],
                                   "bench": [r.bench for r in c.runs]}
                      for (b, e), c in cells.items()}
    if ccells is not None:
        if ctodo:
            notes = Notes()
            text = compile_report(benches, ctodo, ccells, md, notes)
            srcs = sorted({c.source for c in ccells.values() if c.source})
            ratios = [r for c in ccells.values() for r in c.cpu_ratio]
            emit(("**Compile throughput**" if md else "Compile throughput") +
                 f": MB/s of module bytes (1 MB = 10^6 bytes), median of {args.compile_runs} "
                 "compilations, single-threaded. V8: `new WebAssembly.Module` timed in a fresh "
                 "node with " + " ".join(NODE_COMPILE_FLAGS + ["--no-wasm-lazy-compilation"]) +
                 (f" (CPU/wall time at most {max(ratios):.2f})" if ratios else "") +
                 (". skua: " + "; ".join(srcs) if srcs else "") + ".", md)
            emit(text, md)
            if notes.keys:
                emit(notes.text(md), md)
            out["compile"] = {f"{b}|{n}": {"times": c.times, "error": c.error,
                                           "cpu_ratio": c.cpu_ratio}
                              for (b, n), c in ccells.items()}
        for n, note in cnotes.items():
            emit(f"compile throughput, {n}: skipped: {note}", md)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
