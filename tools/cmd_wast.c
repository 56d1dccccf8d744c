/*
 * `skua wast [options] FILE.wast|FILE.json`: runs a spec-test script with the harness in
 * spec-tests/ and prints one line per failing command, counts per command type, and the
 * plain last line "N passed, N failed, N skipped". A .wast file is converted with wabt's
 * wast2json into a temporary folder first; a .json file (wast2json's output) is read as is.
 * Modules are compiled by the whole compiler (the compile driver's hook) and run through the
 * embedding API; --validate-only decides only what the frontend can (no execution).
 * Exit status: 0 nothing failed, 1 something failed, 2 usage or I/O error.
 */
#include <stdio.h>
#include <string.h>

#include "spec-tests/wast.h"
#include "tools/cli.h"
#include "tools/compile_driver.h"

static void
wast_usage(FILE *to)
{
    fputs("usage: skua wast [options] FILE.wast|FILE.json\n"
          "\n"
          "Runs a WebAssembly spec-test script. A .wast file is converted with wabt's\n"
          "wast2json first; a .json file is wast2json's output (module files beside it).\n"
          "\n"
          "options:\n"
          "  --expected-failures FILE  commands listed in FILE (`file.wast:LINE  reason` or\n"
          "                            `file.wast:*  reason`) are expected to fail; a listed\n"
          "                            command that passes is a failure\n"
          "  --wast2json PROGRAM       the wast2json to run (default: wast2json from PATH)\n"
          "  --validate-only           only decode and validate modules (commands that need\n"
          "                            execution count as not run)\n"
          "  --explicit-bounds         compile memory accesses with explicit bounds checks\n"
          "                            instead of guard regions\n"
          "  --cpu host|base           compile for this machine's CPU features (default) or\n"
          "                            the baseline only (x86_64: SSE2)\n"
          "  -v, --verbose             print every command's outcome, not only failures, and\n"
          "                            what the spectest print functions print\n"
          "  -h, --help                print this help\n"
          "\n"
          "Exit status: 0 if no command failed, 1 if one failed, 2 on usage or I/O errors.\n",
          to);
}

static bool
has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* Prints the outcome of one command as "FILE:LINE: type: ...". */
static void
print_result(const char *file, const WastCommand *c, const WastResult *res)
{
    switch (res->outcome) {
    case WAST_OUT_FAIL:
        if (res->reason)
            printf("%s:%u: %s: %s (listed: %s)\n", file, c->line, c->type_name, res->message,
                   res->reason);
        else
            printf("%s:%u: %s: %s\n", file, c->line, c->type_name, res->message);
        break;
    case WAST_OUT_XFAIL:
        printf("%s:%u: %s: expected failure (%s): %s\n", file, c->line, c->type_name,
               res->reason, res->message);
        break;
    default:
        printf("%s:%u: %s: %s%s%s\n", file, c->line, c->type_name,
               wast_outcome_name(res->outcome), res->message ? ": " : "",
               res->message ? res->message : "");
        break;
    }
}

/* Prints the counts per command type (the types that occur) and the totals. */
static void
print_summary(const WastRun *run, const WastExpectList *expect)
{
    static const uint8_t cols[] = {WAST_OUT_PASS, WAST_OUT_FAIL, WAST_OUT_XFAIL, WAST_OUT_SKIP,
                                   WAST_OUT_NOT_RUN};
    printf("\n%-24s %8s %8s %8s %8s %8s\n", "command", "passed", "failed", "xfail", "skipped",
           "not-run");
    for (uint8_t k = 1; k < WAST_CMD_COUNT; k++) {
        uint32_t sum = 0;
        for (size_t j = 0; j < sizeof(cols); j++)
            sum += run->counts[k][cols[j]];
        if (!sum)
            continue;
        printf("%-24s", wast_cmd_kind_name(k));
        for (size_t j = 0; j < sizeof(cols); j++)
            printf(" %8u", run->counts[k][cols[j]]);
        printf("\n");
    }
    if (run->nproblems)
        printf("%-24s %8s %8u\n", "expected-failures list", "", run->nproblems);
    const uint32_t *t = run->totals;
    printf("\nnot run yet: %u (they need what the engine cannot do yet)\n",
           t[WAST_OUT_NOT_RUN]);
    if (t[WAST_OUT_XFAIL] || expect)
        printf("expected failures: %u\n", t[WAST_OUT_XFAIL]);
    printf("%u passed, %u failed, %u skipped\n", t[WAST_OUT_PASS], t[WAST_OUT_FAIL],
           t[WAST_OUT_SKIP] + t[WAST_OUT_NOT_RUN]);
}

/* The .wast base name that the expected-failures list uses for this script. */
static void
list_name(const char *display, char *buf, size_t size)
{
    const char *base = wast_basename(display);
    size_t n = strlen(base);
    if (has_suffix(base, ".json"))
        snprintf(buf, size, "%.*s.wast", (int)(n - 5), base);
    else
        snprintf(buf, size, "%s", base);
}

int
cli_cmd_wast(int argc, char **argv)
{
    const char *file = NULL, *expect_path = NULL, *wast2json = "wast2json";
    bool verbose = false, validate_only = false, explicit_bounds = false, base_cpu = false;
    uint64_t base_features = 0;  // the compile hook's features for --cpu base
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            wast_usage(stdout);
            return CLI_EXIT_OK;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            verbose = true;
        } else if (!strcmp(a, "--validate-only")) {
            validate_only = true;
        } else if (!strcmp(a, "--explicit-bounds")) {
            explicit_bounds = true;
        } else if (!strcmp(a, "--cpu") && i + 1 < argc) {
            const char *cpu = argv[++i];
            if (strcmp(cpu, "host") && strcmp(cpu, "base")) {
                cli_error("wast: --cpu takes 'host' or 'base', not '%s'", cpu);
                return CLI_EXIT_USAGE;
            }
            base_cpu = !strcmp(cpu, "base");
        } else if (!strcmp(a, "--expected-failures") || !strcmp(a, "--wast2json")) {
            if (i + 1 >= argc) {
                cli_error("wast: %s needs an argument", a);
                return CLI_EXIT_USAGE;
            }
            if (!strcmp(a, "--wast2json"))
                wast2json = argv[++i];
            else
                expect_path = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0' && strcmp(a, "--") != 0) {
            cli_error("wast: unknown option '%s'", a);
            wast_usage(stderr);
            return CLI_EXIT_USAGE;
        } else {
            if (!strcmp(a, "--") && i + 1 < argc)
                a = argv[++i];
            if (file) {
                cli_error("wast: one script at a time ('%s' and '%s')", file, a);
                return CLI_EXIT_USAGE;
            }
            file = a;
        }
    }
    if (!file) {
        wast_usage(stderr);
        return CLI_EXIT_USAGE;
    }

    int rc = CLI_EXIT_USAGE;
    SkDiag diag = {0};
    WastExpectList expect = {0};
    WastScript script = {0};
    WastSkua *skua = NULL;
    char tmpdir[WAST_PATH_SIZE] = "", json[WAST_PATH_SIZE];
    if (expect_path && !wast_expect_load(&expect, expect_path, &diag)) {
        cli_error("%s", diag.message);
        goto out;
    }
    const char *json_path = file;
    if (!has_suffix(file, ".json")) {
        if (!wast_convert(wast2json, file, tmpdir, json, &diag)) {
            cli_error("%s", diag.message);
            goto out;
        }
        json_path = json;
    }
    if (!wast_script_load(&script, json_path, &diag)) {
        cli_error("%s: %s", json_path, diag.message);
        goto out;
    }

    /* Name commands after the .wast file: the one given, or the one the JSON came from. */
    const char *display = file;
    if (json_path == file && script.source_filename && script.source_filename[0])
        display = script.source_filename;
    char base[WAST_PATH_SIZE];
    list_name(display, base, sizeof(base));

    WastEngine engine;
    if (validate_only) {
        wast_engine_frontend(&engine);
    } else {
        SkuaConfig cfg;
        skua_config_init(&cfg);
        cfg.compile = cli_compile_hook;
        cfg.explicit_bounds_checks = explicit_bounds;
        if (base_cpu)
            cfg.compile_user = &base_features;
        char msg[WAST_MSG_SIZE];
        skua = wast_skua_new(&cfg, verbose ? stdout : NULL, msg);
        if (!skua) {
            cli_error("wast: cannot create the engine: %s", msg);
            goto out;
        }
        wast_skua_engine(skua, &engine);
    }
    WastRunOptions opts = {
        .engine = &engine,
        .expect = expect_path ? &expect : NULL,
        .file = base,
    };
    WastRun run;
    wast_run(&script, &opts, &run);
    for (uint32_t i = 0; i < run.nresults; i++) {
        uint8_t out = run.results[i].outcome;
        if (verbose || out == WAST_OUT_FAIL || out == WAST_OUT_XFAIL)
            print_result(display, &script.cmds[i], &run.results[i]);
    }
    for (uint32_t i = 0; i < run.nproblems; i++)
        printf("%s:%u: expected-failures: %s\n", expect.path, run.problems[i].list_line,
               run.problems[i].message);
    print_summary(&run, opts.expect);
    rc = run.totals[WAST_OUT_FAIL] ? CLI_EXIT_BAD_INPUT : CLI_EXIT_OK;
    wast_run_free(&run);
out:
    wast_skua_free(skua);
    wast_script_free(&script);
    wast_expect_free(&expect);
    if (tmpdir[0])
        wast_tempdir_remove(tmpdir);
    fflush(stdout);
    return rc;
}
