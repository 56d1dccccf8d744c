/*
 * Loading a compiled module: check it, make its types canonical, copy its code into a fresh
 * mapping, apply the relocations, then flip the mapping from writable to executable (W^X:
 * never both) and make the instruction cache coherent (required on aarch64), and register
 * the code range with the trap handler. Also the lookups the runtime does on a loaded module
 * (pc -> function, pc -> trap kind, export by name).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#if defined(__APPLE__)
#include <libkern/OSCacheControl.h>
#include <pthread.h>
#endif

#include "runtime/runtime.h"

#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS MAP_ANON
#endif

/* Sorts defined function indices by code offset (in place; qsort would need a global for
 * its comparison context). */
static void
sort_funcs(const RtCompiledModule *cm, uint32_t *idx, uint32_t n)
{
    /* Functions are almost always emitted in index order: check that first. */
    bool sorted = true;
    for (uint32_t i = 1; i < n && sorted; i++)
        sorted = cm->funcs[idx[i - 1]].code_offset <= cm->funcs[idx[i]].code_offset;
    if (sorted)
        return;
    /* Shell sort: O(n^1.3) in practice, in place, no callback context needed. */
    for (uint32_t gap = n / 2; gap > 0; gap /= 2) {
        for (uint32_t i = gap; i < n; i++) {
            uint32_t v = idx[i], j = i;
            while (j >= gap && cm->funcs[idx[j - gap]].code_offset > cm->funcs[v].code_offset) {
                idx[j] = idx[j - gap];
                j -= gap;
            }
            idx[j] = v;
        }
    }
}

/*
 * Executable memory, W^X. Linux/FreeBSD: map read-write, write, then mprotect read-execute.
 * macOS requires MAP_JIT for memory that becomes executable (hardened runtime, Apple
 * silicon): it is mapped RWX once and writes are switched on and off per thread with
 * pthread_jit_write_protect_np, so it is never writable and executable for the same thread.
 * (The macOS path follows Apple's documentation; skua's CI runs Linux only.)
 */
static uint8_t *
code_map(size_t size)
{
#if defined(__APPLE__)
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_JIT, -1, 0);
    if (p != MAP_FAILED)
        pthread_jit_write_protect_np(0);
#else
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
#endif
    return p == MAP_FAILED ? NULL : p;
}

/* Ends writing: makes the code executable and the instruction cache coherent. */
static bool
code_seal(uint8_t *code, size_t size, size_t used)
{
#if defined(__APPLE__)
    (void)size;
    pthread_jit_write_protect_np(1);
    sys_icache_invalidate(code, used);
    return true;
#else
    if (mprotect(code, size, PROT_READ | PROT_EXEC) != 0)
        return false;
    __builtin___clear_cache((char *)code, (char *)code + used);
    return true;
#endif
}

/* Copies the code into an executable mapping with relocations applied. */
static bool
map_code(RtModule *m, RtError *err)
{
    const RtCompiledModule *cm = m->cm;
    if (cm->code_size == 0)
        return true;
    size_t size = RT_ALIGN_UP((size_t)cm->code_size, rt_page_size());
    uint8_t *code = code_map(size);
    if (!code)
        return rt_error_set(err, RT_ERROR_RESOURCE, "cannot map %zu bytes of code", size);
    memcpy(code, cm->code, cm->code_size);
    for (uint32_t i = 0; i < cm->nrelocs; i++) {
        const RtCmReloc *r = &cm->relocs[i];
        uint64_t target = r->sym_kind == RT_SYM_BUILTIN
                              ? (uint64_t)(uintptr_t)rt_builtin_address(r->sym)
                              : (uint64_t)(uintptr_t)(code + r->sym);
        target += (uint64_t)r->addend;
        uint8_t le[8];
        for (int b = 0; b < 8; b++)
            le[b] = (uint8_t)(target >> (8 * b));
        memcpy(code + r->offset, le, 8);
    }
    if (!code_seal(code, size, cm->code_size)) {
        munmap(code, size);
        return rt_error_set(err, RT_ERROR_RESOURCE, "cannot make code executable");
    }
    m->code = code;
    m->code_map_size = size;
    return true;
}

static void
module_destroy(RtModule *m)
{
    if (m->code) {
        rt_code_unregister(m);
        munmap(m->code, m->code_map_size);
    }
    free(m->type_ids);
    free(m->funcs_by_addr);
    if (m->cm) {
        rt_cmodule_release(m->cm);
        free(m->cm);
    }
    free(m);
}

bool
rt_module_load(RtEngine *e, RtCompiledModule *cm, RtModule **out, RtError *err)
{
    *out = NULL;
    if (!rt_cmodule_check(cm, err)) {
        rt_cmodule_release(cm);
        free(cm);
        return false;
    }
    RtModule *m = calloc(1, sizeof *m);
    if (!m) {
        rt_cmodule_release(cm);
        free(cm);
        return rt_error_set(err, RT_ERROR_RESOURCE, "out of memory");
    }
    m->engine = e;
    m->cm = cm;
    atomic_init(&m->refs, 1);
    RtVmCounts counts = rt_cmodule_vmcounts(cm);
    rt_vmlayout_compute(&counts, &m->layout);  // checked by rt_cmodule_check

    m->type_ids = rt_calloc(cm->ntypes, sizeof *m->type_ids);
    m->ndefined = cm->nfuncs - cm->nimported_funcs;
    m->funcs_by_addr = rt_calloc(m->ndefined, sizeof *m->funcs_by_addr);
    if (!m->type_ids || !m->funcs_by_addr)
        goto oom;
    for (uint32_t i = 0; i < cm->ntypes; i++) {
        const RtCmType *t = &cm->types[i];
        const uint8_t *vt = cm->valtypes ? cm->valtypes + t->first : NULL;
        m->type_ids[i] = rt_engine_intern_type(e, vt, t->nparams, vt ? vt + t->nparams : NULL,
                                               t->nresults);
        if (!m->type_ids[i])
            goto oom;
    }
    for (uint32_t i = 0; i < m->ndefined; i++)
        m->funcs_by_addr[i] = cm->nimported_funcs + i;
    sort_funcs(cm, m->funcs_by_addr, m->ndefined);
    if (!map_code(m, err)) {
        module_destroy(m);
        return false;
    }
    if (!rt_code_register(m))
        goto oom;
    *out = m;
    return true;
oom:
    module_destroy(m);
    return rt_error_set(err, RT_ERROR_RESOURCE, "out of memory loading a module");
}

void
rt_module_retain(RtModule *m)
{
    atomic_fetch_add(&m->refs, 1);
}

void
rt_module_release(RtModule *m)
{
    if (m && atomic_fetch_sub(&m->refs, 1) == 1)
        module_destroy(m);
}

uint32_t
rt_module_func_at(const RtModule *m, uint32_t off)
{
    const RtCompiledModule *cm = m->cm;
    uint32_t lo = 0, hi = m->ndefined;  // find the last function starting at or before off
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (cm->funcs[m->funcs_by_addr[mid]].code_offset <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return RT_CM_NONE;
    uint32_t fi = m->funcs_by_addr[lo - 1];
    const RtCmFunc *f = &cm->funcs[fi];
    return off - f->code_offset < f->code_size ? fi : RT_CM_NONE;
}

RtTrapKind
rt_module_trap_at(const RtModule *m, uint32_t off)
{
    const RtCmTrap *t = m->cm->traps;
    uint32_t lo = 0, hi = m->cm->ntraps;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (t[mid].offset < off)
            lo = mid + 1;
        else if (t[mid].offset > off)
            hi = mid;
        else
            return (RtTrapKind)t[mid].kind;
    }
    return RT_TRAP_NONE;
}

uint32_t
rt_module_export_index(const RtModule *m, const char *name, size_t len)
{
    const RtCompiledModule *cm = m->cm;
    for (uint32_t i = 0; i < cm->nexports; i++) {
        RtCmStr s = cm->exports[i].name;
        if (s.len == len && (len == 0 || memcmp(rt_cmodule_str(cm, s), name, len) == 0))
            return i;
    }
    return RT_CM_NONE;
}
