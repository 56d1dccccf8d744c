/*
 * Test-only builders of compiled modules over the hand-written code blob; see tc_module.h.
 * The metadata here is what the driver in tools/ would produce from a FeModule plus the
 * backend's output.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/rt_common.h"
#include "tc_module.h"

extern const uint8_t tc_blob[], tc_blob_end[];
extern const uint32_t tc_offsets[];
extern const uint32_t tc_traps[], tc_traps_end[];
extern const uint32_t tc_relocs[], tc_relocs_end[];

_Static_assert(TK_UNREACHABLE == RT_TRAP_UNREACHABLE, "testcode.h trap kinds");
_Static_assert(TK_INT_DIV_ZERO == RT_TRAP_INT_DIV_ZERO, "testcode.h trap kinds");
_Static_assert(TK_MEMORY_OOB == RT_TRAP_MEMORY_OOB, "testcode.h trap kinds");
_Static_assert(TK_UNDEFINED_ELEMENT == RT_TRAP_UNDEFINED_ELEMENT, "testcode.h trap kinds");
_Static_assert(TK_UNINITIALIZED_ELEMENT == RT_TRAP_UNINITIALIZED_ELEMENT, "testcode.h");
_Static_assert(TK_INDIRECT_CALL_TYPE == RT_TRAP_INDIRECT_CALL_TYPE, "testcode.h trap kinds");
_Static_assert(TK_STACK_EXHAUSTED == RT_TRAP_STACK_EXHAUSTED, "testcode.h trap kinds");
_Static_assert(TB_MEMORY_GROW == RT_BUILTIN_MEMORY_GROW, "testcode.h builtins");
_Static_assert(TB_MEMORY_FILL == RT_BUILTIN_MEMORY_FILL, "testcode.h builtins");

uint32_t
tc_offset(int idx)
{
    return tc_offsets[idx];
}

static void *
dup(const void *p, size_t n)
{
    void *q = malloc(n ? n : 1);
    if (n)
        memcpy(q, p, n);
    return q;
}

/* Growing string pool; offset 0 holds "" so that {0, 0} means "none". */
typedef struct Pool {
    char buf[4096];
    uint32_t size;
} Pool;

static RtCmStr
str(Pool *p, const char *s)
{
    uint32_t len = (uint32_t)strlen(s);
    RtCmStr r = {p->size, len};
    memcpy(p->buf + p->size, s, len + 1);
    p->size += len + 1;
    return r;
}

/* A module whose code is the whole blob, with its trap table and relocations. */
static RtCompiledModule *
base_module(void)
{
    RtCompiledModule *m = calloc(1, sizeof *m);
    m->version = RT_CM_VERSION;
#if defined(__x86_64__)
    m->target = RT_TARGET_X86_64;
#else
    m->target = RT_TARGET_AARCH64;
#endif
    m->code_size = (uint32_t)(tc_blob_end - tc_blob);
    m->code = dup(tc_blob, m->code_size);
    m->ntraps = (uint32_t)(tc_traps_end - tc_traps) / 2;
    m->traps = malloc(m->ntraps * sizeof *m->traps);
    for (uint32_t i = 0; i < m->ntraps; i++)
        m->traps[i] = (RtCmTrap){tc_traps[2 * i], tc_traps[2 * i + 1]};
    m->nrelocs = (uint32_t)(tc_relocs_end - tc_relocs) / 2;
    m->relocs = calloc(m->nrelocs, sizeof *m->relocs);
    for (uint32_t i = 0; i < m->nrelocs; i++)
        m->relocs[i] = (RtCmReloc){tc_relocs[2 * i], RT_RELOC_ABS64, RT_SYM_BUILTIN,
                                   tc_relocs[2 * i + 1], 0};
    m->start_func = RT_CM_NONE;
    return m;
}

static void
finish_strings(RtCompiledModule *m, const Pool *p)
{
    m->strings = dup(p->buf, p->size);
    m->strings_size = p->size;
}

static RtCmFunc
defined(int idx, uint32_t type, RtCmStr name)
{
    return (RtCmFunc){type, tc_offset(idx), tc_offset(idx + 1) - tc_offset(idx), name};
}

static RtCmConst
k_i32(uint32_t v)
{
    RtCmConst k;
    memset(&k, 0, sizeof k);
    k.op = RT_CONST_I32;
    k.type = RT_VT_I32;
    k.value.i32 = v;
    return k;
}

static RtCmConst
k_func(uint32_t f)
{
    RtCmConst k;
    memset(&k, 0, sizeof k);
    k.op = RT_CONST_REF_FUNC;
    k.type = RT_VT_FUNCREF;
    k.index = f;
    return k;
}

static RtCmConst
k_null(void)
{
    RtCmConst k;
    memset(&k, 0, sizeof k);
    k.op = RT_CONST_REF_NULL;
    k.type = RT_VT_FUNCREF;
    return k;
}

/* Types T0 [] -> [], T1 [i32] -> [i32], T2 [] -> [i32] (as listed in testcode.h). */
static void
m1_types(RtCompiledModule *m)
{
    static const uint8_t vt[] = {RT_VT_I32, RT_VT_I32, RT_VT_I32};
    m->valtypes = dup(vt, sizeof vt);
    m->nvaltypes = sizeof vt;
    m->ntypes = 3;
    m->types = malloc(3 * sizeof *m->types);
    m->types[0] = (RtCmType){0, 0, 0, tc_offset(TC_ENTRY_T0), RT_CM_NONE};
    m->types[1] = (RtCmType){0, 1, 1, tc_offset(TC_ENTRY_T1), tc_offset(TC_HOST_T1)};
    m->types[2] = (RtCmType){2, 0, 1, tc_offset(TC_ENTRY_T2), RT_CM_NONE};
}

RtCompiledModule *
tc_build_m1(void)
{
    RtCompiledModule *m = base_module();
    Pool p = {{0}, 1};
    m1_types(m);
    m->nimports = 2;
    m->imports = malloc(2 * sizeof *m->imports);
    RtCmStr host = str(&p, "host");
    m->imports[0] = (RtCmImport){host, str(&p, "add1"), RT_EXTERN_FUNC, 0};
    m->imports[1] = (RtCmImport){host, str(&p, "g"), RT_EXTERN_GLOBAL, 0};

    static const struct {
        int idx;
        uint32_t type;
        const char *name;
    } defs[] = {{TC_GET_MEM, 1, "get_mem"},       {TC_CALL_IMPORT, 1, "call_import"},
                {TC_GROW, 1, "grow"},             {TC_UNREACHABLE, 0, "unreachable"},
                {TC_RECURSE, 0, "recurse"},       {TC_GET_GLOBAL, 2, "get_global"},
                {TC_CALL_INDIRECT, 1, "call_indirect"}, {TC_START, 0, "start"},
                {TC_FILL, 1, "fill"}};
    uint32_t ndefs = RT_ARRAY_LEN(defs);
    m->nfuncs = 1 + ndefs;
    m->nimported_funcs = 1;
    m->funcs = malloc(m->nfuncs * sizeof *m->funcs);
    m->funcs[0] = (RtCmFunc){1, RT_CM_NONE, 0, str(&p, "add1")};
    m->nexports = ndefs + 3;
    m->exports = malloc(m->nexports * sizeof *m->exports);
    for (uint32_t i = 0; i < ndefs; i++) {
        RtCmStr name = str(&p, defs[i].name);
        m->funcs[1 + i] = defined(defs[i].idx, defs[i].type, name);
        m->exports[i] = (RtCmExport){name, RT_EXTERN_FUNC, 1 + i};
    }
    m->exports[ndefs] = (RtCmExport){str(&p, "mem"), RT_EXTERN_MEMORY, 0};
    m->exports[ndefs + 1] = (RtCmExport){str(&p, "tab"), RT_EXTERN_TABLE, 0};
    m->exports[ndefs + 2] = (RtCmExport){str(&p, "g1"), RT_EXTERN_GLOBAL, 1};
    m->start_func = 1 + 7;  // "start"

    m->ntables = 1;
    m->tables = malloc(sizeof *m->tables);
    m->tables[0] = (RtCmTable){RT_VT_FUNCREF, 0, 1, 4, 10};
    m->nmemories = 1;
    m->memories = malloc(sizeof *m->memories);
    m->memories[0] = (RtCmMemory){0, 1, 1, 2};
    m->nglobals = 2;
    m->nimported_globals = 1;
    m->globals = calloc(2, sizeof *m->globals);
    m->globals[0] = (RtCmGlobal){RT_VT_I32, 0, 1, k_i32(0)};
    m->globals[1] = (RtCmGlobal){RT_VT_I32, 1, 0, k_i32(7)};

    m->nelem_items = 4;
    m->elem_items = malloc(4 * sizeof *m->elem_items);
    m->elem_items[0] = k_func(6);  // get_global: type T2
    m->elem_items[1] = k_func(2);  // call_import: type T1
    m->elem_items[2] = k_func(4);  // unreachable
    m->elem_items[3] = k_null();
    m->nelems = 2;
    m->elems = malloc(2 * sizeof *m->elems);
    m->elems[0] = (RtCmElem){RT_SEG_ACTIVE, RT_VT_FUNCREF, 0, k_i32(1), 0, 2};
    m->elems[1] = (RtCmElem){RT_SEG_PASSIVE, RT_VT_FUNCREF, 0, k_null(), 2, 2};

    static const char data[] = "hellopassive!";
    m->data = dup(data, 13);
    m->data_size = 13;
    m->ndatas = 2;
    m->datas = malloc(2 * sizeof *m->datas);
    m->datas[0] = (RtCmData){RT_SEG_ACTIVE, 0, k_i32(16), 0, 5};
    m->datas[1] = (RtCmData){RT_SEG_PASSIVE, 0, k_i32(0), 5, 8};
    m->module_name = str(&p, "m1");
    finish_strings(m, &p);
    return m;
}

RtCompiledModule *
tc_build_m2(bool bad_data)
{
    RtCompiledModule *m = base_module();
    Pool p = {{0}, 1};
    static const uint8_t vt[] = {RT_VT_I32, RT_VT_I32, RT_VT_I32};
    m->valtypes = dup(vt, sizeof vt);
    m->nvaltypes = sizeof vt;
    m->ntypes = 2;
    m->types = malloc(2 * sizeof *m->types);
    m->types[0] = (RtCmType){0, 1, 1, tc_offset(TC_ENTRY_T1), tc_offset(TC_HOST_T1)};
    m->types[1] = (RtCmType){2, 0, 1, tc_offset(TC_ENTRY_T2), RT_CM_NONE};
    RtCmStr m1 = str(&p, "m1");
    m->nimports = 3;
    m->imports = malloc(3 * sizeof *m->imports);
    m->imports[0] = (RtCmImport){m1, str(&p, "mem"), RT_EXTERN_MEMORY, 0};
    m->imports[1] = (RtCmImport){m1, str(&p, "tab"), RT_EXTERN_TABLE, 0};
    m->imports[2] = (RtCmImport){m1, str(&p, "g1"), RT_EXTERN_GLOBAL, 0};
    m->nfuncs = 2;
    m->funcs = malloc(2 * sizeof *m->funcs);
    RtCmStr read = str(&p, "read"), seven = str(&p, "seven");
    m->funcs[0] = defined(TC_M2_READ, 0, read);
    m->funcs[1] = defined(TC_M2_SEVEN, 1, seven);
    m->nexports = 2;
    m->exports = malloc(2 * sizeof *m->exports);
    m->exports[0] = (RtCmExport){read, RT_EXTERN_FUNC, 0};
    m->exports[1] = (RtCmExport){seven, RT_EXTERN_FUNC, 1};
    m->ntables = m->nimported_tables = 1;
    m->tables = malloc(sizeof *m->tables);
    m->tables[0] = (RtCmTable){RT_VT_FUNCREF, 1, 0, 4, 0};
    m->nmemories = m->nimported_memories = 1;
    m->memories = malloc(sizeof *m->memories);
    m->memories[0] = (RtCmMemory){1, 0, 1, 0};
    m->nglobals = m->nimported_globals = 1;
    m->globals = calloc(1, sizeof *m->globals);
    m->globals[0] = (RtCmGlobal){RT_VT_I32, 1, 1, k_i32(0)};
    m->nelem_items = 1;
    m->elem_items = malloc(sizeof *m->elem_items);
    m->elem_items[0] = k_func(1);
    m->nelems = 1;
    m->elems = malloc(sizeof *m->elems);
    m->elems[0] = (RtCmElem){RT_SEG_ACTIVE, RT_VT_FUNCREF, 0, k_i32(3), 0, 1};
    m->data = dup("XYABCD", 6);
    m->data_size = 6;
    m->ndatas = bad_data ? 2 : 1;
    m->datas = malloc(2 * sizeof *m->datas);
    m->datas[0] = (RtCmData){RT_SEG_ACTIVE, 0, k_i32(100), 0, 2};
    m->datas[1] = (RtCmData){RT_SEG_ACTIVE, 0, k_i32(2 * 65536 - 2), 2, 4};
    m->module_name = str(&p, "m2");
    finish_strings(m, &p);
    return m;
}

RtCompiledModule *
tc_build_traps(void)
{
    RtCompiledModule *m = base_module();
    Pool p = {{0}, 1};
    static const uint8_t vt[] = {RT_VT_I32, RT_VT_I32, RT_VT_I32, RT_VT_I32, RT_VT_I32};
    m->valtypes = dup(vt, sizeof vt);
    m->nvaltypes = sizeof vt;
    m->ntypes = 3;  // T0 [] -> [], T1 [i32] -> [i32], T3 [i32 i32] -> [i32]
    m->types = malloc(3 * sizeof *m->types);
    m->types[0] = (RtCmType){0, 0, 0, tc_offset(TC_ENTRY_T0), RT_CM_NONE};
    m->types[1] = (RtCmType){0, 1, 1, tc_offset(TC_ENTRY_T1), RT_CM_NONE};
    m->types[2] = (RtCmType){2, 2, 1, RT_CM_NONE, RT_CM_NONE};
    static const struct {
        int idx;
        uint32_t type;
        const char *name;
    } defs[] = {{TC_UNREACHABLE, 0, "unreachable"}, {TC_RECURSE, 0, "recurse"},
                {TC_RECURSE_NOCHECK, 0, "recurse_nocheck"}, {TC_OUTER, 0, "outer"},
                {TC_MIDDLE, 0, "middle"}, {TC_DIV, 2, "div"}, {TC_GET_MEM, 1, "get_mem"}};
    m->nfuncs = RT_ARRAY_LEN(defs);
    m->funcs = malloc(m->nfuncs * sizeof *m->funcs);
    for (uint32_t i = 0; i < m->nfuncs; i++)
        m->funcs[i] = defined(defs[i].idx, defs[i].type, str(&p, defs[i].name));
    m->module_name = str(&p, "traps");
    finish_strings(m, &p);
    return m;
}
