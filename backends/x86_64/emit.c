/*
 * x86_64 emission: turns allocated MIR (operands are locations, backends/target.h) into
 * machine code through the encoder (encode.c, encode_sse.c), and provides the core's move,
 * swap, jump and trap hooks and label patching.
 *
 * Multi-instruction sequences with exact Wasm semantics live here: division with the
 * rem_s INT_MIN % -1 case, counts without LZCNT/TZCNT/POPCNT, float min/max (NaN and the
 * sign of zero), copysign/abs/neg as bit operations, trapping and saturating float-to-int
 * conversions, exact u64-to-float conversion. They use only the instruction's operands and
 * the scratch registers r11/xmm15, which the allocator never assigns.
 */
#include <stdio.h>

#include "backends/x86_64/emit.h"

X64Mem
x64_mem_frame(int32_t sp_offset)
{
    return x64_mem(X64_RSP, sp_offset);
}

/* ---- labels and branches -------------------------------------------------------------------- */

bool
x64_patch(uint8_t *code, uint32_t at, uint32_t kind, uint32_t target)
{
    int64_t v;
    if (kind == X64_FIXUP_TABLE32) {
        int32_t self;
        memcpy(&self, code + at, 4);  // distance of this entry from the table start
        v = (int64_t)target - ((int64_t)at - self);
    } else {
        v = (int64_t)target - ((int64_t)at + 4 + kind);
    }
    if (v < INT32_MIN || v > INT32_MAX)
        return false;
    int32_t v32 = (int32_t)v;
    memcpy(code + at, &v32, 4);
    return true;
}

void
x64_emit_jcc_label(CgCtx *ctx, X64Cond cc, uint32_t label)
{
    uint32_t to = cg_label_offset(ctx, label);
    uint32_t at = cg_code_offset(ctx);
    if (to != UINT32_MAX && (int64_t)to - (at + 2) >= -128) {
        E(x64_encode_jcc_rel8(p, cc, (int8_t)((int64_t)to - (at + 2))));
        return;
    }
    E(x64_encode_jcc_rel32(p, cc, 0));
    cg_fixup_label(ctx, cg_code_offset(ctx) - 4, X64_FIXUP_REL32, label);
}

void
x64_emit_jump(CgCtx *ctx, uint32_t label)
{
    uint32_t to = cg_label_offset(ctx, label);
    uint32_t at = cg_code_offset(ctx);
    if (to != UINT32_MAX && (int64_t)to - (at + 2) >= -128) {
        E(x64_encode_jmp_rel8(p, (int8_t)((int64_t)to - (at + 2))));
        return;
    }
    E(x64_encode_jmp_rel32(p, 0));
    cg_fixup_label(ctx, cg_code_offset(ctx) - 4, X64_FIXUP_REL32, label);
}

/* Jump to the trap stub of `kind` when cc holds. */
static void
jcc_trap(CgCtx *ctx, X64Cond cc, uint32_t kind)
{
    x64_emit_jcc_label(ctx, cc, cg_trap_label(ctx, kind));
}

/* The two-way branch of a terminator: succ 0 when cc holds, else succ 1. */
static void
branch2(CgCtx *ctx, X64Cond cc)
{
    if (cg_succ_is_next(ctx, 1)) {
        x64_emit_jcc_label(ctx, cc, cg_succ_label(ctx, 0));
    } else if (cg_succ_is_next(ctx, 0)) {
        x64_emit_jcc_label(ctx, x64_cc_invert(cc), cg_succ_label(ctx, 1));
    } else {
        x64_emit_jcc_label(ctx, cc, cg_succ_label(ctx, 0));
        x64_emit_jump(ctx, cg_succ_label(ctx, 1));
    }
}

/* ---- constants -------------------------------------------------------------------------- */

/* Emits an SSE op with a RIP-relative constant operand (16 bytes, aligned, so that packed
 * forms may use it). */
static void
sse_const(CgCtx *ctx, X64SseOp op, X64Xmm dst, const void *bytes, uint32_t size)
{
    uint8_t buf[16] = {0};
    memcpy(buf, bytes, size);
    uint32_t label = cg_const_label(ctx, buf, 16, 16);
    E(x64_encode_sse_rm(p, op, dst, x64_mem_rip(0)));
    cg_fixup_label(ctx, cg_code_offset(ctx) - 4, X64_FIXUP_REL32, label);
}

/* ucomiss/ucomisd a, [constant]. */
static void
ucomi_const(CgCtx *ctx, bool f64, X64Xmm a, double value)
{
    if (f64)
        sse_const(ctx, X64_SSE_UCOMISD, a, &value, 8);
    else {
        float v = (float)value;
        sse_const(ctx, X64_SSE_UCOMISS, a, &v, 4);
    }
}

/* A 16-byte mask: the 4- or 8-byte pattern repeated. */
static void
mask_const(CgCtx *ctx, X64SseOp op, X64Xmm dst, bool f64, uint64_t pattern)
{
    uint8_t buf[16];
    for (int i = 0; i < 16; i += f64 ? 8 : 4)
        memcpy(buf + i, &pattern, f64 ? 8 : 4);
    sse_const(ctx, op, dst, buf, 16);
}

/* An integer ALU op with a 64-bit constant memory operand. */
static void
alu_const64(CgCtx *ctx, X64AluOp op, X64Gpr dst, uint64_t value)
{
    uint8_t buf[16] = {0};
    memcpy(buf, &value, 8);
    uint32_t label = cg_const_label(ctx, buf, 8, 8);
    E(x64_encode_alu_rm(p, op, 8, dst, x64_mem_rip(0)));
    cg_fixup_label(ctx, cg_code_offset(ctx) - 4, X64_FIXUP_REL32, label);
}

/* ---- moves -------------------------------------------------------------------------------- */

static X64SseOp
fmov_op(CgType t)
{
    return t == CG_TYPE_F32 ? X64_SSE_MOVSS : t == CG_TYPE_F64 ? X64_SSE_MOVSD : X64_SSE_MOVDQU;
}

/* SP-relative offset of a spill slot (cg_frame_slot_offset without the call). */
SK_INLINE int32_t
slot_offset(const CgCtx *ctx, CgLoc l)
{
    SK_ASSERT(cg_loc_is_stack(l));
    return (int32_t)(ctx->frame.spill_offset + 8u * (l - CG_LOC_STACK));
}

/*
 * An integer move (dst != src). Stores into a spill slot write all 8 bytes, an i32 included:
 * its register's upper half is zero (32-bit writes zero-extend), so the slot then holds the
 * zero-extended value. isel aliases i64.extend_i32_u onto the i32's vreg, and an i64 use of
 * that alias may read the slot with 8 bytes (an edge move typed by an i64 block parameter);
 * a 4-byte spill left stale stack bytes there (spec-bugs.md, entry 2). Moves are the most
 * frequent thing emitted: the encoder's inline layout (x64_put_rr/rm, the bytes of
 * x64_encode_mov_rr/rm/mr) is used directly, with `w` = X64_EF_W for 64 bits.
 */
SK_INLINE void
move_int(CgCtx *ctx, CgLoc dst, CgLoc src, unsigned w)
{
    uint8_t *p0 = cg_code_reserve(ctx, 2 * X64_MAX_RM);
    uint8_t *p = p0;
    if (cg_loc_is_reg(dst) && cg_loc_is_reg(src)) {
        p = x64_put_rr(p, w, 0x89, G(src), G(dst));
    } else if (cg_loc_is_reg(dst)) {
        p = x64_put_rm(p, w, 0x8B, G(dst), x64_mem(X64_RSP, slot_offset(ctx, src)));
    } else if (cg_loc_is_reg(src)) {
        p = x64_put_rm(p, X64_EF_W, 0x89, G(src), x64_mem(X64_RSP, slot_offset(ctx, dst)));
    } else {
        p = x64_put_rm(p, w, 0x8B, R11, x64_mem(X64_RSP, slot_offset(ctx, src)));
        p = x64_put_rm(p, X64_EF_W, 0x89, R11, x64_mem(X64_RSP, slot_offset(ctx, dst)));
    }
    cg_code_commit(ctx, (size_t)(p - p0));
}

void
x64_emit_move(CgCtx *ctx, CgLoc dst, CgLoc src, CgType type)
{
    if (dst == src)
        return;
    if (cg_type_class(type) == CG_CLASS_INT) {
        move_int(ctx, dst, src, type == CG_TYPE_I32 ? 0 : X64_EF_W);
        return;
    }
    X64SseOp op = fmov_op(type);
    if (cg_loc_is_reg(dst) && cg_loc_is_reg(src)) {
        E(x64_encode_sse_rr(p, X64_SSE_MOVAPS, X(dst), X(src)));
    } else if (cg_loc_is_reg(dst)) {
        E(x64_encode_sse_rm(p, op, X(dst), x64_mem_frame(cg_frame_slot_offset(ctx, src))));
    } else if (cg_loc_is_reg(src)) {
        E(x64_encode_sse_mr(p, op, x64_mem_frame(cg_frame_slot_offset(ctx, dst)), X(src)));
    } else {
        E(x64_encode_sse_rm(p, op, X15, x64_mem_frame(cg_frame_slot_offset(ctx, src))));
        E(x64_encode_sse_mr(p, op, x64_mem_frame(cg_frame_slot_offset(ctx, dst)), X15));
    }
}

void
x64_emit_swap(CgCtx *ctx, CgReg a, CgReg b)
{
    E(x64_encode_xchg_rr(p, 8, G(a), G(b)));
}

void
x64_emit_moves(CgCtx *ctx, const CgMove *steps, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++) {
        const CgMove *m = &steps[k];
        if (m->swap)
            x64_emit_swap(ctx, m->dst, m->src);
        else if (m->dst == m->src)
            continue;
        else if (m->type == CG_TYPE_I32 || m->type == CG_TYPE_I64)
            move_int(ctx, m->dst, m->src, m->type == CG_TYPE_I32 ? 0 : X64_EF_W);
        else
            x64_emit_move(ctx, m->dst, m->src, (CgType)m->type);
    }
}

void
x64_emit_trap(CgCtx *ctx, uint32_t kind)
{
    (void)kind;  // the core records the site
    E(x64_encode_ud2(p));
}

/* mov d, a for a two-address form when they differ (integer or xmm). */
SK_INLINE void
tie_gpr(CgCtx *ctx, unsigned size, CgLoc d, CgLoc a)
{
    if (d != a)
        E(x64_encode_mov_rr(p, size, G(d), G(a)));
}

static void
tie_xmm(CgCtx *ctx, CgLoc d, CgLoc a)
{
    if (d != a)
        E(x64_encode_sse_rr(p, X64_SSE_MOVAPS, X(d), X(a)));
}

/* ---- compares ----------------------------------------------------------------------------- */

/* Emits the compare of a compare-form instruction whose first compare operand is k. */
SK_INLINE void
emit_cmp(CgCtx *ctx, const CgInst *in, uint32_t k)
{
    X64Gpr a = G(opl(ctx, in, k));
    if (in->y & X64_CMP_TEST)
        E(x64_encode_test_rr(p, in->x, a, a));
    else if (in->y & X64_CMP_IMM)
        E(x64_encode_alu_ri(p, X64_ALU_CMP, in->x, a, in->imm));
    else
        E(x64_encode_alu_rr(p, X64_ALU_CMP, in->x, a, G(opl(ctx, in, k + 1))));
}

/* ucomis for a float condition; returns the x86 condition that means "true" (for EQ/NE the
 * parity flag needs separate handling by the caller). */
static X64Cond
emit_fcmp(CgCtx *ctx, bool f64, CgLoc a, CgLoc b, IrFloatCond fcc)
{
    X64SseOp op = f64 ? X64_SSE_UCOMISD : X64_SSE_UCOMISS;
    switch (fcc) {
    case IR_FCC_EQ:
        E(x64_encode_sse_rr(p, op, X(a), X(b)));
        return X64_CC_E;
    case IR_FCC_NE:
        E(x64_encode_sse_rr(p, op, X(a), X(b)));
        return X64_CC_NE;
    case IR_FCC_LT:  // a < b  <=>  b > a (false when unordered: CF = 1)
        E(x64_encode_sse_rr(p, op, X(b), X(a)));
        return X64_CC_A;
    case IR_FCC_GT:
        E(x64_encode_sse_rr(p, op, X(a), X(b)));
        return X64_CC_A;
    case IR_FCC_LE:
        E(x64_encode_sse_rr(p, op, X(b), X(a)));
        return X64_CC_AE;
    case IR_FCC_GE:
        E(x64_encode_sse_rr(p, op, X(a), X(b)));
        return X64_CC_AE;
    default:
        sk_unreachable();
    }
}

/* ---- integer sequences --------------------------------------------------------------------- */

static void
emit_div(CgCtx *ctx, const CgInst *in)
{
    unsigned size = in->x;
    X64Gpr b = G(opl(ctx, in, 3));
    bool sign = in->cc == X64_DIV_S || in->cc == X64_REM_S;
    uint32_t skip = 0, done = 0;
    if (in->cc == X64_REM_S) {
        /* INT_MIN % -1 faults in idiv; Wasm says 0 (any x % -1 is 0). */
        E(x64_encode_alu_ri(p, X64_ALU_CMP, size, b, -1));
        skip = jcc8(ctx, X64_CC_NE);
        E(x64_encode_alu_rr(p, X64_ALU_XOR, 4, X64_RDX, X64_RDX));
        done = jmp8(ctx);
        bind8(ctx, skip);
    }
    if (sign) {
        E(x64_encode_cdq(p, size));
        E(x64_encode_unary_r(p, X64_UN_IDIV, size, b));
    } else {
        E(x64_encode_alu_rr(p, X64_ALU_XOR, 4, X64_RDX, X64_RDX));
        E(x64_encode_unary_r(p, X64_UN_DIV, size, b));
    }
    if (done)
        bind8(ctx, done);
}

static void
emit_bitcnt(CgCtx *ctx, const CgInst *in)
{
    unsigned size = in->x;
    CgLoc d = opl(ctx, in, 0), a = opl(ctx, in, 1);
    uint64_t feat = ctx->opts.cpu_features;
    switch (in->cc) {
    case X64_CNT_CLZ:
        if (feat & RT_CPU_X64_LZCNT) {
            E(x64_encode_bit_rr(p, X64_BIT_LZCNT, size, G(d), G(a)));
        } else {
            /* bsr gives the top bit's index (ZF and an undefined result for 0); clz is
             * index ^ (width - 1), and 0 must give the width: 2 * width - 1 ^ (width - 1). */
            E(x64_encode_bit_rr(p, X64_BIT_BSR, size, G(d), G(a)));
            E(x64_encode_mov_ri(p, 4, R11, size * 16 - 1));
            E(x64_encode_cmov_rr(p, X64_CC_E, size, G(d), R11));
            E(x64_encode_alu_ri(p, X64_ALU_XOR, size, G(d), size * 8 - 1));
        }
        break;
    case X64_CNT_CTZ:
        if (feat & RT_CPU_X64_BMI1) {
            E(x64_encode_bit_rr(p, X64_BIT_TZCNT, size, G(d), G(a)));
        } else {
            E(x64_encode_bit_rr(p, X64_BIT_BSF, size, G(d), G(a)));
            E(x64_encode_mov_ri(p, 4, R11, size * 8));
            E(x64_encode_cmov_rr(p, X64_CC_E, size, G(d), R11));
        }
        break;
    case X64_CNT_POPCNT:
        if (feat & RT_CPU_X64_POPCNT) {
            E(x64_encode_bit_rr(p, X64_BIT_POPCNT, size, G(d), G(a)));
            break;
        }
        /* The classic SWAR count (Hacker's Delight, 5-1) in d with r11 as the temporary. */
        tie_gpr(ctx, size, d, a);
        E(x64_encode_mov_rr(p, size, R11, G(d)));
        E(x64_encode_shift_ri(p, X64_SHIFT_SHR, size, R11, 1));
        if (size == 4)
            E(x64_encode_alu_ri(p, X64_ALU_AND, 4, R11, 0x55555555));
        else
            alu_const64(ctx, X64_ALU_AND, R11, 0x5555555555555555ull);
        E(x64_encode_alu_rr(p, X64_ALU_SUB, size, G(d), R11));
        E(x64_encode_mov_rr(p, size, R11, G(d)));
        E(x64_encode_shift_ri(p, X64_SHIFT_SHR, size, R11, 2));
        if (size == 4) {
            E(x64_encode_alu_ri(p, X64_ALU_AND, 4, R11, 0x33333333));
            E(x64_encode_alu_ri(p, X64_ALU_AND, 4, G(d), 0x33333333));
        } else {
            alu_const64(ctx, X64_ALU_AND, R11, 0x3333333333333333ull);
            alu_const64(ctx, X64_ALU_AND, G(d), 0x3333333333333333ull);
        }
        E(x64_encode_alu_rr(p, X64_ALU_ADD, size, G(d), R11));
        E(x64_encode_mov_rr(p, size, R11, G(d)));
        E(x64_encode_shift_ri(p, X64_SHIFT_SHR, size, R11, 4));
        E(x64_encode_alu_rr(p, X64_ALU_ADD, size, G(d), R11));
        if (size == 4) {
            E(x64_encode_alu_ri(p, X64_ALU_AND, 4, G(d), 0x0F0F0F0F));
            E(x64_encode_imul_rri(p, 4, G(d), G(d), 0x01010101));
            E(x64_encode_shift_ri(p, X64_SHIFT_SHR, 4, G(d), 24));
        } else {
            alu_const64(ctx, X64_ALU_AND, G(d), 0x0F0F0F0F0F0F0F0Full);
            E(x64_encode_mov_ri(p, 8, R11, 0x0101010101010101ll));
            E(x64_encode_imul_rr(p, 8, G(d), R11));
            E(x64_encode_shift_ri(p, X64_SHIFT_SHR, 8, G(d), 56));
        }
        break;
    default:
        sk_unreachable();
    }
}

static void
emit_ext(CgCtx *ctx, const CgInst *in)
{
    X64Gpr d = G(opl(ctx, in, 0)), a = G(opl(ctx, in, 1));
    switch (in->cc) {
    case X64_EXT_S8:
        E(x64_encode_movsx_rr(p, in->x, 1, d, a));
        break;
    case X64_EXT_S16:
        E(x64_encode_movsx_rr(p, in->x, 2, d, a));
        break;
    case X64_EXT_S32:
        E(x64_encode_movsx_rr(p, 8, 4, d, a));
        break;
    case X64_EXT_U8:
        E(x64_encode_movzx_rr(p, 4, 1, d, a));
        break;
    case X64_EXT_U16:
        E(x64_encode_movzx_rr(p, 4, 2, d, a));
        break;
    case X64_EXT_U32:
        E(x64_encode_mov_rr(p, 4, d, a));  // writes zeros above bit 31, even when d == a
        break;
    default:
        sk_unreachable();
    }
}

SK_INLINE void
emit_load(CgCtx *ctx, CgLoc d, X64Mem m, uint8_t kind, uint8_t size)
{
    switch (kind) {
    case X64_LD_U8:
        E(x64_encode_movzx_rm(p, 4, 1, G(d), m));
        break;
    case X64_LD_S8:
        E(x64_encode_movsx_rm(p, size, 1, G(d), m));
        break;
    case X64_LD_U16:
        E(x64_encode_movzx_rm(p, 4, 2, G(d), m));
        break;
    case X64_LD_S16:
        E(x64_encode_movsx_rm(p, size, 2, G(d), m));
        break;
    case X64_LD_U32:
        E(x64_encode_mov_rm(p, 4, G(d), m));
        break;
    case X64_LD_S32:
        E(x64_encode_movsx_rm(p, 8, 4, G(d), m));
        break;
    case X64_LD_64:
        E(x64_encode_mov_rm(p, 8, G(d), m));
        break;
    case X64_LD_F32:
        E(x64_encode_sse_rm(p, X64_SSE_MOVSS, X(d), m));
        break;
    case X64_LD_F64:
        E(x64_encode_sse_rm(p, X64_SSE_MOVSD, X(d), m));
        break;
    case X64_LD_V128:
        E(x64_encode_sse_rm(p, X64_SSE_MOVDQU, X(d), m));
        break;
    default:
        sk_unreachable();
    }
}

SK_INLINE void
emit_store(CgCtx *ctx, X64Mem m, CgLoc v, uint8_t kind)
{
    switch (kind) {
    case X64_ST_8:
        E(x64_encode_mov_mr(p, 1, m, G(v)));
        break;
    case X64_ST_16:
        E(x64_encode_mov_mr(p, 2, m, G(v)));
        break;
    case X64_ST_32:
        E(x64_encode_mov_mr(p, 4, m, G(v)));
        break;
    case X64_ST_64:
        E(x64_encode_mov_mr(p, 8, m, G(v)));
        break;
    case X64_ST_F32:
        E(x64_encode_sse_mr(p, X64_SSE_MOVSS, m, X(v)));
        break;
    case X64_ST_F64:
        E(x64_encode_sse_mr(p, X64_SSE_MOVSD, m, X(v)));
        break;
    case X64_ST_V128:
        E(x64_encode_sse_mr(p, X64_SSE_MOVDQU, m, X(v)));
        break;
    default:
        sk_unreachable();
    }
}

/* Load/store kinds for a value of machine type t (frame and argument slots). */
static uint8_t
ld_kind(CgType t)
{
    return t == CG_TYPE_I32   ? X64_LD_U32
           : t == CG_TYPE_I64 ? X64_LD_64
           : t == CG_TYPE_F32 ? X64_LD_F32
           : t == CG_TYPE_F64 ? X64_LD_F64
                              : X64_LD_V128;
}

static uint8_t
st_kind(CgType t)
{
    return t == CG_TYPE_I32   ? X64_ST_32
           : t == CG_TYPE_I64 ? X64_ST_64
           : t == CG_TYPE_F32 ? X64_ST_F32
           : t == CG_TYPE_F64 ? X64_ST_F64
                              : X64_ST_V128;
}

/* ---- float sequences ----------------------------------------------------------------------- */

static void
emit_fminmax(CgCtx *ctx, const CgInst *in)
{
    bool f64 = in->x == 8, max = in->cc == 1;
    CgLoc d = opl(ctx, in, 0), a = opl(ctx, in, 1), b = opl(ctx, in, 2);
    tie_xmm(ctx, d, a);
    E(x64_encode_sse_rr(p, f64 ? X64_SSE_UCOMISD : X64_SSE_UCOMISS, X(d), X(b)));
    uint32_t ne = jcc8(ctx, X64_CC_NE);   // ordered and different: minsd/maxsd is exact
    uint32_t nan = jcc8(ctx, X64_CC_P);   // unordered
    /* Equal: only the sign of zero can differ; -0 wins for min (or), +0 for max (and). */
    E(x64_encode_sse_rr(p, max ? X64_SSE_ANDPS : X64_SSE_ORPS, X(d), X(b)));
    uint32_t done1 = jmp8(ctx);
    bind8(ctx, nan);
    E(x64_encode_sse_rr(p, f64 ? X64_SSE_ADDSD : X64_SSE_ADDSS, X(d), X(b)));  // a NaN
    uint32_t done2 = jmp8(ctx);
    bind8(ctx, ne);
    X64SseOp op = max ? (f64 ? X64_SSE_MAXSD : X64_SSE_MAXSS) : (f64 ? X64_SSE_MINSD : X64_SSE_MINSS);
    E(x64_encode_sse_rr(p, op, X(d), X(b)));
    bind8(ctx, done1);
    bind8(ctx, done2);
}

static void
emit_fcopysign(CgCtx *ctx, const CgInst *in)
{
    bool f64 = in->x == 8;
    CgLoc d = opl(ctx, in, 0), a = opl(ctx, in, 1), b = opl(ctx, in, 2);
    uint64_t sign = f64 ? 0x8000000000000000ull : 0x80000000u;
    tie_xmm(ctx, d, a);
    mask_const(ctx, X64_SSE_ANDPS, X(d), f64, ~sign & (f64 ? ~0ull : 0xFFFFFFFFu));
    E(x64_encode_sse_rr(p, X64_SSE_MOVAPS, X15, X(b)));
    mask_const(ctx, X64_SSE_ANDPS, X15, f64, sign);
    E(x64_encode_sse_rr(p, X64_SSE_ORPS, X(d), X15));
}

/* Float to integer, trapping (trunc) or saturating (sat). */
static void
emit_cvt_to_int(CgCtx *ctx, const CgInst *in)
{
    bool f64 = in->x == 8;
    uint8_t k = in->cc;
    bool sat = k >= X64_CVT_SAT_I32;
    uint8_t rel = (uint8_t)(k - (sat ? X64_CVT_SAT_I32 : X64_CVT_TRUNC_I32));
    bool is64 = rel >= 2, uns = rel & 1;
    CgLoc d = opl(ctx, in, 0), a = opl(ctx, in, 1);
    X64Gpr gd = G(d);
    X64Xmm xa = X(a);
    unsigned isz = is64 ? 8 : 4;
    X64SseOp cvt32 = f64 ? X64_SSE_CVTTSD2SI32 : X64_SSE_CVTTSS2SI32;
    X64SseOp cvt64 = f64 ? X64_SSE_CVTTSD2SI64 : X64_SSE_CVTTSS2SI64;
    X64SseOp ucomi = f64 ? X64_SSE_UCOMISD : X64_SSE_UCOMISS;

    if (!uns) {
        /* cvtt gives INT_MIN for NaN and out-of-range inputs; only then look closer. */
        E(x64_encode_sse_gx(p, is64 ? cvt64 : cvt32, gd, xa));
        E(x64_encode_alu_ri(p, X64_ALU_CMP, isz, gd, 1));
        uint32_t ok = jcc8(ctx, X64_CC_NO);
        E(x64_encode_sse_rr(p, ucomi, xa, xa));
        if (!sat) {
            jcc_trap(ctx, X64_CC_P, RT_TRAP_BAD_CONVERSION);
            /* Below the range: for i32 from f64 the bound -2^31 - 1 is exclusive, else the
             * bound -2^(N-1) is representable and inclusive. */
            double lo = is64 ? -9223372036854775808.0 : (f64 ? -2147483649.0 : -2147483648.0);
            ucomi_const(ctx, f64, xa, lo);
            jcc_trap(ctx, !is64 && f64 ? X64_CC_BE : X64_CC_B, RT_TRAP_INT_OVERFLOW);
            /* INT_MIN from a non-negative input: positive overflow. */
            E(x64_encode_sse_rr(p, X64_SSE_XORPS, X15, X15));
            E(x64_encode_sse_rr(p, ucomi, xa, X15));
            jcc_trap(ctx, X64_CC_AE, RT_TRAP_INT_OVERFLOW);
            bind8(ctx, ok);
            return;
        }
        uint32_t notnan = jcc8(ctx, X64_CC_NP);
        E(x64_encode_alu_rr(p, X64_ALU_XOR, 4, gd, gd));
        uint32_t done1 = jmp8(ctx);
        bind8(ctx, notnan);
        E(x64_encode_sse_rr(p, X64_SSE_XORPS, X15, X15));
        E(x64_encode_sse_rr(p, ucomi, xa, X15));
        uint32_t neg = jcc8(ctx, X64_CC_B);  // negative: INT_MIN is the saturated value
        E(x64_encode_mov_ri(p, isz, gd, is64 ? INT64_MAX : INT32_MAX));
        bind8(ctx, neg);
        bind8(ctx, done1);
        bind8(ctx, ok);
        return;
    }

    if (!is64) {
        /* u32: convert as i64 (exact for every input in range), then the upper half must be
         * zero; anything else (negative, >= 2^32, NaN) needs a look. */
        E(x64_encode_sse_gx(p, cvt64, gd, xa));
        E(x64_encode_mov_rr(p, 8, R11, gd));
        E(x64_encode_shift_ri(p, X64_SHIFT_SHR, 8, R11, 32));
        uint32_t ok = jcc8(ctx, X64_CC_E);
        if (!sat) {
            E(x64_encode_sse_rr(p, ucomi, xa, xa));
            jcc_trap(ctx, X64_CC_P, RT_TRAP_BAD_CONVERSION);
            x64_emit_jump(ctx, cg_trap_label(ctx, RT_TRAP_INT_OVERFLOW));
        } else {
            E(x64_encode_sse_rr(p, X64_SSE_XORPS, X15, X15));
            E(x64_encode_sse_rr(p, ucomi, xa, X15));
            E(x64_encode_mov_ri(p, 4, gd, 0));  // mov keeps the flags
            uint32_t low = jcc8(ctx, X64_CC_BE);  // negative or NaN: 0
            E(x64_encode_mov_ri(p, 4, gd, 0xFFFFFFFF));
            bind8(ctx, low);
        }
        bind8(ctx, ok);
        return;
    }

    /* u64: inputs >= 2^63 are converted after subtracting 2^63. */
    ucomi_const(ctx, f64, xa, 9223372036854775808.0);
    uint32_t big = jcc8(ctx, X64_CC_AE);  // unordered leaves CF set: NaN stays here
    E(x64_encode_sse_gx(p, cvt64, gd, xa));
    E(x64_encode_test_rr(p, 8, gd, gd));
    uint32_t done1 = jcc8(ctx, X64_CC_NS);
    uint32_t slow1 = 0, done2 = 0;
    if (sat) {
        E(x64_encode_alu_rr(p, X64_ALU_XOR, 4, gd, gd));  // negative or NaN: 0
        done2 = jmp8(ctx);
    } else {
        slow1 = jmp8(ctx);
    }
    bind8(ctx, big);
    E(x64_encode_sse_rr(p, X64_SSE_MOVAPS, X15, xa));
    if (f64) {
        double c = 9223372036854775808.0;
        sse_const(ctx, X64_SSE_SUBSD, X15, &c, 8);
    } else {
        float c = 9223372036854775808.0f;
        sse_const(ctx, X64_SSE_SUBSS, X15, &c, 4);
    }
    E(x64_encode_sse_gx(p, cvt64, gd, X15));
    E(x64_encode_test_rr(p, 8, gd, gd));
    uint32_t over = jcc8(ctx, X64_CC_S);  // >= 2^64
    E(x64_encode_mov_ri(p, 8, R11, INT64_MIN));
    E(x64_encode_alu_rr(p, X64_ALU_XOR, 8, gd, R11));
    uint32_t done3 = jmp8(ctx);
    bind8(ctx, over);
    if (sat) {
        E(x64_encode_mov_ri(p, 8, gd, -1));
    } else {
        bind8(ctx, slow1);
        E(x64_encode_sse_rr(p, ucomi, xa, xa));
        jcc_trap(ctx, X64_CC_P, RT_TRAP_BAD_CONVERSION);
        x64_emit_jump(ctx, cg_trap_label(ctx, RT_TRAP_INT_OVERFLOW));
    }
    bind8(ctx, done1);
    if (done2)
        bind8(ctx, done2);
    bind8(ctx, done3);
}

static void
emit_cvt(CgCtx *ctx, const CgInst *in)
{
    bool f64 = in->x == 8;
    CgLoc d = opl(ctx, in, 0), a = opl(ctx, in, 1);
    switch (in->cc) {
    case X64_CVT_F32_F64:
        E(x64_encode_sse_rr(p, X64_SSE_CVTSD2SS, X(d), X(a)));
        return;
    case X64_CVT_F64_F32:
        E(x64_encode_sse_rr(p, X64_SSE_CVTSS2SD, X(d), X(a)));
        return;
    case X64_CVT_F_I32:
        E(x64_encode_sse_rr(p, X64_SSE_XORPS, X(d), X(d)));
        E(x64_encode_sse_xg(p, f64 ? X64_SSE_CVTSI2SD32 : X64_SSE_CVTSI2SS32, X(d), G(a)));
        return;
    case X64_CVT_F_I64:
    case X64_CVT_F_U32:  // zero-extended in its register: the i64 conversion is exact
        E(x64_encode_sse_rr(p, X64_SSE_XORPS, X(d), X(d)));
        E(x64_encode_sse_xg(p, f64 ? X64_SSE_CVTSI2SD64 : X64_SSE_CVTSI2SS64, X(d), G(a)));
        return;
    case X64_CVT_F_U64: {
        /* Below 2^63 the signed conversion is exact. Above, halve with the lost bit kept
         * sticky (round to odd), convert, double: one correct rounding. */
        X64SseOp cvt = f64 ? X64_SSE_CVTSI2SD64 : X64_SSE_CVTSI2SS64;
        E(x64_encode_sse_rr(p, X64_SSE_XORPS, X(d), X(d)));
        E(x64_encode_test_rr(p, 8, G(a), G(a)));
        uint32_t big = jcc8(ctx, X64_CC_S);
        E(x64_encode_sse_xg(p, cvt, X(d), G(a)));
        uint32_t done = jmp8(ctx);
        bind8(ctx, big);
        E(x64_encode_mov_rr(p, 8, R11, G(a)));
        E(x64_encode_shift_ri(p, X64_SHIFT_SHR, 8, R11, 1));
        uint32_t even = jcc8(ctx, X64_CC_AE);  // CF = the bit shifted out
        E(x64_encode_alu_ri(p, X64_ALU_OR, 8, R11, 1));
        bind8(ctx, even);
        E(x64_encode_sse_xg(p, cvt, X(d), R11));
        E(x64_encode_sse_rr(p, f64 ? X64_SSE_ADDSD : X64_SSE_ADDSS, X(d), X(d)));
        bind8(ctx, done);
        return;
    }
    default:
        emit_cvt_to_int(ctx, in);
        return;
    }
}

static void
emit_fcmp_set(CgCtx *ctx, const CgInst *in)
{
    CgLoc d = opl(ctx, in, 0), a = opl(ctx, in, 1), b = opl(ctx, in, 2);
    X64Cond cc = emit_fcmp(ctx, in->x == 8, a, b, (IrFloatCond)in->cc);
    E(x64_encode_setcc(p, cc, G(d)));
    if (in->cc == IR_FCC_EQ) {
        E(x64_encode_setcc(p, X64_CC_NP, R11));
        E(x64_encode_alu_rr(p, X64_ALU_AND, 1, G(d), R11));
    } else if (in->cc == IR_FCC_NE) {
        E(x64_encode_setcc(p, X64_CC_P, R11));
        E(x64_encode_alu_rr(p, X64_ALU_OR, 1, G(d), R11));
    }
    E(x64_encode_movzx_rr(p, 4, 1, G(d), G(d)));
}

static void
emit_fjcc(CgCtx *ctx, const CgInst *in)
{
    CgLoc a = opl(ctx, in, 0), b = opl(ctx, in, 1);
    X64Cond cc = emit_fcmp(ctx, in->x == 8, a, b, (IrFloatCond)in->cc);
    if (in->cc == IR_FCC_EQ)
        x64_emit_jcc_label(ctx, X64_CC_P, cg_succ_label(ctx, 1));  // unordered: false
    else if (in->cc == IR_FCC_NE)
        x64_emit_jcc_label(ctx, X64_CC_P, cg_succ_label(ctx, 0));  // unordered: true
    branch2(ctx, cc);
}

/* ---- control ------------------------------------------------------------------------------- */

static void
emit_br_table(CgCtx *ctx, const CgInst *in)
{
    X64Gpr tmp = G(opl(ctx, in, 0)), idx = G(opl(ctx, in, 1));
    uint32_t n = (uint32_t)in->imm;
    E(x64_encode_alu_ri(p, X64_ALU_CMP, 4, idx, n));
    x64_emit_jcc_label(ctx, X64_CC_AE, cg_succ_label(ctx, n));
    uint32_t table = cg_label_new(ctx);
    E(x64_encode_lea(p, 8, R11, x64_mem_rip(0)));
    cg_fixup_label(ctx, cg_code_offset(ctx) - 4, X64_FIXUP_REL32, table);
    E(x64_encode_movsx_rm(p, 8, 4, tmp, x64_mem_index(X64_R11, idx, 4, 0)));
    E(x64_encode_alu_rr(p, X64_ALU_ADD, 8, tmp, R11));
    E(x64_encode_jmp_r(p, tmp));
    cg_code_align(ctx, 4, 0xCC);
    cg_label_bind(ctx, table);
    for (uint32_t i = 0; i < n; i++) {
        int32_t self = (int32_t)(4 * i);
        uint32_t at = cg_code_offset(ctx);
        cg_code_put(ctx, &self, 4);
        cg_fixup_label(ctx, at, X64_FIXUP_TABLE32, cg_succ_label(ctx, i));
    }
}

static void
emit_call(CgCtx *ctx, const CgInst *in)
{
    switch (in->cc) {
    case X64_CALL_DIRECT:
        E(x64_encode_call_rel32(p, 0));
        cg_fixup_func(ctx, cg_code_offset(ctx) - 4, X64_FIXUP_REL32, (uint32_t)in->imm);
        break;
    case X64_CALL_REG:
        /* The callee is a FIXED operand: the core copied it into r10 (isel.c emit_call). */
        E(x64_encode_call_r(p, G(X64R_R10)));
        break;
    case X64_CALL_BUILTIN:
        E(x64_encode_call_m(p, x64_mem_rip(0)));
        cg_fixup_builtin_slot(ctx, cg_code_offset(ctx) - 4, X64_FIXUP_REL32, (uint32_t)in->imm);
        break;
    default:
        sk_unreachable();
    }
}

/* ---- the dispatcher ------------------------------------------------------------------------ */

void
x64_emit_inst(CgCtx *ctx, const CgInst *in)
{
    switch (in->op) {
    case X64I_MOV_RI: {
        X64Gpr d = G(opl(ctx, in, 0));
        if (in->imm == 0 || (in->x == 4 && (uint32_t)in->imm == 0))
            E(x64_encode_alu_rr(p, X64_ALU_XOR, 4, d, d));
        else
            E(x64_encode_mov_ri(p, in->x, d, in->x == 4 ? (int64_t)(uint32_t)in->imm : in->imm));
        break;
    }
    case X64I_ALU: {
        CgLoc d = opl(ctx, in, 0), a = opl(ctx, in, 1), b = opl(ctx, in, 2);
        X64AluOp op = (X64AluOp)in->cc;
        bool comm = op != X64_ALU_SUB;
        if (d == a) {
            E(x64_encode_alu_rr(p, op, in->x, G(d), G(b)));
        } else if (d == b && comm) {
            E(x64_encode_alu_rr(p, op, in->x, G(d), G(a)));
        } else if (op == X64_ALU_ADD) {
            E(x64_encode_lea(p, in->x, G(d), x64_mem_index(x64_hw(a), G(b), 1, 0)));
        } else {
            E(x64_encode_mov_rr(p, in->x, G(d), G(a)));
            E(x64_encode_alu_rr(p, op, in->x, G(d), G(b)));
        }
        break;
    }
    case X64I_ALU_I: {
        CgLoc d = opl(ctx, in, 0), a = opl(ctx, in, 1);
        X64AluOp op = (X64AluOp)in->cc;
        int64_t imm = in->imm;
        if (d != a && (op == X64_ALU_ADD || (op == X64_ALU_SUB && imm != INT32_MIN))) {
            E(x64_encode_lea(p, in->x, G(d), x64_mem(x64_hw(a), (int32_t)(op == X64_ALU_ADD ? imm : -imm))));
            break;
        }
        tie_gpr(ctx, in->x, d, a);
        E(x64_encode_alu_ri(p, op, in->x, G(d), imm));
        break;
    }
    case X64I_ALU_M: {
        CgLoc d = opl(ctx, in, 0), a = opl(ctx, in, 1);
        tie_gpr(ctx, in->x, d, a);
        X64Mem m = inst_mem(ctx, in, 2);
        mem_trap(ctx, in);
        E(x64_encode_alu_rm(p, (X64AluOp)in->cc, in->x, G(d), m));
        break;
    }
    case X64I_LEA:
        E(x64_encode_lea(p, in->x, G(opl(ctx, in, 0)), inst_mem(ctx, in, 1)));
        break;
    case X64I_IMUL: {
        CgLoc d = opl(ctx, in, 0), a = opl(ctx, in, 1), b = opl(ctx, in, 2);
        if (d == a) {
            E(x64_encode_imul_rr(p, in->x, G(d), G(b)));
        } else if (d == b) {
            E(x64_encode_imul_rr(p, in->x, G(d), G(a)));
        } else {
            E(x64_encode_mov_rr(p, in->x, G(d), G(a)));
            E(x64_encode_imul_rr(p, in->x, G(d), G(b)));
        }
        break;
    }
    case X64I_IMUL_I:
        E(x64_encode_imul_rri(p, in->x, G(opl(ctx, in, 0)), G(opl(ctx, in, 1)), in->imm));
        break;
    case X64I_DIV:
        emit_div(ctx, in);
        break;
    case X64I_SHIFT_I:
        tie_gpr(ctx, in->x, opl(ctx, in, 0), opl(ctx, in, 1));
        E(x64_encode_shift_ri(p, (X64ShiftOp)in->cc, in->x, G(opl(ctx, in, 0)), (uint8_t)in->imm));
        break;
    case X64I_SHIFT:
        tie_gpr(ctx, in->x, opl(ctx, in, 0), opl(ctx, in, 1));
        E(x64_encode_shift_rcl(p, (X64ShiftOp)in->cc, in->x, G(opl(ctx, in, 0))));
        break;
    case X64I_UNARY:
        tie_gpr(ctx, in->x, opl(ctx, in, 0), opl(ctx, in, 1));
        E(x64_encode_unary_r(p, (X64UnaryOp)in->cc, in->x, G(opl(ctx, in, 0))));
        break;
    case X64I_BITCNT:
        emit_bitcnt(ctx, in);
        break;
    case X64I_EXT:
        emit_ext(ctx, in);
        break;
    case X64I_LOAD: {
        X64Mem m = inst_mem(ctx, in, 1);
        mem_trap(ctx, in);
        emit_load(ctx, opl(ctx, in, 0), m, in->cc, in->x);
        break;
    }
    case X64I_STORE: {
        X64Mem m = inst_mem(ctx, in, 0);
        uint32_t vk = in->y & X64_MEM_HAS_INDEX ? 2 : 1;
        mem_trap(ctx, in);
        emit_store(ctx, m, opl(ctx, in, vk), in->cc);
        break;
    }
    case X64I_STORE_I: {
        /* A narrow store writes the value's low bytes: isel folds any constant, so cut it
         * to the store's width (the encoder takes only immediates of that width). */
        static const uint8_t sizes[] = {1, 2, 4, 8};
        X64Mem m = inst_mem(ctx, in, 0);
        int64_t imm = in->cc == X64_ST_8    ? (int8_t)in->imm
                      : in->cc == X64_ST_16 ? (int16_t)in->imm
                      : in->cc == X64_ST_32 ? (int32_t)in->imm
                                            : in->imm;
        mem_trap(ctx, in);
        E(x64_encode_mov_mi(p, sizes[in->cc], m, imm));
        break;
    }
    case X64I_CMP_SET: {
        CgLoc d = opl(ctx, in, 0);
        emit_cmp(ctx, in, 1);
        E(x64_encode_setcc(p, (X64Cond)in->cc, G(d)));
        E(x64_encode_movzx_rr(p, 4, 1, G(d), G(d)));
        break;
    }
    case X64I_FCMP_SET:
        emit_fcmp_set(ctx, in);
        break;
    case X64I_JCC:
        emit_cmp(ctx, in, 0);
        branch2(ctx, (X64Cond)in->cc);
        break;
    case X64I_FJCC:
        emit_fjcc(ctx, in);
        break;
    case X64I_JMP:
        if (!cg_succ_is_next(ctx, 0))
            x64_emit_jump(ctx, cg_succ_label(ctx, 0));
        break;
    case X64I_BR_TABLE:
        emit_br_table(ctx, in);
        break;
    case X64I_RET:
        x64_emit_epilogue(ctx);
        E(x64_encode_ret(p));
        break;
    case X64I_TRAP:
        cg_trap_record(ctx, cg_code_offset(ctx), (uint32_t)in->disp);
        E(x64_encode_ud2(p));
        break;
    case X64I_TRAP_IF:
        emit_cmp(ctx, in, 0);
        jcc_trap(ctx, (X64Cond)in->cc, (uint32_t)in->disp);
        break;
    case X64I_CMOV: {
        CgLoc d = opl(ctx, in, 0), f = opl(ctx, in, 1), t = opl(ctx, in, 2);
        unsigned size = (unsigned)in->disp;
        tie_gpr(ctx, size, d, f);
        emit_cmp(ctx, in, 3);
        E(x64_encode_cmov_rr(p, (X64Cond)in->cc, size, G(d), G(t)));
        break;
    }
    case X64I_FSEL: {
        CgLoc d = opl(ctx, in, 0), f = opl(ctx, in, 1), t = opl(ctx, in, 2), c = opl(ctx, in, 3);
        tie_xmm(ctx, d, f);
        E(x64_encode_test_rr(p, 4, G(c), G(c)));
        uint32_t skip = jcc8(ctx, X64_CC_E);
        E(x64_encode_sse_rr(p, X64_SSE_MOVAPS, X(d), X(t)));
        bind8(ctx, skip);
        break;
    }
    case X64I_CALL:
        emit_call(ctx, in);
        break;
    case X64I_FCONST: {
        CgLoc d = opl(ctx, in, 0);
        if (in->x == 16) {
            const IrFunc *f = ctx->target_state;
            const uint8_t *bytes = f->v128s.data[in->imm].b;
            static const uint8_t zero16[16];
            if (!memcmp(bytes, zero16, 16)) {
                E(x64_encode_sse_rr(p, X64_SSE_XORPS, X(d), X(d)));
            } else {
                uint32_t label = cg_const_label(ctx, bytes, 16, 16);
                E(x64_encode_sse_rm(p, X64_SSE_MOVDQA, X(d), x64_mem_rip(0)));
                cg_fixup_label(ctx, cg_code_offset(ctx) - 4, X64_FIXUP_REL32, label);
            }
        } else if (in->imm == 0) {
            E(x64_encode_sse_rr(p, X64_SSE_XORPS, X(d), X(d)));  // +0.0 only (bits 0)
        } else {
            uint64_t bits = (uint64_t)in->imm;
            uint32_t label = cg_const_label(ctx, &bits, in->x, in->x);
            E(x64_encode_sse_rm(p, in->x == 8 ? X64_SSE_MOVSD : X64_SSE_MOVSS, X(d), x64_mem_rip(0)));
            cg_fixup_label(ctx, cg_code_offset(ctx) - 4, X64_FIXUP_REL32, label);
        }
        break;
    }
    case X64I_SSE: {
        CgLoc d = opl(ctx, in, 0), a = opl(ctx, in, 1), b = opl(ctx, in, 2);
        X64SseOp op = (X64SseOp)in->y;
        bool comm = op == X64_SSE_ADDSS || op == X64_SSE_ADDSD || op == X64_SSE_MULSS ||
                    op == X64_SSE_MULSD;
        if (d == b && comm && d != a) {
            E(x64_encode_sse_rr(p, op, X(d), X(a)));
        } else {
            tie_xmm(ctx, d, a);
            E(x64_encode_sse_rr(p, op, X(d), X(b)));
        }
        break;
    }
    case X64I_FUNARY: {
        CgLoc d = opl(ctx, in, 0), a = opl(ctx, in, 1);
        bool f64 = in->x == 8;
        uint64_t sign = f64 ? 0x8000000000000000ull : 0x80000000u;
        tie_xmm(ctx, d, a);
        if (in->cc == X64_FUN_ABS)
            mask_const(ctx, X64_SSE_ANDPS, X(d), f64, ~sign & (f64 ? ~0ull : 0xFFFFFFFFu));
        else
            mask_const(ctx, X64_SSE_XORPS, X(d), f64, sign);
        break;
    }
    case X64I_FCOPYSIGN:
        emit_fcopysign(ctx, in);
        break;
    case X64I_FMINMAX:
        emit_fminmax(ctx, in);
        break;
    case X64I_FROUND:
        E(x64_encode_sse_rri(p, in->x == 8 ? X64_SSE_ROUNDSD : X64_SSE_ROUNDSS,
                             X(opl(ctx, in, 0)), X(opl(ctx, in, 1)), (uint8_t)in->imm));
        break;
    case X64I_FSQRT:
        E(x64_encode_sse_rr(p, in->x == 8 ? X64_SSE_SQRTSD : X64_SSE_SQRTSS, X(opl(ctx, in, 0)),
                            X(opl(ctx, in, 1))));
        break;
    case X64I_CVT:
        emit_cvt(ctx, in);
        break;
    case X64I_BITCAST: {
        CgLoc d = opl(ctx, in, 0), a = opl(ctx, in, 1);
        if (x64_is_xmm(d))
            E(x64_encode_sse_xg(p, in->x == 8 ? X64_SSE_MOVQ_XG : X64_SSE_MOVD_XG, X(d), G(a)));
        else
            E(x64_encode_sse_gx(p, in->x == 8 ? X64_SSE_MOVQ_GX : X64_SSE_MOVD_GX, G(d), X(a)));
        break;
    }
    case X64I_LOAD_ARG: {
        CgType t = (CgType)in->cc;
        emit_load(ctx, opl(ctx, in, 0), x64_mem(X64_RBP, in->disp), ld_kind(t),
                  t == CG_TYPE_I32 ? 4 : 8);
        break;
    }
    case X64I_STORE_ARG:
        emit_store(ctx, x64_mem_frame(in->disp), opl(ctx, in, 0), st_kind((CgType)in->cc));
        break;
    case X64I_LEA_FRAME:
        E(x64_encode_lea(p, 8, G(opl(ctx, in, 0)),
                         x64_mem_frame(cg_frame_object_offset(ctx, (uint32_t)in->disp))));
        break;
    case X64I_LOAD_FRAME: {
        CgType t = (CgType)in->cc;
        int32_t off = cg_frame_object_offset(ctx, (uint32_t)in->disp) + (int32_t)in->imm;
        emit_load(ctx, opl(ctx, in, 0), x64_mem_frame(off), ld_kind(t), t == CG_TYPE_I32 ? 4 : 8);
        break;
    }
    case X64I_BOUNDS: {
        X64Gpr addr = G(opl(ctx, in, 0)), mo = G(opl(ctx, in, 1));
        if (in->imm <= INT32_MAX) {
            E(x64_encode_lea(p, 8, R11, x64_mem(addr, (int32_t)in->imm)));
        } else {
            E(x64_encode_mov_ri(p, 8, R11, in->imm));
            E(x64_encode_alu_rr(p, X64_ALU_ADD, 8, R11, addr));
        }
        E(x64_encode_alu_rm(p, X64_ALU_CMP, 8, R11, x64_mem(mo, RT_MEMORY_OFF_SIZE)));
        jcc_trap(ctx, X64_CC_A, RT_TRAP_MEMORY_OOB);
        break;
    }
    case X64I_VOP:
    case X64I_VUN:
    case X64I_VCOP:
    case X64I_VSEQ:
    case X64I_VLOAD:
    case X64I_VSTORE:
        x64_emit_simd(ctx, in);
        break;
    default:
        sk_unreachable();
    }
}

/* ---- dumps -------------------------------------------------------------------------------- */

static const char *const op_names[] = {
    "mov_ri", "alu", "alu_i", "alu_m", "lea", "imul", "imul_i", "div", "shift_i", "shift",
    "unary", "bitcnt", "ext", "load", "store", "store_i", "cmp_set", "fcmp_set", "jcc",
    "fjcc", "jmp", "br_table", "ret", "trap", "trap_if", "cmov", "fsel", "call", "fconst",
    "sse", "funary", "fcopysign", "fminmax", "fround", "fsqrt", "cvt", "bitcast", "load_arg",
    "store_arg", "lea_frame", "load_frame", "bounds", "vop", "vun", "vcop", "vseq", "vload",
    "vstore",
};
_Static_assert(sizeof(op_names) / sizeof(op_names[0]) == X64I_COUNT_ - X64I_MOV_RI,
               "one name per MIR opcode");

void
x64_print_inst(const CgCtx *ctx, const CgInst *in, char *out, size_t size)
{
    (void)ctx;
    if (in->op >= X64I_MOV_RI && in->op < X64I_COUNT_)
        snprintf(out, size, "%s.%u cc=%u imm=%lld disp=%d", op_names[in->op - X64I_MOV_RI],
                 in->x, in->cc, (long long)in->imm, in->disp);
    else
        snprintf(out, size, "op%u", in->op);
}
