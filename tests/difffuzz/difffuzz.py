#!/usr/bin/env python3
"""Differential fuzzing: skua against wabt's interpreter on random valid modules.

DESIGN.md "Tests": random valid modules (binaryen `wasm-opt -ttf`) run on skua and on wabt's
interpreter must agree. For each seed:

 1. Random bytes (from the seed) become a module with binaryen's translate-to-fuzz
    (`wasm-opt -ttf`), with the WebAssembly 2.0 features both engines implement the same
    way: sign extension, saturating float-to-int, multi-value, bulk memory, SIMD. Not
    reference types: binaryen 108's reference types are those of the GC proposal (typed
    function references, funcref <: externref), which neither wabt 1.0.32 nor skua accept.
    By default `--denan` is applied, see "NaNs" below.
 2. The plan: every exported function, in export order, each preceded by a call of the
    module's `hangLimitInitializer` (binaryen's fuel: each loop iteration and call consumes
    one unit of a global and traps when it runs out, so every call terminates), with
    arguments chosen from the seed (edge values and random bits).
 3. skua runs the plan in one instance (tests/difffuzz/difffuzz_run.c, through the compile
    driver and the embedding API) and prints every result, trap and logged value with exact
    bits. It runs three times, in three compile modes that must agree exactly: the host's
    CPU features with guard regions, explicit bounds checks, and baseline SSE2 code.
 4. skua's observations become a wast script: the module (binary) and, per call, an
    assert_return with skua's results (floats bit-exact) or an assert_trap /
    assert_exhaustion, then an assert_return on a stub "fuzzing-support" module that hashes
    the values logged since the last check (count + FNV-1a over type tags and bits).
 5. wabt's spectest-interp runs the script. Any failed assertion is a disagreement. Traps
    are compared by kind: spectest-interp does not compare assert_trap texts, but prints
    "assert_trap passed: MESSAGE", which is normalized and compared with skua's.

NaNs: WebAssembly leaves the bits of a NaN produced by arithmetic nondeterministic (any
arithmetic NaN; wabt returns the canonical NaN, x86 code often the "default NaN" 0xffc00000
or an input's payload), and they can flow into integers (reinterpret, stores, lane
extracts). --nan-mode says how that is kept out of the comparison:
  canon  the module (wasm2wat text) is rewritten so that every result of an operation with
         nondeterministic NaN bits becomes the canonical NaN when it is a NaN
         (canonicalize_nans, as wasmtime's fuzzing does): NaNs still flow through the
         program, NaN arguments are passed, and everything is compared exactly;
  denan  binaryen's --denan: no scalar NaN ever exists (a NaN result becomes 0); as it does
         not reach v128 lanes, the SIMD operations are canonicalized as in canon;
  mixed  (the default) canon for odd seeds, denan for even ones: canon tests NaN semantics,
         denan keeps binaryen's scalar code shapes without the rewrite's selects;
  raw    NaNs as generated; quiet NaN results compare as nan:arithmetic, but an integer
         holding NaN bits may still differ legitimately: for exploration only.

Call-stack exhaustion: the engines' stack limits differ, so a call that exhausts the stack on
one engine only is not a disagreement; the rest of that module is then not compared (its
state may differ). binaryen's fuel keeps recursion shallow, so this is rare.

    difffuzz.py --runner PATH [--count N | --seconds S] [--seed S] [--jobs J]
                [--nan-mode MODE] [--work DIR] [--keep] [--self-test]

--self-test first checks the checker: in skua's output for a few modules, one result bit, one
logged value and one trap kind are changed in turn, and each must be reported.

Exit status 0 if every module agreed, 1 on any disagreement (each listed with its seed and
the failing call; the module, plan, skua's output and the wast are kept under --work), 77 if
wasm-opt, wast2json or spectest-interp is missing.
"""
import argparse
import concurrent.futures
import math
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

FEATURES = ["--enable-sign-ext", "--enable-nontrapping-float-to-int", "--enable-multivalue",
            "--enable-bulk-memory", "--enable-simd", "--enable-mutable-globals"]
MODES = [[], ["--explicit-bounds"], ["--cpu", "base"]]
TIMEOUT = 60  # seconds per tool run; binaryen's fuel makes every plan short

FNV_OFFSET = 0xcbf29ce484222325
FNV_PRIME = 0x100000001b3
MASK64 = (1 << 64) - 1
TAGS = {"i32": 1, "i64": 2, "f32": 3, "f64": 4, "v128": 5}
KIND_TYPES = {"i": "i32", "I": "i64", "f": "f32", "F": "f64", "v": "v128", "r": "ref"}

# The stub "fuzzing-support" module for wabt: each log call mixes its type tag and value bits
# into an FNV-1a hash (a NaN counts as one value), `take` returns (count, hash) and resets.
STUB = """(module $fs
  (global $h (mut i64) (i64.const 0xcbf29ce484222325))
  (global $n (mut i32) (i32.const 0))
  (func $mix (param $t i64) (param $v i64)
    (global.set $h (i64.mul (i64.xor (global.get $h) (local.get $t)) (i64.const 0x100000001b3)))
    (global.set $h (i64.mul (i64.xor (global.get $h) (local.get $v)) (i64.const 0x100000001b3)))
    (global.set $n (i32.add (global.get $n) (i32.const 1))))
  (func (export "log-i32") (param i32) (call $mix (i64.const 1) (i64.extend_i32_u (local.get 0))))
  (func (export "log-i64") (param i64) (call $mix (i64.const 2) (local.get 0)))
  (func (export "log-f32") (param f32)
    (call $mix (i64.const 3) (select (i64.const 0x7fc00000)
                                     (i64.extend_i32_u (i32.reinterpret_f32 (local.get 0)))
                                     (f32.ne (local.get 0) (local.get 0)))))
  (func (export "log-f64") (param f64)
    (call $mix (i64.const 4) (select (i64.const 0x7ff8000000000000)
                                     (i64.reinterpret_f64 (local.get 0))
                                     (f64.ne (local.get 0) (local.get 0)))))
  (func (export "log-v128") (param v128)
    (call $mix (i64.const 5) (i64x2.extract_lane 0 (local.get 0)))
    (call $mix (i64.const 5) (i64x2.extract_lane 1 (local.get 0))))
  (func (export "take") (result i32 i64)
    (global.get $n) (global.get $h)
    (global.set $n (i32.const 0))
    (global.set $h (i64.const 0xcbf29ce484222325))))
(register "fuzzing-support" $fs)
"""


def log_entries(typ, bits):
    """The (tag, 64-bit value) pairs one logged value mixes into the stub's hash."""
    if typ == "f32" and (bits & 0x7f800000) == 0x7f800000 and bits & 0x7fffff:
        return [(3, 0x7fc00000)]
    if typ == "f64" and (bits & 0x7ff0000000000000) == 0x7ff0000000000000 and \
            bits & 0xfffffffffffff:
        return [(4, 0x7ff8000000000000)]
    if typ == "v128":
        return [(5, bits & MASK64), (5, bits >> 64)]
    return [(TAGS[typ], bits)]


def stub_hash(logs):
    h, n = FNV_OFFSET, 0
    for typ, bits in logs:
        for tag, v in log_entries(typ, bits):
            h = ((h ^ tag) * FNV_PRIME) & MASK64
            h = ((h ^ v) * FNV_PRIME) & MASK64
            n += 1
    return n, h


# ---- values ------------------------------------------------------------------------------

def parse_value(text):
    """'i32:0000002a' -> ('i32', int). v128 hex is memory order; its int is little-endian."""
    typ, _, hexbits = text.partition(":")
    if typ == "ref":
        return (typ, hexbits)
    if typ == "v128":
        return (typ, int.from_bytes(bytes.fromhex(hexbits), "little"))
    return (typ, int(hexbits, 16))


def format_arg(typ, bits):
    """Plan syntax of a value."""
    if typ == "v128":
        return "v128:" + bits.to_bytes(16, "little").hex()
    if typ == "ref":
        return "ref:null"
    width = 8 if typ in ("i32", "f32") else 16
    return "%s:%0*x" % (typ, width, bits)


def float_text(typ, bits):
    """Exact wast text of a float's bits."""
    if typ == "f32":
        exp_all, frac_mask, sign_bit, quiet = 0x7f800000, 0x7fffff, 1 << 31, 0x400000
        value = struct.unpack("<f", struct.pack("<I", bits))[0]
    else:
        exp_all, frac_mask, sign_bit, quiet = 0x7ff0000000000000, 0xfffffffffffff, 1 << 63, \
            0x8000000000000
        value = struct.unpack("<d", struct.pack("<Q", bits))[0]
    sign = "-" if bits & sign_bit else ""
    if (bits & exp_all) == exp_all:
        if bits & frac_mask:
            return "%snan:0x%x" % (sign, bits & frac_mask)
        return sign + "inf"
    return value.hex()


def const_text(typ, bits, expected=False, nans=False):
    """A wast constant; as an expected result with raw `nans` a quiet NaN is nan:arithmetic."""
    if typ == "i32" or typ == "i64":
        return "(%s.const 0x%x)" % (typ, bits)
    if typ in ("f32", "f64"):
        text = float_text(typ, bits)
        quiet = 0x400000 if typ == "f32" else 0x8000000000000
        if expected and nans and "nan" in text and bits & quiet:
            text = "nan:arithmetic"
        return "(%s.const %s)" % (typ, text)
    if typ == "v128":
        b = bits.to_bytes(16, "little")
        return "(v128.const i8x16 %s)" % " ".join("0x%02x" % x for x in b)
    raise ValueError(typ)


def random_arg(rng, typ, nans):
    """An argument: an edge value or random bits (a NaN only if `nans`)."""
    if typ == "i32":
        return rng.choice([0, 1, 2, 0xffffffff, 0x7fffffff, 0x80000000, 0xff, 0x10000,
                           rng.getrandbits(32), rng.getrandbits(8)])
    if typ == "i64":
        return rng.choice([0, 1, MASK64, 0x7fffffffffffffff, 1 << 63, 0xffffffff,
                           rng.getrandbits(64), rng.getrandbits(16)])
    if typ == "f32":
        edges = [0, 1 << 31, 0x3f800000, 0xbfc00000, 0x7f800000, 0xff800000, 0x7f7fffff, 1,
                 0x4f000000, 0xcf000000]
        if nans:
            edges += [0x7fc00000, 0xffa00001]
        bits = rng.choice(edges + [rng.getrandbits(32)] * 3)
        if not nans and (bits & 0x7f800000) == 0x7f800000 and bits & 0x7fffff:
            bits &= ~0x400000 & 0xbfffffff  # a random NaN: clear an exponent bit
        return bits
    if typ == "f64":
        edges = [0, 1 << 63, 0x3ff0000000000000, 0xbff8000000000000, 0x7ff0000000000000,
                 0xfff0000000000000, 0x7fefffffffffffff, 1, 0x41e0000000000000,
                 0xc3e0000000000000]
        if nans:
            edges += [0x7ff8000000000000, 0xfff4000000000001]
        bits = rng.choice(edges + [rng.getrandbits(64)] * 3)
        if not nans and (bits & 0x7ff0000000000000) == 0x7ff0000000000000 and \
                bits & 0xfffffffffffff:
            bits &= ~(1 << 62) & MASK64
        return bits
    if typ == "v128":
        bits = rng.getrandbits(128)
        if not nans:
            # Clear bit 30 of every 32-bit lane: no lane is a NaN as f32x4 or f64x2.
            for lane in range(4):
                bits &= ~(1 << (32 * lane + 30))
        return bits
    return None  # references: null


# ---- trap kinds ----------------------------------------------------------------------------

# wabt 1.0.32's trap messages (prefixes) and the spec's wording skua uses, to one kind each.
TRAP_KINDS = [
    ("unreachable", "unreachable"),
    ("integer divide by zero", "div-zero"),
    ("integer overflow", "overflow"),
    ("invalid conversion to integer", "conversion"),
    ("out of bounds memory access", "memory"),
    ("out of bounds table access", "table"),
    ("undefined table index", "undefined-element"),
    ("undefined element", "undefined-element"),
    ("uninitialized table element", "uninitialized-element"),
    ("uninitialized element", "uninitialized-element"),
    ("indirect call signature mismatch", "signature"),
    ("indirect call type mismatch", "signature"),
    ("call stack exhausted", "exhausted"),
    ("value stack exhausted", "exhausted"),
]


def trap_kind(message):
    m = message.strip()
    for prefix, kind in TRAP_KINDS:
        if m.startswith(prefix):
            return kind
    return "other: " + m


# ---- canonical NaNs ------------------------------------------------------------------------

# Every operation whose NaN result bits WebAssembly leaves nondeterministic, by result type.
NAN_OP_RE = re.compile(r"^\s*(f32|f64|f32x4|f64x2)\.(add|sub|mul|div|sqrt|min|max|ceil|floor|"
                       r"trunc|nearest|demote_f64|promote_f32|demote_f64x2_zero|"
                       r"promote_low_f32x4)\s*(\)*)\s*$")
FUNC_RE = re.compile(r"^\s*\(func \(;\d+;\)(.*)$")
LOCAL_RE = re.compile(r"^\s*\(local ([^()]*)\)\s*$")


def canonicalize_nans(wat, scalar=True):
    """wasm2wat text -> the same module where every result of NAN_OP_RE (only the SIMD ones
    unless `scalar`) is replaced by the canonical NaN (0x7fc00000, 0x7ff8000000000000, per
    lane for SIMD) when it is a NaN. Arithmetic NaNs are then deterministic in every engine,
    while NaNs still flow through the program (NaN inputs to comparisons, min/max,
    truncations, bit-exact moves and reinterpretations keep their bits: those are
    deterministic already). Each function gets three scratch locals (f32, f64, v128) after
    its own."""
    out = []
    scratch = None  # local indices of the current function's scratch f32, f64, v128
    lines = wat.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        m = FUNC_RE.match(line)
        if m:
            nparams = sum(len(g.split()) for g in re.findall(r"\(param ([^()]*)\)", m.group(1)))
            out.append(line)
            i += 1
            nlocals = 0
            while i < len(lines) and LOCAL_RE.match(lines[i]):
                nlocals += len(LOCAL_RE.match(lines[i]).group(1).split())
                out.append(lines[i])
                i += 1
            out.append("    (local f32 f64 v128)")
            base = nparams + nlocals
            scratch = {"f32": base, "f64": base + 1, "v128": base + 2}
            continue
        i += 1
        m = NAN_OP_RE.match(line)
        if not m or scratch is None or (not scalar and m.group(1) in ("f32", "f64")):
            out.append(line)
            continue
        # The operation, the canonicalizing code, then what closed on its line (a
        # function's last instruction carries the function's closing parenthesis).
        closing = m.group(3)
        out.append(line[:len(line) - len(line.lstrip())] + m.group(1) + "." + m.group(2))
        shape = m.group(1)
        if shape == "f32":
            t = scratch["f32"]
            out += ["local.set %d" % t, "f32.const nan:0x400000", "local.get %d" % t,
                    "local.get %d" % t, "local.get %d" % t, "f32.ne", "select"]
        elif shape == "f64":
            t = scratch["f64"]
            out += ["local.set %d" % t, "f64.const nan:0x8000000000000", "local.get %d" % t,
                    "local.get %d" % t, "local.get %d" % t, "f64.ne", "select"]
        else:
            t = scratch["v128"]
            canon = "i32x4 0x7fc00000 0x7fc00000 0x7fc00000 0x7fc00000" if shape == "f32x4" \
                else "i64x2 0x7ff8000000000000 0x7ff8000000000000"
            out += ["local.set %d" % t, "local.get %d" % t, "v128.const " + canon,
                    "local.get %d" % t, "local.get %d" % t, shape + ".eq", "v128.bitselect"]
        if closing:
            out[-1] += closing
    return "\n".join(out) + "\n"


# ---- one module --------------------------------------------------------------------------

class Result:
    def __init__(self, seed):
        self.seed = seed
        self.status = "ok"  # ok, skipped, limited (exhaustion), failed
        self.detail = ""
        self.calls = 0
        self.traps = 0
        self.logs = 0
        self.nan_mode = None
        self.disagreed = False  # failed because wabt disagreed (not a crash or a tool error)


def run_tool(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, **kw)


def parse_run(text):
    """skua's output -> list of calls {logs, outcome, values}."""
    calls = []
    for line in text.splitlines():
        word, _, rest = line.partition(" ")
        if word == "call":
            calls.append({"logs": [], "outcome": None, "values": []})
        elif word == "log" and calls:
            calls[-1]["logs"].append(parse_value(rest))
        elif word == "result" and calls:
            calls[-1]["outcome"] = "result"
            calls[-1]["values"] = [parse_value(v) for v in rest.split()]
        elif word in ("trap", "exhausted", "internal") and calls:
            calls[-1]["outcome"] = word
            calls[-1]["message"] = rest
    return calls


def sabotage_calls(calls, kind):
    """For --self-test: changes one of skua's observations the way a wrong result, a wrong
    logged value or a wrong trap kind would. Returns False if this module has none."""
    for c in calls:
        if kind == "result" and c["outcome"] == "result" and c["values"] and \
                c["values"][0][0] != "ref":
            t, b = c["values"][0]
            c["values"][0] = (t, b ^ 1)
            return True
        if kind == "log" and c["logs"]:
            t, b = c["logs"][0]
            c["logs"][0] = (t, b ^ 1)
            return True
        if kind == "trap" and c["outcome"] == "trap":
            c["message"] = "unreachable" if trap_kind(c["message"]) != "unreachable" \
                else "integer divide by zero"
            return True
    return False


def check_module(seed, args, workdir, sabotage=None):
    r = Result(seed)
    rng = random.Random(seed)
    d = os.path.join(workdir, "seed-%d" % seed)
    os.makedirs(d, exist_ok=True)
    data = os.path.join(d, "input.dat")
    wasm = os.path.join(d, "module.wasm")
    with open(data, "wb") as f:
        f.write(bytes(rng.getrandbits(8) for _ in range(512 + rng.randrange(16000))))
    nan_mode = args.nan_mode
    if nan_mode == "mixed":
        nan_mode = "canon" if seed % 2 else "denan"
    r.nan_mode = nan_mode
    raw_nans = nan_mode == "raw"
    cmd = [args.wasm_opt, data, "-ttf"] + FEATURES + (["--denan"] if nan_mode == "denan" else []) \
        + ["-o", wasm]
    p = run_tool(cmd)
    if p.returncode != 0:
        r.status, r.detail = "skipped", "wasm-opt failed: " + p.stderr.strip()[:200]
        return r
    if nan_mode in ("canon", "denan"):
        p = run_tool([args.wasm2wat, wasm])
        if p.returncode == 0:
            wat = os.path.join(d, "canon.wat")
            with open(wat, "w") as f:
                f.write(canonicalize_nans(p.stdout, scalar=nan_mode == "canon"))
            p = run_tool([args.wat2wasm, wat, "-o", wasm])
        if p.returncode != 0:
            r.status = "failed"
            r.detail = "canonicalize_nans made an invalid module: " + p.stderr.strip()[:300]
            return r

    p = run_tool([args.runner, "--list", wasm])
    if p.returncode != 0:
        r.status = "failed"
        r.detail = "skua refused the module: " + (p.stdout + p.stderr).strip()[:300]
        return r
    exports = []
    for line in p.stdout.splitlines():
        _, namehex, params, results = line.split()
        exports.append((bytes.fromhex(namehex).decode("utf-8", "replace"), namehex,
                        [] if params == "-" else [KIND_TYPES[c] for c in params],
                        [] if results == "-" else [KIND_TYPES[c] for c in results]))
    hang = [e for e in exports if e[0] == "hangLimitInitializer" and not e[2]]
    plan = []  # (name, namehex, args, result types)
    for name, namehex, params, results in exports:
        if name == "hangLimitInitializer":
            continue
        if hang:
            plan.append((hang[0][0], hang[0][1], [], []))
        plan.append((name, namehex, [(t, random_arg(rng, t, nan_mode != "denan")) for t in params],
                     results))
    plan_path = os.path.join(d, "plan.txt")
    with open(plan_path, "w") as f:
        for name, namehex, call_args, _ in plan:
            f.write(" ".join([namehex] + [format_arg(t, b) for t, b in call_args]) + "\n")

    outputs = []
    for mode in (MODES if not raw_nans else MODES[:1]):
        try:
            p = run_tool([args.runner] + mode + [wasm, plan_path])
        except subprocess.TimeoutExpired:
            r.status, r.detail = "failed", "skua %s: timed out" % (" ".join(mode) or "host")
            return r
        if p.returncode != 0 or "internal" in p.stdout.split("\n", 1)[0]:
            r.status = "failed"
            r.detail = "skua %s: exit %d: %s" % (" ".join(mode) or "host", p.returncode,
                                                 (p.stdout[-300:] + p.stderr[-300:]).strip())
            return r
        outputs.append((mode, p.stdout))
    with open(os.path.join(d, "skua.txt"), "w") as f:
        f.write(outputs[0][1])
    for mode, out in outputs[1:]:
        if out != outputs[0][1]:
            a, b = outputs[0][1].splitlines(), out.splitlines()
            i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
            r.status = "failed"
            r.detail = "skua %s disagrees with skua host at output line %d: %r vs %r" % (
                " ".join(mode), i + 1, b[i] if i < len(b) else "(end)",
                a[i] if i < len(a) else "(end)")
            return r
    if outputs[0][1].startswith("instantiate trap"):
        r.status, r.detail = "skipped", "the module traps when instantiated"
        return r
    calls = parse_run(outputs[0][1])
    if len(calls) != len(plan) or any(c["outcome"] is None for c in calls):
        r.status, r.detail = "failed", "skua's output is incomplete (crash?): see skua.txt"
        return r
    for c in calls:
        if c["outcome"] == "internal":
            r.status, r.detail = "failed", "skua internal error: " + c.get("message", "")
            return r
    if sabotage and not sabotage_calls(calls, sabotage):
        r.status = "skipped"
        return r

    # The wast script; line numbers map wabt's messages back to calls.
    with open(wasm, "rb") as f:
        binary = "".join("\\%02x" % b for b in f.read())
    lines = STUB.splitlines()
    lines.append('(module $m binary "%s")' % binary)
    line_call = {}  # wast line -> (call index, "call" | "log")
    for k, ((name, namehex, call_args, rtypes), c) in enumerate(zip(plan, calls)):
        invoke = '(invoke $m "%s"%s)' % (
            "".join("\\" + namehex[i:i + 2] for i in range(0, len(namehex), 2)),
            "".join(" " + const_text(t, b) for t, b in call_args if t != "ref") +
            "".join(" (ref.null func)" for t, b in call_args if t == "ref"))
        if c["outcome"] == "result":
            if any(t == "ref" for t, _ in c["values"]):
                cmd = invoke  # no wast syntax for "any non-null funcref" in wabt 1.0.32
            else:
                cmd = "(assert_return %s%s)" % (invoke, "".join(
                    " " + const_text(t, b, expected=True, nans=raw_nans) for t, b in c["values"]))
        elif c["outcome"] == "trap":
            cmd = '(assert_trap %s "%s")' % (invoke, c["message"])
            r.traps += 1
        else:
            cmd = '(assert_exhaustion %s "call stack exhausted")' % invoke
        lines.append(cmd)
        line_call[len(lines)] = (k, "call")
        n, h = stub_hash(c["logs"])
        r.logs += n
        lines.append('(assert_return (invoke $fs "take") (i32.const %d) (i64.const 0x%x))' % (n, h))
        line_call[len(lines)] = (k, "log")
    r.calls = sum(1 for name, _, _, _ in plan if name != "hangLimitInitializer")
    wast = os.path.join(d, "module.wast")
    with open(wast, "w") as f:
        f.write("\n".join(lines) + "\n")
    json_path = os.path.join(d, "module.json")
    p = run_tool([args.wast2json, wast, "-o", json_path])
    if p.returncode != 0:
        r.status, r.detail = "failed", "wast2json: " + (p.stdout + p.stderr).strip()[:300]
        return r
    try:
        p = run_tool([args.spectest_interp, json_path], cwd=d)
    except subprocess.TimeoutExpired:
        r.status, r.detail = "failed", "wabt timed out (skua did not)"
        return r

    problems = []
    for line in p.stdout.splitlines() + p.stderr.splitlines():
        m = re.match(r".*module\.wast:(\d+): (.*)$", line)
        if not m:
            continue
        ln, msg = int(m.group(1)), m.group(2)
        k, what = line_call.get(ln, (None, None))
        c = calls[k] if k is not None else None
        if msg.startswith("assert_trap passed: "):
            theirs, ours = trap_kind(msg[len("assert_trap passed: "):]), trap_kind(c["message"])
            if theirs != ours:
                problems.append((ln, k, "trap kind: skua '%s', wabt '%s'" % (
                    c["message"], msg[len("assert_trap passed: "):])))
            continue
        problems.append((ln, k, msg))
    if p.returncode not in (0, 1, 3) and not problems:
        problems.append((0, None, "spectest-interp exit %d: %s" % (p.returncode, p.stderr[:200])))
    if problems:
        ln, k, msg = min(problems, key=lambda x: x[0])
        c = calls[k] if k is not None else None
        if "exhaust" in msg or (c and c["outcome"] == "exhausted"):
            r.status = "limited"
            r.detail = "call %d: %s (stack limits differ; rest not compared)" % (k, msg)
            return r
        name = plan[k][0] if k is not None else "?"
        ours = ""
        if c:
            ours = {"result": "result " + " ".join(format_arg(t, b) for t, b in c["values"]),
                    "trap": "trap " + c.get("message", ""),
                    "exhausted": "exhausted"}[c["outcome"]]
            if line_call.get(ln, (0, ""))[1] == "log":
                ours = "logged " + ", ".join(format_arg(t, b) for t, b in c["logs"])
        r.status = "failed"
        r.disagreed = True
        r.detail = "module.wast:%d, call %s of %s: %s; skua: %s" % (ln, k, name, msg, ours)
    return r


def self_test(args, workdir):
    """Each kind of wrong observation must be caught: a result bit, a logged value's bit and
    a trap kind, each changed in skua's output before the wast is written."""
    ok = True
    for kind in ("result", "log", "trap"):
        caught = None
        for seed in range(args.seed, args.seed + 40):
            r = check_module(seed, args, workdir, sabotage=kind)
            if r.status in ("skipped", "limited"):
                continue  # nothing to change, or a module whose disagreements are excused
            # Caught means: wabt disagreed; any other failure proves nothing about the check.
            caught = r.status == "failed" and r.disagreed
            print("self-test: a wrong %s in seed %d: %s" % (
                kind, seed, "caught (%s)" % r.detail if caught else "NOT caught (%s: %s)" % (
                    r.status, r.detail)))
            break
        if not caught:
            ok = False
            if caught is None:
                print("self-test: no seed had a %s to change" % kind)
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runner", required=True, help="difffuzz_run (this build's)")
    ap.add_argument("--count", type=int, default=50, help="modules (seeds seed..seed+N-1)")
    ap.add_argument("--seconds", type=float, help="run new seeds until this much time passed")
    ap.add_argument("--seed", type=int, default=1, help="first seed")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--nan-mode", choices=("mixed", "canon", "denan", "raw"), default="mixed",
                    help="how nondeterministic NaN bits are kept out (see above)")
    ap.add_argument("--work", help="folder for the files of each seed (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the files of passing seeds too")
    ap.add_argument("--self-test", action="store_true",
                    help="first prove that wrong results, logs and trap kinds are caught")
    ap.add_argument("--wasm-opt", default="wasm-opt")
    ap.add_argument("--wast2json", default="wast2json")
    ap.add_argument("--wasm2wat", default="wasm2wat")
    ap.add_argument("--wat2wasm", default="wat2wasm")
    ap.add_argument("--spectest-interp", default="spectest-interp")
    args = ap.parse_args()
    for tool in (args.wasm_opt, args.wast2json, args.wasm2wat, args.wat2wasm,
                 args.spectest_interp):
        if not shutil.which(tool):
            print("difffuzz: %s not found (binaryen and wabt are needed); skipped" % tool)
            return 77
    workdir = args.work or tempfile.mkdtemp(prefix="difffuzz-")
    os.makedirs(workdir, exist_ok=True)
    start = time.time()
    results = []
    if args.self_test:
        if not self_test(args, os.path.join(workdir, "self-test")):
            return 1
        shutil.rmtree(os.path.join(workdir, "self-test"), ignore_errors=True)

    def seeds():
        s = args.seed
        while True:
            if args.seconds is None and s >= args.seed + args.count:
                return
            if args.seconds is not None and time.time() - start > args.seconds:
                return
            yield s
            s += 1

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        pending = set()
        futures_seed = {}
        it = seeds()
        while True:
            while len(pending) < args.jobs * 2:
                s = next(it, None)
                if s is None:
                    break
                f = pool.submit(check_module, s, args, workdir)
                futures_seed[f] = s
                pending.add(f)
            if not pending:
                break
            done, pending = concurrent.futures.wait(
                pending, return_when=concurrent.futures.FIRST_COMPLETED)
            for f in done:
                try:
                    r = f.result()
                except Exception as e:  # a tool that could not run: report, go on
                    r = Result(futures_seed[f])
                    r.status, r.detail = "failed", "difffuzz error: %r" % e
                results.append(r)
                if r.status != "ok":
                    print("seed %d: %s: %s" % (r.seed, r.status, r.detail), flush=True)
                if r.status in ("ok", "skipped") and not args.keep:
                    shutil.rmtree(os.path.join(workdir, "seed-%d" % r.seed), ignore_errors=True)

    by = lambda s: sum(1 for r in results if r.status == s)
    failed = [r for r in results if r.status == "failed"]
    print("difffuzz: %d modules in %.0f s: %d agree, %d failed, %d not fully compared (stack "
          "exhaustion), %d skipped; %d calls, %d traps, %d logged values compared%s"
          % (len(results), time.time() - start, by("ok"), len(failed), by("limited"),
             by("skipped"), sum(r.calls for r in results), sum(r.traps for r in results),
             sum(r.logs for r in results), " (raw NaNs)" if args.nan_mode == "raw" else ""))
    if failed:
        print("difffuzz: files of the failed seeds are in %s (seed-N/: module.wasm, plan.txt, "
              "skua.txt, module.wast); rerun one with --seed N --count 1" % workdir)
        return 1
    if not args.work and not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
