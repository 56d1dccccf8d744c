/*
 * Module decoding (the first step of the pipeline): the header, every section in its order,
 * and the validation of everything outside function bodies. Bodies are only framed here;
 * validate.c checks them.
 *
 * Error precedence follows the spec, which decodes the whole module before validating it:
 * a malformed module is reported as malformed even if an invalid construct comes first. So
 * validation errors found while decoding go to `FeDecoder.invalid` (first one kept) and
 * decoding continues; malformed input stops decoding at once. At the end, a pending
 * validation error is reported only if no body is malformed either.
 *
 * Memory: every array is allocated in the module arena after its count has been checked
 * against the bytes left in the input (fe_read_len), so a module's decoded size is bounded
 * by a small multiple of its byte size, whatever counts it declares.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/internal.h"

typedef struct FeDecoder {
    FeModule *m;
    FeReader r;
    SkDiag invalid;          // first validation error, pending until decoding finishes
    uint32_t nfunc_decls;    // entries in the function section
    uint32_t ncodes;         // entries in the code section
    const uint8_t *code_at;  // the code section's entry count (for diagnostics)
    /* Capacities of the arrays the import section grows entry by entry. */
    uint32_t cap_imports, cap_funcs, cap_tables, cap_memories, cap_globals;
} FeDecoder;

/* Section ids in the order the binary format requires them; the data count section (12)
 * sits between the element (9) and code (10) sections. Custom sections (0) go anywhere. */
static const uint8_t section_rank[13] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10};
static const char *const section_names[13] = {
    "custom", "type",    "import",  "function", "table", "memory",    "global",
    "export", "start",   "element", "code",     "data",  "data count",
};

/* Records a validation error (the first one wins) and lets decoding go on. */
static void invalid_at(FeDecoder *d, const uint8_t *at, const char *fmt, ...) SK_PRINTF(3, 4);

static void
invalid_at(FeDecoder *d, const uint8_t *at, const char *fmt, ...)
{
    if (d->invalid.kind != SK_DIAG_NONE)
        return;
    d->invalid.kind = SK_DIAG_INVALID;
    d->invalid.offset = (uint64_t)(at - d->r.base);
    d->invalid.func_index = SK_DIAG_NO_FUNC;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->invalid.message, sizeof(d->invalid.message), fmt, ap);
    va_end(ap);
}

static bool
out_of_memory(FeDecoder *d)
{
    return fe_fail(&d->r, d->r.p, SK_DIAG_OUT_OF_MEMORY, "out of memory");
}

/* Zeroed array of n elements in the module arena; n was bounded by fe_read_len. */
static void *
alloc_array(FeDecoder *d, size_t n, size_t size)
{
    void *p = sk_arena_calloc(&d->m->arena, n ? n : 1, size);
    if (!p)
        out_of_memory(d);
    return p;
}

#define ALLOC_ARRAY(d, n, T) ((T *)alloc_array((d), (n), sizeof(T)))

/*
 * Makes room for element `len` of an array that grows as entries are decoded, doubling in
 * the arena: its size follows what the input holds, not what a count claims. (An import
 * count may claim one import per byte left, and each import adds to five arrays.)
 */
static bool
grow_one(FeDecoder *d, void **arr, uint32_t len, uint32_t *cap, size_t elem)
{
    if (len < *cap)
        return true;
    uint32_t ncap = *cap ? *cap * 2 : 8;
    if (ncap <= *cap) {
        fe_fail(&d->r, d->r.p, SK_DIAG_LIMIT, "too many entries");
        return false;
    }
    void *p = alloc_array(d, ncap, elem);
    if (!p)
        return false;
    if (len)
        memcpy(p, *arr, (size_t)len * elem);
    *arr = p;
    *cap = ncap;
    return true;
}

#define GROW_ONE(d, arr, len, cap) grow_one((d), (void **)&(arr), (len), &(cap), sizeof(*(arr)))

/* Reads a name: a length, then that many bytes of UTF-8, copied NUL-terminated. */
static bool
read_name(FeDecoder *d, FeName *out)
{
    FeReader *r = &d->r;
    const uint8_t *at = r->p;
    const uint8_t *s;
    uint32_t len;
    if (!fe_read_len(r, &len) || !fe_read_bytes(r, len, &s))
        return false;
    if (!fe_utf8_is_valid(s, len))
        return fe_fail(r, at, SK_DIAG_MALFORMED, "malformed UTF-8 encoding in a name");
    char *copy = sk_arena_alloc_aligned(&d->m->arena, (size_t)len + 1, 1);
    if (!copy)
        return out_of_memory(d);
    memcpy(copy, s, len);
    copy[len] = '\0';
    out->str = copy;
    out->len = len;
    return true;
}

/*
 * Limits: a flag (0 = min only, 1 = min and max) then u32s. The flag is a one-bit LEB128
 * in the reference interpreter, hence its wording for 0x02 and 0x81.
 */
static bool
read_limits(FeDecoder *d, FeLimits *out)
{
    FeReader *r = &d->r;
    const uint8_t *at = r->p;
    uint8_t flag;
    uint32_t min, max = 0;
    if (!fe_read_u8(r, &flag))
        return false;
    if ((flag & 0x7F) > 1)
        return fe_fail(r, at, SK_DIAG_MALFORMED, "integer too large: limits flag 0x%02x", flag);
    if (flag & 0x80)
        return fe_fail(r, r->p, SK_DIAG_MALFORMED,
                       "integer representation too long: limits flag 0x%02x", flag);
    if (!fe_read_u32(r, &min) || (flag && !fe_read_u32(r, &max)))
        return false;
    out->min = min;
    out->max = max;
    out->has_max = flag != 0;
    return true;
}

static void
check_table_limits(FeDecoder *d, const uint8_t *at, const FeLimits *l)
{
    if (l->has_max && l->min > l->max)
        invalid_at(d, at, "size minimum must not be greater than maximum (table %llu > %llu)",
                   (unsigned long long)l->min, (unsigned long long)l->max);
}

static void
check_memory_limits(FeDecoder *d, const uint8_t *at, const FeLimits *l)
{
    if (l->min > 65536 || (l->has_max && l->max > 65536))
        invalid_at(d, at, "memory size must be at most 65536 pages (4GiB)");
    else if (l->has_max && l->min > l->max)
        invalid_at(d, at, "size minimum must not be greater than maximum (memory %llu > %llu)",
                   (unsigned long long)l->min, (unsigned long long)l->max);
}

static void
check_memory_count(FeDecoder *d, const uint8_t *at)
{
    if (d->m->nmemories > 1)
        invalid_at(d, at, "multiple memories: WebAssembly 2.0 allows one, module has %u",
                   d->m->nmemories);
}

/* Marks function `f` as declared (C.refs): ref.func may name it in a body. */
static void
declare_func(FeDecoder *d, uint32_t f)
{
    if (f < d->m->nfuncs)
        d->m->func_declared[f] = 1;
}

static bool
is_const_op(FeOp op)
{
    switch (op) {
    case FE_OP_I32_CONST:
    case FE_OP_I64_CONST:
    case FE_OP_F32_CONST:
    case FE_OP_F64_CONST:
    case FE_OP_V128_CONST:
    case FE_OP_REF_NULL:
    case FE_OP_REF_FUNC:
    case FE_OP_GLOBAL_GET:
        return true;
    default:
        return false;
    }
}

/*
 * Reads a constant expression of result type `type`: instructions up to the `end` that
 * closes it. Decoding errors fail; validation errors (non-constant instruction, wrong type
 * or count, unknown or mutable global) are recorded as pending and decoding goes on.
 */
static bool
read_const_expr(FeDecoder *d, uint8_t type, FeConstExpr *out)
{
    FeReader *r = &d->r;
    FeModule *m = d->m;
    const uint8_t *start = r->p;
    const uint8_t *bad_at = NULL, *first_at = start;
    FeOp bad_op = FE_OP_NONE;
    uint32_t ninstrs = 0, depth = 0;
    FeInstr first, ins;
    memset(&first, 0, sizeof(first));
    for (;;) {
        const uint8_t *at = r->p;
        if (!fe_instr_decode(r, m->features, &ins))
            return false;
        FeOp op = (FeOp)ins.op;
        if (op == FE_OP_END) {
            if (depth == 0)
                break;
            depth--;
            continue;
        }
        if (op == FE_OP_ELSE && depth == 0)
            return fe_fail(r, at, SK_DIAG_MALFORMED, "END opcode expected, found else");
        if (op == FE_OP_BLOCK || op == FE_OP_LOOP || op == FE_OP_IF)
            depth++;
        if (is_const_op(op) && depth == 0) {
            if (ninstrs++ == 0) {
                first = ins;
                first_at = at;
            }
        } else if (!bad_at) {
            bad_at = at;
            bad_op = op;
        }
    }
    memset(out, 0, sizeof(*out));
    out->offset = (uint32_t)(start - r->base);
    out->size = (uint32_t)(r->p - start);
    out->type = type;
    if (bad_at) {
        invalid_at(d, bad_at, "constant expression required: %s is not constant",
                   fe_op_name(bad_op));
        return true;
    }
    if (ninstrs != 1) {
        invalid_at(d, ninstrs ? first_at : start,
                   "type mismatch: constant expression %s, expected one %s",
                   ninstrs ? "leaves several values" : "is empty", fe_valtype_name(type));
        return true;
    }
    uint8_t got = FE_VT_NONE;
    switch ((FeOp)first.op) {
    case FE_OP_I32_CONST:
        out->op = FE_CONST_I32;
        out->value.i32 = (uint32_t)first.v.i32;
        got = FE_VT_I32;
        break;
    case FE_OP_I64_CONST:
        out->op = FE_CONST_I64;
        out->value.i64 = (uint64_t)first.v.i64;
        got = FE_VT_I64;
        break;
    case FE_OP_F32_CONST:
        out->op = FE_CONST_F32;
        out->value.f32_bits = first.v.f32_bits;
        got = FE_VT_F32;
        break;
    case FE_OP_F64_CONST:
        out->op = FE_CONST_F64;
        out->value.f64_bits = first.v.f64_bits;
        got = FE_VT_F64;
        break;
    case FE_OP_V128_CONST:
        out->op = FE_CONST_V128;
        memcpy(out->value.v128, first.ptr, 16);
        got = FE_VT_V128;
        break;
    case FE_OP_REF_NULL:
        out->op = FE_CONST_REF_NULL;
        got = (uint8_t)first.idx;
        break;
    case FE_OP_REF_FUNC:
        out->op = FE_CONST_REF_FUNC;
        out->index = first.idx;
        if (first.idx >= m->nfuncs) {
            invalid_at(d, first_at, "unknown function %u", first.idx);
            return true;
        }
        declare_func(d, first.idx);
        got = FE_VT_FUNCREF;
        break;
    case FE_OP_GLOBAL_GET:
        out->op = FE_CONST_GLOBAL_GET;
        out->index = first.idx;
        /* Constant expressions see only the imported globals in WebAssembly 2.0. */
        if (first.idx >= m->nimported_globals) {
            invalid_at(d, first_at, "unknown global %u", first.idx);
            return true;
        }
        if (m->globals[first.idx].mutable_) {
            invalid_at(d, first_at,
                       "constant expression required: global.get of mutable global %u",
                       first.idx);
            return true;
        }
        got = m->globals[first.idx].type;
        break;
    default:
        sk_unreachable();
    }
    if (got != type)
        invalid_at(d, first_at, "type mismatch: constant expression has type %s, expected %s",
                   fe_valtype_name(got), fe_valtype_name(type));
    return true;
}

/* ---- sections 1-6: types, imports, functions, tables, memories, globals ---- */

static bool
section_type(FeDecoder *d)
{
    FeReader *r = &d->r;
    FeModule *m = d->m;
    uint32_t n;
    if (!fe_read_len(r, &n) || !(m->types = ALLOC_ARRAY(d, n, FeFuncType)))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        FeFuncType *t = &m->types[i];
        const uint8_t *at = r->p;
        uint8_t form, vt;
        if (!fe_read_u8(r, &form))
            return false;
        if (form != 0x60) {
            if (form & 0x80)
                return fe_fail(r, r->p, SK_DIAG_MALFORMED,
                               "integer representation too long: type form 0x%02x", form);
            return fe_fail(r, at, SK_DIAG_MALFORMED, "malformed function type 0x%02x", form);
        }
        /* Valid value types are single bytes, so the type lists can point into the input. */
        if (!fe_read_len(r, &t->nparams))
            return false;
        t->params = r->p;
        for (uint32_t k = 0; k < t->nparams; k++)
            if (!fe_read_valtype(r, &vt))
                return false;
        if (!fe_read_len(r, &t->nresults))
            return false;
        t->results = r->p;
        for (uint32_t k = 0; k < t->nresults; k++)
            if (!fe_read_valtype(r, &vt))
                return false;
        m->ntypes = i + 1;
    }
    return true;
}

static bool
section_import(FeDecoder *d)
{
    FeReader *r = &d->r;
    FeModule *m = d->m;
    uint32_t n;
    if (!fe_read_len(r, &n))
        return false;
    /* The arrays grow with the imports actually decoded; later sections append theirs. */
    for (uint32_t i = 0; i < n; i++) {
        if (!GROW_ONE(d, m->imports, i, d->cap_imports))
            return false;
        FeImport *imp = &m->imports[i];
        memset(imp, 0, sizeof(*imp));
        if (!read_name(d, &imp->module) || !read_name(d, &imp->name))
            return false;
        const uint8_t *at = r->p;
        uint8_t kind;
        if (!fe_read_u8(r, &kind))
            return false;
        imp->kind = kind;
        switch (kind) {
        case FE_EXTERN_FUNC: {
            uint32_t type;
            if (!fe_read_u32(r, &type))
                return false;
            if (type >= m->ntypes)
                invalid_at(d, at + 1, "unknown type %u", type);
            if (!GROW_ONE(d, m->funcs, m->nfuncs, d->cap_funcs))
                return false;
            imp->index = m->nfuncs;
            m->funcs[m->nfuncs++] = (FeFunc){.type_index = type, .imported = true};
            break;
        }
        case FE_EXTERN_TABLE: {
            if (!GROW_ONE(d, m->tables, m->ntables, d->cap_tables))
                return false;
            FeTable *t = &m->tables[m->ntables];
            memset(t, 0, sizeof(*t));
            if (!fe_read_reftype(r, &t->elem_type) || !read_limits(d, &t->limits))
                return false;
            check_table_limits(d, at, &t->limits);
            t->imported = true;
            imp->index = m->ntables++;
            break;
        }
        case FE_EXTERN_MEMORY: {
            if (!GROW_ONE(d, m->memories, m->nmemories, d->cap_memories))
                return false;
            FeMemory *mem = &m->memories[m->nmemories];
            memset(mem, 0, sizeof(*mem));
            if (!read_limits(d, &mem->limits))
                return false;
            check_memory_limits(d, at, &mem->limits);
            mem->imported = true;
            imp->index = m->nmemories++;
            check_memory_count(d, at);
            break;
        }
        case FE_EXTERN_GLOBAL: {
            if (!GROW_ONE(d, m->globals, m->nglobals, d->cap_globals))
                return false;
            FeGlobal *g = &m->globals[m->nglobals];
            memset(g, 0, sizeof(*g));
            uint8_t mut;
            if (!fe_read_valtype(r, &g->type) || !fe_read_u8(r, &mut))
                return false;
            if (mut > 1)
                return fe_fail(r, r->p - 1, SK_DIAG_MALFORMED, "malformed mutability 0x%02x",
                               mut);
            g->mutable_ = mut;
            g->imported = true;
            imp->index = m->nglobals++;
            break;
        }
        default:
            return fe_fail(r, at, SK_DIAG_MALFORMED, "malformed import kind 0x%02x", kind);
        }
        m->nimports = i + 1;
    }
    m->nimported_funcs = m->nfuncs;
    m->nimported_tables = m->ntables;
    m->nimported_memories = m->nmemories;
    m->nimported_globals = m->nglobals;
    if (!(m->func_declared = ALLOC_ARRAY(d, m->nfuncs, uint8_t)))
        return false;
    return true;
}

/* Grows one of the module's per-kind arrays to hold `extra` more entries after the
 * imported ones (a fresh arena copy; the old block is reclaimed with the arena). */
static void *
append_space(FeDecoder *d, void *old, uint32_t nold, uint32_t extra, size_t size)
{
    if ((uint64_t)nold + extra > UINT32_MAX) {
        fe_fail(&d->r, d->r.p, SK_DIAG_LIMIT, "too many entries");
        return NULL;
    }
    uint8_t *p = alloc_array(d, (size_t)nold + extra, size);
    if (p && nold)
        memcpy(p, old, (size_t)nold * size);
    return p;
}

static bool
section_function(FeDecoder *d)
{
    FeReader *r = &d->r;
    FeModule *m = d->m;
    uint32_t n;
    if (!fe_read_len(r, &n))
        return false;
    FeFunc *funcs = append_space(d, m->funcs, m->nfuncs, n, sizeof(FeFunc));
    if (!funcs || !(m->func_declared = ALLOC_ARRAY(d, (size_t)m->nfuncs + n, uint8_t)))
        return false;
    m->funcs = funcs;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *at = r->p;
        uint32_t type;
        if (!fe_read_u32(r, &type))
            return false;
        if (type >= m->ntypes)
            invalid_at(d, at, "unknown type %u", type);
        m->funcs[m->nfuncs++] = (FeFunc){.type_index = type};
    }
    d->nfunc_decls = n;
    return true;
}

static bool
section_table(FeDecoder *d)
{
    FeReader *r = &d->r;
    FeModule *m = d->m;
    uint32_t n;
    if (!fe_read_len(r, &n))
        return false;
    FeTable *tables = append_space(d, m->tables, m->ntables, n, sizeof(FeTable));
    if (!tables)
        return false;
    m->tables = tables;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *at = r->p;
        FeTable *t = &m->tables[m->ntables];
        if (!fe_read_reftype(r, &t->elem_type) || !read_limits(d, &t->limits))
            return false;
        check_table_limits(d, at, &t->limits);
        m->ntables++;
    }
    return true;
}

static bool
section_memory(FeDecoder *d)
{
    FeReader *r = &d->r;
    FeModule *m = d->m;
    uint32_t n;
    if (!fe_read_len(r, &n))
        return false;
    FeMemory *mems = append_space(d, m->memories, m->nmemories, n, sizeof(FeMemory));
    if (!mems)
        return false;
    m->memories = mems;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *at = r->p;
        FeMemory *mem = &m->memories[m->nmemories];
        if (!read_limits(d, &mem->limits))
            return false;
        check_memory_limits(d, at, &mem->limits);
        m->nmemories++;
        check_memory_count(d, at);
    }
    return true;
}

static bool
section_global(FeDecoder *d)
{
    FeReader *r = &d->r;
    FeModule *m = d->m;
    uint32_t n;
    if (!fe_read_len(r, &n))
        return false;
    FeGlobal *globals = append_space(d, m->globals, m->nglobals, n, sizeof(FeGlobal));
    if (!globals)
        return false;
    m->globals = globals;
    for (uint32_t i = 0; i < n; i++) {
        FeGlobal *g = &m->globals[m->nglobals];
        uint8_t mut;
        if (!fe_read_valtype(r, &g->type) || !fe_read_u8(r, &mut))
            return false;
        if (mut > 1)
            return fe_fail(r, r->p - 1, SK_DIAG_MALFORMED, "malformed mutability 0x%02x", mut);
        g->mutable_ = mut;
        if (!read_const_expr(d, g->type, &g->init))
            return false;
        m->nglobals++;
    }
    return true;
}

/* ---- sections 7-12: exports, start, elements, data count, code, data ---- */

static int
compare_names(const void *a, const void *b)
{
    const FeName *x = *(const FeName *const *)a, *y = *(const FeName *const *)b;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return memcmp(x->str, y->str, x->len);
}

/* Export names must be unique: sort pointers to them and compare neighbours. */
static bool
check_export_names(FeDecoder *d, const uint8_t *at)
{
    FeModule *m = d->m;
    if (m->nexports < 2)
        return true;
    const FeName **names = ALLOC_ARRAY(d, m->nexports, const FeName *);
    if (!names)
        return false;
    for (uint32_t i = 0; i < m->nexports; i++)
        names[i] = &m->exports[i].name;
    qsort(names, m->nexports, sizeof(*names), compare_names);
    for (uint32_t i = 1; i < m->nexports; i++)
        if (compare_names(&names[i - 1], &names[i]) == 0) {
            invalid_at(d, at, "duplicate export name \"%s\"", names[i]->str);
            break;
        }
    return true;
}

static bool
section_export(FeDecoder *d)
{
    FeReader *r = &d->r;
    FeModule *m = d->m;
    const uint8_t *section_at = r->p;
    uint32_t n;
    if (!fe_read_len(r, &n) || !(m->exports = ALLOC_ARRAY(d, n, FeExport)))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        FeExport *e = &m->exports[i];
        if (!read_name(d, &e->name))
            return false;
        const uint8_t *at = r->p;
        uint8_t kind;
        if (!fe_read_u8(r, &kind))
            return false;
        if (kind >= FE_EXTERN_COUNT)
            return fe_fail(r, at, SK_DIAG_MALFORMED, "malformed export kind 0x%02x", kind);
        if (!fe_read_u32(r, &e->index))
            return false;
        e->kind = kind;
        m->nexports = i + 1;
        static const char *const kinds[] = {"function", "table", "memory", "global"};
        uint32_t count = kind == FE_EXTERN_FUNC     ? m->nfuncs
                         : kind == FE_EXTERN_TABLE  ? m->ntables
                         : kind == FE_EXTERN_MEMORY ? m->nmemories
                                                    : m->nglobals;
        if (e->index >= count)
            invalid_at(d, at + 1, "unknown %s %u", kinds[kind], e->index);
        else if (kind == FE_EXTERN_FUNC)
            declare_func(d, e->index);
    }
    return check_export_names(d, section_at);
}

static bool
section_start(FeDecoder *d)
{
    FeReader *r = &d->r;
    FeModule *m = d->m;
    const uint8_t *at = r->p;
    uint32_t f;
    if (!fe_read_u32(r, &f))
        return false;
    m->start_func = f;
    if (f >= m->nfuncs) {
        invalid_at(d, at, "unknown function %u", f);
    } else if (m->funcs[f].type_index < m->ntypes) {
        const FeFuncType *t = &m->types[m->funcs[f].type_index];
        if (t->nparams || t->nresults)
            invalid_at(d, at, "start function %u must take and return nothing", f);
    }
    return true;
}

/*
 * Element segments. The flags select one of eight encodings (spec 5.5.12):
 *   bit 0: passive or declarative (else active); bit 1: explicit table index (active) or
 *   declarative (not active); bit 2: items are expressions (else function indices, and an
 *   element kind byte instead of a reference type).
 */
static bool
read_elem_segment(FeDecoder *d, FeElemSegment *s)
{
    FeReader *r = &d->r;
    FeModule *m = d->m;
    const uint8_t *at = r->p;
    uint32_t flags;
    if (!fe_read_u32(r, &flags))
        return false;
    if (flags > 7)
        return fe_fail(r, at, SK_DIAG_MALFORMED, "malformed elements segment kind %u", flags);
    bool active = !(flags & 1), exprs = flags & 4;
    s->mode = active ? FE_SEGMENT_ACTIVE
                     : (flags & 2) ? FE_SEGMENT_DECLARATIVE : FE_SEGMENT_PASSIVE;
    s->elem_type = FE_VT_FUNCREF;
    s->table = 0;
    const uint8_t *table_at = r->p;
    if (active && (flags & 2) && !fe_read_u32(r, &s->table))
        return false;
    if (active && !read_const_expr(d, FE_VT_I32, &s->offset))
        return false;
    if (flags & 3) {
        /* An explicit element type: a reference type, or the element kind 0x00 (funcref). */
        if (exprs) {
            if (!fe_read_reftype(r, &s->elem_type))
                return false;
        } else {
            uint8_t kind;
            if (!fe_read_u8(r, &kind))
                return false;
            if (kind != 0x00)
                return fe_fail(r, r->p - 1, SK_DIAG_MALFORMED, "malformed element kind 0x%02x",
                               kind);
        }
    }
    if (active) {
        if (s->table >= m->ntables)
            invalid_at(d, table_at, "unknown table %u", s->table);
        else if (m->tables[s->table].elem_type != s->elem_type)
            invalid_at(d, table_at, "type mismatch: %s segment for a table of %s",
                       fe_valtype_name(s->elem_type),
                       fe_valtype_name(m->tables[s->table].elem_type));
    }
    if (!fe_read_len(r, &s->nitems) || !(s->items = ALLOC_ARRAY(d, s->nitems, FeConstExpr)))
        return false;
    for (uint32_t i = 0; i < s->nitems; i++) {
        FeConstExpr *item = &s->items[i];
        if (exprs) {
            if (!read_const_expr(d, s->elem_type, item))
                return false;
            continue;
        }
        const uint8_t *item_at = r->p;
        uint32_t f;
        if (!fe_read_u32(r, &f))
            return false;
        *item = (FeConstExpr){.op = FE_CONST_REF_FUNC,
                              .type = FE_VT_FUNCREF,
                              .index = f,
                              .offset = (uint32_t)(item_at - r->base),
                              .size = (uint32_t)(r->p - item_at)};
        if (f >= m->nfuncs)
            invalid_at(d, item_at, "unknown function %u", f);
        else
            declare_func(d, f);
    }
    return true;
}

static bool
section_elem(FeDecoder *d)
{
    FeModule *m = d->m;
    uint32_t n;
    if (!fe_read_len(&d->r, &n) || !(m->elems = ALLOC_ARRAY(d, n, FeElemSegment)))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        if (!read_elem_segment(d, &m->elems[i]))
            return false;
        m->nelems = i + 1;
    }
    return true;
}

static bool
section_data_count(FeDecoder *d)
{
    d->m->has_data_count = true;
    return fe_read_u32(&d->r, &d->m->data_count);
}

/* Frames the bodies (size and offset); their contents are validate.c's business. */
static bool
section_code(FeDecoder *d)
{
    FeReader *r = &d->r;
    FeModule *m = d->m;
    uint32_t n;
    d->code_at = r->p;
    if (!fe_read_len(r, &n))
        return false;
    d->ncodes = n;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t size;
        const uint8_t *body;
        if (!fe_read_len(r, &size) || !fe_read_bytes(r, size, &body))
            return false;
        if (i < d->nfunc_decls) {
            FeFunc *f = &m->funcs[m->nimported_funcs + i];
            f->body_offset = (uint32_t)(body - r->base);
            f->body_size = size;
        }
    }
    return true;
}

static bool
read_data_segment(FeDecoder *d, FeDataSegment *s)
{
    FeReader *r = &d->r;
    FeModule *m = d->m;
    const uint8_t *at = r->p;
    uint32_t flags;
    if (!fe_read_u32(r, &flags))
        return false;
    if (flags > 2)
        return fe_fail(r, at, SK_DIAG_MALFORMED, "malformed data segment kind %u", flags);
    s->mode = flags == 1 ? FE_SEGMENT_PASSIVE : FE_SEGMENT_ACTIVE;
    s->memory = 0;
    const uint8_t *mem_at = r->p;
    if (flags == 2 && !fe_read_u32(r, &s->memory))
        return false;
    if (flags != 1) {
        if (!read_const_expr(d, FE_VT_I32, &s->offset))
            return false;
        if (s->memory >= m->nmemories)
            invalid_at(d, mem_at, "unknown memory %u", s->memory);
    }
    return fe_read_len(r, &s->size) && fe_read_bytes(r, s->size, &s->bytes);
}

static bool
section_data(FeDecoder *d)
{
    FeModule *m = d->m;
    uint32_t n;
    if (!fe_read_len(&d->r, &n) || !(m->datas = ALLOC_ARRAY(d, n, FeDataSegment)))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        if (!read_data_segment(d, &m->datas[i]))
            return false;
        m->ndatas = i + 1;
    }
    return true;
}

/*
 * A custom section: a name, then anything. The `name` section is decoded on the side.
 * `truncated`: the section's size runs past the input (and `end` is the input's end).
 */
static bool
section_custom(FeDecoder *d, const uint8_t *end, bool truncated)
{
    FeReader *r = &d->r;
    FeName name;
    if (!read_name(d, &name))
        return false;
    if (r->p > end)
        return fe_fail(r, end, SK_DIAG_MALFORMED,
                       "unexpected end of section or function: custom section name overruns "
                       "its section");
    if (truncated)
        return fe_fail(r, r->end, SK_DIAG_MALFORMED,
                       "unexpected end of section or function: custom section runs past the "
                       "end of the input");
    if (name.len == 4 && !memcmp(name.str, "name", 4) && !d->m->func_names &&
        !d->m->module_name.str)
        fe_names_decode(d->m, r->p, end);
    r->p = end;
    return true;
}

static bool
decode_section(FeDecoder *d, uint8_t id)
{
    switch (id) {
    case 1:
        return section_type(d);
    case 2:
        return section_import(d);
    case 3:
        return section_function(d);
    case 4:
        return section_table(d);
    case 5:
        return section_memory(d);
    case 6:
        return section_global(d);
    case 7:
        return section_export(d);
    case 8:
        return section_start(d);
    case 9:
        return section_elem(d);
    case 10:
        return section_code(d);
    case 11:
        return section_data(d);
    case 12:
        return section_data_count(d);
    default:
        sk_unreachable();
    }
}

static bool
decode_header(FeDecoder *d)
{
    FeReader *r = &d->r;
    static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6D};
    size_t size = (size_t)(r->end - r->p);
    if (size >= 4 && memcmp(r->p, magic, 4) != 0)
        return fe_fail(r, r->p, SK_DIAG_MALFORMED, "magic header not detected");
    if (size < 8)
        return fe_fail(r, r->end, SK_DIAG_MALFORMED,
                       "unexpected end: %zu bytes, a module has at least an 8-byte header",
                       size);
    uint32_t version = fe_le32(r->p + 4);
    if (version != 1)
        return fe_fail(r, r->p + 4, SK_DIAG_MALFORMED, "unknown binary version %u", version);
    r->p += 8;
    return true;
}

static bool
decode_module(FeDecoder *d)
{
    FeReader *r = &d->r;
    FeModule *m = d->m;
    if (!decode_header(d))
        return false;
    uint8_t last_rank = 0;
    while (r->p < r->end) {
        const uint8_t *at = r->p;
        uint8_t id = *r->p++;
        if (id > 12)
            return fe_fail(r, at, SK_DIAG_MALFORMED, "malformed section id %u", id);
        if (id != 0) {
            if (section_rank[id] <= last_rank)
                return fe_fail(r, at, SK_DIAG_MALFORMED,
                               "unexpected content after last section: %s section out of "
                               "order or repeated", section_names[id]);
            last_rank = section_rank[id];
        }
        uint32_t size;
        if (!fe_read_len(r, &size))
            return false;
        /* fe_read_len bounds the size by the bytes from its own first byte on, so it may
         * still run a few bytes past the input: such a section is cut short. */
        bool truncated = size > (size_t)(r->end - r->p);
        const uint8_t *start = r->p, *end = truncated ? r->end : r->p + size;
        if (id == 10) {
            m->code_section_offset = (uint32_t)(start - r->base);
            m->code_section_size = size;
        }
        if (!(id == 0 ? section_custom(d, end, truncated) : decode_section(d, id)))
            return false;
        if (truncated || r->p != end)
            return fe_fail(r, start, SK_DIAG_MALFORMED,
                           "section size mismatch: %s section declares %u bytes, contents "
                           "take %td", section_names[id], size, r->p - start);
    }
    if (d->nfunc_decls != d->ncodes)
        return fe_fail(r, d->code_at ? d->code_at : r->end, SK_DIAG_MALFORMED,
                       "function and code section have inconsistent lengths: %u functions, "
                       "%u bodies", d->nfunc_decls, d->ncodes);
    if (m->has_data_count && m->data_count != m->ndatas)
        return fe_fail(r, r->end, SK_DIAG_MALFORMED,
                       "data count and data section have inconsistent lengths: %u declared, "
                       "%u segments", m->data_count, m->ndatas);
    if (!m->func_declared && !(m->func_declared = ALLOC_ARRAY(d, 0, uint8_t)))
        return false;
    return true;
}

bool
fe_module_decode(const uint8_t *bytes, size_t size, const FeOptions *opts, FeModule **out,
                 SkDiag *diag)
{
    const SkAlloc *alloc = opts && opts->alloc ? opts->alloc : &sk_alloc_default;
    *out = NULL;
    memset(diag, 0, sizeof(*diag));
    diag->func_index = SK_DIAG_NO_FUNC;
    if (size > UINT32_MAX)
        return sk_diag_set(diag, SK_DIAG_LIMIT, 0, "module too large: %zu bytes (limit 4 GiB)",
                           size);
    FeModule *m = sk_malloc(alloc, sizeof(FeModule));
    if (!m)
        return sk_diag_set(diag, SK_DIAG_OUT_OF_MEMORY, 0, "out of memory");
    memset(m, 0, sizeof(*m));
    sk_arena_init(&m->arena, alloc);
    m->bytes = bytes;
    m->size = size;
    m->features = opts && opts->features ? opts->features : FE_FEATURES_WASM2;
    m->start_func = UINT32_MAX;

    FeDecoder d;
    memset(&d, 0, sizeof(d));
    d.m = m;
    fe_reader_init(&d.r, bytes, bytes, bytes + size, diag);
    bool ok = decode_module(&d);
    if (ok && d.invalid.kind != SK_DIAG_NONE) {
        /* Invalid, but a malformed body would take precedence: decode them all first. */
        if (fe_bodies_check_syntax(m, m->nimported_funcs, diag))
            *diag = d.invalid;
        ok = false;
    }
    if (!ok) {
        fe_module_free(m);
        return false;
    }
    *out = m;
    return true;
}

void
fe_module_free(FeModule *m)
{
    if (!m)
        return;
    const SkAlloc *alloc = m->arena.alloc;
    sk_arena_free(&m->arena);
    sk_free(alloc, m, sizeof(*m));
}

const char *
fe_module_func_name(const FeModule *m, uint32_t func_index)
{
    uint32_t lo = 0, hi = m->nfunc_names;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t idx = m->func_names[mid].index;
        if (idx == func_index)
            return m->func_names[mid].name.str;
        if (idx < func_index)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
