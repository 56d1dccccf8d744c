/*
 * Stores: the owner of instances and of the memories, tables, globals and host functions
 * they use or the embedder creates. Nothing in a store is freed before the store, which is
 * what makes cross-instance references (shared tables, memories, globals, function
 * references in tables) safe without reference counts. A store also keeps every VM context's
 * stack limit in step with the fiber its wasm code runs on.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/runtime.h"

RtStore *
rt_store_new(RtEngine *e)
{
    RtStore *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->engine = e;
    /* No wasm runs outside rt_call; if it did, every stack check would fail at once. */
    s->stack_limit = UINTPTR_MAX;
    return s;
}

void
rt_store_free(RtStore *s)
{
    if (!s)
        return;
    RT_ASSERT(s->nesting == 0);
    while (s->instances) {
        RtInstance *inst = s->instances;
        s->instances = inst->next;
        rt_instance_free(inst);
    }
    while (s->hostfuncs) {
        RtHostFunc *hf = s->hostfuncs;
        s->hostfuncs = hf->next;
        if (hf->free_data)
            hf->free_data(hf->data);
        free(hf);
    }
    while (s->memories) {
        RtMemory *m = s->memories;
        s->memories = m->next;
        rt_memory_fini(m);
        free(m);
    }
    while (s->tables) {
        RtTable *t = s->tables;
        s->tables = t->next;
        rt_table_fini(t);
        free(t);
    }
    while (s->globals) {
        RtGlobal *g = s->globals;
        s->globals = g->next;
        free(g);
    }
    free(s);
}

void
rt_store_set_stack_limit(RtStore *s, uintptr_t limit)
{
    if (limit == s->stack_limit)
        return;
    s->stack_limit = limit;
    for (RtInstance *inst = s->instances; inst; inst = inst->next)
        inst->vmctx->stack_limit = limit;
}

RtMemory *
rt_store_memory_new(RtStore *s, uint64_t min, bool has_max, uint64_t max, RtError *err)
{
    RtMemory *m = malloc(sizeof *m);
    if (!m) {
        rt_error_set(err, RT_ERROR_RESOURCE, "out of memory");
        return NULL;
    }
    if (!rt_memory_init(m, s->engine, min, has_max, max, err)) {
        free(m);
        return NULL;
    }
    m->next = s->memories;
    s->memories = m;
    return m;
}

RtTable *
rt_store_table_new(RtStore *s, uint8_t elem_type, uint32_t min, bool has_max, uint32_t max,
                   void *init, RtError *err)
{
    RtTable *t = malloc(sizeof *t);
    if (!t) {
        rt_error_set(err, RT_ERROR_RESOURCE, "out of memory");
        return NULL;
    }
    if (!rt_table_init(t, elem_type, min, has_max, max, init, &s->engine->config, err)) {
        free(t);
        return NULL;
    }
    t->next = s->tables;
    s->tables = t;
    return t;
}

RtGlobal *
rt_store_global_new(RtStore *s, uint8_t type, bool mutable_, const RtVal *init, RtError *err)
{
    RtGlobal *g = calloc(1, sizeof *g);
    if (!g) {
        rt_error_set(err, RT_ERROR_RESOURCE, "out of memory");
        return NULL;
    }
    g->cell = &g->own;
    g->type = type;
    g->mutable_ = mutable_;
    if (init)
        g->own = *init;
    g->next = s->globals;
    s->globals = g;
    return g;
}

RtHostFunc *
rt_store_hostfunc_new(RtStore *s, uint32_t type_id, RtHostCallback cb, void *data,
                      void (*free_data)(void *), RtError *err)
{
    RtFuncType ft;
    if (!rt_engine_type(s->engine, type_id, &ft)) {
        if (free_data)
            free_data(data);
        rt_error_set(err, RT_ERROR_USAGE, "unknown function type id %u", type_id);
        return NULL;
    }
    RtHostFunc *hf = calloc(1, sizeof *hf);
    if (!hf) {
        if (free_data)
            free_data(data);
        rt_error_set(err, RT_ERROR_RESOURCE, "out of memory");
        return NULL;
    }
    hf->callback = cb;
    hf->ref.code = NULL;  // bound to a host-call trampoline when first needed
    hf->ref.vmctx = (VmCtx *)(void *)hf;
    hf->ref.type_id = type_id;
    hf->ref.flags = RT_FUNCREF_HOST;
    hf->data = data;
    hf->free_data = free_data;
    hf->next = s->hostfuncs;
    s->hostfuncs = hf;
    return hf;
}

bool
rt_store_bind_host(RtStore *s, const RtFuncRef *f)
{
    RtHostFunc *hf = rt_funcref_host(f);
    if (!hf || hf->ref.code)
        return true;  // wasm functions and bound copies always have code
    for (RtInstance *inst = s->instances; inst; inst = inst->next) {
        const RtModule *m = inst->module;
        for (uint32_t i = 0; i < m->cm->ntypes; i++) {
            uint32_t off = m->cm->types[i].host_tramp;
            if (m->type_ids[i] == f->type_id && off != RT_CM_NONE) {
                hf->ref.code = m->code + off;
                return true;
            }
        }
    }
    return false;
}
