/*
 * The embedding API (runtime/skua.h) end to end with hand-built compiled modules: the compile
 * hook, load errors, the linker ("unknown import"), typed calls and their argument checks,
 * traps as values with backtraces, host functions (results, traps, exit codes, the caller's
 * instance and memory, re-entry), globals, memories, tables, `register`-style linking of a
 * second module, an instantiation that traps, and the spectest module.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "runtime/cmodule.h"
#include "runtime/skua.h"
#include "tc_module.h"

static SkuaStore *store;
static SkuaInstance *m1;

/* The compile hook: "m1"/"m2" give the hand-built modules, anything else is invalid. */
static bool
fake_compile(void *user, const SkuaConfig *cfg, const uint8_t *wasm, size_t size,
             struct RtCompiledModule **out, char *msg, size_t msg_size)
{
    (void)cfg;
    (*(int *)user)++;
    if (size == 2 && memcmp(wasm, "m1", 2) == 0) {
        *out = tc_build_m1();
        return true;
    }
    if (size == 2 && memcmp(wasm, "m2", 2) == 0) {
        *out = tc_build_m2(false);
        return true;
    }
    snprintf(msg, msg_size, "type mismatch: not a test module");
    return false;
}

typedef enum HostMode { H_ADD, H_TRAP, H_EXIT, H_REENTER, H_BAD_RESULT } HostMode;
static HostMode host_mode;
static SkuaInstance *expected_caller;  // the instance host_add1 expects to be called from
static char add1_env[] = "add1-env";

static SkuaTrap *
host_add1(void *env, SkuaCaller *caller, const SkuaVal *args, size_t nargs, SkuaVal *results,
          size_t nresults)
{
    CHECK_STR(env, "add1-env");
    CHECK_EQ(nargs, 1);
    CHECK_EQ(nresults, 1);
    CHECK(args[0].kind == SKUA_I32 && results[0].kind == SKUA_I32);
    /* The importing instance and its memory (M1 has no "memory" export: memory 0). */
    SkuaInstance *inst = skua_caller_instance(caller);
    CHECK(inst == expected_caller);
    SkuaExtern mem;
    if (inst && skua_instance_export(inst, "mem", 3, &mem))
        CHECK(skua_caller_memory(caller) == mem.of.memory);
    if (!inst)
        CHECK(skua_caller_memory(caller) == NULL);
    switch (host_mode) {
    case H_ADD:
        results[0].of.i32 = args[0].of.i32 + 1;
        return NULL;
    case H_TRAP:
        return skua_trap_new("custom host trap");
    case H_EXIT:
        return skua_trap_new_exit(3);
    case H_REENTER: {
        SkuaExtern f;
        CHECK(skua_instance_export(inst, "get_global", 10, &f));
        SkuaVal r;
        SkuaError err;
        CHECK(skua_func_call(skua_caller_store(caller), f.of.func, NULL, 0, &r, 1, &err));
        results[0].of.i32 = args[0].of.i32 + r.of.i32;
        return NULL;
    }
    case H_BAD_RESULT:
        results[0].kind = SKUA_I64;
        return NULL;
    }
    return NULL;
}

static SkuaVal
i32(int32_t v)
{
    SkuaVal x;
    memset(&x, 0, sizeof x);
    x.kind = SKUA_I32;
    x.of.i32 = v;
    return x;
}

static SkuaFunc *
func(SkuaInstance *inst, const char *name)
{
    SkuaExtern x;
    CHECK(skua_instance_export(inst, name, strlen(name), &x) && x.kind == SKUA_EXTERN_FUNC);
    return x.of.func;
}

static int32_t
call_i32(SkuaInstance *inst, const char *name, int32_t arg)
{
    SkuaVal a = i32(arg), r;
    SkuaError err;
    memset(&r, 0, sizeof r);
    SkuaFunc *f = func(inst, name);
    const uint8_t *p, *res;
    size_t np, nr;
    skua_func_type(store, f, &p, &np, &res, &nr);  // (i32) -> i32 or () -> i32
    if (!skua_func_call(store, f, &a, np, &r, 1, &err)) {
        fprintf(stderr, "%s: %s\n", name, err.message);
        CHECK(false);
        skua_error_clear(&err);
    }
    CHECK(r.kind == SKUA_I32);
    return r.of.i32;
}

/* Calls (i32) -> i32 `name` expecting a trap of `kind`; returns it (caller frees). */
static SkuaTrap *
call_trap(SkuaInstance *inst, const char *name, int32_t arg, SkuaTrapKind kind)
{
    SkuaVal a = i32(arg), r;
    SkuaError err;
    CHECK(!skua_func_call(store, func(inst, name), &a, 1, &r, 1, &err));
    CHECK_EQ(err.kind, SKUA_ERROR_TRAP);
    CHECK(err.trap != NULL);
    if (err.trap)
        CHECK_EQ(skua_trap_kind(err.trap), kind);
    SkuaTrap *t = err.trap;
    err.trap = NULL;
    return t;
}

static void
test_modules(SkuaEngine *engine, SkuaEngine *bare)
{
    SkuaError err;
    CHECK(skua_module_new(bare, (const uint8_t *)"m1", 2, &err) == NULL);
    CHECK_EQ(err.kind, SKUA_ERROR_USAGE);
    CHECK(skua_module_new(engine, (const uint8_t *)"zz", 2, &err) == NULL);
    CHECK_EQ(err.kind, SKUA_ERROR_COMPILE);
    CHECK_CONTAINS(err.message, "type mismatch");
    /* Compiled modules that this host cannot run are refused with a clear message. */
    RtCompiledModule *cm = tc_build_m1();
    cm->version = 99;
    CHECK(skua_module_from_compiled(engine, cm, &err) == NULL);
    CHECK_EQ(err.kind, SKUA_ERROR_LOAD);
    CHECK_CONTAINS(err.message, "version");
    cm = tc_build_m1();
    cm->target = cm->target == RT_TARGET_X86_64 ? RT_TARGET_AARCH64 : RT_TARGET_X86_64;
    CHECK(skua_module_from_compiled(engine, cm, &err) == NULL);
    CHECK_CONTAINS(err.message, "targets");
    cm = tc_build_m1();
    cm->funcs[3].code_offset = cm->code_size;  // code out of range
    CHECK(skua_module_from_compiled(engine, cm, &err) == NULL);
    CHECK_CONTAINS(err.message, "invalid compiled module");
    cm = tc_build_m1();
    cm->traps[0].offset = cm->traps[1].offset;  // unsorted trap table
    CHECK(skua_module_from_compiled(engine, cm, &err) == NULL);
    CHECK_CONTAINS(err.message, "trap record");
}

static void
test_m1(SkuaEngine *engine, SkuaLinker *linker)
{
    SkuaError err;
    SkuaModule *mod = skua_module_new(engine, (const uint8_t *)"m1", 2, &err);
    CHECK(mod != NULL);
    if (!mod)
        return;
    CHECK_EQ(skua_module_import_count(mod), 2);
    SkuaImportDesc d = skua_module_import(mod, 0);
    CHECK(d.module_len == 4 && memcmp(d.module, "host", 4) == 0 && d.kind == SKUA_EXTERN_FUNC);
    CHECK_EQ(skua_module_export_count(mod), 12);

    /* Nothing defined yet: "unknown import". */
    CHECK(skua_linker_instantiate(linker, mod, &err) == NULL);
    CHECK_EQ(err.kind, SKUA_ERROR_LINK);
    CHECK_CONTAINS(err.message, "unknown import");
    CHECK_CONTAINS(err.message, "\"host\" \"add1\"");

    static const uint8_t ki32[] = {SKUA_I32};
    SkuaFunc *add1 = skua_func_new(store, ki32, 1, ki32, 1, host_add1, add1_env, NULL, &err);
    CHECK(add1 != NULL);
    SkuaExtern fx = {SKUA_EXTERN_FUNC, {.func = add1}};
    CHECK(skua_linker_define(linker, "host", 4, "add1", 4, fx, &err));
    /* A function where the global is expected: "incompatible import type". */
    CHECK(skua_linker_define(linker, "host", 4, "g", 1, fx, &err));
    CHECK(skua_linker_instantiate(linker, mod, &err) == NULL);
    CHECK_EQ(err.kind, SKUA_ERROR_LINK);
    CHECK_CONTAINS(err.message, "incompatible import type");
    SkuaVal gv = i32(1000);
    SkuaGlobal *g = skua_global_new(store, SKUA_I32, false, &gv, &err);
    SkuaExtern gx = {SKUA_EXTERN_GLOBAL, {.global = g}};
    CHECK(skua_linker_define(linker, "host", 4, "g", 1, gx, &err));  // replaces
    m1 = skua_linker_instantiate(linker, mod, &err);
    CHECK(m1 != NULL);
    expected_caller = m1;
    skua_module_delete(mod);  // the instance holds the module
    if (!m1)
        return;

    CHECK_EQ(call_i32(m1, "get_mem", 16), 0x6c6c6568);
    host_mode = H_ADD;
    CHECK_EQ(call_i32(m1, "call_import", 9), 10);
    CHECK_EQ(call_i32(m1, "call_indirect", 1), 1042);

    /* Argument checks. */
    SkuaVal a[2] = {i32(1), i32(2)}, r;
    CHECK(!skua_func_call(store, func(m1, "get_mem"), a, 2, &r, 1, &err));
    CHECK_EQ(err.kind, SKUA_ERROR_USAGE);
    a[0].kind = SKUA_I64;
    CHECK(!skua_func_call(store, func(m1, "get_mem"), a, 1, &r, 1, &err));
    CHECK_CONTAINS(err.message, "expected i32, got i64");

    /* Traps as values, with function names. */
    SkuaTrap *t = call_trap(m1, "call_indirect", 2, SKUA_TRAP_INDIRECT_CALL_TYPE);
    if (t) {
        CHECK_STR(skua_trap_message(t), "indirect call type mismatch");
        CHECK(skua_trap_frame_count(t) >= 1);
        SkuaFrame f = skua_trap_frame(t, 0);
        CHECK_STR(f.func_name, "call_indirect");
        CHECK_STR(f.module_name, "m1");
        CHECK_EQ(f.func_index, 7);
        skua_trap_delete(t);
    }
    host_mode = H_TRAP;
    t = call_trap(m1, "call_import", 1, SKUA_TRAP_HOST);
    if (t) {
        CHECK_STR(skua_trap_message(t), "custom host trap");
        CHECK(skua_trap_frame_count(t) >= 1 &&
              strcmp(skua_trap_frame(t, 0).func_name, "call_import") == 0);
        skua_trap_delete(t);
    }
    host_mode = H_EXIT;
    t = call_trap(m1, "call_import", 1, SKUA_TRAP_EXIT);
    if (t) {
        CHECK_EQ(skua_trap_exit_code(t), 3);
        skua_trap_delete(t);
    }
    host_mode = H_BAD_RESULT;
    t = call_trap(m1, "call_import", 1, SKUA_TRAP_HOST);
    skua_trap_delete(t);
    host_mode = H_REENTER;
    CHECK_EQ(call_i32(m1, "call_import", 8), 1050);
    host_mode = H_ADD;
    /* The host function called directly: no calling instance. */
    expected_caller = NULL;
    a[0] = i32(5);
    CHECK(skua_func_call(store, add1, a, 1, &r, 1, &err));
    CHECK_EQ(r.of.i32, 6);
    expected_caller = m1;
}

static void
test_objects(void)
{
    if (!m1)
        return;
    SkuaError err;
    SkuaExtern x;
    /* Globals. */
    CHECK(skua_instance_export(m1, "g1", 2, &x) && x.kind == SKUA_EXTERN_GLOBAL);
    SkuaGlobal *g1 = x.of.global;
    CHECK(skua_global_mutable(g1) && skua_global_kind(g1) == SKUA_I32);
    CHECK_EQ(skua_global_get(g1).of.i32, 42);
    SkuaVal v = i32(58);
    CHECK(skua_global_set(g1, &v, &err));
    CHECK_EQ(call_i32(m1, "get_global", 0), 1058);
    v.kind = SKUA_F32;
    CHECK(!skua_global_set(g1, &v, &err));
    v = i32(42);
    CHECK(skua_global_set(g1, &v, &err));
    SkuaVal c = i32(1);
    SkuaGlobal *konst = skua_global_new(store, SKUA_I32, false, &c, &err);
    CHECK(!skua_global_set(konst, &v, &err));
    CHECK_CONTAINS(err.message, "immutable");
    /* Memory: the embedder sees what wasm wrote and vice versa. */
    CHECK(skua_instance_export(m1, "mem", 3, &x) && x.kind == SKUA_EXTERN_MEMORY);
    SkuaMemory *mem = x.of.memory;
    CHECK_EQ(skua_memory_size(mem), 65536);
    CHECK(memcmp(skua_memory_data(mem) + 16, "hello", 5) == 0);
    memcpy(skua_memory_data(mem) + 200, "\x01\x02\x03\x04", 4);
    CHECK_EQ(call_i32(m1, "get_mem", 200), 0x04030201);
    uint8_t *base = skua_memory_data(mem);
    CHECK_EQ(skua_memory_grow(mem, 1), 1);
    CHECK(skua_memory_data(mem) == base);  // the base never moves
    CHECK_EQ(skua_memory_grow(mem, 1), UINT32_MAX);
    /* Tables: the element is the exported function itself. */
    CHECK(skua_instance_export(m1, "tab", 3, &x) && x.kind == SKUA_EXTERN_TABLE);
    SkuaTable *tab = x.of.table;
    CHECK_EQ(skua_table_size(tab), 4);
    SkuaVal e;
    CHECK(skua_table_get(tab, 1, &e) && e.kind == SKUA_FUNCREF);
    CHECK(e.of.funcref == func(m1, "get_global"));
    CHECK(!skua_table_get(tab, 4, &e));
    /* A new host function of type [] -> [i32] put in the table: callable by call_indirect. */
    static const uint8_t ki32[] = {SKUA_I32};
    SkuaFunc *h = skua_func_new(store, NULL, 0, ki32, 1, host_add1, add1_env, NULL, &err);
    SkuaVal hv;
    memset(&hv, 0, sizeof hv);
    hv.kind = SKUA_FUNCREF;
    hv.of.funcref = h;
    /* M1 has no host-call trampoline for [] -> [i32]: refused cleanly. */
    CHECK(!skua_table_set(store, tab, 0, &hv, &err));
    CHECK_CONTAINS(err.message, "trampoline");
    CHECK_EQ(skua_table_grow(store, tab, 2, NULL), 4);
    CHECK_EQ(skua_table_size(tab), 6);
    CHECK_EQ(skua_table_grow(store, tab, 5, NULL), UINT32_MAX);  // max 10
}

static void
test_m2(SkuaEngine *engine, SkuaLinker *linker)
{
    if (!m1)
        return;
    SkuaError err;
    CHECK(skua_linker_define_instance(linker, "m1", 2, m1, &err));
    SkuaModule *mod = skua_module_new(engine, (const uint8_t *)"m2", 2, &err);
    SkuaInstance *m2 = skua_linker_instantiate(linker, mod, &err);
    CHECK(m2 != NULL);
    skua_module_delete(mod);
    if (!m2)
        return;
    CHECK_EQ(call_i32(m1, "call_indirect", 3), 142);
    SkuaVal r;
    CHECK(skua_func_call(store, func(m2, "seven"), NULL, 0, &r, 1, &err));
    CHECK_EQ(r.of.i32, 142);
    /* A module whose data segment is out of bounds: a trap at instantiation. */
    SkuaModule *bad = skua_module_from_compiled(engine, tc_build_m2(true), &err);
    CHECK(bad != NULL);
    CHECK(skua_linker_instantiate(linker, bad, &err) == NULL);
    CHECK_EQ(err.kind, SKUA_ERROR_TRAP);
    CHECK_STR(err.message, "out of bounds memory access");
    skua_error_clear(&err);
    CHECK(err.trap == NULL && err.kind == SKUA_ERROR_NONE);
    skua_module_delete(bad);
}

/* A memory's reservation is reused after its store is gone: it must come back as new (zero
 * bytes, nothing accessible beyond the new size). */
static void
test_memory_reuse(SkuaEngine *engine)
{
    SkuaError err;
    for (int round = 0; round < 3; round++) {
        SkuaStore *s = skua_store_new(engine);
        SkuaMemory *mem = skua_memory_new(s, 1, true, 3, &err);
        CHECK(mem != NULL);
        if (!mem)
            return;
        uint8_t *p = skua_memory_data(mem);
        CHECK_EQ(skua_memory_size(mem), 65536);
        CHECK_EQ(p[1000], 0);
        CHECK_EQ(p[65535], 0);
        memset(p, 0x55, 65536);
        CHECK_EQ(skua_memory_grow(mem, 2), 1);
        CHECK_EQ(p[2 * 65536 + 5], 0);
        memset(p + 65536, 0x66, 2 * 65536);
        skua_store_delete(s);
    }
    /* The wasm side: M1 in a fresh store reads zeros where the last store wrote 0x55, and
     * faults past its one page although the reservation once had three committed. */
    SkuaStore *saved = store;
    store = skua_store_new(engine);
    SkuaLinker *l = skua_linker_new(store);
    static const uint8_t ki32[] = {SKUA_I32};
    SkuaExtern fx = {SKUA_EXTERN_FUNC,
                     {.func = skua_func_new(store, ki32, 1, ki32, 1, host_add1, add1_env, NULL,
                                            &err)}};
    SkuaVal gv = i32(0);
    SkuaExtern gx = {SKUA_EXTERN_GLOBAL, {.global = skua_global_new(store, SKUA_I32, false, &gv,
                                                                    &err)}};
    skua_linker_define(l, "host", 4, "add1", 4, fx, &err);
    skua_linker_define(l, "host", 4, "g", 1, gx, &err);
    SkuaModule *mod = skua_module_from_compiled(engine, tc_build_m1(), &err);
    SkuaInstance *inst = mod ? skua_linker_instantiate(l, mod, &err) : NULL;
    CHECK(inst != NULL);
    if (inst) {
        CHECK_EQ(call_i32(inst, "get_mem", 1000), 0);
        CHECK_EQ(call_i32(inst, "get_mem", 65532), 0);
        skua_trap_delete(call_trap(inst, "get_mem", 65536 + 8, SKUA_TRAP_MEMORY_OOB));
    }
    skua_module_delete(mod);
    skua_linker_delete(l);
    skua_store_delete(store);
    store = saved;
}

static void
test_spectest(SkuaEngine *engine)
{
    SkuaStore *s = skua_store_new(engine);
    SkuaLinker *l = skua_linker_new(s);
    FILE *out = tmpfile();
    SkuaError err;
    CHECK(skua_spectest_define(l, out, &err));
    SkuaExtern x;
    CHECK(skua_linker_get(l, "spectest", 8, "global_i32", 10, &x) &&
          x.kind == SKUA_EXTERN_GLOBAL);
    CHECK_EQ(skua_global_get(x.of.global).of.i32, 666);
    CHECK(!skua_global_mutable(x.of.global));
    CHECK(skua_linker_get(l, "spectest", 8, "global_f32", 10, &x));
    float f = 666.6f;
    uint32_t fb;
    memcpy(&fb, &f, 4);
    CHECK_EQ(skua_global_get(x.of.global).of.f32_bits, fb);
    CHECK(skua_linker_get(l, "spectest", 8, "global_f64", 10, &x));
    CHECK(skua_global_get(x.of.global).of.f64 == 666.6);
    CHECK(skua_linker_get(l, "spectest", 8, "global_i64", 10, &x));
    CHECK_EQ(skua_global_get(x.of.global).of.i64, 666);
    CHECK(skua_linker_get(l, "spectest", 8, "table", 5, &x) && x.kind == SKUA_EXTERN_TABLE);
    CHECK_EQ(skua_table_size(x.of.table), 10);
    CHECK(skua_table_elem_kind(x.of.table) == SKUA_FUNCREF);
    CHECK(skua_linker_get(l, "spectest", 8, "memory", 6, &x) && x.kind == SKUA_EXTERN_MEMORY);
    CHECK_EQ(skua_memory_size(x.of.memory), 65536);
    CHECK_EQ(skua_memory_grow(x.of.memory, 1), 1);
    CHECK_EQ(skua_memory_grow(x.of.memory, 1), UINT32_MAX);
    static const char *const prints[] = {"print", "print_i32", "print_i64", "print_f32",
                                         "print_f64", "print_i32_f32", "print_f64_f64"};
    for (size_t i = 0; i < 7; i++)
        CHECK(skua_linker_get(l, "spectest", 8, prints[i], strlen(prints[i]), &x) &&
              x.kind == SKUA_EXTERN_FUNC);
    /* print_i32_f32 called from the host prints its arguments. */
    CHECK(skua_linker_get(l, "spectest", 8, "print_i32_f32", 13, &x));
    SkuaVal args[2] = {i32(42), i32(0)};
    args[1].kind = SKUA_F32;
    args[1].of.f32 = 1.5f;
    CHECK(skua_func_call(s, x.of.func, args, 2, NULL, 0, &err));
    const uint8_t *p, *res;
    size_t np, nr;
    skua_func_type(s, x.of.func, &p, &np, &res, &nr);
    CHECK(np == 2 && p[0] == SKUA_I32 && p[1] == SKUA_F32 && nr == 0);
    rewind(out);
    char buf[128] = {0};
    CHECK(fread(buf, 1, sizeof buf - 1, out) > 0);
    CHECK_STR(buf, "42 : i32\n1.5 : f32\n");
    fclose(out);
    skua_linker_delete(l);
    skua_store_delete(s);
}

int
main(void)
{
    int compiles = 0;
    SkuaConfig cfg;
    skua_config_init(&cfg);
    cfg.compile = fake_compile;
    cfg.compile_user = &compiles;
    SkuaError err;
    SkuaEngine *engine = skua_engine_new(&cfg, &err);
    SkuaEngine *bare = skua_engine_new(NULL, &err);
    CHECK(engine && bare);
    if (!engine || !bare)
        return check_exit();
    test_modules(engine, bare);
    store = skua_store_new(engine);
    SkuaLinker *linker = skua_linker_new(store);
    test_m1(engine, linker);
    test_objects();
    test_m2(engine, linker);
    CHECK(compiles >= 3);
    skua_linker_delete(linker);
    skua_store_delete(store);
    test_memory_reuse(engine);
    test_spectest(engine);
    skua_engine_delete(bare);
    skua_engine_delete(engine);
    return check_exit();
}
