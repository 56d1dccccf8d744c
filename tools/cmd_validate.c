/*
 * skua validate [--stats] FILE...: decode and validate WebAssembly modules with the frontend
 * (fe_module_decode + fe_module_validate_code). Exit status: 0 if every module is valid, 1
 * if any is malformed or invalid, 2 for usage or I/O errors. Errors go to stderr as
 *   FILE:0xOFFSET: error: MESSAGE (func N "name")
 * `--stats` also times decoding and validation, repeating the work until the measurement is
 * long enough (at least 5 runs and 0.5 s), and prints the medians. Times are the thread's
 * CPU time, so other processes on the machine do not inflate them; the wall-clock median is
 * printed too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frontend/frontend.h"
#include "tools/cli.h"

/* Minimum number of timed runs and minimum total time for --stats. */
#define STATS_MIN_RUNS 5
#define STATS_MIN_SECONDS 0.5
#define STATS_MAX_RUNS 1001

static double
clock_seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Wall-clock time, for deciding how long to keep measuring. */
static double
now_seconds(void)
{
    return clock_seconds(CLOCK_MONOTONIC);
}

/* CPU time of this thread: the work itself, not the time other processes held the CPU. */
static double
cpu_seconds(void)
{
    return clock_seconds(CLOCK_THREAD_CPUTIME_ID);
}

static int
compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double
median(double *v, size_t n)
{
    qsort(v, n, sizeof(*v), compare_doubles);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Times decode and validation of an already-validated module; prints the medians. */
static int
print_stats(const char *path, const uint8_t *bytes, size_t size, const FeModule *m)
{
    double *dec = malloc(STATS_MAX_RUNS * sizeof(double));
    double *val = malloc(STATS_MAX_RUNS * sizeof(double));
    double *tot = malloc(STATS_MAX_RUNS * sizeof(double));
    double *wall = malloc(STATS_MAX_RUNS * sizeof(double));
    int status = CLI_EXIT_OK;
    size_t runs = 0;
    double start = now_seconds();
    while (dec && val && tot && wall && runs < STATS_MAX_RUNS &&
           (runs < STATS_MIN_RUNS || now_seconds() - start < STATS_MIN_SECONDS)) {
        FeModule *mm;
        SkDiag d;
        double w0 = now_seconds(), t0 = cpu_seconds();
        bool ok = fe_module_decode(bytes, size, NULL, &mm, &d);
        if (ok)
            mm->no_hints = true;  // validation only: no translator hints
        double t1 = cpu_seconds();
        ok = ok && fe_module_validate_code(mm, &d);
        double t2 = cpu_seconds(), w2 = now_seconds();
        fe_module_free(mm);  // NULL if decoding failed
        if (!ok) {
            cli_error("%s: validation result changed between runs", path);
            status = CLI_EXIT_BAD_INPUT;
            break;
        }
        dec[runs] = t1 - t0;
        val[runs] = t2 - t1;
        tot[runs] = t2 - t0;
        wall[runs] = w2 - w0;
        runs++;
    }
    if (runs > 0 && status == CLI_EXIT_OK) {
        double md = median(dec, runs), mv = median(val, runs), mt = median(tot, runs);
        double mw = median(wall, runs);
        printf("  module size   %zu bytes (code section %u bytes, %u functions, %u imported)\n",
               size, m->code_section_size, m->nfuncs, m->nimported_funcs);
        printf("  decode        %.3f ms\n", md * 1e3);
        printf("  validate      %.3f ms\n", mv * 1e3);
        printf("  total         %.3f ms, %.1f MB/s (1 MB = 10^6 bytes)\n", mt * 1e3,
               mt > 0 ? (double)size / mt / 1e6 : 0.0);
        printf("  (medians of %zu runs, thread CPU time; wall clock %.3f ms, %.1f MB/s)\n", runs,
               mw * 1e3, mw > 0 ? (double)size / mw / 1e6 : 0.0);
    } else if (status == CLI_EXIT_OK) {
        cli_error("out of memory");
        status = CLI_EXIT_USAGE;
    }
    free(dec);
    free(val);
    free(tot);
    free(wall);
    return status;
}

static int
validate_file(const char *path, bool stats)
{
    uint8_t *bytes;
    size_t size;
    if (!cli_read_file(path, &bytes, &size))
        return CLI_EXIT_USAGE;
    FeModule *m;
    SkDiag d;
    int status = CLI_EXIT_OK;
    bool decoded = fe_module_decode(bytes, size, NULL, &m, &d);
    if (decoded)
        m->no_hints = true;  // validation only: no translator hints
    if (!decoded) {
        cli_diag_print(path, NULL, &d);
        status = d.kind == SK_DIAG_OUT_OF_MEMORY ? CLI_EXIT_USAGE : CLI_EXIT_BAD_INPUT;
    } else if (!fe_module_validate_code(m, &d)) {
        cli_diag_print(path, m, &d);
        status = d.kind == SK_DIAG_OUT_OF_MEMORY ? CLI_EXIT_USAGE : CLI_EXIT_BAD_INPUT;
    } else {
        printf("%s: valid\n", path);
        if (stats)
            status = print_stats(path, bytes, size, m);
    }
    fe_module_free(m);
    free(bytes);
    return status;
}

static void
usage(FILE *to)
{
    fputs("usage: skua validate [--stats] FILE...\n"
          "Decodes and validates WebAssembly 2.0 binary modules.\n"
          "  --stats   also print sizes, decode/validate time and throughput\n"
          "Exit status: 0 all valid, 1 a module is malformed or invalid, 2 usage or I/O "
          "error.\n",
          to);
}

int
cli_cmd_validate(int argc, char **argv)
{
    bool stats = false;
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--stats")) {
            stats = true;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return CLI_EXIT_OK;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            cli_error("validate: unknown option '%s'", argv[i]);
            usage(stderr);
            return CLI_EXIT_USAGE;
        } else {
            nfiles++;
        }
    }
    if (nfiles == 0) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    int status = CLI_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            continue;
        int s = validate_file(argv[i], stats);
        if (s > status)
            status = s;
    }
    return status;
}
