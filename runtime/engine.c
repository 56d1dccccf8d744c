/*
 * Engines: the configuration, the canonical function types and the pool of idle fibers,
 * shared by every store and module of the engine (and by threads, under one mutex).
 * Canonical types make call_indirect a single integer compare across modules: two function
 * types get the same id exactly when their parameter and result lists are equal.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "runtime/runtime.h"

/* Idle fibers kept for reuse; beyond this they are unmapped. */
#define FIBER_POOL_MAX 16

void
rt_config_default(RtConfig *c)
{
    memset(c, 0, sizeof *c);
    c->wasm_stack_size = 1u << 20;
    c->max_memory_pages = 65536;
    c->max_table_elems = 10000000;
    c->max_nesting = 256;
    c->explicit_bounds = false;
}

RtEngine *
rt_engine_new(const RtConfig *cfg, RtError *err)
{
    if (!rt_signals_install()) {
        rt_error_set(err, RT_ERROR_RESOURCE, "cannot install the trap signal handlers");
        return NULL;
    }
    RtEngine *e = calloc(1, sizeof *e);
    if (!e) {
        rt_error_set(err, RT_ERROR_RESOURCE, "out of memory");
        return NULL;
    }
    if (cfg)
        e->config = *cfg;
    else
        rt_config_default(&e->config);
    RtConfig *c = &e->config;
    if (c->max_memory_pages > 65536)
        c->max_memory_pages = 65536;
    if (c->wasm_stack_size < 16 * 1024)
        c->wasm_stack_size = 16 * 1024;
    if (c->max_nesting == 0)
        c->max_nesting = 1;
    pthread_mutex_init(&e->lock, NULL);
    return e;
}

void
rt_engine_free(RtEngine *e)
{
    if (!e)
        return;
    while (e->free_fibers) {
        RtFiber *f = e->free_fibers;
        e->free_fibers = f->next_free;
        rt_fiber_free(f);
    }
    for (uint32_t i = 0; i < e->nfree_reservations; i++)
        munmap(e->free_reservations[i], RT_MEMORY_RESERVATION);
    for (uint32_t i = 0; i < e->ntypes; i++)
        free((void *)e->types[i].params);
    free(e->types);
    free(e->hash);
    pthread_mutex_destroy(&e->lock);
    free(e);
}

/* ---- Canonical types ----------------------------------------------------------------------- */

static uint32_t
type_hash(const uint8_t *params, uint32_t np, const uint8_t *results, uint32_t nr)
{
    uint32_t h = 2166136261u;  // FNV-1a over (np, params, nr, results)
    h = (h ^ np) * 16777619u;
    for (uint32_t i = 0; i < np; i++)
        h = (h ^ params[i]) * 16777619u;
    h = (h ^ nr) * 16777619u;
    for (uint32_t i = 0; i < nr; i++)
        h = (h ^ results[i]) * 16777619u;
    return h;
}

static bool
type_equal(const RtFuncType *t, const uint8_t *params, uint32_t np, const uint8_t *results,
           uint32_t nr)
{
    return t->nparams == np && t->nresults == nr &&
           (np == 0 || memcmp(t->params, params, np) == 0) &&
           (nr == 0 || memcmp(t->results, results, nr) == 0);
}

/* Doubles the hash table and re-inserts every id. Requires the lock. */
static bool
rehash(RtEngine *e)
{
    uint32_t cap = e->hash_cap ? e->hash_cap * 2 : 64;
    uint32_t *h = calloc(cap, sizeof *h);
    if (!h)
        return false;
    for (uint32_t id = 1; id <= e->ntypes; id++) {
        const RtFuncType *t = &e->types[id - 1];
        uint32_t i = type_hash(t->params, t->nparams, t->results, t->nresults) & (cap - 1);
        while (h[i])
            i = (i + 1) & (cap - 1);
        h[i] = id;
    }
    free(e->hash);
    e->hash = h;
    e->hash_cap = cap;
    return true;
}

uint32_t
rt_engine_intern_type(RtEngine *e, const uint8_t *params, uint32_t np, const uint8_t *results,
                      uint32_t nr)
{
    uint32_t id = 0;
    pthread_mutex_lock(&e->lock);
    if ((uint64_t)(e->ntypes + 1) * 2 > e->hash_cap && !rehash(e))
        goto out;
    uint32_t mask = e->hash_cap - 1;
    uint32_t i = type_hash(params, np, results, nr) & mask;
    for (; e->hash[i]; i = (i + 1) & mask) {
        if (type_equal(&e->types[e->hash[i] - 1], params, np, results, nr)) {
            id = e->hash[i];
            goto out;
        }
    }
    if (e->ntypes == e->types_cap) {
        uint32_t cap = e->types_cap ? e->types_cap * 2 : 32;
        RtFuncType *t = rt_reallocarray(e->types, cap, sizeof *t);
        if (!t)
            goto out;
        e->types = t;
        e->types_cap = cap;
    }
    /* One block: params then results (the block is freed through .params). */
    uint8_t *bytes = malloc((size_t)np + nr + 1);
    if (!bytes)
        goto out;
    if (np)
        memcpy(bytes, params, np);
    if (nr)
        memcpy(bytes + np, results, nr);
    e->types[e->ntypes] = (RtFuncType){bytes, bytes + np, np, nr};
    id = ++e->ntypes;
    e->hash[i] = id;
out:
    pthread_mutex_unlock(&e->lock);
    return id;
}

bool
rt_engine_type(RtEngine *e, uint32_t id, RtFuncType *out)
{
    bool ok = false;
    pthread_mutex_lock(&e->lock);
    if (id >= 1 && id <= e->ntypes) {
        *out = e->types[id - 1];
        ok = true;
    }
    pthread_mutex_unlock(&e->lock);
    return ok;
}

/* ---- Fiber pool ---------------------------------------------------------------------------- */

RtFiber *
rt_engine_fiber_get(RtEngine *e)
{
    pthread_mutex_lock(&e->lock);
    RtFiber *f = e->free_fibers;
    if (f) {
        e->free_fibers = f->next_free;
        e->nfree_fibers--;
    }
    pthread_mutex_unlock(&e->lock);
    if (!f)
        f = rt_fiber_new(e->config.wasm_stack_size);
    return f;
}

void
rt_engine_fiber_put(RtEngine *e, RtFiber *f)
{
    pthread_mutex_lock(&e->lock);
    if (e->nfree_fibers < FIBER_POOL_MAX) {
        f->next_free = e->free_fibers;
        e->free_fibers = f;
        e->nfree_fibers++;
        f = NULL;
    }
    pthread_mutex_unlock(&e->lock);
    rt_fiber_free(f);
}
