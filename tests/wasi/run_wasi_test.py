#!/usr/bin/env python3
"""Runs official WASI testsuite programs as the suite's specification says (PROVENANCE.md of
the suite folder): arguments and environment from NAME.json, a fresh writable copy of its
`root` fixture tree preopened as the guest's "/", and the exit code and (where given) stdout
and stderr compared exactly. The engine runs the program:

  skua      `skua run TEST.wasm` (the default; ctest wasi/*)
  skua-aot  `skua compile -o` first, then `skua run` on the .skua file
  wasm2c    skua's WASI library (libskua_wasi.a) alone, with wabt's wasm2c as the wasm
            engine: each module is translated to C and linked with a generated host module
            whose wasi_snapshot_preview1 imports call the library directly. When a test fails
            under `skua run` but passes here, the fault is in the compiler or the runtime,
            not in the WASI layer.

    run_wasi_test.py --skua build/skua TEST.wasm...      # the tests given
    run_wasi_test.py --skua build/skua --suite DIR        # every test of the suite
    run_wasi_test.py --engine wasm2c --wasi-lib build/runtime/wasi/libskua_wasi.a \\
        --rt-lib /usr/lib/x86_64-linux-gnu/libwasm-rt-impl.a --work /tmp/w2c --suite DIR

Exit status: 0 all passed, 1 some failed, 77 skipped (no test found, or the wasm2c engine's
tools are missing: the hint says which). The last line is "N passed, N failed".
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
DEFAULTS = {"args": [], "env": {}, "root": None, "exit_code": 0}
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


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


def run_test(wasm, command, timeout):
    """Runs one test; `command(opts, args)` gives the argv for the preopen/env options and
    the guest's arguments. Returns '' if the test passed, else what went wrong."""
    spec = spec_of(wasm)
    tmp = tempfile.mkdtemp(prefix="skua-wasi-")
    try:
        opts = []
        if spec.get("root"):
            root = os.path.join(tmp, "root")
            copy_fixture(os.path.join(os.path.dirname(wasm), spec["root"]), root)
            opts += ["--dir", root + "::/"]
        for k, v in spec.get("env", {}).items():
            opts += ["--env", f"{k}={v}"]
        try:
            r = subprocess.run(command(opts, spec.get("args", [])), capture_output=True,
                               stdin=subprocess.DEVNULL, cwd=tmp, timeout=timeout)
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


# ---- engine skua and skua-aot ------------------------------------------------------------------

def skua_prepare(wasm, args):
    """The file `skua run` gets: the module itself, or (skua-aot) its .skua file, compiled
    into args.work under the same base name so that the guest's argv[0] stays the same.
    Returns (target, error text)."""
    if args.engine == "skua":
        return wasm, ""
    target = os.path.join(args.work, os.path.basename(wasm))
    r = subprocess.run([args.skua, "compile", wasm, "-o", target], capture_output=True,
                       text=True)
    if r.returncode:
        return None, "skua compile -o: " + r.stderr.strip()[-500:]
    return target, ""


def skua_command(args, target):
    return lambda opts, guest_args: [args.skua, "run"] + opts + [target, "--"] + guest_args


# ---- engine wasm2c -----------------------------------------------------------------------------

def import_rows(imports_c):
    """(name, params, results) of every import, read from the table in imports.c."""
    with open(imports_c) as f:
        rows = re.findall(r'\{"(\w+)", "([iI]*)", "(i?)", t_\w+\}', f.read())
    if len(rows) < 40:
        sys.exit(f"error: could not read the import table from {imports_c}")
    return rows


def glue_source(rows):
    """A wasm2c host module for wasi_snapshot_preview1 (wabt 1.0.32 naming) plus a main()
    that takes --dir HOST::GUEST, --env K=V, then -- and the guest's argv."""
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


def wasm2c_build(wasm, args, glue):
    """Translates and compiles one test into args.work (reused while newer than the module
    and the library). Returns (executable or None, error text)."""
    work = os.path.join(args.work, os.path.basename(os.path.dirname(wasm)),
                        os.path.basename(wasm)[:-5])
    exe = work + ".exe"
    if os.path.exists(exe) and os.path.getmtime(exe) >= max(os.path.getmtime(args.wasi_lib),
                                                            os.path.getmtime(wasm)):
        return exe, ""
    os.makedirs(work, exist_ok=True)
    r = subprocess.run([args.wasm2c, wasm, "-n", "prog", "-o", os.path.join(work, "prog.c")],
                       capture_output=True, text=True)
    if r.returncode:
        return None, "wasm2c: " + r.stderr[-2000:]
    with open(os.path.join(work, "glue.c"), "w") as f:
        f.write(glue)
    cmd = [args.cc, "-O0", "-w", "-I", work, "-I", REPO, os.path.join(work, "prog.c"),
           os.path.join(work, "glue.c"), args.wasi_lib, args.rt_lib, "-lm", "-o", exe]
    r = subprocess.run(cmd + args.ldflags.split(), capture_output=True, text=True)
    if r.returncode:
        return None, "cc: " + r.stderr[-2000:]
    return exe, ""


def wasm2c_command(wasm, exe):
    base = os.path.basename(wasm)
    return lambda opts, guest_args: [exe] + opts + ["--", base] + guest_args


def wasm2c_missing(args):
    """Why the wasm2c engine cannot run, or ''."""
    if not args.wasi_lib or not os.path.exists(args.wasi_lib):
        return "--wasi-lib (libskua_wasi.a) is needed"
    if not shutil.which(args.wasm2c) or not args.rt_lib or not os.path.exists(args.rt_lib):
        return "wabt's wasm2c and libwasm-rt-impl.a are needed (apt-get install wabt)"
    return ""


# ---- driver ------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--engine", choices=("skua", "skua-aot", "wasm2c"), default="skua")
    ap.add_argument("--skua", help="the skua executable (engines skua, skua-aot)")
    ap.add_argument("--suite", help="run every test of this wasi-testsuite folder")
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--work", help="folder for generated files (default: a temporary one; "
                    "wasm2c reuses the programs it built there)")
    ap.add_argument("--wasi-lib", help="libskua_wasi.a (engine wasm2c)")
    ap.add_argument("--rt-lib", default="", help="wabt's libwasm-rt-impl.a (engine wasm2c)")
    ap.add_argument("--wasm2c", default="wasm2c")
    ap.add_argument("--cc", default="cc")
    ap.add_argument("--ldflags", default="", help="extra linker flags (engine wasm2c)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="parallel builds (engine wasm2c)")
    ap.add_argument("tests", nargs="*", help="test .wasm files")
    args = ap.parse_args()

    tests = [os.path.abspath(t) for t in args.tests]
    if args.suite:
        tests += sorted(glob.glob(os.path.join(os.path.abspath(args.suite), "*", "*.wasm")))
    tests = [t for t in tests if os.path.exists(t)]
    if not tests:
        print("skipped: no WASI testsuite found (set SKUA_WASI_TESTSUITE to the folder that "
              "holds c/, rust/ and assemblyscript/; see README.md)")
        return SKIP
    if args.engine == "wasm2c":
        why = wasm2c_missing(args)
        if why:
            print(f"skipped: engine wasm2c: {why}")
            return SKIP
    elif not args.skua:
        ap.error(f"engine {args.engine} needs --skua")
    else:
        args.skua = os.path.abspath(args.skua)

    scratch = None
    if not args.work:
        args.work = scratch = tempfile.mkdtemp(prefix="skua-wasi-work-")
    os.makedirs(args.work, exist_ok=True)
    try:
        if args.engine == "wasm2c":
            glue = glue_source(import_rows(os.path.join(REPO, "runtime", "wasi", "imports.c")))
            with ThreadPoolExecutor(max(1, args.jobs)) as pool:
                built = list(pool.map(lambda w: wasm2c_build(w, args, glue), tests))
            commands = [(wasm2c_command(w, exe) if exe else None, err)
                        for w, (exe, err) in zip(tests, built)]
        else:
            commands = []
            for w in tests:
                target, err = skua_prepare(w, args)
                commands.append((skua_command(args, target) if target else None, err))
        passed = failed = 0
        for wasm, (command, err) in zip(tests, commands):
            label = os.path.join(os.path.basename(os.path.dirname(wasm)), os.path.basename(wasm))
            if command:
                err = run_test(wasm, command, args.timeout)
            if err:
                failed += 1
                print(f"FAIL {label}: {err}")
            else:
                passed += 1
                print(f"ok   {label}")
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
