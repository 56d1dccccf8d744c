/*
 * Test-only fixture for the IR unit tests: a small IrModule (signatures, functions,
 * globals, a table, a memory) and helpers to start a function and print or verify it.
 */
#ifndef SKUA_IR_TESTS_FIXTURE_H
#define SKUA_IR_TESTS_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "check.h"
#include "ir/ir.h"

enum {
    SIG_V_V = 0,      // () -> ()
    SIG_II_I = 1,     // (i32, i32) -> i32
    SIG_I_IL = 2,     // (i32) -> (i32, i64)
    SIG_L_L = 3,      // (i64) -> i64
    SIG_FF_F = 4,     // (f32, f32) -> f32
    SIG_I_V = 5,      // (i32) -> ()
    SIG_V_I = 6,      // () -> i32
    SIG_COUNT
};

static const uint8_t fx_i32[] = {IR_TYPE_I32, IR_TYPE_I32};
static const uint8_t fx_i32_i64[] = {IR_TYPE_I32, IR_TYPE_I64};
static const uint8_t fx_i64[] = {IR_TYPE_I64};
static const uint8_t fx_f32[] = {IR_TYPE_F32, IR_TYPE_F32};

static const IrSig fx_sigs[SIG_COUNT] = {
    [SIG_V_V] = {0, 0, NULL, NULL},
    [SIG_II_I] = {2, 1, fx_i32, fx_i32},
    [SIG_I_IL] = {1, 2, fx_i32, fx_i32_i64},
    [SIG_L_L] = {1, 1, fx_i64, fx_i64},
    [SIG_FF_F] = {2, 1, fx_f32, fx_f32},
    [SIG_I_V] = {1, 0, fx_i32, NULL},
    [SIG_V_I] = {0, 1, NULL, fx_i32},
};

/* Function i has signature i. */
static const uint32_t fx_func_sigs[SIG_COUNT] = {0, 1, 2, 3, 4, 5, 6};

static const IrGlobalInfo fx_globals[] = {
    {IR_TYPE_I32, true, false},   // g0: mutable i32
    {IR_TYPE_I64, false, false},  // g1: immutable i64
};

static const IrTableInfo fx_tables[] = {{IR_TYPE_FUNCREF, false, 1, 0, false}};
static const IrMemoryInfo fx_memories[] = {{false, false, 1, 0, false}};

static const IrModule fx_module = {
    .sigs = fx_sigs,
    .nsigs = SIG_COUNT,
    .func_sigs = fx_func_sigs,
    .nfuncs = SIG_COUNT,
    .nimported_funcs = 0,
    .globals = fx_globals,
    .nglobals = 2,
    .tables = fx_tables,
    .ntables = 1,
    .memories = fx_memories,
    .nmemories = 1,
    .ndatas = 1,
    .nelems = 1,
};

/* Starts function `sig` (function index == signature index) in f. */
static inline void
fx_start(IrFunc *f, SkArena *arena, uint32_t sig)
{
    sk_arena_reset(arena);
    bool ok = ir_func_init(f, arena, &fx_module, sig);
    CHECK(ok);
}

/* Verifies f; on failure prints the message and the IR with raw ids. */
static inline bool
fx_verify(IrFunc *f)
{
    char msg[256];
    if (ir_verify(f, NULL, msg, sizeof(msg)))
        return true;
    fprintf(stderr, "verify: %s\n%s", msg, ir_print_to_string(f, NULL, true, f->arena));
    return false;
}

/* The verifier's message for f, "" if it verifies. */
static inline const char *
fx_verify_msg(IrFunc *f, char *buf, size_t size)
{
    if (ir_verify(f, NULL, buf, size))
        buf[0] = 0;
    return buf;
}

static inline const char *
fx_print(IrFunc *f)
{
    return ir_print_to_string(f, NULL, false, f->arena);
}

#endif
