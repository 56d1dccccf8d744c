/*
 * Unit tests of constant folding and identities (ir/fold.c): every rule, Wasm's trapping
 * cases left unfolded, NaN payloads, signed zeros, rounding, shift-count masking.
 */
#include "ir_fixture.h"

static SkArena arena_storage;
static IrFunc fn;

/* Starts a fresh function (i32, i32) -> i32 for each case. */
static IrFunc *
fresh(void)
{
    fx_start(&fn, &arena_storage, SIG_II_I);
    return &fn;
}

static IrValue
ic(IrType t, uint64_t v)
{
    return ir_build_iconst(&fn, t, v);
}

static IrValue
fc(IrType t, uint64_t bits)
{
    return ir_build_fconst(&fn, t, bits);
}

/* The constant bits of v, or a marker when v is not a constant. */
static uint64_t
cval(IrValue v)
{
    uint64_t c;
    return ir_value_is_const(&fn, v, &c) ? c : 0xdeadbeefdeadbeefull;
}

static bool
is_const(IrValue v)
{
    uint64_t c;
    return ir_value_is_const(&fn, v, &c);
}

#define I32 IR_TYPE_I32
#define I64 IR_TYPE_I64
#define F32 IR_TYPE_F32
#define F64 IR_TYPE_F64

static void
test_int_constants(void)
{
    fresh();
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_IADD, I32, ic(I32, 0xffffffff), ic(I32, 2))), 1);
    CHECK_EQ(cval(ic(I32, (uint64_t)-1)), 0xffffffffu);  // i32 stored zero-extended
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_ISUB, I64, ic(I64, 0), ic(I64, 1))), UINT64_MAX);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_IMUL, I32, ic(I32, 0x10000), ic(I32, 0x10000))), 0);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_IDIV_S, I32, ic(I32, (uint32_t)-7), ic(I32, 2))),
             (uint32_t)-3);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_IDIV_U, I32, ic(I32, (uint32_t)-7), ic(I32, 2))),
             0x7ffffffcu);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_IREM_S, I32, ic(I32, (uint32_t)-7), ic(I32, 2))),
             (uint32_t)-1);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_IREM_U, I64, ic(I64, 7), ic(I64, 4))), 3);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_IAND, I32, ic(I32, 0xf0f0), ic(I32, 0xff00))),
             0xf000);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_IOR, I32, ic(I32, 0xf0f0), ic(I32, 0xff00))),
             0xfff0);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_IXOR, I32, ic(I32, 0xf0f0), ic(I32, 0xff00))),
             0x0ff0);
    /* Shift counts are taken modulo the width. */
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_ISHL, I32, ic(I32, 1), ic(I32, 33))), 2);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_ISHL, I64, ic(I64, 1), ic(I64, 65))), 2);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_ISHR_S, I32, ic(I32, 0x80000000u), ic(I32, 4))),
             0xf8000000u);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_ISHR_U, I32, ic(I32, 0x80000000u), ic(I32, 36))),
             0x08000000u);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_ISHR_S, I64, ic(I64, 0x8000000000000000ull),
                                  ic(I64, 63))),
             UINT64_MAX);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_IROTL, I32, ic(I32, 0x80000001u), ic(I32, 1))), 3);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_IROTR, I32, ic(I32, 3), ic(I32, 33))),
             0x80000001u);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_IROTL, I64, ic(I64, 0x8000000000000000ull),
                                  ic(I64, 0))),
             0x8000000000000000ull);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_ICLZ, I32, ic(I32, 0))), 32);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_ICLZ, I32, ic(I32, 1))), 31);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_ICLZ, I64, ic(I64, 1))), 63);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_ICTZ, I64, ic(I64, 0))), 64);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_ICTZ, I32, ic(I32, 0x80000000u))), 31);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_IPOPCNT, I32, ic(I32, 0xffffffffu))), 32);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_IEXTEND8_S, I32, ic(I32, 0x80))), 0xffffff80u);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_IEXTEND16_S, I64, ic(I64, 0x7fff))), 0x7fff);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_IEXTEND32_S, I64, ic(I64, 0x80000000u))),
             0xffffffff80000000ull);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_IEQZ, I32, ic(I64, 0x100000000ull))), 0);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_IEQZ, I32, ic(I32, 0))), 1);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_IWRAP, I32, ic(I64, 0x1234567890ull))), 0x34567890u);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_ISEXT, I64, ic(I32, 0xfffffffeu))), (uint64_t)-2);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_IZEXT, I64, ic(I32, 0xfffffffeu))), 0xfffffffeu);
}

static void
test_trapping_not_folded(void)
{
    fresh();
    /* Division by zero and INT_MIN / -1 trap: they stay instructions. */
    CHECK(!is_const(ir_build_binary(&fn, IR_OP_IDIV_S, I32, ic(I32, 1), ic(I32, 0))));
    CHECK(!is_const(ir_build_binary(&fn, IR_OP_IDIV_U, I64, ic(I64, 1), ic(I64, 0))));
    CHECK(!is_const(ir_build_binary(&fn, IR_OP_IREM_U, I32, ic(I32, 1), ic(I32, 0))));
    CHECK(!is_const(ir_build_binary(&fn, IR_OP_IREM_S, I32, ic(I32, 1), ic(I32, 0))));
    CHECK(!is_const(
        ir_build_binary(&fn, IR_OP_IDIV_S, I32, ic(I32, 0x80000000u), ic(I32, (uint32_t)-1))));
    CHECK(!is_const(ir_build_binary(&fn, IR_OP_IDIV_S, I64, ic(I64, 0x8000000000000000ull),
                                    ic(I64, UINT64_MAX))));
    /* ... but INT_MIN % -1 is 0 in Wasm, no trap. */
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_IREM_S, I32, ic(I32, 0x80000000u),
                                  ic(I32, 0xffffffffu))),
             0);
    /* Trapping float-to-int truncation: NaN and out of range stay; in range folds. */
    CHECK(!is_const(ir_build_unary(&fn, IR_OP_FCVT_TO_SINT, I32, fc(F32, 0x7fc00000u))));
    CHECK(!is_const(ir_build_unary(&fn, IR_OP_FCVT_TO_SINT, I32, fc(F64, 0x41e0000000000000ull))));  // 2^31
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FCVT_TO_SINT, I32, fc(F64, 0xc1e0000000000000ull))),
             0x80000000u);  // -2^31 is in range
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FCVT_TO_SINT, I32, fc(F64, 0xc1e00000001fffffull))),
             0x80000000u);  // -2^31 - 0.99.. truncates to -2^31
    CHECK(!is_const(ir_build_unary(&fn, IR_OP_FCVT_TO_SINT, I32, fc(F64, 0xc1e0000000200000ull))));  // -2^31-1
    CHECK(!is_const(ir_build_unary(&fn, IR_OP_FCVT_TO_UINT, I32, fc(F32, 0xbf800000u))));  // -1.0
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FCVT_TO_UINT, I32, fc(F32, 0xbf7fffffu))), 0);  // -0.99
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FCVT_TO_UINT, I64, fc(F64, 0x43efffffffffffffull))),
             0xfffffffffffff800ull);
    CHECK(!is_const(ir_build_unary(&fn, IR_OP_FCVT_TO_UINT, I64, fc(F64, 0x43f0000000000000ull))));  // 2^64
}

static void
test_saturating(void)
{
    fresh();
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FCVT_TO_SINT_SAT, I32, fc(F32, 0x7fc00000u))), 0);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FCVT_TO_SINT_SAT, I32, fc(F32, 0x7f800000u))),
             0x7fffffffu);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FCVT_TO_SINT_SAT, I32, fc(F32, 0xff800000u))),
             0x80000000u);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FCVT_TO_UINT_SAT, I32, fc(F32, 0xc0000000u))), 0);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FCVT_TO_UINT_SAT, I64, fc(F64, 0x7ff0000000000000ull))),
             UINT64_MAX);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FCVT_TO_SINT_SAT, I64, fc(F64, 0xc3e0000000000001ull))),
             0x8000000000000000ull);
}

static void
test_float_constants(void)
{
    fresh();
    /* 1.5 + 2.25 = 3.75 */
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_FADD, F32, fc(F32, 0x3fc00000u), fc(F32, 0x40100000u))),
             0x40700000u);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_FDIV, F64, fc(F64, 0x3ff0000000000000ull),
                                  fc(F64, 0x4008000000000000ull))),
             0x3fd5555555555555ull);  // 1/3
    /* neg, abs and copysign are bit operations: NaN payloads, even signalling, pass. */
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FNEG, F32, fc(F32, 0x7fa00001u))), 0xffa00001u);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FABS, F64, fc(F64, 0xfff4000000000001ull))),
             0x7ff4000000000001ull);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_FCOPYSIGN, F32, fc(F32, 0x7fa00001u),
                                  fc(F32, 0x80000000u))),
             0xffa00001u);
    /* Arithmetic on a NaN keeps its payload, made quiet (an arithmetic NaN). */
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_FADD, F32, fc(F32, 0x7fa00001u), fc(F32, 0x3f800000u))),
             0x7fe00001u);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FSQRT, F64, fc(F64, 0x7ff4000000000001ull))),
             0x7ffc000000000001ull);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FCEIL, F32, fc(F32, 0x7f800001u))), 0x7fc00001u);
    /* min/max: NaN wins, -0 < +0. */
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_FMIN, F32, fc(F32, 0x00000000u), fc(F32, 0x80000000u))),
             0x80000000u);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_FMAX, F32, fc(F32, 0x80000000u), fc(F32, 0x00000000u))),
             0x00000000u);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_FMIN, F64, fc(F64, 0x3ff0000000000000ull),
                                  fc(F64, 0x7ff8000000000123ull))),
             0x7ff8000000000123ull);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_FMAX, F32, fc(F32, 0x7f800001u), fc(F32, 0x3f800000u))),
             0x7fc00001u);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_FMAX, F32, fc(F32, 0xbf800000u), fc(F32, 0x3f800000u))),
             0x3f800000u);
    /* nearest: ties to even, sign of zero kept. */
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FNEAREST, F32, fc(F32, 0x40200000u))), 0x40000000u);  // 2.5 -> 2
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FNEAREST, F32, fc(F32, 0x40600000u))), 0x40800000u);  // 3.5 -> 4
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FNEAREST, F64, fc(F64, 0xbfe0000000000000ull))),
             0x8000000000000000ull);  // -0.5 -> -0
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FTRUNC, F32, fc(F32, 0xbfc00000u))), 0xbf800000u);  // -1.5 -> -1
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FFLOOR, F32, fc(F32, 0xbfc00000u))), 0xc0000000u);
    /* Comparisons: NaN is unordered, ne is true. */
    CHECK_EQ(cval(ir_build_fcmp(&fn, IR_FCC_EQ, fc(F32, 0x7fc00000u), fc(F32, 0x7fc00000u))), 0);
    CHECK_EQ(cval(ir_build_fcmp(&fn, IR_FCC_NE, fc(F32, 0x7fc00000u), fc(F32, 0x7fc00000u))), 1);
    CHECK_EQ(cval(ir_build_fcmp(&fn, IR_FCC_EQ, fc(F64, 0), fc(F64, 0x8000000000000000ull))), 1);
    CHECK_EQ(cval(ir_build_fcmp(&fn, IR_FCC_LT, fc(F32, 0xbf800000u), fc(F32, 0))), 1);
    /* x == x is not folded for floats (false for NaN). */
    IrValue x = ir_func_param(&fn, 0);
    IrValue xf = ir_build_unary(&fn, IR_OP_BITCAST, F32, x);
    CHECK(!is_const(ir_build_fcmp(&fn, IR_FCC_EQ, xf, xf)));
}

static void
test_conversions(void)
{
    fresh();
    /* i64 -> f32 rounds once: 2^60 + 2^36 + 1 rounds up (via double it would tie to even
     * and round down to 2^60). */
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FCVT_FROM_SINT, F32,
                                 ic(I64, (1ull << 60) + (1ull << 36) + 1))),
             0x5d800001u);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FCVT_FROM_UINT, F32, ic(I64, UINT64_MAX))),
             0x5f800000u);  // 2^64
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FCVT_FROM_UINT, F64, ic(I32, 0xffffffffu))),
             0x41efffffffe00000ull);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FCVT_FROM_SINT, F64, ic(I32, 0xffffffffu))),
             0xbff0000000000000ull);  // -1
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FDEMOTE, F32, fc(F64, 0x3ff0000000000000ull))),
             0x3f800000u);
    /* Demoting a NaN gives a quiet NaN (the payload's top bits). */
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FDEMOTE, F32, fc(F64, 0x7ff4000000000000ull))),
             0x7fe00000u);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_FPROMOTE, F64, fc(F32, 0xff800000u))),
             0xfff0000000000000ull);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_BITCAST, F32, ic(I32, 0x7fa00001u))), 0x7fa00001u);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_BITCAST, I64, fc(F64, 0xfff4000000000001ull))),
             0xfff4000000000001ull);
}

static void
test_identities(void)
{
    fresh();
    IrValue x = ir_func_param(&fn, 0), y = ir_func_param(&fn, 1);
    CHECK_EQ(ir_build_binary(&fn, IR_OP_IADD, I32, x, ic(I32, 0)).id, x.id);
    CHECK_EQ(ir_build_binary(&fn, IR_OP_IADD, I32, ic(I32, 0), x).id, x.id);
    CHECK_EQ(ir_build_binary(&fn, IR_OP_ISUB, I32, x, ic(I32, 0)).id, x.id);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_ISUB, I32, x, x)), 0);
    CHECK_EQ(ir_build_binary(&fn, IR_OP_IMUL, I32, ic(I32, 1), x).id, x.id);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_IMUL, I32, x, ic(I32, 0))), 0);
    CHECK_EQ(ir_build_binary(&fn, IR_OP_IAND, I32, x, ic(I32, 0xffffffffu)).id, x.id);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_IAND, I32, x, ic(I32, 0))), 0);
    CHECK_EQ(ir_build_binary(&fn, IR_OP_IAND, I32, x, x).id, x.id);
    CHECK_EQ(ir_build_binary(&fn, IR_OP_IOR, I32, x, ic(I32, 0)).id, x.id);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_IOR, I32, x, ic(I32, 0xffffffffu))), 0xffffffffu);
    CHECK_EQ(ir_build_binary(&fn, IR_OP_IXOR, I32, x, ic(I32, 0)).id, x.id);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_IXOR, I32, x, x)), 0);
    CHECK_EQ(ir_build_binary(&fn, IR_OP_IDIV_U, I32, x, ic(I32, 1)).id, x.id);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_IREM_S, I32, x, ic(I32, 0xffffffffu))), 0);
    CHECK_EQ(cval(ir_build_binary(&fn, IR_OP_IREM_U, I32, x, ic(I32, 1))), 0);
    /* x << 0 and x << 32 (i32) are x; x << 33 becomes x << 1. */
    CHECK_EQ(ir_build_binary(&fn, IR_OP_ISHL, I32, x, ic(I32, 0)).id, x.id);
    CHECK_EQ(ir_build_binary(&fn, IR_OP_ISHL, I32, x, ic(I32, 32)).id, x.id);
    IrValue s = ir_build_binary(&fn, IR_OP_ISHR_U, I32, x, ic(I32, 33));
    CHECK_EQ(ir_inst(&fn, s.id)->op, IR_OP_ISHR_U);
    CHECK_EQ(cval((IrValue){ir_inst(&fn, s.id)->a[1]}), 1);
    /* Commutative ops and comparisons put the constant second. */
    IrValue add = ir_build_binary(&fn, IR_OP_IADD, I32, ic(I32, 5), y);
    CHECK_EQ(ir_inst(&fn, add.id)->a[0], y.id);
    CHECK_EQ(cval((IrValue){ir_inst(&fn, add.id)->a[1]}), 5);
    IrValue cmp = ir_build_icmp(&fn, IR_ICC_LT_S, ic(I32, 5), y);
    CHECK_EQ(ir_inst(&fn, cmp.id)->a[0], y.id);
    CHECK_EQ(ir_inst(&fn, cmp.id)->imm, IR_ICC_GT_S);
    /* Not commutative: sub keeps its order. */
    IrValue sub = ir_build_binary(&fn, IR_OP_ISUB, I32, ic(I32, 5), y);
    CHECK_EQ(ir_inst(&fn, sub.id)->a[1], y.id);
    /* icmp of a value with itself. */
    CHECK_EQ(cval(ir_build_icmp(&fn, IR_ICC_LE_U, x, x)), 1);
    CHECK_EQ(cval(ir_build_icmp(&fn, IR_ICC_NE, x, x)), 0);
    CHECK_EQ(cval(ir_build_icmp(&fn, IR_ICC_LT_U, ic(I32, 0xffffffffu), ic(I32, 1))), 0);
    CHECK_EQ(cval(ir_build_icmp(&fn, IR_ICC_LT_S, ic(I32, 0xffffffffu), ic(I32, 1))), 1);
    /* Float identities are not applied (x * 1 would pass a signalling NaN through). */
    IrValue xf = ir_build_unary(&fn, IR_OP_BITCAST, F32, x);
    CHECK(ir_build_binary(&fn, IR_OP_FMUL, F32, xf, fc(F32, 0x3f800000u)).id != xf.id);
    CHECK(ir_build_binary(&fn, IR_OP_FADD, F32, xf, fc(F32, 0)).id != xf.id);
}

static void
test_select_trap_ref(void)
{
    fresh();
    IrValue x = ir_func_param(&fn, 0), y = ir_func_param(&fn, 1);
    CHECK_EQ(ir_build_select(&fn, I32, ic(I32, 7), x, y).id, x.id);
    CHECK_EQ(ir_build_select(&fn, I32, ic(I32, 0), x, y).id, y.id);
    CHECK_EQ(ir_build_select(&fn, I32, y, x, x).id, x.id);
    CHECK_EQ(ir_inst(&fn, ir_build_select(&fn, I32, y, x, ic(I32, 1)).id)->op, IR_OP_SELECT);
    IrValue zero = ic(I32, 0);
    uint32_t before = fn.insts.len;
    CHECK(ir_build_trap_if(&fn, zero, IR_TRAP_INT_DIV_BY_ZERO));  // never traps
    CHECK_EQ(fn.insts.len, before);                               // and emits nothing
    CHECK(!ir_build_trap_if(&fn, ic(I32, 3), IR_TRAP_INT_DIV_BY_ZERO));  // always traps
    CHECK(ir_build_trap_if(&fn, x, IR_TRAP_INT_OVERFLOW));
    CHECK_EQ(ir_inst(&fn, fn.insts.len - 1)->op, IR_OP_TRAP_IF);
    IrValue null = ir_emit(&fn, IR_OP_REF_NULL, IR_TYPE_EXTERNREF, 0, 0, 0, 0);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_REF_IS_NULL, I32, null)), 1);
    IrValue rf = ir_emit(&fn, IR_OP_REF_FUNC, IR_TYPE_FUNCREF, 0, 0, 0, 2);
    CHECK_EQ(cval(ir_build_unary(&fn, IR_OP_REF_IS_NULL, I32, rf)), 0);
}

/* Constants are shared within a block (the cache), never across blocks. */
static void
test_constant_cache(void)
{
    fresh();
    IrValue a = ic(I32, 42), b = ic(I32, 42), c = ic(I64, 42), d = fc(F32, 42);
    CHECK_EQ(a.id, b.id);
    CHECK(c.id != a.id);  // same bits, other type
    CHECK(d.id != a.id);  // same bits, float
    CHECK_EQ(fc(F32, 42).id, d.id);
    IrBlock next = ir_block_new(&fn);
    ir_jump(&fn, next, NULL, 0);
    ir_block_start(&fn, next);
    IrValue e = ic(I32, 42);
    CHECK(e.id != a.id);  // a new block: a fresh constant that dominates its uses here
    CHECK_EQ(ic(I32, 42).id, e.id);
}

/* ir_fold_eval directly: the entry point DCE and others use. */
static void
test_eval_direct(void)
{
    uint64_t args[2] = {5, 0}, r = 0;
    CHECK(!ir_fold_eval(IR_OP_IDIV_U, I32, I32, 0, args, &r));
    CHECK(!ir_fold_eval(IR_OP_I32X4_ADD, IR_TYPE_V128, IR_TYPE_V128, 0, args, &r));
    CHECK(!ir_fold_eval(IR_OP_LOAD, I32, I32, 0, args, &r));
    args[1] = 3;
    CHECK(ir_fold_eval(IR_OP_ICMP, I32, I64, IR_ICC_GT_U, args, &r));
    CHECK_EQ(r, 1);
}

int
main(void)
{
    sk_arena_init(&arena_storage, NULL);
    test_int_constants();
    test_trapping_not_folded();
    test_saturating();
    test_float_constants();
    test_conversions();
    test_identities();
    test_select_trap_ref();
    test_constant_cache();
    test_eval_direct();
    sk_arena_free(&arena_storage);
    return check_exit();
}
