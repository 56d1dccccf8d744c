/*
 * x86_64 emission of SIMD128 MIR (X64I_VOP .. X64I_VSTORE, selected by isel_simd.c) through
 * the encoder's XMM forms (encode_sse.c). emit.c dispatches here.
 *
 * The sequences give Wasm's exact lane semantics on SSE2, with SSSE3/SSE4.1 forms where the
 * compile target has them (CgOptions.cpu_features): unsigned compares and min/max through
 * sign flips or saturating subtraction, 64-bit multiplies and compares from 32-bit pieces,
 * 8-bit shifts through 16-bit lanes, float min/max that propagate NaN and order -0 < +0
 * (both operand orders of minps/maxps merged, NaNs made canonical), rounding without roundps
 * (2^23 / 2^52 magic addition), and float-to-int conversions that saturate (cvttps2dq alone
 * gives 0x80000000 for every out-of-range or NaN lane). Operand modes (TIED, FREE, LATE) are
 * in simd.h; sequences use xmm15 and r11, which the allocator never assigns, and constants
 * from the function's constant pool (16-byte aligned, so legacy-SSE memory operands may
 * use them).
 */
#include "backends/x86_64/emit.h"
#include "backends/x86_64/simd.h"

/* ---- small emitters ----------------------------------------------------------------------- */

static void
rr(CgCtx *ctx, X64SseOp op, X64Xmm d, X64Xmm s)
{
    E(x64_encode_sse_rr(p, op, d, s));
}

static void
rri(CgCtx *ctx, X64SseOp op, X64Xmm d, X64Xmm s, unsigned imm)
{
    E(x64_encode_sse_rri(p, op, d, s, (uint8_t)imm));
}

/* Shift by immediate (the SHI forms). */
static void
shi(CgCtx *ctx, X64SseOp op, X64Xmm d, unsigned imm)
{
    E(x64_encode_sse_ri(p, op, d, (uint8_t)imm));
}

/* d = s (whole register) unless they are the same. */
static void
mov(CgCtx *ctx, X64Xmm d, X64Xmm s)
{
    if (d != s)
        rr(ctx, X64_SSE_MOVAPS, d, s);
}

static void
zero(CgCtx *ctx, X64Xmm d)
{
    rr(ctx, X64_SSE_PXOR, d, d);
}

static void
ones(CgCtx *ctx, X64Xmm d)
{
    rr(ctx, X64_SSE_PCMPEQD, d, d);
}

/* `op d, [16-byte constant]` (with an imm8 when imm >= 0): RIP-relative into the pool. */
static void
cop_bytes(CgCtx *ctx, X64SseOp op, X64Xmm d, const uint8_t *bytes, int imm)
{
    uint32_t label = cg_const_label(ctx, bytes, 16, 16);
    if (imm >= 0) {
        E(x64_encode_sse_rmi(p, op, d, x64_mem_rip(0), (uint8_t)imm));
        cg_fixup_label(ctx, cg_code_offset(ctx) - 5, X64_FIXUP_REL32 + 1, label);
    } else {
        E(x64_encode_sse_rm(p, op, d, x64_mem_rip(0)));
        cg_fixup_label(ctx, cg_code_offset(ctx) - 4, X64_FIXUP_REL32, label);
    }
}

/* The 16 bytes of `pattern` (its low `size` bytes) repeated. */
static void
pattern16(uint8_t out[16], uint64_t pattern, unsigned size)
{
    for (unsigned i = 0; i < 16; i += size)
        memcpy(out + i, &pattern, size);
}

/* `op d, [pattern repeated]`. */
static void
cop(CgCtx *ctx, X64SseOp op, X64Xmm d, uint64_t pattern, unsigned size)
{
    uint8_t b[16];
    pattern16(b, pattern, size);
    cop_bytes(ctx, op, d, b, -1);
}

/* `op d, [pattern repeated], imm8` (cmpps with a constant). */
static void
copi(CgCtx *ctx, X64SseOp op, X64Xmm d, uint64_t pattern, unsigned size, unsigned imm)
{
    uint8_t b[16];
    pattern16(b, pattern, size);
    cop_bytes(ctx, op, d, b, (int)imm);
}

/* The bit patterns of the float constants the sequences use. */
enum {
    F32_2P23 = 0x4B000000u, F32_2P31 = 0x4F000000u, F32_2P32 = 0x4F800000u,
    F32_2P16 = 0x47800000u, F32_ONE = 0x3F800000u,
};
#define F64_2P52 0x4330000000000000ull
#define F64_ONE 0x3FF0000000000000ull
#define F64_I32_MAX 0x41DFFFFFFFC00000ull  // 2147483647.0
#define F64_U32_MAX 0x41EFFFFFFFE00000ull  // 4294967295.0

static bool
has(const CgCtx *ctx, uint64_t feature)
{
    return (ctx->opts.cpu_features & feature) != 0;
}

/* The 16 shuffle selectors of instruction `in` (imm = IrFunc.v128s index). */
static const uint8_t *
selectors(const CgCtx *ctx, const CgInst *in)
{
    const IrFunc *f = ctx->target_state;
    return f->v128s.data[in->imm].b;
}

/* ---- single instructions ---------------------------------------------------------------- */

static void
emit_vop(CgCtx *ctx, const CgInst *in)
{
    X64SseOp op = (X64SseOp)in->y;
    X64Xmm d = X(opl(ctx, in, 0)), a = X(opl(ctx, in, 1));
    int imm8 = in->cc & X64_VOP_IMM ? (int)(in->imm & 0xFF) : -1;
    if (in->nops == 2) {
        mov(ctx, d, a);
        if (in->cc & X64_VOP_CONST) {
            const IrFunc *f = ctx->target_state;
            cop_bytes(ctx, op, d, f->v128s.data[in->imm >> 8].b, imm8);
        } else {
            shi(ctx, op, d, (unsigned)imm8);  // a shift by immediate
        }
        return;
    }
    X64Xmm b = X(opl(ctx, in, 2));
    if (d == b && d != a) {
        SK_ASSERT(in->cc & X64_VOP_COMM);  // otherwise b is LATE and never shares d
        a = b;
        b = X(opl(ctx, in, 1));
    }
    mov(ctx, d, a);
    if (imm8 >= 0)
        rri(ctx, op, d, b, (unsigned)imm8);
    else
        rr(ctx, op, d, b);
}

static void
emit_vun(CgCtx *ctx, const CgInst *in)
{
    X64SseOp op = (X64SseOp)in->y;
    X64Xmm d = X(opl(ctx, in, 0)), a = X(opl(ctx, in, 1));
    if (in->x)
        rri(ctx, op, d, a, (unsigned)in->imm);
    else if (op != X64_SSE_MOVAPS || d != a)
        rr(ctx, op, d, a);
}

/* ---- lanes -------------------------------------------------------------------------------- */

/* pshufb-free 8-bit splat of the low byte of d into every lane. */
static void
splat8_tail(CgCtx *ctx, X64Xmm d)
{
    if (has(ctx, RT_CPU_X64_SSSE3)) {
        zero(ctx, X15);
        rr(ctx, X64_SSE_PSHUFB, d, X15);
    } else {
        rr(ctx, X64_SSE_PUNPCKLBW, d, d);
        rri(ctx, X64_SSE_PSHUFLW, d, d, 0);
        rri(ctx, X64_SSE_PSHUFD, d, d, 0);
    }
}

static void
splat_const(CgCtx *ctx, X64Xmm d, uint64_t pattern, unsigned size)
{
    uint8_t b[16];
    pattern16(b, pattern, size);
    bool all0 = true, all1 = true;
    for (unsigned i = 0; i < 16; i++) {
        all0 &= b[i] == 0;
        all1 &= b[i] == 0xFF;
    }
    if (all0)
        rr(ctx, X64_SSE_XORPS, d, d);
    else if (all1)
        ones(ctx, d);
    else
        cop_bytes(ctx, X64_SSE_MOVDQA, d, b, -1);
}

static void
emit_extract(CgCtx *ctx, X64VSeq kind, X64Gpr d, X64Xmm a, unsigned lane)
{
    bool s41 = has(ctx, RT_CPU_X64_SSE41);
    switch (kind) {
    case X64V_EXTRACT8_S:
    case X64V_EXTRACT8_U: {
        bool sgn = kind == X64V_EXTRACT8_S;
        if (s41) {
            E(x64_encode_sse_gxi(p, X64_SSE_PEXTRB, d, a, (uint8_t)lane));
            if (sgn)
                E(x64_encode_movsx_rr(p, 4, 1, d, d));
            return;
        }
        E(x64_encode_sse_gxi(p, X64_SSE_PEXTRW, d, a, (uint8_t)(lane / 2)));
        if (lane & 1) {
            if (sgn) {
                E(x64_encode_shift_ri(p, X64_SHIFT_SHL, 4, d, 16));
                E(x64_encode_shift_ri(p, X64_SHIFT_SAR, 4, d, 24));
            } else {
                E(x64_encode_shift_ri(p, X64_SHIFT_SHR, 4, d, 8));
            }
        } else if (sgn) {
            E(x64_encode_movsx_rr(p, 4, 1, d, d));
        } else {
            E(x64_encode_movzx_rr(p, 4, 1, d, d));
        }
        return;
    }
    case X64V_EXTRACT16_S:
    case X64V_EXTRACT16_U:
        E(x64_encode_sse_gxi(p, X64_SSE_PEXTRW, d, a, (uint8_t)lane));
        if (kind == X64V_EXTRACT16_S)
            E(x64_encode_movsx_rr(p, 4, 2, d, d));
        return;
    case X64V_EXTRACT32:
        if (lane == 0) {
            E(x64_encode_sse_gx(p, X64_SSE_MOVD_GX, d, a));
        } else if (s41) {
            E(x64_encode_sse_gxi(p, X64_SSE_PEXTRD, d, a, (uint8_t)lane));
        } else {
            rri(ctx, X64_SSE_PSHUFD, X15, a, lane);
            E(x64_encode_sse_gx(p, X64_SSE_MOVD_GX, d, X15));
        }
        return;
    case X64V_EXTRACT64:
        if (lane == 0) {
            E(x64_encode_sse_gx(p, X64_SSE_MOVQ_GX, d, a));
        } else if (s41) {
            E(x64_encode_sse_gxi(p, X64_SSE_PEXTRQ, d, a, 1));
        } else {
            rri(ctx, X64_SSE_PSHUFD, X15, a, 0xEE);
            E(x64_encode_sse_gx(p, X64_SSE_MOVQ_GX, d, X15));
        }
        return;
    default:
        sk_unreachable();
    }
}

/* Lane `lane` of d (already holding the vector) <- the low bits of gpr x. */
static void
emit_replace(CgCtx *ctx, X64VSeq kind, X64Xmm d, CgLoc xl, unsigned lane)
{
    bool s41 = has(ctx, RT_CPU_X64_SSE41);
    switch (kind) {
    case X64V_REPLACE8:
        if (s41) {
            E(x64_encode_sse_xgi(p, X64_SSE_PINSRB, d, G(xl), (uint8_t)lane));
            return;
        }
        /* The 16-bit lane holding it: replace one byte of r11w (rotated low for odd lanes). */
        E(x64_encode_sse_gxi(p, X64_SSE_PEXTRW, R11, d, (uint8_t)(lane / 2)));
        if (lane & 1)
            E(x64_encode_shift_ri(p, X64_SHIFT_ROL, 2, R11, 8));
        E(x64_encode_mov_rr(p, 1, R11, G(xl)));
        if (lane & 1)
            E(x64_encode_shift_ri(p, X64_SHIFT_ROL, 2, R11, 8));
        E(x64_encode_sse_xgi(p, X64_SSE_PINSRW, d, R11, (uint8_t)(lane / 2)));
        return;
    case X64V_REPLACE16:
        E(x64_encode_sse_xgi(p, X64_SSE_PINSRW, d, G(xl), (uint8_t)lane));
        return;
    case X64V_REPLACE32:
        if (s41) {
            E(x64_encode_sse_xgi(p, X64_SSE_PINSRD, d, G(xl), (uint8_t)lane));
            return;
        }
        E(x64_encode_sse_xgi(p, X64_SSE_PINSRW, d, G(xl), (uint8_t)(2 * lane)));
        E(x64_encode_mov_rr(p, 4, R11, G(xl)));
        E(x64_encode_shift_ri(p, X64_SHIFT_SHR, 4, R11, 16));
        E(x64_encode_sse_xgi(p, X64_SSE_PINSRW, d, R11, (uint8_t)(2 * lane + 1)));
        return;
    case X64V_REPLACE64:
        if (s41) {
            E(x64_encode_sse_xgi(p, X64_SSE_PINSRQ, d, G(xl), (uint8_t)lane));
            return;
        }
        E(x64_encode_sse_xg(p, X64_SSE_MOVQ_XG, X15, G(xl)));
        rr(ctx, lane == 0 ? X64_SSE_MOVSD : X64_SSE_PUNPCKLQDQ, d, X15);
        return;
    case X64V_REPLACE_F32:
        E(x64_encode_sse_gx(p, X64_SSE_MOVD_GX, R11, X(xl)));
        E(x64_encode_sse_xgi(p, X64_SSE_PINSRW, d, R11, (uint8_t)(2 * lane)));
        E(x64_encode_shift_ri(p, X64_SHIFT_SHR, 4, R11, 16));
        E(x64_encode_sse_xgi(p, X64_SSE_PINSRW, d, R11, (uint8_t)(2 * lane + 1)));
        return;
    default:
        sk_unreachable();
    }
}

/* ---- shuffles ----------------------------------------------------------------------------- */

/* SSE2 shuffle through the frame object at rsp + off: a at +0, b at +16, result at +32. */
static void
shuffle_mem(CgCtx *ctx, X64Xmm d, X64Xmm a, X64Xmm b, const uint8_t *sel, int32_t off)
{
    E(x64_encode_sse_mr(p, X64_SSE_MOVDQU, x64_mem(X64_RSP, off), a));
    E(x64_encode_sse_mr(p, X64_SSE_MOVDQU, x64_mem(X64_RSP, off + 16), b));
    for (int32_t i = 0; i < 16; i++) {
        E(x64_encode_movzx_rm(p, 4, 1, R11, x64_mem(X64_RSP, off + (sel[i] & 31))));
        E(x64_encode_mov_mr(p, 1, x64_mem(X64_RSP, off + 32 + i), R11));
    }
    E(x64_encode_sse_rm(p, X64_SSE_MOVDQU, d, x64_mem(X64_RSP, off + 32)));
}

/* SSE2 swizzle through the frame object at rsp + off: a at +0, a zero byte at +16, the
 * indices at +32 (replaced by the result byte by byte). Indices >= 16 read the zero. */
static void
swizzle_mem(CgCtx *ctx, X64Xmm d, X64Xmm a, X64Xmm idx, int32_t off)
{
    E(x64_encode_sse_mr(p, X64_SSE_MOVDQU, x64_mem(X64_RSP, off), a));
    E(x64_encode_sse_mr(p, X64_SSE_MOVDQU, x64_mem(X64_RSP, off + 32), idx));
    E(x64_encode_mov_mi(p, 1, x64_mem(X64_RSP, off + 16), 0));
    for (int32_t i = 0; i < 16; i++) {
        E(x64_encode_movzx_rm(p, 4, 1, R11, x64_mem(X64_RSP, off + 32 + i)));
        E(x64_encode_alu_ri(p, X64_ALU_CMP, 4, R11, 16));
        uint32_t ok = jcc8(ctx, X64_CC_B);
        E(x64_encode_mov_ri(p, 4, R11, 16));
        bind8(ctx, ok);
        E(x64_encode_movzx_rm(p, 4, 1, R11, x64_mem_index(X64_RSP, R11, 1, off)));
        E(x64_encode_mov_mr(p, 1, x64_mem(X64_RSP, off + 32 + i), R11));
    }
    E(x64_encode_sse_rm(p, X64_SSE_MOVDQU, d, x64_mem(X64_RSP, off + 32)));
}

/* ---- float sequences ---------------------------------------------------------------------- */

/* Wasm min/max: minps/maxps in both operand orders (each returns its second operand for NaN
 * and for a pair of zeros), merged; then NaN lanes made canonical. */
static void
emit_fminmax(CgCtx *ctx, X64Xmm d, X64Xmm a, X64Xmm b, bool f64, bool max)
{
    X64SseOp mm = max ? (f64 ? X64_SSE_MAXPD : X64_SSE_MAXPS)
                      : (f64 ? X64_SSE_MINPD : X64_SSE_MINPS);
    X64SseOp cmp = f64 ? X64_SSE_CMPPD : X64_SSE_CMPPS;
    mov(ctx, X15, a);
    rr(ctx, mm, X15, b);  // max/min(a, b): b on NaN or equal zeros
    mov(ctx, d, b);
    rr(ctx, mm, d, a);    // max/min(b, a): a on NaN or equal zeros
    if (max) {
        /* Lanes where the two differ: a NaN, or +0/-0. x15 | diff is NaN there or -0, and
         * (x15 | diff) - diff turns -0 - (-0) into +0 and keeps NaN (quiet). */
        rr(ctx, X64_SSE_XORPS, d, X15);
        rr(ctx, X64_SSE_ORPS, X15, d);
        rr(ctx, f64 ? X64_SSE_SUBPD : X64_SSE_SUBPS, X15, d);
    } else {
        /* OR keeps -0 over +0 and a NaN's exponent and payload bits. */
        rr(ctx, X64_SSE_ORPS, X15, d);
    }
    /* d = NaN lanes of x15; canonical NaN = sign | exponent | quiet bit only. */
    mov(ctx, d, X15);
    rri(ctx, cmp, d, X15, X64_CMP_UNORD);
    rr(ctx, X64_SSE_ORPS, X15, d);
    shi(ctx, f64 ? X64_SSE_PSRLQ_I : X64_SSE_PSRLD_I, d, f64 ? 13 : 10);
    rr(ctx, X64_SSE_ANDNPS, d, X15);
}

/*
 * ceil/floor/trunc/nearest without roundps. Lanes with |a| >= 2^23 (2^52 for f64), infinities
 * and NaNs are integral already (NaNs are quieted by adding zero). Others: n = (|a| + 2^23) -
 * 2^23 rounds |a| to nearest even; trunc(|a|) = n - (n > |a|); the sign of a goes back on (so
 * that results of zero keep it); floor subtracts 1 where that is above a, ceil adds 1 where
 * it is below.
 */
static void
emit_fround(CgCtx *ctx, X64Xmm d, X64Xmm t, X64Xmm a, unsigned mode, bool f64)
{
    unsigned sz = f64 ? 8 : 4;
    uint64_t sign = f64 ? 0x8000000000000000ull : 0x80000000u;
    uint64_t magic = f64 ? F64_2P52 : F32_2P23, one = f64 ? F64_ONE : F32_ONE;
    X64SseOp andp = X64_SSE_ANDPS, add = f64 ? X64_SSE_ADDPD : X64_SSE_ADDPS;
    X64SseOp sub = f64 ? X64_SSE_SUBPD : X64_SSE_SUBPS, cmp = f64 ? X64_SSE_CMPPD : X64_SSE_CMPPS;
    cop(ctx, X64_SSE_MOVAPS, X15, ~sign & (f64 ? ~0ull : 0xFFFFFFFFu), sz);
    rr(ctx, andp, X15, a);                          // |a|
    mov(ctx, t, X15);
    copi(ctx, cmp, t, magic, sz, X64_CMP_LT);       // t = lanes to round
    mov(ctx, d, X15);
    cop(ctx, add, d, magic, sz);
    cop(ctx, sub, d, magic, sz);                    // nearest(|a|)
    if (mode != 0x8) {
        rri(ctx, cmp, X15, d, X64_CMP_LT);          // |a| < n
        cop(ctx, andp, X15, one, sz);
        rr(ctx, sub, d, X15);                       // trunc(|a|)
    }
    cop(ctx, X64_SSE_MOVAPS, X15, sign, sz);
    rr(ctx, andp, X15, a);
    rr(ctx, X64_SSE_ORPS, d, X15);                  // with a's sign
    if (mode == 0x9) {                              // floor: d > a -> d - 1
        mov(ctx, X15, a);
        rri(ctx, cmp, X15, d, X64_CMP_LT);
        cop(ctx, andp, X15, one, sz);
        rr(ctx, sub, d, X15);
    } else if (mode == 0xA) {                       // ceil: d < a -> d - (-1)
        mov(ctx, X15, d);                           // (not d + 1: -0 + +0 would be +0)
        rri(ctx, cmp, X15, a, X64_CMP_LT);
        cop(ctx, andp, X15, one | sign, sz);
        rr(ctx, sub, d, X15);
    }
    rr(ctx, andp, d, t);
    mov(ctx, X15, a);
    cop(ctx, add, X15, 0, sz);                      // a + 0: quiets NaN
    rr(ctx, X64_SSE_ANDNPS, t, X15);
    rr(ctx, X64_SSE_ORPS, d, t);
}

/* ---- the sequences ------------------------------------------------------------------------ */

static void
emit_vseq(CgCtx *ctx, const CgInst *in)
{
    X64VSeq kind = (X64VSeq)in->y;
    uint32_t nt = in->x, u = 1 + nt;  // first use
    CgLoc dl = opl(ctx, in, 0);
    bool s41 = has(ctx, RT_CPU_X64_SSE41);
    unsigned cc = in->cc;
    /* Register views, valid only for the operands the kind has. */
#define D X(dl)
#define T1 X(opl(ctx, in, 1))
#define T2 X(opl(ctx, in, 2))
#define A X(opl(ctx, in, u))
#define B X(opl(ctx, in, u + 1))
#define C X(opl(ctx, in, u + 2))
    switch (kind) {
    /* ---- splats and lanes ---- */
    case X64V_SPLAT8:
        E(x64_encode_sse_xg(p, X64_SSE_MOVD_XG, D, G(opl(ctx, in, u))));
        splat8_tail(ctx, D);
        break;
    case X64V_SPLAT16:
        E(x64_encode_sse_xg(p, X64_SSE_MOVD_XG, D, G(opl(ctx, in, u))));
        rri(ctx, X64_SSE_PSHUFLW, D, D, 0);
        rri(ctx, X64_SSE_PSHUFD, D, D, 0);
        break;
    case X64V_SPLAT32:
        E(x64_encode_sse_xg(p, X64_SSE_MOVD_XG, D, G(opl(ctx, in, u))));
        rri(ctx, X64_SSE_PSHUFD, D, D, 0);
        break;
    case X64V_SPLAT64:
        E(x64_encode_sse_xg(p, X64_SSE_MOVQ_XG, D, G(opl(ctx, in, u))));
        rr(ctx, X64_SSE_PUNPCKLQDQ, D, D);
        break;
    case X64V_SPLAT_CONST:
        splat_const(ctx, D, (uint64_t)in->imm, cc);
        break;
    case X64V_EXTRACT8_S: case X64V_EXTRACT8_U: case X64V_EXTRACT16_S: case X64V_EXTRACT16_U:
    case X64V_EXTRACT32: case X64V_EXTRACT64:
        emit_extract(ctx, kind, G(dl), A, cc);
        break;
    case X64V_REPLACE8: case X64V_REPLACE16: case X64V_REPLACE32: case X64V_REPLACE64:
    case X64V_REPLACE_F32:
        mov(ctx, D, A);
        emit_replace(ctx, kind, D, opl(ctx, in, u + 1), cc);
        break;

    /* ---- shuffles ---- */
    case X64V_SHUFFLE_PSHUFB: {
        const uint8_t *sel = selectors(ctx, in);
        uint8_t ma[16], mb[16];
        for (unsigned i = 0; i < 16; i++) {
            unsigned s = sel[i] & 31;
            ma[i] = (uint8_t)(s < 16 ? s : 0x80);
            mb[i] = (uint8_t)(s >= 16 ? s - 16 : 0x80);
        }
        mov(ctx, X15, B);
        cop_bytes(ctx, X64_SSE_PSHUFB, X15, mb, -1);
        mov(ctx, D, A);
        cop_bytes(ctx, X64_SSE_PSHUFB, D, ma, -1);
        rr(ctx, X64_SSE_POR, D, X15);
        break;
    }
    case X64V_SHUFFLE1_PSHUFB: {
        const uint8_t *sel = selectors(ctx, in);
        uint8_t m[16];
        for (unsigned i = 0; i < 16; i++)
            m[i] = sel[i] & 15;
        mov(ctx, D, A);
        cop_bytes(ctx, X64_SSE_PSHUFB, D, m, -1);
        break;
    }
    case X64V_SHUFFLE_WORDS: {
        const uint8_t *sel = selectors(ctx, in);
        for (unsigned i = 0; i < 8; i++) {
            unsigned s = (sel[2 * i] & 31) / 2;  // source 16-bit lane 0-15
            E(x64_encode_sse_gxi(p, X64_SSE_PEXTRW, R11, s < 8 ? A : B, (uint8_t)(s & 7)));
            E(x64_encode_sse_xgi(p, X64_SSE_PINSRW, X15, R11, (uint8_t)i));
        }
        mov(ctx, D, X15);
        break;
    }
    case X64V_SHUFFLE_MEM:
        shuffle_mem(ctx, D, A, B, selectors(ctx, in),
                    cg_frame_object_offset(ctx, (uint32_t)in->disp));
        break;
    case X64V_SWIZZLE_PSHUFB:
        mov(ctx, X15, B);
        cop(ctx, X64_SSE_PADDUSB, X15, 0x70, 1);  // indices >= 16 get bit 7: pshufb gives 0
        mov(ctx, D, A);
        rr(ctx, X64_SSE_PSHUFB, D, X15);
        break;
    case X64V_SWIZZLE_MEM:
        swizzle_mem(ctx, D, A, B, cg_frame_object_offset(ctx, (uint32_t)in->disp));
        break;

    /* ---- integer arithmetic ---- */
    case X64V_MUL32:
        /* Odd lanes' products from pmuludq of the shifted-down copies, even lanes' directly;
         * the low halves interleaved back. */
        rri(ctx, X64_SSE_PSHUFD, X15, A, 0xF5);
        rri(ctx, X64_SSE_PSHUFD, T1, B, 0xF5);
        rr(ctx, X64_SSE_PMULUDQ, X15, T1);
        mov(ctx, D, A);
        rr(ctx, X64_SSE_PMULUDQ, D, B);
        rri(ctx, X64_SSE_PSHUFD, D, D, 0x08);
        rri(ctx, X64_SSE_PSHUFD, X15, X15, 0x08);
        rr(ctx, X64_SSE_PUNPCKLDQ, D, X15);
        break;
    case X64V_MUL64:
        /* lo(a)*lo(b) + ((hi(a)*lo(b) + lo(a)*hi(b)) << 32). */
        mov(ctx, X15, A);
        shi(ctx, X64_SSE_PSRLQ_I, X15, 32);
        rr(ctx, X64_SSE_PMULUDQ, X15, B);
        mov(ctx, T1, B);
        shi(ctx, X64_SSE_PSRLQ_I, T1, 32);
        rr(ctx, X64_SSE_PMULUDQ, T1, A);
        rr(ctx, X64_SSE_PADDQ, X15, T1);
        shi(ctx, X64_SSE_PSLLQ_I, X15, 32);
        mov(ctx, D, A);
        rr(ctx, X64_SSE_PMULUDQ, D, B);
        rr(ctx, X64_SSE_PADDQ, D, X15);
        break;
    case X64V_NEG:
        zero(ctx, X15);
        rr(ctx, (X64SseOp)in->imm, X15, A);
        mov(ctx, D, X15);
        break;
    case X64V_ABS8:  // min_u(a, -a): -128 stays 0x80
        zero(ctx, X15);
        rr(ctx, X64_SSE_PSUBB, X15, A);
        rr(ctx, X64_SSE_PMINUB, X15, A);
        mov(ctx, D, X15);
        break;
    case X64V_ABS16:  // max_s(a, -a)
        zero(ctx, X15);
        rr(ctx, X64_SSE_PSUBW, X15, A);
        rr(ctx, X64_SSE_PMAXSW, X15, A);
        mov(ctx, D, X15);
        break;
    case X64V_ABS32:
    case X64V_ABS64:  // (a ^ s) - s with s = the sign mask of the lane
        if (kind == X64V_ABS32) {
            mov(ctx, X15, A);
        } else {
            rri(ctx, X64_SSE_PSHUFD, X15, A, 0xF5);
        }
        shi(ctx, X64_SSE_PSRAD_I, X15, 31);
        mov(ctx, D, A);
        rr(ctx, X64_SSE_PXOR, D, X15);
        rr(ctx, kind == X64V_ABS32 ? X64_SSE_PSUBD : X64_SSE_PSUBQ, D, X15);
        break;
    case X64V_MIN_S:
    case X64V_MAX_S:  // m = (a > b) for min, (b > a) for max; result b where m, else a
        if (kind == X64V_MIN_S) {
            mov(ctx, X15, A);
            rr(ctx, (X64SseOp)in->imm, X15, B);
        } else {
            mov(ctx, X15, B);
            rr(ctx, (X64SseOp)in->imm, X15, A);
        }
        mov(ctx, D, A);
        rr(ctx, X64_SSE_PXOR, D, B);
        rr(ctx, X64_SSE_PAND, D, X15);
        rr(ctx, X64_SSE_PXOR, D, A);
        break;
    case X64V_MIN_U16:  // a - sat(a - b)
        mov(ctx, D, A);
        mov(ctx, X15, D);
        rr(ctx, X64_SSE_PSUBUSW, X15, B);
        rr(ctx, X64_SSE_PSUBW, D, X15);
        break;
    case X64V_MAX_U16:  // sat(a - b) + b
        mov(ctx, D, A);
        rr(ctx, X64_SSE_PSUBUSW, D, B);
        rr(ctx, X64_SSE_PADDW, D, B);
        break;
    case X64V_MIN_U32:
    case X64V_MAX_U32:  // the signed compare of sign-flipped lanes picks b or a
        cop(ctx, X64_SSE_MOVDQA, X15, 0x80000000u, 4);
        mov(ctx, T1, X15);
        rr(ctx, X64_SSE_PXOR, X15, A);
        rr(ctx, X64_SSE_PXOR, T1, B);
        if (kind == X64V_MIN_U32) {
            rr(ctx, X64_SSE_PCMPGTD, X15, T1);  // a > b
        } else {
            rr(ctx, X64_SSE_PCMPGTD, T1, X15);  // b > a
            mov(ctx, X15, T1);
        }
        mov(ctx, D, A);
        rr(ctx, X64_SSE_PXOR, D, B);
        rr(ctx, X64_SSE_PAND, D, X15);
        rr(ctx, X64_SSE_PXOR, D, A);
        break;
    case X64V_POPCNT_PSHUFB: {
        /* Both nibbles looked up in a 16-entry table of bit counts. */
        static const uint8_t lut[16] = {0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4};
        cop(ctx, X64_SSE_MOVDQA, X15, 0x0F, 1);
        mov(ctx, T1, A);
        shi(ctx, X64_SSE_PSRLW_I, T1, 4);
        rr(ctx, X64_SSE_PAND, T1, X15);
        rr(ctx, X64_SSE_PAND, X15, A);
        cop_bytes(ctx, X64_SSE_MOVDQA, D, lut, -1);
        rr(ctx, X64_SSE_PSHUFB, D, X15);
        cop_bytes(ctx, X64_SSE_MOVDQA, X15, lut, -1);
        rr(ctx, X64_SSE_PSHUFB, X15, T1);
        rr(ctx, X64_SSE_PADDB, D, X15);
        break;
    }
    case X64V_POPCNT:  // the SWAR count per byte (Hacker's Delight 5-1)
        mov(ctx, X15, A);
        shi(ctx, X64_SSE_PSRLW_I, X15, 1);
        cop(ctx, X64_SSE_PAND, X15, 0x55, 1);
        mov(ctx, D, A);
        rr(ctx, X64_SSE_PSUBB, D, X15);
        mov(ctx, X15, D);
        shi(ctx, X64_SSE_PSRLW_I, X15, 2);
        cop(ctx, X64_SSE_PAND, X15, 0x33, 1);
        cop(ctx, X64_SSE_PAND, D, 0x33, 1);
        rr(ctx, X64_SSE_PADDB, D, X15);
        mov(ctx, X15, D);
        shi(ctx, X64_SSE_PSRLW_I, X15, 4);
        rr(ctx, X64_SSE_PADDB, D, X15);
        cop(ctx, X64_SSE_PAND, D, 0x0F, 1);
        break;

    /* ---- shifts ---- */
    case X64V_SHL8_I:  // 16-bit shift, then clear the bits that crossed from the lower byte
        mov(ctx, D, A);
        shi(ctx, X64_SSE_PSLLW_I, D, cc);
        cop(ctx, X64_SSE_PAND, D, (0xFFu << cc) & 0xFF, 1);
        break;
    case X64V_SHR_U8_I:
        mov(ctx, D, A);
        shi(ctx, X64_SSE_PSRLW_I, D, cc);
        cop(ctx, X64_SSE_PAND, D, 0xFFu >> cc, 1);
        break;
    case X64V_SHR_S8_I:  // each byte into the high half of a 16-bit lane, shifted by n + 8
        mov(ctx, X15, A);
        rr(ctx, X64_SSE_PUNPCKHBW, X15, X15);
        shi(ctx, X64_SSE_PSRAW_I, X15, cc + 8);
        mov(ctx, D, A);
        rr(ctx, X64_SSE_PUNPCKLBW, D, D);
        shi(ctx, X64_SSE_PSRAW_I, D, cc + 8);
        rr(ctx, X64_SSE_PACKSSWB, D, X15);
        break;
    case X64V_SHIFT8: {
        /* Bytes doubled into 16-bit lanes (b * 0x101), shifted as 16 bits (right shifts by
         * n + 8), the low bytes packed back. */
        X64Gpr cnt = G(opl(ctx, in, u + 1));
        unsigned k = (unsigned)in->imm;  // 0 shl, 1 shr_u, 2 shr_s
        X64SseOp op = k == 0 ? X64_SSE_PSLLW : k == 1 ? X64_SSE_PSRLW : X64_SSE_PSRAW;
        E(x64_encode_mov_rr(p, 4, R11, cnt));
        E(x64_encode_alu_ri(p, X64_ALU_AND, 4, R11, 7));
        if (k)
            E(x64_encode_alu_ri(p, X64_ALU_ADD, 4, R11, 8));
        E(x64_encode_sse_xg(p, X64_SSE_MOVD_XG, X15, R11));
        mov(ctx, T1, A);
        rr(ctx, X64_SSE_PUNPCKHBW, T1, T1);
        rr(ctx, op, T1, X15);
        mov(ctx, D, A);
        rr(ctx, X64_SSE_PUNPCKLBW, D, D);
        rr(ctx, op, D, X15);
        if (k == 0) {
            cop(ctx, X64_SSE_PAND, T1, 0x00FF, 2);
            cop(ctx, X64_SSE_PAND, D, 0x00FF, 2);
        }
        rr(ctx, k == 2 ? X64_SSE_PACKSSWB : X64_SSE_PACKUSWB, D, T1);
        break;
    }
    case X64V_SHIFT: {
        X64Gpr cnt = G(opl(ctx, in, u + 1));
        E(x64_encode_mov_rr(p, 4, R11, cnt));
        E(x64_encode_alu_ri(p, X64_ALU_AND, 4, R11, cc - 1));
        E(x64_encode_sse_xg(p, X64_SSE_MOVD_XG, X15, R11));
        mov(ctx, D, A);
        rr(ctx, (X64SseOp)in->imm, D, X15);
        break;
    }
    case X64V_SHR_S64_I:
    case X64V_SHR_S64: {
        /* ((a ^ s) >>u n) ^ s, s = the lanes' sign masks. */
        X64Xmm cnt = X15;
        if (kind == X64V_SHR_S64) {
            cnt = T1;
            E(x64_encode_mov_rr(p, 4, R11, G(opl(ctx, in, u + 1))));
            E(x64_encode_alu_ri(p, X64_ALU_AND, 4, R11, 63));
            E(x64_encode_sse_xg(p, X64_SSE_MOVD_XG, cnt, R11));
        }
        rri(ctx, X64_SSE_PSHUFD, X15, A, 0xF5);
        shi(ctx, X64_SSE_PSRAD_I, X15, 31);
        mov(ctx, D, A);
        rr(ctx, X64_SSE_PXOR, D, X15);
        if (kind == X64V_SHR_S64)
            rr(ctx, X64_SSE_PSRLQ, D, cnt);
        else
            shi(ctx, X64_SSE_PSRLQ_I, D, cc);
        rr(ctx, X64_SSE_PXOR, D, X15);
        break;
    }

    /* ---- comparisons ---- */
    case X64V_CMP_NOT:
        mov(ctx, D, A);
        rr(ctx, (X64SseOp)in->imm, D, B);
        ones(ctx, X15);
        rr(ctx, X64_SSE_PXOR, D, X15);
        break;
    case X64V_EQ64:  // both 32-bit halves equal
        mov(ctx, D, A);
        rr(ctx, X64_SSE_PCMPEQD, D, B);
        rri(ctx, X64_SSE_PSHUFD, X15, D, 0xB1);
        rr(ctx, X64_SSE_PAND, D, X15);
        if (cc) {
            ones(ctx, X15);
            rr(ctx, X64_SSE_PXOR, D, X15);
        }
        break;
    case X64V_GT64:
        /* hi(a) > hi(b), or hi equal and lo(a) >u lo(b): then the high half of b - a is all
         * ones (the borrow). Computed in the high halves, then broadcast. */
        mov(ctx, X15, B);
        rr(ctx, X64_SSE_PSUBQ, X15, A);
        mov(ctx, T1, A);
        rr(ctx, X64_SSE_PCMPEQD, T1, B);
        rr(ctx, X64_SSE_PAND, X15, T1);
        mov(ctx, T1, A);
        rr(ctx, X64_SSE_PCMPGTD, T1, B);
        rr(ctx, X64_SSE_POR, X15, T1);
        rri(ctx, X64_SSE_PSHUFD, D, X15, 0xF5);
        if (cc) {
            ones(ctx, X15);
            rr(ctx, X64_SSE_PXOR, D, X15);
        }
        break;
    case X64V_CMP_MINMAX:
        mov(ctx, X15, A);
        rr(ctx, (X64SseOp)(in->imm & 0xFFFF), X15, B);
        rr(ctx, (X64SseOp)(in->imm >> 16), X15, A);
        if (cc) {
            ones(ctx, D);
            rr(ctx, X64_SSE_PXOR, D, X15);
        } else {
            mov(ctx, D, X15);
        }
        break;
    case X64V_CMP_FLIP: {
        unsigned bytes = cc & 0x0F;
        uint64_t sign = 1ull << (8 * bytes - 1);
        mov(ctx, D, A);
        cop(ctx, X64_SSE_PXOR, D, sign, bytes);
        cop(ctx, X64_SSE_MOVDQA, X15, sign, bytes);
        rr(ctx, X64_SSE_PXOR, X15, B);
        rr(ctx, (X64SseOp)in->imm, D, X15);
        if (cc & 0x80) {
            ones(ctx, X15);
            rr(ctx, X64_SSE_PXOR, D, X15);
        }
        break;
    }

    /* ---- bitwise ---- */
    case X64V_BITSELECT:  // ((a ^ b) & m) ^ b
        mov(ctx, D, A);
        rr(ctx, X64_SSE_PXOR, D, B);
        rr(ctx, X64_SSE_PAND, D, C);
        rr(ctx, X64_SSE_PXOR, D, B);
        break;
    case X64V_ANY_TRUE: {
        X64Gpr g = G(dl);
        if (s41) {
            E(x64_encode_alu_rr(p, X64_ALU_XOR, 4, g, g));
            rr(ctx, X64_SSE_PTEST, A, A);
            E(x64_encode_setcc(p, X64_CC_NE, g));
        } else {
            zero(ctx, X15);
            rr(ctx, X64_SSE_PCMPEQB, X15, A);
            E(x64_encode_sse_gx(p, X64_SSE_PMOVMSKB, g, X15));
            E(x64_encode_alu_ri(p, X64_ALU_CMP, 4, g, 0xFFFF));
            E(x64_encode_setcc(p, X64_CC_NE, g));
            E(x64_encode_movzx_rr(p, 4, 1, g, g));
        }
        break;
    }
    case X64V_ALL_TRUE: {
        /* Any lane equal to zero makes it false. */
        X64Gpr g = G(dl);
        if (cc == 8 && !s41) {
            rri(ctx, X64_SSE_PSHUFD, X15, A, 0xB1);
            rr(ctx, X64_SSE_POR, X15, A);           // a lane's halves ORed into both
            cop(ctx, X64_SSE_PCMPEQD, X15, 0, 4);
        } else {
            static const X64SseOp eq[9] = {[1] = X64_SSE_PCMPEQB, [2] = X64_SSE_PCMPEQW,
                                           [4] = X64_SSE_PCMPEQD, [8] = X64_SSE_PCMPEQQ};
            zero(ctx, X15);
            rr(ctx, eq[cc], X15, A);
        }
        if (s41) {
            E(x64_encode_alu_rr(p, X64_ALU_XOR, 4, g, g));
            rr(ctx, X64_SSE_PTEST, X15, X15);
            E(x64_encode_setcc(p, X64_CC_E, g));
        } else {
            E(x64_encode_sse_gx(p, X64_SSE_PMOVMSKB, g, X15));
            E(x64_encode_test_rr(p, 4, g, g));
            E(x64_encode_setcc(p, X64_CC_E, g));
            E(x64_encode_movzx_rr(p, 4, 1, g, g));
        }
        break;
    }
    case X64V_BITMASK16: {
        X64Gpr g = G(dl);
        mov(ctx, X15, A);
        rr(ctx, X64_SSE_PACKSSWB, X15, X15);  // signs kept by the saturation
        E(x64_encode_sse_gx(p, X64_SSE_PMOVMSKB, g, X15));
        E(x64_encode_movzx_rr(p, 4, 1, g, g));
        break;
    }
    case X64V_MOVMSK:
        E(x64_encode_sse_gx(p, (X64SseOp)in->imm, G(dl), A));
        break;

    /* ---- narrowing and widening ---- */
    case X64V_NARROW_U32: {
        /* Each source clamped to [0, 65535] and biased by -32768 so that packssdw is exact;
         * the bias comes back off the 16-bit lanes. */
        X64Xmm dst[2] = {D, T1}, src[2] = {A, B};
        for (unsigned i = 0; i < 2; i++) {
            X64Xmm r = dst[i];
            mov(ctx, r, src[i]);
            mov(ctx, X15, r);
            cop(ctx, X64_SSE_PCMPGTD, X15, 0, 4);
            rr(ctx, X64_SSE_PAND, r, X15);            // max(v, 0)
            cop(ctx, X64_SSE_MOVDQA, X15, 0xFFFF, 4);
            rr(ctx, X64_SSE_PCMPGTD, X15, r);         // 65535 > v
            rr(ctx, X64_SSE_PAND, r, X15);
            cop(ctx, X64_SSE_PANDN, X15, 0xFFFF, 4);  // 65535 where v >= 65535
            rr(ctx, X64_SSE_POR, r, X15);
            cop(ctx, X64_SSE_PSUBD, r, 0x8000, 4);
        }
        rr(ctx, X64_SSE_PACKSSDW, D, T1);
        cop(ctx, X64_SSE_PXOR, D, 0x8000, 2);
        break;
    }
    case X64V_EXTEND: {
        unsigned bytes = cc & 0x0F;
        bool hi = cc & 0x10, sgn = cc & 0x20;
        X64SseOp up = bytes == 1 ? (hi ? X64_SSE_PUNPCKHBW : X64_SSE_PUNPCKLBW)
                      : bytes == 2 ? (hi ? X64_SSE_PUNPCKHWD : X64_SSE_PUNPCKLWD)
                                   : (hi ? X64_SSE_PUNPCKHDQ : X64_SSE_PUNPCKLDQ);
        if (!sgn) {
            mov(ctx, D, A);
            cop(ctx, up, D, 0, 8);
        } else if (bytes == 4) {
            mov(ctx, X15, A);
            shi(ctx, X64_SSE_PSRAD_I, X15, 31);
            mov(ctx, D, A);
            rr(ctx, up, D, X15);
        } else {
            mov(ctx, D, A);
            rr(ctx, up, D, D);
            shi(ctx, bytes == 1 ? X64_SSE_PSRAW_I : X64_SSE_PSRAD_I, D, bytes * 8);
        }
        break;
    }
    case X64V_EXTADD_S8_PMADDUBSW:  // 1 (unsigned) * a (signed), pairs added
        cop(ctx, X64_SSE_MOVDQA, D, 0x01, 1);
        rr(ctx, X64_SSE_PMADDUBSW, D, A);
        break;
    case X64V_EXTADD_S8:
        mov(ctx, X15, A);
        shi(ctx, X64_SSE_PSLLW_I, X15, 8);
        shi(ctx, X64_SSE_PSRAW_I, X15, 8);  // even bytes
        mov(ctx, D, A);
        shi(ctx, X64_SSE_PSRAW_I, D, 8);    // odd bytes
        rr(ctx, X64_SSE_PADDW, D, X15);
        break;
    case X64V_EXTADD_U8:
        mov(ctx, D, A);
        mov(ctx, X15, D);
        shi(ctx, X64_SSE_PSRLW_I, X15, 8);
        cop(ctx, X64_SSE_PAND, D, 0x00FF, 2);
        rr(ctx, X64_SSE_PADDW, D, X15);
        break;
    case X64V_EXTADD_U16:  // pmaddwd is signed: bias by -32768, add 2 * 32768 back
        mov(ctx, D, A);
        cop(ctx, X64_SSE_PXOR, D, 0x8000, 2);
        cop(ctx, X64_SSE_PMADDWD, D, 0x0001, 2);
        cop(ctx, X64_SSE_PADDD, D, 0x00010000, 4);
        break;
    case X64V_Q15MULR_PMULHRSW:  // pmulhrsw wraps only -32768 * -32768 to -32768
        mov(ctx, D, A);
        rr(ctx, X64_SSE_PMULHRSW, D, B);
        cop(ctx, X64_SSE_MOVDQA, X15, 0x8000, 2);
        rr(ctx, X64_SSE_PCMPEQW, X15, D);
        rr(ctx, X64_SSE_PXOR, D, X15);
        break;
    case X64V_Q15MULR:  // full 32-bit products, + 0x4000, >> 15, packed with saturation
        mov(ctx, X15, A);
        rr(ctx, X64_SSE_PMULHW, X15, B);
        mov(ctx, T1, A);
        rr(ctx, X64_SSE_PMULLW, T1, B);
        mov(ctx, D, T1);
        rr(ctx, X64_SSE_PUNPCKLWD, D, X15);
        rr(ctx, X64_SSE_PUNPCKHWD, T1, X15);
        cop(ctx, X64_SSE_PADDD, D, 0x4000, 4);
        shi(ctx, X64_SSE_PSRAD_I, D, 15);
        cop(ctx, X64_SSE_PADDD, T1, 0x4000, 4);
        shi(ctx, X64_SSE_PSRAD_I, T1, 15);
        rr(ctx, X64_SSE_PACKSSDW, D, T1);
        break;
    case X64V_EXTMUL8: {
        bool hi = cc & 0x10, sgn = cc & 0x20;
        X64SseOp up = hi ? X64_SSE_PUNPCKHBW : X64_SSE_PUNPCKLBW;
        mov(ctx, X15, B);
        if (sgn) {
            rr(ctx, up, X15, X15);
            shi(ctx, X64_SSE_PSRAW_I, X15, 8);
        } else {
            cop(ctx, up, X15, 0, 8);
        }
        mov(ctx, D, A);
        if (sgn) {
            rr(ctx, up, D, D);
            shi(ctx, X64_SSE_PSRAW_I, D, 8);
        } else {
            cop(ctx, up, D, 0, 8);
        }
        rr(ctx, X64_SSE_PMULLW, D, X15);
        break;
    }
    case X64V_EXTMUL16: {
        bool hi = cc & 0x10, sgn = cc & 0x20;
        mov(ctx, X15, A);
        rr(ctx, sgn ? X64_SSE_PMULHW : X64_SSE_PMULHUW, X15, B);
        mov(ctx, D, A);
        rr(ctx, X64_SSE_PMULLW, D, B);
        rr(ctx, hi ? X64_SSE_PUNPCKHWD : X64_SSE_PUNPCKLWD, D, X15);
        break;
    }
    case X64V_EXTMUL32_U: {
        /* The two source lanes into the even 32-bit lanes, then pmuludq (pmuldq signed). */
        unsigned sel = cc & 0x10 ? 0xFA : 0x50;
        rri(ctx, X64_SSE_PSHUFD, X15, B, sel);
        rri(ctx, X64_SSE_PSHUFD, D, A, sel);
        rr(ctx, cc & 0x20 ? X64_SSE_PMULDQ : X64_SSE_PMULUDQ, D, X15);
        break;
    }
    case X64V_EXTMUL32_S: {
        /* Signed from unsigned: subtract ((a < 0 ? b : 0) + (b < 0 ? a : 0)) << 32. */
        unsigned sel = cc & 0x10 ? 0xFA : 0x50;
        rri(ctx, X64_SSE_PSHUFD, X15, B, sel);
        rri(ctx, X64_SSE_PSHUFD, D, A, sel);
        mov(ctx, T1, D);
        shi(ctx, X64_SSE_PSRAD_I, T1, 31);
        rr(ctx, X64_SSE_PAND, T1, X15);
        mov(ctx, T2, X15);
        shi(ctx, X64_SSE_PSRAD_I, T2, 31);
        rr(ctx, X64_SSE_PAND, T2, D);
        rr(ctx, X64_SSE_PADDD, T1, T2);
        rr(ctx, X64_SSE_PMULUDQ, D, X15);
        shi(ctx, X64_SSE_PSLLQ_I, T1, 32);
        rr(ctx, X64_SSE_PSUBQ, D, T1);
        break;
    }

    /* ---- float ---- */
    case X64V_FMIN:
    case X64V_FMAX:
        emit_fminmax(ctx, D, A, B, cc == 8, kind == X64V_FMAX);
        break;
    case X64V_FROUND:
        emit_fround(ctx, D, T1, A, cc & 0x0F, (cc & 0x80) != 0);
        break;
    case X64V_CVT_F32_U32:  // high and low 16 bits converted exactly, one rounding in the add
        mov(ctx, X15, A);
        shi(ctx, X64_SSE_PSLLD_I, X15, 16);
        shi(ctx, X64_SSE_PSRLD_I, X15, 16);
        rr(ctx, X64_SSE_CVTDQ2PS, X15, X15);
        mov(ctx, D, A);
        shi(ctx, X64_SSE_PSRLD_I, D, 16);
        rr(ctx, X64_SSE_CVTDQ2PS, D, D);
        cop(ctx, X64_SSE_MULPS, D, F32_2P16, 4);
        rr(ctx, X64_SSE_ADDPS, D, X15);
        break;
    case X64V_TRUNC_SAT_F32_S:
        /* NaN lanes to 0; cvttps2dq gives 0x80000000 out of range, which is right below the
         * range and flipped to 0x7FFFFFFF above it. */
        mov(ctx, X15, A);
        rri(ctx, X64_SSE_CMPPS, X15, X15, X64_CMP_EQ);
        rr(ctx, X64_SSE_ANDPS, X15, A);
        cop(ctx, X64_SSE_MOVAPS, D, F32_2P31, 4);
        rri(ctx, X64_SSE_CMPPS, D, X15, X64_CMP_LE);  // 2^31 <= x
        rr(ctx, X64_SSE_CVTTPS2DQ, X15, X15);
        rr(ctx, X64_SSE_PXOR, D, X15);
        break;
    case X64V_TRUNC_SAT_F32_U:
        /* x = max(a, 0) (NaN -> 0). lo = cvtt(x) is right below 2^31 (0x80000000 above);
         * hi = cvtt(x - 2^31) is the rest for x in [2^31, 2^32), negative below; lanes at
         * or above 2^32 become all ones. */
        mov(ctx, X15, A);
        cop(ctx, X64_SSE_MAXPS, X15, 0, 4);
        mov(ctx, D, X15);
        cop(ctx, X64_SSE_SUBPS, D, F32_2P31, 4);
        cop(ctx, X64_SSE_MOVAPS, T1, F32_2P32, 4);
        rri(ctx, X64_SSE_CMPPS, T1, X15, X64_CMP_LE);  // 2^32 <= x
        rr(ctx, X64_SSE_CVTTPS2DQ, X15, X15);
        rr(ctx, X64_SSE_CVTTPS2DQ, D, D);
        rr(ctx, X64_SSE_POR, X15, T1);
        mov(ctx, T1, D);
        shi(ctx, X64_SSE_PSRAD_I, T1, 31);
        rr(ctx, X64_SSE_PANDN, T1, D);                 // hi, or 0 where negative
        rr(ctx, X64_SSE_PADDD, X15, T1);
        mov(ctx, D, X15);
        break;
    case X64V_TRUNC_SAT_F64_S:  // NaN -> 0, clamped above; cvttpd2dq zeroes the upper lanes
        mov(ctx, X15, A);
        rri(ctx, X64_SSE_CMPPD, X15, X15, X64_CMP_EQ);
        rr(ctx, X64_SSE_ANDPD, X15, A);
        cop(ctx, X64_SSE_MINPD, X15, F64_I32_MAX, 8);
        rr(ctx, X64_SSE_CVTTPD2DQ, D, X15);
        break;
    case X64V_TRUNC_SAT_F64_U:
        /* Clamped to [0, 2^32 - 1] (NaN -> 0), truncated, + 2^52: the low 32 bits of each
         * double are the integer. */
        mov(ctx, X15, A);
        cop(ctx, X64_SSE_MAXPD, X15, 0, 8);
        cop(ctx, X64_SSE_MINPD, X15, F64_U32_MAX, 8);
        if (s41) {
            rri(ctx, X64_SSE_ROUNDPD, X15, X15, 0xB);
            cop(ctx, X64_SSE_ADDPD, X15, F64_2P52, 8);
        } else {
            /* Rounded to nearest by the addition; one less where that went up. */
            mov(ctx, T1, X15);
            cop(ctx, X64_SSE_ADDPD, T1, F64_2P52, 8);
            mov(ctx, D, T1);
            cop(ctx, X64_SSE_SUBPD, D, F64_2P52, 8);
            rri(ctx, X64_SSE_CMPPD, X15, D, X64_CMP_LT);
            rr(ctx, X64_SSE_PADDQ, T1, X15);
            mov(ctx, X15, T1);
        }
        rri(ctx, X64_SSE_PSHUFD, X15, X15, 0x08);
        rr(ctx, X64_SSE_MOVQ, D, X15);
        break;
    case X64V_CVT_F64_U32:  // 2^52 + u as doubles, minus 2^52
        mov(ctx, D, A);
        cop(ctx, X64_SSE_UNPCKLPS, D, 0x43300000u, 4);
        cop(ctx, X64_SSE_SUBPD, D, F64_2P52, 8);
        break;
    default:
        sk_unreachable();
    }
#undef D
#undef T1
#undef T2
#undef A
#undef B
#undef C
}

/* ---- memory ------------------------------------------------------------------------------- */

static void
emit_vload(CgCtx *ctx, const CgInst *in)
{
    X64Xmm d = X(opl(ctx, in, 0));
    X64Mem m = inst_mem(ctx, in, 1);
    unsigned lane = in->x;
    bool s41 = has(ctx, RT_CPU_X64_SSE41);
    X64VMem kind = (X64VMem)in->cc;
    if (kind >= X64VM_LANE8)
        mov(ctx, d, X(opl(ctx, in, in->nops - 1u)));
    switch (kind) {
    case X64VM_LOAD8X8_S: case X64VM_LOAD8X8_U: case X64VM_LOAD16X4_S: case X64VM_LOAD16X4_U:
    case X64VM_LOAD32X2_S: case X64VM_LOAD32X2_U: {
        static const X64SseOp pmov[] = {
            [X64VM_LOAD8X8_S] = X64_SSE_PMOVSXBW, [X64VM_LOAD8X8_U] = X64_SSE_PMOVZXBW,
            [X64VM_LOAD16X4_S] = X64_SSE_PMOVSXWD, [X64VM_LOAD16X4_U] = X64_SSE_PMOVZXWD,
            [X64VM_LOAD32X2_S] = X64_SSE_PMOVSXDQ, [X64VM_LOAD32X2_U] = X64_SSE_PMOVZXDQ,
        };
        mem_trap(ctx, in);
        if (s41) {
            E(x64_encode_sse_rm(p, pmov[kind], d, m));
            break;
        }
        E(x64_encode_sse_rm(p, X64_SSE_MOVQ, d, m));
        bool sgn = kind == X64VM_LOAD8X8_S || kind == X64VM_LOAD16X4_S || kind == X64VM_LOAD32X2_S;
        unsigned bytes = kind <= X64VM_LOAD8X8_U ? 1 : kind <= X64VM_LOAD16X4_U ? 2 : 4;
        X64SseOp up = bytes == 1 ? X64_SSE_PUNPCKLBW : bytes == 2 ? X64_SSE_PUNPCKLWD
                                                                   : X64_SSE_PUNPCKLDQ;
        if (!sgn) {
            cop(ctx, up, d, 0, 8);
        } else if (bytes == 4) {
            mov(ctx, X15, d);
            shi(ctx, X64_SSE_PSRAD_I, X15, 31);
            rr(ctx, up, d, X15);
        } else {
            rr(ctx, up, d, d);
            shi(ctx, bytes == 1 ? X64_SSE_PSRAW_I : X64_SSE_PSRAD_I, d, bytes * 8);
        }
        break;
    }
    case X64VM_SPLAT8:
        mem_trap(ctx, in);
        E(x64_encode_movzx_rm(p, 4, 1, R11, m));
        E(x64_encode_sse_xg(p, X64_SSE_MOVD_XG, d, R11));
        splat8_tail(ctx, d);
        break;
    case X64VM_SPLAT16:
        mem_trap(ctx, in);
        E(x64_encode_movzx_rm(p, 4, 2, R11, m));
        E(x64_encode_sse_xg(p, X64_SSE_MOVD_XG, d, R11));
        rri(ctx, X64_SSE_PSHUFLW, d, d, 0);
        rri(ctx, X64_SSE_PSHUFD, d, d, 0);
        break;
    case X64VM_SPLAT32:
        mem_trap(ctx, in);
        E(x64_encode_sse_rm(p, X64_SSE_MOVSS, d, m));
        rri(ctx, X64_SSE_PSHUFD, d, d, 0);
        break;
    case X64VM_SPLAT64:
        mem_trap(ctx, in);
        if (has(ctx, RT_CPU_X64_SSE3)) {
            E(x64_encode_sse_rm(p, X64_SSE_MOVDDUP, d, m));
        } else {
            E(x64_encode_sse_rm(p, X64_SSE_MOVQ, d, m));
            rr(ctx, X64_SSE_PUNPCKLQDQ, d, d);
        }
        break;
    case X64VM_ZERO32:
        mem_trap(ctx, in);
        E(x64_encode_sse_rm(p, X64_SSE_MOVSS, d, m));
        break;
    case X64VM_ZERO64:
        mem_trap(ctx, in);
        E(x64_encode_sse_rm(p, X64_SSE_MOVQ, d, m));
        break;
    case X64VM_LANE8:
        if (s41) {
            mem_trap(ctx, in);
            E(x64_encode_sse_rmi(p, X64_SSE_PINSRB, d, m, (uint8_t)lane));
            break;
        }
        E(x64_encode_sse_gxi(p, X64_SSE_PEXTRW, R11, d, (uint8_t)(lane / 2)));
        if (lane & 1)
            E(x64_encode_shift_ri(p, X64_SHIFT_ROL, 2, R11, 8));
        mem_trap(ctx, in);
        E(x64_encode_mov_rm(p, 1, R11, m));
        if (lane & 1)
            E(x64_encode_shift_ri(p, X64_SHIFT_ROL, 2, R11, 8));
        E(x64_encode_sse_xgi(p, X64_SSE_PINSRW, d, R11, (uint8_t)(lane / 2)));
        break;
    case X64VM_LANE16:
        mem_trap(ctx, in);
        E(x64_encode_sse_rmi(p, X64_SSE_PINSRW, d, m, (uint8_t)lane));
        break;
    case X64VM_LANE32:
        mem_trap(ctx, in);
        if (s41) {
            E(x64_encode_sse_rmi(p, X64_SSE_PINSRD, d, m, (uint8_t)lane));
            break;
        }
        E(x64_encode_mov_rm(p, 4, R11, m));
        E(x64_encode_sse_xgi(p, X64_SSE_PINSRW, d, R11, (uint8_t)(2 * lane)));
        E(x64_encode_shift_ri(p, X64_SHIFT_SHR, 4, R11, 16));
        E(x64_encode_sse_xgi(p, X64_SSE_PINSRW, d, R11, (uint8_t)(2 * lane + 1)));
        break;
    case X64VM_LANE64:
        mem_trap(ctx, in);
        E(x64_encode_sse_rm(p, lane ? X64_SSE_MOVHPD : X64_SSE_MOVLPD, d, m));
        break;
    default:
        sk_unreachable();
    }
}

static void
emit_vstore(CgCtx *ctx, const CgInst *in)
{
    X64Mem m = inst_mem(ctx, in, 0);
    X64Xmm v = X(opl(ctx, in, in->nops - 1u));
    unsigned lane = in->x;
    bool s41 = has(ctx, RT_CPU_X64_SSE41);
    switch ((X64VMem)in->cc) {
    case X64VM_LANE8:
        if (s41) {
            mem_trap(ctx, in);
            E(x64_encode_sse_mri(p, X64_SSE_PEXTRB, m, v, (uint8_t)lane));
            break;
        }
        E(x64_encode_sse_gxi(p, X64_SSE_PEXTRW, R11, v, (uint8_t)(lane / 2)));
        if (lane & 1)
            E(x64_encode_shift_ri(p, X64_SHIFT_SHR, 4, R11, 8));
        mem_trap(ctx, in);
        E(x64_encode_mov_mr(p, 1, m, R11));
        break;
    case X64VM_LANE16:
        if (s41) {
            mem_trap(ctx, in);
            E(x64_encode_sse_mri(p, X64_SSE_PEXTRW_MEM, m, v, (uint8_t)lane));
            break;
        }
        E(x64_encode_sse_gxi(p, X64_SSE_PEXTRW, R11, v, (uint8_t)lane));
        mem_trap(ctx, in);
        E(x64_encode_mov_mr(p, 2, m, R11));
        break;
    case X64VM_LANE32:
        if (lane == 0) {
            mem_trap(ctx, in);
            E(x64_encode_sse_mr(p, X64_SSE_MOVSS, m, v));
        } else if (s41) {
            mem_trap(ctx, in);
            E(x64_encode_sse_mri(p, X64_SSE_PEXTRD, m, v, (uint8_t)lane));
        } else {
            rri(ctx, X64_SSE_PSHUFD, X15, v, lane);
            mem_trap(ctx, in);
            E(x64_encode_sse_mr(p, X64_SSE_MOVSS, m, X15));
        }
        break;
    case X64VM_LANE64:
        mem_trap(ctx, in);
        E(x64_encode_sse_mr(p, lane ? X64_SSE_MOVHPD : X64_SSE_MOVLPD, m, v));
        break;
    default:
        sk_unreachable();
    }
}

/* ---- the dispatcher ----------------------------------------------------------------------- */

void
x64_emit_simd(CgCtx *ctx, const CgInst *in)
{
    switch (in->op) {
    case X64I_VOP:
        emit_vop(ctx, in);
        break;
    case X64I_VUN:
        emit_vun(ctx, in);
        break;
    case X64I_VCOP: {
        X64Xmm d = X(opl(ctx, in, 0));
        mov(ctx, d, X(opl(ctx, in, 1)));
        cop(ctx, (X64SseOp)in->y, d, (uint64_t)in->imm, in->cc);
        break;
    }
    case X64I_VSEQ:
        emit_vseq(ctx, in);
        break;
    case X64I_VLOAD:
        emit_vload(ctx, in);
        break;
    case X64I_VSTORE:
        emit_vstore(ctx, in);
        break;
    default:
        sk_unreachable();
    }
}
