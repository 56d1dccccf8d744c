/*
 * The WASI glue through the embedding API: every preview1 import is defined in a linker with
 * its exact signature, calls reach the core with their arguments, a call without a calling
 * instance has no memory (FAULT), and proc_exit unwinds as an exit trap carrying the code.
 * (Calls from compiled wasm, with the caller's memory, are covered end to end by tests/wasi.)
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "runtime/wasi/wasi_glue.h"

static SkuaFunc *
get_func(SkuaLinker *linker, const char *name)
{
    SkuaExtern ext;
    if (!skua_linker_get(linker, WASI_MODULE_NAME, strlen(WASI_MODULE_NAME), name, strlen(name),
                         &ext) ||
        ext.kind != SKUA_EXTERN_FUNC)
        return NULL;
    return ext.of.func;
}

static SkuaVal
i32(int32_t v)
{
    SkuaVal x;
    memset(&x, 0, sizeof(x));
    x.kind = SKUA_I32;
    x.of.i32 = v;
    return x;
}

static SkuaVal
i64(int64_t v)
{
    SkuaVal x;
    memset(&x, 0, sizeof(x));
    x.kind = SKUA_I64;
    x.of.i64 = v;
    return x;
}

int
main(void)
{
    SkuaConfig cfg;
    skua_config_init(&cfg);
    SkuaError err;
    memset(&err, 0, sizeof(err));
    SkuaEngine *engine = skua_engine_new(&cfg, &err);
    if (!engine) {
        fprintf(stderr, "engine: %s\n", err.message);
        return SKIP;
    }
    SkuaStore *store = skua_store_new(engine);
    SkuaLinker *linker = skua_linker_new(store);
    WasiCtx *ctx = wasi_ctx_new();
    CHECK(store && linker && ctx);
    CHECK(wasi_linker_define(linker, ctx, &err));

    /* every import is there with the table's signature */
    for (size_t i = 0; i < wasi_nimports; i++) {
        const WasiImport *imp = &wasi_imports[i];
        SkuaFunc *f = get_func(linker, imp->name);
        CHECK(f != NULL);
        if (!f)
            continue;
        const uint8_t *params, *results;
        size_t nparams, nresults;
        skua_func_type(store, f, &params, &nparams, &results, &nresults);
        CHECK_EQ(nparams, strlen(imp->params));
        CHECK_EQ(nresults, strlen(imp->results));
        for (size_t k = 0; k < nparams && k < strlen(imp->params); k++)
            CHECK_EQ(params[k], imp->params[k] == 'I' ? SKUA_I64 : SKUA_I32);
        if (nresults == 1)
            CHECK_EQ(results[0], SKUA_I32);
    }

    /* a call with no calling instance: no memory, so pointers are out of bounds */
    SkuaVal res[1];
    SkuaVal args[4] = {i32(1), i32(0), i32(0), i32(0)};
    CHECK(skua_func_call(store, get_func(linker, "fd_write"), args, 4, res, 1, &err));
    CHECK_EQ(res[0].kind, SKUA_I32);
    CHECK_EQ(res[0].of.i32, WASI_ERRNO_FAULT);
    SkuaVal targs[3] = {i32(WASI_CLOCK_MONOTONIC), i64(1), i32(0)};
    CHECK(skua_func_call(store, get_func(linker, "clock_time_get"), targs, 3, res, 1, &err));
    CHECK_EQ(res[0].of.i32, WASI_ERRNO_FAULT);
    /* calls that need no memory work; an i64 argument arrives whole */
    CHECK(skua_func_call(store, get_func(linker, "sched_yield"), NULL, 0, res, 1, &err));
    CHECK_EQ(res[0].of.i32, 0);
    SkuaVal rargs[3] = {i32(1), i64((int64_t)WASI_RIGHTS_ALL << 1), i64(0)};
    CHECK(skua_func_call(store, get_func(linker, "fd_fdstat_set_rights"), rargs, 3, res, 1,
                         &err));
    CHECK_EQ(res[0].of.i32, WASI_ERRNO_NOTCAPABLE); // a right beyond bit 29: not held
    SkuaVal cargs[1] = {i32(2)};
    CHECK(skua_func_call(store, get_func(linker, "fd_close"), cargs, 1, res, 1, &err));
    CHECK_EQ(res[0].of.i32, 0);
    CHECK(skua_func_call(store, get_func(linker, "fd_close"), cargs, 1, res, 1, &err));
    CHECK_EQ(res[0].of.i32, WASI_ERRNO_BADF);

    /* proc_exit: an exit trap with the code, recorded in the context too */
    CHECK(!wasi_ctx_has_exited(ctx, NULL));
    SkuaVal eargs[1] = {i32(42)};
    CHECK(!skua_func_call(store, get_func(linker, "proc_exit"), eargs, 1, NULL, 0, &err));
    CHECK_EQ(err.kind, SKUA_ERROR_TRAP);
    CHECK(err.trap != NULL);
    if (err.trap) {
        CHECK_EQ(skua_trap_kind(err.trap), SKUA_TRAP_EXIT);
        CHECK_EQ(skua_trap_exit_code(err.trap), 42);
    }
    skua_error_clear(&err);
    uint32_t code = 0;
    CHECK(wasi_ctx_has_exited(ctx, &code));
    CHECK_EQ(code, 42);

    skua_linker_delete(linker);
    skua_store_delete(store);
    skua_engine_delete(engine);
    wasi_ctx_free(ctx);
    return check_exit();
}
