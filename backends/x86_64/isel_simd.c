/*
 * x86_64 instruction selection for SIMD128 (the IR_OP_SIMD rows of ir/ops.def): isel.c hands
 * every SIMD operation to x64_isel_simd, which builds MIR through isel.c's services (use, def,
 * wasm addresses; regs.h). v128 values live in XMM registers like floats.
 *
 * Choices follow the compile target's CPU features (CgOptions.cpu_features): the baseline is
 * SSE2, and SSSE3 (pshufb, pabs*, pmaddubsw, pmulhrsw, palignr), SSE4.1 (pmovsx/zx, pmin/pmax
 * of the other lane types, pmulld, pcmpeqq, packusdw, ptest, roundps, pinsr/pextr of every
 * width) and SSE4.2 (pcmpgtq) are used when present. An operation that is one instruction
 * becomes X64I_VOP (two-address), X64I_VUN (one source) or X64I_VCOP (with a constant);
 * anything longer is an X64I_VSEQ sequence that emit_simd.c expands (simd.h lists them with
 * their operand modes). Constant operands are folded where it pays: shift counts become
 * immediates, a v128 constant second operand becomes a memory operand, splats of constants
 * become constants, and shuffles are matched against the single instructions that do them
 * (pshufd, shufps, the unpacks, palignr) before the general pshufb or SSE2 sequences.
 */
#include "backends/x86_64/simd.h"

/* The selector's view of one operation. */
typedef struct Sel {
    X64Isel *s;
    CgCtx *ctx;
    const IrFunc *f;
    const IrInstData *d;
    uint32_t id;
    uint64_t feat;
} Sel;

#define HAS_SSSE3(S) (((S)->feat & RT_CPU_X64_SSSE3) != 0)
#define HAS_SSE41(S) (((S)->feat & RT_CPU_X64_SSE41) != 0)
#define HAS_SSE42(S) (((S)->feat & RT_CPU_X64_SSE42) != 0)

bool
x64_ir_op_is_simd(uint16_t op)
{
    return op >= IR_OP_V128_LOAD8X8_S && op < IR_OP_COUNT;
}

/* ---- building blocks ----------------------------------------------------------------------- */

static CgReg
U(Sel *S, uint32_t v)
{
    return x64_isel_use(S->s, v);
}

static CgReg
DST(Sel *S)
{
    return x64_isel_def(S->s, S->id);
}

static const IrInstData *
irv(const Sel *S, uint32_t v)
{
    return &S->f->insts.data[v];
}

static bool
is_vconst(const Sel *S, uint32_t v)
{
    return irv(S, v)->op == IR_OP_VCONST;
}

/* Appends `op` with operands o[0..n); NULL after out-of-memory (reported by the core). */
static CgInst *
mk(Sel *S, uint16_t op, const CgOperand *o, uint32_t n)
{
    CgInst *in = cg_inst_new(S->ctx, op, n);
    if (!in || S->ctx->arena.failed || in->nops != n)
        return NULL;
    memcpy(cg_func_opnds(&S->ctx->func, in), o, n * sizeof(CgOperand));
    return in;
}

/*
 * One two-address instruction: d = a op b (X64I_VOP). A v128 constant b (or a, when the op
 * is commutative) becomes a memory operand from the constant pool. With `imm8` >= 0 the
 * instruction takes that immediate.
 */
static bool
vop2(Sel *S, X64SseOp op, uint32_t a, uint32_t b, bool comm, int imm8)
{
    if (comm && is_vconst(S, a) && !is_vconst(S, b)) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    uint8_t cc = (uint8_t)((comm ? X64_VOP_COMM : 0) | (imm8 >= 0 ? X64_VOP_IMM : 0));
    int64_t imm = imm8 >= 0 ? imm8 : 0;
    CgReg ra = U(S, a);
    CgInst *in;
    if (is_vconst(S, b) && a != b) {
        CgOperand o[2] = {CG_DEF(DST(S)) | CG_OPF_HINT, CG_USE(ra) | CG_OPF_HINT};
        in = mk(S, X64I_VOP, o, 2);
        cc |= X64_VOP_CONST;
        imm |= (int64_t)irv(S, b)->imm << 8;
    } else {
        CgReg rb = U(S, b);
        CgOperand o[3] = {CG_DEF(DST(S)) | CG_OPF_HINT, CG_USE(ra) | CG_OPF_HINT,
                          CG_USE(rb) | (comm ? 0 : CG_OPF_LATE)};
        in = mk(S, X64I_VOP, o, 3);
    }
    if (!in)
        return false;
    in->y = (uint16_t)op;
    in->cc = cc;
    in->imm = imm;
    return true;
}

static bool
vop(Sel *S, X64SseOp op, bool comm)
{
    return vop2(S, op, S->d->a[0], S->d->a[1], comm, -1);
}

/* d = a shifted by an immediate (the SHI forms: psllw xmm, imm8 ...). */
static bool
vshift_imm(Sel *S, X64SseOp op, uint32_t a, unsigned count)
{
    CgReg ra = U(S, a);
    CgOperand o[2] = {CG_DEF(DST(S)) | CG_OPF_HINT, CG_USE(ra) | CG_OPF_HINT};
    CgInst *in = mk(S, X64I_VOP, o, 2);
    if (!in)
        return false;
    in->y = (uint16_t)op;
    in->cc = X64_VOP_IMM;
    in->imm = count;
    return true;
}

/* One-source instruction: d = op a [, imm8] (X64I_VUN). */
static bool
vun(Sel *S, X64SseOp op, uint32_t a, int imm8)
{
    CgReg ra = U(S, a);
    CgOperand o[2] = {CG_DEF(DST(S)), CG_USE(ra)};
    CgInst *in = mk(S, X64I_VUN, o, 2);
    if (!in)
        return false;
    in->y = (uint16_t)op;
    in->x = imm8 >= 0;
    in->imm = imm8 >= 0 ? imm8 : 0;
    return true;
}

/* d = a op [pattern of `bytes` bytes, repeated] (X64I_VCOP). */
static bool
vcop(Sel *S, X64SseOp op, uint32_t a, uint64_t pattern, unsigned bytes)
{
    CgReg ra = U(S, a);
    CgOperand o[2] = {CG_DEF(DST(S)) | CG_OPF_HINT, CG_USE(ra) | CG_OPF_HINT};
    CgInst *in = mk(S, X64I_VCOP, o, 2);
    if (!in)
        return false;
    in->y = (uint16_t)op;
    in->cc = (uint8_t)bytes;
    in->imm = (int64_t)pattern;
    return true;
}

/* Sequence operand modes (simd.h). */
typedef enum Mode { TIED, FREE, LATE } Mode;

/*
 * A sequence `kind` with `ntemps` v128 temporaries and the IR operands vals[0..n) (their
 * registers in order). Returns the instruction so that the caller can set cc, imm, disp.
 */
static CgInst *
vseq(Sel *S, X64VSeq kind, Mode mode, uint32_t ntemps, const uint32_t *vals, uint32_t n)
{
    SK_ASSERT(n <= 3 && ntemps <= 2 && (ntemps == 0 || mode == LATE));
    CgReg r[3];
    for (uint32_t i = 0; i < n; i++)
        r[i] = U(S, vals[i]);
    CgOperand o[6];
    uint32_t k = 0;
    o[k++] = CG_DEF(DST(S)) | (mode == TIED ? CG_OPF_HINT : 0);
    for (uint32_t i = 0; i < ntemps; i++)
        o[k++] = CG_DEF(cg_vreg_new(S->ctx, CG_TYPE_V128));
    for (uint32_t i = 0; i < n; i++) {
        CgOperand f = 0;
        if (mode == LATE || (mode == TIED && i > 0))
            f = CG_OPF_LATE;
        else if (mode == TIED)
            f = CG_OPF_HINT;
        o[k++] = CG_USE(r[i]) | f;
    }
    CgInst *in = mk(S, X64I_VSEQ, o, k);
    if (!in)
        return NULL;
    in->y = (uint16_t)kind;
    in->x = (uint8_t)ntemps;
    return in;
}

/* A sequence on the operation's own operands (1, 2 or 3 of them, in IR order). */
static bool
seq(Sel *S, X64VSeq kind, Mode mode, uint32_t ntemps, uint8_t cc, int64_t imm)
{
    uint32_t n = ir_op_info[S->d->op].nargs;
    CgInst *in = vseq(S, kind, mode, ntemps, S->d->a, n);
    if (!in)
        return false;
    in->cc = cc;
    in->imm = imm;
    return true;
}

/* The same with the two operands swapped (b, a). */
static bool
seq_swapped(Sel *S, X64VSeq kind, Mode mode, uint32_t ntemps, uint8_t cc, int64_t imm)
{
    uint32_t v[2] = {S->d->a[1], S->d->a[0]};
    CgInst *in = vseq(S, kind, mode, ntemps, v, 2);
    if (!in)
        return false;
    in->cc = cc;
    in->imm = imm;
    return true;
}

/* d = a (a v128 copy). */
static bool
copy_of(Sel *S, uint32_t v)
{
    CgReg d = DST(S), a = U(S, v);
    cg_pcopy(S->ctx, &d, &a, 1);
    return !S->ctx->arena.failed;
}

/* ---- splats and lanes ----------------------------------------------------------------------- */

static bool
sel_splat(Sel *S, unsigned bytes, bool flt)
{
    const IrInstData *ad = irv(S, S->d->a[0]);
    if (ad->op == IR_OP_ICONST || ad->op == IR_OP_FCONST) {
        CgOperand o[1] = {CG_DEF(DST(S))};
        CgInst *in = mk(S, X64I_VSEQ, o, 1);
        if (!in)
            return false;
        in->y = X64V_SPLAT_CONST;
        in->cc = (uint8_t)bytes;
        in->imm = (int64_t)ad->imm;
        return true;
    }
    if (flt)
        return vun(S, X64_SSE_PSHUFD, S->d->a[0], bytes == 4 ? 0x00 : 0x44);
    static const uint8_t kinds[9] = {[1] = X64V_SPLAT8, [2] = X64V_SPLAT16, [4] = X64V_SPLAT32,
                                     [8] = X64V_SPLAT64};
    return seq(S, (X64VSeq)kinds[bytes], FREE, 0, 0, 0);
}

static bool
sel_extract(Sel *S, X64VSeq kind)
{
    return seq(S, kind, FREE, 0, (uint8_t)S->d->imm, 0);
}

static bool
sel_replace(Sel *S, X64VSeq kind)
{
    return seq(S, kind, TIED, 0, (uint8_t)S->d->imm, 0);
}

/* ---- shuffles ------------------------------------------------------------------------------- */

/* True if sel[] equals the byte pattern of an unpack of two sources: `lo`/high half, lane
 * `bytes`; `first` = 0 when a's lanes come first, 16 when b's do. */
static bool
is_unpack(const uint8_t *sel, unsigned bytes, bool hi, unsigned first)
{
    unsigned base = hi ? 8 : 0;
    for (unsigned i = 0; i < 16; i++) {
        unsigned lane = i / bytes, byte = i % bytes;
        unsigned src = (lane & 1) ? 16 - first : first;  // alternate sources
        unsigned want = src + base + (lane / 2) * bytes + byte;
        if (sel[i] != want)
            return false;
    }
    return true;
}

static bool
sel_shuffle(Sel *S)
{
    const IrInstData *d = S->d;
    const uint8_t *raw = S->f->v128s.data[d->imm].b;
    uint8_t sel[16];
    uint32_t a = d->a[0], b = d->a[1];
    bool any_a = false, any_b = false;
    for (unsigned i = 0; i < 16; i++) {
        sel[i] = (uint8_t)(a == b ? raw[i] & 15 : raw[i] & 31);
        if (sel[i] < 16)
            any_a = true;
        else
            any_b = true;
    }
    /* One source: src with selectors 0-15. */
    uint32_t src = any_b && !any_a ? b : a;
    bool single = !(any_a && any_b);
    if (single)
        for (unsigned i = 0; i < 16; i++)
            sel[i] &= 15;

    bool identity = true;
    for (unsigned i = 0; i < 16; i++)
        identity &= sel[i] == i;
    if (single && identity)
        return copy_of(S, src);

    /* Whole 32-bit lanes? */
    bool dwords = true;
    uint8_t dw[4];
    for (unsigned i = 0; i < 4 && dwords; i++) {
        dw[i] = sel[4 * i];
        dwords = (dw[i] & 3) == 0;
        for (unsigned k = 1; k < 4 && dwords; k++)
            dwords = sel[4 * i + k] == dw[i] + k;
        dw[i] /= 4;
    }
    if (dwords && single)
        return vun(S, X64_SSE_PSHUFD, src, dw[0] | dw[1] << 2 | dw[2] << 4 | dw[3] << 6);

    /* Interleaving patterns: the unpacks, in either operand order. */
    static const X64SseOp unpack_lo[9] = {[1] = X64_SSE_PUNPCKLBW, [2] = X64_SSE_PUNPCKLWD,
                                          [4] = X64_SSE_PUNPCKLDQ, [8] = X64_SSE_PUNPCKLQDQ};
    static const X64SseOp unpack_hi[9] = {[1] = X64_SSE_PUNPCKHBW, [2] = X64_SSE_PUNPCKHWD,
                                          [4] = X64_SSE_PUNPCKHDQ, [8] = X64_SSE_PUNPCKHQDQ};
    if (!single) {
        for (unsigned bytes = 1; bytes <= 8; bytes *= 2) {
            for (unsigned hi = 0; hi < 2; hi++) {
                X64SseOp op = hi ? unpack_hi[bytes] : unpack_lo[bytes];
                if (is_unpack(sel, bytes, hi, 0))
                    return vop2(S, op, a, b, false, -1);
                if (is_unpack(sel, bytes, hi, 16))
                    return vop2(S, op, b, a, false, -1);
            }
        }
        /* shufps: the low two lanes from one source, the high two from the other. */
        if (dwords && (dw[0] < 4) == (dw[1] < 4) && (dw[2] < 4) == (dw[3] < 4) &&
            (dw[0] < 4) != (dw[2] < 4)) {
            uint32_t lo = dw[0] < 4 ? a : b, hi = dw[0] < 4 ? b : a;
            int imm = (dw[0] & 3) | (dw[1] & 3) << 2 | (dw[2] & 3) << 4 | (dw[3] & 3) << 6;
            return vop2(S, X64_SSE_SHUFPS, lo, hi, false, imm);
        }
    }

    /* A byte rotation of a:b (or b:a, or of one source): palignr. */
    if (HAS_SSSE3(S)) {
        unsigned s0 = sel[0], mod = single ? 16 : 32;
        bool rot = true;
        for (unsigned i = 1; i < 16 && rot; i++)
            rot = sel[i] == (s0 + i) % mod;
        if (rot && single)
            return vop2(S, X64_SSE_PALIGNR, src, src, false, (int)s0);
        if (rot && s0 < 16)
            return vop2(S, X64_SSE_PALIGNR, b, a, false, (int)s0);  // (b:a) >> s0 bytes
        if (rot)
            return vop2(S, X64_SSE_PALIGNR, a, b, false, (int)(s0 - 16));
        if (single) {
            uint32_t v[1] = {src};
            CgInst *in = vseq(S, X64V_SHUFFLE1_PSHUFB, TIED, 0, v, 1);
            if (!in)
                return false;
            in->imm = (int64_t)d->imm;
            in->cc = a == b;  // the selectors are taken modulo 16 by the emitter anyway
            return true;
        }
        return seq(S, X64V_SHUFFLE_PSHUFB, TIED, 0, 0, (int64_t)d->imm);
    }

    /* SSE2: whole 16-bit lanes move with pextrw/pinsrw, anything else through memory. */
    bool words = true;
    for (unsigned i = 0; i < 16 && words; i += 2)
        words = (sel[i] & 1) == 0 && sel[i + 1] == sel[i] + 1;
    if (words && single) {
        /* Within each half, pshuflw + pshufhw. */
        bool halves = true;
        for (unsigned i = 0; i < 8 && halves; i++)
            halves = (sel[2 * i] / 8) == (i / 4);
        if (halves) {
            int lo = 0, hi = 0;
            for (unsigned i = 0; i < 4; i++) {
                lo |= (sel[2 * i] / 2 & 3) << (2 * i);
                hi |= (sel[2 * (i + 4)] / 2 & 3) << (2 * i);
            }
            CgReg t = cg_vreg_new(S->ctx, CG_TYPE_V128);
            CgReg rs = U(S, src);
            CgOperand o[2] = {CG_DEF(t), CG_USE(rs)};
            CgInst *in = mk(S, X64I_VUN, o, 2);
            if (!in)
                return false;
            in->y = X64_SSE_PSHUFLW;
            in->x = 1;
            in->imm = lo;
            o[0] = CG_DEF(DST(S));
            o[1] = CG_USE(t);
            in = mk(S, X64I_VUN, o, 2);
            if (!in)
                return false;
            in->y = X64_SSE_PSHUFHW;
            in->x = 1;
            in->imm = hi;
            return true;
        }
    }
    uint32_t v[2] = {a, single ? a : b};
    if (single && src == b)
        v[0] = v[1] = b;
    CgInst *in = vseq(S, words ? X64V_SHUFFLE_WORDS : X64V_SHUFFLE_MEM, FREE, 0, v, 2);
    if (!in)
        return false;
    /* The emitter reads the selectors; a single source b is stored in both halves, so the
     * original selectors (16-31) still address it. */
    in->imm = (int64_t)d->imm;
    in->cc = a == b;
    if (!words)
        in->disp = (int32_t)cg_frame_object(S->ctx, X64_SIMD_FRAME_BYTES, 16);
    return true;
}

static bool
sel_swizzle(Sel *S)
{
    if (HAS_SSSE3(S))
        return seq(S, X64V_SWIZZLE_PSHUFB, TIED, 0, 0, 0);
    CgInst *in = vseq(S, X64V_SWIZZLE_MEM, FREE, 0, S->d->a, 2);
    if (!in)
        return false;
    in->disp = (int32_t)cg_frame_object(S->ctx, X64_SIMD_FRAME_BYTES, 16);
    return true;
}

/* ---- shifts --------------------------------------------------------------------------------- */

typedef enum ShiftKind { SH_SHL, SH_SHR_U, SH_SHR_S } ShiftKind;

static bool
sel_shift(Sel *S, unsigned bytes, ShiftKind k)
{
    static const X64SseOp imm_ops[3][9] = {
        [SH_SHL] = {[2] = X64_SSE_PSLLW_I, [4] = X64_SSE_PSLLD_I, [8] = X64_SSE_PSLLQ_I},
        [SH_SHR_U] = {[2] = X64_SSE_PSRLW_I, [4] = X64_SSE_PSRLD_I, [8] = X64_SSE_PSRLQ_I},
        [SH_SHR_S] = {[2] = X64_SSE_PSRAW_I, [4] = X64_SSE_PSRAD_I},
    };
    static const X64SseOp reg_ops[3][9] = {
        [SH_SHL] = {[2] = X64_SSE_PSLLW, [4] = X64_SSE_PSLLD, [8] = X64_SSE_PSLLQ},
        [SH_SHR_U] = {[2] = X64_SSE_PSRLW, [4] = X64_SSE_PSRLD, [8] = X64_SSE_PSRLQ},
        [SH_SHR_S] = {[2] = X64_SSE_PSRAW, [4] = X64_SSE_PSRAD},
    };
    const IrInstData *d = S->d;
    unsigned bits = bytes * 8;
    const IrInstData *cd = irv(S, d->a[1]);
    if (cd->op == IR_OP_ICONST) {
        unsigned n = (unsigned)(cd->imm & (bits - 1));
        if (n == 0)
            return copy_of(S, d->a[0]);
        if (bytes == 1) {
            X64VSeq kind = k == SH_SHL     ? X64V_SHL8_I
                           : k == SH_SHR_U ? X64V_SHR_U8_I
                                           : X64V_SHR_S8_I;
            uint32_t v[1] = {d->a[0]};
            CgInst *in = vseq(S, kind, k == SH_SHR_S ? FREE : TIED, 0, v, 1);
            if (!in)
                return false;
            in->cc = (uint8_t)n;
            return true;
        }
        if (bytes == 8 && k == SH_SHR_S) {
            uint32_t v[1] = {d->a[0]};
            CgInst *in = vseq(S, X64V_SHR_S64_I, FREE, 0, v, 1);
            if (!in)
                return false;
            in->cc = (uint8_t)n;
            return true;
        }
        return vshift_imm(S, imm_ops[k][bytes], d->a[0], n);
    }
    if (bytes == 1)
        return seq(S, X64V_SHIFT8, LATE, 1, 0, k);
    if (bytes == 8 && k == SH_SHR_S)
        return seq(S, X64V_SHR_S64, LATE, 1, 0, 0);
    return seq(S, X64V_SHIFT, TIED, 0, (uint8_t)bits, reg_ops[k][bytes]);
}

/* ---- comparisons ---------------------------------------------------------------------------- */

typedef enum Cond {
    C_EQ, C_NE, C_LT_S, C_LT_U, C_GT_S, C_GT_U, C_LE_S, C_LE_U, C_GE_S, C_GE_U
} Cond;

/* Integer lane comparison at lane width `bytes`. */
static bool
sel_icmp(Sel *S, unsigned bytes, Cond c)
{
    static const X64SseOp eq_ops[9] = {[1] = X64_SSE_PCMPEQB, [2] = X64_SSE_PCMPEQW,
                                       [4] = X64_SSE_PCMPEQD, [8] = X64_SSE_PCMPEQQ};
    static const X64SseOp gt_ops[9] = {[1] = X64_SSE_PCMPGTB, [2] = X64_SSE_PCMPGTW,
                                       [4] = X64_SSE_PCMPGTD, [8] = X64_SSE_PCMPGTQ};
    static const X64SseOp max_u[9] = {[1] = X64_SSE_PMAXUB, [2] = X64_SSE_PMAXUW,
                                      [4] = X64_SSE_PMAXUD};
    static const X64SseOp min_u[9] = {[1] = X64_SSE_PMINUB, [2] = X64_SSE_PMINUW,
                                      [4] = X64_SSE_PMINUD};
    X64SseOp eq = eq_ops[bytes], gt = gt_ops[bytes];
    bool wide = bytes == 8;
    switch (c) {
    case C_EQ:
    case C_NE:
        if (wide && !HAS_SSE41(S))
            return seq(S, X64V_EQ64, TIED, 0, c == C_NE, 0);
        if (c == C_EQ)
            return vop(S, eq, true);
        return seq(S, X64V_CMP_NOT, TIED, 0, 0, eq);
    case C_GT_S:
    case C_LT_S:
    case C_LE_S:
    case C_GE_S: {
        /* gt(a, b); lt = gt(b, a); le = !gt(a, b); ge = !gt(b, a). */
        bool swap = c == C_LT_S || c == C_GE_S, neg = c == C_LE_S || c == C_GE_S;
        if (wide && !HAS_SSE42(S))
            return swap ? seq_swapped(S, X64V_GT64, LATE, 1, neg, 0)
                        : seq(S, X64V_GT64, LATE, 1, neg, 0);
        if (!neg)
            return swap ? vop2(S, gt, S->d->a[1], S->d->a[0], false, -1) : vop(S, gt, false);
        return swap ? seq_swapped(S, X64V_CMP_NOT, TIED, 0, 0, gt)
                    : seq(S, X64V_CMP_NOT, TIED, 0, 0, gt);
    }
    default: {
        /* Unsigned: ge(a, b) = (max(a, b) == a), le(a, b) = (min(a, b) == a), gt = !le,
         * lt = !ge; without the unsigned min/max, a signed compare of sign-flipped lanes. */
        bool neg = c == C_GT_U || c == C_LT_U;
        if (bytes == 1 || HAS_SSE41(S)) {
            bool use_max = c == C_GE_U || c == C_LT_U;
            int64_t imm = (use_max ? max_u[bytes] : min_u[bytes]) | (int64_t)eq << 16;
            return seq(S, X64V_CMP_MINMAX, FREE, 0, neg, imm);
        }
        /* gt(a, b) = flip(a) > flip(b); lt = gt(b, a); le = !gt; ge = !lt. */
        bool swap = c == C_LT_U || c == C_GE_U, not_ = c == C_LE_U || c == C_GE_U;
        uint8_t cc = (uint8_t)(bytes | (not_ ? 0x80 : 0));
        return swap ? seq_swapped(S, X64V_CMP_FLIP, TIED, 0, cc, gt)
                    : seq(S, X64V_CMP_FLIP, TIED, 0, cc, gt);
    }
    }
}

/* Float lane comparison: cmpps/cmppd with the predicate; gt and ge swap the operands. */
static bool
sel_fcmp(Sel *S, bool f64, Cond c)
{
    X64SseOp op = f64 ? X64_SSE_CMPPD : X64_SSE_CMPPS;
    uint32_t a = S->d->a[0], b = S->d->a[1];
    switch (c) {
    case C_EQ: return vop2(S, op, a, b, true, X64_CMP_EQ);
    case C_NE: return vop2(S, op, a, b, true, X64_CMP_NEQ);
    case C_LT_S: return vop2(S, op, a, b, false, X64_CMP_LT);
    case C_LE_S: return vop2(S, op, a, b, false, X64_CMP_LE);
    case C_GT_S: return vop2(S, op, b, a, false, X64_CMP_LT);
    case C_GE_S: return vop2(S, op, b, a, false, X64_CMP_LE);
    default: sk_unreachable();
    }
}

/* ---- memory --------------------------------------------------------------------------------- */

static bool
sel_vload(Sel *S, X64VMem kind, uint32_t bytes)
{
    const IrInstData *d = S->d;
    bool lane = kind >= X64VM_LANE8;
    CgReg v = lane ? U(S, d->a[1]) : 0;
    X64Addr a = x64_isel_addr(S->s, S->id, bytes);
    CgOperand o[4];
    uint32_t k = 0;
    o[k++] = CG_DEF(DST(S)) | (lane ? CG_OPF_HINT : 0);
    o[k++] = CG_USE(a.base);
    if (a.index)
        o[k++] = CG_USE(a.index);
    if (lane)
        o[k++] = CG_USE(v) | CG_OPF_HINT;
    CgInst *in = mk(S, X64I_VLOAD, o, k);
    if (!in)
        return false;
    in->cc = (uint8_t)kind;
    in->x = (uint8_t)IR_MEMARG_LANE(d->a[2]);
    in->disp = a.disp;
    in->y = (uint16_t)((S->ctx->opts.explicit_bounds ? 0 : X64_MEM_TRAP) |
                       (a.index ? X64_MEM_HAS_INDEX : 0));
    return true;
}

static bool
sel_vstore(Sel *S, X64VMem kind, uint32_t bytes)
{
    const IrInstData *d = S->d;
    CgReg v = U(S, d->a[1]);
    X64Addr a = x64_isel_addr(S->s, S->id, bytes);
    CgOperand o[3];
    uint32_t k = 0;
    o[k++] = CG_USE(a.base);
    if (a.index)
        o[k++] = CG_USE(a.index);
    o[k++] = CG_USE(v);
    CgInst *in = mk(S, X64I_VSTORE, o, k);
    if (!in)
        return false;
    in->cc = (uint8_t)kind;
    in->x = (uint8_t)IR_MEMARG_LANE(d->a[2]);
    in->disp = a.disp;
    in->y = (uint16_t)((S->ctx->opts.explicit_bounds ? 0 : X64_MEM_TRAP) |
                       (a.index ? X64_MEM_HAS_INDEX : 0));
    return true;
}

/* ---- the dispatcher ------------------------------------------------------------------------- */

/* cc of X64V_EXTEND / X64V_EXTMUL*: source lane bytes, high half, signed. */
#define EXT(bytes, hi, sgn) ((uint8_t)((bytes) | ((hi) ? 0x10 : 0) | ((sgn) ? 0x20 : 0)))

/* Rounding modes of roundps/roundpd (imm8 bits 1:0, bit 3 = no precision exception). */
enum { RND_NEAREST = 0x8, RND_FLOOR = 0x9, RND_CEIL = 0xA, RND_TRUNC = 0xB };

static bool
sel_round(Sel *S, bool f64, uint8_t mode)
{
    if (HAS_SSE41(S))
        return vun(S, f64 ? X64_SSE_ROUNDPD : X64_SSE_ROUNDPS, S->d->a[0], mode);
    return seq(S, X64V_FROUND, LATE, 1, (uint8_t)(mode | (f64 ? 0x80 : 0)), 0);
}

bool
x64_isel_simd(X64Isel *s, CgCtx *ctx, const IrFunc *f, uint32_t id)
{
    Sel S_ = {s, ctx, f, &f->insts.data[id], id, ctx->opts.cpu_features};
    Sel *S = &S_;
    const IrInstData *d = S->d;
    IrOp op = (IrOp)d->op;
    if (ir_op_is_mem(op) && IR_MEMARG_MEM(d->a[2]) != 0)
        return sk_diag_set(ctx->diag, SK_DIAG_UNSUPPORTED, 0,
                           "unsupported feature: multiple memories");
    uint32_t a0 = d->a[0];
    bool s41 = HAS_SSE41(S), s3 = HAS_SSSE3(S);
    switch (op) {
    /* ---- memory ---- */
    case IR_OP_V128_LOAD8X8_S: return sel_vload(S, X64VM_LOAD8X8_S, 8);
    case IR_OP_V128_LOAD8X8_U: return sel_vload(S, X64VM_LOAD8X8_U, 8);
    case IR_OP_V128_LOAD16X4_S: return sel_vload(S, X64VM_LOAD16X4_S, 8);
    case IR_OP_V128_LOAD16X4_U: return sel_vload(S, X64VM_LOAD16X4_U, 8);
    case IR_OP_V128_LOAD32X2_S: return sel_vload(S, X64VM_LOAD32X2_S, 8);
    case IR_OP_V128_LOAD32X2_U: return sel_vload(S, X64VM_LOAD32X2_U, 8);
    case IR_OP_V128_LOAD8_SPLAT: return sel_vload(S, X64VM_SPLAT8, 1);
    case IR_OP_V128_LOAD16_SPLAT: return sel_vload(S, X64VM_SPLAT16, 2);
    case IR_OP_V128_LOAD32_SPLAT: return sel_vload(S, X64VM_SPLAT32, 4);
    case IR_OP_V128_LOAD64_SPLAT: return sel_vload(S, X64VM_SPLAT64, 8);
    case IR_OP_V128_LOAD32_ZERO: return sel_vload(S, X64VM_ZERO32, 4);
    case IR_OP_V128_LOAD64_ZERO: return sel_vload(S, X64VM_ZERO64, 8);
    case IR_OP_V128_LOAD8_LANE: return sel_vload(S, X64VM_LANE8, 1);
    case IR_OP_V128_LOAD16_LANE: return sel_vload(S, X64VM_LANE16, 2);
    case IR_OP_V128_LOAD32_LANE: return sel_vload(S, X64VM_LANE32, 4);
    case IR_OP_V128_LOAD64_LANE: return sel_vload(S, X64VM_LANE64, 8);
    case IR_OP_V128_STORE8_LANE: return sel_vstore(S, X64VM_LANE8, 1);
    case IR_OP_V128_STORE16_LANE: return sel_vstore(S, X64VM_LANE16, 2);
    case IR_OP_V128_STORE32_LANE: return sel_vstore(S, X64VM_LANE32, 4);
    case IR_OP_V128_STORE64_LANE: return sel_vstore(S, X64VM_LANE64, 8);

    /* ---- shuffles, splats, lanes ---- */
    case IR_OP_I8X16_SHUFFLE: return sel_shuffle(S);
    case IR_OP_I8X16_SWIZZLE: return sel_swizzle(S);
    case IR_OP_I8X16_SPLAT: return sel_splat(S, 1, false);
    case IR_OP_I16X8_SPLAT: return sel_splat(S, 2, false);
    case IR_OP_I32X4_SPLAT: return sel_splat(S, 4, false);
    case IR_OP_I64X2_SPLAT: return sel_splat(S, 8, false);
    case IR_OP_F32X4_SPLAT: return sel_splat(S, 4, true);
    case IR_OP_F64X2_SPLAT: return sel_splat(S, 8, true);
    case IR_OP_I8X16_EXTRACT_LANE_S: return sel_extract(S, X64V_EXTRACT8_S);
    case IR_OP_I8X16_EXTRACT_LANE_U: return sel_extract(S, X64V_EXTRACT8_U);
    case IR_OP_I16X8_EXTRACT_LANE_S: return sel_extract(S, X64V_EXTRACT16_S);
    case IR_OP_I16X8_EXTRACT_LANE_U: return sel_extract(S, X64V_EXTRACT16_U);
    case IR_OP_I32X4_EXTRACT_LANE: return sel_extract(S, X64V_EXTRACT32);
    case IR_OP_I64X2_EXTRACT_LANE: return sel_extract(S, X64V_EXTRACT64);
    case IR_OP_F32X4_EXTRACT_LANE:
        /* The scalar is the low lane; the lanes above it are don't-care for f32 and f64. */
        if (d->imm == 0)
            return vun(S, X64_SSE_MOVAPS, a0, -1);
        return vun(S, X64_SSE_PSHUFD, a0, (int)d->imm);
    case IR_OP_F64X2_EXTRACT_LANE:
        if (d->imm == 0)
            return vun(S, X64_SSE_MOVAPS, a0, -1);
        return vun(S, X64_SSE_PSHUFD, a0, 0xEE);
    case IR_OP_I8X16_REPLACE_LANE: return sel_replace(S, X64V_REPLACE8);
    case IR_OP_I16X8_REPLACE_LANE: return sel_replace(S, X64V_REPLACE16);
    case IR_OP_I32X4_REPLACE_LANE: return sel_replace(S, X64V_REPLACE32);
    case IR_OP_I64X2_REPLACE_LANE: return sel_replace(S, X64V_REPLACE64);
    case IR_OP_F32X4_REPLACE_LANE:
        if (d->imm == 0)
            return vop2(S, X64_SSE_MOVSS, a0, d->a[1], false, -1);
        if (s41)
            return vop2(S, X64_SSE_INSERTPS, a0, d->a[1], false, (int)(d->imm << 4));
        return sel_replace(S, X64V_REPLACE_F32);
    case IR_OP_F64X2_REPLACE_LANE:
        return vop2(S, d->imm == 0 ? X64_SSE_MOVSD : X64_SSE_MOVLHPS, a0, d->a[1], false, -1);

    /* ---- comparisons ---- */
    case IR_OP_I8X16_EQ: return sel_icmp(S, 1, C_EQ);
    case IR_OP_I8X16_NE: return sel_icmp(S, 1, C_NE);
    case IR_OP_I8X16_LT_S: return sel_icmp(S, 1, C_LT_S);
    case IR_OP_I8X16_LT_U: return sel_icmp(S, 1, C_LT_U);
    case IR_OP_I8X16_GT_S: return sel_icmp(S, 1, C_GT_S);
    case IR_OP_I8X16_GT_U: return sel_icmp(S, 1, C_GT_U);
    case IR_OP_I8X16_LE_S: return sel_icmp(S, 1, C_LE_S);
    case IR_OP_I8X16_LE_U: return sel_icmp(S, 1, C_LE_U);
    case IR_OP_I8X16_GE_S: return sel_icmp(S, 1, C_GE_S);
    case IR_OP_I8X16_GE_U: return sel_icmp(S, 1, C_GE_U);
    case IR_OP_I16X8_EQ: return sel_icmp(S, 2, C_EQ);
    case IR_OP_I16X8_NE: return sel_icmp(S, 2, C_NE);
    case IR_OP_I16X8_LT_S: return sel_icmp(S, 2, C_LT_S);
    case IR_OP_I16X8_LT_U: return sel_icmp(S, 2, C_LT_U);
    case IR_OP_I16X8_GT_S: return sel_icmp(S, 2, C_GT_S);
    case IR_OP_I16X8_GT_U: return sel_icmp(S, 2, C_GT_U);
    case IR_OP_I16X8_LE_S: return sel_icmp(S, 2, C_LE_S);
    case IR_OP_I16X8_LE_U: return sel_icmp(S, 2, C_LE_U);
    case IR_OP_I16X8_GE_S: return sel_icmp(S, 2, C_GE_S);
    case IR_OP_I16X8_GE_U: return sel_icmp(S, 2, C_GE_U);
    case IR_OP_I32X4_EQ: return sel_icmp(S, 4, C_EQ);
    case IR_OP_I32X4_NE: return sel_icmp(S, 4, C_NE);
    case IR_OP_I32X4_LT_S: return sel_icmp(S, 4, C_LT_S);
    case IR_OP_I32X4_LT_U: return sel_icmp(S, 4, C_LT_U);
    case IR_OP_I32X4_GT_S: return sel_icmp(S, 4, C_GT_S);
    case IR_OP_I32X4_GT_U: return sel_icmp(S, 4, C_GT_U);
    case IR_OP_I32X4_LE_S: return sel_icmp(S, 4, C_LE_S);
    case IR_OP_I32X4_LE_U: return sel_icmp(S, 4, C_LE_U);
    case IR_OP_I32X4_GE_S: return sel_icmp(S, 4, C_GE_S);
    case IR_OP_I32X4_GE_U: return sel_icmp(S, 4, C_GE_U);
    case IR_OP_I64X2_EQ: return sel_icmp(S, 8, C_EQ);
    case IR_OP_I64X2_NE: return sel_icmp(S, 8, C_NE);
    case IR_OP_I64X2_LT_S: return sel_icmp(S, 8, C_LT_S);
    case IR_OP_I64X2_GT_S: return sel_icmp(S, 8, C_GT_S);
    case IR_OP_I64X2_LE_S: return sel_icmp(S, 8, C_LE_S);
    case IR_OP_I64X2_GE_S: return sel_icmp(S, 8, C_GE_S);
    case IR_OP_F32X4_EQ: return sel_fcmp(S, false, C_EQ);
    case IR_OP_F32X4_NE: return sel_fcmp(S, false, C_NE);
    case IR_OP_F32X4_LT: return sel_fcmp(S, false, C_LT_S);
    case IR_OP_F32X4_GT: return sel_fcmp(S, false, C_GT_S);
    case IR_OP_F32X4_LE: return sel_fcmp(S, false, C_LE_S);
    case IR_OP_F32X4_GE: return sel_fcmp(S, false, C_GE_S);
    case IR_OP_F64X2_EQ: return sel_fcmp(S, true, C_EQ);
    case IR_OP_F64X2_NE: return sel_fcmp(S, true, C_NE);
    case IR_OP_F64X2_LT: return sel_fcmp(S, true, C_LT_S);
    case IR_OP_F64X2_GT: return sel_fcmp(S, true, C_GT_S);
    case IR_OP_F64X2_LE: return sel_fcmp(S, true, C_LE_S);
    case IR_OP_F64X2_GE: return sel_fcmp(S, true, C_GE_S);

    /* ---- bitwise ---- */
    case IR_OP_V128_NOT: return vcop(S, X64_SSE_PXOR, a0, ~0ull, 8);
    case IR_OP_V128_AND: return vop(S, X64_SSE_PAND, true);
    case IR_OP_V128_ANDNOT: return vop2(S, X64_SSE_PANDN, d->a[1], a0, false, -1);  // ~b & a
    case IR_OP_V128_OR: return vop(S, X64_SSE_POR, true);
    case IR_OP_V128_XOR: return vop(S, X64_SSE_PXOR, true);
    case IR_OP_V128_BITSELECT: return seq(S, X64V_BITSELECT, TIED, 0, 0, 0);
    case IR_OP_V128_ANY_TRUE: return seq(S, X64V_ANY_TRUE, FREE, 0, 0, 0);

    /* ---- i8x16 ---- */
    case IR_OP_I8X16_ABS:
        return s3 ? vun(S, X64_SSE_PABSB, a0, -1) : seq(S, X64V_ABS8, FREE, 0, 0, 0);
    case IR_OP_I8X16_NEG: return seq(S, X64V_NEG, FREE, 0, 0, X64_SSE_PSUBB);
    case IR_OP_I8X16_POPCNT:
        return s3 ? seq(S, X64V_POPCNT_PSHUFB, LATE, 1, 0, 0) : seq(S, X64V_POPCNT, FREE, 0, 0, 0);
    case IR_OP_I8X16_ALL_TRUE: return seq(S, X64V_ALL_TRUE, FREE, 0, 1, 0);
    case IR_OP_I8X16_BITMASK: return seq(S, X64V_MOVMSK, FREE, 0, 0, X64_SSE_PMOVMSKB);
    case IR_OP_I8X16_NARROW_I16X8_S: return vop(S, X64_SSE_PACKSSWB, false);
    case IR_OP_I8X16_NARROW_I16X8_U: return vop(S, X64_SSE_PACKUSWB, false);
    case IR_OP_I8X16_SHL: return sel_shift(S, 1, SH_SHL);
    case IR_OP_I8X16_SHR_S: return sel_shift(S, 1, SH_SHR_S);
    case IR_OP_I8X16_SHR_U: return sel_shift(S, 1, SH_SHR_U);
    case IR_OP_I8X16_ADD: return vop(S, X64_SSE_PADDB, true);
    case IR_OP_I8X16_ADD_SAT_S: return vop(S, X64_SSE_PADDSB, true);
    case IR_OP_I8X16_ADD_SAT_U: return vop(S, X64_SSE_PADDUSB, true);
    case IR_OP_I8X16_SUB: return vop(S, X64_SSE_PSUBB, false);
    case IR_OP_I8X16_SUB_SAT_S: return vop(S, X64_SSE_PSUBSB, false);
    case IR_OP_I8X16_SUB_SAT_U: return vop(S, X64_SSE_PSUBUSB, false);
    case IR_OP_I8X16_MIN_S:
        return s41 ? vop(S, X64_SSE_PMINSB, true)
                   : seq(S, X64V_MIN_S, LATE, 0, 0, X64_SSE_PCMPGTB);
    case IR_OP_I8X16_MAX_S:
        return s41 ? vop(S, X64_SSE_PMAXSB, true)
                   : seq(S, X64V_MAX_S, LATE, 0, 0, X64_SSE_PCMPGTB);
    case IR_OP_I8X16_MIN_U: return vop(S, X64_SSE_PMINUB, true);
    case IR_OP_I8X16_MAX_U: return vop(S, X64_SSE_PMAXUB, true);
    case IR_OP_I8X16_AVGR_U: return vop(S, X64_SSE_PAVGB, true);

    /* ---- i16x8 ---- */
    case IR_OP_I16X8_EXTADD_PAIRWISE_I8X16_S:
        return s3 ? seq(S, X64V_EXTADD_S8_PMADDUBSW, LATE, 0, 0, 0)
                  : seq(S, X64V_EXTADD_S8, FREE, 0, 0, 0);
    case IR_OP_I16X8_EXTADD_PAIRWISE_I8X16_U:
        return s3 ? vcop(S, X64_SSE_PMADDUBSW, a0, 0x01, 1) : seq(S, X64V_EXTADD_U8, TIED, 0, 0, 0);
    case IR_OP_I16X8_ABS:
        return s3 ? vun(S, X64_SSE_PABSW, a0, -1) : seq(S, X64V_ABS16, FREE, 0, 0, 0);
    case IR_OP_I16X8_NEG: return seq(S, X64V_NEG, FREE, 0, 0, X64_SSE_PSUBW);
    case IR_OP_I16X8_Q15MULR_SAT_S:
        return s3 ? seq(S, X64V_Q15MULR_PMULHRSW, TIED, 0, 0, 0)
                  : seq(S, X64V_Q15MULR, LATE, 1, 0, 0);
    case IR_OP_I16X8_ALL_TRUE: return seq(S, X64V_ALL_TRUE, FREE, 0, 2, 0);
    case IR_OP_I16X8_BITMASK: return seq(S, X64V_BITMASK16, FREE, 0, 0, 0);
    case IR_OP_I16X8_NARROW_I32X4_S: return vop(S, X64_SSE_PACKSSDW, false);
    case IR_OP_I16X8_NARROW_I32X4_U:
        return s41 ? vop(S, X64_SSE_PACKUSDW, false) : seq(S, X64V_NARROW_U32, LATE, 1, 0, 0);
    case IR_OP_I16X8_EXTEND_LOW_I8X16_S:
        return s41 ? vun(S, X64_SSE_PMOVSXBW, a0, -1)
                   : seq(S, X64V_EXTEND, TIED, 0, EXT(1, 0, 1), 0);
    case IR_OP_I16X8_EXTEND_LOW_I8X16_U:
        return s41 ? vun(S, X64_SSE_PMOVZXBW, a0, -1)
                   : seq(S, X64V_EXTEND, TIED, 0, EXT(1, 0, 0), 0);
    case IR_OP_I16X8_EXTEND_HIGH_I8X16_S: return seq(S, X64V_EXTEND, TIED, 0, EXT(1, 1, 1), 0);
    case IR_OP_I16X8_EXTEND_HIGH_I8X16_U: return seq(S, X64V_EXTEND, TIED, 0, EXT(1, 1, 0), 0);
    case IR_OP_I16X8_SHL: return sel_shift(S, 2, SH_SHL);
    case IR_OP_I16X8_SHR_S: return sel_shift(S, 2, SH_SHR_S);
    case IR_OP_I16X8_SHR_U: return sel_shift(S, 2, SH_SHR_U);
    case IR_OP_I16X8_ADD: return vop(S, X64_SSE_PADDW, true);
    case IR_OP_I16X8_ADD_SAT_S: return vop(S, X64_SSE_PADDSW, true);
    case IR_OP_I16X8_ADD_SAT_U: return vop(S, X64_SSE_PADDUSW, true);
    case IR_OP_I16X8_SUB: return vop(S, X64_SSE_PSUBW, false);
    case IR_OP_I16X8_SUB_SAT_S: return vop(S, X64_SSE_PSUBSW, false);
    case IR_OP_I16X8_SUB_SAT_U: return vop(S, X64_SSE_PSUBUSW, false);
    case IR_OP_I16X8_MUL: return vop(S, X64_SSE_PMULLW, true);
    case IR_OP_I16X8_MIN_S: return vop(S, X64_SSE_PMINSW, true);
    case IR_OP_I16X8_MAX_S: return vop(S, X64_SSE_PMAXSW, true);
    case IR_OP_I16X8_MIN_U:
        return s41 ? vop(S, X64_SSE_PMINUW, true) : seq(S, X64V_MIN_U16, TIED, 0, 0, 0);
    case IR_OP_I16X8_MAX_U:
        return s41 ? vop(S, X64_SSE_PMAXUW, true) : seq(S, X64V_MAX_U16, TIED, 0, 0, 0);
    case IR_OP_I16X8_AVGR_U: return vop(S, X64_SSE_PAVGW, true);
    case IR_OP_I16X8_EXTMUL_LOW_I8X16_S: return seq(S, X64V_EXTMUL8, TIED, 0, EXT(1, 0, 1), 0);
    case IR_OP_I16X8_EXTMUL_HIGH_I8X16_S: return seq(S, X64V_EXTMUL8, TIED, 0, EXT(1, 1, 1), 0);
    case IR_OP_I16X8_EXTMUL_LOW_I8X16_U: return seq(S, X64V_EXTMUL8, TIED, 0, EXT(1, 0, 0), 0);
    case IR_OP_I16X8_EXTMUL_HIGH_I8X16_U: return seq(S, X64V_EXTMUL8, TIED, 0, EXT(1, 1, 0), 0);

    /* ---- i32x4 ---- */
    case IR_OP_I32X4_EXTADD_PAIRWISE_I16X8_S: return vcop(S, X64_SSE_PMADDWD, a0, 0x0001, 2);
    case IR_OP_I32X4_EXTADD_PAIRWISE_I16X8_U: return seq(S, X64V_EXTADD_U16, TIED, 0, 0, 0);
    case IR_OP_I32X4_ABS:
        return s3 ? vun(S, X64_SSE_PABSD, a0, -1) : seq(S, X64V_ABS32, FREE, 0, 0, 0);
    case IR_OP_I32X4_NEG: return seq(S, X64V_NEG, FREE, 0, 0, X64_SSE_PSUBD);
    case IR_OP_I32X4_ALL_TRUE: return seq(S, X64V_ALL_TRUE, FREE, 0, 4, 0);
    case IR_OP_I32X4_BITMASK: return seq(S, X64V_MOVMSK, FREE, 0, 0, X64_SSE_MOVMSKPS);
    case IR_OP_I32X4_EXTEND_LOW_I16X8_S:
        return s41 ? vun(S, X64_SSE_PMOVSXWD, a0, -1)
                   : seq(S, X64V_EXTEND, TIED, 0, EXT(2, 0, 1), 0);
    case IR_OP_I32X4_EXTEND_LOW_I16X8_U:
        return s41 ? vun(S, X64_SSE_PMOVZXWD, a0, -1)
                   : seq(S, X64V_EXTEND, TIED, 0, EXT(2, 0, 0), 0);
    case IR_OP_I32X4_EXTEND_HIGH_I16X8_S: return seq(S, X64V_EXTEND, TIED, 0, EXT(2, 1, 1), 0);
    case IR_OP_I32X4_EXTEND_HIGH_I16X8_U: return seq(S, X64V_EXTEND, TIED, 0, EXT(2, 1, 0), 0);
    case IR_OP_I32X4_SHL: return sel_shift(S, 4, SH_SHL);
    case IR_OP_I32X4_SHR_S: return sel_shift(S, 4, SH_SHR_S);
    case IR_OP_I32X4_SHR_U: return sel_shift(S, 4, SH_SHR_U);
    case IR_OP_I32X4_ADD: return vop(S, X64_SSE_PADDD, true);
    case IR_OP_I32X4_SUB: return vop(S, X64_SSE_PSUBD, false);
    case IR_OP_I32X4_MUL:
        return s41 ? vop(S, X64_SSE_PMULLD, true) : seq(S, X64V_MUL32, LATE, 1, 0, 0);
    case IR_OP_I32X4_MIN_S:
        return s41 ? vop(S, X64_SSE_PMINSD, true)
                   : seq(S, X64V_MIN_S, LATE, 0, 0, X64_SSE_PCMPGTD);
    case IR_OP_I32X4_MAX_S:
        return s41 ? vop(S, X64_SSE_PMAXSD, true)
                   : seq(S, X64V_MAX_S, LATE, 0, 0, X64_SSE_PCMPGTD);
    case IR_OP_I32X4_MIN_U:
        return s41 ? vop(S, X64_SSE_PMINUD, true) : seq(S, X64V_MIN_U32, LATE, 1, 0, 0);
    case IR_OP_I32X4_MAX_U:
        return s41 ? vop(S, X64_SSE_PMAXUD, true) : seq(S, X64V_MAX_U32, LATE, 1, 0, 0);
    case IR_OP_I32X4_DOT_I16X8_S: return vop(S, X64_SSE_PMADDWD, true);
    case IR_OP_I32X4_EXTMUL_LOW_I16X8_S: return seq(S, X64V_EXTMUL16, TIED, 0, EXT(2, 0, 1), 0);
    case IR_OP_I32X4_EXTMUL_HIGH_I16X8_S: return seq(S, X64V_EXTMUL16, TIED, 0, EXT(2, 1, 1), 0);
    case IR_OP_I32X4_EXTMUL_LOW_I16X8_U: return seq(S, X64V_EXTMUL16, TIED, 0, EXT(2, 0, 0), 0);
    case IR_OP_I32X4_EXTMUL_HIGH_I16X8_U: return seq(S, X64V_EXTMUL16, TIED, 0, EXT(2, 1, 0), 0);

    /* ---- i64x2 ---- */
    case IR_OP_I64X2_ABS: return seq(S, X64V_ABS64, FREE, 0, 0, 0);
    case IR_OP_I64X2_NEG: return seq(S, X64V_NEG, FREE, 0, 0, X64_SSE_PSUBQ);
    case IR_OP_I64X2_ALL_TRUE: return seq(S, X64V_ALL_TRUE, FREE, 0, 8, 0);
    case IR_OP_I64X2_BITMASK: return seq(S, X64V_MOVMSK, FREE, 0, 0, X64_SSE_MOVMSKPD);
    case IR_OP_I64X2_EXTEND_LOW_I32X4_S:
        return s41 ? vun(S, X64_SSE_PMOVSXDQ, a0, -1)
                   : seq(S, X64V_EXTEND, TIED, 0, EXT(4, 0, 1), 0);
    case IR_OP_I64X2_EXTEND_LOW_I32X4_U:
        return s41 ? vun(S, X64_SSE_PMOVZXDQ, a0, -1)
                   : seq(S, X64V_EXTEND, TIED, 0, EXT(4, 0, 0), 0);
    case IR_OP_I64X2_EXTEND_HIGH_I32X4_S: return seq(S, X64V_EXTEND, TIED, 0, EXT(4, 1, 1), 0);
    case IR_OP_I64X2_EXTEND_HIGH_I32X4_U: return seq(S, X64V_EXTEND, TIED, 0, EXT(4, 1, 0), 0);
    case IR_OP_I64X2_SHL: return sel_shift(S, 8, SH_SHL);
    case IR_OP_I64X2_SHR_S: return sel_shift(S, 8, SH_SHR_S);
    case IR_OP_I64X2_SHR_U: return sel_shift(S, 8, SH_SHR_U);
    case IR_OP_I64X2_ADD: return vop(S, X64_SSE_PADDQ, true);
    case IR_OP_I64X2_SUB: return vop(S, X64_SSE_PSUBQ, false);
    case IR_OP_I64X2_MUL: return seq(S, X64V_MUL64, LATE, 1, 0, 0);
    case IR_OP_I64X2_EXTMUL_LOW_I32X4_S:
        return s41 ? seq(S, X64V_EXTMUL32_U, FREE, 0, EXT(4, 0, 1), 0)
                   : seq(S, X64V_EXTMUL32_S, LATE, 2, EXT(4, 0, 1), 0);
    case IR_OP_I64X2_EXTMUL_HIGH_I32X4_S:
        return s41 ? seq(S, X64V_EXTMUL32_U, FREE, 0, EXT(4, 1, 1), 0)
                   : seq(S, X64V_EXTMUL32_S, LATE, 2, EXT(4, 1, 1), 0);
    case IR_OP_I64X2_EXTMUL_LOW_I32X4_U: return seq(S, X64V_EXTMUL32_U, FREE, 0, EXT(4, 0, 0), 0);
    case IR_OP_I64X2_EXTMUL_HIGH_I32X4_U: return seq(S, X64V_EXTMUL32_U, FREE, 0, EXT(4, 1, 0), 0);

    /* ---- f32x4, f64x2 ---- */
    case IR_OP_F32X4_CEIL: return sel_round(S, false, RND_CEIL);
    case IR_OP_F32X4_FLOOR: return sel_round(S, false, RND_FLOOR);
    case IR_OP_F32X4_TRUNC: return sel_round(S, false, RND_TRUNC);
    case IR_OP_F32X4_NEAREST: return sel_round(S, false, RND_NEAREST);
    case IR_OP_F64X2_CEIL: return sel_round(S, true, RND_CEIL);
    case IR_OP_F64X2_FLOOR: return sel_round(S, true, RND_FLOOR);
    case IR_OP_F64X2_TRUNC: return sel_round(S, true, RND_TRUNC);
    case IR_OP_F64X2_NEAREST: return sel_round(S, true, RND_NEAREST);
    case IR_OP_F32X4_ABS: return vcop(S, X64_SSE_ANDPS, a0, 0x7FFFFFFFu, 4);
    case IR_OP_F64X2_ABS: return vcop(S, X64_SSE_ANDPD, a0, 0x7FFFFFFFFFFFFFFFull, 8);
    case IR_OP_F32X4_NEG: return vcop(S, X64_SSE_XORPS, a0, 0x80000000u, 4);
    case IR_OP_F64X2_NEG: return vcop(S, X64_SSE_XORPD, a0, 0x8000000000000000ull, 8);
    case IR_OP_F32X4_SQRT: return vun(S, X64_SSE_SQRTPS, a0, -1);
    case IR_OP_F64X2_SQRT: return vun(S, X64_SSE_SQRTPD, a0, -1);
    case IR_OP_F32X4_ADD: return vop(S, X64_SSE_ADDPS, true);
    case IR_OP_F64X2_ADD: return vop(S, X64_SSE_ADDPD, true);
    case IR_OP_F32X4_SUB: return vop(S, X64_SSE_SUBPS, false);
    case IR_OP_F64X2_SUB: return vop(S, X64_SSE_SUBPD, false);
    case IR_OP_F32X4_MUL: return vop(S, X64_SSE_MULPS, true);
    case IR_OP_F64X2_MUL: return vop(S, X64_SSE_MULPD, true);
    case IR_OP_F32X4_DIV: return vop(S, X64_SSE_DIVPS, false);
    case IR_OP_F64X2_DIV: return vop(S, X64_SSE_DIVPD, false);
    case IR_OP_F32X4_MIN: return seq(S, X64V_FMIN, LATE, 0, 4, 0);
    case IR_OP_F64X2_MIN: return seq(S, X64V_FMIN, LATE, 0, 8, 0);
    case IR_OP_F32X4_MAX: return seq(S, X64V_FMAX, LATE, 0, 4, 0);
    case IR_OP_F64X2_MAX: return seq(S, X64V_FMAX, LATE, 0, 8, 0);
    /* pmin(a, b) = b < a ? b : a = minps with b first (minps returns its second operand when
     * the compare is false or unordered); pmax likewise with maxps. */
    case IR_OP_F32X4_PMIN: return vop2(S, X64_SSE_MINPS, d->a[1], a0, false, -1);
    case IR_OP_F64X2_PMIN: return vop2(S, X64_SSE_MINPD, d->a[1], a0, false, -1);
    case IR_OP_F32X4_PMAX: return vop2(S, X64_SSE_MAXPS, d->a[1], a0, false, -1);
    case IR_OP_F64X2_PMAX: return vop2(S, X64_SSE_MAXPD, d->a[1], a0, false, -1);

    /* ---- conversions ---- */
    case IR_OP_I32X4_TRUNC_SAT_F32X4_S: return seq(S, X64V_TRUNC_SAT_F32_S, FREE, 0, 0, 0);
    case IR_OP_I32X4_TRUNC_SAT_F32X4_U: return seq(S, X64V_TRUNC_SAT_F32_U, LATE, 1, 0, 0);
    case IR_OP_F32X4_CONVERT_I32X4_S: return vun(S, X64_SSE_CVTDQ2PS, a0, -1);
    case IR_OP_F32X4_CONVERT_I32X4_U: return seq(S, X64V_CVT_F32_U32, FREE, 0, 0, 0);
    case IR_OP_I32X4_TRUNC_SAT_F64X2_S_ZERO: return seq(S, X64V_TRUNC_SAT_F64_S, FREE, 0, 0, 0);
    case IR_OP_I32X4_TRUNC_SAT_F64X2_U_ZERO: return seq(S, X64V_TRUNC_SAT_F64_U, LATE, 1, 0, 0);
    case IR_OP_F64X2_CONVERT_LOW_I32X4_S: return vun(S, X64_SSE_CVTDQ2PD, a0, -1);
    case IR_OP_F64X2_CONVERT_LOW_I32X4_U: return seq(S, X64V_CVT_F64_U32, TIED, 0, 0, 0);
    case IR_OP_F32X4_DEMOTE_F64X2_ZERO: return vun(S, X64_SSE_CVTPD2PS, a0, -1);
    case IR_OP_F64X2_PROMOTE_LOW_F32X4: return vun(S, X64_SSE_CVTPS2PD, a0, -1);

    default:
        return sk_diag_set(ctx->diag, SK_DIAG_UNSUPPORTED, 0,
                           "unsupported feature: %s is not implemented on x86_64",
                           ir_op_info[op].name);
    }
}
