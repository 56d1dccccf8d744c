/*
 * The builtins' exact semantics (WebAssembly 2.0 bulk memory and reference types), called
 * as generated code would call them (VmCtx first, on a fiber, traps unwinding): bounds at
 * and one past the end with zero and nonzero lengths, no partial writes before a trap,
 * memmove overlap in both directions, dropped segments, table.grow/fill/copy/init, the trap
 * builtin, the float rounding fallbacks; and the explicit-bounds memory mode.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "runtime/runtime.h"
#include "tc_module.h"

static RtEngine *engine;
static RtStore *store;
static RtInstance *inst;
static VmCtx *vm;

/* One builtin call, run on a fiber so that its trap unwinds like wasm's. */
typedef struct Op {
    int which;
    uint32_t a, b, c, d, e;
    void *ref;
    uint32_t result;
    void *result_ref;
} Op;

enum {
    OP_FILL, OP_COPY, OP_MINIT, OP_DDROP, OP_GROW, OP_MSIZE, OP_TGET, OP_TSET, OP_TSIZE,
    OP_TGROW, OP_TFILL, OP_TCOPY, OP_TINIT, OP_EDROP, OP_TRAP
};

static void
run_op(void *arg)
{
    Op *o = arg;
    switch (o->which) {
    case OP_FILL:
        rt_builtin_memory_fill(vm, 0, o->a, o->b, o->c);
        break;
    case OP_COPY:
        rt_builtin_memory_copy(vm, 0, 0, o->a, o->b, o->c);
        break;
    case OP_MINIT:
        rt_builtin_memory_init(vm, 0, o->a, o->b, o->c, o->d);
        break;
    case OP_DDROP:
        rt_builtin_data_drop(vm, o->a);
        break;
    case OP_GROW:
        o->result = rt_builtin_memory_grow(vm, 0, o->a);
        break;
    case OP_MSIZE:
        o->result = rt_builtin_memory_size(vm, 0);
        break;
    case OP_TGET:
        o->result_ref = rt_builtin_table_get(vm, 0, o->a);
        break;
    case OP_TSET:
        rt_builtin_table_set(vm, 0, o->a, o->ref);
        break;
    case OP_TSIZE:
        o->result = rt_builtin_table_size(vm, 0);
        break;
    case OP_TGROW:
        o->result = rt_builtin_table_grow(vm, 0, o->ref, o->a);
        break;
    case OP_TFILL:
        rt_builtin_table_fill(vm, 0, o->a, o->ref, o->b);
        break;
    case OP_TCOPY:
        rt_builtin_table_copy(vm, 0, 0, o->a, o->b, o->c);
        break;
    case OP_TINIT:
        rt_builtin_table_init(vm, 0, o->a, o->b, o->c, o->d);
        break;
    case OP_EDROP:
        rt_builtin_elem_drop(vm, o->a);
        break;
    case OP_TRAP:
        rt_builtin_trap(vm, o->a);
        break;
    }
}

static RtFiber *fiber;

/* Runs `o`; returns the trap kind (RT_TRAP_NONE if it returned). */
static uint32_t
op(Op o, Op *out)
{
    bool ok = rt_fiber_run(fiber, run_op, &o);
    if (out)
        *out = o;
    return ok ? RT_TRAP_NONE : fiber->trap.kind;
}

#define MEM (inst->memories[0]->base)
#define SIZE ((uint32_t)inst->memories[0]->size)
#define TAB (inst->tables[0]->elems)

static void
test_memory_ops(void)
{
    /* fill: the low byte; bounds at the end with n = 0 and 1; no partial write. */
    CHECK_EQ(op((Op){OP_FILL, 100, 0x1234, 3, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_NONE);
    CHECK(MEM[100] == 0x34 && MEM[102] == 0x34 && MEM[103] == 0);
    CHECK_EQ(op((Op){OP_FILL, SIZE, 7, 0, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_NONE);
    CHECK_EQ(op((Op){OP_FILL, SIZE + 1, 7, 0, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_MEMORY_OOB);
    CHECK_EQ(op((Op){OP_FILL, SIZE - 1, 7, 2, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_MEMORY_OOB);
    CHECK_EQ(MEM[SIZE - 1], 0);
    CHECK_EQ(op((Op){OP_FILL, 0xFFFFFFFF, 7, 2, 0, 0, NULL, 0, NULL}, NULL),
             RT_TRAP_MEMORY_OOB);  // 32-bit wraparound must not pass the check
    CHECK_EQ(op((Op){OP_FILL, SIZE - 1, 9, 1, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_NONE);
    CHECK_EQ(MEM[SIZE - 1], 9);

    /* copy: overlapping in both directions behaves as memmove. */
    memcpy(MEM + 1000, "0123456789", 10);
    CHECK_EQ(op((Op){OP_COPY, 1002, 1000, 6, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_NONE);
    CHECK(memcmp(MEM + 1000, "0101234589", 10) == 0);
    memcpy(MEM + 1000, "0123456789", 10);
    CHECK_EQ(op((Op){OP_COPY, 1000, 1002, 6, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_NONE);
    CHECK(memcmp(MEM + 1000, "2345676789", 10) == 0);
    CHECK_EQ(op((Op){OP_COPY, SIZE, 0, 0, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_NONE);
    CHECK_EQ(op((Op){OP_COPY, 0, SIZE, 0, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_NONE);
    CHECK_EQ(op((Op){OP_COPY, 0, SIZE + 1, 0, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_MEMORY_OOB);
    CHECK_EQ(op((Op){OP_COPY, 1000, SIZE - 4, 5, 0, 0, NULL, 0, NULL}, NULL),
             RT_TRAP_MEMORY_OOB);
    CHECK(memcmp(MEM + 1000, "2345676789", 10) == 0);  // untouched

    /* init from the passive segment "passive!" (1); the active one (0) is already dropped. */
    CHECK_EQ(op((Op){OP_MINIT, 1, 2000, 2, 3, 0, NULL, 0, NULL}, NULL), RT_TRAP_NONE);
    CHECK(memcmp(MEM + 2000, "ssi", 3) == 0);
    CHECK_EQ(op((Op){OP_MINIT, 1, 2000, 8, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_NONE);
    CHECK_EQ(op((Op){OP_MINIT, 1, 2000, 9, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_MEMORY_OOB);
    CHECK_EQ(op((Op){OP_MINIT, 1, 2000, 6, 3, 0, NULL, 0, NULL}, NULL), RT_TRAP_MEMORY_OOB);
    CHECK_EQ(op((Op){OP_MINIT, 1, SIZE - 2, 0, 3, 0, NULL, 0, NULL}, NULL), RT_TRAP_MEMORY_OOB);
    CHECK_EQ(op((Op){OP_MINIT, 0, 0, 0, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_NONE);
    CHECK_EQ(op((Op){OP_MINIT, 0, 0, 0, 1, 0, NULL, 0, NULL}, NULL), RT_TRAP_MEMORY_OOB);
    CHECK_EQ(op((Op){OP_DDROP, 1, 0, 0, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_NONE);
    CHECK_EQ(op((Op){OP_MINIT, 1, 2000, 0, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_NONE);
    CHECK_EQ(op((Op){OP_MINIT, 1, 2000, 0, 1, 0, NULL, 0, NULL}, NULL), RT_TRAP_MEMORY_OOB);
    CHECK_EQ(op((Op){OP_DDROP, 1, 0, 0, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_NONE);  // again

    /* grow and size (declared maximum 2 pages). */
    Op r;
    CHECK_EQ(op((Op){OP_GROW, 0, 0, 0, 0, 0, NULL, 0, NULL}, &r), RT_TRAP_NONE);
    CHECK_EQ(r.result, 1);
    CHECK_EQ(op((Op){OP_GROW, 2, 0, 0, 0, 0, NULL, 0, NULL}, &r), RT_TRAP_NONE);
    CHECK_EQ(r.result, UINT32_MAX);
    CHECK_EQ(op((Op){OP_GROW, 0xFFFFFFFF, 0, 0, 0, 0, NULL, 0, NULL}, &r), RT_TRAP_NONE);
    CHECK_EQ(r.result, UINT32_MAX);
    CHECK_EQ(op((Op){OP_GROW, 1, 0, 0, 0, 0, NULL, 0, NULL}, &r), RT_TRAP_NONE);
    CHECK_EQ(r.result, 1);
    CHECK_EQ(op((Op){OP_MSIZE, 0, 0, 0, 0, 0, NULL, 0, NULL}, &r), RT_TRAP_NONE);
    CHECK_EQ(r.result, 2);
    CHECK_EQ(MEM[2 * 65536 - 1], 0);  // new pages are zero
}

static void
test_table_ops(void)
{
    void *unreachable = (void *)inst->funcs[4], *getg = (void *)inst->funcs[6];
    Op r;
    CHECK_EQ(op((Op){OP_TSIZE, 0, 0, 0, 0, 0, NULL, 0, NULL}, &r), RT_TRAP_NONE);
    CHECK_EQ(r.result, 4);
    /* get/set at and past the end. */
    CHECK_EQ(op((Op){OP_TGET, 1, 0, 0, 0, 0, NULL, 0, NULL}, &r), RT_TRAP_NONE);
    CHECK(r.result_ref == getg);
    CHECK_EQ(op((Op){OP_TGET, 4, 0, 0, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_TABLE_OOB);
    CHECK_EQ(op((Op){OP_TSET, 4, 0, 0, 0, 0, getg, 0, NULL}, NULL), RT_TRAP_TABLE_OOB);
    CHECK_EQ(op((Op){OP_TSET, 3, 0, 0, 0, 0, getg, 0, NULL}, NULL), RT_TRAP_NONE);
    CHECK(TAB[3] == getg);
    /* init from the passive segment [unreachable, null]. */
    CHECK_EQ(op((Op){OP_TINIT, 1, 2, 0, 2, 0, NULL, 0, NULL}, NULL), RT_TRAP_NONE);
    CHECK(TAB[2] == unreachable && TAB[3] == NULL);
    CHECK_EQ(op((Op){OP_TINIT, 1, 3, 0, 2, 0, NULL, 0, NULL}, NULL), RT_TRAP_TABLE_OOB);
    CHECK_EQ(op((Op){OP_TINIT, 1, 4, 2, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_NONE);
    CHECK_EQ(op((Op){OP_TINIT, 1, 5, 0, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_TABLE_OOB);
    CHECK_EQ(op((Op){OP_TINIT, 1, 0, 3, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_TABLE_OOB);
    /* The active segment 0 was dropped at instantiation. */
    CHECK_EQ(op((Op){OP_TINIT, 0, 0, 0, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_NONE);
    CHECK_EQ(op((Op){OP_TINIT, 0, 0, 0, 1, 0, NULL, 0, NULL}, NULL), RT_TRAP_TABLE_OOB);
    CHECK_EQ(op((Op){OP_EDROP, 1, 0, 0, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_NONE);
    CHECK_EQ(op((Op){OP_TINIT, 1, 0, 0, 1, 0, NULL, 0, NULL}, NULL), RT_TRAP_TABLE_OOB);
    /* copy with overlap: [x, getg, unreachable, null] -> shifts. */
    TAB[0] = NULL;
    CHECK_EQ(op((Op){OP_TCOPY, 1, 0, 3, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_NONE);
    CHECK(TAB[0] == NULL && TAB[1] == NULL && TAB[2] == getg && TAB[3] == unreachable);
    CHECK_EQ(op((Op){OP_TCOPY, 0, 1, 3, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_NONE);
    CHECK(TAB[0] == NULL && TAB[1] == getg && TAB[2] == unreachable && TAB[3] == unreachable);
    CHECK_EQ(op((Op){OP_TCOPY, 2, 0, 3, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_TABLE_OOB);
    CHECK(TAB[2] == unreachable);
    CHECK_EQ(op((Op){OP_TCOPY, 4, 4, 0, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_NONE);
    CHECK_EQ(op((Op){OP_TCOPY, 5, 0, 0, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_TABLE_OOB);
    /* fill. */
    CHECK_EQ(op((Op){OP_TFILL, 1, 2, 0, 0, 0, getg, 0, NULL}, NULL), RT_TRAP_NONE);
    CHECK(TAB[1] == getg && TAB[2] == getg && TAB[3] == unreachable);
    CHECK_EQ(op((Op){OP_TFILL, 3, 2, 0, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_TABLE_OOB);
    CHECK(TAB[3] == unreachable);
    CHECK_EQ(op((Op){OP_TFILL, 4, 0, 0, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_NONE);
    /* grow: the old size, the new slots hold init; the maximum (10) holds. */
    CHECK_EQ(op((Op){OP_TGROW, 2, 0, 0, 0, 0, getg, 0, NULL}, &r), RT_TRAP_NONE);
    CHECK_EQ(r.result, 4);
    CHECK(TAB[4] == getg && TAB[5] == getg);
    CHECK_EQ(op((Op){OP_TGROW, 5, 0, 0, 0, 0, NULL, 0, NULL}, &r), RT_TRAP_NONE);
    CHECK_EQ(r.result, UINT32_MAX);
    CHECK_EQ(op((Op){OP_TGROW, 4, 0, 0, 0, 0, NULL, 0, NULL}, &r), RT_TRAP_NONE);
    CHECK_EQ(r.result, 6);
    CHECK_EQ(op((Op){OP_TGROW, 0, 0, 0, 0, 0, NULL, 0, NULL}, &r), RT_TRAP_NONE);
    CHECK_EQ(r.result, 10);
    CHECK(TAB[9] == NULL);
    /* The trap builtin: the kind given, INTERNAL for nonsense. */
    CHECK_EQ(op((Op){OP_TRAP, RT_TRAP_INT_OVERFLOW, 0, 0, 0, 0, NULL, 0, NULL}, NULL),
             RT_TRAP_INT_OVERFLOW);
    CHECK_EQ(op((Op){OP_TRAP, 999, 0, 0, 0, 0, NULL, 0, NULL}, NULL), RT_TRAP_INTERNAL);
}

static bool
same_f32(float a, float b)
{
    return memcmp(&a, &b, 4) == 0;
}

static bool
same_f64(double a, double b)
{
    return memcmp(&a, &b, 8) == 0;
}

static void
test_float_builtins(void)
{
    typedef float (*F32)(VmCtx *, float);
    typedef double (*F64)(VmCtx *, double);
    F32 nearest32 = (F32)(uintptr_t)rt_builtin_address(RT_BUILTIN_F32_NEAREST);
    F32 ceil32 = (F32)(uintptr_t)rt_builtin_address(RT_BUILTIN_F32_CEIL);
    F32 floor32 = (F32)(uintptr_t)rt_builtin_address(RT_BUILTIN_F32_FLOOR);
    F32 trunc32 = (F32)(uintptr_t)rt_builtin_address(RT_BUILTIN_F32_TRUNC);
    F64 nearest64 = (F64)(uintptr_t)rt_builtin_address(RT_BUILTIN_F64_NEAREST);
    F64 ceil64 = (F64)(uintptr_t)rt_builtin_address(RT_BUILTIN_F64_CEIL);
    F64 floor64 = (F64)(uintptr_t)rt_builtin_address(RT_BUILTIN_F64_FLOOR);
    F64 trunc64 = (F64)(uintptr_t)rt_builtin_address(RT_BUILTIN_F64_TRUNC);
    CHECK(same_f32(nearest32(vm, 2.5f), 2.0f) && same_f32(nearest32(vm, 3.5f), 4.0f));
    CHECK(same_f32(nearest32(vm, -0.5f), -0.0f) && same_f32(nearest32(vm, 0.49999997f), 0.0f));
    CHECK(same_f32(ceil32(vm, -0.5f), -0.0f) && same_f32(ceil32(vm, 1.25f), 2.0f));
    CHECK(same_f32(floor32(vm, -0.5f), -1.0f) && same_f32(trunc32(vm, -1.75f), -1.0f));
    CHECK(same_f32(nearest32(vm, 8388609.0f), 8388609.0f));  // 2^23 + 1: already integral
    CHECK(isnan(nearest32(vm, NAN)) && isnan(ceil32(vm, NAN)));
    CHECK(same_f64(nearest64(vm, 2.5), 2.0) && same_f64(nearest64(vm, -2.5), -2.0));
    CHECK(same_f64(nearest64(vm, 4503599627370497.0), 4503599627370497.0));
    CHECK(same_f64(ceil64(vm, -0.25), -0.0) && same_f64(floor64(vm, 0.75), 0.0));
    CHECK(same_f64(trunc64(vm, -0.75), -0.0) && isnan(floor64(vm, NAN)));
    CHECK(same_f64(floor64(vm, -INFINITY), -INFINITY));
    CHECK(rt_builtin_address(RT_BUILTIN_NONE) == NULL);
    CHECK(rt_builtin_address(RT_BUILTIN_COUNT) == NULL);
    for (uint32_t id = 1; id < RT_BUILTIN_COUNT; id++)
        CHECK(rt_builtin_address(id) != NULL);
}

static void
host_id(RtHostFunc *hf, RtVal *args)
{
    (void)hf;
    (void)args;
}

/* Explicit-bounds mode: memories reserve only their maximum; guard-mode code is refused. */
static void
test_explicit_bounds(void)
{
    RtConfig cfg;
    rt_config_default(&cfg);
    cfg.explicit_bounds = true;
    cfg.max_memory_pages = 16;
    RtError err;
    RtEngine *e = rt_engine_new(&cfg, &err);
    RtStore *s = rt_store_new(e);
    RtMemory *m = rt_store_memory_new(s, 1, true, 3, &err);
    CHECK(m && !m->guard);
    if (m) {
        CHECK_EQ(m->reserved, 3 * 65536);
        uint8_t *base = m->base;
        CHECK_EQ(rt_memory_grow(m, 2), 1);
        CHECK(m->base == base);
        CHECK_EQ(rt_memory_grow(m, 1), UINT32_MAX);
        m->base[3 * 65536 - 1] = 1;
    }
    RtMemory *unbounded = rt_store_memory_new(s, 0, false, 0, &err);
    CHECK(unbounded && unbounded->reserved == 16 * 65536 && unbounded->max_pages == 16);
    CHECK(rt_store_memory_new(s, 17, false, 0, &err) == NULL);
    CHECK_EQ(err.kind, RT_ERROR_RESOURCE);

    /* M1 (code without bounds checks) cannot get a memory without a guard region. */
    RtModule *mod;
    CHECK(rt_module_load(e, tc_build_m1(), &mod, &err));
    static const uint8_t i32[] = {RT_VT_I32};
    RtHostFunc *hf = rt_store_hostfunc_new(s, rt_engine_intern_type(e, i32, 1, i32, 1), host_id,
                                           NULL, NULL, &err);
    RtGlobal *g = rt_store_global_new(s, RT_VT_I32, false, NULL, &err);
    RtExtern imports[2] = {{RT_EXTERN_FUNC, {.func = &hf->ref}}, {RT_EXTERN_GLOBAL, {.global = g}}};
    RtInstance *i1 = NULL;
    RtTrap *trap = NULL;
    CHECK(!rt_instance_new(s, mod, imports, 2, &i1, &trap, &err));
    CHECK_CONTAINS(err.message, "guard-region");
    rt_module_release(mod);
    rt_store_free(s);
    rt_engine_free(e);
}

int
main(void)
{
    RtError err;
    engine = rt_engine_new(NULL, &err);
    store = rt_store_new(engine);
    fiber = rt_fiber_new(256 * 1024);
    RtModule *mod;
    CHECK(rt_module_load(engine, tc_build_m1(), &mod, &err));
    static const uint8_t i32[] = {RT_VT_I32};
    RtHostFunc *hf = rt_store_hostfunc_new(store, rt_engine_intern_type(engine, i32, 1, i32, 1),
                                           host_id, NULL, NULL, &err);
    RtGlobal *g = rt_store_global_new(store, RT_VT_I32, false, NULL, &err);
    RtExtern imports[2] = {{RT_EXTERN_FUNC, {.func = &hf->ref}}, {RT_EXTERN_GLOBAL, {.global = g}}};
    RtTrap *trap = NULL;
    CHECK(rt_instance_new(store, mod, imports, 2, &inst, &trap, &err));
    rt_module_release(mod);
    if (!inst)
        return check_exit();
    vm = inst->vmctx;
    test_memory_ops();
    test_table_ops();
    test_float_builtins();
    test_explicit_bounds();
    rt_fiber_free(fiber);
    rt_store_free(store);
    rt_engine_free(engine);
    return check_exit();
}
