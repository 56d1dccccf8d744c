/*
 * skua run [options] FILE [ARGS...]: runs a WASI preview1 program, or calls one export, with
 * the conventions of `wasmtime run`. FILE is a wasm module (compiled in memory, host target
 * and CPU) or a .skua file from `skua compile -o` (loaded, not compiled), told apart by their
 * magic bytes, never by the name. Options come before FILE; everything after FILE goes to the
 * guest (a `--` right after FILE is dropped).
 *
 *   --dir HOST[::GUEST]     preopen host directory HOST as GUEST (default: the name HOST)
 *   --env NAME=VALUE        set a guest environment variable (--env NAME: copy the host's)
 *   --invoke NAME           call export NAME instead of the command's entry point, with
 *                           ARGS as its arguments, and print its results, one per line
 *   --preload NAME=MODULE   instantiate MODULE first (with WASI) and make its exports
 *                           importable under module name NAME
 *   --max-wasm-stack BYTES  stack for wasm code (default 1 MiB)
 *
 * The program: `_initialize` runs first if exported (a reactor), then --invoke's function,
 * else the export "" or `_start`; argv[0] is FILE's base name, as in wasmtime.
 *
 * Exit status: the guest's proc_exit code (0 when its entry point returns); 134 (128 +
 * SIGABRT, as wasmtime on Unix) after a trap, which prints "error: wasm trap: <kind>" and
 * the wasm backtrace with function names to stderr; 1 when FILE is not a valid module or
 * .skua file for this machine or its imports do not link; 2 for usage and I/O errors.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/skua.h"
#include "runtime/wasi/wasi_glue.h"
#include "tools/cli.h"
#include "tools/compile_driver.h"

#define EXIT_TRAP 134

typedef struct RunOptions {
    const char *path;
    const char *invoke;
    char **dirs;  // "HOST[::GUEST]" each
    int ndirs;
    char **envs;  // "NAME[=VALUE]" each
    int nenvs;
    char **preloads;  // "NAME=MODULE" each
    int npreloads;
    char **args;  // after FILE
    int nargs;
    size_t stack_size;
} RunOptions;

static void
usage(FILE *to)
{
    fputs("usage: skua run [options] FILE [ARGS...]\n"
          "Runs a WASI program (a .wasm module, or a .skua file from skua compile -o).\n"
          "  --dir HOST[::GUEST]    give the guest directory HOST, named GUEST (default HOST)\n"
          "  --env NAME=VALUE       set an environment variable (--env NAME copies the host's)\n"
          "  --invoke NAME          call export NAME with ARGS and print its results\n"
          "  --preload NAME=MODULE  instantiate MODULE first; its exports import as NAME\n"
          "  --max-wasm-stack BYTES stack for wasm code (default 1 MiB)\n"
          "Runs `_initialize` if exported, then --invoke NAME, or the export \"\" or _start.\n"
          "Exit status: the program's exit code; 134 after a trap (the trap and its wasm\n"
          "backtrace go to stderr); 1 invalid module or link error; 2 usage or I/O error.\n",
          to);
}

/* ---- loading modules ----------------------------------------------------------------------- */

/*
 * Loads FILE: a .skua file is read (checked for this host), a wasm module compiled for this
 * host. Errors are printed; *out_status is the exit status to use then.
 */
static SkuaModule *
load_module(SkuaEngine *engine, const char *path, int *out_status)
{
    uint8_t *bytes;
    size_t size;
    *out_status = CLI_EXIT_USAGE;
    if (!cli_read_file(path, &bytes, &size))
        return NULL;
    SkuaModule *mod = NULL;
    SkuaError err;
    memset(&err, 0, sizeof err);
    *out_status = CLI_EXIT_BAD_INPUT;
    if (skua_compiled_is_file(bytes, size)) {
        mod = skua_module_deserialize(engine, bytes, size, &err);
        if (!mod)
            fprintf(stderr, "%s: error: %s\n", path, err.message);
    } else if (size >= 4 && memcmp(bytes, "\0asm", 4) == 0) {
        CliCompileOptions o;
        cli_compile_options_host(&o);
        RtCompiledModule *cm = NULL;
        SkDiag d;
        memset(&d, 0, sizeof d);
        if (!cli_compile_wasm(bytes, size, &o, &cm, NULL, &d)) {
            cli_diag_print(path, NULL, &d);
            if (d.kind == SK_DIAG_OUT_OF_MEMORY)
                *out_status = CLI_EXIT_USAGE;
        } else if (!(mod = skua_module_from_compiled(engine, cm, &err))) {
            fprintf(stderr, "%s: error: %s\n", path, err.message);
        }
    } else {
        fprintf(stderr, "%s: error: not a WebAssembly module or .skua file (bad magic)\n", path);
    }
    free(bytes);
    return mod;
}

/* ---- traps ---------------------------------------------------------------------------------- */

/* One frame: "  3: module!name (func 7, code offset 0x1a)", a Rust name demangled. */
static void
print_frame(size_t i, SkuaFrame f)
{
    fprintf(stderr, "  %3zu: ", i);
    if (f.module_name && f.module_name[0])
        fprintf(stderr, "%s!", f.module_name);
    if (f.func_name && f.func_name[0]) {
        char *readable = cli_demangle(f.func_name);
        fprintf(stderr, "%s", readable ? readable : f.func_name);
        free(readable);
    } else {
        fprintf(stderr, "<func %u>", f.func_index);
    }
    fprintf(stderr, " (func %u, code offset 0x%x)\n", f.func_index, f.func_offset);
}

/* Prints a trap and its wasm backtrace to stderr, innermost frame first; a run of identical
 * frames (deep recursion) is one line and a count, and a backtrace cut at the runtime's
 * frame limit says how many frames it left out. */
static void
print_trap(const SkuaTrap *trap)
{
    fprintf(stderr, "error: wasm trap: %s\n", skua_trap_message(trap));
    size_t n = skua_trap_frame_count(trap);
    if (n == 0)
        return;
    fputs("wasm backtrace:\n", stderr);
    for (size_t i = 0; i < n;) {
        SkuaFrame f = skua_trap_frame(trap, i);
        size_t run = 1;
        while (i + run < n) {
            SkuaFrame g = skua_trap_frame(trap, i + run);
            if (g.func_index != f.func_index || g.func_offset != f.func_offset)
                break;
            run++;
        }
        print_frame(i, f);
        if (run > 2) {
            fprintf(stderr, "        ... %zu more frames like frame %zu\n", run - 1, i);
            i += run;
        } else {
            i++;
        }
    }
    size_t omitted = skua_trap_frames_omitted(trap);
    if (omitted)
        fprintf(stderr, "  ... %zu more frame%s (backtrace truncated at %zu frames)\n", omitted,
                omitted == 1 ? "" : "s", n);
}

/* Exit status for a failed call or instantiation, after reporting it. */
static int
report_failure(const char *path, SkuaError *err)
{
    int status = CLI_EXIT_BAD_INPUT;
    if (err->kind == SKUA_ERROR_TRAP && err->trap) {
        if (skua_trap_kind(err->trap) == SKUA_TRAP_EXIT) {
            status = skua_trap_exit_code(err->trap);
        } else {
            fflush(stdout);
            print_trap(err->trap);
            status = EXIT_TRAP;
        }
    } else {
        fprintf(stderr, "%s: error: %s\n", path, err->message);
        if (err->kind == SKUA_ERROR_RESOURCE || err->kind == SKUA_ERROR_USAGE)
            status = CLI_EXIT_USAGE;
    }
    skua_error_clear(err);
    return status;
}

/* ---- --invoke: arguments and results ----------------------------------------------------------- */

static bool
parse_arg(const char *s, uint8_t kind, SkuaVal *out)
{
    char *end;
    errno = 0;
    out->kind = kind;
    switch (kind) {
    case SKUA_I32: {
        long long v = strtoll(s, &end, 0);
        if (*s && !*end && !errno && v >= INT32_MIN && v <= (long long)UINT32_MAX) {
            out->of.i32 = (int32_t)(uint32_t)v;
            return true;
        }
        return false;
    }
    case SKUA_I64: {
        if (*s == '-') {
            long long v = strtoll(s, &end, 0);
            out->of.i64 = v;
        } else {
            unsigned long long v = strtoull(s, &end, 0);
            out->of.i64 = (int64_t)v;
        }
        return *s && !*end && !errno;
    }
    case SKUA_F32:
        out->of.f32 = strtof(s, &end);
        return *s && !*end;
    case SKUA_F64:
        out->of.f64 = strtod(s, &end);
        return *s && !*end;
    default:
        return false;
    }
}

static const char *
kind_name(uint8_t k)
{
    switch (k) {
    case SKUA_I32: return "i32";
    case SKUA_I64: return "i64";
    case SKUA_F32: return "f32";
    case SKUA_F64: return "f64";
    case SKUA_V128: return "v128";
    case SKUA_FUNCREF: return "funcref";
    case SKUA_EXTERNREF: return "externref";
    default: return "?";
    }
}

/* A float in the shortest decimal form that reads back to the same value. */
static void
print_float(double v, bool is_f32)
{
    if (isnan(v)) {
        puts("NaN");
        return;
    }
    if (isinf(v)) {
        puts(v < 0 ? "-inf" : "inf");
        return;
    }
    char buf[64];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (is_f32 ? strtof(buf, NULL) == (float)v : strtod(buf, NULL) == v)
            break;
    }
    puts(buf);
}

static void
print_result(const SkuaVal *v)
{
    switch (v->kind) {
    case SKUA_I32:
        printf("%d\n", v->of.i32);
        break;
    case SKUA_I64:
        printf("%lld\n", (long long)v->of.i64);
        break;
    case SKUA_F32:
        print_float(v->of.f32, true);
        break;
    case SKUA_F64:
        print_float(v->of.f64, false);
        break;
    case SKUA_V128:
        printf("0x");
        for (int i = 15; i >= 0; i--)
            printf("%02x", v->of.v128[i]);
        putchar('\n');
        break;
    case SKUA_FUNCREF:
        puts(v->of.funcref ? "<funcref>" : "<null funcref>");
        break;
    default:
        puts(v->of.externref ? "<externref>" : "<null externref>");
        break;
    }
}

/*
 * Calls `func` (named `name` for messages) with arguments parsed from `args` and, when
 * `print` is set, prints its results. Returns the exit status.
 */
static int
call_export(const RunOptions *o, SkuaStore *store, SkuaFunc *func, const char *name,
            char **args, int nargs, bool print)
{
    const uint8_t *params, *results;
    size_t nparams, nresults;
    skua_func_type(store, func, &params, &nparams, &results, &nresults);
    if ((size_t)nargs != nparams) {
        cli_error("run: '%s' takes %zu argument%s, %d given", name, nparams,
                  nparams == 1 ? "" : "s", nargs);
        return CLI_EXIT_USAGE;
    }
    SkuaVal *vals = calloc(nparams + nresults + 1, sizeof(SkuaVal));
    if (!vals) {
        cli_error("run: out of memory");
        return CLI_EXIT_USAGE;
    }
    SkuaVal *res = vals + nparams;
    for (size_t i = 0; i < nparams; i++) {
        if (!parse_arg(args[i], params[i], &vals[i])) {
            cli_error("run: argument %zu of '%s': '%s' is not a valid %s", i + 1, name, args[i],
                      kind_name(params[i]));
            free(vals);
            return CLI_EXIT_USAGE;
        }
    }
    SkuaError err;
    memset(&err, 0, sizeof err);
    int status = CLI_EXIT_OK;
    if (skua_func_call(store, func, vals, nparams, res, nresults, &err)) {
        if (print)
            for (size_t i = 0; i < nresults; i++)
                print_result(&res[i]);
    } else {
        status = report_failure(o->path, &err);
    }
    free(vals);
    return status;
}

/* ---- the run ------------------------------------------------------------------------------------ */

static const char *
base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

/* Fills the WASI context from the options; false (after a message) on a usage or I/O error. */
static bool
setup_wasi(const RunOptions *o, WasiCtx *ctx)
{
    const char **argv = calloc((size_t)o->nargs + 1, sizeof(char *));
    const char **envp = calloc((size_t)o->nenvs + 1, sizeof(char *));
    char **owned = calloc((size_t)o->nenvs + 1, sizeof(char *));
    bool ok = argv && envp && owned;
    size_t nenv = 0;
    if (ok) {
        argv[0] = base_name(o->path);
        for (int i = 0; i < o->nargs; i++)
            argv[i + 1] = o->args[i];
        for (int i = 0; i < o->nenvs && ok; i++) {
            const char *e = o->envs[i];
            if (strchr(e, '=')) {
                envp[nenv++] = e;
                continue;
            }
            const char *v = getenv(e);  // --env NAME: inherit, if the host has it
            if (!v)
                continue;
            size_t len = strlen(e) + strlen(v) + 2;
            if (!(owned[i] = malloc(len))) {
                ok = false;
                break;
            }
            snprintf(owned[i], len, "%s=%s", e, v);
            envp[nenv++] = owned[i];
        }
        ok = ok && wasi_ctx_set_args(ctx, (size_t)o->nargs + 1, argv) &&
             wasi_ctx_set_env(ctx, nenv, envp);
    }
    if (!ok)
        cli_error("run: out of memory setting up WASI");
    for (int i = 0; i < o->nenvs && owned; i++)
        free(owned[i]);
    free(owned);
    free(argv);
    free(envp);
    for (int i = 0; i < o->ndirs && ok; i++) {
        char *spec = strdup(o->dirs[i]);
        if (!spec) {
            cli_error("run: out of memory");
            return false;
        }
        char *sep = strstr(spec, "::");
        const char *guest = spec;
        if (sep) {
            *sep = '\0';
            guest = sep + 2;
        }
        int e = wasi_ctx_preopen_dir(ctx, spec, guest);
        if (e)
            cli_error("run: --dir %s: %s", spec, strerror(e));
        free(spec);
        if (e)
            return false;
    }
    return ok;
}

/* Instantiates each --preload module and defines its exports under its name. */
static int
preload(const RunOptions *o, SkuaEngine *engine, SkuaLinker *linker)
{
    for (int i = 0; i < o->npreloads; i++) {
        const char *spec = o->preloads[i];
        const char *eq = strchr(spec, '=');
        int status;
        SkuaModule *mod = load_module(engine, eq + 1, &status);
        if (!mod)
            return status;
        SkuaError err;
        memset(&err, 0, sizeof err);
        SkuaInstance *inst = skua_linker_instantiate(linker, mod, &err);
        skua_module_delete(mod);
        if (!inst)
            return report_failure(eq + 1, &err);
        if (!skua_linker_define_instance(linker, spec, (size_t)(eq - spec), inst, &err))
            return report_failure(eq + 1, &err);
    }
    return CLI_EXIT_OK;
}

static SkuaFunc *
export_func(SkuaInstance *inst, const char *name)
{
    SkuaExtern x;
    if (skua_instance_export(inst, name, strlen(name), &x) && x.kind == SKUA_EXTERN_FUNC)
        return x.of.func;
    return NULL;
}

/* Loads, links and runs the program; returns the exit status. */
static int
run(const RunOptions *o)
{
    SkuaConfig cfg;
    skua_config_init(&cfg);
    cfg.compile = cli_compile_hook;
    if (o->stack_size)
        cfg.wasm_stack_size = o->stack_size;
    SkuaError err;
    memset(&err, 0, sizeof err);
    SkuaEngine *engine = skua_engine_new(&cfg, &err);
    if (!engine) {
        cli_error("run: %s", err.message);
        return CLI_EXIT_USAGE;
    }
    int status;
    SkuaModule *mod = load_module(engine, o->path, &status);
    WasiCtx *ctx = NULL;
    SkuaStore *store = NULL;
    SkuaLinker *linker = NULL;
    if (!mod)
        goto done;
    status = CLI_EXIT_USAGE;
    if (!(ctx = wasi_ctx_new()) || !(store = skua_store_new(engine)) ||
        !(linker = skua_linker_new(store))) {
        cli_error("run: out of memory");
        goto done;
    }
    if (!setup_wasi(o, ctx))
        goto done;
    if (!wasi_linker_define(linker, ctx, &err)) {
        status = report_failure(o->path, &err);
        goto done;
    }
    if ((status = preload(o, engine, linker)) != CLI_EXIT_OK)
        goto done;
    SkuaInstance *inst = skua_linker_instantiate(linker, mod, &err);
    if (!inst) {
        status = report_failure(o->path, &err);
        goto done;
    }
    SkuaFunc *init = export_func(inst, "_initialize");
    if (init && (status = call_export(o, store, init, "_initialize", NULL, 0, false)))
        goto done;
    status = CLI_EXIT_OK;
    if (o->invoke) {
        SkuaFunc *f = export_func(inst, o->invoke);
        if (!f) {
            fprintf(stderr, "%s: error: no exported function named '%s'\n", o->path, o->invoke);
            status = CLI_EXIT_BAD_INPUT;
            goto done;
        }
        status = call_export(o, store, f, o->invoke, o->args, o->nargs, true);
    } else {
        const char *name = "";
        SkuaFunc *f = export_func(inst, name);
        if (!f)
            f = export_func(inst, name = "_start");
        if (f)
            status = call_export(o, store, f, name, NULL, 0, false);
    }
done:
    fflush(stdout);
    skua_linker_delete(linker);
    skua_store_delete(store);
    wasi_ctx_free(ctx);
    skua_module_delete(mod);
    skua_engine_delete(engine);
    return status;
}

int
cli_cmd_run(int argc, char **argv)
{
    RunOptions o;
    memset(&o, 0, sizeof o);
    int status = CLI_EXIT_USAGE;
    /* Each list holds at most argc entries, so one allocation each is enough. */
    o.dirs = calloc((size_t)argc, sizeof(char *));
    o.envs = calloc((size_t)argc, sizeof(char *));
    o.preloads = calloc((size_t)argc, sizeof(char *));
    if (!o.dirs || !o.envs || !o.preloads) {
        cli_error("run: out of memory");
        goto out;
    }
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            status = CLI_EXIT_OK;
            goto out;
        } else if (!strcmp(a, "--")) {
            i++;
            break;
        } else if (a[0] != '-' || !a[1]) {
            break;
        } else if (!val) {
            cli_error("run: %s needs a value", a);
            goto out;
        } else if (!strcmp(a, "--dir")) {
            o.dirs[o.ndirs++] = argv[++i];
        } else if (!strcmp(a, "--env")) {
            if (val[0] == '=' || !val[0]) {
                cli_error("run: --env takes NAME=VALUE or NAME, not '%s'", val);
                goto out;
            }
            o.envs[o.nenvs++] = argv[++i];
        } else if (!strcmp(a, "--preload")) {
            const char *eq = strchr(val, '=');
            if (!eq || eq == val || !eq[1]) {
                cli_error("run: --preload takes NAME=MODULE, not '%s'", val);
                goto out;
            }
            o.preloads[o.npreloads++] = argv[++i];
        } else if (!strcmp(a, "--invoke")) {
            o.invoke = argv[++i];
        } else if (!strcmp(a, "--max-wasm-stack")) {
            char *end;
            unsigned long long v = strtoull(val, &end, 0);
            if (!*val || *end || v < 4096 || v > (1ull << 32)) {
                cli_error("run: --max-wasm-stack takes a byte count from 4096 to 4 GiB, not "
                          "'%s'", val);
                goto out;
            }
            o.stack_size = (size_t)v;
            i++;
        } else {
            cli_error("run: unknown option '%s'", a);
            usage(stderr);
            goto out;
        }
    }
    if (i >= argc) {
        cli_error("run: no module given");
        usage(stderr);
        goto out;
    }
    o.path = argv[i++];
    if (i < argc && !strcmp(argv[i], "--"))
        i++;
    o.args = argv + i;
    o.nargs = argc - i;
    /* A write to a closed pipe must become the guest's EPIPE, not kill skua (wasmtime does
     * the same). */
    signal(SIGPIPE, SIG_IGN);
    status = run(&o);
out:
    free(o.dirs);
    free(o.envs);
    free(o.preloads);
    return status;
}
