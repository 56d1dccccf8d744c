/*
 * Checking compiled modules before the runtime trusts them. A module comes from the compiler
 * in memory or from a .skua file (issue 6), so every index, offset, count and type is
 * verified here, once, and the rest of the runtime relies on it: after rt_cmodule_check
 * succeeds, no array access driven by module data can go out of bounds. Also the host's
 * target and CPU features, which a module's header must match.
 */
#include <string.h>

#if defined(__linux__) && defined(__aarch64__)
#include <sys/auxv.h>
#endif
#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include "runtime/runtime.h"

RtTarget
rt_host_target(void)
{
#if defined(__x86_64__)
    return RT_TARGET_X86_64;
#elif defined(__aarch64__)
    return RT_TARGET_AARCH64;
#else
    return RT_TARGET_NONE;
#endif
}

const char *
rt_target_name(uint32_t target)
{
    switch (target) {
    case RT_TARGET_X86_64:
        return "x86_64";
    case RT_TARGET_AARCH64:
        return "aarch64";
    default:
        return "unknown";
    }
}

uint64_t
rt_host_cpu_features(void)
{
    uint64_t f = 0;
#if defined(__x86_64__)
    unsigned a, b, c, d;
    if (__get_cpuid(1, &a, &b, &c, &d)) {
        if (c & (1u << 0))
            f |= RT_CPU_X64_SSE3;
        if (c & (1u << 9))
            f |= RT_CPU_X64_SSSE3;
        if (c & (1u << 19))
            f |= RT_CPU_X64_SSE41;
        if (c & (1u << 20))
            f |= RT_CPU_X64_SSE42;
        if (c & (1u << 23))
            f |= RT_CPU_X64_POPCNT;
        /* AVX needs the OS to save the ymm state (OSXSAVE + XCR0 bits 1-2). */
        if ((c & (1u << 28)) && (c & (1u << 27))) {
            unsigned lo, hi;
            __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
            if ((lo & 6) == 6)
                f |= RT_CPU_X64_AVX;
        }
    }
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        if (b & (1u << 3))
            f |= RT_CPU_X64_BMI1;
        if (b & (1u << 8))
            f |= RT_CPU_X64_BMI2;
        if ((b & (1u << 5)) && (f & RT_CPU_X64_AVX))
            f |= RT_CPU_X64_AVX2;
    }
    if (__get_cpuid(0x80000001, &a, &b, &c, &d) && (c & (1u << 5)))
        f |= RT_CPU_X64_LZCNT;
#elif defined(__linux__) && defined(__aarch64__)
#ifdef HWCAP_ATOMICS
    if (getauxval(AT_HWCAP) & HWCAP_ATOMICS)
        f |= RT_CPU_A64_LSE;
#endif
#endif
    return f;
}

/* ---- The checker ----------------------------------------------------------------------- */

typedef struct Checker {
    const RtCompiledModule *m;
    RtError *err;
} Checker;

static bool
fail(Checker *c, const char *what, uint32_t index, const char *detail)
{
    return rt_error_set(c->err, RT_ERROR_LOAD, "invalid compiled module: %s %u: %s", what,
                        index, detail);
}

/* An array pointer is present exactly when its count is nonzero. */
static bool
array_ok(Checker *c, const void *p, uint64_t n, const char *what)
{
    if (n && !p)
        return fail(c, what, 0, "missing array");
    return true;
}

/* A string lies inside the pool and is followed by its NUL. NUL bytes inside it are fine:
 * wasm names are byte strings (names.wast exports "\0"), and everything that compares
 * them uses the length. */
static bool
str_ok(const Checker *c, RtCmStr s)
{
    if (s.off == 0 && s.len == 0)
        return true;
    const RtCompiledModule *m = c->m;
    return (uint64_t)s.off + s.len < m->strings_size && m->strings[s.off + s.len] == '\0';
}

static bool
is_valtype(uint8_t t)
{
    switch (t) {
    case RT_VT_I32:
    case RT_VT_I64:
    case RT_VT_F32:
    case RT_VT_F64:
    case RT_VT_V128:
    case RT_VT_FUNCREF:
    case RT_VT_EXTERNREF:
        return true;
    default:
        return false;
    }
}

static bool
is_reftype(uint8_t t)
{
    return t == RT_VT_FUNCREF || t == RT_VT_EXTERNREF;
}

/* A constant expression of result type `type`; GLOBAL_GET may read globals below
 * `nglobals_visible` (the imported ones in WebAssembly 2.0). */
static bool
const_ok(Checker *c, const RtCmConst *k, uint8_t type, uint32_t nglobals_visible)
{
    const RtCompiledModule *m = c->m;
    if (k->type != type)
        return false;
    switch (k->op) {
    case RT_CONST_I32:
        return type == RT_VT_I32;
    case RT_CONST_I64:
        return type == RT_VT_I64;
    case RT_CONST_F32:
        return type == RT_VT_F32;
    case RT_CONST_F64:
        return type == RT_VT_F64;
    case RT_CONST_V128:
        return type == RT_VT_V128;
    case RT_CONST_REF_NULL:
        return is_reftype(type);
    case RT_CONST_REF_FUNC:
        return type == RT_VT_FUNCREF && k->index < m->nfuncs;
    case RT_CONST_GLOBAL_GET:
        return k->index < nglobals_visible && m->globals[k->index].type == type &&
               !m->globals[k->index].mutable_;
    default:
        return false;
    }
}

static bool
code_range_ok(const RtCompiledModule *m, uint32_t off, uint32_t size)
{
    return (uint64_t)off + size <= m->code_size;
}

/* What the host must provide: the module's target and CPU features. */
static bool
check_host(Checker *c)
{
    const RtCompiledModule *m = c->m;
    if (m->target != (uint32_t)rt_host_target())
        return rt_error_set(c->err, RT_ERROR_LOAD,
                            "compiled module targets %s, this host is %s",
                            rt_target_name(m->target), rt_target_name(rt_host_target()));
    uint64_t missing = m->cpu_features & ~rt_host_cpu_features();
    if (missing)
        return rt_error_set(c->err, RT_ERROR_LOAD,
                            "compiled module needs CPU features this host lacks (mask 0x%llx)",
                            (unsigned long long)missing);
    return true;
}

static bool
check_header(Checker *c)
{
    const RtCompiledModule *m = c->m;
    if (m->version != RT_CM_VERSION)
        return rt_error_set(c->err, RT_ERROR_LOAD,
                            "compiled module format version %u, this runtime reads %u",
                            m->version, RT_CM_VERSION);
    if (m->target == RT_TARGET_NONE || m->target >= RT_TARGET_COUNT)
        return rt_error_set(c->err, RT_ERROR_LOAD, "compiled module has unknown target %u",
                            m->target);
    if (m->flags & ~(uint32_t)RT_CM_EXPLICIT_BOUNDS)
        return rt_error_set(c->err, RT_ERROR_LOAD, "compiled module has unknown flags 0x%x",
                            m->flags);
    if (m->strings_size && m->strings[m->strings_size - 1] != '\0')
        return fail(c, "string pool", 0, "not NUL-terminated");
    return array_ok(c, m->code, m->code_size, "code") &&
           array_ok(c, m->relocs, m->nrelocs, "relocations") &&
           array_ok(c, m->traps, m->ntraps, "trap table") &&
           array_ok(c, m->strings, m->strings_size, "strings") &&
           array_ok(c, m->valtypes, m->nvaltypes, "value types") &&
           array_ok(c, m->data, m->data_size, "data") &&
           array_ok(c, m->types, m->ntypes, "types") &&
           array_ok(c, m->imports, m->nimports, "imports") &&
           array_ok(c, m->funcs, m->nfuncs, "functions") &&
           array_ok(c, m->tables, m->ntables, "tables") &&
           array_ok(c, m->memories, m->nmemories, "memories") &&
           array_ok(c, m->globals, m->nglobals, "globals") &&
           array_ok(c, m->exports, m->nexports, "exports") &&
           array_ok(c, m->elems, m->nelems, "element segments") &&
           array_ok(c, m->elem_items, m->nelem_items, "element items") &&
           array_ok(c, m->datas, m->ndatas, "data segments");
}

static bool
check_code(Checker *c)
{
    const RtCompiledModule *m = c->m;
    for (uint32_t i = 0; i < m->nrelocs; i++) {
        const RtCmReloc *r = &m->relocs[i];
        if (r->kind != RT_RELOC_ABS64 || !code_range_ok(m, r->offset, 8))
            return fail(c, "relocation", i, "bad kind or offset");
        if (r->sym_kind == RT_SYM_BUILTIN) {
            if (r->sym == RT_BUILTIN_NONE || r->sym >= RT_BUILTIN_COUNT)
                return fail(c, "relocation", i, "unknown builtin");
        } else if (r->sym_kind == RT_SYM_CODE) {
            if (r->sym >= m->code_size)
                return fail(c, "relocation", i, "code offset out of range");
        } else {
            return fail(c, "relocation", i, "unknown symbol kind");
        }
    }
    for (uint32_t i = 0; i < m->ntraps; i++) {
        const RtCmTrap *t = &m->traps[i];
        if (t->offset >= m->code_size || t->kind == RT_TRAP_NONE || t->kind >= RT_TRAP_COUNT)
            return fail(c, "trap record", i, "bad offset or kind");
        if (i > 0 && t->offset <= m->traps[i - 1].offset)
            return fail(c, "trap record", i, "not sorted by offset");
    }
    return true;
}

static bool
check_types(Checker *c)
{
    const RtCompiledModule *m = c->m;
    for (uint32_t i = 0; i < m->nvaltypes; i++)
        if (!is_valtype(m->valtypes[i]))
            return fail(c, "value type", i, "unknown");
    for (uint32_t i = 0; i < m->ntypes; i++) {
        const RtCmType *t = &m->types[i];
        if ((uint64_t)t->first + t->nparams + t->nresults > m->nvaltypes)
            return fail(c, "type", i, "value types out of range");
        if ((t->entry_tramp != RT_CM_NONE && t->entry_tramp >= m->code_size) ||
            (t->host_tramp != RT_CM_NONE && t->host_tramp >= m->code_size))
            return fail(c, "type", i, "trampoline offset out of range");
    }
    return true;
}

/* Imported entities come first in each index space, in import order. */
static bool
check_imports(Checker *c)
{
    const RtCompiledModule *m = c->m;
    uint32_t seen[RT_EXTERN_COUNT] = {0};
    const uint32_t limit[RT_EXTERN_COUNT] = {m->nimported_funcs, m->nimported_tables,
                                             m->nimported_memories, m->nimported_globals};
    if (m->nimported_funcs > m->nfuncs || m->nimported_tables > m->ntables ||
        m->nimported_memories > m->nmemories || m->nimported_globals > m->nglobals)
        return fail(c, "import counts", 0, "exceed index spaces");
    for (uint32_t i = 0; i < m->nimports; i++) {
        const RtCmImport *im = &m->imports[i];
        if (im->kind >= RT_EXTERN_COUNT || !str_ok(c, im->module) || !str_ok(c, im->name))
            return fail(c, "import", i, "bad kind or name");
        if (im->index != seen[im->kind] || seen[im->kind] >= limit[im->kind])
            return fail(c, "import", i, "index out of order");
        seen[im->kind]++;
    }
    for (int k = 0; k < RT_EXTERN_COUNT; k++)
        if (seen[k] != limit[k])
            return fail(c, "import counts", (uint32_t)k, "do not match the imports");
    return true;
}

static bool
check_entities(Checker *c)
{
    const RtCompiledModule *m = c->m;
    for (uint32_t i = 0; i < m->nfuncs; i++) {
        const RtCmFunc *f = &m->funcs[i];
        if (f->type_index >= m->ntypes || !str_ok(c, f->name))
            return fail(c, "function", i, "bad type index or name");
        if (i < m->nimported_funcs) {
            if (f->code_offset != RT_CM_NONE || f->code_size != 0)
                return fail(c, "function", i, "imported function with code");
        } else if (f->code_offset == RT_CM_NONE || f->code_size == 0 ||
                   !code_range_ok(m, f->code_offset, f->code_size)) {
            return fail(c, "function", i, "code range out of bounds");
        }
    }
    for (uint32_t i = 0; i < m->ntables; i++) {
        const RtCmTable *t = &m->tables[i];
        if (!is_reftype(t->elem_type) || (t->has_max && t->max < t->min) ||
            (t->imported != 0) != (i < m->nimported_tables))
            return fail(c, "table", i, "bad element type or limits");
    }
    for (uint32_t i = 0; i < m->nmemories; i++) {
        const RtCmMemory *mem = &m->memories[i];
        if (mem->min > 65536 || (mem->has_max && (mem->max > 65536 || mem->max < mem->min)) ||
            (mem->imported != 0) != (i < m->nimported_memories))
            return fail(c, "memory", i, "bad limits");
    }
    for (uint32_t i = 0; i < m->nglobals; i++) {
        const RtCmGlobal *g = &m->globals[i];
        if (!is_valtype(g->type) || g->mutable_ > 1 ||
            (g->imported != 0) != (i < m->nimported_globals))
            return fail(c, "global", i, "bad type");
        if (i >= m->nimported_globals && !const_ok(c, &g->init, g->type, m->nimported_globals))
            return fail(c, "global", i, "bad initializer");
    }
    for (uint32_t i = 0; i < m->nexports; i++) {
        const RtCmExport *e = &m->exports[i];
        const uint32_t space[RT_EXTERN_COUNT] = {m->nfuncs, m->ntables, m->nmemories,
                                                 m->nglobals};
        if (e->kind >= RT_EXTERN_COUNT || e->index >= space[e->kind] || !str_ok(c, e->name))
            return fail(c, "export", i, "bad kind, index or name");
    }
    if (m->start_func != RT_CM_NONE) {
        if (m->start_func >= m->nfuncs)
            return fail(c, "start function", m->start_func, "out of range");
        const RtCmType *t = &m->types[m->funcs[m->start_func].type_index];
        if (t->nparams || t->nresults)
            return fail(c, "start function", m->start_func, "type is not [] -> []");
    }
    if (!str_ok(c, m->module_name))
        return fail(c, "module name", 0, "out of range");
    return true;
}

static bool
check_segments(Checker *c)
{
    const RtCompiledModule *m = c->m;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const RtCmElem *e = &m->elems[i];
        if (e->mode > RT_SEG_DECLARATIVE || !is_reftype(e->elem_type) ||
            (uint64_t)e->first + e->nitems > m->nelem_items)
            return fail(c, "element segment", i, "bad mode, type or items");
        if (e->mode == RT_SEG_ACTIVE &&
            (e->table >= m->ntables || m->tables[e->table].elem_type != e->elem_type ||
             !const_ok(c, &e->offset, RT_VT_I32, m->nimported_globals)))
            return fail(c, "element segment", i, "bad table or offset");
        for (uint32_t j = 0; j < e->nitems; j++) {
            const RtCmConst *k = &m->elem_items[e->first + j];
            if (!const_ok(c, k, e->elem_type, m->nimported_globals))
                return fail(c, "element segment", i, "bad item");
        }
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const RtCmData *d = &m->datas[i];
        if (d->mode > RT_SEG_PASSIVE || (uint64_t)d->off + d->size > m->data_size)
            return fail(c, "data segment", i, "bad mode or bytes");
        if (d->mode == RT_SEG_ACTIVE &&
            (d->memory >= m->nmemories ||
             !const_ok(c, &d->offset, RT_VT_I32, m->nimported_globals)))
            return fail(c, "data segment", i, "bad memory or offset");
    }
    return true;
}

bool
rt_cmodule_check(const RtCompiledModule *m, RtError *err)
{
    Checker c = {m, err};
    return check_header(&c) && check_host(&c) && rt_cmodule_check_format(m, err);
}

bool
rt_cmodule_check_format(const RtCompiledModule *m, RtError *err)
{
    Checker c = {m, err};
    if (!check_header(&c) || !check_code(&c) || !check_types(&c) || !check_imports(&c) ||
        !check_entities(&c) || !check_segments(&c))
        return false;
    RtVmCounts counts = rt_cmodule_vmcounts(m);
    RtVmLayout layout;
    if (!rt_vmlayout_compute(&counts, &layout))
        return rt_error_set(err, RT_ERROR_LOAD, "compiled module too large for a VM context");
    return true;
}
