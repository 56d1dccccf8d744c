/*
 * Linear memories and the memory builtins. A memory is one reservation whose base never
 * moves: RT_MEMORY_RESERVATION bytes (8 GiB + a page) in guard-region mode, so any 32-bit
 * index plus 32-bit offset stays inside it and generated code needs no bounds checks, or its
 * maximum size in the explicit-check mode. Pages up to the current size are read-write, the
 * rest PROT_NONE; growing is an mprotect. Fresh anonymous pages read as zero, as wasm needs.
 * Released guard-region reservations are pooled per engine and reused.
 */
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

#include "runtime/runtime.h"

#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS MAP_ANON
#endif
#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif

/* A guard-region reservation from the engine's pool, or NULL. */
static uint8_t *
pool_take(RtEngine *e)
{
    uint8_t *r = NULL;
    pthread_mutex_lock(&e->lock);
    if (e->nfree_reservations)
        r = e->free_reservations[--e->nfree_reservations];
    pthread_mutex_unlock(&e->lock);
    return r;
}

/* Gives a PROT_NONE guard-region reservation to the pool; false if the pool is full. */
static bool
pool_give(RtEngine *e, uint8_t *r)
{
    bool kept = false;
    pthread_mutex_lock(&e->lock);
    if (e->nfree_reservations < RT_RESERVATION_POOL_MAX) {
        e->free_reservations[e->nfree_reservations++] = r;
        kept = true;
    }
    pthread_mutex_unlock(&e->lock);
    return kept;
}

bool
rt_memory_init(RtMemory *m, RtEngine *e, uint64_t min, bool has_max, uint64_t max,
               RtError *err)
{
    const RtConfig *cfg = &e->config;
    memset(m, 0, sizeof *m);
    m->engine = e;
    uint64_t cap = RT_MIN(cfg->max_memory_pages, 65536);
    if (has_max && max < min)
        return rt_error_set(err, RT_ERROR_USAGE, "memory maximum %llu below its minimum %llu",
                            (unsigned long long)max, (unsigned long long)min);
    if (min > cap)
        return rt_error_set(err, RT_ERROR_RESOURCE,
                            "memory of %llu pages exceeds the limit of %llu pages",
                            (unsigned long long)min, (unsigned long long)cap);
    m->has_max = has_max;
    m->declared_max = has_max ? max : 0;
    m->max_pages = has_max ? RT_MIN(max, cap) : cap;
    m->guard = !cfg->explicit_bounds;
    size_t page = rt_page_size();
    m->reserved = m->guard ? (size_t)RT_MEMORY_RESERVATION
                           : RT_MAX(RT_ALIGN_UP(m->max_pages * RT_WASM_PAGE_SIZE, page), page);
    uint8_t *base = m->guard ? pool_take(e) : NULL;
    if (!base) {
        void *p = mmap(NULL, m->reserved, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED)
            return rt_error_set(err, RT_ERROR_RESOURCE,
                                "cannot reserve %zu bytes for a memory", m->reserved);
        base = p;
    }
    if (min && mprotect(base, min * RT_WASM_PAGE_SIZE, PROT_READ | PROT_WRITE) != 0) {
        munmap(base, m->reserved);
        return rt_error_set(err, RT_ERROR_RESOURCE, "cannot commit a memory of %llu pages",
                            (unsigned long long)min);
    }
    m->base = base;
    m->size = min * RT_WASM_PAGE_SIZE;
    return true;
}

/*
 * A reservation goes back to the pool only after its committed pages are replaced by fresh
 * PROT_NONE ones (mmap MAP_FIXED over them, which is POSIX and drops their contents), so a
 * reused reservation reads as zeros once committed again, like a new one.
 */
void
rt_memory_fini(RtMemory *m)
{
    if (!m->base)
        return;
    bool pooled = false;
    if (m->guard && m->engine) {
        bool reset = m->size == 0 ||
                     mmap(m->base, m->size, PROT_NONE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1,
                          0) == (void *)m->base;
        pooled = reset && pool_give(m->engine, m->base);
    }
    if (!pooled)
        munmap(m->base, m->reserved);
    m->base = NULL;
    m->size = 0;
}

uint32_t
rt_memory_grow(RtMemory *m, uint32_t delta)
{
    uint64_t old = m->size / RT_WASM_PAGE_SIZE;
    if (delta == 0)
        return (uint32_t)old;
    uint64_t pages = old + delta;
    if (pages > m->max_pages)
        return UINT32_MAX;
    if (mprotect(m->base + m->size, (size_t)delta * RT_WASM_PAGE_SIZE,
                 PROT_READ | PROT_WRITE) != 0)
        return UINT32_MAX;
    m->size = pages * RT_WASM_PAGE_SIZE;
    return (uint32_t)old;
}

/* ---- Builtins ------------------------------------------------------------------------------ */

static RtInstance *
instance_of(VmCtx *vmctx)
{
    return (RtInstance *)vmctx->instance;
}

uint32_t
rt_builtin_memory_grow(VmCtx *vmctx, uint32_t mem, uint32_t delta)
{
    return rt_memory_grow(instance_of(vmctx)->memories[mem], delta);
}

uint32_t
rt_builtin_memory_size(VmCtx *vmctx, uint32_t mem)
{
    return (uint32_t)(instance_of(vmctx)->memories[mem]->size / RT_WASM_PAGE_SIZE);
}

void
rt_builtin_memory_fill(VmCtx *vmctx, uint32_t mem, uint32_t dst, uint32_t val, uint32_t n)
{
    RtMemory *m = instance_of(vmctx)->memories[mem];
    if ((uint64_t)dst + n > m->size)
        rt_trap_raise(RT_TRAP_MEMORY_OOB);
    memset(m->base + dst, (int)(val & 0xFF), n);
}

void
rt_builtin_memory_copy(VmCtx *vmctx, uint32_t dst_mem, uint32_t src_mem, uint32_t dst,
                       uint32_t src, uint32_t n)
{
    RtInstance *inst = instance_of(vmctx);
    RtMemory *d = inst->memories[dst_mem], *s = inst->memories[src_mem];
    if ((uint64_t)dst + n > d->size || (uint64_t)src + n > s->size)
        rt_trap_raise(RT_TRAP_MEMORY_OOB);
    memmove(d->base + dst, s->base + src, n);
}

bool
rt_memory_init_checked(RtInstance *inst, RtMemory *m, uint32_t seg, uint32_t dst, uint32_t src,
                       uint32_t n)
{
    const RtCompiledModule *cm = inst->module->cm;
    uint32_t avail = inst->data_sizes[seg];
    if ((uint64_t)src + n > avail || (uint64_t)dst + n > m->size)
        return false;
    if (n)
        memcpy(m->base + dst, cm->data + cm->datas[seg].off + src, n);
    return true;
}

void
rt_builtin_memory_init(VmCtx *vmctx, uint32_t mem, uint32_t seg, uint32_t dst, uint32_t src,
                       uint32_t n)
{
    RtInstance *inst = instance_of(vmctx);
    if (!rt_memory_init_checked(inst, inst->memories[mem], seg, dst, src, n))
        rt_trap_raise(RT_TRAP_MEMORY_OOB);
}

void
rt_builtin_data_drop(VmCtx *vmctx, uint32_t seg)
{
    instance_of(vmctx)->data_sizes[seg] = 0;
}
