/*
 * skua's side of the differential fuzzer (tests/difffuzz/difffuzz.py): compiles one module
 * through the compile driver's hook, instantiates it with the host functions binaryen's
 * translate-to-fuzz modules import ("fuzzing-support" "log-i32" ... "log-v128"), then runs
 * a plan of export calls in one instance, in order, and prints every observable event with
 * exact bits, for difffuzz.py to turn into a wast script that wabt's interpreter checks.
 *
 *   difffuzz_run [--explicit-bounds] [--cpu base] --list MODULE.wasm
 *       prints "export NAMEHEX PARAMS RESULTS" per exported function (types as letters
 *       i I f F v for i32 i64 f32 f64 v128, r for references, "-" for none)
 *   difffuzz_run [--explicit-bounds] [--cpu base] MODULE.wasm PLAN
 *       PLAN: one call per line, "NAMEHEX ARG...", ARG = TYPE:HEXBITS (i32:0000002a,
 *       f64:3ff0000000000000, v128:32 hex digits, little-endian byte order as in memory).
 *       Prints per call "call K", then one "log TYPE:HEXBITS" per host log call, then
 *       "result TYPE:HEXBITS..." (references: "ref:null" / "ref:nonnull"), "trap MESSAGE"
 *       (the spec's wording), "exhausted" or "internal MESSAGE".
 *
 * Exit status: 0 when the plan ran (traps included), 3 when skua refused the module (compile
 * or link error: "error ..." on stdout), 2 on usage or I/O errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/cmodule.h"
#include "runtime/skua.h"
#include "tools/compile_driver.h"

/* ---- values as text ---------------------------------------------------------------------- */

static char
kind_letter(uint8_t kind)
{
    switch (kind) {
    case SKUA_I32: return 'i';
    case SKUA_I64: return 'I';
    case SKUA_F32: return 'f';
    case SKUA_F64: return 'F';
    case SKUA_V128: return 'v';
    default: return 'r';
    }
}

static void
print_value(const SkuaVal *v)
{
    switch (v->kind) {
    case SKUA_I32: printf("i32:%08x", (uint32_t)v->of.i32); break;
    case SKUA_I64: printf("i64:%016llx", (unsigned long long)v->of.i64); break;
    case SKUA_F32: printf("f32:%08x", v->of.f32_bits); break;
    case SKUA_F64: printf("f64:%016llx", (unsigned long long)v->of.f64_bits); break;
    case SKUA_V128:
        printf("v128:");
        for (int i = 0; i < 16; i++)
            printf("%02x", v->of.v128[i]);
        break;
    case SKUA_FUNCREF: printf("ref:%s", v->of.funcref ? "nonnull" : "null"); break;
    default: printf("ref:%s", v->of.externref ? "nonnull" : "null"); break;
    }
}

static int
hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes `n` hex digits into a big-endian number (n <= 16). */
static bool
parse_hex(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        int d = hex_digit(s[i]);
        if (d < 0)
            return false;
        v = v << 4 | (uint64_t)d;
    }
    *out = v;
    return s[n] == 0;
}

/* Parses "TYPE:HEX" for a parameter of kind `kind`. */
static bool
parse_arg(const char *s, uint8_t kind, SkuaVal *out)
{
    memset(out, 0, sizeof(*out));
    out->kind = kind;
    uint64_t v;
    switch (kind) {
    case SKUA_I32:
        if (strncmp(s, "i32:", 4) || !parse_hex(s + 4, 8, &v))
            return false;
        out->of.i32 = (int32_t)(uint32_t)v;
        return true;
    case SKUA_I64:
        if (strncmp(s, "i64:", 4) || !parse_hex(s + 4, 16, &v))
            return false;
        out->of.i64 = (int64_t)v;
        return true;
    case SKUA_F32:
        if (strncmp(s, "f32:", 4) || !parse_hex(s + 4, 8, &v))
            return false;
        out->of.f32_bits = (uint32_t)v;
        return true;
    case SKUA_F64:
        if (strncmp(s, "f64:", 4) || !parse_hex(s + 4, 16, &v))
            return false;
        out->of.f64_bits = v;
        return true;
    case SKUA_V128:
        if (strncmp(s, "v128:", 5) || strlen(s + 5) != 32)
            return false;
        for (int i = 0; i < 16; i++) {
            int hi = hex_digit(s[5 + 2 * i]), lo = hex_digit(s[6 + 2 * i]);
            if (hi < 0 || lo < 0)
                return false;
            out->of.v128[i] = (uint8_t)(hi << 4 | lo);
        }
        return true;
    default:
        return !strcmp(s, "ref:null");  // references: only null is passed
    }
}

/* ---- the fuzzing-support host functions --------------------------------------------------- */

static SkuaTrap *
host_log(void *env, SkuaCaller *caller, const SkuaVal *args, size_t nargs, SkuaVal *results,
         size_t nresults)
{
    (void)env;
    (void)caller;
    (void)results;
    (void)nresults;
    for (size_t i = 0; i < nargs; i++) {
        printf("log ");
        print_value(&args[i]);
        printf("\n");
    }
    return NULL;
}

typedef struct LogImport {
    const char *name;
    uint8_t kind;
} LogImport;

static const LogImport log_imports[] = {
    {"log-i32", SKUA_I32}, {"log-i64", SKUA_I64}, {"log-f32", SKUA_F32},
    {"log-f64", SKUA_F64}, {"log-v128", SKUA_V128},
};

/* Defines every import of `module` that is a known fuzzing-support log function; false (with
 * a message printed) for any other import. */
static bool
define_imports(SkuaStore *store, SkuaLinker *linker, SkuaModule *module)
{
    for (size_t i = 0; i < skua_module_import_count(module); i++) {
        SkuaImportDesc d = skua_module_import(module, i);
        const LogImport *li = NULL;
        if (d.kind == SKUA_EXTERN_FUNC && d.module_len == 15 &&
            !memcmp(d.module, "fuzzing-support", 15))
            for (size_t k = 0; k < sizeof(log_imports) / sizeof(log_imports[0]); k++)
                if (strlen(log_imports[k].name) == d.name_len &&
                    !memcmp(log_imports[k].name, d.name, d.name_len))
                    li = &log_imports[k];
        if (!li) {
            printf("error unsupported import %.*s.%.*s\n", (int)d.module_len, d.module,
                   (int)d.name_len, d.name);
            return false;
        }
        SkuaError err;
        memset(&err, 0, sizeof(err));
        SkuaFunc *f = skua_func_new(store, &li->kind, 1, NULL, 0, host_log, NULL, NULL, &err);
        SkuaExtern ext = {.kind = SKUA_EXTERN_FUNC, .of.func = f};
        if (!f || !skua_linker_define(linker, d.module, d.module_len, d.name, d.name_len, ext,
                                      &err)) {
            printf("error defining an import: %s\n", err.message);
            return false;
        }
    }
    return true;
}

/* ---- calls ------------------------------------------------------------------------------------ */

#define MAX_VALUES 64

/* Runs one plan line: "NAMEHEX ARG...". */
static bool
run_call(SkuaStore *store, SkuaInstance *inst, char *line, unsigned k)
{
    char *save = NULL;
    char *hex = strtok_r(line, " \t\r\n", &save);
    if (!hex || strlen(hex) % 2)
        return false;
    char name[256];
    size_t len = strlen(hex) / 2;
    if (len >= sizeof(name))
        return false;
    for (size_t i = 0; i < len; i++) {
        int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        name[i] = (char)(hi << 4 | lo);
    }
    SkuaExtern e;
    if (!skua_instance_export(inst, name, len, &e) || e.kind != SKUA_EXTERN_FUNC)
        return false;
    const uint8_t *params, *results;
    size_t nparams, nresults;
    skua_func_type(store, e.of.func, &params, &nparams, &results, &nresults);
    if (nparams > MAX_VALUES || nresults > MAX_VALUES)
        return false;
    SkuaVal args[MAX_VALUES], res[MAX_VALUES];
    for (size_t i = 0; i < nparams; i++) {
        const char *a = strtok_r(NULL, " \t\r\n", &save);
        if (!a || !parse_arg(a, params[i], &args[i]))
            return false;
    }
    if (strtok_r(NULL, " \t\r\n", &save))
        return false;
    printf("call %u\n", k);
    SkuaError err;
    memset(&err, 0, sizeof(err));
    if (skua_func_call(store, e.of.func, args, nparams, res, nresults, &err)) {
        printf("result");
        for (size_t i = 0; i < nresults; i++) {
            printf(" ");
            print_value(&res[i]);
        }
        printf("\n");
    } else if (err.kind == SKUA_ERROR_TRAP) {
        SkuaTrapKind tk = skua_trap_kind(err.trap);
        if (tk == SKUA_TRAP_STACK_EXHAUSTED)
            printf("exhausted\n");
        else if (tk == SKUA_TRAP_INTERNAL || tk == SKUA_TRAP_HOST || tk == SKUA_TRAP_EXIT)
            printf("internal %s\n", skua_trap_message(err.trap));
        else
            printf("trap %s\n", skua_trap_message(err.trap));
    } else {
        printf("internal %s\n", err.message);
    }
    skua_error_clear(&err);
    fflush(stdout);
    return true;
}

static void
list_exports(SkuaStore *store, SkuaInstance *inst)
{
    for (size_t i = 0; i < skua_instance_export_count(inst); i++) {
        SkuaExportDesc d;
        SkuaExtern e = skua_instance_export_at(inst, i, &d);
        if (e.kind != SKUA_EXTERN_FUNC)
            continue;
        const uint8_t *params, *results;
        size_t nparams, nresults;
        skua_func_type(store, e.of.func, &params, &nparams, &results, &nresults);
        printf("export ");
        for (size_t k = 0; k < d.name_len; k++)
            printf("%02x", (unsigned char)d.name[k]);
        printf(" ");
        for (size_t k = 0; k < nparams; k++)
            printf("%c", kind_letter(params[k]));
        printf("%s ", nparams ? "" : "-");
        for (size_t k = 0; k < nresults; k++)
            printf("%c", kind_letter(results[k]));
        printf("%s\n", nresults ? "" : "-");
    }
}

static uint8_t *
read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *b = NULL;
    long n = -1;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (b = malloc((size_t)n + 1)) && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *size = (size_t)n;
    return b;
}

int
main(int argc, char **argv)
{
    bool list = false, explicit_bounds = false, base_cpu = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--list"))
            list = true;
        else if (!strcmp(argv[i], "--explicit-bounds"))
            explicit_bounds = true;
        else if (!strcmp(argv[i], "--cpu") && i + 1 < argc && !strcmp(argv[i + 1], "base"))
            base_cpu = true, i++;
        else
            break;
    }
    if (argc - i != (list ? 1 : 2)) {
        fprintf(stderr, "usage: difffuzz_run [--explicit-bounds] [--cpu base] "
                        "(--list MODULE.wasm | MODULE.wasm PLAN)\n");
        return 2;
    }
    size_t size = 0;
    uint8_t *wasm = read_file(argv[i], &size);
    FILE *plan = list ? NULL : fopen(argv[i + 1], "r");
    if (!wasm || (!list && !plan)) {
        fprintf(stderr, "difffuzz_run: cannot read %s\n", wasm ? argv[i + 1] : argv[i]);
        return 2;
    }

    SkuaConfig cfg;
    skua_config_init(&cfg);
    cfg.compile = cli_compile_hook;
    uint64_t base_features = 0;  // RT_CPU_* none: baseline x86-64 with SSE2
    cfg.compile_user = base_cpu ? &base_features : NULL;
    cfg.explicit_bounds_checks = explicit_bounds;
    SkuaError err;
    memset(&err, 0, sizeof(err));
    SkuaEngine *engine = skua_engine_new(&cfg, &err);
    if (!engine) {
        fprintf(stderr, "difffuzz_run: %s\n", err.message);
        return 2;
    }
    int status = 0;
    SkuaStore *store = skua_store_new(engine);
    SkuaLinker *linker = skua_linker_new(store);
    SkuaModule *module = skua_module_new(engine, wasm, size, &err);
    SkuaInstance *inst = NULL;
    if (!module) {
        printf("error compile: %s\n", err.message);
        status = 3;
    } else if (!define_imports(store, linker, module)) {
        status = 3;
    } else if (!(inst = skua_linker_instantiate(linker, module, &err))) {
        if (err.kind == SKUA_ERROR_TRAP)
            printf("instantiate trap %s\n", skua_trap_message(err.trap));
        else
            printf("error instantiate: %s\n", err.message);
        status = err.kind == SKUA_ERROR_TRAP ? 0 : 3;
    } else if (list) {
        list_exports(store, inst);
    } else {
        char line[8192];
        unsigned k = 0;
        while (fgets(line, sizeof(line), plan)) {
            if (!run_call(store, inst, line, k++)) {
                fprintf(stderr, "difffuzz_run: bad plan line %u\n", k);
                status = 2;
                break;
            }
        }
    }
    skua_error_clear(&err);
    fflush(stdout);
    if (plan)
        fclose(plan);
    skua_linker_delete(linker);
    skua_store_delete(store);
    if (module)
        skua_module_delete(module);
    skua_engine_delete(engine);
    free(wasm);
    return status;
}
