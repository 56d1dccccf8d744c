/*
 * .skua files: the compiled-module format (runtime/cmodule.h) written to bytes and read back
 * (DESIGN.md, "Compiled module format"; issue 6). `skua compile -o` writes them, `skua run`
 * and `skua objdump` read them. A file is untrusted input: the reader bounds-checks every
 * count and offset before using it, verifies a CRC-32 over the payload, refuses another
 * format version, target, CPU or runtime ABI with a message that says which, and finally
 * runs the same checker as modules compiled in memory (rt_cmodule_check). It never crashes
 * and never allocates more than the file's size justifies.
 *
 * Layout (all integers little-endian, no padding, no alignment):
 *
 *   offset size  header (RT_CMF_HEADER_SIZE = 64 bytes)
 *     0     8    magic  00 's' 'k' 'u' 'a' 0D 0A 1A   (wasm starts 00 'a' 's' 'm')
 *     8     4    format version (RT_CMF_VERSION)
 *    12     4    target (RtTarget)
 *    16     8    CPU features the code uses (RT_CPU_* bits of the target)
 *    24     4    module flags (RT_CM_*)
 *    28     4    header size (64; a reader refuses any other)
 *    32     8    runtime ABI fingerprint (rt_abi_fingerprint of the writing skua)
 *    40    16    producer, e.g. "skua 0.1.0", NUL-padded (informational)
 *    56     4    payload size in bytes
 *    60     4    CRC-32 (IEEE 802.3, reflected) of the payload
 *    64          payload: the RtCompiledModule arrays, in the order of write_payload
 *
 * Payload encoding: a byte array is u32 length + bytes; a structure array is u32 count +
 * elements, each element its fields in declaration order (u8/u32/u64 as declared, RtCmStr as
 * u32 off + u32 len, RtCmConst as u8 op, u8 type, u32 index, 16 value bytes). The payload
 * must be consumed exactly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/runtime.h"
#include "runtime/skua.h"

_Static_assert(RT_CM_VERSION == 1, "RtCompiledModule changed: update the .skua encoding "
                                   "below and bump RT_CMF_VERSION");

static const uint8_t cmf_magic[RT_CMF_MAGIC_SIZE] = {0x00, 's', 'k', 'u', 'a', 0x0D, 0x0A, 0x1A};

#define PRODUCER_SIZE 16

/* Encoded sizes of the structure array elements (the reader's lower bound per element). */
#define ENC_STR 8
#define ENC_CONST 22
#define ENC_RELOC 18
#define ENC_TRAP 8
#define ENC_TYPE 20
#define ENC_IMPORT (2 * ENC_STR + 5)
#define ENC_FUNC (12 + ENC_STR)
#define ENC_TABLE 11
#define ENC_MEMORY 18
#define ENC_GLOBAL (3 + ENC_CONST)
#define ENC_EXPORT (ENC_STR + 5)
#define ENC_ELEM (6 + ENC_CONST + 8)
#define ENC_DATA (5 + ENC_CONST + 8)

/* ---- checksums and the ABI fingerprint ----------------------------------------------------- */

/*
 * CRC-32 (IEEE 802.3: polynomial 0xEDB88320 reflected, initial and final value 0xFFFFFFFF),
 * slice-by-8: t[0] is the classic bytewise table, t[k][b] is the CRC contribution of byte b
 * followed by k zero bytes, so eight input bytes take eight independent lookups instead of a
 * chain of eight. The tables (8 KiB) are built on the stack per call: about 8,000
 * instructions, against ~2 instructions per payload byte (a sqlite3 .skua has ~2 MB).
 */
uint32_t
rt_crc32(const uint8_t *p, size_t n)
{
    uint32_t t[8][256];
    /* t[0] is linear in the byte: t[0][i ^ j] == t[0][i] ^ t[0][j], so each power of two
     * is one shift step of the previous one and the rest are XORs of those. */
    t[0][0] = 0;
    uint32_t c = 1;
    for (uint32_t i = 128; i > 0; i >>= 1) {
        c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
        for (uint32_t j = 0; j < 256; j += 2 * i)
            t[0][i + j] = c ^ t[0][j];
    }
    for (uint32_t i = 0; i < 256; i++)
        for (int k = 1; k < 8; k++)
            t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xFF];

    uint32_t crc = 0xFFFFFFFFu;
    for (; n >= 8; n -= 8, p += 8) {
        uint32_t lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                             (uint32_t)p[3] << 24);
        uint32_t hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 |
                      (uint32_t)p[7] << 24;
        crc = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^
              t[4][lo >> 24] ^ t[3][hi & 0xFF] ^ t[2][(hi >> 8) & 0xFF] ^
              t[1][(hi >> 16) & 0xFF] ^ t[0][hi >> 24];
    }
    for (; n > 0; n--, p++)
        crc = t[0][(crc ^ *p) & 0xFF] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

#define CMF_STR_(x) #x
#define CMF_STR(x) CMF_STR_(x)
#define CMF_BUILTIN(name, sig) #name "=" sig ";"
#define CMF_TRAP(name, msg) #name ";"

/*
 * Everything compiled code assumes about the runtime that the compiled-module structures do
 * not say: builtin ids and signatures, trap kind numbering, VM context and object offsets.
 * Any change to these tables or constants changes the fingerprint, so a .skua file from a
 * skua whose code would misread this runtime is refused instead of crashing.
 */
static const char abi_description[] =
    "builtins:" RT_BUILTINS(CMF_BUILTIN) "traps:" RT_TRAP_KINDS(CMF_TRAP)
    "vmctx:" CMF_STR(RT_VMCTX_OFF_MEM0_BASE) "," CMF_STR(RT_VMCTX_OFF_MEM0) ","
    CMF_STR(RT_VMCTX_OFF_STACK_LIMIT) "," CMF_STR(RT_VMCTX_OFF_INSTANCE) ","
    CMF_STR(RT_VMCTX_HEADER_SIZE) "," CMF_STR(RT_VMCTX_ALIGN)
    ";memory:" CMF_STR(RT_MEMORY_OFF_BASE) "," CMF_STR(RT_MEMORY_OFF_SIZE) ","
    CMF_STR(RT_MEMORY_RESERVATION)
    ";table:" CMF_STR(RT_TABLE_OFF_ELEMS) "," CMF_STR(RT_TABLE_OFF_SIZE) ","
    CMF_STR(RT_TABLE_ELEM_SIZE)
    ";funcref:" CMF_STR(RT_FUNCREF_OFF_CODE) "," CMF_STR(RT_FUNCREF_OFF_VMCTX) ","
    CMF_STR(RT_FUNCREF_OFF_TYPE_ID) "," CMF_STR(RT_FUNCREF_SIZE) "," CMF_STR(RT_FUNCREF_HOST)
    ";hostfunc:" CMF_STR(RT_HOSTFUNC_OFF_CALLBACK)
    ";stack:" CMF_STR(RT_STACK_RESERVE) "," CMF_STR(RT_STACK_FRAME_SLACK);

uint64_t
rt_abi_fingerprint(void)
{
    /* FNV-1a, 64 bits. */
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i + 1 < sizeof abi_description; i++) {
        h ^= (uint8_t)abi_description[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* ---- CPU feature names ------------------------------------------------------------------- */

typedef struct FeatureName {
    uint32_t target;
    uint64_t bit;
    const char *name;
} FeatureName;

static const FeatureName feature_names[] = {
    {RT_TARGET_X86_64, RT_CPU_X64_SSE3, "sse3"},     {RT_TARGET_X86_64, RT_CPU_X64_SSSE3, "ssse3"},
    {RT_TARGET_X86_64, RT_CPU_X64_SSE41, "sse4.1"},  {RT_TARGET_X86_64, RT_CPU_X64_SSE42, "sse4.2"},
    {RT_TARGET_X86_64, RT_CPU_X64_POPCNT, "popcnt"}, {RT_TARGET_X86_64, RT_CPU_X64_LZCNT, "lzcnt"},
    {RT_TARGET_X86_64, RT_CPU_X64_BMI1, "bmi1"},     {RT_TARGET_X86_64, RT_CPU_X64_BMI2, "bmi2"},
    {RT_TARGET_X86_64, RT_CPU_X64_AVX, "avx"},       {RT_TARGET_X86_64, RT_CPU_X64_AVX2, "avx2"},
    {RT_TARGET_AARCH64, RT_CPU_A64_LSE, "lse"},
};

void
rt_cpu_features_format(uint32_t target, uint64_t features, char *buf, size_t size)
{
    size_t len = 0;
    if (size == 0)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i < RT_ARRAY_LEN(feature_names); i++) {
        const FeatureName *f = &feature_names[i];
        if (f->target != target || !(features & f->bit))
            continue;
        features &= ~f->bit;
        int n = snprintf(buf + len, size - len, "%s%s", len ? " " : "", f->name);
        if (n < 0 || (size_t)n >= size - len)
            return;
        len += (size_t)n;
    }
    if (features)
        snprintf(buf + len, size - len, "%sbits 0x%llx", len ? " " : "",
                 (unsigned long long)features);
    else if (len == 0)
        snprintf(buf, size, "none");
}

/* ---- writing ---------------------------------------------------------------------------- */

typedef struct Writer {
    uint8_t *buf;
    size_t len, cap;
    bool failed;
} Writer;

static void
w_bytes(Writer *w, const void *p, size_t n)
{
    if (w->failed || n == 0)
        return;
    if (n > SIZE_MAX / 2 - w->len) {
        w->failed = true;
        return;
    }
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap : 4096;
        while (cap < w->len + n)
            cap *= 2;
        uint8_t *b = realloc(w->buf, cap);
        if (!b) {
            w->failed = true;
            return;
        }
        w->buf = b;
        w->cap = cap;
    }
    memcpy(w->buf + w->len, p, n);
    w->len += n;
}

static void
w_u8(Writer *w, uint8_t v)
{
    w_bytes(w, &v, 1);
}

static void
w_u32(Writer *w, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    w_bytes(w, b, 4);
}

static void
w_u64(Writer *w, uint64_t v)
{
    w_u32(w, (uint32_t)v);
    w_u32(w, (uint32_t)(v >> 32));
}

static void
w_str(Writer *w, RtCmStr s)
{
    w_u32(w, s.off);
    w_u32(w, s.len);
}

static void
w_const(Writer *w, const RtCmConst *k)
{
    w_u8(w, k->op);
    w_u8(w, k->type);
    w_u32(w, k->index);
    uint8_t v[16];
    memset(v, 0, sizeof v);
    switch (k->op) {
    case RT_CONST_I32:
    case RT_CONST_F32:
        for (int i = 0; i < 4; i++)
            v[i] = (uint8_t)(k->value.i32 >> (8 * i));
        break;
    case RT_CONST_I64:
    case RT_CONST_F64:
        for (int i = 0; i < 8; i++)
            v[i] = (uint8_t)(k->value.i64 >> (8 * i));
        break;
    case RT_CONST_V128:
        memcpy(v, k->value.v128, 16);
        break;
    default:
        break;
    }
    w_bytes(w, v, 16);
}

/* The payload: every array of the module, in this fixed order (read_payload mirrors it). */
static void
write_payload(Writer *w, const RtCompiledModule *m)
{
    w_u32(w, m->code_size);
    w_bytes(w, m->code, m->code_size);
    w_u32(w, m->nrelocs);
    for (uint32_t i = 0; i < m->nrelocs; i++) {
        const RtCmReloc *r = &m->relocs[i];
        w_u32(w, r->offset);
        w_u8(w, r->kind);
        w_u8(w, r->sym_kind);
        w_u32(w, r->sym);
        w_u64(w, (uint64_t)r->addend);
    }
    w_u32(w, m->ntraps);
    for (uint32_t i = 0; i < m->ntraps; i++) {
        w_u32(w, m->traps[i].offset);
        w_u32(w, m->traps[i].kind);
    }
    w_u32(w, m->strings_size);
    w_bytes(w, m->strings, m->strings_size);
    w_u32(w, m->nvaltypes);
    w_bytes(w, m->valtypes, m->nvaltypes);
    w_u32(w, m->data_size);
    w_bytes(w, m->data, m->data_size);

    w_u32(w, m->ntypes);
    for (uint32_t i = 0; i < m->ntypes; i++) {
        const RtCmType *t = &m->types[i];
        w_u32(w, t->first);
        w_u32(w, t->nparams);
        w_u32(w, t->nresults);
        w_u32(w, t->entry_tramp);
        w_u32(w, t->host_tramp);
    }
    w_u32(w, m->nimports);
    for (uint32_t i = 0; i < m->nimports; i++) {
        const RtCmImport *im = &m->imports[i];
        w_str(w, im->module);
        w_str(w, im->name);
        w_u8(w, im->kind);
        w_u32(w, im->index);
    }
    w_u32(w, m->nfuncs);
    w_u32(w, m->nimported_funcs);
    for (uint32_t i = 0; i < m->nfuncs; i++) {
        const RtCmFunc *f = &m->funcs[i];
        w_u32(w, f->type_index);
        w_u32(w, f->code_offset);
        w_u32(w, f->code_size);
        w_str(w, f->name);
    }
    w_u32(w, m->ntables);
    w_u32(w, m->nimported_tables);
    for (uint32_t i = 0; i < m->ntables; i++) {
        const RtCmTable *t = &m->tables[i];
        w_u8(w, t->elem_type);
        w_u8(w, t->imported);
        w_u8(w, t->has_max);
        w_u32(w, t->min);
        w_u32(w, t->max);
    }
    w_u32(w, m->nmemories);
    w_u32(w, m->nimported_memories);
    for (uint32_t i = 0; i < m->nmemories; i++) {
        const RtCmMemory *mem = &m->memories[i];
        w_u8(w, mem->imported);
        w_u8(w, mem->has_max);
        w_u64(w, mem->min);
        w_u64(w, mem->max);
    }
    w_u32(w, m->nglobals);
    w_u32(w, m->nimported_globals);
    for (uint32_t i = 0; i < m->nglobals; i++) {
        const RtCmGlobal *g = &m->globals[i];
        w_u8(w, g->type);
        w_u8(w, g->mutable_);
        w_u8(w, g->imported);
        w_const(w, &g->init);
    }
    w_u32(w, m->nexports);
    for (uint32_t i = 0; i < m->nexports; i++) {
        w_str(w, m->exports[i].name);
        w_u8(w, m->exports[i].kind);
        w_u32(w, m->exports[i].index);
    }
    w_u32(w, m->start_func);
    w_u32(w, m->nelems);
    for (uint32_t i = 0; i < m->nelems; i++) {
        const RtCmElem *e = &m->elems[i];
        w_u8(w, e->mode);
        w_u8(w, e->elem_type);
        w_u32(w, e->table);
        w_const(w, &e->offset);
        w_u32(w, e->first);
        w_u32(w, e->nitems);
    }
    w_u32(w, m->nelem_items);
    for (uint32_t i = 0; i < m->nelem_items; i++)
        w_const(w, &m->elem_items[i]);
    w_u32(w, m->ndatas);
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const RtCmData *d = &m->datas[i];
        w_u8(w, d->mode);
        w_u32(w, d->memory);
        w_const(w, &d->offset);
        w_u32(w, d->off);
        w_u32(w, d->size);
    }
    w_str(w, m->module_name);
}

static void
put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void
put_u64(uint8_t *p, uint64_t v)
{
    put_u32(p, (uint32_t)v);
    put_u32(p + 4, (uint32_t)(v >> 32));
}

bool
rt_cmodule_serialize(const RtCompiledModule *m, const char *producer, uint8_t **out,
                     size_t *out_size, RtError *err)
{
    *out = NULL;
    *out_size = 0;
    if (!rt_cmodule_check_format(m, err))
        return false;
    Writer w = {0};
    uint8_t header[RT_CMF_HEADER_SIZE];
    memset(header, 0, sizeof header);
    w_bytes(&w, header, sizeof header);  // filled in below, once the payload is known
    write_payload(&w, m);
    if (w.failed) {
        free(w.buf);
        return rt_error_set(err, RT_ERROR_RESOURCE, "out of memory writing a compiled module");
    }
    size_t payload = w.len - RT_CMF_HEADER_SIZE;
    if (payload > UINT32_MAX) {
        free(w.buf);
        return rt_error_set(err, RT_ERROR_RESOURCE,
                            "compiled module too large for a .skua file (%zu bytes)", payload);
    }
    memcpy(header, cmf_magic, RT_CMF_MAGIC_SIZE);
    put_u32(header + 8, RT_CMF_VERSION);
    put_u32(header + 12, m->target);
    put_u64(header + 16, m->cpu_features);
    put_u32(header + 24, m->flags);
    put_u32(header + 28, RT_CMF_HEADER_SIZE);
    put_u64(header + 32, rt_abi_fingerprint());
    if (producer)
        strncpy((char *)header + 40, producer, PRODUCER_SIZE - 1);
    put_u32(header + 56, (uint32_t)payload);
    put_u32(header + 60, rt_crc32(w.buf + RT_CMF_HEADER_SIZE, payload));
    memcpy(w.buf, header, sizeof header);
    *out = w.buf;
    *out_size = w.len;
    return true;
}

/* ---- reading ---------------------------------------------------------------------------- */

/* A bounds-checked reader whose failure sticks: after the first bad read every read returns
 * 0 and `what` names the field that did not fit. */
typedef struct Reader {
    const uint8_t *p;
    size_t size, pos;
    bool failed;
    const char *what;
    size_t fail_pos;
} Reader;

static bool
r_fail(Reader *r, const char *what)
{
    if (!r->failed) {
        r->failed = true;
        r->what = what;
        r->fail_pos = r->pos;
    }
    return false;
}

static bool
r_bytes(Reader *r, void *out, size_t n, const char *what)
{
    if (r->failed || n > r->size - r->pos)
        return r_fail(r, what);
    memcpy(out, r->p + r->pos, n);
    r->pos += n;
    return true;
}

static uint8_t
r_u8(Reader *r, const char *what)
{
    uint8_t v = 0;
    r_bytes(r, &v, 1, what);
    return v;
}

static uint32_t
get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t
get_u64(const uint8_t *p)
{
    return (uint64_t)get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
}

static uint32_t
r_u32(Reader *r, const char *what)
{
    uint8_t b[4] = {0};
    return r_bytes(r, b, 4, what) ? get_u32(b) : 0;
}

static uint64_t
r_u64(Reader *r, const char *what)
{
    uint8_t b[8] = {0};
    return r_bytes(r, b, 8, what) ? get_u64(b) : 0;
}

static RtCmStr
r_str(Reader *r, const char *what)
{
    RtCmStr s;
    s.off = r_u32(r, what);
    s.len = r_u32(r, what);
    return s;
}

static void
r_const(Reader *r, RtCmConst *k, const char *what)
{
    uint8_t v[16] = {0};
    memset(k, 0, sizeof *k);
    k->op = r_u8(r, what);
    k->type = r_u8(r, what);
    k->index = r_u32(r, what);
    r_bytes(r, v, 16, what);
    switch (k->op) {
    case RT_CONST_I32:
    case RT_CONST_F32:
        k->value.i32 = get_u32(v);
        break;
    case RT_CONST_I64:
    case RT_CONST_F64:
        k->value.i64 = get_u64(v);
        break;
    case RT_CONST_V128:
        memcpy(k->value.v128, v, 16);
        break;
    default:
        break;
    }
}

/*
 * Reads an array count and allocates the array: the count must fit in what is left of the
 * payload at `enc` bytes per element (so a corrupted count never makes a huge allocation),
 * and the allocation must succeed. Returns NULL for a count of 0 or on failure (r->failed).
 */
static void *
r_array(Reader *r, uint32_t *out_n, size_t enc, size_t elem, const char *what)
{
    size_t at = r->pos;
    uint32_t n = r_u32(r, what);
    *out_n = 0;
    if (r->failed || n == 0)
        return NULL;
    if ((uint64_t)n * enc > r->size - r->pos) {
        r->pos = at;  // report the count's offset
        r_fail(r, what);
        return NULL;
    }
    void *p = rt_calloc(n, elem);
    if (!p) {
        r_fail(r, "memory for the arrays");
        return NULL;
    }
    *out_n = n;
    return p;
}

/* A byte array: u32 length + bytes. */
static void *
r_blob(Reader *r, uint32_t *out_n, const char *what)
{
    void *p = r_array(r, out_n, 1, 1, what);
    if (p && !r_bytes(r, p, *out_n, what)) {
        free(p);
        *out_n = 0;
        return NULL;
    }
    return p;
}

/* Fills `m` from the payload; on failure r->failed is set (m's arrays are left to
 * rt_cmodule_release). */
static void
read_payload(Reader *r, RtCompiledModule *m)
{
    m->code = r_blob(r, &m->code_size, "code");
    m->relocs = r_array(r, &m->nrelocs, ENC_RELOC, sizeof *m->relocs, "relocations");
    for (uint32_t i = 0; i < m->nrelocs && !r->failed; i++) {
        RtCmReloc *x = &m->relocs[i];
        x->offset = r_u32(r, "relocations");
        x->kind = r_u8(r, "relocations");
        x->sym_kind = r_u8(r, "relocations");
        x->sym = r_u32(r, "relocations");
        x->addend = (int64_t)r_u64(r, "relocations");
    }
    m->traps = r_array(r, &m->ntraps, ENC_TRAP, sizeof *m->traps, "trap table");
    for (uint32_t i = 0; i < m->ntraps && !r->failed; i++) {
        m->traps[i].offset = r_u32(r, "trap table");
        m->traps[i].kind = r_u32(r, "trap table");
    }
    m->strings = r_blob(r, &m->strings_size, "strings");
    m->valtypes = r_blob(r, &m->nvaltypes, "value types");
    m->data = r_blob(r, &m->data_size, "data");

    m->types = r_array(r, &m->ntypes, ENC_TYPE, sizeof *m->types, "types");
    for (uint32_t i = 0; i < m->ntypes && !r->failed; i++) {
        RtCmType *t = &m->types[i];
        t->first = r_u32(r, "types");
        t->nparams = r_u32(r, "types");
        t->nresults = r_u32(r, "types");
        t->entry_tramp = r_u32(r, "types");
        t->host_tramp = r_u32(r, "types");
    }
    m->imports = r_array(r, &m->nimports, ENC_IMPORT, sizeof *m->imports, "imports");
    for (uint32_t i = 0; i < m->nimports && !r->failed; i++) {
        RtCmImport *im = &m->imports[i];
        im->module = r_str(r, "imports");
        im->name = r_str(r, "imports");
        im->kind = r_u8(r, "imports");
        im->index = r_u32(r, "imports");
    }
    m->funcs = r_array(r, &m->nfuncs, ENC_FUNC, sizeof *m->funcs, "functions");
    m->nimported_funcs = r_u32(r, "functions");
    for (uint32_t i = 0; i < m->nfuncs && !r->failed; i++) {
        RtCmFunc *f = &m->funcs[i];
        f->type_index = r_u32(r, "functions");
        f->code_offset = r_u32(r, "functions");
        f->code_size = r_u32(r, "functions");
        f->name = r_str(r, "functions");
    }
    m->tables = r_array(r, &m->ntables, ENC_TABLE, sizeof *m->tables, "tables");
    m->nimported_tables = r_u32(r, "tables");
    for (uint32_t i = 0; i < m->ntables && !r->failed; i++) {
        RtCmTable *t = &m->tables[i];
        t->elem_type = r_u8(r, "tables");
        t->imported = r_u8(r, "tables");
        t->has_max = r_u8(r, "tables");
        t->min = r_u32(r, "tables");
        t->max = r_u32(r, "tables");
    }
    m->memories = r_array(r, &m->nmemories, ENC_MEMORY, sizeof *m->memories, "memories");
    m->nimported_memories = r_u32(r, "memories");
    for (uint32_t i = 0; i < m->nmemories && !r->failed; i++) {
        RtCmMemory *mem = &m->memories[i];
        mem->imported = r_u8(r, "memories");
        mem->has_max = r_u8(r, "memories");
        mem->min = r_u64(r, "memories");
        mem->max = r_u64(r, "memories");
    }
    m->globals = r_array(r, &m->nglobals, ENC_GLOBAL, sizeof *m->globals, "globals");
    m->nimported_globals = r_u32(r, "globals");
    for (uint32_t i = 0; i < m->nglobals && !r->failed; i++) {
        RtCmGlobal *g = &m->globals[i];
        g->type = r_u8(r, "globals");
        g->mutable_ = r_u8(r, "globals");
        g->imported = r_u8(r, "globals");
        r_const(r, &g->init, "globals");
    }
    m->exports = r_array(r, &m->nexports, ENC_EXPORT, sizeof *m->exports, "exports");
    for (uint32_t i = 0; i < m->nexports && !r->failed; i++) {
        m->exports[i].name = r_str(r, "exports");
        m->exports[i].kind = r_u8(r, "exports");
        m->exports[i].index = r_u32(r, "exports");
    }
    m->start_func = r_u32(r, "start function");
    m->elems = r_array(r, &m->nelems, ENC_ELEM, sizeof *m->elems, "element segments");
    for (uint32_t i = 0; i < m->nelems && !r->failed; i++) {
        RtCmElem *e = &m->elems[i];
        e->mode = r_u8(r, "element segments");
        e->elem_type = r_u8(r, "element segments");
        e->table = r_u32(r, "element segments");
        r_const(r, &e->offset, "element segments");
        e->first = r_u32(r, "element segments");
        e->nitems = r_u32(r, "element segments");
    }
    m->elem_items = r_array(r, &m->nelem_items, ENC_CONST, sizeof *m->elem_items,
                            "element items");
    for (uint32_t i = 0; i < m->nelem_items && !r->failed; i++)
        r_const(r, &m->elem_items[i], "element items");
    m->datas = r_array(r, &m->ndatas, ENC_DATA, sizeof *m->datas, "data segments");
    for (uint32_t i = 0; i < m->ndatas && !r->failed; i++) {
        RtCmData *d = &m->datas[i];
        d->mode = r_u8(r, "data segments");
        d->memory = r_u32(r, "data segments");
        r_const(r, &d->offset, "data segments");
        d->off = r_u32(r, "data segments");
        d->size = r_u32(r, "data segments");
    }
    m->module_name = r_str(r, "module name");
    if (!r->failed && r->pos != r->size)
        r_fail(r, "end of payload (extra bytes)");
}

bool
rt_cmodule_file_is(const uint8_t *bytes, size_t size)
{
    return size >= RT_CMF_MAGIC_SIZE && memcmp(bytes, cmf_magic, RT_CMF_MAGIC_SIZE) == 0;
}

/* Checks the header; on success *out_payload is the payload's size. */
static bool
check_file_header(const uint8_t *b, size_t size, bool for_host, uint32_t *out_payload,
                  RtError *err)
{
    if (!rt_cmodule_file_is(b, size))
        return rt_error_set(err, RT_ERROR_LOAD, "not a compiled module (.skua): bad magic");
    if (size < RT_CMF_HEADER_SIZE)
        return rt_error_set(err, RT_ERROR_LOAD,
                            "truncated compiled module: %zu bytes, the header alone is %u",
                            size, RT_CMF_HEADER_SIZE);
    char producer[PRODUCER_SIZE + 1];
    memcpy(producer, b + 40, PRODUCER_SIZE);
    producer[PRODUCER_SIZE] = '\0';
    for (char *c = producer; *c; c++)
        if (*c < 0x20 || *c > 0x7e)
            *c = '?';
    uint32_t version = get_u32(b + 8);
    if (version != RT_CMF_VERSION)
        return rt_error_set(err, RT_ERROR_LOAD,
                            "compiled module format version %u (written by '%s'), this skua "
                            "reads version %u: compile the module again",
                            version, producer, RT_CMF_VERSION);
    if (get_u32(b + 28) != RT_CMF_HEADER_SIZE)
        return rt_error_set(err, RT_ERROR_LOAD, "corrupted compiled module: header size %u",
                            get_u32(b + 28));
    uint32_t target = get_u32(b + 12);
    if (target == RT_TARGET_NONE || target >= RT_TARGET_COUNT)
        return rt_error_set(err, RT_ERROR_LOAD, "corrupted compiled module: unknown target %u",
                            target);
    if (for_host) {
        if (target != (uint32_t)rt_host_target())
            return rt_error_set(err, RT_ERROR_LOAD,
                                "compiled module is for %s, this host is %s: compile it for "
                                "this machine", rt_target_name(target),
                                rt_target_name(rt_host_target()));
        uint64_t missing = get_u64(b + 16) & ~rt_host_cpu_features();
        if (missing) {
            char names[160];
            rt_cpu_features_format(target, missing, names, sizeof names);
            return rt_error_set(err, RT_ERROR_LOAD,
                                "compiled module needs CPU features this host lacks: %s "
                                "(compile it with --cpu base, or on this machine)", names);
        }
        if (get_u64(b + 32) != rt_abi_fingerprint())
            return rt_error_set(err, RT_ERROR_LOAD,
                                "compiled module was written by a skua build with another "
                                "runtime ABI ('%s'): compile it again with this skua",
                                producer);
    }
    uint32_t payload = get_u32(b + 56);
    if ((uint64_t)payload > size - RT_CMF_HEADER_SIZE)
        return rt_error_set(err, RT_ERROR_LOAD,
                            "truncated compiled module: %zu payload bytes, the header says %u",
                            size - RT_CMF_HEADER_SIZE, payload);
    if ((uint64_t)payload < size - RT_CMF_HEADER_SIZE)
        return rt_error_set(err, RT_ERROR_LOAD,
                            "corrupted compiled module: %zu bytes after the payload",
                            size - RT_CMF_HEADER_SIZE - payload);
    if (rt_crc32(b + RT_CMF_HEADER_SIZE, payload) != get_u32(b + 60))
        return rt_error_set(err, RT_ERROR_LOAD,
                            "corrupted compiled module: payload checksum mismatch");
    *out_payload = payload;
    return true;
}

bool
rt_cmodule_deserialize(const uint8_t *bytes, size_t size, bool for_host,
                       RtCompiledModule **out, RtError *err)
{
    *out = NULL;
    uint32_t payload = 0;
    if (!check_file_header(bytes, size, for_host, &payload, err))
        return false;
    RtCompiledModule *m = calloc(1, sizeof *m);
    if (!m)
        return rt_error_set(err, RT_ERROR_RESOURCE, "out of memory reading a compiled module");
    m->version = RT_CM_VERSION;
    m->target = get_u32(bytes + 12);
    m->cpu_features = get_u64(bytes + 16);
    m->flags = get_u32(bytes + 24);
    Reader r = {bytes + RT_CMF_HEADER_SIZE, payload, 0, false, NULL, 0};
    read_payload(&r, m);
    bool ok;
    if (r.failed)
        ok = rt_error_set(err, RT_ERROR_LOAD,
                          "corrupted compiled module: %s at payload offset %zu", r.what,
                          r.fail_pos);
    else
        ok = for_host ? rt_cmodule_check(m, err) : rt_cmodule_check_format(m, err);
    if (!ok) {
        rt_cmodule_release(m);
        free(m);
        return false;
    }
    *out = m;
    return true;
}

/* ---- the embedding API (skua.h) ----------------------------------------------------------- */

static SkuaErrorKind
skua_kind(RtErrorKind k)
{
    switch (k) {
    case RT_ERROR_LOAD:
        return SKUA_ERROR_LOAD;
    case RT_ERROR_RESOURCE:
        return SKUA_ERROR_RESOURCE;
    case RT_ERROR_LINK:
        return SKUA_ERROR_LINK;
    default:
        return SKUA_ERROR_USAGE;
    }
}

static void
to_skua_error(SkuaError *err, const RtError *re)
{
    if (!err)
        return;
    err->trap = NULL;
    err->kind = skua_kind(re->kind);
    snprintf(err->message, sizeof err->message, "%s", re->message);
}

bool
skua_compiled_is_file(const uint8_t *bytes, size_t size)
{
    return rt_cmodule_file_is(bytes, size);
}

bool
skua_compiled_serialize(const struct RtCompiledModule *cm, const char *producer,
                        uint8_t **out, size_t *out_size, SkuaError *err)
{
    RtError re;
    if (rt_cmodule_serialize(cm, producer, out, out_size, &re))
        return true;
    to_skua_error(err, &re);
    return false;
}

struct RtCompiledModule *
skua_compiled_deserialize(const uint8_t *bytes, size_t size, bool for_host, SkuaError *err)
{
    RtError re;
    RtCompiledModule *m;
    if (rt_cmodule_deserialize(bytes, size, for_host, &m, &re))
        return m;
    to_skua_error(err, &re);
    return NULL;
}

void
skua_compiled_free(struct RtCompiledModule *cm)
{
    if (cm) {
        rt_cmodule_release(cm);
        free(cm);
    }
}

SkuaModule *
skua_module_deserialize(SkuaEngine *engine, const uint8_t *bytes, size_t size, SkuaError *err)
{
    RtCompiledModule *m = skua_compiled_deserialize(bytes, size, true, err);
    return m ? skua_module_from_compiled(engine, m, err) : NULL;
}
