/*
 * The WASI glue (wasi_glue.h): one skua host function per entry of the import table
 * (imports.c). A call converts the SkuaVal arguments to the table's uniform u64 array, finds
 * the caller's memory, runs the core function and hands back its errno; proc_exit becomes an
 * exit trap so the guest stops without running another instruction, and without the library
 * ever exiting the process.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/wasi/wasi_glue.h"

/* The most parameters any preview1 import has (path_open: 9). */
#define MAX_PARAMS 16

/* What each host function carries: the context, its table entry, and the memory of the
 * instance that called last (instances rarely change between calls, and the memory
 * object's address is stable for its lifetime). */
typedef struct GlueEnv {
    WasiCtx *ctx;
    const WasiImport *imp;
    bool is_exit;               // proc_exit: no result, ends the guest
    SkuaInstance *cached_inst;  // caller of the previous call
    SkuaMemory *cached_mem;     // its memory (NULL if it has none)
} GlueEnv;

static SkuaTrap *
glue_call(void *env, SkuaCaller *caller, const SkuaVal *args, size_t nargs, SkuaVal *results,
          size_t nresults)
{
    GlueEnv *g = env;
    uint64_t a[MAX_PARAMS];
    for (size_t i = 0; i < nargs && i < MAX_PARAMS; i++)
        a[i] = args[i].kind == SKUA_I64 ? (uint64_t)args[i].of.i64 : (uint32_t)args[i].of.i32;

    SkuaInstance *inst = caller ? skua_caller_instance(caller) : NULL;
    if (!inst) {
        g->cached_inst = NULL;
        g->cached_mem = NULL;
    } else if (inst != g->cached_inst) {
        g->cached_inst = inst;
        g->cached_mem = skua_caller_memory(caller);
    }
    SkuaMemory *mem = g->cached_mem;
    uint8_t *base = mem ? skua_memory_data(mem) : NULL;
    uint64_t size = mem ? skua_memory_size(mem) : 0;

    uint16_t errno_ = g->imp->call(g->ctx, base, size, a);
    uint32_t code;
    if (g->is_exit && wasi_ctx_has_exited(g->ctx, &code))
        return skua_trap_new_exit((int32_t)code);
    if (nresults > 0) {
        results[0].kind = SKUA_I32;
        results[0].of.i32 = errno_;
    }
    return NULL;
}

/* Value kinds for a signature string of the import table ('i' i32, 'I' i64). */
static size_t
kinds_of(const char *sig, uint8_t *out)
{
    size_t n = 0;
    for (; sig[n]; n++)
        out[n] = sig[n] == 'I' ? SKUA_I64 : SKUA_I32;
    return n;
}

bool
wasi_linker_define(SkuaLinker *linker, WasiCtx *ctx, SkuaError *err)
{
    SkuaStore *store = skua_linker_store(linker);
    const size_t mod_len = strlen(WASI_MODULE_NAME);
    for (size_t i = 0; i < wasi_nimports; i++) {
        const WasiImport *imp = &wasi_imports[i];
        uint8_t params[MAX_PARAMS], results[1];
        size_t nparams = kinds_of(imp->params, params);
        size_t nresults = kinds_of(imp->results, results);
        GlueEnv *g = calloc(1, sizeof(*g));
        if (!g) {
            if (err) {
                err->kind = SKUA_ERROR_RESOURCE;
                strcpy(err->message, "out of memory defining the WASI imports");
            }
            return false;
        }
        g->ctx = ctx;
        g->imp = imp;
        g->is_exit = nresults == 0;
        /* The store frees g (free_env) when it is deleted, or right away on failure. */
        SkuaFunc *f = skua_func_new(store, params, nparams, results, nresults, glue_call, g,
                                    free, err);
        if (!f)
            return false;
        SkuaExtern ext = {.kind = SKUA_EXTERN_FUNC, .of.func = f};
        if (!skua_linker_define(linker, WASI_MODULE_NAME, mod_len, imp->name,
                                strlen(imp->name), ext, err))
            return false;
    }
    return true;
}
