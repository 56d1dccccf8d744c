/*
 * Host for a Sightglass program translated by wabt's wasm2c (1.0.32 naming, module name
 * "prog"): main() plus the two import modules the programs use, "bench" (start/end, timed
 * here with CLOCK_MONOTONIC) and "wasi_snapshot_preview1" (every preview1 import, each one
 * forwarding to skua's own WASI core in runtime/wasi/, so no second WASI exists).
 *
 * bench/run.py compiles this file once per program with gcc -O2, beside the generated
 * prog.c/prog.h and a generated prog_imports.h that defines PROG_IMPORT_ARGS (the import
 * instances in the order Z_prog_instantiate takes them), and links skua's WASI sources and
 * wabt's libwasm-rt-impl.a. Usage of the resulting executable:
 *
 *   prog [--timing FILE] [--dir HOST::GUEST]... [--env K=V]... [--] ARGV0 [ARGS...]
 *
 * --timing writes one JSON line {"bench_ns": N, "pairs": K} at exit: N is the sum over the
 * K bench.start -> bench.end intervals. The exit status is the guest's proc_exit code (0
 * when _start returns), 134 after a trap (reported on stderr as "wasm trap: KIND"), 2 on a
 * usage or setup error.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "prog.h"
#include "prog_imports.h"
#include "runtime/wasi/wasi.h"
#include "wasm-rt-impl.h"

/* The "bench" import module: accumulated time between start and end. */
struct Z_bench_instance_t {
    uint64_t started_ns; // CLOCK_MONOTONIC at the last bench.start, 0 when none is open
    uint64_t total_ns;   // sum of the closed intervals
    uint32_t npairs;     // number of closed intervals
};

/* The "wasi_snapshot_preview1" import module: skua's WASI context and the guest memory. */
struct Z_wasi_snapshot_preview1_instance_t {
    WasiCtx *ctx;
    wasm_rt_memory_t *mem; // set right after instantiation (the exported "memory")
    jmp_buf exit_jmp;      // proc_exit jumps back to main through this
};

typedef struct Z_wasi_snapshot_preview1_instance_t WasiHost;

/* Forward declarations of every import this file defines (the program may use a subset). */
void Z_benchZ_start(struct Z_bench_instance_t *b);
void Z_benchZ_end(struct Z_bench_instance_t *b);

static uint64_t
now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void
Z_benchZ_start(struct Z_bench_instance_t *b)
{
    b->started_ns = now_ns();
}

/* Closes the interval opened by the last bench.start; an end without a start is ignored. */
void
Z_benchZ_end(struct Z_bench_instance_t *b)
{
    uint64_t t = now_ns();
    if (b->started_ns) {
        b->total_ns += t - b->started_ns;
        b->npairs++;
        b->started_ns = 0;
    }
}

/* The WASI core's view of guest memory: base and size, (NULL, 0) before instantiation. */
#define MEM(w) (w)->ctx, (w)->mem ? (w)->mem->data : NULL, (w)->mem ? (uint64_t)(w)->mem->size : 0

/*
 * One forwarding function per preview1 import. wasm2c passes i32 as u32 and i64 as u64 and
 * expects the errno as the u32 result. The parameter lists follow the table in
 * runtime/wasi/imports.c (i = i32, I = i64).
 */
#define WASI_FN(name, params, args)                                                          \
    u32 Z_wasi_snapshot_preview1Z_##name params;                                             \
    u32 Z_wasi_snapshot_preview1Z_##name params { return wasi_##name args; }

typedef WasiHost W;
WASI_FN(args_get, (W *w, u32 a, u32 b), (MEM(w), a, b))
WASI_FN(args_sizes_get, (W *w, u32 a, u32 b), (MEM(w), a, b))
WASI_FN(clock_res_get, (W *w, u32 a, u32 b), (MEM(w), a, b))
WASI_FN(clock_time_get, (W *w, u32 a, u64 b, u32 c), (MEM(w), a, b, c))
WASI_FN(environ_get, (W *w, u32 a, u32 b), (MEM(w), a, b))
WASI_FN(environ_sizes_get, (W *w, u32 a, u32 b), (MEM(w), a, b))
WASI_FN(fd_advise, (W *w, u32 a, u64 b, u64 c, u32 d), (MEM(w), a, b, c, d))
WASI_FN(fd_allocate, (W *w, u32 a, u64 b, u64 c), (MEM(w), a, b, c))
WASI_FN(fd_close, (W *w, u32 a), (MEM(w), a))
WASI_FN(fd_datasync, (W *w, u32 a), (MEM(w), a))
WASI_FN(fd_fdstat_get, (W *w, u32 a, u32 b), (MEM(w), a, b))
WASI_FN(fd_fdstat_set_flags, (W *w, u32 a, u32 b), (MEM(w), a, b))
WASI_FN(fd_fdstat_set_rights, (W *w, u32 a, u64 b, u64 c), (MEM(w), a, b, c))
WASI_FN(fd_filestat_get, (W *w, u32 a, u32 b), (MEM(w), a, b))
WASI_FN(fd_filestat_set_size, (W *w, u32 a, u64 b), (MEM(w), a, b))
WASI_FN(fd_filestat_set_times, (W *w, u32 a, u64 b, u64 c, u32 d), (MEM(w), a, b, c, d))
WASI_FN(fd_pread, (W *w, u32 a, u32 b, u32 c, u64 d, u32 e), (MEM(w), a, b, c, d, e))
WASI_FN(fd_prestat_dir_name, (W *w, u32 a, u32 b, u32 c), (MEM(w), a, b, c))
WASI_FN(fd_prestat_get, (W *w, u32 a, u32 b), (MEM(w), a, b))
WASI_FN(fd_pwrite, (W *w, u32 a, u32 b, u32 c, u64 d, u32 e), (MEM(w), a, b, c, d, e))
WASI_FN(fd_read, (W *w, u32 a, u32 b, u32 c, u32 d), (MEM(w), a, b, c, d))
WASI_FN(fd_readdir, (W *w, u32 a, u32 b, u32 c, u64 d, u32 e), (MEM(w), a, b, c, d, e))
WASI_FN(fd_renumber, (W *w, u32 a, u32 b), (MEM(w), a, b))
WASI_FN(fd_seek, (W *w, u32 a, u64 b, u32 c, u32 d), (MEM(w), a, (int64_t)b, c, d))
WASI_FN(fd_sync, (W *w, u32 a), (MEM(w), a))
WASI_FN(fd_tell, (W *w, u32 a, u32 b), (MEM(w), a, b))
WASI_FN(fd_write, (W *w, u32 a, u32 b, u32 c, u32 d), (MEM(w), a, b, c, d))
WASI_FN(path_create_directory, (W *w, u32 a, u32 b, u32 c), (MEM(w), a, b, c))
WASI_FN(path_filestat_get, (W *w, u32 a, u32 b, u32 c, u32 d, u32 e), (MEM(w), a, b, c, d, e))
WASI_FN(path_filestat_set_times, (W *w, u32 a, u32 b, u32 c, u32 d, u64 e, u64 f, u32 g),
        (MEM(w), a, b, c, d, e, f, g))
WASI_FN(path_link, (W *w, u32 a, u32 b, u32 c, u32 d, u32 e, u32 f, u32 g),
        (MEM(w), a, b, c, d, e, f, g))
WASI_FN(path_open, (W *w, u32 a, u32 b, u32 c, u32 d, u32 e, u64 f, u64 g, u32 h, u32 i),
        (MEM(w), a, b, c, d, e, f, g, h, i))
WASI_FN(path_readlink, (W *w, u32 a, u32 b, u32 c, u32 d, u32 e, u32 f),
        (MEM(w), a, b, c, d, e, f))
WASI_FN(path_remove_directory, (W *w, u32 a, u32 b, u32 c), (MEM(w), a, b, c))
WASI_FN(path_rename, (W *w, u32 a, u32 b, u32 c, u32 d, u32 e, u32 f),
        (MEM(w), a, b, c, d, e, f))
WASI_FN(path_symlink, (W *w, u32 a, u32 b, u32 c, u32 d, u32 e), (MEM(w), a, b, c, d, e))
WASI_FN(path_unlink_file, (W *w, u32 a, u32 b, u32 c), (MEM(w), a, b, c))
WASI_FN(poll_oneoff, (W *w, u32 a, u32 b, u32 c, u32 d), (MEM(w), a, b, c, d))
WASI_FN(proc_raise, (W *w, u32 a), (MEM(w), a))
WASI_FN(random_get, (W *w, u32 a, u32 b), (MEM(w), a, b))
WASI_FN(sched_yield, (W *w), (MEM(w)))
WASI_FN(sock_accept, (W *w, u32 a, u32 b, u32 c), (MEM(w), a, b, c))
WASI_FN(sock_recv, (W *w, u32 a, u32 b, u32 c, u32 d, u32 e, u32 f), (MEM(w), a, b, c, d, e, f))
WASI_FN(sock_send, (W *w, u32 a, u32 b, u32 c, u32 d, u32 e), (MEM(w), a, b, c, d, e))
WASI_FN(sock_shutdown, (W *w, u32 a, u32 b), (MEM(w), a, b))

void Z_wasi_snapshot_preview1Z_proc_exit(W *w, u32 code);

/* Records the exit code and leaves the guest for good: no more guest code runs. */
void
Z_wasi_snapshot_preview1Z_proc_exit(W *w, u32 code)
{
    wasi_proc_exit(MEM(w), code);
    longjmp(w->exit_jmp, 1);
}

/* Writes the bench.start/end figures to path as one JSON line; false on an I/O error. */
static bool
write_timing(const char *path, const struct Z_bench_instance_t *b)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    fprintf(f, "{\"bench_ns\": %llu, \"pairs\": %u}\n", (unsigned long long)b->total_ns,
            b->npairs);
    return fclose(f) == 0;
}

static void
usage(void)
{
    fputs("usage: prog [--timing FILE] [--dir HOST::GUEST]... [--env K=V]... [--] ARGV0 "
          "[ARGS...]\n",
          stderr);
}

/* Static so that the (large) instance is not on the stack and survives the longjmps. */
static Z_prog_instance_t prog_inst;
static struct Z_bench_instance_t bench_inst;
static WasiHost wasi_inst;
static const char *timing_path; // --timing FILE, or NULL

int
main(int argc, char **argv)
{
    const char **envs = calloc((size_t)argc + 1, sizeof(char *));
    size_t nenv = 0;
    int i = 1;

    signal(SIGPIPE, SIG_IGN); // a write to a closed pipe must give WASI_ERRNO_PIPE
    wasi_inst.ctx = wasi_ctx_new();
    if (!envs || !wasi_inst.ctx) {
        fputs("prog: out of memory\n", stderr);
        return 2;
    }
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "--timing") && i + 1 < argc) {
            timing_path = argv[++i];
        } else if (!strcmp(argv[i], "--dir") && i + 1 < argc) {
            char *spec = argv[++i], *sep = strstr(spec, "::");
            const char *guest = sep ? sep + 2 : spec;
            if (sep)
                *sep = '\0';
            int err = wasi_ctx_preopen_dir(wasi_inst.ctx, spec, guest);
            if (err) {
                fprintf(stderr, "prog: --dir %s: %s\n", spec, strerror(err));
                return 2;
            }
        } else if (!strcmp(argv[i], "--env") && i + 1 < argc) {
            envs[nenv++] = argv[++i];
        } else if (!strcmp(argv[i], "--")) {
            i++;
            break;
        } else if (argv[i][0] == '-') {
            usage();
            return 2;
        } else {
            break;
        }
    }
    if (i >= argc) {
        usage();
        return 2;
    }
    if (!wasi_ctx_set_args(wasi_inst.ctx, (size_t)(argc - i), (const char *const *)argv + i) ||
        !wasi_ctx_set_env(wasi_inst.ctx, nenv, envs)) {
        fputs("prog: out of memory\n", stderr);
        return 2;
    }

    wasm_rt_init();
    Z_prog_init_module();
    Z_prog_instantiate(&prog_inst, PROG_IMPORT_ARGS);
    wasi_inst.mem = Z_progZ_memory(&prog_inst);

    int code = 0;
    if (setjmp(wasi_inst.exit_jmp) == 0) {
        wasm_rt_trap_t trap = (wasm_rt_trap_t)wasm_rt_impl_try();
        if (trap != WASM_RT_TRAP_NONE) {
            fprintf(stderr, "wasm trap: %s\n", wasm_rt_strerror(trap));
            code = 134;
        } else {
            Z_progZ__start(&prog_inst);
        }
    } else {
        uint32_t c = 0;
        wasi_ctx_has_exited(wasi_inst.ctx, &c);
        code = (int)c;
    }
    fflush(stdout);
    if (timing_path && !write_timing(timing_path, &bench_inst)) {
        fprintf(stderr, "prog: cannot write %s\n", timing_path);
        code = code ? code : 2;
    }
    Z_prog_free(&prog_inst);
    wasm_rt_free();
    wasi_ctx_free(wasi_inst.ctx);
    free(envs);
    return code;
}
