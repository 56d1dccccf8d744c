/*
 * The embedding API (runtime/skua.h) over the runtime layer (runtime/runtime.h). Most skua
 * handles are the runtime objects themselves (SkuaModule = RtModule, SkuaStore = RtStore,
 * SkuaInstance = RtInstance, SkuaFunc = RtFuncRef, SkuaTable/Memory/Global/Trap = their Rt*);
 * the engine wraps RtEngine with the compile hook. This file converts between SkuaVal and the
 * runtime's untyped RtVal slots, checks what embedders pass in, and dispatches calls into
 * host callbacks.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/runtime.h"
#include "runtime/skua.h"

_Static_assert((int)SKUA_TRAP_INTERNAL == (int)RT_TRAP_INTERNAL, "SkuaTrapKind == RtTrapKind");
_Static_assert((int)SKUA_TRAP_EXIT == (int)RT_TRAP_EXIT, "SkuaTrapKind == RtTrapKind");
_Static_assert((int)SKUA_EXTERN_GLOBAL == (int)RT_EXTERN_GLOBAL, "SkuaExternKind");
_Static_assert((int)SKUA_FUNCREF == (int)RT_VT_FUNCREF, "SkuaValKind == RtValType");

struct SkuaEngine {
    RtEngine *rt;
    SkuaConfig config;
};

struct SkuaCaller {
    RtStore *store;
    RtInstance *instance;
};

/* What a host function made by skua_func_new carries (its RtHostFunc's data). */
typedef struct HostEnv {
    SkuaHostCallback callback;
    void *env;
    void (*free_env)(void *);
    RtStore *store;
    RtFuncType type;  // arrays owned by the engine
} HostEnv;

#define AS_RT_STORE(s) ((RtStore *)(void *)(s))
#define AS_SKUA_STORE(s) ((SkuaStore *)(void *)(s))
#define AS_FUNCREF(f) ((const RtFuncRef *)(const void *)(f))
#define AS_SKUA_FUNC(f) ((SkuaFunc *)(void *)(uintptr_t)(f))

/* Small value arrays live on the stack; larger ones are malloc'd. */
#define INLINE_VALS 16

/* ---- Errors ---------------------------------------------------------------------------- */

static bool
set_error(SkuaError *err, SkuaErrorKind kind, const char *message)
{
    if (err) {
        /* Not skua_error_clear: `err` may be uninitialized; a held trap must have been
         * released by the caller before reusing the error. */
        err->trap = NULL;
        err->kind = kind;
        snprintf(err->message, sizeof err->message, "%s", message);
    }
    return false;
}

static bool
from_rt_error(SkuaError *err, const RtError *re)
{
    SkuaErrorKind kind = SKUA_ERROR_USAGE;
    switch (re->kind) {
    case RT_ERROR_LOAD:
        kind = SKUA_ERROR_LOAD;
        break;
    case RT_ERROR_LINK:
        kind = SKUA_ERROR_LINK;
        break;
    case RT_ERROR_RESOURCE:
        kind = SKUA_ERROR_RESOURCE;
        break;
    default:
        break;
    }
    return set_error(err, kind, re->message);
}

/* Takes ownership of `trap`. */
static bool
set_trap(SkuaError *err, RtTrap *trap)
{
    if (!err) {
        rt_trap_free(trap);
        return false;
    }
    set_error(err, SKUA_ERROR_TRAP, trap ? trap->message : "trap");
    err->trap = (SkuaTrap *)(void *)trap;
    return false;
}

void
skua_error_clear(SkuaError *err)
{
    if (!err)
        return;
    if (err->trap)
        rt_trap_free((RtTrap *)(void *)err->trap);
    err->trap = NULL;
    err->kind = SKUA_ERROR_NONE;
    err->message[0] = '\0';
}

/* ---- Traps ------------------------------------------------------------------------------ */

SkuaTrap *
skua_trap_new(const char *message)
{
    return (SkuaTrap *)(void *)rt_trap_new(RT_TRAP_HOST, message ? message : "host trap", 0);
}

SkuaTrap *
skua_trap_new_exit(int32_t code)
{
    return (SkuaTrap *)(void *)rt_trap_new(RT_TRAP_EXIT, NULL, code);
}

void
skua_trap_delete(SkuaTrap *trap)
{
    rt_trap_free((RtTrap *)(void *)trap);
}

SkuaTrapKind
skua_trap_kind(const SkuaTrap *trap)
{
    return (SkuaTrapKind)((const RtTrap *)(const void *)trap)->kind;
}

const char *
skua_trap_message(const SkuaTrap *trap)
{
    return ((const RtTrap *)(const void *)trap)->message;
}

int32_t
skua_trap_exit_code(const SkuaTrap *trap)
{
    return ((const RtTrap *)(const void *)trap)->exit_code;
}

size_t
skua_trap_frame_count(const SkuaTrap *trap)
{
    return ((const RtTrap *)(const void *)trap)->nframes;
}

size_t
skua_trap_frames_omitted(const SkuaTrap *trap)
{
    return ((const RtTrap *)(const void *)trap)->nomitted;
}

SkuaFrame
skua_trap_frame(const SkuaTrap *trap, size_t i)
{
    const RtTrap *t = (const RtTrap *)(const void *)trap;
    SkuaFrame f = {RT_CM_NONE, 0, NULL, NULL};
    if (i < t->nframes) {
        f.func_index = t->frames[i].func_index;
        f.func_offset = t->frames[i].func_offset;
        f.func_name = t->frames[i].func_name;
        f.module_name = t->frames[i].module_name;
    }
    return f;
}

/* ---- Values ---------------------------------------------------------------------------- */

static void
val_to_rt(const SkuaVal *v, RtVal *out)
{
    memset(out, 0, sizeof *out);
    switch (v->kind) {
    case SKUA_I32:
    case SKUA_F32:
        out->i32 = v->of.f32_bits;
        break;
    case SKUA_I64:
    case SKUA_F64:
        out->i64 = v->of.f64_bits;
        break;
    case SKUA_V128:
        memcpy(out->v128, v->of.v128, 16);
        break;
    case SKUA_FUNCREF:
        out->ref = (void *)v->of.funcref;
        break;
    default:
        out->ref = v->of.externref;
        break;
    }
}

static SkuaVal
val_from_rt(uint8_t kind, const RtVal *v)
{
    SkuaVal out;
    memset(&out, 0, sizeof out);
    out.kind = kind;
    switch (kind) {
    case SKUA_I32:
    case SKUA_F32:
        out.of.f32_bits = v->i32;
        break;
    case SKUA_I64:
    case SKUA_F64:
        out.of.f64_bits = v->i64;
        break;
    case SKUA_V128:
        memcpy(out.of.v128, v->v128, 16);
        break;
    case SKUA_FUNCREF:
        out.of.funcref = v->ref;
        break;
    default:
        out.of.externref = v->ref;
        break;
    }
    return out;
}

static bool
is_kind(uint8_t k)
{
    return k == SKUA_I32 || k == SKUA_I64 || k == SKUA_F32 || k == SKUA_F64 || k == SKUA_V128 ||
           k == SKUA_FUNCREF || k == SKUA_EXTERNREF;
}

/* A funcref value wasm may hold: an embedder's host function needs a trampoline first. */
static bool
funcref_usable(RtStore *s, const SkuaVal *v, SkuaError *err)
{
    if (v->kind != SKUA_FUNCREF || !v->of.funcref)
        return true;
    if (rt_store_bind_host(s, AS_FUNCREF(v->of.funcref)))
        return true;
    return set_error(err, SKUA_ERROR_USAGE,
                     "host function not usable as a wasm reference yet: no module in the store "
                     "has a host-call trampoline for its type");
}

static const char *
kind_name(uint8_t k)
{
    switch (k) {
    case SKUA_I32:
        return "i32";
    case SKUA_I64:
        return "i64";
    case SKUA_F32:
        return "f32";
    case SKUA_F64:
        return "f64";
    case SKUA_V128:
        return "v128";
    case SKUA_FUNCREF:
        return "funcref";
    case SKUA_EXTERNREF:
        return "externref";
    default:
        return "?";
    }
}

/* ---- Engine ---------------------------------------------------------------------------- */

void
skua_config_init(SkuaConfig *cfg)
{
    RtConfig rc;
    rt_config_default(&rc);
    memset(cfg, 0, sizeof *cfg);
    cfg->wasm_stack_size = rc.wasm_stack_size;
    cfg->max_memory_pages = rc.max_memory_pages;
    cfg->max_table_elems = rc.max_table_elems;
    cfg->max_nesting = rc.max_nesting;
    cfg->explicit_bounds_checks = rc.explicit_bounds;
}

SkuaEngine *
skua_engine_new(const SkuaConfig *cfg, SkuaError *err)
{
    SkuaEngine *e = calloc(1, sizeof *e);
    if (!e) {
        set_error(err, SKUA_ERROR_RESOURCE, "out of memory");
        return NULL;
    }
    if (cfg)
        e->config = *cfg;
    else
        skua_config_init(&e->config);
    RtConfig rc;
    rc.wasm_stack_size = e->config.wasm_stack_size;
    rc.max_memory_pages = e->config.max_memory_pages;
    rc.max_table_elems = e->config.max_table_elems;
    rc.max_nesting = e->config.max_nesting;
    rc.explicit_bounds = e->config.explicit_bounds_checks;
    RtError re;
    e->rt = rt_engine_new(&rc, &re);
    if (!e->rt) {
        from_rt_error(err, &re);
        free(e);
        return NULL;
    }
    return e;
}

void
skua_engine_delete(SkuaEngine *engine)
{
    if (!engine)
        return;
    rt_engine_free(engine->rt);
    free(engine);
}

const SkuaConfig *
skua_engine_config(const SkuaEngine *engine)
{
    return &engine->config;
}

/* ---- Modules ---------------------------------------------------------------------------- */

SkuaModule *
skua_module_from_compiled(SkuaEngine *engine, struct RtCompiledModule *cm, SkuaError *err)
{
    RtModule *m;
    RtError re;
    if (!cm) {
        set_error(err, SKUA_ERROR_USAGE, "no compiled module");
        return NULL;
    }
    if (!rt_module_load(engine->rt, cm, &m, &re)) {
        from_rt_error(err, &re);
        return NULL;
    }
    return (SkuaModule *)(void *)m;
}

SkuaModule *
skua_module_new(SkuaEngine *engine, const uint8_t *wasm, size_t size, SkuaError *err)
{
    if (!engine->config.compile) {
        set_error(err, SKUA_ERROR_USAGE, "no compiler installed in the engine configuration");
        return NULL;
    }
    struct RtCompiledModule *cm = NULL;
    char msg[sizeof err->message];
    msg[0] = '\0';
    if (!engine->config.compile(engine->config.compile_user, &engine->config, wasm, size, &cm,
                                msg, sizeof msg)) {
        set_error(err, SKUA_ERROR_COMPILE, msg[0] ? msg : "compilation failed");
        return NULL;
    }
    return skua_module_from_compiled(engine, cm, err);
}

void
skua_module_delete(SkuaModule *module)
{
    rt_module_release((RtModule *)(void *)module);
}

const struct RtCompiledModule *
skua_module_compiled(const SkuaModule *module)
{
    return ((const RtModule *)(const void *)module)->cm;
}

size_t
skua_module_import_count(const SkuaModule *module)
{
    return ((const RtModule *)(const void *)module)->cm->nimports;
}

SkuaImportDesc
skua_module_import(const SkuaModule *module, size_t i)
{
    const RtCompiledModule *cm = ((const RtModule *)(const void *)module)->cm;
    const RtCmImport *im = &cm->imports[i];
    SkuaImportDesc d = {rt_cmodule_str(cm, im->module), im->module.len,
                        rt_cmodule_str(cm, im->name), im->name.len, (SkuaExternKind)im->kind};
    return d;
}

size_t
skua_module_export_count(const SkuaModule *module)
{
    return ((const RtModule *)(const void *)module)->cm->nexports;
}

SkuaExportDesc
skua_module_export(const SkuaModule *module, size_t i)
{
    const RtCompiledModule *cm = ((const RtModule *)(const void *)module)->cm;
    const RtCmExport *e = &cm->exports[i];
    SkuaExportDesc d = {rt_cmodule_str(cm, e->name), e->name.len, (SkuaExternKind)e->kind};
    return d;
}

/* ---- Stores and instances --------------------------------------------------------------- */

SkuaStore *
skua_store_new(SkuaEngine *engine)
{
    return AS_SKUA_STORE(rt_store_new(engine->rt));
}

void
skua_store_delete(SkuaStore *store)
{
    rt_store_free(AS_RT_STORE(store));
}

static RtExtern
extern_to_rt(SkuaExtern x)
{
    RtExtern r;
    r.kind = (uint8_t)x.kind;
    switch (x.kind) {
    case SKUA_EXTERN_FUNC:
        r.u.func = AS_FUNCREF(x.of.func);
        break;
    case SKUA_EXTERN_TABLE:
        r.u.table = (RtTable *)(void *)x.of.table;
        break;
    case SKUA_EXTERN_MEMORY:
        r.u.memory = (RtMemory *)(void *)x.of.memory;
        break;
    default:
        r.u.global = (RtGlobal *)(void *)x.of.global;
        break;
    }
    return r;
}

static SkuaExtern
extern_from_rt(RtExtern r)
{
    SkuaExtern x;
    x.kind = (SkuaExternKind)r.kind;
    switch (r.kind) {
    case RT_EXTERN_FUNC:
        x.of.func = AS_SKUA_FUNC(r.u.func);
        break;
    case RT_EXTERN_TABLE:
        x.of.table = (SkuaTable *)(void *)r.u.table;
        break;
    case RT_EXTERN_MEMORY:
        x.of.memory = (SkuaMemory *)(void *)r.u.memory;
        break;
    default:
        x.of.global = (SkuaGlobal *)(void *)r.u.global;
        break;
    }
    return x;
}

SkuaInstance *
skua_instance_new(SkuaStore *store, SkuaModule *module, const SkuaExtern *imports,
                  size_t nimports, SkuaError *err)
{
    RtStore *s = AS_RT_STORE(store);
    RtModule *m = (RtModule *)(void *)module;
    if (nimports != m->cm->nimports) {
        char msg[96];
        snprintf(msg, sizeof msg, "module has %u imports, %zu given", m->cm->nimports,
                 nimports);
        set_error(err, SKUA_ERROR_USAGE, msg);
        return NULL;
    }
    RtExtern *rx = rt_calloc(nimports, sizeof *rx);
    if (!rx) {
        set_error(err, SKUA_ERROR_RESOURCE, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < nimports; i++)
        rx[i] = extern_to_rt(imports[i]);
    RtInstance *inst = NULL;
    RtTrap *trap = NULL;
    RtError re;
    bool ok = rt_instance_new(s, m, rx, (uint32_t)nimports, &inst, &trap, &re);
    free(rx);
    if (!ok) {
        if (trap)
            set_trap(err, trap);
        else
            from_rt_error(err, &re);
        return NULL;
    }
    return (SkuaInstance *)(void *)inst;
}

bool
skua_instance_export(const SkuaInstance *inst, const char *name, size_t len, SkuaExtern *out)
{
    RtExtern r;
    if (!rt_instance_export((const RtInstance *)(const void *)inst, name, len, &r))
        return false;
    *out = extern_from_rt(r);
    return true;
}

size_t
skua_instance_export_count(const SkuaInstance *inst)
{
    return ((const RtInstance *)(const void *)inst)->module->cm->nexports;
}

SkuaExtern
skua_instance_export_at(const SkuaInstance *inst, size_t i, SkuaExportDesc *desc)
{
    const RtInstance *ri = (const RtInstance *)(const void *)inst;
    if (desc)
        *desc = skua_module_export((const SkuaModule *)(const void *)ri->module, i);
    return extern_from_rt(rt_instance_export_at(ri, (uint32_t)i));
}

/* ---- Functions ------------------------------------------------------------------------------ */

static void
host_env_free(void *p)
{
    HostEnv *he = p;
    if (he->free_env)
        he->free_env(he->env);
    free(he);
}

/*
 * The RtHostCallback of every skua_func_new function: runs on the wasm fiber, converts the
 * arguments, calls the embedder, converts the results back, and turns a returned trap into a
 * runtime trap (after freeing everything it allocated: raising never returns).
 */
static void
host_dispatch(RtHostFunc *hf, RtVal *ar)
{
    const HostEnv *he = hf->data;
    size_t np = he->type.nparams, nr = he->type.nresults;
    SkuaVal inline_args[INLINE_VALS], inline_res[INLINE_VALS];
    SkuaVal *args = np <= INLINE_VALS ? inline_args : rt_calloc(np, sizeof *args);
    SkuaVal *res = nr <= INLINE_VALS ? inline_res : rt_calloc(nr, sizeof *res);
    SkuaTrap *trap = NULL;
    if (!args || !res) {
        trap = skua_trap_new("out of memory calling a host function");
    } else {
        for (size_t i = 0; i < np; i++)
            args[i] = val_from_rt(he->type.params[i], &ar[i]);
        for (size_t i = 0; i < nr; i++) {
            memset(&res[i], 0, sizeof res[i]);
            res[i].kind = he->type.results[i];
        }
        SkuaCaller caller = {he->store, hf->caller};
        trap = he->callback(he->env, &caller, args, np, res, nr);
        for (size_t i = 0; !trap && i < nr; i++) {
            if (res[i].kind != he->type.results[i])
                trap = skua_trap_new("host function returned a result of the wrong type");
            else if (res[i].kind == SKUA_FUNCREF && res[i].of.funcref &&
                     !rt_store_bind_host(he->store, AS_FUNCREF(res[i].of.funcref)))
                trap = skua_trap_new("host function returned an unusable funcref");
            else
                val_to_rt(&res[i], &ar[i]);
        }
    }
    if (args != inline_args)
        free(args);
    if (res != inline_res)
        free(res);
    if (trap) {
        RtTrap *t = (RtTrap *)(void *)trap;
        uint32_t kind = t->kind == RT_TRAP_EXIT ? RT_TRAP_EXIT : RT_TRAP_HOST;
        int32_t code = t->exit_code;
        char msg[256];
        snprintf(msg, sizeof msg, "%s", t->message ? t->message : "host trap");
        rt_trap_free(t);
        rt_trap_raise_message(kind, msg, code);
    }
}

SkuaFunc *
skua_func_new(SkuaStore *store, const uint8_t *params, size_t nparams, const uint8_t *results,
              size_t nresults, SkuaHostCallback callback, void *env, void (*free_env)(void *),
              SkuaError *err)
{
    RtStore *s = AS_RT_STORE(store);
    bool ok = callback && nparams <= UINT32_MAX && nresults <= UINT32_MAX;
    for (size_t i = 0; ok && i < nparams; i++)
        ok = is_kind(params[i]);
    for (size_t i = 0; ok && i < nresults; i++)
        ok = is_kind(results[i]);
    HostEnv *he = ok ? calloc(1, sizeof *he) : NULL;
    uint32_t id = he ? rt_engine_intern_type(s->engine, params, (uint32_t)nparams, results,
                                             (uint32_t)nresults)
                     : 0;
    if (!he || !id || !rt_engine_type(s->engine, id, &he->type)) {
        free(he);
        if (free_env)
            free_env(env);
        set_error(err, ok ? SKUA_ERROR_RESOURCE : SKUA_ERROR_USAGE,
                  ok ? "out of memory" : "bad host function type or callback");
        return NULL;
    }
    he->callback = callback;
    he->env = env;
    he->free_env = free_env;
    he->store = s;
    RtError re;
    RtHostFunc *hf = rt_store_hostfunc_new(s, id, host_dispatch, he, host_env_free, &re);
    if (!hf) {
        from_rt_error(err, &re);
        return NULL;
    }
    return AS_SKUA_FUNC(&hf->ref);
}

void
skua_func_type(const SkuaStore *store, const SkuaFunc *func, const uint8_t **params,
               size_t *nparams, const uint8_t **results, size_t *nresults)
{
    RtFuncType t = {NULL, NULL, 0, 0};
    rt_engine_type(((const RtStore *)(const void *)store)->engine, AS_FUNCREF(func)->type_id,
                   &t);
    *params = t.params;
    *nparams = t.nparams;
    *results = t.results;
    *nresults = t.nresults;
}

bool
skua_func_call(SkuaStore *store, SkuaFunc *func, const SkuaVal *args, size_t nargs,
               SkuaVal *results, size_t nresults, SkuaError *err)
{
    RtStore *s = AS_RT_STORE(store);
    const RtFuncRef *f = AS_FUNCREF(func);
    RtFuncType t;
    if (!f || !rt_engine_type(s->engine, f->type_id, &t))
        return set_error(err, SKUA_ERROR_USAGE, "not a function");
    if (nargs != t.nparams || nresults != t.nresults) {
        char msg[128];
        snprintf(msg, sizeof msg, "function takes %u arguments and returns %u results, "
                 "called with %zu and %zu", t.nparams, t.nresults, nargs, nresults);
        return set_error(err, SKUA_ERROR_USAGE, msg);
    }
    for (size_t i = 0; i < nargs; i++) {
        if (args[i].kind != t.params[i]) {
            char msg[128];
            snprintf(msg, sizeof msg, "argument %zu: expected %s, got %s", i,
                     kind_name(t.params[i]), kind_name(args[i].kind));
            return set_error(err, SKUA_ERROR_USAGE, msg);
        }
        if (!funcref_usable(s, &args[i], err))
            return false;
    }
    size_t n = RT_MAX(nargs, nresults);
    RtVal inline_vals[INLINE_VALS];
    RtVal *v = n <= INLINE_VALS ? inline_vals : rt_calloc(n, sizeof *v);
    if (!v)
        return set_error(err, SKUA_ERROR_RESOURCE, "out of memory");
    for (size_t i = 0; i < nargs; i++)
        val_to_rt(&args[i], &v[i]);
    RtTrap *trap = NULL;
    RtError re;
    bool ok = rt_call(s, f, v, &trap, &re);
    if (ok) {
        for (size_t i = 0; i < nresults; i++)
            results[i] = val_from_rt(t.results[i], &v[i]);
    } else if (trap) {
        set_trap(err, trap);
    } else {
        from_rt_error(err, &re);
    }
    if (v != inline_vals)
        free(v);
    return ok;
}

SkuaStore *
skua_caller_store(const SkuaCaller *caller)
{
    return AS_SKUA_STORE(caller->store);
}

SkuaInstance *
skua_caller_instance(const SkuaCaller *caller)
{
    return (SkuaInstance *)(void *)caller->instance;
}

SkuaMemory *
skua_caller_memory(const SkuaCaller *caller)
{
    RtInstance *inst = caller->instance;
    if (!inst)
        return NULL;
    RtExtern x;
    if (rt_instance_export(inst, "memory", 6, &x) && x.kind == RT_EXTERN_MEMORY)
        return (SkuaMemory *)(void *)x.u.memory;
    return inst->module->cm->nmemories ? (SkuaMemory *)(void *)inst->memories[0] : NULL;
}

/* ---- Globals ------------------------------------------------------------------------------ */

SkuaGlobal *
skua_global_new(SkuaStore *store, SkuaValKind kind, bool mutable_, const SkuaVal *init,
                SkuaError *err)
{
    RtStore *s = AS_RT_STORE(store);
    if (!is_kind(kind) || (init && init->kind != kind)) {
        set_error(err, SKUA_ERROR_USAGE, "bad global type or initial value");
        return NULL;
    }
    RtVal v;
    memset(&v, 0, sizeof v);
    if (init) {
        if (!funcref_usable(s, init, err))
            return NULL;
        val_to_rt(init, &v);
    }
    RtError re;
    RtGlobal *g = rt_store_global_new(s, (uint8_t)kind, mutable_, &v, &re);
    if (!g)
        from_rt_error(err, &re);
    return (SkuaGlobal *)(void *)g;
}

SkuaValKind
skua_global_kind(const SkuaGlobal *global)
{
    return (SkuaValKind)((const RtGlobal *)(const void *)global)->type;
}

bool
skua_global_mutable(const SkuaGlobal *global)
{
    return ((const RtGlobal *)(const void *)global)->mutable_;
}

SkuaVal
skua_global_get(const SkuaGlobal *global)
{
    const RtGlobal *g = (const RtGlobal *)(const void *)global;
    return val_from_rt(g->type, g->cell);
}

bool
skua_global_set(SkuaGlobal *global, const SkuaVal *val, SkuaError *err)
{
    RtGlobal *g = (RtGlobal *)(void *)global;
    if (!g->mutable_)
        return set_error(err, SKUA_ERROR_USAGE, "global is immutable");
    if (val->kind != g->type)
        return set_error(err, SKUA_ERROR_USAGE, "global value of the wrong type");
    /* The funcref check needs a store; a global's funcref came from one already. */
    val_to_rt(val, g->cell);
    return true;
}

/* ---- Memories ------------------------------------------------------------------------------- */

SkuaMemory *
skua_memory_new(SkuaStore *store, uint64_t min_pages, bool has_max, uint64_t max_pages,
                SkuaError *err)
{
    RtError re;
    RtMemory *m = rt_store_memory_new(AS_RT_STORE(store), min_pages, has_max, max_pages, &re);
    if (!m)
        from_rt_error(err, &re);
    return (SkuaMemory *)(void *)m;
}

uint8_t *
skua_memory_data(const SkuaMemory *mem)
{
    return ((const RtMemory *)(const void *)mem)->base;
}

uint64_t
skua_memory_size(const SkuaMemory *mem)
{
    return ((const RtMemory *)(const void *)mem)->size;
}

uint32_t
skua_memory_grow(SkuaMemory *mem, uint32_t delta_pages)
{
    return rt_memory_grow((RtMemory *)(void *)mem, delta_pages);
}

/* ---- Tables --------------------------------------------------------------------------------- */

SkuaTable *
skua_table_new(SkuaStore *store, SkuaValKind elem_kind, uint32_t min, bool has_max, uint32_t max,
               const SkuaVal *init, SkuaError *err)
{
    RtStore *s = AS_RT_STORE(store);
    if ((elem_kind != SKUA_FUNCREF && elem_kind != SKUA_EXTERNREF) ||
        (init && init->kind != elem_kind)) {
        set_error(err, SKUA_ERROR_USAGE, "bad table element type or initial value");
        return NULL;
    }
    if (init && !funcref_usable(s, init, err))
        return NULL;
    RtVal v;
    memset(&v, 0, sizeof v);
    if (init)
        val_to_rt(init, &v);
    RtError re;
    RtTable *t = rt_store_table_new(s, (uint8_t)elem_kind, min, has_max, max, v.ref, &re);
    if (!t)
        from_rt_error(err, &re);
    return (SkuaTable *)(void *)t;
}

SkuaValKind
skua_table_elem_kind(const SkuaTable *table)
{
    return (SkuaValKind)((const RtTable *)(const void *)table)->elem_type;
}

uint32_t
skua_table_size(const SkuaTable *table)
{
    return ((const RtTable *)(const void *)table)->size;
}

bool
skua_table_get(const SkuaTable *table, uint32_t index, SkuaVal *out)
{
    const RtTable *t = (const RtTable *)(const void *)table;
    if (index >= t->size)
        return false;
    RtVal v;
    memset(&v, 0, sizeof v);
    v.ref = t->elems[index];
    *out = val_from_rt(t->elem_type, &v);
    return true;
}

bool
skua_table_set(SkuaStore *store, SkuaTable *table, uint32_t index, const SkuaVal *val,
               SkuaError *err)
{
    RtTable *t = (RtTable *)(void *)table;
    if (val->kind != t->elem_type)
        return set_error(err, SKUA_ERROR_USAGE, "table element of the wrong type");
    if (index >= t->size)
        return set_error(err, SKUA_ERROR_USAGE, "out of bounds table access");
    if (!funcref_usable(AS_RT_STORE(store), val, err))
        return false;
    RtVal v;
    val_to_rt(val, &v);
    t->elems[index] = v.ref;
    return true;
}

uint32_t
skua_table_grow(SkuaStore *store, SkuaTable *table, uint32_t delta, const SkuaVal *init)
{
    RtTable *t = (RtTable *)(void *)table;
    RtVal v;
    memset(&v, 0, sizeof v);
    if (init) {
        if (init->kind != t->elem_type || !funcref_usable(AS_RT_STORE(store), init, NULL))
            return UINT32_MAX;
        val_to_rt(init, &v);
    }
    return rt_table_grow(t, delta, v.ref);
}
