#!/usr/bin/env python3
"""Builds one C test program with clang for wasm32-wasi (Debian's wasi-libc) and runs it under
`skua run` twice per run of its spec: from the .wasm (compiled in memory) and from a .skua
file written by `skua compile -o`. Both must meet the expectations and produce the same exit
status, stdout and stderr.

    run_program.py --skua build/skua --clang clang --work DIR tests/programs/NAME.c

NAME.json beside the source lists the runs. Each run may give:
  args, env (dict), env_names (--env NAME: inherited from host_env), host_env (dict),
  stdin (text), tree ({"dir/": null, "file": "text", "link": {"symlink": "target"}}, built
  in a fresh folder TMP), dirs (--dir values), untouched (tree folders that must end as they
  began), exit_code (default 0), stdout / stdout_file (exact), stderr (exact),
  stderr_contains (list), stderr_regex (list, re.search with re.M).
In args, env, dirs and symlink targets, {TMP} is the run's folder and {NOW} the host's Unix
time; in expected outputs, {ARGV0} is the module's file name.

Exit status: 0 passed, 1 failed, 77 skipped (clang cannot build for wasm32-wasi: the hint
names the Debian packages).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77
PACKAGES = "wasi-libc lld libclang-rt-14-dev-wasm32"


def build(clang, src, out):
    """Compiles and links separately: clang runs wasm-opt (which drops the name section, and
    with it the function names of trap backtraces) when it links with an -O level."""
    obj = out[:-5] + ".o"
    for cmd in ([clang, "--target=wasm32-wasi", "-O2", "-Wall", "-c", src, "-o", obj],
                [clang, "--target=wasm32-wasi", obj, "-o", out]):
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode:
            return r.stderr.strip()
    return ""


def clang_works(clang, work):
    """True if clang can link a wasm32-wasi program (wasi-libc, lld and the runtime library)."""
    src = os.path.join(work, "probe.c")
    with open(src, "w") as f:
        f.write("#include <stdio.h>\nint main(void) { puts(\"x\"); return 0; }\n")
    try:
        return build(clang, src, os.path.join(work, "probe.wasm")) == ""
    except OSError:
        return False


def subst(value, tmp, now):
    if isinstance(value, str):
        return value.replace("{TMP}", tmp).replace("{NOW}", str(now))
    if isinstance(value, list):
        return [subst(v, tmp, now) for v in value]
    if isinstance(value, dict):
        return {k: subst(v, tmp, now) for k, v in value.items()}
    return value


def make_tree(tmp, tree):
    for path, what in tree.items():
        full = os.path.join(tmp, path)
        if path.endswith("/"):
            os.makedirs(full, exist_ok=True)
            continue
        os.makedirs(os.path.dirname(full), exist_ok=True)
        if isinstance(what, dict):
            os.symlink(what["symlink"], full)
        else:
            with open(full, "w") as f:
                f.write(what)


def snapshot(folder):
    """Names, link targets and contents of everything under folder."""
    out = {}
    for dirpath, dirs, files in os.walk(folder):
        for name in sorted(dirs + files):
            p = os.path.join(dirpath, name)
            rel = os.path.relpath(p, folder)
            if os.path.islink(p):
                out[rel] = "link:" + os.readlink(p)
            elif os.path.isfile(p):
                with open(p, "rb") as f:
                    out[rel] = f.read()
            else:
                out[rel] = "dir"
    return out


def run_once(skua, module, run, src_dir):
    """Runs module per the run spec; returns (problems, (code, stdout, stderr))."""
    tmp = tempfile.mkdtemp(prefix="skua-prog-")
    now = int(time.time())
    try:
        r_spec = subst(run, tmp, now)
        make_tree(tmp, r_spec.get("tree", {}))
        before = {d: snapshot(os.path.join(tmp, d)) for d in r_spec.get("untouched", [])}
        cmd = [skua, "run"]
        for d in r_spec.get("dirs", []):
            cmd += ["--dir", d]
        for k, v in r_spec.get("env", {}).items():
            cmd += ["--env", f"{k}={v}"]
        for k in r_spec.get("env_names", []):
            cmd += ["--env", k]
        cmd += [module, "--"] + r_spec.get("args", [])
        env = dict(os.environ)
        env.update(r_spec.get("host_env", {}))
        try:
            r = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, timeout=120,
                               input=r_spec.get("stdin", "").encode())
        except subprocess.TimeoutExpired:
            return ["timed out after 120 s"], None
        out, err = r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")
        argv0 = os.path.basename(module)
        problems = []
        want_code = run.get("exit_code", 0)
        if r.returncode != want_code:
            problems.append(f"exit status {r.returncode}, expected {want_code}")
        want_out = run.get("stdout")
        if "stdout_file" in run:
            with open(os.path.join(src_dir, run["stdout_file"])) as f:
                want_out = f.read()
        if want_out is not None and out != want_out.replace("{ARGV0}", argv0):
            problems.append(f"stdout differs:\n--- got\n{out}--- expected\n"
                            f"{want_out.replace('{ARGV0}', argv0)}---")
        if "stderr" in run and err != run["stderr"].replace("{ARGV0}", argv0):
            problems.append(f"stderr {err!r}, expected {run['stderr']!r}")
        for s in run.get("stderr_contains", []):
            if s not in err:
                problems.append(f"stderr lacks {s!r}")
        for rx in run.get("stderr_regex", []):
            if not re.search(rx, err, re.M):
                problems.append(f"stderr does not match /{rx}/")
        for d, snap in before.items():
            if snapshot(os.path.join(tmp, d)) != snap:
                problems.append(f"the guest changed {d}/, outside its sandbox")
        if problems:
            problems.append(f"stderr was:\n{err[-3000:]}")
        return problems, (r.returncode, out.replace(argv0, "{ARGV0}"),
                          err.replace(argv0, "{ARGV0}"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--skua", required=True)
    ap.add_argument("--clang", default="clang")
    ap.add_argument("--work", required=True, help="folder for the built modules")
    ap.add_argument("source", help="tests/programs/NAME.c")
    args = ap.parse_args()
    skua = os.path.abspath(args.skua)
    src = os.path.abspath(args.source)
    name = os.path.basename(src)[:-2]
    os.makedirs(args.work, exist_ok=True)
    if not shutil.which(args.clang) or not clang_works(args.clang, args.work):
        print(f"skipped: {args.clang} cannot build wasm32-wasi programs; install Debian's "
              f"{PACKAGES} (tools/test-all.sh does)")
        return SKIP
    wasm = os.path.join(args.work, name + ".wasm")
    err = build(args.clang, src, wasm)
    if err:
        print(f"FAIL {name}: clang: {err}")
        return 1
    # The .skua file keeps the name (argv[0] stays comparable) in its own folder.
    aot_dir = os.path.join(args.work, "aot")
    os.makedirs(aot_dir, exist_ok=True)
    skua_file = os.path.join(aot_dir, name + ".skua")
    r = subprocess.run([skua, "compile", wasm, "-o", skua_file], capture_output=True, text=True)
    if r.returncode:
        print(f"FAIL {name}: skua compile -o: {r.stderr.strip()}")
        return 1
    with open(src[:-2] + ".json") as f:
        spec = json.load(f)
    failed = 0
    for i, run in enumerate(spec["runs"]):
        results = {}
        for module in (wasm, skua_file):
            kind = "wasm" if module == wasm else "skua"
            problems, result = run_once(skua, module, run, os.path.dirname(src))
            results[kind] = result
            label = f"{name} run {i + 1} ({kind}, args {run.get('args', [])})"
            if problems:
                failed += 1
                print(f"FAIL {label}:\n  " + "\n  ".join(problems))
            else:
                print(f"ok   {label}")
        if results["wasm"] and results["skua"] and results["wasm"] != results["skua"] and \
                not run.get("varies"):
            failed += 1
            print(f"FAIL {name} run {i + 1}: the .skua file behaves differently from the .wasm:"
                  f"\n  wasm: {results['wasm']!r}\n  skua: {results['skua']!r}")
    print(f"{name}: {'FAILED' if failed else 'passed'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
