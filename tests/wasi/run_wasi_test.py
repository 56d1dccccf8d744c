#!/usr/bin/env python3
"""Runs official WASI testsuite programs through `skua run`, as the suite's specification says
(PROVENANCE.md of the suite folder): arguments and environment from NAME.json, a fresh
writable copy of its `root` fixture tree preopened as the guest's "/", and the exit code and
(where given) stdout and stderr compared exactly.

    run_wasi_test.py --skua build/skua TEST.wasm...      # the tests given
    run_wasi_test.py --skua build/skua --suite DIR        # every test of the suite

Exit status: 0 all passed, 1 some failed, 77 skipped (no test found: the hint says where the
suite is expected). The last line is "N passed, N failed".
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
DEFAULTS = {"args": [], "env": {}, "root": None, "exit_code": 0}


def spec_of(wasm):
    spec = dict(DEFAULTS)
    path = wasm[:-5] + ".json"
    if os.path.exists(path):
        with open(path) as f:
            spec.update(json.load(f))
    return spec


def copy_fixture(src, dst):
    """A writable copy of a (read-only upstream) fixture tree, symlinks kept as links."""
    shutil.copytree(src, dst, symlinks=True)
    for dirpath, _, files in os.walk(dst):
        os.chmod(dirpath, 0o755)
        for name in files:
            p = os.path.join(dirpath, name)
            if not os.path.islink(p):
                os.chmod(p, 0o644)


def run_test(skua, wasm, timeout, extra):
    """Returns '' if the test passed, else what went wrong."""
    spec = spec_of(wasm)
    tmp = tempfile.mkdtemp(prefix="skua-wasi-")
    try:
        cmd = [skua, "run"] + extra
        if spec.get("root"):
            root = os.path.join(tmp, "root")
            copy_fixture(os.path.join(os.path.dirname(wasm), spec["root"]), root)
            cmd += ["--dir", root + "::/"]
        for k, v in spec.get("env", {}).items():
            cmd += ["--env", f"{k}={v}"]
        cmd += [wasm, "--"] + spec.get("args", [])
        try:
            r = subprocess.run(cmd, capture_output=True, stdin=subprocess.DEVNULL, cwd=tmp,
                               timeout=timeout)
        except subprocess.TimeoutExpired:
            return f"timed out after {timeout} s"
        problems = []
        if r.returncode != spec["exit_code"]:
            problems.append(f"exit code {r.returncode}, expected {spec['exit_code']}")
        for stream, got in (("stdout", r.stdout), ("stderr", r.stderr)):
            if stream in spec and got.decode(errors="replace") != spec[stream]:
                problems.append(f"{stream} {got[:300]!r}, expected {spec[stream]!r}")
        if problems:
            return "; ".join(problems) + f"\n    stderr: {r.stderr[-1500:].decode(errors='replace')}"
        return ""
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--skua", required=True, help="the skua executable")
    ap.add_argument("--suite", help="run every test of this wasi-testsuite folder")
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--aot", action="store_true",
                    help="compile each test to .skua first and run that (skua compile -o)")
    ap.add_argument("tests", nargs="*", help="test .wasm files")
    args = ap.parse_args()

    tests = list(args.tests)
    if args.suite:
        tests += sorted(glob.glob(os.path.join(args.suite, "*", "*.wasm")))
    tests = [t for t in tests if os.path.exists(t)]
    args.skua = os.path.abspath(args.skua)
    if not tests:
        print("skipped: no WASI testsuite found (set SKUA_WASI_TESTSUITE to the folder that "
              "holds c/, rust/ and assemblyscript/; see README.md)")
        return SKIP
    passed = failed = 0
    work = tempfile.mkdtemp(prefix="skua-wasi-aot-") if args.aot else None
    try:
        for wasm in tests:
            wasm = os.path.abspath(wasm)
            label = os.path.join(os.path.basename(os.path.dirname(wasm)), os.path.basename(wasm))
            target = wasm
            if args.aot:
                # Same base name, so the guest's argv[0] stays the same.
                target = os.path.join(work, os.path.basename(wasm))
                r = subprocess.run([args.skua, "compile", wasm, "-o", target],
                                   capture_output=True, text=True)
                if r.returncode:
                    failed += 1
                    print(f"FAIL {label}: skua compile -o: {r.stderr.strip()[-500:]}")
                    continue
                # The spec file sits beside the original module.
                spec = wasm[:-5] + ".json"
                if os.path.exists(spec):
                    shutil.copy(spec, target[:-5] + ".json")
                root = spec_of(wasm).get("root")
                if root and not os.path.exists(os.path.join(work, root)):
                    os.symlink(os.path.join(os.path.dirname(wasm), root),
                               os.path.join(work, root))
            err = run_test(args.skua, target, args.timeout, [])
            if err:
                failed += 1
                print(f"FAIL {label}: {err}")
            else:
                passed += 1
                print(f"ok   {label}")
    finally:
        if work:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
