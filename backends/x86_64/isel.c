/*
 * x86_64 instruction selection: IR (ir/ir.h) -> MIR (backends/target.h) with virtual
 * registers, one IR block at a time in reverse postorder (dominators first, as the allocator
 * requires; unreachable blocks are dropped).
 *
 * What is folded:
 * - constants become immediates where x86 takes one (ALU, compare, imul, store, shift
 *   counts); otherwise they are materialized in the block that uses them (one register per
 *   constant per block), so a constant never occupies a register across the function;
 * - a compare used only by the branch, select or trap_if of its block is fused into it
 *   (cmp + jcc, cmp + cmovcc, cmp + jcc to the trap stub);
 * - a wasm address is [membase + zero-extended index + offset] in one operand (the i32 in a
 *   register has its upper half zero, target.h), and additions of a constant use lea;
 * - a full-width load used only by the next instruction, an integer add/sub/and/or/xor/imul,
 *   becomes that instruction's memory operand.
 * Wasm semantics that need more than one instruction (division, float min/max, conversions,
 * counts without LZCNT/POPCNT) are single MIR instructions that emit.c expands.
 *
 * Calls follow SysV with the VM context first (runtime/vmctx.h); fixed registers appear as
 * physical-register operands defined by a parallel copy right before the call and copied out
 * right after, as the allocator expects.
 */
#include "backends/x86_64/regs.h"

/* Per-value states. */
enum {
    V_FUSED = 1u << 0,    // a compare emitted as part of its only user
    V_FOLDED = 1u << 1,   // a load emitted as its only user's memory operand
};

typedef struct Isel {
    CgCtx *ctx;
    CgFunc *mf;
    const IrFunc *f;
    const IrModule *m;
    const RtVmLayout *vm;
    IrCfg cfg;
    uint32_t *mblock;  // IR block id -> MIR block index
    CgReg *vreg;       // IR value -> its register (constants: valid in block cstamp - 1)
    uint32_t *cstamp;  // constants: MIR block + 1 where vreg[] was materialized
    const uint32_t *nuses;  // uses of each value
    uint8_t *state;    // V_*
    CgReg vmctx, membase, memobj, results_ptr;
    uint32_t cur;      // current MIR block
    bool uses_memory;
    bool uses_vmctx;   // the function reads the VM context (pinned in X64_VMCTX_REG)
    bool explicit_bounds;
    uint64_t features;
} Isel;

static const uint8_t trap_map[IR_TRAP_COUNT] = {
    [IR_TRAP_NONE] = RT_TRAP_INTERNAL,
    [IR_TRAP_UNREACHABLE] = RT_TRAP_UNREACHABLE,
    [IR_TRAP_INT_DIV_BY_ZERO] = RT_TRAP_INT_DIV_ZERO,
    [IR_TRAP_INT_OVERFLOW] = RT_TRAP_INT_OVERFLOW,
    [IR_TRAP_BAD_CONVERSION] = RT_TRAP_BAD_CONVERSION,
    [IR_TRAP_MEMORY_OOB] = RT_TRAP_MEMORY_OOB,
    [IR_TRAP_TABLE_OOB] = RT_TRAP_TABLE_OOB,
    [IR_TRAP_UNDEFINED_ELEMENT] = RT_TRAP_UNDEFINED_ELEMENT,
    [IR_TRAP_UNINITIALIZED_ELEMENT] = RT_TRAP_UNINITIALIZED_ELEMENT,
    [IR_TRAP_INDIRECT_CALL_TYPE] = RT_TRAP_INDIRECT_CALL_TYPE,
    [IR_TRAP_STACK_EXHAUSTED] = RT_TRAP_STACK_EXHAUSTED,
};

static const uint8_t icc_map[IR_ICC_COUNT] = {
    [IR_ICC_EQ] = X64_CC_E,    [IR_ICC_NE] = X64_CC_NE,   [IR_ICC_LT_S] = X64_CC_L,
    [IR_ICC_LT_U] = X64_CC_B,  [IR_ICC_GT_S] = X64_CC_G,  [IR_ICC_GT_U] = X64_CC_A,
    [IR_ICC_LE_S] = X64_CC_LE, [IR_ICC_LE_U] = X64_CC_BE, [IR_ICC_GE_S] = X64_CC_GE,
    [IR_ICC_GE_U] = X64_CC_AE,
};

/* Operand size in bytes of an integer IR type (i32 4, others 8). */
SK_INLINE unsigned
isize(IrType t)
{
    return t == IR_TYPE_I32 ? 4u : 8u;
}

SK_INLINE const IrInstData *
irv(const Isel *s, uint32_t v)
{
    return &s->f->insts.data[v];
}

/* ---- emission helpers ------------------------------------------------------------------- */

SK_INLINE CgInst *
mk(Isel *s, uint16_t op, uint32_t nops)
{
    return cg_inst_new(s->ctx, op, nops);
}

SK_INLINE CgOperand *
ops_of(Isel *s, CgInst *in)
{
    return cg_func_opnds(s->mf, in);
}

/* Appends `op` with the operands o[0..n) (registers already computed: anything that emits
 * code, like use(), must run before this). Returns the instruction, or NULL after OOM. */
SK_INLINE CgInst *
emit_ops(Isel *s, uint16_t op, const CgOperand *o, uint32_t n)
{
    CgInst *in = cg_inst_new(s->ctx, op, n);
    if (!in || s->ctx->arena.failed || in->nops != n)
        return NULL;
    memcpy(cg_func_opnds(s->mf, in), o, n * sizeof(CgOperand));
    return in;
}

SK_INLINE CgReg
newv(Isel *s, CgType t)
{
    return cg_vreg_new(s->ctx, t);
}

/* Out of memory in the MIR builder: cg_inst_new returned a stand-in; stop quietly, the
 * failure is reported by cg_func_compile through the arena. */
#define CHECK_INST(in)                                                                       \
    do {                                                                                     \
        if (!(in) || s->ctx->arena.failed)                                                   \
            return 0;                                                                        \
    } while (0)

static CgReg
mov_ri(Isel *s, CgType t, int64_t imm)
{
    CgReg d = newv(s, t);
    CgInst *in = mk(s, X64I_MOV_RI, 1);
    CHECK_INST(in);
    in->x = t == CG_TYPE_I32 ? 4 : 8;
    in->imm = imm;
    ops_of(s, in)[0] = CG_DEF(d);
    return d;
}

/* Loads a value of type t from [base + disp] (not a wasm memory access). */
static CgReg
load_at(Isel *s, CgType t, CgReg base, int32_t disp, uint8_t kind, uint8_t size)
{
    CgReg d = newv(s, t);
    CgInst *in = mk(s, X64I_LOAD, 2);
    CHECK_INST(in);
    in->cc = kind;
    in->x = size;
    in->disp = disp;
    CgOperand *o = ops_of(s, in);
    o[0] = CG_DEF(d);
    o[1] = CG_USE(base);
    return d;
}

static CgReg
load_ptr(Isel *s, CgReg base, int32_t disp)
{
    return load_at(s, CG_TYPE_I64, base, disp, X64_LD_64, 8);
}

static CgReg
load_u32(Isel *s, CgReg base, int32_t disp)
{
    return load_at(s, CG_TYPE_I32, base, disp, X64_LD_U32, 4);
}

/* use() of a constant: its register in the current block, materialized on first use. */
static CgReg
use_const(Isel *s, uint32_t v)
{
    const IrInstData *d = irv(s, v);
    if (s->cstamp[v] == s->cur + 1)
        return s->vreg[v];
    CgType t = x64_cg_type((IrType)d->type);
    CgReg r;
    if (d->op == IR_OP_ICONST || d->op == IR_OP_REF_NULL) {
        r = mov_ri(s, t, d->op == IR_OP_REF_NULL ? 0 : (int64_t)d->imm);
    } else {
        r = newv(s, t);
        CgInst *in = mk(s, X64I_FCONST, 1);
        CHECK_INST(in);
        in->x = t == CG_TYPE_F32 ? 4 : t == CG_TYPE_F64 ? 8 : 16;
        in->imm = (int64_t)d->imm;
        ops_of(s, in)[0] = CG_DEF(r);
    }
    s->vreg[v] = r;
    s->cstamp[v] = s->cur + 1;
    return r;
}

/* The register holding IR value v in the current block (materializing constants: ICONST,
 * FCONST, VCONST and REF_NULL are consecutive opcodes). */
SK_INLINE CgReg
use(Isel *s, uint32_t v)
{
    unsigned op = irv(s, v)->op;
    if (SK_UNLIKELY(op - IR_OP_ICONST <= (unsigned)(IR_OP_REF_NULL - IR_OP_ICONST)))
        return use_const(s, v);
    SK_ASSERT(s->vreg[v] != 0);  // dominance: defined before use
    return s->vreg[v];
}

/* def() of a value that has no register yet. */
static CgReg
def_new(Isel *s, uint32_t v)
{
    s->vreg[v] = newv(s, x64_cg_type((IrType)irv(s, v)->type));
    return s->vreg[v];
}

/* The defining register for IR value v (created on first call). */
SK_INLINE CgReg
def(Isel *s, uint32_t v)
{
    CgReg r = s->vreg[v];
    return r ? r : def_new(s, v);
}

/* True if v is an integer constant that fits a sign-extended imm32 at operand size `size`;
 * *imm = the immediate. */
static bool
imm32_of(const Isel *s, uint32_t v, unsigned size, int64_t *imm)
{
    const IrInstData *d = irv(s, v);
    if (d->op == IR_OP_REF_NULL) {
        *imm = 0;
        return true;
    }
    if (d->op != IR_OP_ICONST)
        return false;
    if (size == 4) {
        *imm = (int32_t)(uint32_t)d->imm;
        return true;
    }
    int64_t x = (int64_t)d->imm;
    if (!x64_fits_i32(x))
        return false;
    *imm = x;
    return true;
}

/* ---- use counts and fusion ---------------------------------------------------------------- */

/* Calls fn(s, value) for every value operand of instruction `id`. */
#define FOR_EACH_ARG(s, d, var, body)                                                        \
    do {                                                                                     \
        const IrOpInfo *info_ = &ir_op_info[(d)->op];                                        \
        for (uint32_t k_ = 0; k_ < info_->nargs; k_++) {                                     \
            uint32_t var = (d)->a[k_];                                                       \
            body;                                                                            \
        }                                                                                    \
        if (info_->flags & IR_OPF_VARARGS) {                                                 \
            for (uint32_t k_ = 0; k_ < (d)->a[2]; k_++) {                                    \
                uint32_t var = (s)->f->pool.data[(d)->a[1] + k_];                            \
                body;                                                                        \
            }                                                                                \
        }                                                                                    \
    } while (0)

static void
count_uses(Isel *s)
{
    const IrFunc *f = s->f;
    uint32_t *nuses = (uint32_t *)s->nuses;  // our own array here
    for (uint32_t i = 0; i < s->cfg.nrpo; i++) {
        const IrBlockData *b = &f->blocks.data[s->cfg.rpo[i]];
        for (uint32_t id = b->first; id < b->end; id++) {
            const IrInstData *d = irv(s, id);
            if (d->op == IR_OP_NOP || d->op == IR_OP_PARAM)
                continue;
            if (d->op == IR_OP_RESULT)
                continue;  // its a[0] is the call, not a value use
            FOR_EACH_ARG(s, d, v, nuses[v]++);
        }
        const IrTerm *t = &b->term;
        if (t->kind == IR_TERM_BRANCH || t->kind == IR_TERM_BR_TABLE)
            nuses[t->value]++;
        if (t->kind == IR_TERM_JUMP || t->kind == IR_TERM_RETURN)
            for (uint32_t k = 0; k < t->nlist; k++)
                nuses[f->pool.data[t->list + k]]++;
    }
}

/* True if v is a compare defined in block range [first, end) with exactly one use. */
static bool
fusable_cmp(const Isel *s, uint32_t v, uint32_t first, uint32_t end, bool allow_float)
{
    if (v < first || v >= end || s->nuses[v] != 1)
        return false;
    uint16_t op = irv(s, v)->op;
    return op == IR_OP_ICMP || op == IR_OP_IEQZ || (allow_float && op == IR_OP_FCMP);
}

/* What find_fusions needs to know of an opcode, one table row per ops.def row. */
enum {
    FF_SKIP = 1u << 0,     // nop, constants: nothing to look at
    FF_MEM = 1u << 1,      // uses linear memory (sets uses_memory)
    FF_VMCTX = 1u << 2,    // reads the VM context (itself, memory 0's base, or to pass it on)
    FF_ROUND = 1u << 3,    // reads the VM context without SSE4.1 (builtin fallback)
    FF_SELTRAP = 1u << 4,  // select or trap_if: may fuse the compare of its a[0]
    FF_ALUFOLD = 1u << 5,  // add/sub/and/or/xor: may take a load as its memory operand
    FF_LOAD = 1u << 6,     // a scalar load (may fold into the next instruction)
};
#define FF_IS(N, X) (IR_OP_##N == IR_OP_##X)
#define FF_ROW(N, imm)                                                                       \
    [IR_OP_##N] = (uint8_t)(                                                                 \
        (FF_IS(N, NOP) || FF_IS(N, ICONST) || FF_IS(N, FCONST) ? FF_SKIP : 0) |              \
        (IR_IMM_##imm == IR_IMM_MEM || IR_IMM_##imm == IR_IMM_MEMLANE ? FF_MEM | FF_VMCTX    \
                                                                      : 0) |                 \
        (FF_IS(N, MEMORY_SIZE) || FF_IS(N, MEMORY_GROW) ? FF_MEM : 0) |                      \
        (FF_IS(N, CALL) || FF_IS(N, CALL_INDIRECT) || FF_IS(N, GLOBAL_GET) ||                \
                 FF_IS(N, GLOBAL_SET) || FF_IS(N, REF_FUNC) || FF_IS(N, MEMORY_SIZE) ||      \
                 FF_IS(N, MEMORY_GROW) || FF_IS(N, MEMORY_COPY) || FF_IS(N, MEMORY_FILL) ||  \
                 FF_IS(N, MEMORY_INIT) || FF_IS(N, DATA_DROP) || FF_IS(N, TABLE_GET) ||      \
                 FF_IS(N, TABLE_SET) || FF_IS(N, TABLE_SIZE) || FF_IS(N, TABLE_GROW) ||      \
                 FF_IS(N, TABLE_FILL) || FF_IS(N, TABLE_COPY) || FF_IS(N, TABLE_INIT) ||     \
                 FF_IS(N, ELEM_DROP)                                                         \
             ? FF_VMCTX                                                                      \
             : 0) |                                                                          \
        (FF_IS(N, FCEIL) || FF_IS(N, FFLOOR) || FF_IS(N, FTRUNC) || FF_IS(N, FNEAREST)       \
             ? FF_ROUND                                                                      \
             : 0) |                                                                          \
        (FF_IS(N, SELECT) || FF_IS(N, TRAP_IF) ? FF_SELTRAP : 0) |                           \
        (FF_IS(N, IADD) || FF_IS(N, ISUB) || FF_IS(N, IAND) || FF_IS(N, IOR) ||              \
                 FF_IS(N, IXOR)                                                              \
             ? FF_ALUFOLD                                                                    \
             : 0) |                                                                          \
        (FF_IS(N, LOAD) ? FF_LOAD : 0)),
static const uint8_t ff_table[IR_OP_COUNT] = {
#define IR_OP(N, text, res, args, ctrl, imm, flags) FF_ROW(N, imm)
#include "ir/ops.def"
#undef IR_OP
};
#undef FF_ROW
#undef FF_IS

/*
 * The pre-scan: which compares fuse into their only user (the block's branch, a select or a
 * trap_if in the same block), which single-use loads fold into the next instruction, and
 * whether the function touches memory or the VM context (both fixed before selection: the
 * entry pins their registers). One table lookup per instruction (ff_table).
 */
static void
find_fusions(Isel *s)
{
    const IrFunc *f = s->f;
    const IrInstData *insts = f->insts.data;
    unsigned ctx_bits = FF_VMCTX | (s->features & RT_CPU_X64_SSE41 ? 0 : FF_ROUND);
    for (uint32_t i = 0; i < s->cfg.nrpo; i++) {
        const IrBlockData *b = &f->blocks.data[s->cfg.rpo[i]];
        if (b->term.kind == IR_TERM_BRANCH && fusable_cmp(s, b->term.value, b->first, b->end, true))
            s->state[b->term.value] |= V_FUSED;
        uint32_t prev_load = 0;
        for (uint32_t id = b->first; id < b->end; id++) {
            const IrInstData *d = &insts[id];
            unsigned k = ff_table[d->op];
            if (k & FF_SKIP)
                continue;
            if (SK_UNLIKELY(k & (FF_MEM | FF_VMCTX | FF_ROUND))) {
                if (k & FF_MEM)
                    s->uses_memory = true;
                if (k & ctx_bits)
                    s->uses_vmctx = true;
            }
            if (SK_UNLIKELY(k & FF_SELTRAP) &&
                (d->op == IR_OP_TRAP_IF || (d->type != IR_TYPE_F32 && d->type != IR_TYPE_F64 &&
                                            d->type != IR_TYPE_V128))) {
                if (fusable_cmp(s, d->a[0], b->first, id, false))
                    s->state[d->a[0]] |= V_FUSED;
            }
            /* A load whose only use is this instruction's second operand. */
            if (prev_load && (k & FF_ALUFOLD) && d->a[1] == prev_load && d->a[0] != prev_load &&
                (insts[prev_load].type == d->type) && !s->explicit_bounds)
                s->state[prev_load] |= V_FOLDED;
            prev_load = 0;
            if ((k & FF_LOAD) && (d->type == IR_TYPE_I32 || d->type == IR_TYPE_I64) &&
                s->nuses[id] == 1)
                prev_load = id;
        }
    }
}

/* ---- memory addressing -------------------------------------------------------------------- */

/* A wasm memory operand: base register, optional index register, displacement. */
typedef struct Addr {
    CgReg base, index;
    int32_t disp;
} Addr;

/* The operand for an access of `size` bytes at IR address value `addr` + static `offset`,
 * with the explicit bounds check first when that mode is on. */
SK_INLINE Addr
wasm_addr(Isel *s, const IrInstData *d, uint32_t size)
{
    Addr a = {s->membase, 0, 0};
    uint64_t offset = d->imm;
    uint32_t av = d->a[0];
    if (s->explicit_bounds) {
        CgOperand o[2] = {CG_USE(use(s, av)), CG_USE(s->memobj) | CG_OPF_LATE};
        CgInst *in = emit_ops(s, X64I_BOUNDS, o, 2);
        if (!in)
            return a;
        in->imm = (int64_t)(offset + size);
    }
    const IrInstData *ad = irv(s, av);
    if (ad->op == IR_OP_ICONST && (uint64_t)(uint32_t)ad->imm + offset <= INT32_MAX) {
        a.disp = (int32_t)((uint32_t)ad->imm + offset);
        return a;
    }
    if (offset <= INT32_MAX) {
        a.index = use(s, av);
        a.disp = (int32_t)offset;
        return a;
    }
    /* A static offset beyond disp32: add it to the (zero-extended) index. */
    CgReg t = mov_ri(s, CG_TYPE_I64, (int64_t)offset);
    CgReg ar = use(s, av);
    CgReg sum = newv(s, CG_TYPE_I64);
    CgOperand o[3] = {CG_DEF(sum) | CG_OPF_HINT, CG_USE(t) | CG_OPF_HINT, CG_USE(ar)};
    CgInst *in = emit_ops(s, X64I_ALU, o, 3);
    if (!in)
        return a;
    in->cc = X64_ALU_ADD;
    in->x = 8;
    a.index = sum;
    return a;
}

/* Fills a memory instruction's base/index operands at o[k..] and its y/disp fields. */
static uint32_t
put_addr(CgInst *in, CgOperand *o, uint32_t k, Addr a, bool trap)
{
    o[k++] = CG_USE(a.base);
    in->disp = a.disp;
    in->y = (uint16_t)(trap ? X64_MEM_TRAP : 0);
    if (a.index) {
        o[k++] = CG_USE(a.index);
        in->y |= X64_MEM_HAS_INDEX;
    }
    return k;
}

/* ---- calls -------------------------------------------------------------------------------- */

/* Stores the stack arguments and emits the call, with the register arguments, the callee
 * register (X64_CALL_REG: `target`, called through r10) and the result as FIXED operands
 * (target.h: the core copies them to and from their registers around the call). args[i] are
 * registers for every layout slot. Returns the call's result register (or 0). */
static CgReg
emit_call(Isel *s, const X64ArgLayout *L, const CgReg *args, uint8_t kind, int64_t callee,
          CgReg target, CgType ret_type)
{
    bool has_ret = ret_type != CG_TYPE_NONE;
    CgReg r = has_ret ? newv(s, ret_type) : 0;
    /* Stack arguments are stored first; the call's operands are then written in place:
     * the result, the callee register, the register arguments, then their registers. */
    uint32_t nreg = 0;
    for (uint32_t i = 0; i < L->nargs; i++) {
        if (!cg_loc_is_stack(L->loc[i])) {
            nreg++;
            continue;
        }
        CgInst *in = mk(s, X64I_STORE_ARG, 1);
        CHECK_INST(in);
        in->disp = (int32_t)(L->loc[i] - CG_LOC_STACK);
        in->cc = (uint8_t)cg_reg_type(s->ctx, args[i]);
        ops_of(s, in)[0] = CG_USE(args[i]);
    }
    cg_func_need_outgoing(s->ctx, L->stack_bytes);
    uint32_t k = has_ret + (target != 0) + nreg;
    SK_ASSERT(k <= 24);
    CgInst *in = mk(s, X64I_CALL, 2 * k);
    CHECK_INST(in);
    in->nops = (uint8_t)k;
    in->flags = CG_INSTF_CALL;
    in->cc = kind;
    in->imm = callee;
    CgOperand *o = ops_of(s, in);
    CgOperand *fr = o + k;
    uint32_t j = 0;
    if (has_ret) {
        fr[j] = cg_type_class(ret_type) == CG_CLASS_INT ? X64R_RAX : X64R_XMM0;
        o[j++] = CG_DEF(r) | CG_OPF_FIXED;
    }
    if (target) {
        /* r10: caller-saved, no argument, last in the allocation order, so the callee's
         * register is seldom taken by a value the arguments still need. */
        fr[j] = X64R_R10;
        o[j++] = CG_USE(target) | CG_OPF_FIXED;
    }
    for (uint32_t i = 0; i < L->nargs; i++) {
        if (!cg_loc_is_stack(L->loc[i])) {
            fr[j] = L->loc[i];
            o[j++] = CG_USE(args[i]) | CG_OPF_FIXED;
        }
    }
    return r;
}

/* Calls runtime builtin `b` with integer arguments (VM context first) and returns the
 * result register (or 0 for void). A float argument/result is used by the rounding
 * fallbacks only: `fargs` non-zero means args[1] is in xmm0. */
static CgReg
call_builtin(Isel *s, RtBuiltin b, const CgReg *args, uint32_t nargs, CgType ret, bool farg)
{
    X64ArgLayout L;
    memset(&L, 0, sizeof(L));
    L.nargs = nargs;
    uint32_t ni = 0;
    for (uint32_t i = 0; i < nargs; i++) {
        if (farg && i == 1)
            L.loc[i] = X64R_XMM0;
        else
            L.loc[i] = x64_int_arg_regs[ni++];
    }
    SK_ASSERT(ni <= 6);
    return emit_call(s, &L, args, X64_CALL_BUILTIN, b, 0, ret);
}

/* Registers for the extra results (1..n-1) of a call, loaded from the results area. */
static void
load_results(Isel *s, uint32_t call_id, const IrSig *sig, uint32_t obj, uint32_t block_end)
{
    for (uint32_t id = call_id + 1; id < block_end; id++) {
        const IrInstData *d = irv(s, id);
        if (d->op == IR_OP_NOP)
            continue;
        if (d->op != IR_OP_RESULT || d->a[0] != call_id)
            break;
        uint32_t k = (uint32_t)d->imm;
        SK_ASSERT(k >= 1 && k < sig->nresults);
        CgReg r = def(s, id);
        CgInst *in = mk(s, X64I_LOAD_FRAME, 1);
        if (!in || s->ctx->arena.failed)
            return;
        in->disp = (int32_t)obj;
        in->imm = 16 * (k - 1);
        in->cc = (uint8_t)x64_cg_type((IrType)sig->results[k]);
        ops_of(s, in)[0] = CG_DEF(r);
    }
}

static bool
sel_call(Isel *s, uint32_t id, uint32_t block_end)
{
    const IrInstData *d = irv(s, id);
    bool indirect = d->op == IR_OP_CALL_INDIRECT;
    uint32_t sig_index = indirect ? (uint32_t)(d->imm & 0xffffffffu) : d->a[0];
    const IrSig *sig = &s->m->sigs[sig_index];
    X64ArgLayout L;
    if (!x64_arg_layout(sig, &L))
        return sk_diag_set(s->ctx->diag, SK_DIAG_LIMIT, 0,
                           "implementation limit exceeded: a call with %u parameters",
                           sig->nparams);
    CgReg args[sizeof(L.loc) / sizeof(L.loc[0])];
    CgReg target = 0;
    uint8_t kind = X64_CALL_DIRECT;
    int64_t callee = 0;
    CgReg callee_vm = s->vmctx;

    if (indirect) {
        uint32_t table = (uint32_t)(d->imm >> 32);
        CgReg idx = use(s, d->a[0]);
        CgReg tab = load_ptr(s, s->vmctx, (int32_t)rt_vmlayout_table(s->vm, table));
        CgReg size = load_u32(s, tab, RT_TABLE_OFF_SIZE);
        CgInst *in = mk(s, X64I_TRAP_IF, 2);
        CHECK_INST(in);
        in->cc = X64_CC_AE;
        in->x = 4;
        in->disp = RT_TRAP_UNDEFINED_ELEMENT;
        ops_of(s, in)[0] = CG_USE(idx);
        ops_of(s, in)[1] = CG_USE(size);
        CgReg elems = load_ptr(s, tab, RT_TABLE_OFF_ELEMS);
        CgReg fr = newv(s, CG_TYPE_I64);
        in = mk(s, X64I_LOAD, 3);
        CHECK_INST(in);
        in->cc = X64_LD_64;
        in->x = 8;
        in->y = X64_MEM_HAS_INDEX | 3u << X64_MEM_SCALE_SHIFT;
        CgOperand *o = ops_of(s, in);
        o[0] = CG_DEF(fr), o[1] = CG_USE(elems), o[2] = CG_USE(idx);
        in = mk(s, X64I_TRAP_IF, 1);
        CHECK_INST(in);
        in->cc = X64_CC_E;
        in->x = 8;
        in->y = X64_CMP_TEST;
        in->disp = RT_TRAP_UNINITIALIZED_ELEMENT;
        ops_of(s, in)[0] = CG_USE(fr);
        CgReg have = load_u32(s, fr, RT_FUNCREF_OFF_TYPE_ID);
        CgReg want = load_u32(s, s->vmctx, (int32_t)rt_vmlayout_type_id(s->vm, sig_index));
        in = mk(s, X64I_TRAP_IF, 2);
        CHECK_INST(in);
        in->cc = X64_CC_NE;
        in->x = 4;
        in->disp = RT_TRAP_INDIRECT_CALL_TYPE;
        ops_of(s, in)[0] = CG_USE(have);
        ops_of(s, in)[1] = CG_USE(want);
        callee_vm = load_ptr(s, fr, RT_FUNCREF_OFF_VMCTX);
        target = load_ptr(s, fr, RT_FUNCREF_OFF_CODE);
        kind = X64_CALL_REG;
    } else if (d->imm < s->m->nimported_funcs) {
        CgReg fr = load_ptr(s, s->vmctx, (int32_t)rt_vmlayout_imported_func(s->vm, (uint32_t)d->imm));
        callee_vm = load_ptr(s, fr, RT_FUNCREF_OFF_VMCTX);
        target = load_ptr(s, fr, RT_FUNCREF_OFF_CODE);
        kind = X64_CALL_REG;
    } else {
        callee = (int64_t)d->imm;
    }

    uint32_t k = 0;
    args[k++] = callee_vm;
    uint32_t obj = 0;
    if (L.results_ptr) {
        obj = cg_frame_object(s->ctx, 16 * (sig->nresults - 1), 16);
        CgReg rp = newv(s, CG_TYPE_I64);
        CgInst *in = mk(s, X64I_LEA_FRAME, 1);
        CHECK_INST(in);
        in->disp = (int32_t)obj;
        ops_of(s, in)[0] = CG_DEF(rp);
        args[k++] = rp;
    }
    for (uint32_t i = 0; i < sig->nparams; i++)
        args[k++] = use(s, s->f->pool.data[d->a[1] + i]);
    SK_ASSERT(k == L.nargs);
    CgType rt = sig->nresults ? x64_cg_type((IrType)sig->results[0]) : CG_TYPE_NONE;
    CgReg r = emit_call(s, &L, args, kind, callee, target, rt);
    if (s->ctx->arena.failed)
        return false;
    if (rt != CG_TYPE_NONE)
        s->vreg[id] = r;
    if (sig->nresults >= 2)
        load_results(s, id, sig, obj, block_end);
    return true;
}

/* ---- instructions ------------------------------------------------------------------------- */

/* d = a op b for the two-address integer ALU group, with immediate and load folding. */
static bool
sel_alu(Isel *s, uint32_t id, X64AluOp op, bool comm)
{
    const IrInstData *d = irv(s, id);
    unsigned size = isize((IrType)d->type);
    uint32_t a = d->a[0], b = d->a[1];
    int64_t imm;
    bool folded = (s->state[b] & V_FOLDED) != 0;
    if (!folded && comm && imm32_of(s, a, size, &imm) && !imm32_of(s, b, size, &imm)) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    CgInst *in;
    if (!folded && imm32_of(s, b, size, &imm)) {
        CgReg ra = use(s, a);
        CgOperand o[2] = {CG_DEF(def(s, id)) | CG_OPF_HINT, CG_USE(ra) | CG_OPF_HINT};
        in = emit_ops(s, X64I_ALU_I, o, 2);
        if (!in)
            return false;
        in->imm = imm;
    } else if (folded) {
        CgReg ra = use(s, a);
        Addr ad = wasm_addr(s, irv(s, b), size);
        CgOperand o[4] = {CG_DEF(def(s, id)) | CG_OPF_HINT, CG_USE(ra) | CG_OPF_HINT,
                          CG_USE(ad.base) | CG_OPF_LATE, CG_USE(ad.index) | CG_OPF_LATE};
        in = emit_ops(s, X64I_ALU_M, o, ad.index ? 4 : 3);
        if (!in)
            return false;
        in->disp = ad.disp;
        in->y = (uint16_t)(X64_MEM_TRAP | (ad.index ? X64_MEM_HAS_INDEX : 0));
    } else {
        CgReg ra = use(s, a), rb = use(s, b);
        CgOperand o[3] = {CG_DEF(def(s, id)) | CG_OPF_HINT, CG_USE(ra) | CG_OPF_HINT,
                          CG_USE(rb) | (comm ? 0 : CG_OPF_LATE)};
        in = emit_ops(s, X64I_ALU, o, 3);
        if (!in)
            return false;
    }
    in->cc = (uint8_t)op;
    in->x = (uint8_t)size;
    return true;
}

/*
 * A compare prepared for CMP_SET/JCC/TRAP_IF/CMOV: the registers (materialized before the
 * instruction is created), the condition, the operand size and the form.
 */
typedef struct Cmp {
    CgReg a, b;     // b = 0 for the test and immediate forms
    int64_t imm;
    uint8_t cc;     // X64Cond
    uint8_t size;
    uint16_t y;     // X64_CMP_IMM / X64_CMP_TEST
} Cmp;

/* Prepares compare value c (ICMP, IEQZ, REF_IS_NULL), or a plain "c != 0" when !fused. */
static Cmp
cmp_prepare(Isel *s, uint32_t c, bool fused)
{
    Cmp r = {0, 0, 0, X64_CC_NE, 4, X64_CMP_TEST};
    const IrInstData *d = irv(s, c);
    if (!fused) {
        r.a = use(s, c);
        return r;
    }
    if (d->op == IR_OP_IEQZ || d->op == IR_OP_REF_IS_NULL) {
        IrType t = d->op == IR_OP_IEQZ ? (IrType)irv(s, d->a[0])->type : IR_TYPE_I64;
        r.size = (uint8_t)isize(t);
        r.cc = X64_CC_E;
        r.a = use(s, d->a[0]);
        return r;
    }
    SK_ASSERT(d->op == IR_OP_ICMP);
    IrIntCond cc = (IrIntCond)d->imm;
    uint32_t a = d->a[0], b = d->a[1];
    unsigned size = isize((IrType)irv(s, a)->type);
    int64_t imm;
    if (imm32_of(s, a, size, &imm) && !imm32_of(s, b, size, &imm)) {
        uint32_t t = a;
        a = b;
        b = t;
        cc = ir_icc_swap(cc);
    }
    r.size = (uint8_t)size;
    r.cc = icc_map[cc];
    r.a = use(s, a);
    r.y = 0;
    if (imm32_of(s, b, size, &imm)) {
        if (imm == 0 && (cc == IR_ICC_EQ || cc == IR_ICC_NE)) {
            r.y = X64_CMP_TEST;
        } else {
            r.y = X64_CMP_IMM;
            r.imm = imm;
        }
    } else {
        r.b = use(s, b);
    }
    return r;
}

/* Appends the compare's operands at o[k..]; returns the new count. */
static uint32_t
cmp_put(const Cmp *c, CgOperand *o, uint32_t k, bool late)
{
    CgOperand lf = late ? CG_OPF_LATE : 0;
    o[k++] = CG_USE(c->a) | lf;
    if (c->b)
        o[k++] = CG_USE(c->b) | lf;
    return k;
}

/* Sets the compare's fields on the instruction. */
static void
cmp_fields(CgInst *in, const Cmp *c)
{
    in->cc = c->cc;
    in->x = c->size;
    in->y = c->y;
    in->imm = c->imm;
}

static bool
sel_cmp_set(Isel *s, uint32_t id)
{
    Cmp c = cmp_prepare(s, id, true);
    CgOperand o[3];
    o[0] = CG_DEF(def(s, id));
    uint32_t n = cmp_put(&c, o, 1, false);
    CgInst *in = emit_ops(s, X64I_CMP_SET, o, n);
    if (!in)
        return false;
    cmp_fields(in, &c);
    return true;
}

static bool
sel_select(Isel *s, uint32_t id)
{
    const IrInstData *d = irv(s, id);
    uint32_t c = d->a[0];
    bool flt = d->type == IR_TYPE_F32 || d->type == IR_TYPE_F64 || d->type == IR_TYPE_V128;
    CgReg rf = use(s, d->a[2]), rt = use(s, d->a[1]);
    if (flt) {
        CgReg rc = use(s, c);
        CgOperand o[4] = {CG_DEF(def(s, id)) | CG_OPF_HINT, CG_USE(rf) | CG_OPF_HINT,
                          CG_USE(rt) | CG_OPF_LATE, CG_USE(rc) | CG_OPF_LATE};
        return emit_ops(s, X64I_FSEL, o, 4) != NULL;
    }
    Cmp cm = cmp_prepare(s, c, (s->state[c] & V_FUSED) != 0);
    CgOperand o[5] = {CG_DEF(def(s, id)) | CG_OPF_HINT, CG_USE(rf) | CG_OPF_HINT,
                      CG_USE(rt) | CG_OPF_LATE};
    uint32_t n = cmp_put(&cm, o, 3, true);
    CgInst *in = emit_ops(s, X64I_CMOV, o, n);
    if (!in)
        return false;
    cmp_fields(in, &cm);
    in->disp = (int32_t)isize((IrType)d->type);  // the cmov's size (x is the compare's)
    return true;
}

static bool
sel_trap_if(Isel *s, uint32_t id)
{
    const IrInstData *d = irv(s, id);
    uint32_t c = d->a[0];
    Cmp cm = cmp_prepare(s, c, (s->state[c] & V_FUSED) != 0);
    CgOperand o[2];
    uint32_t n = cmp_put(&cm, o, 0, false);
    CgInst *in = emit_ops(s, X64I_TRAP_IF, o, n);
    if (!in)
        return false;
    cmp_fields(in, &cm);
    in->disp = trap_map[d->imm < IR_TRAP_COUNT ? d->imm : 0];
    return true;
}

/* Shifts and rotates (count masked to the width, as Wasm says). */
static bool
sel_shift(Isel *s, uint32_t id, X64ShiftOp op)
{
    const IrInstData *d = irv(s, id);
    unsigned size = isize((IrType)d->type);
    CgReg dst = def(s, id);
    const IrInstData *bd = irv(s, d->a[1]);
    if (bd->op == IR_OP_ICONST) {
        uint8_t cnt = (uint8_t)(bd->imm & (size * 8 - 1));
        CgReg a = use(s, d->a[0]);
        if (cnt == 0) {
            cg_pcopy(s->ctx, &dst, &a, 1);
            return true;
        }
        CgInst *in = mk(s, X64I_SHIFT_I, 2);
        CHECK_INST(in);
        in->cc = (uint8_t)op;
        in->x = (uint8_t)size;
        in->imm = cnt;
        CgOperand *o = ops_of(s, in);
        o[0] = CG_DEF(dst) | CG_OPF_HINT;
        o[1] = CG_USE(a) | CG_OPF_HINT;
        return true;
    }
    CgReg cnt = use(s, d->a[1]);
    CgReg ra = use(s, d->a[0]);
    CgReg rcx = X64R_RCX;
    cg_pcopy(s->ctx, &rcx, &cnt, 1);
    CgOperand o[3] = {CG_DEF(dst) | CG_OPF_HINT, CG_USE(ra) | CG_OPF_HINT,
                      CG_USE(rcx) | CG_OPF_LATE};
    CgInst *in = emit_ops(s, X64I_SHIFT, o, 3);
    if (!in)
        return false;
    in->cc = (uint8_t)op;
    in->x = (uint8_t)size;
    return true;
}

static bool
sel_div(Isel *s, uint32_t id, uint8_t kind)
{
    const IrInstData *d = irv(s, id);
    unsigned size = isize((IrType)d->type);
    CgReg a = use(s, d->a[0]);
    CgReg b = use(s, d->a[1]);
    CgReg rax = X64R_RAX, rdx = X64R_RDX;
    cg_pcopy(s->ctx, &rax, &a, 1);
    CgInst *in = mk(s, X64I_DIV, 4);
    CHECK_INST(in);
    in->cc = kind;
    in->x = (uint8_t)size;
    CgOperand *o = ops_of(s, in);
    o[0] = CG_DEF(rax), o[1] = CG_DEF(rdx), o[2] = CG_USE(rax), o[3] = CG_USE(b) | CG_OPF_LATE;
    CgReg dst = def(s, id);
    CgReg res = kind == X64_DIV_U || kind == X64_DIV_S ? rax : rdx;
    cg_pcopy(s->ctx, &dst, &res, 1);
    return true;
}

/* A generic "d = op a" with the given MIR op and fields. */
static bool
sel_unop(Isel *s, uint32_t id, uint16_t mop, uint8_t cc, uint8_t x, bool tie)
{
    const IrInstData *d = irv(s, id);
    CgReg ra = use(s, d->a[0]);
    CgOperand h = tie ? CG_OPF_HINT : 0;
    CgOperand o[2] = {CG_DEF(def(s, id)) | h, CG_USE(ra) | h};
    CgInst *in = emit_ops(s, mop, o, 2);
    if (!in)
        return false;
    in->cc = cc;
    in->x = x;
    return true;
}

static bool
sel_sse(Isel *s, uint32_t id, X64SseOp op32, X64SseOp op64, bool comm)
{
    const IrInstData *d = irv(s, id);
    bool f64 = d->type == IR_TYPE_F64;
    CgReg ra = use(s, d->a[0]), rb = use(s, d->a[1]);
    CgOperand o[3] = {CG_DEF(def(s, id)) | CG_OPF_HINT, CG_USE(ra) | CG_OPF_HINT,
                      CG_USE(rb) | (comm ? 0 : CG_OPF_LATE)};
    CgInst *in = emit_ops(s, X64I_SSE, o, 3);
    if (!in)
        return false;
    in->y = (uint16_t)(f64 ? op64 : op32);
    in->x = f64 ? 8 : 4;
    return true;
}

static bool
sel_fbin_late(Isel *s, uint32_t id, uint16_t mop, uint8_t cc)
{
    const IrInstData *d = irv(s, id);
    CgReg ra = use(s, d->a[0]), rb = use(s, d->a[1]);
    CgOperand o[3] = {CG_DEF(def(s, id)) | CG_OPF_HINT, CG_USE(ra) | CG_OPF_HINT,
                      CG_USE(rb) | CG_OPF_LATE};
    CgInst *in = emit_ops(s, mop, o, 3);
    if (!in)
        return false;
    in->cc = cc;
    in->x = d->type == IR_TYPE_F64 ? 8 : 4;
    return true;
}

/* ceil/floor/trunc/nearest: roundss/roundsd with SSE4.1, else a runtime builtin. */
static bool
sel_round(Isel *s, uint32_t id, uint8_t mode, RtBuiltin b32, RtBuiltin b64)
{
    const IrInstData *d = irv(s, id);
    bool f64 = d->type == IR_TYPE_F64;
    if (s->features & RT_CPU_X64_SSE41) {
        CgReg ra = use(s, d->a[0]);
        CgOperand o[2] = {CG_DEF(def(s, id)), CG_USE(ra)};
        CgInst *in = emit_ops(s, X64I_FROUND, o, 2);
        if (!in)
            return false;
        in->x = f64 ? 8 : 4;
        in->imm = mode;
        return true;
    }
    CgReg args[2] = {s->vmctx, use(s, d->a[0])};
    CgReg r = call_builtin(s, f64 ? b64 : b32, args, 2, f64 ? CG_TYPE_F64 : CG_TYPE_F32, true);
    s->vreg[id] = r;
    return r != 0;
}

static bool
sel_cvt(Isel *s, uint32_t id, uint8_t kind, uint8_t x)
{
    const IrInstData *d = irv(s, id);
    CgReg ra = use(s, d->a[0]);
    CgOperand o[2] = {CG_DEF(def(s, id)), CG_USE(ra)};
    CgInst *in = emit_ops(s, X64I_CVT, o, 2);
    if (!in)
        return false;
    in->cc = kind;
    in->x = x;
    return true;
}

static bool
sel_load(Isel *s, uint32_t id)
{
    const IrInstData *d = irv(s, id);
    if (IR_MEMARG_MEM(d->a[2]) != 0)
        return sk_diag_set(s->ctx->diag, SK_DIAG_UNSUPPORTED, 0,
                           "unsupported feature: multiple memories");
    if (s->state[id] & V_FOLDED)
        return true;  // emitted as its user's memory operand
    IrType t = (IrType)d->type;
    uint8_t kind, size, bytes;
    switch (d->op) {
    case IR_OP_LOAD:
        kind = t == IR_TYPE_I32   ? X64_LD_U32
               : t == IR_TYPE_I64 ? X64_LD_64
               : t == IR_TYPE_F32 ? X64_LD_F32
               : t == IR_TYPE_F64 ? X64_LD_F64
                                  : X64_LD_V128;
        bytes = t == IR_TYPE_I32 || t == IR_TYPE_F32 ? 4 : t == IR_TYPE_V128 ? 16 : 8;
        break;
    case IR_OP_LOAD8_S: kind = X64_LD_S8; bytes = 1; break;
    case IR_OP_LOAD8_U: kind = X64_LD_U8; bytes = 1; break;
    case IR_OP_LOAD16_S: kind = X64_LD_S16; bytes = 2; break;
    case IR_OP_LOAD16_U: kind = X64_LD_U16; bytes = 2; break;
    case IR_OP_LOAD32_S: kind = X64_LD_S32; bytes = 4; break;
    case IR_OP_LOAD32_U: kind = X64_LD_U32; bytes = 4; break;
    default:
        return sk_diag_set(s->ctx->diag, SK_DIAG_UNSUPPORTED, 0,
                           "unsupported feature: %s", ir_op_info[d->op].name);
    }
    size = (uint8_t)(t == IR_TYPE_I32 ? 4 : 8);
    Addr a = wasm_addr(s, d, bytes);
    CgReg dst = def(s, id);
    CgInst *in = mk(s, X64I_LOAD, 3);
    CHECK_INST(in);
    in->cc = kind;
    in->x = size;
    CgOperand *o = ops_of(s, in);
    o[0] = CG_DEF(dst);
    in->nops = (uint8_t)put_addr(in, o, 1, a, !s->explicit_bounds);
    return true;
}

static bool
sel_store(Isel *s, uint32_t id)
{
    const IrInstData *d = irv(s, id);
    if (IR_MEMARG_MEM(d->a[2]) != 0)
        return sk_diag_set(s->ctx->diag, SK_DIAG_UNSUPPORTED, 0,
                           "unsupported feature: multiple memories");
    IrType t = (IrType)irv(s, d->a[1])->type;
    uint8_t kind, bytes;
    switch (d->op) {
    case IR_OP_STORE:
        kind = t == IR_TYPE_I32   ? X64_ST_32
               : t == IR_TYPE_I64 ? X64_ST_64
               : t == IR_TYPE_F32 ? X64_ST_F32
               : t == IR_TYPE_F64 ? X64_ST_F64
                                  : X64_ST_V128;
        bytes = t == IR_TYPE_I32 || t == IR_TYPE_F32 ? 4 : t == IR_TYPE_V128 ? 16 : 8;
        break;
    case IR_OP_STORE8: kind = X64_ST_8; bytes = 1; break;
    case IR_OP_STORE16: kind = X64_ST_16; bytes = 2; break;
    case IR_OP_STORE32: kind = X64_ST_32; bytes = 4; break;
    default:
        return sk_diag_set(s->ctx->diag, SK_DIAG_UNSUPPORTED, 0,
                           "unsupported feature: %s", ir_op_info[d->op].name);
    }
    int64_t imm = 0;  // set when is_imm (gcc cannot tell once wasm_addr is inline)
    bool is_imm = kind <= X64_ST_64 && imm32_of(s, d->a[1], kind == X64_ST_64 ? 8 : 4, &imm);
    CgReg v = is_imm ? 0 : use(s, d->a[1]);
    Addr a = wasm_addr(s, d, bytes);
    CgInst *in = mk(s, is_imm ? X64I_STORE_I : X64I_STORE, 3);
    CHECK_INST(in);
    in->cc = kind;
    CgOperand *o = ops_of(s, in);
    uint32_t k = put_addr(in, o, 0, a, !s->explicit_bounds);
    if (is_imm)
        in->imm = imm;
    else
        o[k++] = CG_USE(v);
    in->nops = (uint8_t)k;
    return true;
}

/* Global access: the cell is inline in the VM context (defined) or behind a pointer. */
static CgReg
global_cell(Isel *s, uint32_t g, int32_t *disp)
{
    if (g < s->m->nimported_globals) {
        *disp = 0;
        return load_ptr(s, s->vmctx, (int32_t)rt_vmlayout_imported_global(s->vm, g));
    }
    *disp = (int32_t)rt_vmlayout_global(s->vm, g);
    return s->vmctx;
}

static uint8_t
load_kind(IrType t, uint8_t *size)
{
    *size = t == IR_TYPE_I32 ? 4 : 8;
    switch (t) {
    case IR_TYPE_I32: return X64_LD_U32;
    case IR_TYPE_F32: return X64_LD_F32;
    case IR_TYPE_F64: return X64_LD_F64;
    case IR_TYPE_V128: return X64_LD_V128;
    default: return X64_LD_64;
    }
}

static uint8_t
store_kind(IrType t)
{
    switch (t) {
    case IR_TYPE_I32: return X64_ST_32;
    case IR_TYPE_F32: return X64_ST_F32;
    case IR_TYPE_F64: return X64_ST_F64;
    case IR_TYPE_V128: return X64_ST_V128;
    default: return X64_ST_64;
    }
}

static bool
sel_global_get(Isel *s, uint32_t id)
{
    const IrInstData *d = irv(s, id);
    int32_t disp;
    CgReg base = global_cell(s, (uint32_t)d->imm, &disp);
    uint8_t size;
    uint8_t kind = load_kind((IrType)d->type, &size);
    CgReg dst = def(s, id);
    CgInst *in = mk(s, X64I_LOAD, 2);
    CHECK_INST(in);
    in->cc = kind;
    in->x = size;
    in->disp = disp;
    CgOperand *o = ops_of(s, in);
    o[0] = CG_DEF(dst), o[1] = CG_USE(base);
    return true;
}

static bool
sel_global_set(Isel *s, uint32_t id)
{
    const IrInstData *d = irv(s, id);
    int32_t disp;
    CgReg v = use(s, d->a[0]);
    CgReg base = global_cell(s, (uint32_t)d->imm, &disp);
    CgInst *in = mk(s, X64I_STORE, 2);
    CHECK_INST(in);
    in->cc = store_kind((IrType)irv(s, d->a[0])->type);
    in->disp = disp;
    CgOperand *o = ops_of(s, in);
    o[0] = CG_USE(base), o[1] = CG_USE(v);
    return true;
}

/* RtMemory * of memory `mem`. */
static CgReg
memory_object(Isel *s, uint32_t mem)
{
    if (mem == 0)
        return load_ptr(s, s->vmctx, RT_VMCTX_OFF_MEM0);
    return load_ptr(s, s->vmctx, (int32_t)rt_vmlayout_memory(s->vm, mem));
}

/* Builtin call with IR value operands after the VM context and constant immediates. */
static bool
sel_builtin(Isel *s, uint32_t id, RtBuiltin b, const uint64_t *imms, uint32_t nimms,
            uint32_t nvals, CgType ret)
{
    const IrInstData *d = irv(s, id);
    CgReg args[8];
    uint32_t n = 0;
    args[n++] = s->vmctx;
    for (uint32_t i = 0; i < nimms; i++)
        args[n++] = mov_ri(s, CG_TYPE_I32, (int64_t)(uint32_t)imms[i]);
    for (uint32_t i = 0; i < nvals; i++)
        args[n++] = use(s, d->a[i]);
    CgReg r = call_builtin(s, b, args, n, ret, false);
    if (ret != CG_TYPE_NONE)
        s->vreg[id] = r;
    return !s->ctx->arena.failed;
}

/* ---- services for the SIMD selector (regs.h, isel_simd.c) -------------------------------- */

CgReg
x64_isel_use(X64Isel *s, uint32_t v)
{
    return use(s, v);
}

CgReg
x64_isel_def(X64Isel *s, uint32_t v)
{
    return def(s, v);
}

X64Addr
x64_isel_addr(X64Isel *s, uint32_t id, uint32_t bytes)
{
    Addr a = wasm_addr(s, irv(s, id), bytes);
    return (X64Addr){a.base, a.index, a.disp};
}

static bool
unsupported(Isel *s, const IrInstData *d)
{
    return sk_diag_set(s->ctx->diag, SK_DIAG_UNSUPPORTED, 0,
                       "unsupported feature: %s is not implemented on x86_64 yet",
                       ir_op_info[d->op].name);
}

/* The operations sel_inst selects nothing for are the first ones (x64_isel skips them). */
_Static_assert(IR_OP_NONE == 0 && IR_OP_NOP == 1 && IR_OP_PARAM == 2 && IR_OP_RESULT == 3 &&
                   IR_OP_ICONST == 4 && IR_OP_FCONST == 5 && IR_OP_VCONST == 6 &&
                   IR_OP_REF_NULL == 7,
               "IR_OP_NONE..IR_OP_REF_NULL are the ops without code of their own");

static bool
sel_inst(Isel *s, uint32_t id, uint32_t block_end)
{
    const IrInstData *d = irv(s, id);
    IrType t = (IrType)d->type;
    unsigned size = isize(t);
    bool f64 = t == IR_TYPE_F64;
    switch ((IrOp)d->op) {
    case IR_OP_NONE:
    case IR_OP_NOP:
    case IR_OP_PARAM:
    case IR_OP_RESULT:
    case IR_OP_ICONST:
    case IR_OP_FCONST:
    case IR_OP_VCONST:
    case IR_OP_REF_NULL:
        return true;  // constants are materialized where they are used
    case IR_OP_REF_FUNC: {
        uint32_t fi = (uint32_t)d->imm;
        CgReg dst = def(s, id);
        if (fi < s->m->nimported_funcs) {
            CgInst *in = mk(s, X64I_LOAD, 2);
            CHECK_INST(in);
            in->cc = X64_LD_64;
            in->x = 8;
            in->disp = (int32_t)rt_vmlayout_imported_func(s->vm, fi);
            ops_of(s, in)[0] = CG_DEF(dst);
            ops_of(s, in)[1] = CG_USE(s->vmctx);
        } else {
            CgInst *in = mk(s, X64I_LEA, 2);
            CHECK_INST(in);
            in->x = 8;
            in->disp = (int32_t)rt_vmlayout_funcref(s->vm, fi);
            ops_of(s, in)[0] = CG_DEF(dst);
            ops_of(s, in)[1] = CG_USE(s->vmctx);
        }
        return true;
    }
    case IR_OP_REF_IS_NULL:
    case IR_OP_IEQZ:
    case IR_OP_ICMP:
        if (s->state[id] & V_FUSED)
            return true;
        return sel_cmp_set(s, id);
    case IR_OP_IADD:
        return sel_alu(s, id, X64_ALU_ADD, true);
    case IR_OP_ISUB: {
        const IrInstData *ad = irv(s, d->a[0]);
        if (ad->op == IR_OP_ICONST && (size == 8 ? ad->imm == 0 : (uint32_t)ad->imm == 0) &&
            !(s->state[d->a[1]] & V_FOLDED)) {
            /* 0 - x */
            CgReg rb = use(s, d->a[1]);
            CgOperand o[2] = {CG_DEF(def(s, id)) | CG_OPF_HINT, CG_USE(rb) | CG_OPF_HINT};
            CgInst *in = emit_ops(s, X64I_UNARY, o, 2);
            if (!in)
                return false;
            in->cc = X64_UN_NEG;
            in->x = (uint8_t)size;
            return true;
        }
        return sel_alu(s, id, X64_ALU_SUB, false);
    }
    case IR_OP_IAND:
        return sel_alu(s, id, X64_ALU_AND, true);
    case IR_OP_IOR:
        return sel_alu(s, id, X64_ALU_OR, true);
    case IR_OP_IXOR:
        return sel_alu(s, id, X64_ALU_XOR, true);
    case IR_OP_IMUL: {
        uint32_t a = d->a[0], b = d->a[1];
        int64_t imm;
        if (imm32_of(s, a, size, &imm) && !imm32_of(s, b, size, &imm)) {
            a = d->a[1];
            b = d->a[0];
        }
        CgInst *in;
        if (imm32_of(s, b, size, &imm)) {
            uint64_t u = size == 4 ? (uint32_t)imm : (uint64_t)imm;
            CgReg ra = use(s, a);
            if (u && (u & (u - 1)) == 0) {
                CgOperand o[2] = {CG_DEF(def(s, id)) | CG_OPF_HINT, CG_USE(ra) | CG_OPF_HINT};
                in = emit_ops(s, X64I_SHIFT_I, o, 2);
                if (!in)
                    return false;
                in->cc = X64_SHIFT_SHL;
                in->imm = __builtin_ctzll(u);
            } else {
                CgOperand o[2] = {CG_DEF(def(s, id)), CG_USE(ra)};
                in = emit_ops(s, X64I_IMUL_I, o, 2);
                if (!in)
                    return false;
                in->imm = imm;
            }
        } else {
            CgReg ra = use(s, a), rb = use(s, b);
            CgOperand o[3] = {CG_DEF(def(s, id)) | CG_OPF_HINT, CG_USE(ra) | CG_OPF_HINT,
                              CG_USE(rb)};
            in = emit_ops(s, X64I_IMUL, o, 3);
            if (!in)
                return false;
        }
        in->x = (uint8_t)size;
        return true;
    }
    case IR_OP_IDIV_S:
        return sel_div(s, id, X64_DIV_S);
    case IR_OP_IDIV_U:
        return sel_div(s, id, X64_DIV_U);
    case IR_OP_IREM_S:
        return sel_div(s, id, X64_REM_S);
    case IR_OP_IREM_U:
        return sel_div(s, id, X64_REM_U);
    case IR_OP_ISHL:
        return sel_shift(s, id, X64_SHIFT_SHL);
    case IR_OP_ISHR_S:
        return sel_shift(s, id, X64_SHIFT_SAR);
    case IR_OP_ISHR_U:
        return sel_shift(s, id, X64_SHIFT_SHR);
    case IR_OP_IROTL:
        return sel_shift(s, id, X64_SHIFT_ROL);
    case IR_OP_IROTR:
        return sel_shift(s, id, X64_SHIFT_ROR);
    case IR_OP_ICLZ:
        return sel_unop(s, id, X64I_BITCNT, X64_CNT_CLZ, (uint8_t)size, true);
    case IR_OP_ICTZ:
        return sel_unop(s, id, X64I_BITCNT, X64_CNT_CTZ, (uint8_t)size, true);
    case IR_OP_IPOPCNT:
        return sel_unop(s, id, X64I_BITCNT, X64_CNT_POPCNT, (uint8_t)size, true);
    case IR_OP_IEXTEND8_S:
        return sel_unop(s, id, X64I_EXT, X64_EXT_S8, (uint8_t)size, false);
    case IR_OP_IEXTEND16_S:
        return sel_unop(s, id, X64I_EXT, X64_EXT_S16, (uint8_t)size, false);
    case IR_OP_IEXTEND32_S:
    case IR_OP_ISEXT:
        return sel_unop(s, id, X64I_EXT, X64_EXT_S32, 8, false);
    case IR_OP_IWRAP:
        return sel_unop(s, id, X64I_EXT, X64_EXT_U32, 4, false);
    case IR_OP_IZEXT: {
        /* Always a register of its own type, never the i32's: moves and spill slots take
         * the width of a register's type, so an i64 value living in an i32 register is
         * spilled with 4 bytes and may be reloaded, or moved into an i64 block parameter,
         * with 8 (the slot's stale upper half; spec-tests/regress/issue-izext-spill.wast).
         * The 32-bit move zero-extends; the hint lets it share the i32's register. */
        const IrInstData *ad = irv(s, d->a[0]);
        if (ad->op == IR_OP_ICONST) {
            CgInst *in = mk(s, X64I_MOV_RI, 1);
            CHECK_INST(in);
            in->x = 8;
            in->imm = (int64_t)(uint32_t)ad->imm;
            ops_of(s, in)[0] = CG_DEF(def(s, id));
            return true;
        }
        return sel_unop(s, id, X64I_EXT, X64_EXT_U32, 4, true);
    }
    case IR_OP_FADD:
        return sel_sse(s, id, X64_SSE_ADDSS, X64_SSE_ADDSD, true);
    case IR_OP_FSUB:
        return sel_sse(s, id, X64_SSE_SUBSS, X64_SSE_SUBSD, false);
    case IR_OP_FMUL:
        return sel_sse(s, id, X64_SSE_MULSS, X64_SSE_MULSD, true);
    case IR_OP_FDIV:
        return sel_sse(s, id, X64_SSE_DIVSS, X64_SSE_DIVSD, false);
    case IR_OP_FMIN:
        return sel_fbin_late(s, id, X64I_FMINMAX, 0);
    case IR_OP_FMAX:
        return sel_fbin_late(s, id, X64I_FMINMAX, 1);
    case IR_OP_FCOPYSIGN:
        return sel_fbin_late(s, id, X64I_FCOPYSIGN, 0);
    case IR_OP_FABS:
        return sel_unop(s, id, X64I_FUNARY, X64_FUN_ABS, f64 ? 8 : 4, true);
    case IR_OP_FNEG:
        return sel_unop(s, id, X64I_FUNARY, X64_FUN_NEG, f64 ? 8 : 4, true);
    case IR_OP_FSQRT:
        return sel_unop(s, id, X64I_FSQRT, 0, f64 ? 8 : 4, false);
    case IR_OP_FCEIL:
        return sel_round(s, id, 0xA, RT_BUILTIN_F32_CEIL, RT_BUILTIN_F64_CEIL);
    case IR_OP_FFLOOR:
        return sel_round(s, id, 0x9, RT_BUILTIN_F32_FLOOR, RT_BUILTIN_F64_FLOOR);
    case IR_OP_FTRUNC:
        return sel_round(s, id, 0xB, RT_BUILTIN_F32_TRUNC, RT_BUILTIN_F64_TRUNC);
    case IR_OP_FNEAREST:
        return sel_round(s, id, 0x8, RT_BUILTIN_F32_NEAREST, RT_BUILTIN_F64_NEAREST);
    case IR_OP_FCMP: {
        if (s->state[id] & V_FUSED)
            return true;
        CgReg ra = use(s, d->a[0]), rb = use(s, d->a[1]);
        CgOperand o[3] = {CG_DEF(def(s, id)), CG_USE(ra), CG_USE(rb)};
        CgInst *in = emit_ops(s, X64I_FCMP_SET, o, 3);
        if (!in)
            return false;
        in->cc = (uint8_t)d->imm;
        in->x = irv(s, d->a[0])->type == IR_TYPE_F64 ? 8 : 4;
        return true;
    }
    case IR_OP_FDEMOTE:
        return sel_cvt(s, id, X64_CVT_F32_F64, 8);
    case IR_OP_FPROMOTE:
        return sel_cvt(s, id, X64_CVT_F64_F32, 4);
    case IR_OP_FCVT_FROM_SINT:
    case IR_OP_FCVT_FROM_UINT: {
        bool from64 = irv(s, d->a[0])->type == IR_TYPE_I64;
        bool u = d->op == IR_OP_FCVT_FROM_UINT;
        uint8_t kind = u ? (from64 ? X64_CVT_F_U64 : X64_CVT_F_U32)
                         : (from64 ? X64_CVT_F_I64 : X64_CVT_F_I32);
        return sel_cvt(s, id, kind, f64 ? 8 : 4);
    }
    case IR_OP_FCVT_TO_SINT:
    case IR_OP_FCVT_TO_UINT:
    case IR_OP_FCVT_TO_SINT_SAT:
    case IR_OP_FCVT_TO_UINT_SAT: {
        bool from64 = irv(s, d->a[0])->type == IR_TYPE_F64;
        bool u = d->op == IR_OP_FCVT_TO_UINT || d->op == IR_OP_FCVT_TO_UINT_SAT;
        bool sat = d->op == IR_OP_FCVT_TO_SINT_SAT || d->op == IR_OP_FCVT_TO_UINT_SAT;
        uint8_t base = sat ? X64_CVT_SAT_I32 : X64_CVT_TRUNC_I32;
        uint8_t kind = (uint8_t)(base + (size == 8 ? 2 : 0) + (u ? 1 : 0));
        return sel_cvt(s, id, kind, from64 ? 8 : 4);
    }
    case IR_OP_BITCAST: {
        IrType at = (IrType)irv(s, d->a[0])->type;
        return sel_unop(s, id, X64I_BITCAST, 0,
                        at == IR_TYPE_I32 || at == IR_TYPE_F32 ? 4 : 8, false);
    }
    case IR_OP_SELECT:
        return sel_select(s, id);
    case IR_OP_GLOBAL_GET:
        return sel_global_get(s, id);
    case IR_OP_GLOBAL_SET:
        return sel_global_set(s, id);
    case IR_OP_TRAP_IF:
        return sel_trap_if(s, id);
    case IR_OP_CALL:
    case IR_OP_CALL_INDIRECT:
        return sel_call(s, id, block_end);
    case IR_OP_LOAD:
    case IR_OP_LOAD8_S:
    case IR_OP_LOAD8_U:
    case IR_OP_LOAD16_S:
    case IR_OP_LOAD16_U:
    case IR_OP_LOAD32_S:
    case IR_OP_LOAD32_U:
        return sel_load(s, id);
    case IR_OP_STORE:
    case IR_OP_STORE8:
    case IR_OP_STORE16:
    case IR_OP_STORE32:
        return sel_store(s, id);
    case IR_OP_MEMORY_SIZE: {
        CgReg mo = memory_object(s, (uint32_t)d->imm);
        CgReg bytes = load_ptr(s, mo, RT_MEMORY_OFF_SIZE);
        CgReg dst = def(s, id);
        CgInst *in = mk(s, X64I_SHIFT_I, 2);
        CHECK_INST(in);
        in->cc = X64_SHIFT_SHR;
        in->x = 8;
        in->imm = 16;
        CgOperand *o = ops_of(s, in);
        o[0] = CG_DEF(dst) | CG_OPF_HINT, o[1] = CG_USE(bytes) | CG_OPF_HINT;
        return true;
    }
    case IR_OP_MEMORY_GROW: {
        uint64_t im[1] = {d->imm};
        return sel_builtin(s, id, RT_BUILTIN_MEMORY_GROW, im, 1, 1, CG_TYPE_I32);
    }
    case IR_OP_MEMORY_COPY: {
        uint64_t im[2] = {d->imm & 0xffffffffu, d->imm >> 32};
        return sel_builtin(s, id, RT_BUILTIN_MEMORY_COPY, im, 2, 3, CG_TYPE_NONE);
    }
    case IR_OP_MEMORY_FILL: {
        uint64_t im[1] = {d->imm};
        return sel_builtin(s, id, RT_BUILTIN_MEMORY_FILL, im, 1, 3, CG_TYPE_NONE);
    }
    case IR_OP_MEMORY_INIT: {
        uint64_t im[2] = {d->imm >> 32, d->imm & 0xffffffffu};  // memory, segment
        return sel_builtin(s, id, RT_BUILTIN_MEMORY_INIT, im, 2, 3, CG_TYPE_NONE);
    }
    case IR_OP_DATA_DROP: {
        uint64_t im[1] = {d->imm};
        return sel_builtin(s, id, RT_BUILTIN_DATA_DROP, im, 1, 0, CG_TYPE_NONE);
    }
    case IR_OP_TABLE_GET: {
        uint64_t im[1] = {d->imm};
        return sel_builtin(s, id, RT_BUILTIN_TABLE_GET, im, 1, 1, CG_TYPE_I64);
    }
    case IR_OP_TABLE_SET: {
        uint64_t im[1] = {d->imm};
        return sel_builtin(s, id, RT_BUILTIN_TABLE_SET, im, 1, 2, CG_TYPE_NONE);
    }
    case IR_OP_TABLE_SIZE: {
        CgReg tab = load_ptr(s, s->vmctx, (int32_t)rt_vmlayout_table(s->vm, (uint32_t)d->imm));
        CgReg dst = def(s, id);
        CgInst *in = mk(s, X64I_LOAD, 2);
        CHECK_INST(in);
        in->cc = X64_LD_U32;
        in->x = 4;
        in->disp = RT_TABLE_OFF_SIZE;
        ops_of(s, in)[0] = CG_DEF(dst);
        ops_of(s, in)[1] = CG_USE(tab);
        return true;
    }
    case IR_OP_TABLE_GROW: {
        uint64_t im[1] = {d->imm};
        return sel_builtin(s, id, RT_BUILTIN_TABLE_GROW, im, 1, 2, CG_TYPE_I32);
    }
    case IR_OP_TABLE_FILL: {
        uint64_t im[1] = {d->imm};
        return sel_builtin(s, id, RT_BUILTIN_TABLE_FILL, im, 1, 3, CG_TYPE_NONE);
    }
    case IR_OP_TABLE_COPY: {
        uint64_t im[2] = {d->imm & 0xffffffffu, d->imm >> 32};
        return sel_builtin(s, id, RT_BUILTIN_TABLE_COPY, im, 2, 3, CG_TYPE_NONE);
    }
    case IR_OP_TABLE_INIT: {
        uint64_t im[2] = {d->imm >> 32, d->imm & 0xffffffffu};  // table, segment
        return sel_builtin(s, id, RT_BUILTIN_TABLE_INIT, im, 2, 3, CG_TYPE_NONE);
    }
    case IR_OP_ELEM_DROP: {
        uint64_t im[1] = {d->imm};
        return sel_builtin(s, id, RT_BUILTIN_ELEM_DROP, im, 1, 0, CG_TYPE_NONE);
    }
    default:
        if (x64_ir_op_is_simd(d->op))
            return x64_isel_simd(s, s->ctx, s->f, id);
        return unsupported(s, d);
    }
}

/* ---- terminators -------------------------------------------------------------------------- */

static bool
sel_term(Isel *s, const IrBlockData *b)
{
    const IrTerm *t = &b->term;
    const IrFunc *f = s->f;
    switch ((IrTermKind)t->kind) {
    case IR_TERM_JUMP: {
        CgReg args[64];
        CgReg *ap = args;
        if (t->nlist > 64) {
            ap = sk_arena_alloc(&s->ctx->arena, t->nlist * sizeof(CgReg));
            if (!ap)
                return false;
        }
        for (uint32_t i = 0; i < t->nlist; i++)
            ap[i] = use(s, f->pool.data[t->list + i]);
        CgInst *in = mk(s, X64I_JMP, 0);
        CHECK_INST(in);
        cg_block_add_succ(s->ctx, s->mblock[t->target]);
        if (t->nlist)
            cg_block_set_args(s->ctx, ap, t->nlist);
        return true;
    }
    case IR_TERM_BRANCH: {
        uint32_t c = t->value;
        CgInst *in;
        if (s->state[c] & V_FUSED && irv(s, c)->op == IR_OP_FCMP) {
            const IrInstData *cd = irv(s, c);
            CgReg ra = use(s, cd->a[0]), rb = use(s, cd->a[1]);
            CgOperand o[2] = {CG_USE(ra), CG_USE(rb)};
            in = emit_ops(s, X64I_FJCC, o, 2);
            if (!in)
                return false;
            in->cc = (uint8_t)cd->imm;
            in->x = irv(s, cd->a[0])->type == IR_TYPE_F64 ? 8 : 4;
        } else {
            Cmp cm = cmp_prepare(s, c, (s->state[c] & V_FUSED) != 0);
            CgOperand o[2];
            uint32_t n = cmp_put(&cm, o, 0, false);
            in = emit_ops(s, X64I_JCC, o, n);
            if (!in)
                return false;
            cmp_fields(in, &cm);
        }
        cg_block_add_succ(s->ctx, s->mblock[t->target]);
        cg_block_add_succ(s->ctx, s->mblock[t->target2]);
        return true;
    }
    case IR_TERM_BR_TABLE: {
        CgReg idx = use(s, t->value);
        CgReg tmp = newv(s, CG_TYPE_I64);
        CgInst *in = mk(s, X64I_BR_TABLE, 2);
        CHECK_INST(in);
        in->imm = t->nlist;
        CgOperand *o = ops_of(s, in);
        o[0] = CG_DEF(tmp), o[1] = CG_USE(idx) | CG_OPF_LATE;
        for (uint32_t i = 0; i < t->nlist; i++)
            cg_block_add_succ(s->ctx, s->mblock[f->pool.data[t->list + i]]);
        cg_block_add_succ(s->ctx, s->mblock[t->target]);
        return true;
    }
    case IR_TERM_RETURN: {
        const IrSig *sig = &s->m->sigs[f->sig];
        SK_ASSERT(t->nlist == sig->nresults);
        for (uint32_t i = 1; i < t->nlist; i++) {
            uint32_t v = f->pool.data[t->list + i];
            CgReg r = use(s, v);
            CgInst *in = mk(s, X64I_STORE, 2);
            CHECK_INST(in);
            in->cc = store_kind((IrType)irv(s, v)->type);
            in->disp = (int32_t)(16 * (i - 1));
            CgOperand *o = ops_of(s, in);
            o[0] = CG_USE(s->results_ptr), o[1] = CG_USE(r);
        }
        CgReg ret = 0;
        if (t->nlist) {
            uint32_t v = f->pool.data[t->list];
            CgReg r = use(s, v);
            ret = cg_type_class(x64_cg_type((IrType)irv(s, v)->type)) == CG_CLASS_INT
                      ? X64R_RAX
                      : X64R_XMM0;
            cg_pcopy(s->ctx, &ret, &r, 1);
        }
        CgInst *in = mk(s, X64I_RET, ret ? 1 : 0);
        CHECK_INST(in);
        if (ret)
            ops_of(s, in)[0] = CG_USE(ret);
        return true;
    }
    case IR_TERM_TRAP: {
        CgInst *in = mk(s, X64I_TRAP, 0);
        CHECK_INST(in);
        in->disp = trap_map[t->trap < IR_TRAP_COUNT ? t->trap : 0];
        return true;
    }
    default:
        sk_unreachable();
    }
}

/* ---- the function ------------------------------------------------------------------------- */

/* Entry: the VM context and parameters arrive per SysV; i32 parameters are zero-extended
 * here (the caller may leave garbage above bit 31, runtime/vmctx.h). */
static bool
sel_entry(Isel *s)
{
    const IrFunc *f = s->f;
    const IrSig *sig = &s->m->sigs[f->sig];
    X64ArgLayout L;
    if (!x64_arg_layout(sig, &L))
        return sk_diag_set(s->ctx->diag, SK_DIAG_LIMIT, 0,
                           "implementation limit exceeded: a function with %u parameters",
                           sig->nparams);
    CgReg regs[sizeof(L.loc) / sizeof(L.loc[0])];
    CgReg vals[sizeof(L.loc) / sizeof(L.loc[0])];
    uint32_t nreg = 0;
    for (uint32_t i = 0; i < L.nargs; i++)
        if (!cg_loc_is_stack(L.loc[i]))
            regs[nreg++] = L.loc[i];
    CgInst *in = mk(s, CG_OP_DEFS, nreg);
    CHECK_INST(in);
    for (uint32_t i = 0; i < nreg; i++)
        ops_of(s, in)[i] = CG_DEF(regs[i]);

    uint32_t first_param = L.results_ptr ? 2 : 1;
    nreg = 0;
    CgReg dsts[sizeof(L.loc) / sizeof(L.loc[0])];
    s->vmctx = X64_VMCTX_REG;  // pinned: the whole function reads it from there
    if (s->uses_vmctx) {
        dsts[nreg] = s->vmctx;
        vals[nreg++] = L.loc[0];
    }
    if (L.results_ptr) {
        s->results_ptr = newv(s, CG_TYPE_I64);
        dsts[nreg] = s->results_ptr;
        vals[nreg++] = L.loc[1];
    }
    CgReg pv[sizeof(L.loc) / sizeof(L.loc[0])];
    for (uint32_t i = 0; i < sig->nparams; i++) {
        uint32_t li = first_param + i;
        pv[i] = newv(s, x64_cg_type((IrType)sig->params[i]));
        if (!cg_loc_is_stack(L.loc[li])) {
            dsts[nreg] = pv[i];
            vals[nreg++] = L.loc[li];
        }
    }
    cg_pcopy(s->ctx, dsts, vals, nreg);
    for (uint32_t i = 0; i < sig->nparams; i++) {
        uint32_t li = first_param + i;
        if (cg_loc_is_stack(L.loc[li])) {
            in = mk(s, X64I_LOAD_ARG, 1);
            CHECK_INST(in);
            in->disp = (int32_t)(16 + (L.loc[li] - CG_LOC_STACK));
            in->cc = (uint8_t)x64_cg_type((IrType)sig->params[i]);
            ops_of(s, in)[0] = CG_DEF(pv[i]);
        }
    }
    const IrBlockData *eb = &f->blocks.data[1];
    SK_ASSERT(eb->nparams == sig->nparams);
    for (uint32_t i = 0; i < sig->nparams; i++) {
        uint32_t v = f->pool.data[eb->params + i];
        CgReg r = pv[i];
        if (sig->params[i] == IR_TYPE_I32 && s->nuses[v]) {  // nobody reads a dead one
            CgReg z = newv(s, CG_TYPE_I32);
            in = mk(s, X64I_EXT, 2);
            CHECK_INST(in);
            in->cc = X64_EXT_U32;
            in->x = 4;
            ops_of(s, in)[0] = CG_DEF(z);
            ops_of(s, in)[1] = CG_USE(r);
            r = z;
        }
        s->vreg[v] = r;
    }
    if (s->uses_memory && s->m->nmemories) {
        /* Memory 0's base, pinned too (it never moves, runtime/vmctx.h). */
        s->membase = X64_MEMBASE_REG;
        in = mk(s, X64I_LOAD, 2);
        CHECK_INST(in);
        in->cc = X64_LD_64;
        in->x = 8;
        in->disp = RT_VMCTX_OFF_MEM0_BASE;
        ops_of(s, in)[0] = CG_DEF(s->membase);
        ops_of(s, in)[1] = CG_USE(s->vmctx);
        if (s->explicit_bounds)
            s->memobj = load_ptr(s, s->vmctx, RT_VMCTX_OFF_MEM0);
    }
    return !s->ctx->arena.failed;
}

/* Number of successors of an IR terminator, and the i-th (the order of ir/cfg.c: a branch's
 * target then target2, a table's entries then its default). */
SK_INLINE uint32_t
term_nsuccs(const IrTerm *t)
{
    switch (t->kind) {
    case IR_TERM_JUMP: return 1;
    case IR_TERM_BRANCH: return 2;
    case IR_TERM_BR_TABLE: return t->nlist + 1;
    default: return 0;
    }
}

SK_INLINE uint32_t
term_succ(const IrFunc *f, const IrTerm *t, uint32_t i)
{
    if (t->kind == IR_TERM_BR_TABLE)
        return i < t->nlist ? f->pool.data[t->list + i] : t->target;
    return i == 0 ? t->target : t->target2;
}

/*
 * The MIR block order: the IR's reachable blocks in reverse postorder, as ir_cfg_compute
 * computes it (successors taken last-first, so the order follows the Wasm source), into
 * s->cfg.rpo/rpo_index/nrpo; without its predecessor lists, which the core builds for the
 * MIR itself. Returns false on allocation failure.
 */
static bool
block_order(Isel *s, SkArena *A)
{
    const IrFunc *f = s->f;
    uint32_t nb = f->blocks.len;
    uint32_t *post = sk_arena_alloc(A, (size_t)nb * sizeof(uint32_t) + 4);
    uint32_t *stack = sk_arena_alloc(A, (size_t)nb * sizeof(uint32_t) + 4);
    uint32_t *left = sk_arena_alloc(A, (size_t)nb * sizeof(uint32_t) + 4);  // succs to visit
    uint32_t *index = sk_arena_alloc(A, (size_t)nb * sizeof(uint32_t) + 4);
    if (!post || !stack || !left || !index)
        return false;
    for (uint32_t b = 0; b < nb; b++)
        index[b] = UINT32_MAX;  // unreached
    /* Postorder written backwards from the end of post[]: the reverse postorder is then
     * post[at..nb) as it stands. Reached blocks are marked 0 in index[] until numbered. */
    uint32_t at = nb, sp = 0;
    if (nb > 1) {
        stack[sp++] = 1;
        index[1] = 0;
        left[1] = term_nsuccs(&f->blocks.data[1].term);
    }
    while (sp) {
        uint32_t b = stack[sp - 1];
        if (!left[b]) {
            post[--at] = b;
            sp--;
            continue;
        }
        uint32_t succ = term_succ(f, &f->blocks.data[b].term, --left[b]);
        if (succ == 0 || succ >= nb || index[succ] != UINT32_MAX)
            continue;
        index[succ] = 0;
        left[succ] = term_nsuccs(&f->blocks.data[succ].term);
        stack[sp++] = succ;
    }
    uint32_t *rpo = post + at;
    uint32_t npost = nb - at;
    for (uint32_t i = 0; i < npost; i++)
        index[rpo[i]] = i;
    s->cfg.rpo = rpo;
    s->cfg.rpo_index = index;
    s->cfg.nrpo = npost;
    return true;
}

bool
x64_isel(CgCtx *ctx, const IrFunc *f)
{
    Isel s_;
    Isel *s = &s_;
    memset(s, 0, sizeof(*s));
    s->ctx = ctx;
    s->mf = &ctx->func;
    s->f = f;
    s->m = ctx->module;
    s->vm = &ctx->vm;
    s->features = ctx->opts.cpu_features;
    s->explicit_bounds = ctx->opts.explicit_bounds;
    ctx->target_state = (void *)f;  // emit.c reads v128 constants from it
    SkArena *A = &ctx->arena;
    uint32_t nv = f->insts.len;
    if (!block_order(s, A))
        return sk_diag_set(ctx->diag, SK_DIAG_OUT_OF_MEMORY, 0, "out of memory");
    s->mblock = s->cfg.rpo_index;
    s->vreg = sk_arena_calloc(A, nv, sizeof(CgReg));
    s->cstamp = sk_arena_calloc(A, nv, sizeof(uint32_t));
    /* Use counts: the pass pipeline's, else our own (in reachable code). */
    s->nuses = f->uses ? f->uses : sk_arena_calloc(A, nv, sizeof(uint32_t));
    s->state = sk_arena_calloc(A, nv, 1);
    if (!s->mblock || !s->vreg || !s->cstamp || !s->nuses || !s->state)
        return sk_diag_set(ctx->diag, SK_DIAG_OUT_OF_MEMORY, 0, "out of memory");
    SK_ASSERT(s->cfg.nrpo > 0 && s->cfg.rpo[0] == 1);

    if (!f->uses)
        count_uses(s);
    find_fusions(s);
    cg_func_begin(ctx, s->cfg.nrpo, f->index);
    uint32_t est = nv + nv / 2 + s->cfg.nrpo + 16;  // MIR per IR instruction, measured ~1.1
    cg_func_reserve(ctx, est, 3 * est, est);

    /* Block parameters of every reachable block but the entry. */
    for (uint32_t i = 1; i < s->cfg.nrpo; i++) {
        const IrBlockData *b = &f->blocks.data[s->cfg.rpo[i]];
        if (!b->nparams)
            continue;
        CgReg ps[64];
        CgReg *pp = b->nparams <= 64 ? ps : sk_arena_alloc(A, b->nparams * sizeof(CgReg));
        if (!pp)
            return sk_diag_set(ctx->diag, SK_DIAG_OUT_OF_MEMORY, 0, "out of memory");
        for (uint32_t k = 0; k < b->nparams; k++)
            pp[k] = def(s, f->pool.data[b->params + k]);
        cg_block_set_params(ctx, i, pp, b->nparams);
    }

    for (uint32_t i = 0; i < s->cfg.nrpo; i++) {
        const IrBlockData *b = &f->blocks.data[s->cfg.rpo[i]];
        s->cur = i;
        cg_block_begin(ctx, i);
        if (i == 0 && !sel_entry(s))
            return false;
        const IrInstData *insts = f->insts.data;
        for (uint32_t id = b->first; id < b->end; id++) {
            /* Nothing to select for constants (materialized where used), parameters and
             * deleted instructions: skipped here rather than through sel_inst's switch. */
            if (insts[id].op <= IR_OP_REF_NULL)
                continue;
            if (!sel_inst(s, id, b->end))
                return false;
        }
        if (!sel_term(s, b))
            return false;
        if (ctx->arena.failed)
            return false;  // reported by cg_func_compile
    }
    return true;
}
