/*
 * The execution engine of the harness: a WastEngine over the embedding API (runtime/skua.h)
 * and nothing else. Modules are compiled by the hook in the SkuaConfig the caller gives
 * (tools/ installs the whole compiler), instantiated in one store through one linker that
 * holds the `spectest` host module and every `register`ed instance, and called with typed
 * values. Script values map to SkuaVal bit for bit; `ref.extern N` becomes the host pointer
 * N + 1 (never NULL, distinct per N) and back, `ref.null` is NULL.
 *
 * Status mapping: a compile-hook failure is REJECTED (validation and decoding messages are
 * the spec's wording), a link error UNLINKABLE, a trap TRAP with the trap's message (the
 * spec's wording: "out of bounds memory access", "call stack exhausted", ...), anything else
 * ERROR.
 */
#include <stdlib.h>
#include <string.h>

#include "spec-tests/wast.h"

struct WastSkua {
    SkuaEngine *engine;
    SkuaStore *store;
    SkuaLinker *linker;
};

/* Instances are the store's; WastInstance is the SkuaInstance itself. */
#define AS_SKUA(inst) ((SkuaInstance *)(void *)(inst))
#define AS_WAST(inst) ((WastInstance *)(void *)(inst))

/* Copies the error's message to `msg` and releases the error. */
static void
take_message(SkuaError *err, char *msg)
{
    snprintf(msg, WAST_MSG_SIZE, "%s", err->message[0] ? err->message : "failed");
    skua_error_clear(err);
}

/* The WastStatus of a failed API call (after instantiation or a call). */
static WastStatus
status_of(const SkuaError *err)
{
    switch (err->kind) {
    case SKUA_ERROR_COMPILE:
        return WAST_STATUS_REJECTED;
    case SKUA_ERROR_LINK:
        return WAST_STATUS_UNLINKABLE;
    case SKUA_ERROR_TRAP:
        return WAST_STATUS_TRAP;
    default:
        return WAST_STATUS_ERROR;
    }
}

/* WastEngine.validate: the compile hook decides (it decodes and validates first). */
static WastStatus
skua_validate(void *ctx, const uint8_t *bytes, size_t size, char *msg)
{
    WastSkua *w = ctx;
    SkuaError err;
    memset(&err, 0, sizeof(err));
    SkuaModule *m = skua_module_new(w->engine, bytes, size, &err);
    if (m) {
        skua_module_delete(m);
        return WAST_STATUS_OK;
    }
    WastStatus st = err.kind == SKUA_ERROR_COMPILE ? WAST_STATUS_REJECTED : WAST_STATUS_ERROR;
    take_message(&err, msg);
    return st;
}

/* WastEngine.instantiate: compile, then resolve imports through the linker. */
static WastStatus
skua_instantiate(void *ctx, const uint8_t *bytes, size_t size, WastInstance **out_inst,
                 char *msg)
{
    WastSkua *w = ctx;
    SkuaError err;
    memset(&err, 0, sizeof(err));
    SkuaModule *m = skua_module_new(w->engine, bytes, size, &err);
    if (!m) {
        WastStatus st = status_of(&err);
        take_message(&err, msg);
        return st == WAST_STATUS_REJECTED ? st : WAST_STATUS_ERROR;
    }
    SkuaInstance *inst = skua_linker_instantiate(w->linker, m, &err);
    skua_module_delete(m);  // the instance keeps its own reference
    if (!inst) {
        WastStatus st = status_of(&err);
        take_message(&err, msg);
        return st;
    }
    *out_inst = AS_WAST(inst);
    return WAST_STATUS_OK;
}

/* WastEngine.register_instance: every export of `inst` under module name `as`. */
static WastStatus
skua_register(void *ctx, WastInstance *inst, const char *as, uint32_t as_len, char *msg)
{
    WastSkua *w = ctx;
    SkuaError err;
    memset(&err, 0, sizeof(err));
    if (skua_linker_define_instance(w->linker, as, as_len, AS_SKUA(inst), &err))
        return WAST_STATUS_OK;
    take_message(&err, msg);
    return WAST_STATUS_ERROR;
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

/* The SkuaValKind of a script value type (0 for none). */
static uint8_t
skua_kind(uint8_t type)
{
    switch (type) {
    case WAST_VAL_I32: return SKUA_I32;
    case WAST_VAL_I64: return SKUA_I64;
    case WAST_VAL_F32: return SKUA_F32;
    case WAST_VAL_F64: return SKUA_F64;
    case WAST_VAL_V128: return SKUA_V128;
    case WAST_VAL_FUNCREF: return SKUA_FUNCREF;
    case WAST_VAL_EXTERNREF: return SKUA_EXTERNREF;
    default: return 0;
    }
}

/* Converts a script argument; false with `msg` for a value no wasm call can take. */
static bool
val_to_skua(const WastValue *v, SkuaVal *out, char *msg)
{
    memset(out, 0, sizeof(*out));
    out->kind = skua_kind(v->type);
    switch (v->type) {
    case WAST_VAL_I32:
    case WAST_VAL_F32:
        out->of.f32_bits = v->u.i32;
        return true;
    case WAST_VAL_I64:
    case WAST_VAL_F64:
        out->of.f64_bits = v->u.i64;
        return true;
    case WAST_VAL_V128:
        memcpy(out->of.v128, v->u.v128, 16);
        return true;
    case WAST_VAL_FUNCREF:
        if (v->ref == WAST_REF_NULL)
            return true;  // of.funcref stays NULL
        snprintf(msg, WAST_MSG_SIZE, "a funcref argument other than ref.null");
        return false;
    case WAST_VAL_EXTERNREF:
        if (v->ref == WAST_REF_NULL)
            return true;
        if (v->ref == WAST_REF_HOST && v->u.ref < UINTPTR_MAX) {
            out->of.externref = (void *)(uintptr_t)(v->u.ref + 1);
            return true;
        }
        snprintf(msg, WAST_MSG_SIZE, "externref argument %llu out of range",
                 (unsigned long long)v->u.ref);
        return false;
    default:
        snprintf(msg, WAST_MSG_SIZE, "argument of unknown type");
        return false;
    }
}

/* Converts a result of the API into a script value. */
static void
val_from_skua(const SkuaVal *v, WastValue *out)
{
    memset(out, 0, sizeof(*out));
    switch (v->kind) {
    case SKUA_I32:
        out->type = WAST_VAL_I32;
        out->u.i32 = v->of.f32_bits;
        break;
    case SKUA_F32:
        out->type = WAST_VAL_F32;
        out->u.f32 = v->of.f32_bits;
        break;
    case SKUA_I64:
        out->type = WAST_VAL_I64;
        out->u.i64 = v->of.f64_bits;
        break;
    case SKUA_F64:
        out->type = WAST_VAL_F64;
        out->u.f64 = v->of.f64_bits;
        break;
    case SKUA_V128:
        out->type = WAST_VAL_V128;
        out->lane = WAST_LANE_I32;
        memcpy(out->u.v128, v->of.v128, 16);
        break;
    case SKUA_FUNCREF:
        out->type = WAST_VAL_FUNCREF;
        out->ref = v->of.funcref ? WAST_REF_FUNC : WAST_REF_NULL;
        out->u.ref = (uint64_t)(uintptr_t)v->of.funcref;
        break;
    case SKUA_EXTERNREF:
        out->type = WAST_VAL_EXTERNREF;
        out->ref = v->of.externref ? WAST_REF_HOST : WAST_REF_NULL;
        out->u.ref = v->of.externref ? (uint64_t)((uintptr_t)v->of.externref - 1) : 0;
        break;
    default:
        break;
    }
}

/* WastEngine.invoke: calls an exported function with typed arguments. */
static WastStatus
skua_invoke(void *ctx, WastInstance *inst, const char *field, uint32_t field_len,
            const WastValue *args, uint32_t nargs, WastValue *results, uint32_t *out_nresults,
            char *msg)
{
    WastSkua *w = ctx;
    SkuaExtern x;
    if (!skua_instance_export(AS_SKUA(inst), field, field_len, &x) ||
        x.kind != SKUA_EXTERN_FUNC) {
        snprintf(msg, WAST_MSG_SIZE, "no exported function \"%.*s\"", (int)field_len, field);
        return WAST_STATUS_ERROR;
    }
    const uint8_t *params, *rtypes;
    size_t nparams, nres;
    skua_func_type(w->store, x.of.func, &params, &nparams, &rtypes, &nres);
    if (nparams != nargs) {
        snprintf(msg, WAST_MSG_SIZE, "the function takes %zu arguments, the script gives %u",
                 nparams, nargs);
        return WAST_STATUS_ERROR;
    }
    if (nres > WAST_MAX_RESULTS) {
        snprintf(msg, WAST_MSG_SIZE, "the function returns %zu results (at most %d)", nres,
                 WAST_MAX_RESULTS);
        return WAST_STATUS_ERROR;
    }
    SkuaVal *a = calloc(nargs ? nargs : 1, sizeof(SkuaVal));
    SkuaVal r[WAST_MAX_RESULTS];
    if (!a) {
        snprintf(msg, WAST_MSG_SIZE, "out of memory");
        return WAST_STATUS_ERROR;
    }
    for (uint32_t i = 0; i < nargs; i++) {
        if (!val_to_skua(&args[i], &a[i], msg)) {
            free(a);
            return WAST_STATUS_ERROR;
        }
        if (a[i].kind != params[i]) {
            snprintf(msg, WAST_MSG_SIZE, "argument %u: the function takes %s, the script gives %s",
                     i, kind_name(params[i]), kind_name(a[i].kind));
            free(a);
            return WAST_STATUS_ERROR;
        }
    }
    SkuaError err;
    memset(&err, 0, sizeof(err));
    bool ok = skua_func_call(w->store, x.of.func, a, nargs, r, nres, &err);
    free(a);
    if (!ok) {
        WastStatus st = err.kind == SKUA_ERROR_TRAP ? WAST_STATUS_TRAP : WAST_STATUS_ERROR;
        take_message(&err, msg);
        return st;
    }
    for (size_t i = 0; i < nres; i++)
        val_from_skua(&r[i], &results[i]);
    *out_nresults = (uint32_t)nres;
    return WAST_STATUS_OK;
}

/* WastEngine.get: reads an exported global. */
static WastStatus
skua_get(void *ctx, WastInstance *inst, const char *field, uint32_t field_len, WastValue *out,
         char *msg)
{
    (void)ctx;
    SkuaExtern x;
    if (!skua_instance_export(AS_SKUA(inst), field, field_len, &x) ||
        x.kind != SKUA_EXTERN_GLOBAL) {
        snprintf(msg, WAST_MSG_SIZE, "no exported global \"%.*s\"", (int)field_len, field);
        return WAST_STATUS_ERROR;
    }
    SkuaVal v = skua_global_get(x.of.global);
    val_from_skua(&v, out);
    return WAST_STATUS_OK;
}

WastSkua *
wast_skua_new(const SkuaConfig *cfg, FILE *print_out, char *msg)
{
    SkuaError err;
    memset(&err, 0, sizeof(err));
    WastSkua *w = calloc(1, sizeof(*w));
    if (!w) {
        snprintf(msg, WAST_MSG_SIZE, "out of memory");
        return NULL;
    }
    w->engine = skua_engine_new(cfg, &err);
    if (!w->engine) {
        take_message(&err, msg);
        free(w);
        return NULL;
    }
    w->store = skua_store_new(w->engine);
    w->linker = w->store ? skua_linker_new(w->store) : NULL;
    if (!w->linker) {
        snprintf(msg, WAST_MSG_SIZE, "out of memory");
        wast_skua_free(w);
        return NULL;
    }
    if (!skua_spectest_define(w->linker, print_out, &err)) {
        take_message(&err, msg);
        wast_skua_free(w);
        return NULL;
    }
    return w;
}

void
wast_skua_engine(WastSkua *w, WastEngine *out)
{
    *out = (WastEngine){
        .ctx = w,
        .validate = skua_validate,
        .instantiate = skua_instantiate,
        .register_instance = skua_register,
        .invoke = skua_invoke,
        .get = skua_get,
    };
}

void
wast_skua_free(WastSkua *w)
{
    if (!w)
        return;
    skua_linker_delete(w->linker);
    skua_store_delete(w->store);
    skua_engine_delete(w->engine);
    free(w);
}
