#!/usr/bin/env python3
"""The `skua run`, `skua compile -o` and `skua objdump` command lines: exit statuses and
messages for good and bad input, .skua round trips and every kind of bad .skua file
(truncated, corrupted, wrong version, target, CPU), --invoke arguments and results,
--preload, link errors, SIGPIPE, the disassembly listing, and backtraces (Rust names
demangled, a backtrace cut at 64 frames says how many it left out).

    test_cli.py --skua build/skua --examples examples --programs tests/programs --work DIR

The .wat modules are built with wabt's wat2wasm (exit 77, skipped, without it). Prints one
line per check; exit status 0 when all pass, 1 otherwise.
"""
import argparse
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib

SKIP = 77
failures = 0


def check(ok, what, detail=""):
    global failures
    print(f"{'ok  ' if ok else 'FAIL'} {what}" + (f"\n     {detail}" if not ok and detail else ""))
    if not ok:
        failures += 1


def skua(args, **kw):
    r = subprocess.run([SKUA] + args, capture_output=True, text=True, timeout=120, **kw)
    return r.returncode, r.stdout, r.stderr


def expect(args, code, out=None, err_has=(), out_has=(), what=None, **kw):
    """Runs skua with args; checks the exit status, stdout and stderr fragments."""
    rc, so, se = skua(args, **kw)
    label = what or " ".join(os.path.basename(a) if os.path.isabs(a) else a for a in args)
    problems = []
    if rc != code:
        problems.append(f"exit {rc}, expected {code}")
    if out is not None and so != out:
        problems.append(f"stdout {so!r}, expected {out!r}")
    for s in out_has:
        if s not in so:
            problems.append(f"stdout lacks {s!r}")
    for s in err_has:
        if s not in se:
            problems.append(f"stderr lacks {s!r}")
    check(not problems, label, "; ".join(problems) + f" (stderr: {se.strip()[-400:]!r})")
    return so, se


def patched(data, offset, new_bytes, fix_crc=False):
    b = bytearray(data)
    b[offset:offset + len(new_bytes)] = new_bytes
    if fix_crc:
        b[60:64] = struct.pack("<I", zlib.crc32(bytes(b[64:])) & 0xFFFFFFFF)
    return bytes(b)


def test_run_basics(work, hello):
    expect(["run", hello], 0, out="hello from skua\n")
    expect(["run"], 2, err_has=["no module given"])
    expect(["run", "--bogus", hello], 2, err_has=["unknown option '--bogus'"])
    expect(["run", "--dir"], 2, err_has=["--dir needs a value"])
    expect(["run", os.path.join(work, "missing.wasm")], 2, err_has=["No such file"])
    expect(["run", "--dir", os.path.join(work, "no-such-dir"), hello], 2,
           err_has=["--dir", "No such file"])
    expect(["run", "--preload", "nomodule", hello], 2, err_has=["NAME=MODULE"])
    expect(["run", "--env", "=x", hello], 2, err_has=["--env takes"])
    garbage = os.path.join(work, "garbage.bin")
    with open(garbage, "wb") as f:
        f.write(b"#!/bin/sh\necho not wasm\n")
    expect(["run", garbage], 1, err_has=["not a WebAssembly module or .skua file"])
    with open(hello, "rb") as f:
        wasm = f.read()
    bad = os.path.join(work, "truncated.wasm")
    with open(bad, "wb") as f:
        f.write(wasm[:len(wasm) // 2])
    expect(["run", bad], 1, err_has=["truncated.wasm:0x", "error:"],
           what="run a truncated .wasm: offset and message")
    expect(["run", "--help"], 0, out_has=["usage: skua run", "134"])


def test_skua_files(work, hello):
    out = os.path.join(work, "hello.skua")
    expect(["compile", hello, "-o", out], 0, out="")
    with open(out, "rb") as f:
        data = f.read()
    check(data[:8] == b"\x00skua\r\n\x1a", ".skua magic")
    check(not os.path.exists(out + ".tmp~"), "no temporary file left behind")
    expect(["run", out], 0, out="hello from skua\n", what="run hello.skua")
    # Detected by magic, not by name: a .skua file called .wasm and a .wasm called .skua.
    as_wasm = os.path.join(work, "really-skua.wasm")
    shutil.copy(out, as_wasm)
    expect(["run", as_wasm], 0, out="hello from skua\n", what="run a .skua named .wasm")
    as_skua = os.path.join(work, "really-wasm.skua")
    shutil.copy(hello, as_skua)
    expect(["run", as_skua], 0, out="hello from skua\n", what="run a .wasm named .skua")
    # --cpu base: no CPU feature requirements recorded.
    base = os.path.join(work, "base.skua")
    expect(["compile", "--cpu", "base", hello, "-o", base], 0)
    expect(["objdump", base], 0, out_has=["CPU features: none"])
    expect(["run", base], 0, out="hello from skua\n", what="run a --cpu base .skua")

    def bad_file(name, content, err, code=1):
        p = os.path.join(work, name)
        with open(p, "wb") as f:
            f.write(content)
        expect(["run", p], code, out="", err_has=[err], what=f"run {name}: {err}")
        return p

    for n in (4, 8, 40, 63, 64, 65, len(data) // 2, len(data) - 1):
        # Under 8 bytes there is no magic left to recognize.
        bad_file(f"trunc{n}.skua", data[:n],
                 "not a WebAssembly module" if n < 8 else "truncated compiled module")
    bad_file("extra.skua", data + b"\0\0", "2 bytes after the payload")
    bad_file("flipped.skua", patched(data, len(data) - 10, bytes([data[-10] ^ 0x40])),
             "checksum mismatch")
    bad_file("version.skua", patched(data, 8, struct.pack("<I", 99)), "format version 99")
    target = struct.unpack("<I", data[12:16])[0]
    other = 2 if target == 1 else 1
    other_name = "aarch64" if other == 2 else "x86_64"
    p = bad_file("target.skua", patched(data, 12, struct.pack("<I", other)),
                 f"compiled module is for {other_name}")
    expect(["objdump", p], 0, out_has=[other_name], what="objdump reads another target's file")
    bad_file("cpu.skua", patched(data, 16, struct.pack("<Q", 1 << 40)),
             "needs CPU features this host lacks")
    bad_file("abi.skua", patched(data, 32, bytes([data[32] ^ 1])), "another runtime ABI")
    # A payload count that cannot fit, behind a valid checksum.
    p = bad_file("count.skua", patched(data, 64, struct.pack("<I", 0x7FFFFFFF), fix_crc=True),
                 "corrupted compiled module: code at payload offset 0")
    expect(["objdump", p], 1, err_has=["corrupted compiled module"], what="objdump refuses it")
    expect(["compile", hello, "-o", os.path.join(work, "no-such-dir", "x.skua")], 2,
           err_has=["x.skua"], what="compile -o into a missing folder")
    expect(["compile", "--no-codegen", hello, "-o", os.path.join(work, "x.skua")], 2,
           err_has=["need code generation"])


def test_objdump(work, hello, traps_wasm):
    so, _ = expect(["objdump", hello], 0,
                   out_has=["x86_64", "func 1 <_start>:", "push rbp", "; trap: call stack exhausted",
                            "entry trampoline for type", "host-call trampoline"])
    so2, _ = expect(["compile", "--emit=asm", hello], 0, what="compile --emit=asm")
    check(so == so2, "compile --emit=asm prints what objdump prints")
    expect(["objdump", "--func", "_start", hello], 0, out_has=["func 1 <_start>:"])
    so3, _ = expect(["objdump", "--func", "1", hello], 0)
    check("trampoline" not in so3, "--func shows that function only")
    expect(["objdump", "--func", "nope", hello], 2, err_has=["no function named 'nope'"])
    expect(["objdump", "--func", "0", hello], 2, err_has=["imported"])
    expect(["objdump"], 2)
    so, _ = expect(["objdump", "--func", "inner", traps_wasm], 0,
                   out_has=["func 6 <inner>:", "idiv", "; trap: integer divide by zero",
                            "; trap: integer overflow"])
    so, _ = expect(["objdump", "--func", "div", traps_wasm], 0,
                   out_has=["call", "; func 6 <inner>"], what="objdump names call targets")


def test_invoke(traps_wasm):
    expect(["run", "--invoke", "add", traps_wasm, "2", "3"], 0, out="5\n")
    expect(["run", "--invoke", "add", traps_wasm, "0x10", "-1"], 0, out="15\n")
    expect(["run", "--invoke", "add", traps_wasm, "4294967295", "1"], 0, out="0\n")
    expect(["run", "--invoke", "mul64", traps_wasm, "-3", "1000000000000"], 0,
           out="-3000000000000\n")
    expect(["run", "--invoke", "addf", traps_wasm, "1.5", "2.25"], 0, out="3.75\n")
    expect(["run", "--invoke", "addf", traps_wasm, "0.1", "0.2"], 0, out="0.30000000000000004\n")
    expect(["run", "--invoke", "half", traps_wasm, "3"], 0, out="1.5\n")
    expect(["run", "--invoke", "half", traps_wasm, "inf"], 0, out="inf\n")
    expect(["run", "--invoke", "pair", traps_wasm], 0, out="-1\n1234567890123\n")
    expect(["run", "--invoke", "none", traps_wasm], 0, out="")
    _, se = expect(["run", "--invoke", "div", traps_wasm, "7", "0"], 134, out="",
                   err_has=["error: wasm trap: integer divide by zero", "wasm backtrace:"])
    check(re.search(r"0: inner \(func 6, .*\n +1: div \(func 7,", se) is not None,
          "the trap's backtrace names inner, then div", se)
    expect(["run", "--invoke", "div", traps_wasm, "-2147483648", "-1"], 134,
           err_has=["integer overflow"])
    expect(["run", "--invoke", "nope", traps_wasm], 1, err_has=["no exported function named 'nope'"])
    expect(["run", "--invoke", "add", traps_wasm, "1"], 2, err_has=["takes 2 arguments, 1 given"])
    expect(["run", "--invoke", "add", traps_wasm, "1", "x"], 2, err_has=["'x' is not a valid i32"])
    expect(["run", traps_wasm], 0, out="", what="run a module without _start: nothing to do")


def test_backtraces(rust_names):
    # Rust legacy mangled names are shown demangled, without the crate hash.
    _, se = expect(["run", "--invoke", "trap_at_depth", rust_names, "2"], 134,
                   err_has=["error: wasm trap: unreachable"])
    check(re.search(r"0: core::panicking::panic \(func 0, .*\n(.*\n){2} +3: "
                    r"<alloc::vec::Vec<T> as Drop>::drop \(func 1,", se) is not None
          and "_ZN" not in se and "truncated" not in se,
          "backtrace: Rust names demangled", se)
    _, se = expect(["run", "--invoke", "v0", rust_names], 134)
    check("0: _RNvCs1234_7mycrate3foo (func 3," in se, "a Rust v0 name is shown as it is", se)
    # The runtime keeps 64 frames: 64 in all (61 + 3) is whole, 65 says what it left out.
    _, se = expect(["run", "--invoke", "trap_at_depth", rust_names, "61"], 134,
                   what="64 frames: not truncated")
    check("63: <func 2>" in se and "truncated" not in se, "64 frames: all shown", se)
    expect(["run", "--invoke", "trap_at_depth", rust_names, "62"], 134,
           err_has=["63: <alloc::vec::Vec<T> as Drop>::drop",
                    "\n  ... 1 more frame (backtrace truncated at 64 frames)\n"],
           what="65 frames: the outermost one counted, not shown")
    expect(["run", "--invoke", "trap_at_depth", rust_names, "1000"], 134,
           err_has=["... 62 more frames like frame 1",
                    "\n  ... 939 more frames (backtrace truncated at 64 frames)\n"],
           what="1003 frames: 939 left out")
    # Stack exhaustion (the signal handler's walk) counts the frames it left out too.
    _, se = expect(["run", "--invoke", "forever", rust_names], 134,
                   err_has=["call stack exhausted", "1: core::fmt::write (func 4,"])
    m = re.search(r"\.\.\. (\d+) more frames \(backtrace truncated at 64 frames\)", se)
    check(m is not None and int(m.group(1)) > 1000, "stack exhausted: frames left out counted",
          se)


def test_linking(work, wasm_of):
    lib, main = wasm_of["preload_lib"], wasm_of["preload_main"]
    expect(["run", "--preload", f"lib={lib}", "--invoke", "run", main, "5"], 0, out="20\n2\n",
           what="--preload lib=... then import from it")
    # The preloaded module may be a .skua file too.
    lib_skua = os.path.join(work, "lib.skua")
    expect(["compile", lib, "-o", lib_skua], 0)
    expect(["run", "--preload", f"lib={lib_skua}", "--invoke", "run", main, "1"], 0,
           out="4\n2\n", what="--preload of a .skua file")
    expect(["run", "--invoke", "run", main, "5"], 1, err_has=["unknown import", "lib"],
           what="without --preload: unknown import")
    expect(["run", wasm_of["imports_env"]], 1,
           err_has=['unknown import: "env" "missing_function"'])


def test_sigpipe(wasm_of):
    # The reader goes away before the guest writes: the guest must see EPIPE (64), and skua
    # must not die of SIGPIPE.
    p = subprocess.Popen([SKUA, "run", wasm_of["pipe"]], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    p.stdout.close()
    _, err = p.communicate(timeout=60)
    check(p.returncode == 64, "a write to a closed pipe is EPIPE for the guest (exit 64)",
          f"exit {p.returncode}, stderr {err[-300:]!r}")


def main():
    global SKUA
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--skua", required=True)
    ap.add_argument("--examples", required=True)
    ap.add_argument("--programs", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    SKUA = os.path.abspath(args.skua)
    if not shutil.which("wat2wasm"):
        print("skipped: wabt's wat2wasm is needed to build the test modules (apt-get install wabt)")
        return SKIP
    work = os.path.abspath(args.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    wasm_of = {}
    for name in ("invoke", "preload_lib", "preload_main", "pipe", "imports_env", "rust_names"):
        out = os.path.join(work, name + ".wasm")
        r = subprocess.run(["wat2wasm", "--debug-names",
                            os.path.join(args.programs, name + ".wat"), "-o", out],
                           capture_output=True, text=True)
        if r.returncode:
            print(f"FAIL wat2wasm {name}.wat: {r.stderr}")
            return 1
        wasm_of[name] = out
    hello = os.path.abspath(os.path.join(args.examples, "hello.wasm"))
    test_run_basics(work, hello)
    test_skua_files(work, hello)
    rc, _, _ = skua(["objdump", hello])
    if rc == 2:
        print("note: this skua has no Capstone: the disassembly checks are skipped")
    else:
        test_objdump(work, hello, wasm_of["invoke"])
    test_invoke(wasm_of["invoke"])
    test_backtraces(wasm_of["rust_names"])
    test_linking(work, wasm_of)
    test_sigpipe(wasm_of)
    print(f"{failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
