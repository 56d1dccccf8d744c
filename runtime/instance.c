/*
 * Instantiation (WebAssembly 2.0, section 4.5.4): check the imports against the module's
 * import types, allocate the instance and its VM context (runtime/vmctx.h layout), create
 * the defined tables, memories and globals, evaluate the element segments, run the active
 * element segments and then the active data segments in order, each bounds-checked before it
 * writes (a failing segment traps; earlier writes stay, as the spec requires), drop the
 * active and declarative segments, and call the start function.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/runtime.h"

static const char *const kind_names[RT_EXTERN_COUNT] = {"function", "table", "memory", "global"};

/* A printable form of a wasm name for messages (NUL bytes would cut it short). */
static void
name_for_message(const RtCompiledModule *cm, RtCmStr s, char *buf, size_t size)
{
    size_t n = 0;
    const char *p = rt_cmodule_str(cm, s);
    for (uint32_t i = 0; i < s.len && n + 1 < size; i++)
        buf[n++] = (p[i] >= 0x20 && p[i] != 0x7F) ? p[i] : '?';
    buf[n] = '\0';
}

static bool
incompatible(RtError *err, const RtCompiledModule *cm, const RtCmImport *im, const char *why)
{
    char mod[64], name[64];
    name_for_message(cm, im->module, mod, sizeof mod);
    name_for_message(cm, im->name, name, sizeof name);
    return rt_error_set(err, RT_ERROR_LINK, "incompatible import type for \"%s\" \"%s\": %s",
                        mod, name, why);
}

/* Limits subtyping (spec 3.5.1 "Limits"): the actual {min, max} matches the expected one if
 * its min is at least the expected min and, when a max is expected, it has a max no larger. */
static bool
limits_match(uint64_t min, bool has_max, uint64_t max, uint64_t want_min, bool want_has_max,
             uint64_t want_max)
{
    if (min < want_min)
        return false;
    if (want_has_max && (!has_max || max > want_max))
        return false;
    return true;
}

/* Checks import i's extern against the module's import type. */
static bool
check_import(const RtModule *m, uint32_t i, const RtExtern *ext, RtError *err)
{
    const RtCompiledModule *cm = m->cm;
    const RtCmImport *im = &cm->imports[i];
    if (ext->kind != im->kind) {
        char why[96];
        snprintf(why, sizeof why, "expected a %s, got a %s", kind_names[im->kind],
                 ext->kind < RT_EXTERN_COUNT ? kind_names[ext->kind] : "bad extern");
        return incompatible(err, cm, im, why);
    }
    switch (im->kind) {
    case RT_EXTERN_FUNC: {
        uint32_t want = m->type_ids[cm->funcs[im->index].type_index];
        if (!ext->u.func || ext->u.func->type_id != want)
            return incompatible(err, cm, im, "function type mismatch");
        return true;
    }
    case RT_EXTERN_TABLE: {
        const RtCmTable *t = &cm->tables[im->index];
        const RtTable *x = ext->u.table;
        if (!x || x->elem_type != t->elem_type)
            return incompatible(err, cm, im, "table element type mismatch");
        if (!limits_match(x->size, x->has_max, x->declared_max, t->min, t->has_max, t->max))
            return incompatible(err, cm, im, "table limits mismatch");
        return true;
    }
    case RT_EXTERN_MEMORY: {
        const RtCmMemory *mt = &cm->memories[im->index];
        const RtMemory *x = ext->u.memory;
        if (!x || !limits_match(x->size / RT_WASM_PAGE_SIZE, x->has_max, x->declared_max,
                                mt->min, mt->has_max, mt->max))
            return incompatible(err, cm, im, "memory limits mismatch");
        if (!(cm->flags & RT_CM_EXPLICIT_BOUNDS) && !x->guard)
            return incompatible(err, cm, im,
                                "the code needs a guard-region memory, this one has none");
        return true;
    }
    case RT_EXTERN_GLOBAL: {
        const RtCmGlobal *g = &cm->globals[im->index];
        const RtGlobal *x = ext->u.global;
        if (!x || x->type != g->type || x->mutable_ != (g->mutable_ != 0))
            return incompatible(err, cm, im, "global type mismatch");
        return true;
    }
    default:
        return incompatible(err, cm, im, "unknown kind");
    }
}

static RtVal
eval_const(const RtInstance *inst, const RtCmConst *k)
{
    RtVal v;
    memset(&v, 0, sizeof v);
    switch (k->op) {
    case RT_CONST_I32:
    case RT_CONST_F32:
        v.i32 = k->value.i32;
        break;
    case RT_CONST_I64:
    case RT_CONST_F64:
        v.i64 = k->value.i64;
        break;
    case RT_CONST_V128:
        memcpy(v.v128, k->value.v128, 16);
        break;
    case RT_CONST_REF_FUNC:
        v.ref = (void *)(uintptr_t)inst->funcs[k->index];
        break;
    case RT_CONST_GLOBAL_GET:
        v = *inst->globals[k->index]->cell;
        break;
    default:  // REF_NULL
        break;
    }
    return v;
}

void
rt_instance_free(RtInstance *inst)
{
    if (!inst)
        return;
    if (inst->elem_items) {
        for (uint32_t i = 0; i < inst->module->cm->nelems; i++)
            free(inst->elem_items[i]);
    }
    free(inst->elem_items);
    free(inst->elem_sizes);
    free(inst->data_sizes);
    free(inst->funcs);
    free(inst->tables);
    free(inst->memories);
    free(inst->globals);
    free(inst->own_globals);
    free(inst->host_imports);
    free(inst->vmctx);
    rt_module_release(inst->module);
    free(inst);
}

/* Allocates the instance, its VM context and its per-index arrays (all zeroed). */
static RtInstance *
instance_alloc(RtStore *s, RtModule *m)
{
    const RtCompiledModule *cm = m->cm;
    RtInstance *inst = calloc(1, sizeof *inst);
    if (!inst)
        return NULL;
    inst->store = s;
    inst->module = m;
    rt_module_retain(m);
    inst->vmctx = aligned_alloc(RT_VMCTX_ALIGN, m->layout.size);
    inst->funcs = rt_calloc(cm->nfuncs, sizeof *inst->funcs);
    inst->tables = rt_calloc(cm->ntables, sizeof *inst->tables);
    inst->memories = rt_calloc(cm->nmemories, sizeof *inst->memories);
    inst->globals = rt_calloc(cm->nglobals, sizeof *inst->globals);
    inst->own_globals = rt_calloc(cm->nglobals - cm->nimported_globals, sizeof(RtGlobal));
    inst->host_imports = rt_calloc(cm->nimported_funcs, sizeof(RtHostFunc));
    inst->elem_items = rt_calloc(cm->nelems, sizeof *inst->elem_items);
    inst->elem_sizes = rt_calloc(cm->nelems, sizeof *inst->elem_sizes);
    inst->data_sizes = rt_calloc(cm->ndatas, sizeof *inst->data_sizes);
    if (!inst->vmctx || !inst->funcs || !inst->tables || !inst->memories || !inst->globals ||
        !inst->own_globals || !inst->host_imports || !inst->elem_items || !inst->elem_sizes || !inst->data_sizes) {
        rt_instance_free(inst);
        return NULL;
    }
    memset(inst->vmctx, 0, m->layout.size);
    inst->vmctx->instance = inst;
    inst->vmctx->stack_limit = s->stack_limit;
    return inst;
}

static void *
slot(VmCtx *vmctx, uint32_t offset)
{
    return (uint8_t *)vmctx + offset;
}

/* Fills the function, table, memory and global parts of the instance and its VM context. */
static bool
instance_fill(RtInstance *inst, const RtExtern *imports, RtError *err)
{
    RtStore *s = inst->store;
    const RtModule *m = inst->module;
    const RtCompiledModule *cm = m->cm;
    const RtVmLayout *l = &m->layout;
    VmCtx *vm = inst->vmctx;
    for (uint32_t i = 0; i < cm->ntypes; i++)
        *(uint32_t *)slot(vm, rt_vmlayout_type_id(l, i)) = m->type_ids[i];
    for (uint32_t i = 0; i < cm->nimports; i++) {
        const RtCmImport *im = &cm->imports[i];
        const RtExtern *x = &imports[i];
        switch (im->kind) {
        case RT_EXTERN_FUNC: {
            const RtFuncRef *f = x->u.func;
            RtHostFunc *hf = rt_funcref_host(f);
            if (hf && !hf->origin) {
                /* The embedder's host function: bind a copy to this instance. */
                uint32_t off = cm->types[cm->funcs[im->index].type_index].host_tramp;
                if (off == RT_CM_NONE)
                    return incompatible(err, cm, im, "no host-call trampoline for its type");
                RtHostFunc *copy = &inst->host_imports[im->index];
                copy->callback = hf->callback;
                copy->ref.code = m->code + off;
                copy->ref.vmctx = (VmCtx *)(void *)copy;
                copy->ref.type_id = hf->ref.type_id;
                copy->ref.flags = RT_FUNCREF_HOST;
                copy->data = hf->data;
                copy->origin = hf;
                copy->caller = inst;
                f = &copy->ref;
            }
            inst->funcs[im->index] = f;
            *(const RtFuncRef **)slot(vm, rt_vmlayout_imported_func(l, im->index)) = f;
            break;
        }
        case RT_EXTERN_TABLE:
            inst->tables[im->index] = x->u.table;
            break;
        case RT_EXTERN_MEMORY:
            inst->memories[im->index] = x->u.memory;
            break;
        case RT_EXTERN_GLOBAL:
            inst->globals[im->index] = x->u.global;
            *(RtVal **)slot(vm, rt_vmlayout_imported_global(l, im->index)) = x->u.global->cell;
            break;
        }
    }
    for (uint32_t i = cm->nimported_funcs; i < cm->nfuncs; i++) {
        RtFuncRef *r = slot(vm, rt_vmlayout_funcref(l, i));
        r->code = m->code + cm->funcs[i].code_offset;
        r->vmctx = vm;
        r->type_id = m->type_ids[cm->funcs[i].type_index];
        r->flags = 0;
        inst->funcs[i] = r;
    }
    for (uint32_t i = cm->nimported_tables; i < cm->ntables; i++) {
        const RtCmTable *t = &cm->tables[i];
        inst->tables[i] = rt_store_table_new(s, t->elem_type, t->min, t->has_max, t->max, NULL,
                                             err);
        if (!inst->tables[i])
            return false;
    }
    for (uint32_t i = 0; i < cm->ntables; i++)
        *(RtTable **)slot(vm, rt_vmlayout_table(l, i)) = inst->tables[i];
    for (uint32_t i = cm->nimported_memories; i < cm->nmemories; i++) {
        const RtCmMemory *mt = &cm->memories[i];
        inst->memories[i] = rt_store_memory_new(s, mt->min, mt->has_max, mt->max, err);
        if (!inst->memories[i])
            return false;
    }
    for (uint32_t i = 0; i < cm->nmemories; i++)
        *(RtMemory **)slot(vm, rt_vmlayout_memory(l, i)) = inst->memories[i];
    if (cm->nmemories) {
        vm->mem0 = inst->memories[0];
        vm->mem0_base = inst->memories[0]->base;
    }
    for (uint32_t i = cm->nimported_globals; i < cm->nglobals; i++) {
        const RtCmGlobal *g = &cm->globals[i];
        RtGlobal *own = &inst->own_globals[i - cm->nimported_globals];
        own->cell = slot(vm, rt_vmlayout_global(l, i));
        own->type = g->type;
        own->mutable_ = g->mutable_ != 0;
        *own->cell = eval_const(inst, &g->init);
        inst->globals[i] = own;
    }
    return true;
}

/* Evaluates every element segment's items (ref.func, ref.null, global.get). */
static bool
instance_eval_elems(RtInstance *inst, RtError *err)
{
    const RtCompiledModule *cm = inst->module->cm;
    for (uint32_t i = 0; i < cm->nelems; i++) {
        const RtCmElem *e = &cm->elems[i];
        if (e->nitems == 0)
            continue;
        void **items = rt_mallocarray(e->nitems, sizeof *items);
        if (!items)
            return rt_error_set(err, RT_ERROR_RESOURCE, "out of memory");
        for (uint32_t j = 0; j < e->nitems; j++)
            items[j] = eval_const(inst, &cm->elem_items[e->first + j]).ref;
        inst->elem_items[i] = items;
        inst->elem_sizes[i] = e->nitems;
    }
    for (uint32_t i = 0; i < cm->ndatas; i++)
        inst->data_sizes[i] = cm->datas[i].size;
    return true;
}

/* Runs the active segments (elements first, then data) and drops the active and
 * declarative ones. Returns a trap for the first segment out of bounds, else NULL. */
static RtTrap *
instance_run_segments(RtInstance *inst)
{
    const RtCompiledModule *cm = inst->module->cm;
    for (uint32_t i = 0; i < cm->nelems; i++) {
        const RtCmElem *e = &cm->elems[i];
        if (e->mode == RT_SEG_ACTIVE) {
            uint32_t dst = eval_const(inst, &e->offset).i32;
            if (!rt_table_init_checked(inst, inst->tables[e->table], i, dst, 0, e->nitems))
                return rt_trap_new(RT_TRAP_TABLE_OOB, NULL, 0);
        }
        if (e->mode != RT_SEG_PASSIVE) {
            free(inst->elem_items[i]);
            inst->elem_items[i] = NULL;
            inst->elem_sizes[i] = 0;
        }
    }
    for (uint32_t i = 0; i < cm->ndatas; i++) {
        const RtCmData *d = &cm->datas[i];
        if (d->mode != RT_SEG_ACTIVE)
            continue;
        uint32_t dst = eval_const(inst, &d->offset).i32;
        if (!rt_memory_init_checked(inst, inst->memories[d->memory], i, dst, 0, d->size))
            return rt_trap_new(RT_TRAP_MEMORY_OOB, NULL, 0);
        inst->data_sizes[i] = 0;
    }
    return NULL;
}

bool
rt_instance_new(RtStore *s, RtModule *m, const RtExtern *imports, uint32_t nimports,
                RtInstance **out, RtTrap **out_trap, RtError *err)
{
    const RtCompiledModule *cm = m->cm;
    *out = NULL;
    *out_trap = NULL;
    if (m->engine != s->engine)
        return rt_error_set(err, RT_ERROR_USAGE, "module and store of different engines");
    if (nimports != cm->nimports)
        return rt_error_set(err, RT_ERROR_USAGE, "module has %u imports, %u given",
                            cm->nimports, nimports);
    for (uint32_t i = 0; i < nimports; i++)
        if (!check_import(m, i, &imports[i], err))
            return false;
    if (cm->nmemories > cm->nimported_memories && s->engine->config.explicit_bounds &&
        !(cm->flags & RT_CM_EXPLICIT_BOUNDS))
        return rt_error_set(err, RT_ERROR_LINK,
                            "module needs guard-region memories; the engine uses explicit "
                            "bounds checks");
    RtInstance *inst = instance_alloc(s, m);
    if (!inst)
        return rt_error_set(err, RT_ERROR_RESOURCE, "out of memory for an instance");
    if (!instance_fill(inst, imports, err) || !instance_eval_elems(inst, err)) {
        rt_instance_free(inst);  // its tables and memories stay in the store, unused
        return false;
    }
    /* From here on the instance belongs to the store even if it traps: its functions may
     * already sit in imported tables. */
    inst->next = s->instances;
    s->instances = inst;
    *out_trap = instance_run_segments(inst);
    if (*out_trap)
        return false;
    if (cm->start_func != RT_CM_NONE) {
        RtVal none[1];
        if (!rt_call(s, inst->funcs[cm->start_func], none, out_trap, err))
            return false;
    }
    *out = inst;
    return true;
}

RtExtern
rt_instance_export_at(const RtInstance *inst, uint32_t i)
{
    const RtCmExport *e = &inst->module->cm->exports[i];
    RtExtern x;
    x.kind = e->kind;
    switch (e->kind) {
    case RT_EXTERN_FUNC:
        x.u.func = inst->funcs[e->index];
        break;
    case RT_EXTERN_TABLE:
        x.u.table = inst->tables[e->index];
        break;
    case RT_EXTERN_MEMORY:
        x.u.memory = inst->memories[e->index];
        break;
    default:
        x.u.global = inst->globals[e->index];
        break;
    }
    return x;
}

bool
rt_instance_export(const RtInstance *inst, const char *name, size_t len, RtExtern *out)
{
    uint32_t i = rt_module_export_index(inst->module, name, len);
    if (i == RT_CM_NONE)
        return false;
    *out = rt_instance_export_at(inst, i);
    return true;
}
