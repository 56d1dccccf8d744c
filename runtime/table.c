/*
 * Tables and the table builtins. A table is an array of 8-byte elements (funcref: a
 * const RtFuncRef *, externref: an opaque pointer; NULL is ref.null) that generated code
 * reads through RtTable.elems and RtTable.size. Growing may move the array.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/runtime.h"

bool
rt_table_init(RtTable *t, uint8_t elem_type, uint32_t min, bool has_max, uint32_t max,
              void *init, const RtConfig *cfg, RtError *err)
{
    memset(t, 0, sizeof *t);
    if (has_max && max < min)
        return rt_error_set(err, RT_ERROR_USAGE, "table maximum %u below its minimum %u", max,
                            min);
    if (min > cfg->max_table_elems)
        return rt_error_set(err, RT_ERROR_RESOURCE,
                            "table of %u elements exceeds the limit of %u elements", min,
                            cfg->max_table_elems);
    t->elem_type = elem_type;
    t->has_max = has_max;
    t->declared_max = has_max ? max : 0;
    t->max = has_max ? RT_MIN(max, cfg->max_table_elems) : cfg->max_table_elems;
    t->elems = rt_calloc(min, sizeof *t->elems);
    if (!t->elems)
        return rt_error_set(err, RT_ERROR_RESOURCE, "out of memory for a table of %u", min);
    t->cap = min;
    t->size = min;
    for (uint32_t i = 0; init && i < min; i++)
        t->elems[i] = init;
    return true;
}

void
rt_table_fini(RtTable *t)
{
    free(t->elems);
    t->elems = NULL;
    t->size = t->cap = 0;
}

uint32_t
rt_table_grow(RtTable *t, uint32_t delta, void *init)
{
    uint32_t old = t->size;
    if (delta == 0)
        return old;
    uint64_t size = (uint64_t)old + delta;
    if (size > t->max)
        return UINT32_MAX;
    if (size > t->cap) {
        uint64_t cap = RT_MIN(RT_MAX(size, (uint64_t)t->cap * 2), (uint64_t)t->max);
        void **e = rt_reallocarray(t->elems, cap, sizeof *e);
        if (!e)
            return UINT32_MAX;
        t->elems = e;
        t->cap = (uint32_t)cap;
    }
    for (uint64_t i = old; i < size; i++)
        t->elems[i] = init;
    t->size = (uint32_t)size;
    return old;
}

/* ---- Builtins ------------------------------------------------------------------------------ */

static RtTable *
table_of(VmCtx *vmctx, uint32_t table)
{
    return ((RtInstance *)vmctx->instance)->tables[table];
}

void *
rt_builtin_table_get(VmCtx *vmctx, uint32_t table, uint32_t idx)
{
    RtTable *t = table_of(vmctx, table);
    if (idx >= t->size)
        rt_trap_raise(RT_TRAP_TABLE_OOB);
    return t->elems[idx];
}

void
rt_builtin_table_set(VmCtx *vmctx, uint32_t table, uint32_t idx, void *val)
{
    RtTable *t = table_of(vmctx, table);
    if (idx >= t->size)
        rt_trap_raise(RT_TRAP_TABLE_OOB);
    t->elems[idx] = val;
}

uint32_t
rt_builtin_table_size(VmCtx *vmctx, uint32_t table)
{
    return table_of(vmctx, table)->size;
}

uint32_t
rt_builtin_table_grow(VmCtx *vmctx, uint32_t table, void *init, uint32_t delta)
{
    return rt_table_grow(table_of(vmctx, table), delta, init);
}

void
rt_builtin_table_fill(VmCtx *vmctx, uint32_t table, uint32_t dst, void *val, uint32_t n)
{
    RtTable *t = table_of(vmctx, table);
    if ((uint64_t)dst + n > t->size)
        rt_trap_raise(RT_TRAP_TABLE_OOB);
    for (uint32_t i = 0; i < n; i++)
        t->elems[dst + i] = val;
}

void
rt_builtin_table_copy(VmCtx *vmctx, uint32_t dst_table, uint32_t src_table, uint32_t dst,
                      uint32_t src, uint32_t n)
{
    RtTable *d = table_of(vmctx, dst_table), *s = table_of(vmctx, src_table);
    if ((uint64_t)dst + n > d->size || (uint64_t)src + n > s->size)
        rt_trap_raise(RT_TRAP_TABLE_OOB);
    if (n)
        memmove(d->elems + dst, s->elems + src, (size_t)n * sizeof *d->elems);
}

bool
rt_table_init_checked(RtInstance *inst, RtTable *t, uint32_t seg, uint32_t dst, uint32_t src,
                      uint32_t n)
{
    uint32_t avail = inst->elem_sizes[seg];
    if ((uint64_t)src + n > avail || (uint64_t)dst + n > t->size)
        return false;
    if (n)
        memcpy(t->elems + dst, inst->elem_items[seg] + src, (size_t)n * sizeof *t->elems);
    return true;
}

void
rt_builtin_table_init(VmCtx *vmctx, uint32_t table, uint32_t seg, uint32_t dst, uint32_t src,
                      uint32_t n)
{
    RtInstance *inst = vmctx->instance;
    if (!rt_table_init_checked(inst, inst->tables[table], seg, dst, src, n))
        rt_trap_raise(RT_TRAP_TABLE_OOB);
}

void
rt_builtin_elem_drop(VmCtx *vmctx, uint32_t seg)
{
    RtInstance *inst = vmctx->instance;
    free(inst->elem_items[seg]);
    inst->elem_items[seg] = NULL;
    inst->elem_sizes[seg] = 0;
}
