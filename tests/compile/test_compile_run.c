/*
 * Compile and run: wasm modules go through the whole compiler (tools/compile_driver.c's hook:
 * frontend, IR passes, x86_64 code generator, compiled-module metadata) and the runtime
 * (embedding API: instantiate with the spectest module, call exports on a fiber, traps as
 * values). Checks results and trap kinds of calls, traps included, and that the compiled
 * module's metadata is what the runtime needs (exports, memory, table, elements, data,
 * globals, an import).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "runtime/skua.h"
#include "tools/compile_driver.h"

static uint8_t *
read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *size = (size_t)n;
    return b;
}

typedef struct Run {
    SkuaStore *store;
    SkuaInstance *inst;
} Run;

static SkuaFunc *
export_func(Run *r, const char *name)
{
    SkuaExtern e;
    if (!skua_instance_export(r->inst, name, strlen(name), &e) || e.kind != SKUA_EXTERN_FUNC) {
        fprintf(stderr, "no exported function %s\n", name);
        return NULL;
    }
    return e.of.func;
}

/* Calls `name`; returns the trap kind (SKUA_TRAP_NONE on success). */
static SkuaTrapKind
call(Run *r, const char *name, const SkuaVal *args, size_t nargs, SkuaVal *res, size_t nres)
{
    SkuaFunc *f = export_func(r, name);
    if (!f)
        return SKUA_TRAP_INTERNAL;
    SkuaError err;
    memset(&err, 0, sizeof(err));
    if (skua_func_call(r->store, f, args, nargs, res, nres, &err))
        return SKUA_TRAP_NONE;
    SkuaTrapKind k = err.kind == SKUA_ERROR_TRAP ? skua_trap_kind(err.trap) : SKUA_TRAP_INTERNAL;
    if (err.kind != SKUA_ERROR_TRAP)
        fprintf(stderr, "%s: %s\n", name, err.message);
    skua_error_clear(&err);
    return k;
}

static SkuaVal
I32(int32_t v)
{
    SkuaVal x = {.kind = SKUA_I32};
    x.of.i32 = v;
    return x;
}

static SkuaVal
I64(int64_t v)
{
    SkuaVal x = {.kind = SKUA_I64};
    x.of.i64 = v;
    return x;
}

static SkuaVal
F64(double v)
{
    SkuaVal x = {.kind = SKUA_F64};
    x.of.f64 = v;
    return x;
}

static void
test_basic(SkuaEngine *engine, const char *path)
{
    size_t size;
    uint8_t *wasm = read_all(path, &size);
    CHECK(wasm != NULL);
    if (!wasm)
        return;
    SkuaError err;
    memset(&err, 0, sizeof(err));
    SkuaModule *mod = skua_module_new(engine, wasm, size, &err);
    free(wasm);
    if (!mod) {
        fprintf(stderr, "compile: %s\n", err.message);
        CHECK(false);
        return;
    }
    Run r;
    r.store = skua_store_new(engine);
    SkuaLinker *linker = skua_linker_new(r.store);
    CHECK(skua_spectest_define(linker, NULL, &err));
    r.inst = skua_linker_instantiate(linker, mod, &err);
    if (!r.inst) {
        fprintf(stderr, "instantiate: %s\n", err.message);
        CHECK(false);
        return;
    }
    SkuaVal a[3], res[2];

    int64_t fac = 1;
    for (int n = 0; n <= 20; n++) {
        fac = n <= 1 ? 1 : fac * n;
        a[0] = I64(n);
        CHECK_EQ(call(&r, "fac", a, 1, res, 1), SKUA_TRAP_NONE);
        CHECK_EQ(res[0].of.i64, n <= 1 ? 1 : fac);
    }
    a[0] = I32(40);
    CHECK_EQ(call(&r, "fib", a, 1, res, 1), SKUA_TRAP_NONE);
    CHECK_EQ(res[0].of.i32, 102334155);
    a[0] = I32(16), a[1] = I32(4);
    CHECK_EQ(call(&r, "sum", a, 2, res, 1), SKUA_TRAP_NONE);
    CHECK_EQ(res[0].of.i64, 10);  // the data segment's 1 + 2 + 3 + 4

    a[1] = I32(30), a[2] = I32(12);
    a[0] = I32(0);
    CHECK_EQ(call(&r, "ci", a, 3, res, 1), SKUA_TRAP_NONE);
    CHECK_EQ(res[0].of.i32, 42);
    a[0] = I32(1);  // fib: another type
    CHECK_EQ(call(&r, "ci", a, 3, res, 1), SKUA_TRAP_INDIRECT_CALL_TYPE);
    a[0] = I32(2);  // a null entry
    CHECK_EQ(call(&r, "ci", a, 3, res, 1), SKUA_TRAP_UNINITIALIZED_ELEMENT);
    a[0] = I32(4);  // past the table
    CHECK_EQ(call(&r, "ci", a, 3, res, 1), SKUA_TRAP_UNDEFINED_ELEMENT);

    a[0] = I32(-7), a[1] = I32(2);
    CHECK_EQ(call(&r, "div", a, 2, res, 1), SKUA_TRAP_NONE);
    CHECK_EQ(res[0].of.i32, -3);
    a[1] = I32(0);
    CHECK_EQ(call(&r, "div", a, 2, res, 1), SKUA_TRAP_INT_DIV_ZERO);
    a[0] = I32(INT32_MIN), a[1] = I32(-1);
    CHECK_EQ(call(&r, "div", a, 2, res, 1), SKUA_TRAP_INT_OVERFLOW);
    CHECK_EQ(call(&r, "rem", a, 2, res, 1), SKUA_TRAP_NONE);
    CHECK_EQ(res[0].of.i32, 0);
    a[0] = F64(NAN);
    CHECK_EQ(call(&r, "trunc", a, 1, res, 1), SKUA_TRAP_BAD_CONVERSION);
    a[0] = F64(3e9);
    CHECK_EQ(call(&r, "trunc", a, 1, res, 1), SKUA_TRAP_INT_OVERFLOW);
    a[0] = F64(-2147483648.5);
    CHECK_EQ(call(&r, "trunc", a, 1, res, 1), SKUA_TRAP_NONE);
    CHECK_EQ(res[0].of.i32, INT32_MIN);

    a[0] = I32(7), a[1] = I64(-9);
    CHECK_EQ(call(&r, "swap", a, 2, res, 2), SKUA_TRAP_NONE);
    CHECK_EQ(res[0].of.i64, -9);
    CHECK_EQ(res[1].of.i32, 7);

    a[0] = I32(65533);
    CHECK_EQ(call(&r, "load", a, 1, res, 1), SKUA_TRAP_MEMORY_OOB);
    a[0] = I32(1);
    CHECK_EQ(call(&r, "grow", a, 1, res, 1), SKUA_TRAP_NONE);
    CHECK_EQ(res[0].of.i32, 1);
    CHECK_EQ(call(&r, "size", a, 0, res, 1), SKUA_TRAP_NONE);
    CHECK_EQ(res[0].of.i32, 2);
    a[0] = I32(65533);
    CHECK_EQ(call(&r, "load", a, 1, res, 1), SKUA_TRAP_NONE);
    a[0] = I32(10);
    CHECK_EQ(call(&r, "grow", a, 1, res, 1), SKUA_TRAP_NONE);
    CHECK_EQ(res[0].of.i32, -1);  // beyond the maximum of 4 pages

    a[0] = I64(0);
    CHECK_EQ(call(&r, "rec", a, 1, res, 1), SKUA_TRAP_STACK_EXHAUSTED);
    CHECK_EQ(call(&r, "unreachable", a, 0, res, 0), SKUA_TRAP_UNREACHABLE);
    a[0] = I64(5);
    CHECK_EQ(call(&r, "glob", a, 1, res, 1), SKUA_TRAP_NONE);
    CHECK_EQ(res[0].of.i64, 105);
    a[0] = I32(3);
    CHECK_EQ(call(&r, "print", a, 1, res, 0), SKUA_TRAP_NONE);
    a[0] = F64(-0.0), a[1] = F64(0.0);
    CHECK_EQ(call(&r, "fmin", a, 2, res, 1), SKUA_TRAP_NONE);
    CHECK(signbit(res[0].of.f64));

    /* Many traps in a row: each unwinds cleanly. */
    for (int i = 0; i < 1000; i++) {
        a[0] = I32(i), a[1] = I32(0);
        if (call(&r, "div", a, 2, res, 1) != SKUA_TRAP_INT_DIV_ZERO) {
            CHECK(false);
            break;
        }
    }
    skua_linker_delete(linker);
    skua_store_delete(r.store);
    skua_module_delete(mod);
}

int
main(void)
{
    if (!cli_target_host()) {
        fprintf(stderr, "no code generator for this machine\n");
        return SKIP;
    }
    char path[1024];
    snprintf(path, sizeof(path), "%s/basic.wasm", SKUA_COMPILE_TEST_DIR);
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        fprintf(stderr, "%s missing (wat2wasm not found at build time)\n", path);
        return SKIP;
    }
    fclose(probe);
    SkuaConfig cfg;
    skua_config_init(&cfg);
    cfg.compile = cli_compile_hook;
    SkuaError err;
    memset(&err, 0, sizeof(err));
    for (int mode = 0; mode < 2; mode++) {
        cfg.explicit_bounds_checks = mode == 1;
        SkuaEngine *engine = skua_engine_new(&cfg, &err);
        CHECK(engine != NULL);
        if (!engine)
            return check_exit();
        test_basic(engine, path);
        skua_engine_delete(engine);
    }
    return check_exit();
}
