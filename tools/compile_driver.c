/*
 * The compilation driver (tools/compile_driver.h): frontend + IR passes + code generator for
 * a whole module, and the translation of the frontend's module into the runtime's compiled
 * module format. The function arena is reset after every function; the code generator keeps
 * one context for the module.
 */
#include "tools/compile_driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ir/ir.h"
#include "runtime/skua.h"

/* The frontend's value types, external kinds and constant ops are numbered like the
 * runtime's (both follow the binary encoding), so they are copied without a table. */
_Static_assert((int)FE_VT_I32 == (int)RT_VT_I32 && (int)FE_VT_V128 == (int)RT_VT_V128 &&
                   (int)FE_VT_FUNCREF == (int)RT_VT_FUNCREF &&
                   (int)FE_VT_EXTERNREF == (int)RT_VT_EXTERNREF,
               "value type encodings");
_Static_assert((int)FE_EXTERN_GLOBAL == (int)RT_EXTERN_GLOBAL, "extern kinds");
_Static_assert((int)FE_CONST_GLOBAL_GET == (int)RT_CONST_GLOBAL_GET &&
                   (int)FE_CONST_V128 == (int)RT_CONST_V128,
               "constant expression ops");
_Static_assert((int)FE_SEGMENT_DECLARATIVE == (int)RT_SEG_DECLARATIVE, "segment modes");

/* ---- targets (one line per target) ---------------------------------------------------------- */

static const CgTarget *const targets[] = {
    &x64_target,
};

const CgTarget *
cli_target_find(const char *name)
{
    for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
        if (!strcmp(cg_target_name(targets[i]), name))
            return targets[i];
    return NULL;
}

const CgTarget *
cli_target_host(void)
{
#if defined(__x86_64__) || defined(_M_X64)
    return &x64_target;
#else
    return NULL;
#endif
}

uint64_t
cli_host_features(const CgTarget *target)
{
    if (target == &x64_target)
        return x64_host_features();
    return 0;
}

void
cli_compile_options_host(CliCompileOptions *o)
{
    memset(o, 0, sizeof(*o));
    o->target = cli_target_host();
    o->cpu_features = cli_host_features(o->target);
#ifndef NDEBUG
    o->verify = true;
#endif
}

static double
now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- the compiled module's metadata ------------------------------------------------------- */

/* A growing byte pool (strings, value types, data) that becomes one malloc'd block. */
typedef struct Pool {
    uint8_t *data;
    size_t len, cap;
    bool failed;
} Pool;

static uint32_t
pool_put(Pool *p, const void *bytes, size_t n)
{
    if (p->failed || n > UINT32_MAX - p->len - 1) {
        p->failed = true;
        return 0;
    }
    if (p->len + n + 1 > p->cap) {
        size_t cap = p->cap ? p->cap : 256;
        while (cap < p->len + n + 1)
            cap *= 2;
        uint8_t *d = realloc(p->data, cap);
        if (!d) {
            p->failed = true;
            return 0;
        }
        p->data = d;
        p->cap = cap;
    }
    uint32_t at = (uint32_t)p->len;
    if (n)
        memcpy(p->data + at, bytes, n);
    p->len += n;
    return at;
}

/* A string of the pool (NUL-terminated there); "none" for an absent (NULL) name. Offset 0
 * holds a NUL of its own, so that an empty name (import and export names may be "") is
 * {off > 0, 0}, not "none". */
static RtCmStr
pool_str(Pool *p, const FeName *name)
{
    static const uint8_t nul = 0;
    if (!name->str)
        return (RtCmStr){0, 0};
    if (!p->len)
        pool_put(p, &nul, 1);
    uint32_t at = pool_put(p, name->str, name->len);
    pool_put(p, &nul, 1);
    return (RtCmStr){at, name->len};
}

static RtCmConst
const_of(const FeConstExpr *e)
{
    RtCmConst c;
    memset(&c, 0, sizeof(c));
    c.op = e->op;
    c.type = e->type;
    c.index = e->index;
    memcpy(&c.value, &e->value, sizeof(c.value) < sizeof(e->value) ? sizeof(c.value) : sizeof(e->value));
    return c;
}

static void *
alloc_array(size_t n, size_t size, bool *ok)
{
    if (!n)
        return NULL;
    void *p = calloc(n, size);
    if (!p)
        *ok = false;
    return p;
}

bool
cli_cmodule_alloc(const FeModule *m, RtCompiledModule *cm, SkDiag *diag)
{
    bool ok = true;
    cm->types = alloc_array(m->ntypes, sizeof(RtCmType), &ok);
    cm->ntypes = m->ntypes;
    cm->funcs = alloc_array(m->nfuncs, sizeof(RtCmFunc), &ok);
    cm->nfuncs = m->nfuncs;
    cm->nimported_funcs = m->nimported_funcs;
    if (!ok)
        return sk_diag_set(diag, SK_DIAG_OUT_OF_MEMORY, 0, "out of memory");
    return true;
}

bool
cli_cmodule_fill(const FeModule *m, RtCompiledModule *cm, SkDiag *diag)
{
    Pool strings = {0}, valtypes = {0}, data = {0};
    bool ok = true;
    cm->version = RT_CM_VERSION;

    for (uint32_t i = 0; i < m->ntypes; i++) {
        const FeFuncType *t = &m->types[i];
        cm->types[i].first = pool_put(&valtypes, t->params, t->nparams);
        pool_put(&valtypes, t->results, t->nresults);
        cm->types[i].nparams = t->nparams;
        cm->types[i].nresults = t->nresults;
    }
    /* Function names from the name section (sorted by index). */
    uint32_t ni = 0;
    for (uint32_t i = 0; i < m->nfuncs; i++) {
        cm->funcs[i].type_index = m->funcs[i].type_index;
        while (ni < m->nfunc_names && m->func_names[ni].index < i)
            ni++;
        if (ni < m->nfunc_names && m->func_names[ni].index == i)
            cm->funcs[i].name = pool_str(&strings, &m->func_names[ni].name);
    }

    cm->imports = alloc_array(m->nimports, sizeof(RtCmImport), &ok);
    cm->nimports = m->nimports;
    for (uint32_t i = 0; ok && i < m->nimports; i++) {
        const FeImport *im = &m->imports[i];
        cm->imports[i] = (RtCmImport){pool_str(&strings, &im->module), pool_str(&strings, &im->name),
                                      im->kind, im->index};
    }
    cm->tables = alloc_array(m->ntables, sizeof(RtCmTable), &ok);
    cm->ntables = m->ntables;
    cm->nimported_tables = m->nimported_tables;
    for (uint32_t i = 0; ok && i < m->ntables; i++) {
        const FeTable *t = &m->tables[i];
        cm->tables[i] = (RtCmTable){t->elem_type, t->imported, t->limits.has_max,
                                    (uint32_t)t->limits.min, (uint32_t)t->limits.max};
    }
    cm->memories = alloc_array(m->nmemories, sizeof(RtCmMemory), &ok);
    cm->nmemories = m->nmemories;
    cm->nimported_memories = m->nimported_memories;
    for (uint32_t i = 0; ok && i < m->nmemories; i++) {
        const FeMemory *mem = &m->memories[i];
        cm->memories[i] = (RtCmMemory){mem->imported, mem->limits.has_max, mem->limits.min,
                                       mem->limits.max};
    }
    cm->globals = alloc_array(m->nglobals, sizeof(RtCmGlobal), &ok);
    cm->nglobals = m->nglobals;
    cm->nimported_globals = m->nimported_globals;
    for (uint32_t i = 0; ok && i < m->nglobals; i++) {
        const FeGlobal *g = &m->globals[i];
        cm->globals[i].type = g->type;
        cm->globals[i].mutable_ = g->mutable_;
        cm->globals[i].imported = g->imported;
        if (!g->imported)
            cm->globals[i].init = const_of(&g->init);
    }
    cm->exports = alloc_array(m->nexports, sizeof(RtCmExport), &ok);
    cm->nexports = m->nexports;
    for (uint32_t i = 0; ok && i < m->nexports; i++) {
        const FeExport *e = &m->exports[i];
        cm->exports[i] = (RtCmExport){pool_str(&strings, &e->name), e->kind, e->index};
    }
    cm->start_func = m->start_func == UINT32_MAX ? RT_CM_NONE : m->start_func;

    uint64_t nitems = 0;
    for (uint32_t i = 0; i < m->nelems; i++)
        nitems += m->elems[i].nitems;
    if (nitems > UINT32_MAX)
        return sk_diag_set(diag, SK_DIAG_LIMIT, 0, "implementation limit exceeded: element items");
    cm->elems = alloc_array(m->nelems, sizeof(RtCmElem), &ok);
    cm->nelems = m->nelems;
    cm->elem_items = alloc_array(nitems, sizeof(RtCmConst), &ok);
    cm->nelem_items = (uint32_t)nitems;
    uint32_t item = 0;
    for (uint32_t i = 0; ok && i < m->nelems; i++) {
        const FeElemSegment *e = &m->elems[i];
        RtCmElem *o = &cm->elems[i];
        o->mode = e->mode;
        o->elem_type = e->elem_type;
        o->table = e->table;
        if (e->mode == FE_SEGMENT_ACTIVE)
            o->offset = const_of(&e->offset);
        o->first = item;
        o->nitems = e->nitems;
        for (uint32_t k = 0; k < e->nitems; k++)
            cm->elem_items[item++] = const_of(&e->items[k]);
    }
    cm->datas = alloc_array(m->ndatas, sizeof(RtCmData), &ok);
    cm->ndatas = m->ndatas;
    for (uint32_t i = 0; ok && i < m->ndatas; i++) {
        const FeDataSegment *d = &m->datas[i];
        RtCmData *o = &cm->datas[i];
        o->mode = d->mode;
        o->memory = d->memory;
        if (d->mode == FE_SEGMENT_ACTIVE)
            o->offset = const_of(&d->offset);
        o->off = pool_put(&data, d->bytes, d->size);
        o->size = d->size;
    }
    cm->module_name = pool_str(&strings, &m->module_name);

    cm->strings = (char *)strings.data;
    cm->strings_size = (uint32_t)strings.len;
    cm->valtypes = valtypes.data;
    cm->nvaltypes = (uint32_t)valtypes.len;
    cm->data = data.data;
    cm->data_size = (uint32_t)data.len;
    if (!ok || strings.failed || valtypes.failed || data.failed)
        return sk_diag_set(diag, SK_DIAG_OUT_OF_MEMORY, 0, "out of memory building the compiled module");
    return true;
}

/* ---- the pipeline -------------------------------------------------------------------------- */

bool
cli_compile_wasm(const uint8_t *wasm, size_t size, const CliCompileOptions *o,
                 RtCompiledModule **out, CliCompileTimes *times, SkDiag *diag)
{
    CliCompileTimes scratch;
    CliCompileTimes *t = times ? times : &scratch;
    memset(t, 0, sizeof(*t));
    *out = NULL;
    diag->func_index = SK_DIAG_NO_FUNC;
    const CgTarget *target = o->target ? o->target : cli_target_host();
    if (!target)
        return sk_diag_set(diag, SK_DIAG_UNSUPPORTED, 0,
                           "unsupported feature: no code generator for this machine");

    double t0 = now_seconds();
    FeModule *m = NULL;
    FeOptions fo;
    memset(&fo, 0, sizeof(fo));
    fo.alloc = o->alloc;
    if (!fe_module_decode(wasm, size, &fo, &m, diag))
        return false;
    double t1 = now_seconds();
    t->decode = t1 - t0;
    if (!fe_module_validate_code(m, diag)) {
        fe_module_free(m);
        return false;
    }
    t->validate = now_seconds() - t1;

    bool ok = false;
    IrModule im;
    FeTranslator *tr = NULL;
    CgCtx *cg = NULL;
    RtCompiledModule *cm = calloc(1, sizeof(RtCompiledModule));
    SkArena arena;
    sk_arena_init(&arena, o->alloc);
    CgOptions cgo;
    memset(&cgo, 0, sizeof(cgo));
    cgo.cpu_features = o->cpu_features;
    cgo.explicit_bounds = o->explicit_bounds;
    cgo.verify = o->verify;
    if (!cm || !fe_ir_module_init(m, &m->arena, &im) ||
        !(tr = fe_translator_new(m, &im, o->alloc)) || !(cg = cg_ctx_new(target, &cgo, o->alloc))) {
        sk_diag_set(diag, SK_DIAG_OUT_OF_MEMORY, 0, "out of memory");
        goto done;
    }
    if (!cg_module_begin(cg, &im, diag))
        goto done;
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++) {
        IrFunc f;
        char msg[256];
        sk_arena_reset(&arena);
        double a = now_seconds();
        if (!fe_translate_func(tr, i, &arena, &f, diag))
            goto done;
        double b = now_seconds();
        if (!ir_passes_run(&f, o->verify, msg, sizeof(msg))) {
            /* Out of memory, or (with verify) a verifier failure: a skua bug, reported as
             * an internal error rather than blamed on the input. */
            sk_diag_set(diag, arena.failed ? SK_DIAG_OUT_OF_MEMORY : SK_DIAG_UNSUPPORTED, 0,
                        "%s", arena.failed ? "out of memory" : msg);
            diag->func_index = i;
            goto done;
        }
        double c = now_seconds();
        if (!cg_func_compile(cg, &f, diag))
            goto done;
        double d = now_seconds();
        t->translate += b - a;
        t->passes += c - b;
        t->codegen += d - c;
    }
    double f0 = now_seconds();
    if (!cli_cmodule_alloc(m, cm, diag) || !cg_module_finish(cg, cm, diag) ||
        !cli_cmodule_fill(m, cm, diag))
        goto done;
    t->finish = now_seconds() - f0;
    t->cg = *cg_ctx_stats(cg);
    ok = true;
done:
    sk_arena_free(&arena);
    cg_ctx_free(cg);
    fe_translator_free(tr);
    fe_module_free(m);
    if (ok) {
        *out = cm;
    } else if (cm) {
        rt_cmodule_release(cm);
        free(cm);
    }
    return ok;
}

bool
cli_compile_hook(void *user, const struct SkuaConfig *cfg, const uint8_t *wasm, size_t size,
                 RtCompiledModule **out, char *msg, size_t msg_size)
{
    CliCompileOptions o;
    cli_compile_options_host(&o);
    o.explicit_bounds = cfg->explicit_bounds_checks;
    if (user)
        o.cpu_features = *(const uint64_t *)user;
    SkDiag diag;
    memset(&diag, 0, sizeof(diag));
    if (cli_compile_wasm(wasm, size, &o, out, NULL, &diag))
        return true;
    snprintf(msg, msg_size, "%s", diag.message[0] ? diag.message : "compilation failed");
    return false;
}
