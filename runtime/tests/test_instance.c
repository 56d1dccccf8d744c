/*
 * Instantiation, linking and calls through the runtime layer with hand-built compiled
 * modules (tc_module.h): imports and their type checks, start function, data and element
 * segments, entry and host-call trampolines, call_indirect's three traps, builtins called
 * from wasm (memory.grow, a trapping memory.fill), host traps, nested host -> wasm -> host ->
 * wasm calls, the nesting limit, sharing a memory/table/global between instances, ref.func
 * identity, and a failed instantiation whose earlier segment writes stay.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "runtime/runtime.h"
#include "tc_module.h"

static RtEngine *engine;
static RtStore *store;
static RtInstance *m1;

/* What the host function host.add1 does, per test. */
typedef enum AddMode { ADD_ONE, ADD_TRAP, ADD_REENTER, ADD_RECURSE } AddMode;
static AddMode add_mode;
static uint32_t add_calls;

static const RtFuncRef *
export_func(RtInstance *inst, const char *name)
{
    RtExtern x;
    if (!rt_instance_export(inst, name, strlen(name), &x) || x.kind != RT_EXTERN_FUNC)
        return NULL;
    return x.u.func;
}

/* Calls a one-argument (or no-argument) export; returns true if it returned. */
static bool
call1(RtInstance *inst, const char *name, uint32_t arg, uint32_t *out, RtTrap **trap)
{
    RtVal v[1];
    memset(v, 0, sizeof v);
    v[0].i32 = arg;
    RtError err;
    const RtFuncRef *f = export_func(inst, name);
    CHECK(f != NULL);
    if (!f)
        return false;
    bool ok = rt_call(store, f, v, trap, &err);
    if (ok && out)
        *out = v[0].i32;
    if (!ok && !*trap)
        fprintf(stderr, "rt_call %s: %s\n", name, err.message);
    return ok;
}

static uint32_t
call_ok(RtInstance *inst, const char *name, uint32_t arg)
{
    uint32_t r = 0xDEADBEEF;
    RtTrap *trap = NULL;
    CHECK(call1(inst, name, arg, &r, &trap));
    if (trap) {
        fprintf(stderr, "%s(%u) trapped: %s\n", name, arg, trap->message);
        rt_trap_free(trap);
    }
    return r;
}

/* Calls and expects trap `kind` whose innermost frame is function `frame0` (or NULL). */
static void
call_trap(RtInstance *inst, const char *name, uint32_t arg, uint32_t kind, const char *frame0)
{
    RtTrap *trap = NULL;
    CHECK(!call1(inst, name, arg, NULL, &trap));
    CHECK(trap != NULL);
    if (!trap)
        return;
    CHECK_EQ(trap->kind, kind);
    if (frame0) {
        CHECK(trap->nframes >= 1);
        if (trap->nframes >= 1)
            CHECK_STR(trap->frames[0].func_name, frame0);
    }
    rt_trap_free(trap);
}

static void
host_add1(RtHostFunc *hf, RtVal *args)
{
    add_calls++;
    CHECK(hf->caller == m1 && hf->origin != NULL);  // the importing instance called
    switch (add_mode) {
    case ADD_ONE:
        args[0].i32 += 1;
        return;
    case ADD_TRAP:
        rt_trap_raise_message(RT_TRAP_HOST, "boom", 0);
    case ADD_REENTER: {
        /* Host -> wasm again, on a fresh fiber with its own stack limit. */
        uintptr_t outer = m1->vmctx->stack_limit;
        CHECK_EQ(outer, rt_fiber_current()->limit);
        uint32_t r = call_ok(m1, "get_global", 0);  // runs on another fiber, other limit
        CHECK_EQ(m1->vmctx->stack_limit, outer);      // restored for this fiber
        args[0].i32 += r;
        return;
    }
    case ADD_RECURSE: {
        /* Unbounded host <-> wasm recursion: the nesting limit ends it with a trap, which
         * each level passes on. */
        RtTrap *trap = NULL;
        uint32_t r;
        if (!call1(m1, "call_import", args[0].i32 + 1, &r, &trap)) {
            uint32_t kind = trap ? trap->kind : RT_TRAP_INTERNAL;
            rt_trap_free(trap);
            rt_trap_raise(kind);
        }
        args[0].i32 = r;
        return;
    }
    }
}

static RtInstance *
instantiate_m1(void)
{
    RtError err;
    RtModule *mod;
    CHECK(rt_module_load(engine, tc_build_m1(), &mod, &err));
    if (!mod)
        return NULL;
    static const uint8_t i32[] = {RT_VT_I32};
    uint32_t t1 = rt_engine_intern_type(engine, i32, 1, i32, 1);
    CHECK_EQ(t1, mod->type_ids[1]);  // canonical: the module's T1 is the same type
    RtHostFunc *add1 = rt_store_hostfunc_new(store, t1, host_add1, NULL, NULL, &err);
    RtVal gv;
    memset(&gv, 0, sizeof gv);
    gv.i32 = 1000;
    RtGlobal *g = rt_store_global_new(store, RT_VT_I32, false, &gv, &err);
    RtExtern imports[2];
    imports[0].kind = RT_EXTERN_FUNC;
    imports[0].u.func = &add1->ref;
    imports[1].kind = RT_EXTERN_GLOBAL;
    imports[1].u.global = g;

    /* Wrong imports first: a function where a global is expected, a mutable global. */
    RtInstance *inst = NULL;
    RtTrap *trap = NULL;
    RtExtern bad[2] = {imports[0], imports[0]};
    CHECK(!rt_instance_new(store, mod, bad, 2, &inst, &trap, &err));
    CHECK_EQ(err.kind, RT_ERROR_LINK);
    CHECK_CONTAINS(err.message, "incompatible import type");
    RtGlobal *gm = rt_store_global_new(store, RT_VT_I32, true, &gv, &err);
    bad[1].kind = RT_EXTERN_GLOBAL;
    bad[1].u.global = gm;
    CHECK(!rt_instance_new(store, mod, bad, 2, &inst, &trap, &err));
    CHECK_CONTAINS(err.message, "incompatible import type");
    CHECK(!rt_instance_new(store, mod, imports, 1, &inst, &trap, &err));
    CHECK_EQ(err.kind, RT_ERROR_USAGE);

    CHECK(rt_instance_new(store, mod, imports, 2, &inst, &trap, &err));
    CHECK(trap == NULL);
    /* The import is a copy of add1 bound to this instance, with M1's trampoline. */
    CHECK(add1->ref.code == NULL);
    RtHostFunc *copy = inst ? rt_funcref_host(inst->funcs[0]) : NULL;
    CHECK(copy != NULL && copy != add1);
    if (copy) {
        CHECK(copy->origin == add1 && copy->caller == inst);
        CHECK(copy->ref.code == mod->code + mod->cm->types[1].host_tramp);
    }
    rt_module_release(mod);         // the instance keeps its own reference
    return inst;
}

static void
test_m1(void)
{
    m1 = instantiate_m1();
    CHECK(m1 != NULL);
    if (!m1)
        return;
    /* The start function ran: g1 = 7 + 35. */
    RtExtern g1;
    CHECK(rt_instance_export(m1, "g1", 2, &g1) && g1.kind == RT_EXTERN_GLOBAL);
    CHECK_EQ(g1.u.global->cell->i32, 42);
    CHECK(g1.u.global->mutable_);
    /* Active data segment "hello" at 16. */
    CHECK_EQ(call_ok(m1, "get_mem", 16), 0x6c6c6568);
    CHECK_EQ(call_ok(m1, "get_mem", 20), 'o');
    /* Host import through the host-call trampoline. */
    add_mode = ADD_ONE;
    CHECK_EQ(call_ok(m1, "call_import", 41), 42);
    CHECK_EQ(call_ok(m1, "get_global", 0), 1042);
    /* call_indirect: table[1] = get_global ([] -> [i32]) matches type T2. */
    CHECK_EQ(call_ok(m1, "call_indirect", 1), 1042);
    call_trap(m1, "call_indirect", 2, RT_TRAP_INDIRECT_CALL_TYPE, "call_indirect");
    call_trap(m1, "call_indirect", 0, RT_TRAP_UNINITIALIZED_ELEMENT, "call_indirect");
    call_trap(m1, "call_indirect", 3, RT_TRAP_UNINITIALIZED_ELEMENT, "call_indirect");
    call_trap(m1, "call_indirect", 4, RT_TRAP_UNDEFINED_ELEMENT, "call_indirect");
    call_trap(m1, "call_indirect", 0xFFFFFFFF, RT_TRAP_UNDEFINED_ELEMENT, "call_indirect");
    /* ref.func identity: the table holds the very RtFuncRef the export gives. */
    CHECK(m1->tables[0]->elems[1] == (void *)export_func(m1, "get_global"));
    CHECK(m1->tables[0]->elems[2] == (void *)export_func(m1, "call_import"));
    /* memory.grow through a relocated builtin call: max 2 pages. */
    call_trap(m1, "get_mem", 65536, RT_TRAP_MEMORY_OOB, "get_mem");
    CHECK_EQ(call_ok(m1, "grow", 1), 1);
    CHECK_EQ(call_ok(m1, "grow", 1), 0xFFFFFFFF);
    CHECK_EQ(call_ok(m1, "grow", 0), 2);
    CHECK_EQ(call_ok(m1, "get_mem", 65536), 0);
    /* memory.fill: fine in bounds, traps from the builtin (backtrace into wasm) past it. */
    CHECK_EQ(call_ok(m1, "fill", 100), 0);
    CHECK_EQ(call_ok(m1, "get_mem", 112), 0xABABABAB);
    CHECK_EQ(call_ok(m1, "fill", 2 * 65536 - 16), 0);
    call_trap(m1, "fill", 2 * 65536 - 15, RT_TRAP_MEMORY_OOB, "fill");
    /* unreachable, and recursion into the stack limit of the fiber. */
    call_trap(m1, "unreachable", 0, RT_TRAP_UNREACHABLE, "unreachable");
    call_trap(m1, "recurse", 0, RT_TRAP_STACK_EXHAUSTED, "recurse");

    /* A host function's trap unwinds through the trampoline, with a wasm backtrace. */
    add_mode = ADD_TRAP;
    RtTrap *trap = NULL;
    CHECK(!call1(m1, "call_import", 1, NULL, &trap));
    CHECK(trap && trap->kind == RT_TRAP_HOST);
    if (trap) {
        CHECK_STR(trap->message, "boom");
        CHECK(trap->nframes >= 1);
        if (trap->nframes >= 1)
            CHECK_STR(trap->frames[0].func_name, "call_import");
        rt_trap_free(trap);
    }
    /* host -> wasm -> host -> wasm. */
    add_mode = ADD_REENTER;
    CHECK_EQ(call_ok(m1, "call_import", 8), 1050);
    /* Unbounded nesting ends in "call stack exhausted" at the nesting limit. */
    add_mode = ADD_RECURSE;
    add_calls = 0;
    call_trap(m1, "call_import", 0, RT_TRAP_STACK_EXHAUSTED, NULL);
    CHECK(add_calls >= 100);
    CHECK_EQ(store->nesting, 0);
    add_mode = ADD_ONE;
    CHECK_EQ(call_ok(m1, "call_import", 1), 2);
    call_trap(m1, "recurse", 0, RT_TRAP_STACK_EXHAUSTED, "recurse");

    /* Calling a host function directly from the host runs its callback. */
    RtVal v[1];
    v[0].i32 = 9;
    RtError err;
    CHECK(rt_call(store, m1->funcs[0], v, &trap, &err));
    CHECK_EQ(v[0].i32, 10);
}

static RtExtern
m1_export(const char *name)
{
    RtExtern x;
    memset(&x, 0, sizeof x);
    CHECK(rt_instance_export(m1, name, strlen(name), &x));
    return x;
}

static void
test_m2(void)
{
    if (!m1)
        return;
    RtExtern imports[3] = {m1_export("mem"), m1_export("tab"), m1_export("g1")};
    RtError err;
    RtModule *mod;
    RtInstance *m2 = NULL;
    RtTrap *trap = NULL;
    CHECK(rt_module_load(engine, tc_build_m2(false), &mod, &err));
    CHECK(rt_instance_new(store, mod, imports, 3, &m2, &trap, &err));
    rt_module_release(mod);
    if (!m2)
        return;
    /* Shared memory: M2's data segment is visible to M1, M1's data to M2. */
    CHECK_EQ(call_ok(m1, "get_mem", 100) & 0xFFFF, 0x5958);  // "XY"
    CHECK_EQ(call_ok(m2, "read", 16), 0x6c6c6568);
    /* Shared table: M2 put its "seven" at table[3]; M1 calls it through call_indirect, which
     * switches to M2's VM context (seven reads M2's imported-global slot = M1's g1). */
    CHECK_EQ(call_ok(m1, "call_indirect", 3), 142);
    /* Shared mutable global: a write through M1's cell shows in M2. */
    m1_export("g1").u.global->cell->i32 = 50;
    CHECK_EQ(call_ok(m2, "seven", 0), 150);
    CHECK_EQ(call_ok(m1, "call_indirect", 3), 150);
    m1_export("g1").u.global->cell->i32 = 42;

    /* Import type mismatches: a table too small, a memory too large a max. */
    RtTable *small = rt_store_table_new(store, RT_VT_FUNCREF, 2, false, 0, NULL, &err);
    RtExtern bad[3] = {imports[0], {RT_EXTERN_TABLE, {.table = small}}, imports[2]};
    CHECK(rt_module_load(engine, tc_build_m2(false), &mod, &err));
    CHECK(!rt_instance_new(store, mod, bad, 3, &m2, &trap, &err));
    CHECK_CONTAINS(err.message, "incompatible import type");
    RtExtern ext = {RT_EXTERN_TABLE, {.table = small}};
    CHECK(rt_table_grow(small, 2, NULL) == 2);  // now 4 elements: matches
    bad[1] = ext;
    RtInstance *m2b = NULL;
    CHECK(rt_instance_new(store, mod, bad, 3, &m2b, &trap, &err));
    rt_module_release(mod);

    /* A data segment out of bounds traps at instantiation; the element segment and the
     * first data segment before it stay written, and the failed instance's function
     * stays callable through the shared table. */
    m1->memories[0]->base[100] = 0;
    m1->tables[0]->elems[3] = NULL;
    CHECK(rt_module_load(engine, tc_build_m2(true), &mod, &err));
    RtInstance *m2c = NULL;
    CHECK(!rt_instance_new(store, mod, imports, 3, &m2c, &trap, &err));
    CHECK(m2c == NULL);
    CHECK(trap && trap->kind == RT_TRAP_MEMORY_OOB);
    if (trap)
        CHECK_STR(trap->message, "out of bounds memory access");
    rt_trap_free(trap);
    rt_module_release(mod);
    CHECK_EQ(m1->memories[0]->base[100], 'X');
    CHECK(m1->tables[0]->elems[3] != NULL);
    CHECK_EQ(call_ok(m1, "call_indirect", 3), 142);
}

int
main(void)
{
    RtError err;
    engine = rt_engine_new(NULL, &err);
    store = rt_store_new(engine);
    test_m1();
    test_m2();
    rt_store_free(store);
    rt_engine_free(engine);
    return check_exit();
}
