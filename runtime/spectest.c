/*
 * The "spectest" host module of the WebAssembly testsuite, built with the embedding API only:
 * seven print functions, four immutable globals (666 / 666.6), a funcref table of 10..20
 * elements and a memory of 1..2 pages (the shapes the testsuite's imports.wast and
 * linking.wast check). The print functions write "VALUE : TYPE" lines, as the reference
 * interpreter does, to a stream the embedder chooses (or nowhere).
 */
#include <inttypes.h>
#include <string.h>

#include "runtime/skua.h"

static SkuaTrap *
print_values(void *env, SkuaCaller *caller, const SkuaVal *args, size_t nargs,
             SkuaVal *results, size_t nresults)
{
    FILE *out = env;
    (void)caller;
    (void)results;
    (void)nresults;
    if (!out)
        return NULL;
    for (size_t i = 0; i < nargs; i++) {
        const SkuaVal *v = &args[i];
        switch (v->kind) {
        case SKUA_I32:
            fprintf(out, "%" PRId32 " : i32\n", v->of.i32);
            break;
        case SKUA_I64:
            fprintf(out, "%" PRId64 " : i64\n", v->of.i64);
            break;
        case SKUA_F32:
            fprintf(out, "%.9g : f32\n", (double)v->of.f32);
            break;
        case SKUA_F64:
            fprintf(out, "%.17g : f64\n", v->of.f64);
            break;
        default:
            break;
        }
    }
    fflush(out);
    return NULL;
}

static bool
define(SkuaLinker *l, const char *name, SkuaExtern x, SkuaError *err)
{
    return skua_linker_define(l, "spectest", 8, name, strlen(name), x, err);
}

static bool
define_print(SkuaLinker *l, FILE *out, const char *name, const uint8_t *params, size_t n,
             SkuaError *err)
{
    SkuaFunc *f = skua_func_new(skua_linker_store(l), params, n, NULL, 0, print_values, out,
                                NULL, err);
    if (!f)
        return false;
    SkuaExtern x = {SKUA_EXTERN_FUNC, {.func = f}};
    return define(l, name, x, err);
}

static bool
define_global(SkuaLinker *l, const char *name, SkuaVal v, SkuaError *err)
{
    SkuaGlobal *g = skua_global_new(skua_linker_store(l), (SkuaValKind)v.kind, false, &v, err);
    if (!g)
        return false;
    SkuaExtern x = {SKUA_EXTERN_GLOBAL, {.global = g}};
    return define(l, name, x, err);
}

bool
skua_spectest_define(SkuaLinker *linker, FILE *out, SkuaError *err)
{
    static const uint8_t i32[] = {SKUA_I32}, i64[] = {SKUA_I64}, f32[] = {SKUA_F32},
                         f64[] = {SKUA_F64}, i32_f32[] = {SKUA_I32, SKUA_F32},
                         f64_f64[] = {SKUA_F64, SKUA_F64};
    if (!define_print(linker, out, "print", NULL, 0, err) ||
        !define_print(linker, out, "print_i32", i32, 1, err) ||
        !define_print(linker, out, "print_i64", i64, 1, err) ||
        !define_print(linker, out, "print_f32", f32, 1, err) ||
        !define_print(linker, out, "print_f64", f64, 1, err) ||
        !define_print(linker, out, "print_i32_f32", i32_f32, 2, err) ||
        !define_print(linker, out, "print_f64_f64", f64_f64, 2, err))
        return false;
    SkuaVal v;
    memset(&v, 0, sizeof v);
    v.kind = SKUA_I32;
    v.of.i32 = 666;
    if (!define_global(linker, "global_i32", v, err))
        return false;
    v.kind = SKUA_I64;
    v.of.i64 = 666;
    if (!define_global(linker, "global_i64", v, err))
        return false;
    v.kind = SKUA_F32;
    v.of.f32 = 666.6f;
    if (!define_global(linker, "global_f32", v, err))
        return false;
    v.kind = SKUA_F64;
    v.of.f64 = 666.6;
    if (!define_global(linker, "global_f64", v, err))
        return false;
    SkuaStore *s = skua_linker_store(linker);
    SkuaTable *t = skua_table_new(s, SKUA_FUNCREF, 10, true, 20, NULL, err);
    if (!t)
        return false;
    SkuaExtern tx = {SKUA_EXTERN_TABLE, {.table = t}};
    if (!define(linker, "table", tx, err))
        return false;
    SkuaMemory *m = skua_memory_new(s, 1, true, 2, err);
    if (!m)
        return false;
    SkuaExtern mx = {SKUA_EXTERN_MEMORY, {.memory = m}};
    return define(linker, "memory", mx, err);
}
