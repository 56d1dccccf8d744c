/*
 * The translator's dispatch loop (tr_translate_body) and the non-control Wasm instructions.
 * One switch on the opcode byte decodes each common instruction straight from the bytes:
 * locals move value ids between the operand stack and cur[], constants and operators go
 * through the folding builders of ir/fold.c, memory accesses are emitted as they come.
 * Control instructions call into translate.c; rare ones (prefixed, table, bulk memory)
 * go through the general decoder. A table maps each opcode to an IR operation and a shape
 * (unary, binary, comparison, division, load, store, SIMD). Division gets its explicit
 * trap_if checks here (zero divisor; INT_MIN / -1 for div_s), so constant divisors fold
 * them away. Unreachable code is skipped by tr_skip_dead without translating it.
 */
#include <string.h>

#include "frontend/translate.h"

/* The opcode key (FE_OPKEY) of every row of wasm_ops.def. */
enum {
#define FE_OP(name, prefix, code, ...) TR_KEY_##name = FE_OPKEY(prefix, code),
#include "frontend/wasm_ops.def"
#undef FE_OP
};

#define UN(fe, irop, t) [TR_KEY_##fe] = {TR_K_UNARY, IR_TYPE_##t, IR_OP_##irop, 0}
#define BIN(fe, irop, t) [TR_KEY_##fe] = {TR_K_BINARY, IR_TYPE_##t, IR_OP_##irop, 0}
#define DIV(fe, irop, t) [TR_KEY_##fe] = {TR_K_DIV, IR_TYPE_##t, IR_OP_##irop, 0}
#define ICMP(fe, cc) [TR_KEY_##fe] = {TR_K_ICMP, IR_TYPE_I32, IR_OP_ICMP, IR_ICC_##cc}
#define FCMP(fe, cc) [TR_KEY_##fe] = {TR_K_FCMP, IR_TYPE_I32, IR_OP_FCMP, IR_FCC_##cc}
#define LD(fe, irop, t) [TR_KEY_##fe] = {TR_K_LOAD, IR_TYPE_##t, IR_OP_##irop, 0}
#define ST(fe, irop) [TR_KEY_##fe] = {TR_K_STORE, IR_TYPE_NONE, IR_OP_##irop, 0}

const TrOpMap tr_op_map[FE_OPKEY_COUNT] = {
    LD(I32_LOAD, LOAD, I32), LD(I64_LOAD, LOAD, I64), LD(F32_LOAD, LOAD, F32),
    LD(F64_LOAD, LOAD, F64), LD(V128_LOAD, LOAD, V128),
    LD(I32_LOAD8_S, LOAD8_S, I32), LD(I32_LOAD8_U, LOAD8_U, I32),
    LD(I32_LOAD16_S, LOAD16_S, I32), LD(I32_LOAD16_U, LOAD16_U, I32),
    LD(I64_LOAD8_S, LOAD8_S, I64), LD(I64_LOAD8_U, LOAD8_U, I64),
    LD(I64_LOAD16_S, LOAD16_S, I64), LD(I64_LOAD16_U, LOAD16_U, I64),
    LD(I64_LOAD32_S, LOAD32_S, I64), LD(I64_LOAD32_U, LOAD32_U, I64),
    ST(I32_STORE, STORE), ST(I64_STORE, STORE), ST(F32_STORE, STORE), ST(F64_STORE, STORE),
    ST(V128_STORE, STORE), ST(I32_STORE8, STORE8), ST(I32_STORE16, STORE16),
    ST(I64_STORE8, STORE8), ST(I64_STORE16, STORE16), ST(I64_STORE32, STORE32),

    UN(I32_EQZ, IEQZ, I32), UN(I64_EQZ, IEQZ, I32),
    ICMP(I32_EQ, EQ), ICMP(I32_NE, NE), ICMP(I32_LT_S, LT_S), ICMP(I32_LT_U, LT_U),
    ICMP(I32_GT_S, GT_S), ICMP(I32_GT_U, GT_U), ICMP(I32_LE_S, LE_S), ICMP(I32_LE_U, LE_U),
    ICMP(I32_GE_S, GE_S), ICMP(I32_GE_U, GE_U),
    ICMP(I64_EQ, EQ), ICMP(I64_NE, NE), ICMP(I64_LT_S, LT_S), ICMP(I64_LT_U, LT_U),
    ICMP(I64_GT_S, GT_S), ICMP(I64_GT_U, GT_U), ICMP(I64_LE_S, LE_S), ICMP(I64_LE_U, LE_U),
    ICMP(I64_GE_S, GE_S), ICMP(I64_GE_U, GE_U),
    FCMP(F32_EQ, EQ), FCMP(F32_NE, NE), FCMP(F32_LT, LT), FCMP(F32_GT, GT), FCMP(F32_LE, LE),
    FCMP(F32_GE, GE),
    FCMP(F64_EQ, EQ), FCMP(F64_NE, NE), FCMP(F64_LT, LT), FCMP(F64_GT, GT), FCMP(F64_LE, LE),
    FCMP(F64_GE, GE),

    UN(I32_CLZ, ICLZ, I32), UN(I32_CTZ, ICTZ, I32), UN(I32_POPCNT, IPOPCNT, I32),
    BIN(I32_ADD, IADD, I32), BIN(I32_SUB, ISUB, I32), BIN(I32_MUL, IMUL, I32),
    DIV(I32_DIV_S, IDIV_S, I32), DIV(I32_DIV_U, IDIV_U, I32), DIV(I32_REM_S, IREM_S, I32),
    DIV(I32_REM_U, IREM_U, I32),
    BIN(I32_AND, IAND, I32), BIN(I32_OR, IOR, I32), BIN(I32_XOR, IXOR, I32),
    BIN(I32_SHL, ISHL, I32), BIN(I32_SHR_S, ISHR_S, I32), BIN(I32_SHR_U, ISHR_U, I32),
    BIN(I32_ROTL, IROTL, I32), BIN(I32_ROTR, IROTR, I32),
    UN(I64_CLZ, ICLZ, I64), UN(I64_CTZ, ICTZ, I64), UN(I64_POPCNT, IPOPCNT, I64),
    BIN(I64_ADD, IADD, I64), BIN(I64_SUB, ISUB, I64), BIN(I64_MUL, IMUL, I64),
    DIV(I64_DIV_S, IDIV_S, I64), DIV(I64_DIV_U, IDIV_U, I64), DIV(I64_REM_S, IREM_S, I64),
    DIV(I64_REM_U, IREM_U, I64),
    BIN(I64_AND, IAND, I64), BIN(I64_OR, IOR, I64), BIN(I64_XOR, IXOR, I64),
    BIN(I64_SHL, ISHL, I64), BIN(I64_SHR_S, ISHR_S, I64), BIN(I64_SHR_U, ISHR_U, I64),
    BIN(I64_ROTL, IROTL, I64), BIN(I64_ROTR, IROTR, I64),

    UN(F32_ABS, FABS, F32), UN(F32_NEG, FNEG, F32), UN(F32_CEIL, FCEIL, F32),
    UN(F32_FLOOR, FFLOOR, F32), UN(F32_TRUNC, FTRUNC, F32), UN(F32_NEAREST, FNEAREST, F32),
    UN(F32_SQRT, FSQRT, F32),
    BIN(F32_ADD, FADD, F32), BIN(F32_SUB, FSUB, F32), BIN(F32_MUL, FMUL, F32),
    BIN(F32_DIV, FDIV, F32), BIN(F32_MIN, FMIN, F32), BIN(F32_MAX, FMAX, F32),
    BIN(F32_COPYSIGN, FCOPYSIGN, F32),
    UN(F64_ABS, FABS, F64), UN(F64_NEG, FNEG, F64), UN(F64_CEIL, FCEIL, F64),
    UN(F64_FLOOR, FFLOOR, F64), UN(F64_TRUNC, FTRUNC, F64), UN(F64_NEAREST, FNEAREST, F64),
    UN(F64_SQRT, FSQRT, F64),
    BIN(F64_ADD, FADD, F64), BIN(F64_SUB, FSUB, F64), BIN(F64_MUL, FMUL, F64),
    BIN(F64_DIV, FDIV, F64), BIN(F64_MIN, FMIN, F64), BIN(F64_MAX, FMAX, F64),
    BIN(F64_COPYSIGN, FCOPYSIGN, F64),

    UN(I32_WRAP_I64, IWRAP, I32),
    UN(I32_TRUNC_F32_S, FCVT_TO_SINT, I32), UN(I32_TRUNC_F32_U, FCVT_TO_UINT, I32),
    UN(I32_TRUNC_F64_S, FCVT_TO_SINT, I32), UN(I32_TRUNC_F64_U, FCVT_TO_UINT, I32),
    UN(I64_EXTEND_I32_S, ISEXT, I64), UN(I64_EXTEND_I32_U, IZEXT, I64),
    UN(I64_TRUNC_F32_S, FCVT_TO_SINT, I64), UN(I64_TRUNC_F32_U, FCVT_TO_UINT, I64),
    UN(I64_TRUNC_F64_S, FCVT_TO_SINT, I64), UN(I64_TRUNC_F64_U, FCVT_TO_UINT, I64),
    UN(F32_CONVERT_I32_S, FCVT_FROM_SINT, F32), UN(F32_CONVERT_I32_U, FCVT_FROM_UINT, F32),
    UN(F32_CONVERT_I64_S, FCVT_FROM_SINT, F32), UN(F32_CONVERT_I64_U, FCVT_FROM_UINT, F32),
    UN(F32_DEMOTE_F64, FDEMOTE, F32),
    UN(F64_CONVERT_I32_S, FCVT_FROM_SINT, F64), UN(F64_CONVERT_I32_U, FCVT_FROM_UINT, F64),
    UN(F64_CONVERT_I64_S, FCVT_FROM_SINT, F64), UN(F64_CONVERT_I64_U, FCVT_FROM_UINT, F64),
    UN(F64_PROMOTE_F32, FPROMOTE, F64),
    UN(I32_REINTERPRET_F32, BITCAST, I32), UN(I64_REINTERPRET_F64, BITCAST, I64),
    UN(F32_REINTERPRET_I32, BITCAST, F32), UN(F64_REINTERPRET_I64, BITCAST, F64),
    UN(I32_EXTEND8_S, IEXTEND8_S, I32), UN(I32_EXTEND16_S, IEXTEND16_S, I32),
    UN(I64_EXTEND8_S, IEXTEND8_S, I64), UN(I64_EXTEND16_S, IEXTEND16_S, I64),
    UN(I64_EXTEND32_S, IEXTEND32_S, I64),
    UN(I32_TRUNC_SAT_F32_S, FCVT_TO_SINT_SAT, I32), UN(I32_TRUNC_SAT_F32_U, FCVT_TO_UINT_SAT, I32),
    UN(I32_TRUNC_SAT_F64_S, FCVT_TO_SINT_SAT, I32), UN(I32_TRUNC_SAT_F64_U, FCVT_TO_UINT_SAT, I32),
    UN(I64_TRUNC_SAT_F32_S, FCVT_TO_SINT_SAT, I64), UN(I64_TRUNC_SAT_F32_U, FCVT_TO_UINT_SAT, I64),
    UN(I64_TRUNC_SAT_F64_S, FCVT_TO_SINT_SAT, I64), UN(I64_TRUNC_SAT_F64_U, FCVT_TO_UINT_SAT, I64),
    UN(REF_IS_NULL, REF_IS_NULL, I32),

/* SIMD: the IR rows marked IR_OP_SIMD share their names with the FeOps. */
#define IR_OP(...)
#define IR_OP_SIMD(name, ...) [TR_KEY_##name] = {TR_K_SIMD, IR_TYPE_NONE, IR_OP_##name, 0},
#include "ir/ops.def"
#undef IR_OP_SIMD
#undef IR_OP
};

#undef UN
#undef BIN
#undef DIV
#undef ICMP
#undef FCMP
#undef LD
#undef ST

/*
 * How to step over a single-byte opcode's immediates without decoding them (dead code and
 * the loop pre-scan), by its FeImm kind; the control instructions and local.set/tee have
 * their own classes. SLOW: the general decoder (br_table, select t, prefixed opcodes).
 */
#define TR_SC_FROM_IMM_NONE TR_SC_NONE
#define TR_SC_FROM_IMM_BLOCK TR_SC_BLOCK
#define TR_SC_FROM_IMM_LABEL TR_SC_LEB
#define TR_SC_FROM_IMM_BR_TABLE TR_SC_SLOW
#define TR_SC_FROM_IMM_FUNC TR_SC_LEB
#define TR_SC_FROM_IMM_CALL_INDIRECT TR_SC_LEB2
#define TR_SC_FROM_IMM_LOCAL TR_SC_LEB
#define TR_SC_FROM_IMM_GLOBAL TR_SC_LEB
#define TR_SC_FROM_IMM_TABLE TR_SC_LEB
#define TR_SC_FROM_IMM_MEMARG TR_SC_LEB2
#define TR_SC_FROM_IMM_MEMARG_LANE TR_SC_SLOW
#define TR_SC_FROM_IMM_I32 TR_SC_LEB
#define TR_SC_FROM_IMM_I64 TR_SC_LEB
#define TR_SC_FROM_IMM_F32 TR_SC_F32
#define TR_SC_FROM_IMM_F64 TR_SC_F64
#define TR_SC_FROM_IMM_V128 TR_SC_SLOW
#define TR_SC_FROM_IMM_LANE TR_SC_SLOW
#define TR_SC_FROM_IMM_SHUFFLE TR_SC_SLOW
#define TR_SC_FROM_IMM_REF_TYPE TR_SC_LEB  // one value-type byte (< 0x80)
#define TR_SC_FROM_IMM_SELECT_T TR_SC_SLOW
#define TR_SC_FROM_IMM_MEMORY TR_SC_LEB    // a zero byte
#define TR_SC_FROM_IMM_MEMORY_MEMORY TR_SC_SLOW
#define TR_SC_FROM_IMM_DATA TR_SC_LEB
#define TR_SC_FROM_IMM_DATA_MEMORY TR_SC_SLOW
#define TR_SC_FROM_IMM_ELEM TR_SC_LEB
#define TR_SC_FROM_IMM_ELEM_TABLE TR_SC_SLOW
#define TR_SC_FROM_IMM_TABLE_TABLE TR_SC_SLOW

const uint8_t tr_skip_class[FE_OPKEY_COUNT] = {
#define FE_OP(name, prefix, code, text, imm, ...)                                              \
    [FE_OPKEY(prefix, code)] = (prefix) != 0 ? TR_SC_SLOW                                    \
                               : (code) == 0x03 ? TR_SC_LOOP                                 \
                               : (code) == 0x05 ? TR_SC_ELSE                                 \
                               : (code) == 0x0B ? TR_SC_END                                  \
                               : (code) == 0x21 || (code) == 0x22 ? TR_SC_SET                \
                                                                  : TR_SC_FROM_IMM_##imm,
#include "frontend/wasm_ops.def"
#undef FE_OP
    [0xFC] = TR_SC_SLOW,
    [0xFD] = TR_SC_SLOW,
};

const uint8_t *
tr_skip_dead(FeTranslator *t, const uint8_t *p)
{
    uint32_t depth = 0;
    for (;;) {
        switch ((TrSkipClass)tr_skip_class[*p]) {
        case TR_SC_NONE:
            p++;
            continue;
        case TR_SC_LEB:
        case TR_SC_SET:
            p++;
            tr_skip_leb(&p);
            continue;
        case TR_SC_LEB2:
            p++;
            tr_skip_leb(&p);
            tr_skip_leb(&p);
            continue;
        case TR_SC_F32:
            p += 5;
            continue;
        case TR_SC_F64:
            p += 9;
            continue;
        case TR_SC_LOOP:
            t->loop_ordinal++;  // the pre-scan counts dead loops too
            /* fallthrough */
        case TR_SC_BLOCK:
            p++;
            tr_skip_leb(&p);  // the block type: 0x40, a value type or an s33 type index
            depth++;
            continue;
        case TR_SC_ELSE:
            if (depth == 0)
                return p;
            p++;
            continue;
        case TR_SC_END:
            if (depth == 0)
                return p;
            depth--;
            p++;
            continue;
        case TR_SC_SLOW:
        case TR_SC_COUNT: {
            FeInstr in;
            p = fe_instr_read_trusted(p, &in);
            continue;
        }
        }
    }
}

/* ---- operations -------------------------------------------------------------------------- */

void
tr_trap(FeTranslator *t, IrTrapKind kind)
{
    ir_trap(t->f, kind);
    t->reachable = false;
}

static inline uint64_t
int_min(IrType t)
{
    return t == IR_TYPE_I32 ? 0x80000000u : 0x8000000000000000ull;
}

/*
 * Division and remainder: trap_if(divisor == 0), and for div_s trap_if(a == INT_MIN &
 * b == -1), then the operation. Constant operands fold the checks away (or into a certain
 * trap, which ends the block).
 */
static void
translate_div(FeTranslator *t, IrOp op, IrType type)
{
    IrFunc *f = t->f;
    IrValue b = tr_pop(t), a = tr_pop(t);
    uint64_t ca, cb, mask = type == IR_TYPE_I32 ? 0xffffffffu : ~(uint64_t)0;
    bool a_const = ir_value_is_const(f, a, &ca), b_const = ir_value_is_const(f, b, &cb);
    if (!b_const || cb == 0) {
        IrValue z = ir_build_unary(f, IR_OP_IEQZ, IR_TYPE_I32, b);
        if (!ir_build_trap_if(f, z, IR_TRAP_INT_DIV_BY_ZERO)) {
            tr_trap(t, IR_TRAP_INT_DIV_BY_ZERO);
            return;
        }
    }
    if (op == IR_OP_IDIV_S && !(b_const && cb != mask) && !(a_const && ca != int_min(type))) {
        IrValue ovf;
        if (b_const) {
            ovf = ir_build_icmp(f, IR_ICC_EQ, a, ir_build_iconst(f, type, int_min(type)));
        } else if (a_const) {
            ovf = ir_build_icmp(f, IR_ICC_EQ, b, ir_build_iconst(f, type, mask));
        } else {
            IrValue c1 = ir_build_icmp(f, IR_ICC_EQ, a, ir_build_iconst(f, type, int_min(type)));
            IrValue c2 = ir_build_icmp(f, IR_ICC_EQ, b, ir_build_iconst(f, type, mask));
            ovf = ir_build_binary(f, IR_OP_IAND, IR_TYPE_I32, c1, c2);
        }
        if (!ir_build_trap_if(f, ovf, IR_TRAP_INT_OVERFLOW)) {
            tr_trap(t, IR_TRAP_INT_OVERFLOW);
            return;
        }
    }
    tr_push(t, ir_build_binary(f, op, type, a, b));
}

/* The result type of a SIMD op, from its ops.def result class. */
static IrType
simd_result_type(char res)
{
    switch (res) {
    case 'v': return IR_TYPE_V128;
    case 'i': return IR_TYPE_I32;
    case 'l': return IR_TYPE_I64;
    case 'f': return IR_TYPE_F32;
    case 'd': return IR_TYPE_F64;
    default: return IR_TYPE_NONE;
    }
}

/* A 1:1 SIMD operation: operands in Wasm order, immediates from its IrImmKind. */
static void
translate_simd(FeTranslator *t, IrOp op, const FeInstr *in)
{
    IrFunc *f = t->f;
    const IrOpInfo *info = &ir_op_info[op];
    uint32_t a[3] = {0, 0, 0};
    for (uint32_t k = info->nargs; k-- > 0;)
        a[k] = tr_pop(t).id;
    IrType rt = simd_result_type(info->res);
    uint64_t imm = 0;
    switch ((IrImmKind)info->imm) {
    case IR_IMM_MEM:
        a[2] = IR_MEMARG(in->idx, in->align, 0);
        imm = in->v.offset;
        break;
    case IR_IMM_MEMLANE:
        a[2] = IR_MEMARG(in->idx, in->align, in->lane);
        imm = in->v.offset;
        break;
    case IR_IMM_LANE:
        imm = in->lane;
        break;
    case IR_IMM_SHUFFLE:
        imm = ir_v128_add(f, in->ptr);
        break;
    default:
        break;
    }
    IrValue v = ir_emit(f, op, rt, a[0], a[1], a[2], imm);
    if (rt != IR_TYPE_NONE)
        tr_push(t, v);
}

/* Emits a call (direct or indirect, `a0` = its a[0]) and pushes its results; `p` is the
 * read position after the instruction. */
static void
emit_call(FeTranslator *t, IrOp op, uint32_t sig, uint32_t a0, uint64_t imm, const uint8_t *p)
{
    IrFunc *f = t->f;
    const IrSig *s = &t->im->sigs[sig];
    SK_ASSERT(t->sp >= s->nparams);
    uint32_t base = t->sp - s->nparams;
    uint32_t args = ir_pool_push_values(f, &t->stk[base], s->nparams);
    t->sp = base;
    IrType rt = s->nresults ? (IrType)s->results[0] : IR_TYPE_NONE;
    IrValue call = ir_emit(f, op, rt, a0, args, s->nparams, imm);
    if (!s->nresults)
        return;
    if (SK_UNLIKELY(s->nresults > 1)) {
        tr_stack_room(t, s->nresults, p);
        if (t->failed)
            return;
    }
    tr_push(t, call);
    for (uint32_t k = 1; k < s->nresults; k++)
        tr_push(t, ir_emit(f, IR_OP_RESULT, (IrType)s->results[k], call.id, 0, 0, k));
}

/*
 * The rare instructions, decoded with the general decoder: prefixed opcodes (saturating
 * truncation, bulk memory and tables, SIMD), tables, references, select with types,
 * floating-point constants' siblings and nop. `p` points at the opcode; returns the
 * position after the instruction.
 */
static const uint8_t *
translate_rare(FeTranslator *t, const uint8_t *p)
{
    IrFunc *f = t->f;
    FeInstr ins;
    const FeInstr *in = &ins;
    p = fe_instr_read_trusted(p, &ins);
    const FeOpInfo *oi = &fe_op_info[in->op];
    const TrOpMap *map = &tr_op_map[FE_OPKEY(oi->prefix, oi->code)];
    switch ((TrKind)map->kind) {
    case TR_K_UNARY: {
        IrValue a = tr_pop(t);
        tr_push(t, ir_build_unary(f, (IrOp)map->op, (IrType)map->type, a));
        return p;
    }
    case TR_K_LOAD: {
        IrValue addr = tr_pop(t);
        tr_push(t, ir_emit(f, (IrOp)map->op, (IrType)map->type, addr.id, 0,
                           IR_MEMARG(in->idx, in->align, 0), in->v.offset));
        return p;
    }
    case TR_K_STORE: {
        IrValue val = tr_pop(t), addr = tr_pop(t);
        ir_emit(f, (IrOp)map->op, IR_TYPE_NONE, addr.id, val.id, IR_MEMARG(in->idx, in->align, 0),
                in->v.offset);
        return p;
    }
    case TR_K_SIMD:
        translate_simd(t, (IrOp)map->op, in);
        return p;
    default:
        break;
    }

    switch ((FeOp)in->op) {
    case FE_OP_V128_CONST:
        tr_push(t, ir_build_vconst(f, in->ptr));
        return p;
    case FE_OP_SELECT_T: {
        IrValue c = tr_pop(t), b = tr_pop(t), a = tr_pop(t);
        tr_push(t, ir_build_select(f, ir_value_type(f, a), c, a, b));
        return p;
    }
    case FE_OP_REF_NULL:
        tr_push(t, ir_emit(f, IR_OP_REF_NULL, tr_type((uint8_t)in->idx), 0, 0, 0, 0));
        return p;
    case FE_OP_REF_FUNC:
        tr_push(t, ir_emit(f, IR_OP_REF_FUNC, IR_TYPE_FUNCREF, 0, 0, 0, in->idx));
        return p;
    case FE_OP_MEMORY_COPY:
    case FE_OP_MEMORY_FILL:
    case FE_OP_MEMORY_INIT:
    case FE_OP_TABLE_COPY:
    case FE_OP_TABLE_FILL:
    case FE_OP_TABLE_INIT: {
        IrValue n = tr_pop(t), b = tr_pop(t), a = tr_pop(t);
        IrOp op;
        uint64_t imm;
        switch ((FeOp)in->op) {
        case FE_OP_MEMORY_COPY: op = IR_OP_MEMORY_COPY; imm = in->idx | (uint64_t)in->idx2 << 32; break;
        case FE_OP_MEMORY_FILL: op = IR_OP_MEMORY_FILL; imm = in->idx; break;
        case FE_OP_MEMORY_INIT: op = IR_OP_MEMORY_INIT; imm = in->idx | (uint64_t)in->idx2 << 32; break;
        case FE_OP_TABLE_COPY: op = IR_OP_TABLE_COPY; imm = in->idx | (uint64_t)in->idx2 << 32; break;
        case FE_OP_TABLE_FILL: op = IR_OP_TABLE_FILL; imm = in->idx; break;
        default: op = IR_OP_TABLE_INIT; imm = in->idx | (uint64_t)in->idx2 << 32; break;
        }
        ir_emit(f, op, IR_TYPE_NONE, a.id, b.id, n.id, imm);
        return p;
    }
    case FE_OP_DATA_DROP:
        ir_emit(f, IR_OP_DATA_DROP, IR_TYPE_NONE, 0, 0, 0, in->idx);
        return p;
    case FE_OP_ELEM_DROP:
        ir_emit(f, IR_OP_ELEM_DROP, IR_TYPE_NONE, 0, 0, 0, in->idx);
        return p;
    case FE_OP_TABLE_GET: {
        IrValue i = tr_pop(t);
        tr_push(t, ir_emit(f, IR_OP_TABLE_GET, (IrType)t->im->tables[in->idx].elem_type, i.id, 0,
                           0, in->idx));
        return p;
    }
    case FE_OP_TABLE_SET: {
        IrValue v = tr_pop(t), i = tr_pop(t);
        ir_emit(f, IR_OP_TABLE_SET, IR_TYPE_NONE, i.id, v.id, 0, in->idx);
        return p;
    }
    case FE_OP_TABLE_SIZE:
        tr_push(t, ir_emit(f, IR_OP_TABLE_SIZE, IR_TYPE_I32, 0, 0, 0, in->idx));
        return p;
    case FE_OP_TABLE_GROW: {
        IrValue n = tr_pop(t), v = tr_pop(t);
        tr_push(t, ir_emit(f, IR_OP_TABLE_GROW, IR_TYPE_I32, v.id, n.id, 0, in->idx));
        return p;
    }
    case FE_OP_BR_TABLE:
        tr_br_table(t, in);
        return p;
    default:
        sk_unreachable();
    }
}

/* ---- the dispatch loop ------------------------------------------------------------------- */


/* The handler class of each single-byte opcode (filled by tr_classes_init). */
#define TR_CLASSES(X)                                                                        \
    X(RARE) X(LOCAL_GET) X(LOCAL_SET) X(LOCAL_TEE) X(I32_CONST) X(I64_CONST) X(F32_CONST)    \
    X(F64_CONST) X(DROP) X(SELECT) X(NOP) X(GLOBAL_GET) X(GLOBAL_SET) X(LOAD) X(STORE)       \
    X(MEMORY_SIZE) X(MEMORY_GROW) X(UNARY) X(BINARY) X(ICMP) X(FCMP) X(DIV) X(CALL)          \
    X(CALL_INDIRECT) X(BLOCK) X(LOOP) X(IF) X(ELSE) X(END) X(BR) X(BR_IF) X(RETURN)          \
    X(UNREACHABLE)

enum {
#define TR_CLASS_ENUM(c) TR_C_##c,
    TR_CLASSES(TR_CLASS_ENUM)
#undef TR_CLASS_ENUM
    TR_C_COUNT
};

void
tr_classes_init(FeTranslator *t)
{
    for (uint32_t b = 0; b < 256; b++) {
        uint8_t c;
        switch (b) {
        case 0x20: c = TR_C_LOCAL_GET; break;
        case 0x21: c = TR_C_LOCAL_SET; break;
        case 0x22: c = TR_C_LOCAL_TEE; break;
        case 0x41: c = TR_C_I32_CONST; break;
        case 0x42: c = TR_C_I64_CONST; break;
        case 0x43: c = TR_C_F32_CONST; break;
        case 0x44: c = TR_C_F64_CONST; break;
        case 0x1A: c = TR_C_DROP; break;
        case 0x1B: c = TR_C_SELECT; break;
        case 0x01: c = TR_C_NOP; break;
        case 0x23: c = TR_C_GLOBAL_GET; break;
        case 0x24: c = TR_C_GLOBAL_SET; break;
        case 0x3F: c = TR_C_MEMORY_SIZE; break;
        case 0x40: c = TR_C_MEMORY_GROW; break;
        case 0x10: c = TR_C_CALL; break;
        case 0x11: c = TR_C_CALL_INDIRECT; break;
        case 0x02: c = TR_C_BLOCK; break;
        case 0x03: c = TR_C_LOOP; break;
        case 0x04: c = TR_C_IF; break;
        case 0x05: c = TR_C_ELSE; break;
        case 0x0B: c = TR_C_END; break;
        case 0x0C: c = TR_C_BR; break;
        case 0x0D: c = TR_C_BR_IF; break;
        case 0x0F: c = TR_C_RETURN; break;
        case 0x00: c = TR_C_UNREACHABLE; break;
        default:
            switch ((TrKind)tr_op_map[b].kind) {
            case TR_K_UNARY: c = TR_C_UNARY; break;
            case TR_K_BINARY: c = TR_C_BINARY; break;
            case TR_K_ICMP: c = TR_C_ICMP; break;
            case TR_K_FCMP: c = TR_C_FCMP; break;
            case TR_K_DIV: c = TR_C_DIV; break;
            case TR_K_LOAD: c = TR_C_LOAD; break;
            case TR_K_STORE: c = TR_C_STORE; break;
            default: c = TR_C_RARE; break;  // br_table, tables, references, prefixes
            }
            break;
        }
        t->cls[b] = c;
    }
}

/* A block type (FeInstr.v.block_type's encoding): 0x40 or a value type in one byte, else an
 * s33 type index. */
static inline int64_t
read_block_type(const uint8_t **pp)
{
    const uint8_t *p = *pp;
    if ((*p & 0xC0) == 0x40) {
        *pp = p + 1;
        return (int64_t)*p - 0x80;
    }
    return fe_sleb_trusted(pp, 33);
}

/* True if v is an ICONST or FCONST (the folding builders' fast-path test; the operand stack
 * holds resolved values). */
static inline bool
is_const_value(const IrFunc *f, IrValue v)
{
    uint16_t op = f->insts.data[v.id].op;
    return op == IR_OP_ICONST || op == IR_OP_FCONST;
}

/* A signed LEB128 of at most `bits` bits; one-byte values (-64..63, most constants) take a
 * short path. */
static inline int64_t
read_sleb(const uint8_t **pp, unsigned bits)
{
    uint32_t b = **pp;
    if (SK_LIKELY(!(b & 0x80))) {
        (*pp)++;
        return (int64_t)b - (int64_t)((b & 0x40) << 1);
    }
    return fe_sleb_trusted(pp, bits);
}

#if TR_THREADED
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#endif

/*
 * The handlers keep the operand stack's pointer and height in locals; SYNC() writes the
 * height back before anything that works on t (control, calls, rare instructions), RELOAD()
 * reads both after it (the stack may have moved). After a control instruction, CONTROL_NEXT
 * stops on failure or at the function's end and skips unreachable code.
 */
const uint8_t *
tr_translate_body(FeTranslator *t, const uint8_t *p)
{
    IrFunc *f = t->f;
    IrValue *stk = t->stk;
    uint32_t sp = t->sp;
    uint32_t b;
    const uint8_t *const base = t->m->bytes;
    const uint32_t *const live = t->live;
/* SYNC also tells the control functions where they are (t->pos, for liveness). */
#define SYNC() (t->sp = sp, t->pos = (uint32_t)(p - base))
#define RELOAD() (sp = t->sp, stk = t->stk)
#if TR_THREADED
    static const void *const labels[TR_C_COUNT] = {
#define TR_LABEL(c) &&op_##c,
        TR_CLASSES(TR_LABEL)
#undef TR_LABEL
    };
    if (!t->has_dispatch) {
        for (uint32_t k = 0; k < 256; k++)
            t->dispatch[k] = labels[t->cls[k]];
        t->has_dispatch = true;
    }
#define OP(c) op_##c
#define NEXT()                                                                               \
    do {                                                                                     \
        b = *p++;                                                                            \
        goto *t->dispatch[b];                                                                \
    } while (0)
    NEXT();
#else
#define OP(c) case TR_C_##c
#define NEXT() goto dispatch
dispatch:
    b = *p++;
    switch (t->cls[b]) {
#endif
#define CONTROL_NEXT()                                                                       \
    do {                                                                                     \
        RELOAD();                                                                            \
        if (SK_UNLIKELY(t->failed))                                                          \
            return p;                                                                        \
        if (!t->reachable)                                                                   \
            p = tr_skip_dead(t, p);                                                          \
        NEXT();                                                                              \
    } while (0)

    /* ---- locals, constants, stack ---- */
    OP(LOCAL_GET): {
        uint32_t x = fe_u32_trusted(&p);
        stk[sp++].id = t->cur[x];
        NEXT();
    }
    /* A local never read again (live[x] before here) is not set at all: no log record,
     * no snapshot entries, no merge column, no block parameter. */
    OP(LOCAL_SET): {
        uint32_t x = fe_u32_trusted(&p);
        sp--;
        if (SK_LIKELY(live[x] >= (uint32_t)(p - base)))
            tr_set_local(t, x, stk[sp].id);
        NEXT();
    }
    OP(LOCAL_TEE): {
        uint32_t x = fe_u32_trusted(&p);
        if (SK_LIKELY(live[x] >= (uint32_t)(p - base)))
            tr_set_local(t, x, stk[sp - 1].id);
        NEXT();
    }
    OP(I32_CONST):
        stk[sp++] = ir_build_iconst(f, IR_TYPE_I32, (uint32_t)read_sleb(&p, 32));
        NEXT();
    OP(I64_CONST):
        stk[sp++] = ir_build_iconst(f, IR_TYPE_I64, (uint64_t)read_sleb(&p, 64));
        NEXT();
    OP(F32_CONST):
        stk[sp++] = ir_build_fconst(f, IR_TYPE_F32, fe_le32(p));
        p += 4;
        NEXT();
    OP(F64_CONST):
        stk[sp++] = ir_build_fconst(f, IR_TYPE_F64, fe_le64(p));
        p += 8;
        NEXT();
    OP(DROP):
        sp--;
        NEXT();
    OP(SELECT): {
        IrValue c = stk[sp - 1], y = stk[sp - 2], x = stk[sp - 3];
        sp -= 2;
        stk[sp - 1] = ir_build_select(f, ir_value_type(f, x), c, x, y);
        NEXT();
    }
    OP(NOP):
        NEXT();
    OP(GLOBAL_GET): {
        uint32_t g = fe_u32_trusted(&p);
        stk[sp++] = ir_emit(f, IR_OP_GLOBAL_GET, (IrType)t->im->globals[g].type, 0, 0, 0, g);
        NEXT();
    }
    OP(GLOBAL_SET): {
        uint32_t g = fe_u32_trusted(&p);
        ir_emit(f, IR_OP_GLOBAL_SET, IR_TYPE_NONE, stk[--sp].id, 0, 0, g);
        NEXT();
    }

    /* ---- memory ---- */
    OP(LOAD): {
        const TrOpMap *map = &tr_op_map[b];
        uint32_t align = fe_u32_trusted(&p), offset = fe_u32_trusted(&p);
        stk[sp - 1] = ir_emit(f, (IrOp)map->op, (IrType)map->type, stk[sp - 1].id, 0,
                              IR_MEMARG(0, align, 0), offset);
        NEXT();
    }
    OP(STORE): {
        const TrOpMap *map = &tr_op_map[b];
        uint32_t align = fe_u32_trusted(&p), offset = fe_u32_trusted(&p);
        sp -= 2;
        ir_emit(f, (IrOp)map->op, IR_TYPE_NONE, stk[sp].id, stk[sp + 1].id,
                IR_MEMARG(0, align, 0), offset);
        NEXT();
    }
    OP(MEMORY_SIZE): {
        uint32_t mem = *p++;  // a memory index byte (zero in 2.0)
        stk[sp++] = ir_emit(f, IR_OP_MEMORY_SIZE, IR_TYPE_I32, 0, 0, 0, mem);
        NEXT();
    }
    OP(MEMORY_GROW): {
        uint32_t mem = *p++;
        stk[sp - 1] = ir_emit(f, IR_OP_MEMORY_GROW, IR_TYPE_I32, stk[sp - 1].id, 0, 0, mem);
        NEXT();
    }

    /* ---- numeric ---- */
    /* Operators: emitted here when no operand is a constant (nor, for binary operators, are
     * the operands equal), as the builders would; else the builders fold. */
    OP(UNARY): {
        const TrOpMap *map = &tr_op_map[b];
        IrValue a = stk[sp - 1];
        if (SK_LIKELY(!is_const_value(f, a) && map->op != IR_OP_REF_IS_NULL))
            stk[sp - 1] = ir_emit(f, (IrOp)map->op, (IrType)map->type, a.id, 0, 0, 0);
        else
            stk[sp - 1] = ir_build_unary(f, (IrOp)map->op, (IrType)map->type, a);
        NEXT();
    }
    OP(BINARY): {
        const TrOpMap *map = &tr_op_map[b];
        IrValue x = stk[sp - 2], y = stk[sp - 1];
        sp--;
        if (SK_LIKELY(!is_const_value(f, x) && !is_const_value(f, y) && x.id != y.id))
            stk[sp - 1] = ir_emit(f, (IrOp)map->op, (IrType)map->type, x.id, y.id, 0, 0);
        else
            stk[sp - 1] = ir_build_binary(f, (IrOp)map->op, (IrType)map->type, x, y);
        NEXT();
    }
    OP(ICMP): {
        const TrOpMap *map = &tr_op_map[b];
        IrValue x = stk[sp - 2], y = stk[sp - 1];
        sp--;
        if (SK_LIKELY(!is_const_value(f, x) && !is_const_value(f, y) && x.id != y.id))
            stk[sp - 1] = ir_emit(f, IR_OP_ICMP, IR_TYPE_I32, x.id, y.id, 0, map->aux);
        else
            stk[sp - 1] = ir_build_icmp(f, (IrIntCond)map->aux, x, y);
        NEXT();
    }
    OP(FCMP): {
        const TrOpMap *map = &tr_op_map[b];
        sp--;
        stk[sp - 1] = ir_build_fcmp(f, (IrFloatCond)map->aux, stk[sp - 1], stk[sp]);
        NEXT();
    }
    OP(DIV): {
        const TrOpMap *map = &tr_op_map[b];
        SYNC();
        translate_div(t, (IrOp)map->op, (IrType)map->type);
        CONTROL_NEXT();
    }

    /* ---- calls ---- */
    OP(CALL): {
        uint32_t fn = fe_u32_trusted(&p);
        uint32_t sig = t->im->func_sigs[fn];
        SYNC();
        emit_call(t, IR_OP_CALL, sig, sig, fn, p);
        CONTROL_NEXT();
    }
    OP(CALL_INDIRECT): {
        uint32_t sig = fe_u32_trusted(&p), table = fe_u32_trusted(&p);
        IrValue index = stk[--sp];
        SYNC();
        emit_call(t, IR_OP_CALL_INDIRECT, sig, index.id, (uint64_t)sig | (uint64_t)table << 32,
                  p);
        CONTROL_NEXT();
    }

    /* ---- control ---- */
    OP(BLOCK):
        SYNC();
        tr_block(t, read_block_type(&p));
        CONTROL_NEXT();
    OP(LOOP): {
        int64_t bt = read_block_type(&p);
        SYNC();
        tr_loop(t, bt, p);
        CONTROL_NEXT();
    }
    OP(IF):
        SYNC();
        tr_if(t, read_block_type(&p));
        CONTROL_NEXT();
    OP(ELSE):
        SYNC();
        tr_else(t);
        CONTROL_NEXT();
    OP(END):
        SYNC();
        tr_end(t);
        if (!t->nframes)
            return p;
        CONTROL_NEXT();
    OP(BR):
        SYNC();
        tr_br(t, fe_u32_trusted(&p));
        CONTROL_NEXT();
    OP(BR_IF):
        SYNC();
        tr_br_if(t, fe_u32_trusted(&p));
        CONTROL_NEXT();
    OP(RETURN):
        SYNC();
        tr_return(t);
        CONTROL_NEXT();
    OP(UNREACHABLE):
        SYNC();
        tr_trap(t, IR_TRAP_UNREACHABLE);
        CONTROL_NEXT();
    OP(RARE):
        SYNC();
        p = translate_rare(t, p - 1);
        CONTROL_NEXT();
#if !TR_THREADED
    }
    sk_unreachable();  // every handler ends with NEXT() or a return
#endif
#undef OP
#undef NEXT
#undef CONTROL_NEXT
#undef SYNC
#undef RELOAD
}

#if TR_THREADED
#pragma GCC diagnostic pop
#endif
