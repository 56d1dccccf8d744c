/*
 * x86_64 backend, run for real: IR functions built by hand are compiled with the code
 * generator, loaded by a stand-in runtime (x64_harness.c) and called through the compiled
 * entry trampolines.
 *
 * 1. Programs: recursive factorial, a fibonacci loop, a loop over a memory buffer, a
 *    br_table, globals, select, multi-value returns (callee and caller side), a call to an
 *    imported host function (host-call trampoline), call_indirect, memory.grow.
 * 2. Every trap kind the backend raises: unreachable, division by zero, integer overflow,
 *    invalid conversion, out-of-bounds memory (guard region and explicit checks),
 *    call_indirect out of bounds / null / signature mismatch, call stack exhausted.
 * 3. Every scalar operation against the IR's own constant folder (ir_fold_eval, Wasm
 *    semantics) over edge-case inputs, with operands in registers and as immediates, and
 *    with compares fused into branches, selects and trap_ifs; once with the host's CPU
 *    features and once with none (SSE2 only: the LZCNT/TZCNT/POPCNT/SSE4.1 fallbacks).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "x64_harness.h"

static const uint8_t T_I32 = IR_TYPE_I32, T_I64 = IR_TYPE_I64, T_F32 = IR_TYPE_F32,
                     T_F64 = IR_TYPE_F64;

/* ---- IR building shorthands ------------------------------------------------------------ */

static IrValue
P(IrFunc *f, uint32_t i)
{
    return ir_func_param(f, i);
}

static IrValue
K(IrFunc *f, IrType t, uint64_t v)
{
    return ir_emit(f, t == IR_TYPE_F32 || t == IR_TYPE_F64 ? IR_OP_FCONST : IR_OP_ICONST, t, 0,
                   0, 0, t == IR_TYPE_I32 || t == IR_TYPE_F32 ? (uint32_t)v : v);
}

static IrValue
OP2(IrFunc *f, IrOp op, IrType t, IrValue a, IrValue b)
{
    return ir_emit(f, op, t, a.id, b.id, 0, 0);
}

static IrValue
OP1(IrFunc *f, IrOp op, IrType t, IrValue a)
{
    return ir_emit(f, op, t, a.id, 0, 0, 0);
}

static IrValue
CMP(IrFunc *f, IrIntCond cc, IrValue a, IrValue b)
{
    return ir_emit(f, IR_OP_ICMP, IR_TYPE_I32, a.id, b.id, 0, cc);
}

static void
RET(IrFunc *f, IrValue v)
{
    ir_return(f, &v, 1);
}

static IrValue
CALL(IrFunc *f, uint32_t callee, const IrValue *args, uint32_t n)
{
    const IrSig *s = &f->module->sigs[f->module->func_sigs[callee]];
    uint32_t start = ir_pool_push_values(f, args, n);
    return ir_emit(f, IR_OP_CALL, s->nresults ? (IrType)s->results[0] : IR_TYPE_NONE,
                   f->module->func_sigs[callee], start, n, callee);
}

static void
TRAP_IF(IrFunc *f, IrValue c, IrTrapKind k)
{
    ir_emit(f, IR_OP_TRAP_IF, IR_TYPE_NONE, c.id, 0, 0, k);
}

static IrValue
LOAD(IrFunc *f, IrOp op, IrType t, IrValue addr, uint64_t offset)
{
    return ir_emit(f, op, t, addr.id, 0, IR_MEMARG(0, 0, 0), offset);
}

static void
STORE(IrFunc *f, IrOp op, IrValue addr, IrValue v, uint64_t offset)
{
    ir_emit(f, op, IR_TYPE_NONE, addr.id, v.id, IR_MEMARG(0, 0, 0), offset);
}

/* ---- programs --------------------------------------------------------------------------- */

static uint32_t F_FACT, F_FIB, F_SUM, F_BRT, F_GLOB, F_SEL, F_MV, F_MVCALL, F_HOSTCALL, F_ADD,
    F_SUB3, F_CI, F_REC, F_UNREACH, F_DIVS, F_REMS, F_DIVU, F_LOADAT, F_LOADFAR, F_GROW,
    F_TRUNC, F_IMPORT, F_MANY, F_SPILLY, F_STOREAT;
static uint32_t SIG_II_I;

/* fact(n: i64) -> i64 = n <= 1 ? 1 : n * fact(n - 1) */
static void
b_fact(IrFunc *f, const void *arg)
{
    (void)arg;
    IrBlock base = ir_block_new(f), rec = ir_block_new(f);
    IrValue n = P(f, 0);
    ir_branch(f, CMP(f, IR_ICC_LE_S, n, K(f, IR_TYPE_I64, 1)), base, rec);
    ir_block_start(f, base);
    RET(f, K(f, IR_TYPE_I64, 1));
    ir_block_start(f, rec);
    IrValue n1 = OP2(f, IR_OP_ISUB, IR_TYPE_I64, n, K(f, IR_TYPE_I64, 1));
    IrValue r = CALL(f, F_FACT, &n1, 1);
    RET(f, OP2(f, IR_OP_IMUL, IR_TYPE_I64, n, r));
}

/* fib(n: i32) -> i32 with a loop carrying (a, b, i). */
static void
b_fib(IrFunc *f, const void *arg)
{
    (void)arg;
    IrBlock head = ir_block_new(f), body = ir_block_new(f), exit = ir_block_new(f);
    IrValue n = P(f, 0);
    IrValue init[3] = {K(f, IR_TYPE_I32, 0), K(f, IR_TYPE_I32, 1), K(f, IR_TYPE_I32, 0)};
    ir_jump(f, head, init, 3);
    ir_block_start(f, head);
    IrValue a = ir_block_add_param(f, head, IR_TYPE_I32);
    IrValue b = ir_block_add_param(f, head, IR_TYPE_I32);
    IrValue i = ir_block_add_param(f, head, IR_TYPE_I32);
    ir_branch(f, CMP(f, IR_ICC_LT_U, i, n), body, exit);
    ir_block_start(f, body);
    IrValue next[3] = {b, OP2(f, IR_OP_IADD, IR_TYPE_I32, a, b),
                       OP2(f, IR_OP_IADD, IR_TYPE_I32, i, K(f, IR_TYPE_I32, 1))};
    ir_jump(f, head, next, 3);
    ir_block_start(f, exit);
    RET(f, a);
}

/* sum(ptr: i32, count: i32) -> i64: sum of count u32 words at ptr. */
static void
b_sum(IrFunc *f, const void *arg)
{
    (void)arg;
    IrBlock head = ir_block_new(f), body = ir_block_new(f), exit = ir_block_new(f);
    IrValue init[2] = {K(f, IR_TYPE_I64, 0), K(f, IR_TYPE_I32, 0)};
    ir_jump(f, head, init, 2);
    ir_block_start(f, head);
    IrValue s = ir_block_add_param(f, head, IR_TYPE_I64);
    IrValue i = ir_block_add_param(f, head, IR_TYPE_I32);
    ir_branch(f, CMP(f, IR_ICC_LT_U, i, P(f, 1)), body, exit);
    ir_block_start(f, body);
    IrValue addr = OP2(f, IR_OP_IADD, IR_TYPE_I32, P(f, 0),
                       OP2(f, IR_OP_ISHL, IR_TYPE_I32, i, K(f, IR_TYPE_I32, 2)));
    IrValue w = LOAD(f, IR_OP_LOAD32_U, IR_TYPE_I64, addr, 0);
    IrValue next[2] = {OP2(f, IR_OP_IADD, IR_TYPE_I64, s, w),
                       OP2(f, IR_OP_IADD, IR_TYPE_I32, i, K(f, IR_TYPE_I32, 1))};
    ir_jump(f, head, next, 2);
    ir_block_start(f, exit);
    RET(f, s);
}

/* brt(x: i32) -> i32: br_table over 4 targets returning 10, 20, 30, 40; default 99. */
static void
b_brt(IrFunc *f, const void *arg)
{
    (void)arg;
    IrBlock t[4], d = ir_block_new(f);
    for (int k = 0; k < 4; k++)
        t[k] = ir_block_new(f);
    ir_br_table(f, P(f, 0), t, 4, d);
    for (int k = 0; k < 4; k++) {
        ir_block_start(f, t[k]);
        RET(f, K(f, IR_TYPE_I32, 10u * (k + 1)));
    }
    ir_block_start(f, d);
    RET(f, K(f, IR_TYPE_I32, 99));
}

/* glob(x: i64) -> i64: g0 += x; return g0 (a defined mutable global). */
static void
b_glob(IrFunc *f, const void *arg)
{
    (void)arg;
    IrValue g = ir_emit(f, IR_OP_GLOBAL_GET, IR_TYPE_I64, 0, 0, 0, 0);
    IrValue s = OP2(f, IR_OP_IADD, IR_TYPE_I64, g, P(f, 0));
    ir_emit(f, IR_OP_GLOBAL_SET, IR_TYPE_NONE, s.id, 0, 0, 0);
    RET(f, ir_emit(f, IR_OP_GLOBAL_GET, IR_TYPE_I64, 0, 0, 0, 0));
}

/* sel(c: i32, a: f64, b: f64) -> f64 = c ? a : b */
static void
b_sel(IrFunc *f, const void *arg)
{
    (void)arg;
    RET(f, ir_emit(f, IR_OP_SELECT, IR_TYPE_F64, P(f, 0).id, P(f, 1).id, P(f, 2).id, 0));
}

/* mv(a: i32, b: i64, c: f64) -> (f64, i32, i64) = (c, a, b) */
static void
b_mv(IrFunc *f, const void *arg)
{
    (void)arg;
    IrValue r[3] = {P(f, 2), P(f, 0), P(f, 1)};
    ir_return(f, r, 3);
}

/* mvcall(x: i32) -> i64: (r0, r1, r2) = mv(x, 10, 2.5); izext(r1) + r2 + trunc(r0 * 4) */
static void
b_mvcall(IrFunc *f, const void *arg)
{
    (void)arg;
    double c = 2.5;
    uint64_t cb;
    memcpy(&cb, &c, 8);
    IrValue args[3] = {P(f, 0), K(f, IR_TYPE_I64, 10), K(f, IR_TYPE_F64, cb)};
    IrValue r0 = CALL(f, F_MV, args, 3);
    IrValue r1 = ir_emit(f, IR_OP_RESULT, IR_TYPE_I32, r0.id, 0, 0, 1);
    IrValue r2 = ir_emit(f, IR_OP_RESULT, IR_TYPE_I64, r0.id, 0, 0, 2);
    double four = 4.0;
    uint64_t fb;
    memcpy(&fb, &four, 8);
    IrValue t = OP1(f, IR_OP_FCVT_TO_SINT, IR_TYPE_I64, OP2(f, IR_OP_FMUL, IR_TYPE_F64, r0, K(f, IR_TYPE_F64, fb)));
    IrValue s = OP2(f, IR_OP_IADD, IR_TYPE_I64, OP1(f, IR_OP_IZEXT, IR_TYPE_I64, r1), r2);
    RET(f, OP2(f, IR_OP_IADD, IR_TYPE_I64, s, t));
}

/* hostcall(a: i32, b: i64) -> i64 = import(a, b) + 1 */
static void
b_hostcall(IrFunc *f, const void *arg)
{
    (void)arg;
    IrValue args[2] = {P(f, 0), P(f, 1)};
    IrValue r = CALL(f, F_IMPORT, args, 2);
    RET(f, OP2(f, IR_OP_IADD, IR_TYPE_I64, r, K(f, IR_TYPE_I64, 1)));
}

static void
b_add(IrFunc *f, const void *arg)
{
    (void)arg;
    RET(f, OP2(f, IR_OP_IADD, IR_TYPE_I32, P(f, 0), P(f, 1)));
}

/* sub3(a: i32, b: i32, c: i32) -> i32: a different signature for the type check. */
static void
b_sub3(IrFunc *f, const void *arg)
{
    (void)arg;
    RET(f, OP2(f, IR_OP_ISUB, IR_TYPE_I32, P(f, 0), P(f, 1)));
}

/* ci(idx: i32, a: i32, b: i32) -> i32 = call_indirect (i32, i32) -> i32 [idx](a, b) */
static void
b_ci(IrFunc *f, const void *arg)
{
    (void)arg;
    IrValue args[2] = {P(f, 1), P(f, 2)};
    uint32_t start = ir_pool_push_values(f, args, 2);
    RET(f, ir_emit(f, IR_OP_CALL_INDIRECT, IR_TYPE_I32, P(f, 0).id, start, 2, SIG_II_I));
}

/* rec(n: i64) -> i64 = rec(n + 1) + 1: never ends; the stack check stops it. */
static void
b_rec(IrFunc *f, const void *arg)
{
    (void)arg;
    IrValue n1 = OP2(f, IR_OP_IADD, IR_TYPE_I64, P(f, 0), K(f, IR_TYPE_I64, 1));
    IrValue r = CALL(f, F_REC, &n1, 1);
    RET(f, OP2(f, IR_OP_IADD, IR_TYPE_I64, r, K(f, IR_TYPE_I64, 1)));
}

static void
b_unreach(IrFunc *f, const void *arg)
{
    (void)arg;
    ir_trap(f, IR_TRAP_UNREACHABLE);
}

/* The translator's guards: a zero divisor, then INT_MIN / -1 for div_s. */
static void
div_guards(IrFunc *f, IrType t, IrValue a, IrValue b, bool overflow)
{
    TRAP_IF(f, OP1(f, IR_OP_IEQZ, IR_TYPE_I32, b), IR_TRAP_INT_DIV_BY_ZERO);
    if (overflow) {
        uint64_t min = t == IR_TYPE_I32 ? 0x80000000u : 0x8000000000000000ull;
        IrValue c1 = CMP(f, IR_ICC_EQ, a, K(f, t, min));
        IrValue c2 = CMP(f, IR_ICC_EQ, b, K(f, t, t == IR_TYPE_I32 ? 0xFFFFFFFFu : ~0ull));
        TRAP_IF(f, OP2(f, IR_OP_IAND, IR_TYPE_I32, c1, c2), IR_TRAP_INT_OVERFLOW);
    }
}

static void
b_divs(IrFunc *f, const void *arg)
{
    (void)arg;
    div_guards(f, IR_TYPE_I32, P(f, 0), P(f, 1), true);
    RET(f, OP2(f, IR_OP_IDIV_S, IR_TYPE_I32, P(f, 0), P(f, 1)));
}

static void
b_rems(IrFunc *f, const void *arg)
{
    (void)arg;
    div_guards(f, IR_TYPE_I64, P(f, 0), P(f, 1), false);
    RET(f, OP2(f, IR_OP_IREM_S, IR_TYPE_I64, P(f, 0), P(f, 1)));
}

static void
b_divu(IrFunc *f, const void *arg)
{
    (void)arg;
    div_guards(f, IR_TYPE_I32, P(f, 0), P(f, 1), false);
    RET(f, OP2(f, IR_OP_IDIV_U, IR_TYPE_I32, P(f, 0), P(f, 1)));
}

/* loadat(addr: i32) -> i32 = i32.load offset=2 */
static void
b_loadat(IrFunc *f, const void *arg)
{
    (void)arg;
    RET(f, LOAD(f, IR_OP_LOAD, IR_TYPE_I32, P(f, 0), 2));
}

/* loadfar(addr: i32) -> i32 = i32.load8_u offset=0xFFFFFFF0 (beyond disp32) */
static void
b_loadfar(IrFunc *f, const void *arg)
{
    (void)arg;
    RET(f, LOAD(f, IR_OP_LOAD8_U, IR_TYPE_I32, P(f, 0), 0xFFFFFFF0u));
}

/* storeat(addr: i32, v: i64): i64.store16 offset=1, then return i64.load at addr */
static void
b_storeat(IrFunc *f, const void *arg)
{
    (void)arg;
    STORE(f, IR_OP_STORE16, P(f, 0), P(f, 1), 1);
    RET(f, LOAD(f, IR_OP_LOAD, IR_TYPE_I64, P(f, 0), 0));
}

/* grow(delta: i32) -> i32 = memory.grow, then memory.size * 1000 + old */
static void
b_grow(IrFunc *f, const void *arg)
{
    (void)arg;
    IrValue old = ir_emit(f, IR_OP_MEMORY_GROW, IR_TYPE_I32, P(f, 0).id, 0, 0, 0);
    IrValue sz = ir_emit(f, IR_OP_MEMORY_SIZE, IR_TYPE_I32, 0, 0, 0, 0);
    RET(f, OP2(f, IR_OP_IADD, IR_TYPE_I32, OP2(f, IR_OP_IMUL, IR_TYPE_I32, sz, K(f, IR_TYPE_I32, 1000)), old));
}

/* trunc(x: f64) -> i32 = i32.trunc_f64_s */
static void
b_trunc(IrFunc *f, const void *arg)
{
    (void)arg;
    RET(f, OP1(f, IR_OP_FCVT_TO_SINT, IR_TYPE_I32, P(f, 0)));
}

/* many(a0..a9: i64/f64 alternating) -> f64: stack arguments both ways (caller many2). */
static void
b_many(IrFunc *f, const void *arg)
{
    (void)arg;
    const IrSig *s = &f->module->sigs[f->sig];
    IrValue acc = K(f, IR_TYPE_F64, 0);
    for (uint32_t i = 0; i < s->nparams; i++) {
        IrValue v = P(f, i);
        if (s->params[i] == IR_TYPE_I64)
            v = OP1(f, IR_OP_FCVT_FROM_SINT, IR_TYPE_F64, v);
        /* acc = acc * 2 + v: order matters, so a swapped argument shows. */
        acc = OP2(f, IR_OP_FADD, IR_TYPE_F64, OP2(f, IR_OP_FADD, IR_TYPE_F64, acc, acc), v);
    }
    RET(f, acc);
}

/* spilly(x: i32) -> i32: 40 values live at once across a call, so many are spilled. */
static void
b_spilly(IrFunc *f, const void *arg)
{
    (void)arg;
    IrValue v[40];
    for (int i = 0; i < 40; i++)
        v[i] = OP2(f, IR_OP_IMUL, IR_TYPE_I32, P(f, 0), K(f, IR_TYPE_I32, (uint32_t)(i * 7 + 3)));
    IrValue a2[2] = {v[3], v[5]};
    IrValue c = CALL(f, F_ADD, a2, 2);
    IrValue acc = c;
    for (int i = 0; i < 40; i++)
        acc = OP2(f, IR_OP_IXOR, IR_TYPE_I32, OP2(f, IR_OP_IMUL, IR_TYPE_I32, acc, K(f, IR_TYPE_I32, 3)), v[i]);
    RET(f, acc);
}

static uint32_t
sig_list(HxModule *h, const char *ps, const char *rs)
{
    uint8_t p[32], r[32];
    uint32_t np = 0, nr = 0;
    for (; *ps; ps++)
        p[np++] = *ps == 'i' ? T_I32 : *ps == 'l' ? T_I64 : *ps == 'f' ? T_F32 : T_F64;
    for (; *rs; rs++)
        r[nr++] = *rs == 'i' ? T_I32 : *rs == 'l' ? T_I64 : *rs == 'f' ? T_F32 : T_F64;
    return hx_sig(h, p, np, r, nr);
}

static int64_t
fact_ref(int64_t n)
{
    return n <= 1 ? 1 : n * fact_ref(n - 1);
}

static void
test_programs(const CgOptions *opts, const char *what)
{
    static HxModule h;
    hx_init(&h);
    h.m.nglobals = 1;
    h.globals[0] = (IrGlobalInfo){IR_TYPE_I64, true, false};
    SIG_II_I = sig_list(&h, "ii", "i");
    F_IMPORT = hx_func(&h, sig_list(&h, "il", "l"), NULL, NULL);
    F_FACT = hx_func(&h, sig_list(&h, "l", "l"), b_fact, NULL);
    F_FIB = hx_func(&h, sig_list(&h, "i", "i"), b_fib, NULL);
    F_SUM = hx_func(&h, sig_list(&h, "ii", "l"), b_sum, NULL);
    F_BRT = hx_func(&h, sig_list(&h, "i", "i"), b_brt, NULL);
    F_GLOB = hx_func(&h, sig_list(&h, "l", "l"), b_glob, NULL);
    F_SEL = hx_func(&h, sig_list(&h, "idd", "d"), b_sel, NULL);
    F_MV = hx_func(&h, sig_list(&h, "ild", "dil"), b_mv, NULL);
    F_MVCALL = hx_func(&h, sig_list(&h, "i", "l"), b_mvcall, NULL);
    F_HOSTCALL = hx_func(&h, sig_list(&h, "il", "l"), b_hostcall, NULL);
    F_ADD = hx_func(&h, SIG_II_I, b_add, NULL);
    F_SUB3 = hx_func(&h, sig_list(&h, "iii", "i"), b_sub3, NULL);
    F_CI = hx_func(&h, sig_list(&h, "iii", "i"), b_ci, NULL);
    F_REC = hx_func(&h, sig_list(&h, "l", "l"), b_rec, NULL);
    F_UNREACH = hx_func(&h, sig_list(&h, "", ""), b_unreach, NULL);
    F_DIVS = hx_func(&h, SIG_II_I, b_divs, NULL);
    F_REMS = hx_func(&h, sig_list(&h, "ll", "l"), b_rems, NULL);
    F_DIVU = hx_func(&h, SIG_II_I, b_divu, NULL);
    F_LOADAT = hx_func(&h, sig_list(&h, "i", "i"), b_loadat, NULL);
    F_LOADFAR = hx_func(&h, sig_list(&h, "i", "i"), b_loadfar, NULL);
    F_STOREAT = hx_func(&h, sig_list(&h, "il", "l"), b_storeat, NULL);
    F_GROW = hx_func(&h, sig_list(&h, "i", "i"), b_grow, NULL);
    F_TRUNC = hx_func(&h, sig_list(&h, "d", "i"), b_trunc, NULL);
    F_MANY = hx_func(&h, sig_list(&h, "ldldldldldldldldldld", "d"), b_many, NULL);
    F_SPILLY = hx_func(&h, sig_list(&h, "i", "i"), b_spilly, NULL);
    if (!hx_load(&h, opts)) {
        fprintf(stderr, "%s: %s\n", what, h.diag);
        CHECK(false);
        return;
    }
    RtVal av[20];

    for (int64_t n = 0; n <= 20; n++) {
        av[0].i64 = (uint64_t)n;
        CHECK_EQ(hx_call(&h, F_FACT, av), 0);
        CHECK_EQ((int64_t)av[0].i64, fact_ref(n));
    }
    uint32_t fa = 0, fb = 1;
    for (uint32_t n = 0; n <= 47; n++) {
        av[0].i32 = n;
        CHECK_EQ(hx_call(&h, F_FIB, av), 0);
        CHECK_EQ(av[0].i32, fa);
        uint32_t t = fa + fb;
        fa = fb;
        fb = t;
    }
    uint64_t want = 0;
    for (uint32_t i = 0; i < 1000; i++) {
        uint32_t w = i * 2654435761u;
        memcpy(h.mem + 64 + 4 * i, &w, 4);
        want += w;
    }
    av[0].i32 = 64;
    av[1].i32 = 1000;
    CHECK_EQ(hx_call(&h, F_SUM, av), 0);
    CHECK_EQ(av[0].i64, want);
    static const uint32_t brt_in[] = {0, 1, 2, 3, 4, 100, 0xFFFFFFFF};
    static const uint32_t brt_out[] = {10, 20, 30, 40, 99, 99, 99};
    for (int k = 0; k < 7; k++) {
        av[0].i32 = brt_in[k];
        CHECK_EQ(hx_call(&h, F_BRT, av), 0);
        CHECK_EQ(av[0].i32, brt_out[k]);
    }
    av[0].i64 = 5;
    CHECK_EQ(hx_call(&h, F_GLOB, av), 0);
    av[0].i64 = 7;
    CHECK_EQ(hx_call(&h, F_GLOB, av), 0);
    CHECK_EQ(av[0].i64, 12);
    double d1 = 1.5, d2 = -2.25;
    for (int c = 0; c < 2; c++) {
        av[0].i32 = (uint32_t)c;
        memcpy(&av[1].f64, &d1, 8);
        memcpy(&av[2].f64, &d2, 8);
        CHECK_EQ(hx_call(&h, F_SEL, av), 0);
        double r;
        memcpy(&r, &av[0].f64, 8);
        CHECK(r == (c ? d1 : d2));
    }
    av[0].i32 = 0xFFFFFFF7u;
    av[1].i64 = 0x123456789ull;
    memcpy(&av[2].f64, &d2, 8);
    CHECK_EQ(hx_call(&h, F_MV, av), 0);
    double r0;
    memcpy(&r0, &av[0].f64, 8);
    CHECK(r0 == d2);
    CHECK_EQ(av[1].i32, 0xFFFFFFF7u);
    CHECK_EQ(av[2].i64, 0x123456789ull);
    av[0].i32 = 0xFFFFFFFFu;
    CHECK_EQ(hx_call(&h, F_MVCALL, av), 0);
    CHECK_EQ(av[0].i64, 0xFFFFFFFFull + 10 + 10);
    hx_host_calls = 0;
    av[0].i32 = 40;
    av[1].i64 = 1000000000000ull;
    CHECK_EQ(hx_call(&h, F_HOSTCALL, av), 0);
    CHECK_EQ(av[0].i64, 1000000000041ull);
    CHECK_EQ(hx_host_calls, 1);
    av[0].i32 = 1;
    av[1].i64 = 2;
    CHECK_EQ(hx_call(&h, F_IMPORT, av), 0);  // entry trampoline -> host trampoline
    CHECK_EQ(av[0].i64, 3);

    /* call_indirect: table[0] = add, [1] = null, [2] = sub3 (another type), size 64. */
    h.table_elems[0] = hx_funcref(&h, F_ADD);
    h.table_elems[1] = NULL;
    h.table_elems[2] = hx_funcref(&h, F_SUB3);
    static const uint32_t ci_idx[] = {0, 1, 2, 64, 0xFFFFFFFF};
    static const uint32_t ci_trap[] = {0, RT_TRAP_UNINITIALIZED_ELEMENT, RT_TRAP_INDIRECT_CALL_TYPE,
                                       RT_TRAP_UNDEFINED_ELEMENT, RT_TRAP_UNDEFINED_ELEMENT};
    for (int k = 0; k < 5; k++) {
        av[0].i32 = ci_idx[k];
        av[1].i32 = 30;
        av[2].i32 = 12;
        CHECK_EQ(hx_call(&h, F_CI, av), ci_trap[k]);
        if (!ci_trap[k])
            CHECK_EQ(av[0].i32, 42);
    }

    av[0].i64 = 0;
    CHECK_EQ(hx_call(&h, F_REC, av), RT_TRAP_STACK_EXHAUSTED);
    CHECK_EQ(hx_call(&h, F_UNREACH, av), RT_TRAP_UNREACHABLE);

    struct { uint32_t fi; uint64_t a, b, want; uint32_t trap; } divs[] = {
        {F_DIVS, 7, 2, 3, 0},
        {F_DIVS, (uint32_t)-7, 2, (uint32_t)-3, 0},
        {F_DIVS, 7, 0, 0, RT_TRAP_INT_DIV_ZERO},
        {F_DIVS, 0x80000000u, 0xFFFFFFFFu, 0, RT_TRAP_INT_OVERFLOW},
        {F_DIVS, 0x80000000u, 1, 0x80000000u, 0},
        {F_REMS, 0x8000000000000000ull, ~0ull, 0, 0},  // INT_MIN % -1 = 0
        {F_REMS, (uint64_t)-7, 2, (uint64_t)-1, 0},
        {F_REMS, 5, 0, 0, RT_TRAP_INT_DIV_ZERO},
        {F_DIVU, 0xFFFFFFFFu, 2, 0x7FFFFFFFu, 0},
        {F_DIVU, 1, 0, 0, RT_TRAP_INT_DIV_ZERO},
    };
    for (size_t k = 0; k < sizeof(divs) / sizeof(divs[0]); k++) {
        av[0].i64 = divs[k].a;
        av[1].i64 = divs[k].b;
        CHECK_EQ(hx_call(&h, divs[k].fi, av), divs[k].trap);
        if (!divs[k].trap)
            CHECK_EQ(divs[k].fi == F_REMS ? av[0].i64 : av[0].i32, divs[k].want);
    }

    memcpy(h.mem + 100, "\x11\x22\x33\x44\x55\x66", 6);
    av[0].i32 = 98;
    CHECK_EQ(hx_call(&h, F_LOADAT, av), 0);
    CHECK_EQ(av[0].i32, 0x44332211u);
    av[0].i32 = 65536 - 5;  // bytes 65533..65536: one past the end
    CHECK_EQ(hx_call(&h, F_LOADAT, av), RT_TRAP_MEMORY_OOB);
    av[0].i32 = 0xFFFFFFFFu;
    CHECK_EQ(hx_call(&h, F_LOADAT, av), RT_TRAP_MEMORY_OOB);
    av[0].i32 = 0x10;  // 0x10 + 0xFFFFFFF0 = 4 GiB: beyond memory
    CHECK_EQ(hx_call(&h, F_LOADFAR, av), RT_TRAP_MEMORY_OOB);
    av[0].i32 = 200;
    av[1].i64 = 0xABCD;
    memset(h.mem + 200, 0, 8);
    CHECK_EQ(hx_call(&h, F_STOREAT, av), 0);
    CHECK_EQ(av[0].i64, 0xABCD00ull);
    av[0].i32 = 1;
    CHECK_EQ(hx_call(&h, F_GROW, av), 0);
    CHECK_EQ(av[0].i32, 2001);
    av[0].i32 = 65536 - 2;  // now in bounds
    CHECK_EQ(hx_call(&h, F_LOADAT, av), 0);

    double tin[] = {1.9, -1.9, 2147483647.0, -2147483648.0, -2147483648.9, 2147483648.0,
                    -2147483649.0, NAN, INFINITY};
    uint32_t tout[] = {1, (uint32_t)-1, 2147483647, 0x80000000u, 0x80000000u, 0, 0, 0, 0};
    uint32_t ttrap[] = {0, 0, 0, 0, 0, RT_TRAP_INT_OVERFLOW, RT_TRAP_INT_OVERFLOW,
                        RT_TRAP_BAD_CONVERSION, RT_TRAP_INT_OVERFLOW};
    for (int k = 0; k < 9; k++) {
        memcpy(&av[0].f64, &tin[k], 8);
        CHECK_EQ(hx_call(&h, F_TRUNC, av), ttrap[k]);
        if (!ttrap[k])
            CHECK_EQ(av[0].i32, tout[k]);
    }

    double acc = 0;
    for (int i = 0; i < 20; i++) {
        if (i % 2 == 0) {
            av[i].i64 = (uint64_t)(int64_t)(i * 3 - 7);
            acc = acc * 2 + (double)(i * 3 - 7);
        } else {
            double v = i * 0.25;
            memcpy(&av[i].f64, &v, 8);
            acc = acc * 2 + v;
        }
    }
    CHECK_EQ(hx_call(&h, F_MANY, av), 0);
    double mr;
    memcpy(&mr, &av[0].f64, 8);
    if (mr != acc) fprintf(stderr, "many: got %.17g want %.17g\n", mr, acc);
    CHECK(mr == acc);

    av[0].i32 = 12345;
    CHECK_EQ(hx_call(&h, F_SPILLY, av), 0);
    uint32_t x = 12345, vv[40];
    for (int i = 0; i < 40; i++)
        vv[i] = x * (uint32_t)(i * 7 + 3);
    uint32_t sa = vv[3] + vv[5];
    for (int i = 0; i < 40; i++)
        sa = (sa * 3) ^ vv[i];
    CHECK_EQ(av[0].i32, sa);
    hx_unload(&h);
}

/* The explicit bounds-check mode: the same out-of-bounds loads trap through a check. */
static void
test_explicit_bounds(uint64_t features)
{
    static HxModule h;
    hx_init(&h);
    F_LOADAT = hx_func(&h, sig_list(&h, "i", "i"), b_loadat, NULL);
    F_LOADFAR = hx_func(&h, sig_list(&h, "i", "i"), b_loadfar, NULL);
    CgOptions o = {features, true, true, false};
    if (!hx_load(&h, &o)) {
        fprintf(stderr, "explicit bounds: %s\n", h.diag);
        CHECK(false);
        return;
    }
    RtVal av[2];
    av[0].i32 = 65536 - 6;  // the last 4 bytes exactly
    CHECK_EQ(hx_call(&h, F_LOADAT, av), 0);
    av[0].i32 = 65536 - 5;
    CHECK_EQ(hx_call(&h, F_LOADAT, av), RT_TRAP_MEMORY_OOB);
    av[0].i32 = 0x10;
    CHECK_EQ(hx_call(&h, F_LOADFAR, av), RT_TRAP_MEMORY_OOB);
    /* It traps through the check, not a fault: no memory-access trap record is used. */
    bool has_mem_record = false;
    for (uint32_t i = 0; i < h.cm.ntraps; i++) {
        const uint8_t *at = h.cm.code + h.cm.traps[i].offset;
        has_mem_record |= h.cm.traps[i].kind == RT_TRAP_MEMORY_OOB &&
                          !(at[0] == 0x0F && at[1] == 0x0B);  // not a ud2 stub
    }
    CHECK(!has_mem_record);
    hx_unload(&h);
}

/* ---- the operation oracle ------------------------------------------------------------------ */

typedef struct OpCase {
    IrOp op;
    IrType t;       // result type
    IrType at;      // operand type
    uint32_t imm;   // condition for compares
    uint8_t nargs;
    uint8_t form;   // FORM_*
    uint64_t k;     // the constant second operand (FORM_CONST)
} OpCase;

enum {
    FORM_REGS,       // f(a, b) = op(a, b)
    FORM_CONST,      // f(a) = op(a, k)
    FORM_CONST_A,    // f(b) = op(k, b)
    FORM_BRANCH,     // f(a, b) = op(a, b) ? 1 : 0 through a branch (fused compare)
    FORM_SELECT,     // f(a, b) = select(op(a, b), a, b) (fused compare into cmov)
    FORM_TRAPIF,     // f(a, b) = trap_if(op(a, b)); 7
};

static void
b_op(IrFunc *f, const void *arg)
{
    const OpCase *c = arg;
    IrValue a = P(f, 0), b = c->nargs > 1 && c->form != FORM_CONST ? P(f, 1) : IR_NONE_VALUE;
    if (c->form == FORM_CONST)
        b = K(f, c->at, c->k);
    if (c->form == FORM_CONST_A) {
        b = a;
        a = K(f, c->at, c->k);
    }
    bool guard = c->op == IR_OP_IDIV_S || c->op == IR_OP_IDIV_U || c->op == IR_OP_IREM_S ||
                 c->op == IR_OP_IREM_U;
    if (guard)
        div_guards(f, c->t, a, b, c->op == IR_OP_IDIV_S);
    IrValue r = ir_emit(f, c->op, c->t, a.id, b.id, 0, c->imm);
    switch (c->form) {
    case FORM_BRANCH: {
        IrBlock y = ir_block_new(f), n = ir_block_new(f);
        ir_branch(f, r, y, n);
        ir_block_start(f, y);
        RET(f, K(f, IR_TYPE_I32, 1));
        ir_block_start(f, n);
        RET(f, K(f, IR_TYPE_I32, 0));
        return;
    }
    case FORM_SELECT:
        RET(f, ir_emit(f, IR_OP_SELECT, c->at, r.id, a.id, b.id, 0));
        return;
    case FORM_TRAPIF:
        TRAP_IF(f, r, IR_TRAP_UNREACHABLE);
        RET(f, K(f, IR_TYPE_I32, 7));
        return;
    default:
        RET(f, r);
    }
}

static const uint64_t i32_vals[] = {0, 1, 2, 3, 5, 7, 31, 32, 33, 63, 64, 100, 0x7FFFFFFF,
                                    0x80000000, 0x80000001, 0xFFFFFFFF, 0xFFFFFFFE, 0x12345678,
                                    0xDEADBEEF, 0x00FF00FF};
static const uint64_t i64_vals[] = {0, 1, 2, 5, 31, 32, 63, 64, 65, 0xFFFFFFFF, 0x100000000ull,
                                    0x7FFFFFFFFFFFFFFFull, 0x8000000000000000ull,
                                    0x8000000000000001ull, ~0ull, ~1ull, 0x123456789ABCDEF0ull,
                                    0xDEADBEEFCAFEBABEull, 0x00000000FFFFFFFFull - 1,
                                    /* u64 -> float ties broken only by the lowest bit */
                                    0x8000000000000401ull, 0x8000008000000001ull,
                                    0x0020000000000001ull, 0x0000000001000001ull};

static uint64_t
f64b(double d)
{
    uint64_t b;
    memcpy(&b, &d, 8);
    return b;
}

static uint64_t
f32b(float x)
{
    uint32_t b;
    memcpy(&b, &x, 4);
    return b;
}

static uint64_t f64_vals[40], f32_vals[40];
static uint32_t nf64, nf32;

static void
init_float_vals(void)
{
    static const double d[] = {0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.5,
                               0.49999999999999994, 1e10, -1e10, 2147483647.0, 2147483648.0,
                               -2147483648.0, -2147483649.0, 4294967295.0, 4294967296.0,
                               4294967295.5, 9223372036854775807.0, 9223372036854775808.0,
                               -9223372036854775808.0, 18446744073709551616.0,
                               18446744073709549568.0, 1e300, -1e-300, 5e-324,
                               INFINITY, -INFINITY};
    for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
        f64_vals[nf64++] = f64b(d[i]);
        f32_vals[nf32++] = f32b((float)d[i]);
    }
    f64_vals[nf64++] = 0x7FF8000000000000ull;  // quiet NaN
    f64_vals[nf64++] = 0xFFF8000000000001ull;  // negative NaN with payload
    f64_vals[nf64++] = 0x7FF0000000000001ull;  // signaling NaN
    f32_vals[nf32++] = 0x7FC00000u;
    f32_vals[nf32++] = 0xFFC00001u;
    f32_vals[nf32++] = 0x7F800001u;
    f32_vals[nf32++] = 0x3F000001u;  // 0.50000006
    f32_vals[nf32++] = 0x4B800001u;  // 16777218: odd at the edge of exactness
}

static const uint64_t *
vals_of(IrType t, uint32_t *n)
{
    switch (t) {
    case IR_TYPE_I32:
        *n = sizeof(i32_vals) / sizeof(i32_vals[0]);
        return i32_vals;
    case IR_TYPE_I64:
        *n = sizeof(i64_vals) / sizeof(i64_vals[0]);
        return i64_vals;
    case IR_TYPE_F32:
        *n = nf32;
        return f32_vals;
    default:
        *n = nf64;
        return f64_vals;
    }
}

static bool
is_nan(IrType t, uint64_t bits)
{
    if (t == IR_TYPE_F32)
        return (bits & 0x7F800000u) == 0x7F800000u && (bits & 0x7FFFFFu);
    if (t == IR_TYPE_F64)
        return (bits & 0x7FF0000000000000ull) == 0x7FF0000000000000ull &&
               (bits & 0xFFFFFFFFFFFFFull);
    return false;
}

static uint64_t
mask_of(IrType t)
{
    return t == IR_TYPE_I32 || t == IR_TYPE_F32 ? 0xFFFFFFFFu : ~0ull;
}

static uint64_t op_checks, op_failures;

/* The trap a trapping op should raise for inputs the folder refuses (0: none expected). */
static uint32_t
expected_trap(const OpCase *c, const uint64_t *args)
{
    switch (c->op) {
    case IR_OP_IDIV_S:
    case IR_OP_IDIV_U:
    case IR_OP_IREM_S:
    case IR_OP_IREM_U:
        if ((args[1] & mask_of(c->t)) == 0)
            return RT_TRAP_INT_DIV_ZERO;
        return RT_TRAP_INT_OVERFLOW;
    case IR_OP_FCVT_TO_SINT:
    case IR_OP_FCVT_TO_UINT:
        return is_nan(c->at, args[0]) ? RT_TRAP_BAD_CONVERSION : RT_TRAP_INT_OVERFLOW;
    default:
        return 0;
    }
}

static void
check_case(HxModule *h, uint32_t fi, const OpCase *c, uint64_t x, uint64_t y)
{
    uint64_t args[2] = {x, y}, p0 = x, p1 = y;
    if (c->form == FORM_CONST)
        args[1] = c->k;
    if (c->form == FORM_CONST_A) {
        args[0] = c->k;
        args[1] = x;
    }
    uint64_t want = 0;
    bool ok = ir_fold_eval(c->op, c->t, c->at, c->imm, args, &want);
    uint32_t want_trap = ok ? 0 : expected_trap(c, args);
    if (!ok && !want_trap)
        return;  // the folder has no opinion (should not happen for scalar ops)
    if (c->form == FORM_BRANCH) {
        want = want ? 1 : 0;
    } else if (c->form == FORM_SELECT) {
        want = want ? args[0] : args[1];
    } else if (c->form == FORM_TRAPIF) {
        if (ok && want)
            want_trap = RT_TRAP_UNREACHABLE;
        want = 7;
    }
    /* Narrow arguments come with garbage above them, as SysV allows. */
    bool narrow = c->at == IR_TYPE_I32 || c->at == IR_TYPE_F32;
    RtVal av[2];
    memset(av, 0xA5, sizeof(av));
    av[0].i64 = narrow ? (p0 & 0xFFFFFFFFu) | 0xA5A5A5A500000000ull : p0;
    av[1].i64 = narrow ? (p1 & 0xFFFFFFFFu) | 0x5A5A5A5A00000000ull : p1;
    uint32_t trap = hx_call(h, fi, av);
    IrType rt = c->form == FORM_BRANCH || c->form == FORM_TRAPIF ? IR_TYPE_I32
                : c->form == FORM_SELECT                        ? c->at
                                                                : c->t;
    uint64_t got = av[0].i64 & mask_of(rt);
    want &= mask_of(rt);
    op_checks++;
    bool good = trap == want_trap &&
                (trap || got == want || (is_nan(rt, want) && is_nan(rt, got)));
    if (!good) {
        op_failures++;
        if (op_failures <= 40)
            fprintf(stderr, "%s (%s <- %s, form %u, imm %u, k 0x%llx): args 0x%llx 0x%llx: got 0x%llx "
                    "trap %u, want 0x%llx trap %u\n",
                    ir_op_info[c->op].name, ir_type_name(c->t), ir_type_name(c->at), c->form,
                    c->imm, (unsigned long long)c->k, (unsigned long long)args[0],
                    (unsigned long long)args[1], (unsigned long long)got, trap,
                    (unsigned long long)want, want_trap);
    }
}

/* Adds one function per case of an op family to the module. */
static uint32_t ncases;
static OpCase cases[HX_MAX_FUNCS];
static uint32_t case_func[HX_MAX_FUNCS];

static void
add_case(HxModule *h, OpCase c)
{
    if (ncases >= HX_MAX_FUNCS)
        return;
    uint8_t p[2] = {(uint8_t)c.at, (uint8_t)c.at};
    uint8_t r = (uint8_t)(c.form == FORM_BRANCH || c.form == FORM_TRAPIF ? IR_TYPE_I32
                          : c.form == FORM_SELECT                        ? c.at
                                                                         : c.t);
    uint32_t np = c.form == FORM_CONST || c.form == FORM_CONST_A ? 1 : c.nargs;
    cases[ncases] = c;
    case_func[ncases] = hx_func(h, hx_sig(h, p, np, &r, 1), b_op, &cases[ncases]);
    ncases++;
}

static void
run_cases(HxModule *h, const CgOptions *opts, const char *what)
{
    if (!hx_load(h, opts)) {
        fprintf(stderr, "%s: %s\n", what, h->diag);
        CHECK(false);
        return;
    }
    for (uint32_t i = 0; i < ncases; i++) {
        const OpCase *c = &cases[i];
        uint32_t na, nb;
        const uint64_t *va = vals_of(c->at, &na);
        const uint64_t *vb = vals_of(c->at, &nb);
        bool binary = c->nargs > 1 && c->form != FORM_CONST && c->form != FORM_CONST_A;
        for (uint32_t x = 0; x < na; x++) {
            if (!binary) {
                check_case(h, case_func[i], c, va[x], 0);
                continue;
            }
            for (uint32_t y = 0; y < nb; y++)
                check_case(h, case_func[i], c, va[x], vb[y]);
        }
    }
    hx_unload(h);
}

static void
test_int_ops(const CgOptions *opts)
{
    static const IrOp bin[] = {IR_OP_IADD, IR_OP_ISUB, IR_OP_IMUL, IR_OP_IAND, IR_OP_IOR,
                               IR_OP_IXOR, IR_OP_ISHL, IR_OP_ISHR_S, IR_OP_ISHR_U, IR_OP_IROTL,
                               IR_OP_IROTR, IR_OP_IDIV_S, IR_OP_IDIV_U, IR_OP_IREM_S,
                               IR_OP_IREM_U};
    static const uint64_t ks[] = {0, 1, 2, 7, 8, 31, 33, 0xFFFFFFFF, 0x80000000,
                                  0x7FFFFFFFFFFFFFFFull, 0x100000000ull};
    static HxModule h;
    for (int ti = 0; ti < 2; ti++) {
        IrType t = ti ? IR_TYPE_I64 : IR_TYPE_I32;
        hx_init(&h);
        ncases = 0;
        for (size_t i = 0; i < sizeof(bin) / sizeof(bin[0]); i++) {
            add_case(&h, (OpCase){bin[i], t, t, 0, 2, FORM_REGS, 0});
            for (size_t k = 0; k < sizeof(ks) / sizeof(ks[0]); k++) {
                if (t == IR_TYPE_I32 && ks[k] > 0xFFFFFFFFu)
                    continue;
                add_case(&h, (OpCase){bin[i], t, t, 0, 2, FORM_CONST, ks[k]});
            }
            add_case(&h, (OpCase){bin[i], t, t, 0, 2, FORM_CONST_A, 0});
            add_case(&h, (OpCase){bin[i], t, t, 0, 2, FORM_CONST_A, 5});
        }
        static const IrOp un[] = {IR_OP_ICLZ, IR_OP_ICTZ, IR_OP_IPOPCNT, IR_OP_IEXTEND8_S,
                                  IR_OP_IEXTEND16_S};
        for (size_t i = 0; i < sizeof(un) / sizeof(un[0]); i++)
            add_case(&h, (OpCase){un[i], t, t, 0, 1, FORM_REGS, 0});
        add_case(&h, (OpCase){IR_OP_IEQZ, IR_TYPE_I32, t, 0, 1, FORM_REGS, 0});
        if (t == IR_TYPE_I64) {
            add_case(&h, (OpCase){IR_OP_IEXTEND32_S, t, t, 0, 1, FORM_REGS, 0});
            add_case(&h, (OpCase){IR_OP_IWRAP, IR_TYPE_I32, t, 0, 1, FORM_REGS, 0});
        } else {
            add_case(&h, (OpCase){IR_OP_ISEXT, IR_TYPE_I64, t, 0, 1, FORM_REGS, 0});
            add_case(&h, (OpCase){IR_OP_IZEXT, IR_TYPE_I64, t, 0, 1, FORM_REGS, 0});
        }
        for (uint32_t cc = 0; cc < IR_ICC_COUNT; cc++) {
            add_case(&h, (OpCase){IR_OP_ICMP, IR_TYPE_I32, t, cc, 2, FORM_REGS, 0});
            add_case(&h, (OpCase){IR_OP_ICMP, IR_TYPE_I32, t, cc, 2, FORM_CONST, 33});
            add_case(&h, (OpCase){IR_OP_ICMP, IR_TYPE_I32, t, cc, 2, FORM_CONST, 0});
            add_case(&h, (OpCase){IR_OP_ICMP, IR_TYPE_I32, t, cc, 2, FORM_CONST_A, 33});
            add_case(&h, (OpCase){IR_OP_ICMP, IR_TYPE_I32, t, cc, 2, FORM_BRANCH, 0});
            add_case(&h, (OpCase){IR_OP_ICMP, IR_TYPE_I32, t, cc, 2, FORM_SELECT, 0});
            add_case(&h, (OpCase){IR_OP_ICMP, IR_TYPE_I32, t, cc, 2, FORM_TRAPIF, 0});
        }
        run_cases(&h, opts, "int ops");
    }
}

static void
test_float_ops(const CgOptions *opts)
{
    static const IrOp bin[] = {IR_OP_FADD, IR_OP_FSUB, IR_OP_FMUL, IR_OP_FDIV, IR_OP_FMIN,
                               IR_OP_FMAX, IR_OP_FCOPYSIGN};
    static const IrOp un[] = {IR_OP_FABS, IR_OP_FNEG, IR_OP_FSQRT, IR_OP_FCEIL, IR_OP_FFLOOR,
                              IR_OP_FTRUNC, IR_OP_FNEAREST};
    static HxModule h;
    for (int ti = 0; ti < 2; ti++) {
        IrType t = ti ? IR_TYPE_F64 : IR_TYPE_F32;
        IrType it = ti ? IR_TYPE_I64 : IR_TYPE_I32;
        hx_init(&h);
        ncases = 0;
        for (size_t i = 0; i < sizeof(bin) / sizeof(bin[0]); i++) {
            add_case(&h, (OpCase){bin[i], t, t, 0, 2, FORM_REGS, 0});
            add_case(&h, (OpCase){bin[i], t, t, 0, 2, FORM_CONST, t == IR_TYPE_F64 ? f64b(-0.0) : f32b(-0.0f)});
            add_case(&h, (OpCase){bin[i], t, t, 0, 2, FORM_CONST, t == IR_TYPE_F64 ? f64b(2.5) : f32b(2.5f)});
        }
        for (size_t i = 0; i < sizeof(un) / sizeof(un[0]); i++)
            add_case(&h, (OpCase){un[i], t, t, 0, 1, FORM_REGS, 0});
        for (uint32_t cc = 0; cc < IR_FCC_COUNT; cc++) {
            add_case(&h, (OpCase){IR_OP_FCMP, IR_TYPE_I32, t, cc, 2, FORM_REGS, 0});
            add_case(&h, (OpCase){IR_OP_FCMP, IR_TYPE_I32, t, cc, 2, FORM_BRANCH, 0});
        }
        add_case(&h, (OpCase){ti ? IR_OP_FDEMOTE : IR_OP_FPROMOTE, ti ? IR_TYPE_F32 : IR_TYPE_F64, t, 0, 1, FORM_REGS, 0});
        add_case(&h, (OpCase){IR_OP_BITCAST, it, t, 0, 1, FORM_REGS, 0});
        static const IrOp to[] = {IR_OP_FCVT_TO_SINT, IR_OP_FCVT_TO_UINT,
                                  IR_OP_FCVT_TO_SINT_SAT, IR_OP_FCVT_TO_UINT_SAT};
        for (size_t i = 0; i < 4; i++) {
            add_case(&h, (OpCase){to[i], IR_TYPE_I32, t, 0, 1, FORM_REGS, 0});
            add_case(&h, (OpCase){to[i], IR_TYPE_I64, t, 0, 1, FORM_REGS, 0});
        }
        /* Integers to this float type, with the integer inputs. */
        add_case(&h, (OpCase){IR_OP_FCVT_FROM_SINT, t, IR_TYPE_I32, 0, 1, FORM_REGS, 0});
        add_case(&h, (OpCase){IR_OP_FCVT_FROM_SINT, t, IR_TYPE_I64, 0, 1, FORM_REGS, 0});
        add_case(&h, (OpCase){IR_OP_FCVT_FROM_UINT, t, IR_TYPE_I32, 0, 1, FORM_REGS, 0});
        add_case(&h, (OpCase){IR_OP_FCVT_FROM_UINT, t, IR_TYPE_I64, 0, 1, FORM_REGS, 0});
        add_case(&h, (OpCase){IR_OP_BITCAST, t, it, 0, 1, FORM_REGS, 0});
        run_cases(&h, opts, "float ops");
    }
}

int
main(void)
{
    init_float_vals();
    uint64_t host = x64_host_features();
    CgOptions full = {host, false, true, false};
    CgOptions base = {0, false, true, false};
    test_programs(&full, "programs");
    test_programs(&base, "programs, SSE2 only");
    test_explicit_bounds(host);
    test_int_ops(&full);
    test_int_ops(&base);
    test_float_ops(&full);
    test_float_ops(&base);
    printf("x64 exec: %llu operation checks, %llu failed (host features 0x%llx)\n",
           (unsigned long long)op_checks, (unsigned long long)op_failures,
           (unsigned long long)host);
    CHECK_EQ(op_failures, 0);
    CHECK(op_checks > 100000);
    return check_exit();
}
