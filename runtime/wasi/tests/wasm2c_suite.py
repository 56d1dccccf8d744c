#!/usr/bin/env python3
"""Runs the official WASI testsuite against skua's WASI core alone, with wabt's wasm2c as the
wasm engine: each test module is translated to C, linked with a generated host module whose
wasi_snapshot_preview1 imports call the skua_wasi library directly, and run as the suite's
specification says (args, env, a fresh copy of the fixture tree preopened as "/", expected
exit code and output). This isolates the WASI layer from skua's own compiler, so a failure
here is a WASI bug, and a failure only under `skua run` (tests/wasi) is not.

Exit status: 0 all passed, 1 some failed, 77 skipped (a tool or the suite is missing).
The closing line is "N passed, N failed" (ctest and CI read it).
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

SKIP = 77


def import_rows(imports_c):
    """(name, params, results) of every import, read from the table in imports.c."""
    text = open(imports_c).read()
    rows = re.findall(r'\{"(\w+)", "([iI]*)", "(i?)", t_\w+\}', text)
    if len(rows) < 40:
        sys.exit(f"error: could not read the import table from {imports_c}")
    return rows


def glue_source(rows):
    """A wasm2c host module for wasi_snapshot_preview1 (wabt 1.0.32 naming) plus main()."""
    out = [
        "#include <setjmp.h>",
        "#include <stdio.h>",
        "#include <stdlib.h>",
        "#include <string.h>",
        '#include "prog.h"',
        '#include "runtime/wasi/wasi.h"',
        "struct Z_wasi_snapshot_preview1_instance_t { WasiCtx *ctx; wasm_rt_memory_t *mem; };",
        "static jmp_buf exit_jmp;",
        "extern jmp_buf wasm_rt_jmp_buf;",
        "#define M(i) i->ctx, i->mem ? i->mem->data : NULL, i->mem ? (uint64_t)i->mem->size : 0",
    ]
    for name, params, results in rows:
        decl = ", ".join(
            f"{'u32' if c == 'i' else 'u64'} a{k}" for k, c in enumerate(params))
        args = "".join(f", a{k}" for k in range(len(params)))
        sig = "struct Z_wasi_snapshot_preview1_instance_t *i" + (", " + decl if decl else "")
        if name == "proc_exit":
            body = f"wasi_proc_exit(M(i){args}); longjmp(exit_jmp, 1);"
        elif name == "fd_seek":
            body = "return wasi_fd_seek(M(i), a0, (int64_t)a1, a2, a3);"
        else:
            body = f"return wasi_{name}(M(i){args});"
        ret = "u32" if results else "void"
        out.append(f"{ret} Z_wasi_snapshot_preview1Z_{name}({sig}) {{ {body} }}")
    out.append(r"""
int main(int argc, char **argv) {
    WasiCtx *ctx = wasi_ctx_new();
    const char **envs = calloc((size_t)argc, sizeof(char *));
    int nenv = 0, i = 1;
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "--dir") && i + 1 < argc) {
            char *spec = argv[++i], *sep = strstr(spec, "::");
            if (!sep) return 2;
            *sep = 0;
            if (wasi_ctx_preopen_dir(ctx, spec, sep + 2)) { perror(spec); return 2; }
        } else if (!strcmp(argv[i], "--env") && i + 1 < argc) {
            envs[nenv++] = argv[++i];
        } else if (!strcmp(argv[i], "--")) {
            i++;
            break;
        } else {
            break;
        }
    }
    if (!wasi_ctx_set_args(ctx, (size_t)(argc - i), (const char *const *)argv + i) ||
        !wasi_ctx_set_env(ctx, (size_t)nenv, envs))
        return 2;
    wasm_rt_init();
    static Z_prog_instance_t inst;
    struct Z_wasi_snapshot_preview1_instance_t w = {ctx, NULL};
    Z_prog_init_module();
    Z_prog_instantiate(&inst, &w);
    w.mem = Z_progZ_memory(&inst);
    int code = 0;
    if (setjmp(exit_jmp) == 0) {
        int trap = sigsetjmp(wasm_rt_jmp_buf, 1);
        if (trap) {
            fprintf(stderr, "wasm trap: %s\n", wasm_rt_strerror((wasm_rt_trap_t)trap));
            code = 134;
        } else {
            Z_progZ__start(&inst);
        }
    } else {
        uint32_t c = 0;
        wasi_ctx_has_exited(ctx, &c);
        code = (int)c;
    }
    wasi_ctx_free(ctx);
    free(envs);
    return code;
}""")
    return "\n".join(out) + "\n"


def build(wasm, args, glue):
    """Translates and compiles one test; returns (name, exe or None, error text)."""
    name = os.path.basename(wasm)[:-5]
    suite_dir = os.path.basename(os.path.dirname(wasm))
    work = os.path.join(args.work, suite_dir, name)
    exe = work + ".exe"
    lib_time = os.path.getmtime(args.lib)
    if os.path.exists(exe) and os.path.getmtime(exe) >= max(lib_time, os.path.getmtime(wasm)):
        return name, exe, ""
    os.makedirs(work, exist_ok=True)
    r = subprocess.run([args.wasm2c, wasm, "-n", "prog", "-o", os.path.join(work, "prog.c")],
                       capture_output=True, text=True)
    if r.returncode:
        return name, None, "wasm2c: " + r.stderr[-2000:]
    with open(os.path.join(work, "glue.c"), "w") as f:
        f.write(glue)
    cmd = [args.cc, "-O0", "-w", "-I", work, "-I", args.include,
           os.path.join(work, "prog.c"), os.path.join(work, "glue.c"), args.lib,
           args.rt_lib, "-lm", "-o", exe] + args.ldflags.split()
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        return name, None, "cc: " + r.stderr[-2000:]
    return name, exe, ""


def run(wasm, exe, timeout):
    """Runs one built test per its .json specification; returns an error text or ''."""
    spec = {"args": [], "env": {}, "root": None, "exit_code": 0}
    spec_file = wasm[:-5] + ".json"
    if os.path.exists(spec_file):
        with open(spec_file) as f:
            spec.update(json.load(f))
    tmp = tempfile.mkdtemp(prefix="skua-wasi-")
    try:
        cmd = [exe]
        if spec.get("root"):
            root = os.path.join(tmp, "root")
            shutil.copytree(os.path.join(os.path.dirname(wasm), spec["root"]), root,
                            symlinks=True)
            for dirpath, _, files in os.walk(root):  # the fixture is read-only upstream
                os.chmod(dirpath, 0o755)
                for fn in files:
                    p = os.path.join(dirpath, fn)
                    if not os.path.islink(p):
                        os.chmod(p, 0o644)
            cmd += ["--dir", root + "::/"]
        for k, v in spec.get("env", {}).items():
            cmd += ["--env", f"{k}={v}"]
        cmd += ["--", os.path.basename(wasm)] + spec.get("args", [])
        try:
            r = subprocess.run(cmd, capture_output=True, stdin=subprocess.DEVNULL,
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
            return "; ".join(problems) + f"\n    stderr: {r.stderr[-1200:]!r}"
        return ""
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--suite", required=True, help="the wasi-testsuite folder")
    ap.add_argument("--lib", required=True, help="libskua_wasi.a")
    ap.add_argument("--imports", required=True, help="runtime/wasi/imports.c")
    ap.add_argument("--include", required=True, help="the repository root")
    ap.add_argument("--work", required=True, help="folder for generated files")
    ap.add_argument("--cc", default="cc")
    ap.add_argument("--wasm2c", default="wasm2c")
    ap.add_argument("--rt-lib", default="", help="wabt's libwasm-rt-impl.a")
    ap.add_argument("--ldflags", default="")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("filter", nargs="*", help="run only tests whose path contains one of these")
    args = ap.parse_args()

    tests = sorted(glob.glob(os.path.join(args.suite, "*", "*.wasm")))
    if not tests:
        print(f"skipped: no WASI testsuite at {args.suite} "
              "(set SKUA_WASI_TESTSUITE to its folder)")
        return SKIP
    if not shutil.which(args.wasm2c) or not os.path.exists(args.rt_lib):
        print("skipped: wabt's wasm2c and libwasm-rt-impl.a are needed (apt-get install wabt)")
        return SKIP
    if args.filter:
        tests = [t for t in tests if any(f in t for f in args.filter)]
    glue = glue_source(import_rows(args.imports))
    os.makedirs(args.work, exist_ok=True)

    passed = failed = 0
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        built = list(pool.map(lambda w: build(w, args, glue), tests))
    for wasm, (name, exe, err) in zip(tests, built):
        label = os.path.relpath(wasm, args.suite)
        if not exe:
            failed += 1
            print(f"FAIL {label}: build: {err}")
            continue
        err = run(wasm, exe, args.timeout)
        if err:
            failed += 1
            print(f"FAIL {label}: {err}")
        else:
            passed += 1
            print(f"ok   {label}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
