/*
 * skua compile [options] FILE.wasm: the compilation pipeline, per function:
 *     decode + validate (module) -> translate -> IR passes -> code generation (backends/)
 * then the trampolines and the compiled module (tools/compile_driver.c builds its metadata).
 * `-o OUT.skua` writes the compiled module (runtime/cmodule_file.c's format) for `skua run`,
 * `--emit=ir` prints the IR, `--emit=asm` the machine code, `--stats` times each phase.
 *
 *   -o FILE              write the compiled module to FILE (a .skua file)
 *   --emit=ir            print the IR of every defined function (after the passes)
 *   --emit=asm           print the machine code per function (Capstone; see skua objdump)
 *   --func NAME|INDEX    only this function (name section or export name, or an index)
 *   --stats              time per phase, MB/s of code-section bytes, IR arena bytes per byte
 *   --verify             run the IR verifier after translation and after every pass
 *   --no-verify          don't (the default in release builds, and for --stats timing)
 *   --no-passes          print/time the IR straight out of the translator
 *   --no-codegen         stop after the IR passes
 *   --target NAME        generate code for NAME (x86_64; default: this machine)
 *   --cpu host|base      use this machine's CPU features (default) or the baseline only
 *   --bounds guard|explicit   memory bounds by guard regions (default) or explicit checks
 * Exit status: 0 success, 1 the module is malformed or invalid, 2 usage or I/O error.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frontend/frontend.h"
#include "ir/ir.h"
#include "runtime/skua.h"
#include "tools/cli.h"
#include "tools/compile_driver.h"

#define STATS_MIN_RUNS 5
#define STATS_MIN_SECONDS 0.5
#define STATS_MAX_RUNS 1001

typedef struct CompileOptions {
    const char *path;
    const char *func;  // --func: name or index, NULL for all
    const char *out;   // -o: the .skua file to write, or NULL
    bool emit_ir;
    bool emit_asm;
    bool stats;
    bool verify;
    bool passes;
    bool codegen;
    CliCompileOptions cg;  // target, CPU features, bounds mode
} CompileOptions;

/* Seconds spent per phase, and IR sizes, summed over one compilation of the module. */
typedef struct CompileStats {
    double decode, validate, translate, passes, codegen, finish;
    double isel, live, regalloc, emit;  // codegen's phases (from CgStats)
    CgStats cg;              // code generator counts and per-phase times (ns)
    uint32_t code_bytes;     // size of the code blob (functions and trampolines)
    size_t arena_bytes;      // IR arena bytes allocated, summed over functions
    size_t arena_peak;       // largest single function's arena bytes
    uint64_t ninsts, nblocks;
    uint32_t nfuncs;         // functions compiled
} CompileStats;

/* Everything one compilation of a module uses; reused across functions. */
typedef struct CompileCtx {
    const CompileOptions *opt;
    const FeModule *m;
    IrModule im;
    FeTranslator *tr;
    SkArena func_arena;  // reset after every function
    CompileStats *st;
    CgCtx *cg;           // NULL with --no-codegen
} CompileCtx;

static double
now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void
write_file(void *user, const char *data, size_t len)
{
    fwrite(data, 1, len, (FILE *)user);
}

/*
 * Resolves --func to a function index: a decimal index, a name-section name or an export
 * name. Returns false with a message if there is no such function.
 */
static bool
find_func(const FeModule *m, const char *spec, uint32_t *out)
{
    char *end;
    unsigned long v = strtoul(spec, &end, 10);
    if (*spec && !*end) {
        if (v >= m->nfuncs) {
            cli_error("compile: function %s out of range (%u functions)", spec, m->nfuncs);
            return false;
        }
        *out = (uint32_t)v;
        return true;
    }
    for (uint32_t i = 0; i < m->nfuncs; i++) {
        const char *name = fe_module_func_name(m, i);
        if (name && !strcmp(name, spec)) {
            *out = i;
            return true;
        }
    }
    for (uint32_t i = 0; i < m->nexports; i++)
        if (m->exports[i].kind == FE_EXTERN_FUNC && !strcmp(m->exports[i].name.str, spec)) {
            *out = m->exports[i].index;
            return true;
        }
    cli_error("compile: no function named '%s'", spec);
    return false;
}

/* An IR verifier failure is a skua bug: dump the IR (raw ids) and abort. */
SK_NORETURN static void
internal_error(CompileCtx *c, IrFunc *f, const char *msg)
{
    fprintf(stderr, "skua: internal error in function %u: %s\n", f->index, msg);
    ir_print_func(f, fe_module_func_name(c->m, f->index), true, write_file, stderr);
    sk_die(__FILE__, __LINE__, "IR verification failed");
}

/* Translates, optimizes and (with --emit=ir) prints one defined function. */
static bool
compile_func(CompileCtx *c, uint32_t index, SkDiag *diag)
{
    CompileStats *st = c->st;
    IrFunc f;
    char msg[512];
    sk_arena_reset(&c->func_arena);
    double t0 = now_seconds();
    if (!fe_translate_func(c->tr, index, &c->func_arena, &f, diag))
        return false;
    double t1 = now_seconds();
    st->translate += t1 - t0;
    if (c->opt->passes) {
        /* With --verify the verifier runs after translation and after every pass; its time
         * then counts in the passes' (--stats turns it off unless asked). */
        double p0 = now_seconds();
        bool ok = ir_passes_run(&f, c->opt->verify, msg, sizeof(msg));
        st->passes += now_seconds() - p0;
        if (!ok && !c->func_arena.failed)
            internal_error(c, &f, msg);
        if (!ok) {
            sk_diag_set(diag, SK_DIAG_OUT_OF_MEMORY, 0, "%s", msg);
            diag->func_index = index;
            return false;
        }
    } else if (c->opt->verify) {
        if (!ir_verify(&f, NULL, msg, sizeof(msg)))
            internal_error(c, &f, msg);
    }
    size_t bytes = c->func_arena.total;
    st->arena_bytes += bytes;
    if (bytes > st->arena_peak)
        st->arena_peak = bytes;
    st->ninsts += f.insts.len - 1;
    st->nblocks += f.blocks.len - 1;
    st->nfuncs++;

    if (c->cg) {
        double g0 = now_seconds();
        bool ok = cg_func_compile(c->cg, &f, diag);
        st->codegen += now_seconds() - g0;
        if (!ok)
            return false;
    }

    if (c->opt->emit_ir) {
        ir_print_func(&f, fe_module_func_name(c->m, index), false, write_file, stdout);
        putchar('\n');
    }
    return true;
}

/*
 * Runs the whole pipeline once on the module's bytes, filling `st`. Returns a CLI exit code
 * and prints errors (with `report`; --stats repeats silently after the first run).
 */
static int
compile_module(const CompileOptions *o, const uint8_t *bytes, size_t size, CompileStats *st,
               bool report)
{
    memset(st, 0, sizeof(*st));
    FeModule *m = NULL;
    SkDiag d;
    memset(&d, 0, sizeof(d));
    d.func_index = SK_DIAG_NO_FUNC;
    double t0 = now_seconds();
    if (!fe_module_decode(bytes, size, NULL, &m, &d)) {
        if (report)
            cli_diag_print(o->path, NULL, &d);
        return d.kind == SK_DIAG_OUT_OF_MEMORY ? CLI_EXIT_USAGE : CLI_EXIT_BAD_INPUT;
    }
    double t1 = now_seconds();
    st->decode = t1 - t0;
    if (!fe_module_validate_code(m, &d)) {
        if (report)
            cli_diag_print(o->path, m, &d);
        fe_module_free(m);
        return d.kind == SK_DIAG_OUT_OF_MEMORY ? CLI_EXIT_USAGE : CLI_EXIT_BAD_INPUT;
    }
    st->validate = now_seconds() - t1;

    int status = CLI_EXIT_OK;
    uint32_t only = UINT32_MAX;
    if (o->func) {
        if (!find_func(m, o->func, &only)) {
            fe_module_free(m);
            return CLI_EXIT_USAGE;
        }
        if (only < m->nimported_funcs) {
            cli_error("compile: function %s is imported: it has no body", o->func);
            fe_module_free(m);
            return CLI_EXIT_USAGE;
        }
    }
    CompileCtx c;
    memset(&c, 0, sizeof(c));
    c.opt = o;
    c.m = m;
    c.st = st;
    sk_arena_init(&c.func_arena, NULL);
    double tt = now_seconds();
    if (!fe_ir_module_init(m, &m->arena, &c.im) || !(c.tr = fe_translator_new(m, &c.im, NULL))) {
        cli_error("%s: out of memory", o->path);
        status = CLI_EXIT_USAGE;
    }
    st->translate += now_seconds() - tt;
    if (status == CLI_EXIT_OK && o->codegen) {
        CgOptions cgo;
        memset(&cgo, 0, sizeof(cgo));
        cgo.cpu_features = o->cg.cpu_features;
        cgo.explicit_bounds = o->cg.explicit_bounds;
        cgo.verify = o->verify;
        c.cg = cg_ctx_new(o->cg.target, &cgo, NULL);
        if (!c.cg || !cg_module_begin(c.cg, &c.im, &d)) {
            if (report)
                cli_diag_print(o->path, m, &d);
            status = CLI_EXIT_USAGE;
        }
    }
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs && status == CLI_EXIT_OK; i++) {
        if (only != UINT32_MAX && i != only)
            continue;
        memset(&d, 0, sizeof(d));
        d.func_index = SK_DIAG_NO_FUNC;
        if (!compile_func(&c, i, &d)) {
            if (report)
                cli_diag_print(o->path, m, &d);
            status = d.kind == SK_DIAG_OUT_OF_MEMORY ? CLI_EXIT_USAGE : CLI_EXIT_BAD_INPUT;
        }
    }
    if (c.cg && status == CLI_EXIT_OK && only == UINT32_MAX) {
        /* Trampolines, direct calls, builtin slots, and the compiled module's metadata. */
        double f0 = now_seconds();
        RtCompiledModule cm;
        memset(&cm, 0, sizeof(cm));
        memset(&d, 0, sizeof(d));
        d.func_index = SK_DIAG_NO_FUNC;
        if (!cli_cmodule_alloc(m, &cm, &d) || !cg_module_finish(c.cg, &cm, &d) ||
            !cli_cmodule_fill(m, &cm, &d)) {
            if (report)
                cli_diag_print(o->path, m, &d);
            status = CLI_EXIT_USAGE;
        }
        st->code_bytes = cm.code_size;
        rt_cmodule_release(&cm);
        st->finish = now_seconds() - f0;
    }
    if (c.cg) {
        st->cg = *cg_ctx_stats(c.cg);
        st->isel = (double)st->cg.ns_isel * 1e-9;
        st->live = (double)st->cg.ns_live * 1e-9;
        st->regalloc = (double)st->cg.ns_regalloc * 1e-9;
        st->emit = (double)st->cg.ns_emit * 1e-9;
    }
    cg_ctx_free(c.cg);
    fe_translator_free(c.tr);
    sk_arena_free(&c.func_arena);
    fe_module_free(m);
    return status;
}

static int
compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median of field `off` (a double in CompileStats) over n runs. */
static double
median_of(CompileStats *runs, size_t n, size_t off, double *scratch)
{
    for (size_t i = 0; i < n; i++)
        memcpy(&scratch[i], (const char *)&runs[i] + off, sizeof(double));
    qsort(scratch, n, sizeof(double), compare_doubles);
    return n % 2 ? scratch[n / 2] : (scratch[n / 2 - 1] + scratch[n / 2]) / 2;
}

static int
print_stats(const CompileOptions *o, const uint8_t *bytes, size_t size)
{
    CompileStats *runs = malloc(STATS_MAX_RUNS * sizeof(CompileStats));
    double *scratch = malloc(STATS_MAX_RUNS * sizeof(double));
    double *pipe = malloc(STATS_MAX_RUNS * sizeof(double));
    double *total = malloc(STATS_MAX_RUNS * sizeof(double));
    FeModule *m = NULL;
    SkDiag d;
    if (!runs || !scratch || !pipe || !total || !fe_module_decode(bytes, size, NULL, &m, &d)) {
        free(runs);
        free(scratch);
        free(pipe);
        free(total);
        cli_error("%s: out of memory", o->path);
        return CLI_EXIT_USAGE;
    }
    uint32_t code_size = m->code_section_size, nfuncs = m->nfuncs, nimported = m->nimported_funcs;
    fe_module_free(m);
    size_t n = 0;
    double start = now_seconds();
    int status = CLI_EXIT_OK;
    while (n < STATS_MAX_RUNS && (n < STATS_MIN_RUNS || now_seconds() - start < STATS_MIN_SECONDS)) {
        status = compile_module(o, bytes, size, &runs[n], n == 0);
        if (status != CLI_EXIT_OK)
            break;
        pipe[n] = runs[n].validate + runs[n].translate + runs[n].passes;
        total[n] = runs[n].decode + pipe[n] + runs[n].codegen + runs[n].finish;
        n++;
    }
    if (status == CLI_EXIT_OK) {
        const CompileStats *r0 = &runs[0];
        double dec = median_of(runs, n, offsetof(CompileStats, decode), scratch);
        double val = median_of(runs, n, offsetof(CompileStats, validate), scratch);
        double tra = median_of(runs, n, offsetof(CompileStats, translate), scratch);
        double pas = median_of(runs, n, offsetof(CompileStats, passes), scratch);
        qsort(pipe, n, sizeof(double), compare_doubles);
        double pip = n % 2 ? pipe[n / 2] : (pipe[n / 2 - 1] + pipe[n / 2]) / 2;
        double mb = (double)code_size / 1e6;
        printf("%s:\n", o->path);
        printf("  module size      %zu bytes (code section %u bytes, %u functions, %u imported)\n",
               size, code_size, nfuncs, nimported);
        printf("  decode           %8.3f ms\n", dec * 1e3);
        printf("  validate         %8.3f ms  %8.1f MB/s\n", val * 1e3, val > 0 ? mb / val : 0);
        printf("  translate        %8.3f ms  %8.1f MB/s\n", tra * 1e3, tra > 0 ? mb / tra : 0);
        printf("  passes           %8.3f ms  %8.1f MB/s\n", pas * 1e3, pas > 0 ? mb / pas : 0);
        if (o->verify)
            printf("  (--verify: the passes' time includes the verifier)\n");
        printf("  validate+translate+passes %8.3f ms  %8.1f MB/s of code section\n", pip * 1e3,
               pip > 0 ? mb / pip : 0);
        printf("  IR               %llu instructions, %llu blocks in %u functions\n",
               (unsigned long long)r0->ninsts, (unsigned long long)r0->nblocks, r0->nfuncs);
        printf("  IR arena         %.2f bytes per code byte (%zu bytes in all; largest "
               "function %zu bytes)\n",
               code_size ? (double)r0->arena_bytes / code_size : 0.0, r0->arena_bytes,
               r0->arena_peak);
        if (o->codegen) {
            double isel = median_of(runs, n, offsetof(CompileStats, isel), scratch);
            double live = median_of(runs, n, offsetof(CompileStats, live), scratch);
            double ra = median_of(runs, n, offsetof(CompileStats, regalloc), scratch);
            double emit = median_of(runs, n, offsetof(CompileStats, emit), scratch);
            double cgt = median_of(runs, n, offsetof(CompileStats, codegen), scratch);
            double fin = median_of(runs, n, offsetof(CompileStats, finish), scratch);
            qsort(total, n, sizeof(double), compare_doubles);
            double tot = n % 2 ? total[n / 2] : (total[n / 2 - 1] + total[n / 2]) / 2;
            printf("  codegen (%s)  %8.3f ms  %8.1f MB/s\n", cg_target_name(o->cg.target), cgt * 1e3,
                   cgt > 0 ? mb / cgt : 0);
            printf("    isel           %8.3f ms\n", isel * 1e3);
            printf("    liveness       %8.3f ms\n", live * 1e3);
            printf("    regalloc       %8.3f ms  (allocation, moves, frame)\n", ra * 1e3);
            printf("    emit           %8.3f ms\n", emit * 1e3);
            printf("  finish           %8.3f ms  (trampolines, calls, compiled module)\n",
                   fin * 1e3);
            printf("  whole pipeline   %8.3f ms  %8.1f MB/s of code section (decode to "
                   "machine code)\n", tot * 1e3, tot > 0 ? mb / tot : 0);
            printf("  machine code     %u bytes, %.2f per code-section byte (functions %llu "
                   "bytes)\n", r0->code_bytes, code_size ? (double)r0->code_bytes / code_size : 0.0,
                   (unsigned long long)r0->cg.code_bytes);
            printf("  MIR              %llu instructions, %llu virtual registers, %llu spilled, "
                   "%llu moves\n", (unsigned long long)r0->cg.insts,
                   (unsigned long long)r0->cg.vregs, (unsigned long long)r0->cg.spilled,
                   (unsigned long long)r0->cg.moves);
        }
        printf("  (medians of %zu runs; 1 MB = 10^6 bytes)\n", n);
    }
    free(runs);
    free(scratch);
    free(pipe);
    free(total);
    return status;
}

/* Writes `len` bytes to `path` through a temporary file in the same folder, so a failed write
 * never leaves a half-written module under the final name. */
static bool
write_file_atomic(const char *path, const uint8_t *data, size_t len)
{
    size_t n = strlen(path) + 8;
    char *tmp = malloc(n);
    if (!tmp) {
        cli_error("%s: out of memory", path);
        return false;
    }
    snprintf(tmp, n, "%s.tmp~", path);
    FILE *f = fopen(tmp, "wb");
    bool ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = false;
    if (ok && rename(tmp, path) != 0)
        ok = false;
    if (!ok) {
        cli_error("%s: %s", path, strerror(errno));
        remove(tmp);
    }
    free(tmp);
    return ok;
}

/*
 * -o and --emit=asm: compiles the whole module with the chosen target, CPU features and
 * bounds mode, then writes it as a .skua file and/or prints its disassembly.
 */
static int
emit_module(const CompileOptions *o, const uint8_t *bytes, size_t size)
{
    CliCompileOptions cg = o->cg;
    cg.verify = o->verify;
    RtCompiledModule *cm = NULL;
    SkDiag d;
    memset(&d, 0, sizeof(d));
    if (!cli_compile_wasm(bytes, size, &cg, &cm, NULL, &d)) {
        cli_diag_print(o->path, NULL, &d);
        return d.kind == SK_DIAG_OUT_OF_MEMORY ? CLI_EXIT_USAGE : CLI_EXIT_BAD_INPUT;
    }
    int status = CLI_EXIT_OK;
    if (o->emit_asm)
        status = cli_disasm_module(cm, o->path, o->func, stdout);
    if (status == CLI_EXIT_OK && o->out) {
        uint8_t *file = NULL;
        size_t file_size = 0;
        SkuaError err;
        memset(&err, 0, sizeof(err));
        if (!skua_compiled_serialize(cm, "skua " SKUA_VERSION, &file, &file_size, &err)) {
            cli_error("%s: %s", o->out, err.message);
            status = CLI_EXIT_USAGE;
        } else if (!write_file_atomic(o->out, file, file_size)) {
            status = CLI_EXIT_USAGE;
        }
        free(file);
    }
    skua_compiled_free(cm);
    return status;
}

static void
usage(FILE *to)
{
    fputs("usage: skua compile [options] FILE.wasm\n"
          "Compiles a WebAssembly module to machine code.\n"
          "  -o FILE            write the compiled module to FILE (.skua, for skua run)\n"
          "  --emit=ir          print the IR of each function after the passes\n"
          "  --emit=asm         print the machine code of each function (Capstone)\n"
          "  --func NAME|INDEX  only this function (name, export name or index)\n"
          "  --stats            time each phase; MB/s of code section; IR bytes per byte\n"
          "  --verify           verify the IR after translation and after every pass\n"
          "  --no-verify        don't (default in release builds)\n"
          "  --no-passes        skip the IR passes\n"
          "  --no-codegen       stop after the IR (passes)\n"
          "  --target NAME      generate code for NAME (x86_64; default: this machine)\n"
          "  --cpu host|base    this machine's CPU features (default) or the baseline only\n"
          "  --bounds guard|explicit  memory bounds by guard regions (default) or checks\n"
          "Exit status: 0 success, 1 malformed or invalid module, 2 usage or I/O error.\n",
          to);
}

int
cli_cmd_compile(int argc, char **argv)
{
    CompileOptions o;
    memset(&o, 0, sizeof(o));
    o.passes = true;
    o.codegen = true;
    cli_compile_options_host(&o.cg);
    const char *cpu = "host";
#ifdef NDEBUG
    o.verify = false;
#else
    o.verify = true;
#endif
    bool verify_set = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--emit=ir")) {
            o.emit_ir = true;
        } else if (!strcmp(a, "--emit=asm")) {
            o.emit_asm = true;
        } else if (!strncmp(a, "--emit=", 7)) {
            cli_error("compile: unknown --emit kind '%s' (ir or asm)", a + 7);
            return CLI_EXIT_USAGE;
        } else if (!strcmp(a, "-o") && i + 1 < argc) {
            o.out = argv[++i];
        } else if (!strcmp(a, "--func") && i + 1 < argc) {
            o.func = argv[++i];
        } else if (!strncmp(a, "--func=", 7)) {
            o.func = a + 7;
        } else if (!strcmp(a, "--stats")) {
            o.stats = true;
        } else if (!strcmp(a, "--verify")) {
            o.verify = verify_set = true;
        } else if (!strcmp(a, "--no-verify")) {
            o.verify = false;
            verify_set = true;
        } else if (!strcmp(a, "--no-passes")) {
            o.passes = false;
        } else if (!strcmp(a, "--no-codegen")) {
            o.codegen = false;
        } else if (!strcmp(a, "--target") && i + 1 < argc) {
            const char *name = argv[++i];
            if (!(o.cg.target = cli_target_find(name))) {
                cli_error("compile: unknown target '%s'", name);
                return CLI_EXIT_USAGE;
            }
        } else if (!strcmp(a, "--cpu") && i + 1 < argc) {
            cpu = argv[++i];
            if (strcmp(cpu, "host") && strcmp(cpu, "base")) {
                cli_error("compile: --cpu takes 'host' or 'base', not '%s'", cpu);
                return CLI_EXIT_USAGE;
            }
        } else if (!strcmp(a, "--bounds") && i + 1 < argc) {
            const char *b = argv[++i];
            if (strcmp(b, "guard") && strcmp(b, "explicit")) {
                cli_error("compile: --bounds takes 'guard' or 'explicit', not '%s'", b);
                return CLI_EXIT_USAGE;
            }
            o.cg.explicit_bounds = !strcmp(b, "explicit");
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return CLI_EXIT_OK;
        } else if (a[0] == '-' && a[1]) {
            cli_error("compile: unknown option '%s'", a);
            usage(stderr);
            return CLI_EXIT_USAGE;
        } else if (o.path) {
            cli_error("compile: one input file only ('%s' and '%s')", o.path, a);
            return CLI_EXIT_USAGE;
        } else {
            o.path = a;
        }
    }
    if (!o.path) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (o.stats && !verify_set)
        o.verify = false;  // time the pipeline, not the checker
    if ((o.out || o.emit_asm) && !o.codegen) {
        cli_error("compile: -o and --emit=asm need code generation (drop --no-codegen)");
        return CLI_EXIT_USAGE;
    }
    if (o.out && o.func) {
        cli_error("compile: -o writes the whole module (drop --func)");
        return CLI_EXIT_USAGE;
    }
    if (o.codegen && !o.cg.target) {
        cli_error("compile: no code generator for this machine (use --target or --no-codegen)");
        return CLI_EXIT_USAGE;
    }
    o.cg.cpu_features = !strcmp(cpu, "host") && o.cg.target == cli_target_host()
                            ? cli_host_features(o.cg.target)
                            : 0;
    uint8_t *bytes;
    size_t size;
    if (!cli_read_file(o.path, &bytes, &size))
        return CLI_EXIT_USAGE;
    int status;
    if (o.stats) {
        bool emit = o.emit_ir;
        o.emit_ir = false;
        status = print_stats(&o, bytes, size);
        if (status == CLI_EXIT_OK && emit) {
            CompileStats st;
            o.emit_ir = true;
            status = compile_module(&o, bytes, size, &st, true);
        }
    } else if (o.emit_ir || !(o.out || o.emit_asm)) {
        CompileStats st;
        status = compile_module(&o, bytes, size, &st, true);
    } else {
        status = CLI_EXIT_OK;
    }
    if (status == CLI_EXIT_OK && (o.out || o.emit_asm))
        status = emit_module(&o, bytes, size);
    free(bytes);
    return status;
}
