/*
 * Translation of the non-control Wasm instructions into IR: a table maps each FeOp to an IR
 * operation and a shape (unary, binary, comparison, division, load, store, SIMD), and the
 * folding builders of ir/fold.c do constant folding on the way. Division gets its explicit
 * trap_if checks here (zero divisor; INT_MIN / -1 for div_s), so constant divisors fold them
 * away. Control flow and locals are in translate.c.
 */
#include <string.h>

#include "frontend/translate.h"

#define UN(fe, irop, t) [FE_OP_##fe] = {TR_K_UNARY, IR_TYPE_##t, IR_OP_##irop, 0}
#define BIN(fe, irop, t) [FE_OP_##fe] = {TR_K_BINARY, IR_TYPE_##t, IR_OP_##irop, 0}
#define DIV(fe, irop, t) [FE_OP_##fe] = {TR_K_DIV, IR_TYPE_##t, IR_OP_##irop, 0}
#define ICMP(fe, cc) [FE_OP_##fe] = {TR_K_ICMP, IR_TYPE_I32, IR_OP_ICMP, IR_ICC_##cc}
#define FCMP(fe, cc) [FE_OP_##fe] = {TR_K_FCMP, IR_TYPE_I32, IR_OP_FCMP, IR_FCC_##cc}
#define LD(fe, irop, t) [FE_OP_##fe] = {TR_K_LOAD, IR_TYPE_##t, IR_OP_##irop, 0}
#define ST(fe, irop) [FE_OP_##fe] = {TR_K_STORE, IR_TYPE_NONE, IR_OP_##irop, 0}

const TrOpMap tr_op_map[FE_OP_COUNT] = {
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
#define IR_OP_SIMD(name, ...) [FE_OP_##name] = {TR_K_SIMD, IR_TYPE_NONE, IR_OP_##name, 0},
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
void
tr_translate_div(FeTranslator *t, IrOp op, IrType type)
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

/* Pops n arguments into the pool (in order) and returns the pool start. */
static uint32_t
pop_args(FeTranslator *t, uint32_t n)
{
    IrFunc *f = t->f;
    SK_ASSERT(t->stack.len >= n);
    uint32_t base = t->stack.len - n;
    for (uint32_t k = 0; k < n; k++)
        t->stack.data[base + k] = ir_resolve(f, t->stack.data[base + k]);
    uint32_t start = ir_pool_push_values(f, &t->stack.data[base], n);
    t->stack.len = base;
    return start;
}

/* Emits a call (direct or indirect, `a0` = its a[0]) and pushes its results. */
static void
emit_call(FeTranslator *t, IrOp op, uint32_t sig, uint32_t a0, uint64_t imm)
{
    IrFunc *f = t->f;
    const IrSig *s = &t->im->sigs[sig];
    uint32_t args = pop_args(t, s->nparams);
    IrType rt = s->nresults ? (IrType)s->results[0] : IR_TYPE_NONE;
    IrValue call = ir_emit(f, op, rt, a0, args, s->nparams, imm);
    if (s->nresults)
        tr_push(t, call);
    for (uint32_t k = 1; k < s->nresults; k++)
        tr_push(t, ir_emit(f, IR_OP_RESULT, (IrType)s->results[k], call.id, 0, 0, k));
}

bool
tr_translate_op(FeTranslator *t, const FeInstr *in)
{
    IrFunc *f = t->f;
    const TrOpMap *map = &tr_op_map[in->op];
    switch ((TrKind)map->kind) {
    case TR_K_UNARY: {
        IrValue a = tr_pop(t);
        tr_push(t, ir_build_unary(f, (IrOp)map->op, (IrType)map->type, a));
        return true;
    }
    case TR_K_BINARY: {
        IrValue b = tr_pop(t), a = tr_pop(t);
        tr_push(t, ir_build_binary(f, (IrOp)map->op, (IrType)map->type, a, b));
        return true;
    }
    case TR_K_ICMP: {
        IrValue b = tr_pop(t), a = tr_pop(t);
        tr_push(t, ir_build_icmp(f, (IrIntCond)map->aux, a, b));
        return true;
    }
    case TR_K_FCMP: {
        IrValue b = tr_pop(t), a = tr_pop(t);
        tr_push(t, ir_build_fcmp(f, (IrFloatCond)map->aux, a, b));
        return true;
    }
    case TR_K_DIV:
        tr_translate_div(t, (IrOp)map->op, (IrType)map->type);
        return true;
    case TR_K_LOAD: {
        IrValue addr = tr_pop(t);
        tr_push(t, ir_emit(f, (IrOp)map->op, (IrType)map->type, addr.id, 0,
                           IR_MEMARG(in->idx, in->align, 0), in->v.offset));
        return true;
    }
    case TR_K_STORE: {
        IrValue val = tr_pop(t), addr = tr_pop(t);
        ir_emit(f, (IrOp)map->op, IR_TYPE_NONE, addr.id, val.id, IR_MEMARG(in->idx, in->align, 0),
                in->v.offset);
        return true;
    }
    case TR_K_SIMD:
        translate_simd(t, (IrOp)map->op, in);
        return true;
    case TR_K_NONE:
        break;
    }

    switch ((FeOp)in->op) {
    case FE_OP_I32_CONST:
        tr_push(t, ir_build_iconst(f, IR_TYPE_I32, (uint32_t)in->v.i32));
        return true;
    case FE_OP_I64_CONST:
        tr_push(t, ir_build_iconst(f, IR_TYPE_I64, (uint64_t)in->v.i64));
        return true;
    case FE_OP_F32_CONST:
        tr_push(t, ir_build_fconst(f, IR_TYPE_F32, in->v.f32_bits));
        return true;
    case FE_OP_F64_CONST:
        tr_push(t, ir_build_fconst(f, IR_TYPE_F64, in->v.f64_bits));
        return true;
    case FE_OP_V128_CONST:
        tr_push(t, ir_build_vconst(f, in->ptr));
        return true;
    case FE_OP_DROP:
        SK_ASSERT(t->stack.len > 0);
        t->stack.len--;
        return true;
    case FE_OP_SELECT:
    case FE_OP_SELECT_T: {
        IrValue c = tr_pop(t), b = tr_pop(t), a = tr_pop(t);
        tr_push(t, ir_build_select(f, ir_value_type(f, a), c, a, b));
        return true;
    }
    case FE_OP_GLOBAL_GET:
        tr_push(t, ir_emit(f, IR_OP_GLOBAL_GET, (IrType)t->im->globals[in->idx].type, 0, 0, 0,
                           in->idx));
        return true;
    case FE_OP_GLOBAL_SET: {
        IrValue v = tr_pop(t);
        ir_emit(f, IR_OP_GLOBAL_SET, IR_TYPE_NONE, v.id, 0, 0, in->idx);
        return true;
    }
    case FE_OP_CALL:
        emit_call(t, IR_OP_CALL, t->im->func_sigs[in->idx], t->im->func_sigs[in->idx], in->idx);
        return true;
    case FE_OP_CALL_INDIRECT: {
        IrValue index = tr_pop(t);
        emit_call(t, IR_OP_CALL_INDIRECT, in->idx, index.id,
                  (uint64_t)in->idx | (uint64_t)in->idx2 << 32);
        return true;
    }
    case FE_OP_REF_NULL:
        tr_push(t, ir_emit(f, IR_OP_REF_NULL, tr_type((uint8_t)in->idx), 0, 0, 0, 0));
        return true;
    case FE_OP_REF_FUNC:
        tr_push(t, ir_emit(f, IR_OP_REF_FUNC, IR_TYPE_FUNCREF, 0, 0, 0, in->idx));
        return true;
    case FE_OP_MEMORY_SIZE:
        tr_push(t, ir_emit(f, IR_OP_MEMORY_SIZE, IR_TYPE_I32, 0, 0, 0, in->idx));
        return true;
    case FE_OP_MEMORY_GROW: {
        IrValue d = tr_pop(t);
        tr_push(t, ir_emit(f, IR_OP_MEMORY_GROW, IR_TYPE_I32, d.id, 0, 0, in->idx));
        return true;
    }
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
        return true;
    }
    case FE_OP_DATA_DROP:
        ir_emit(f, IR_OP_DATA_DROP, IR_TYPE_NONE, 0, 0, 0, in->idx);
        return true;
    case FE_OP_ELEM_DROP:
        ir_emit(f, IR_OP_ELEM_DROP, IR_TYPE_NONE, 0, 0, 0, in->idx);
        return true;
    case FE_OP_TABLE_GET: {
        IrValue i = tr_pop(t);
        tr_push(t, ir_emit(f, IR_OP_TABLE_GET, (IrType)t->im->tables[in->idx].elem_type, i.id, 0,
                           0, in->idx));
        return true;
    }
    case FE_OP_TABLE_SET: {
        IrValue v = tr_pop(t), i = tr_pop(t);
        ir_emit(f, IR_OP_TABLE_SET, IR_TYPE_NONE, i.id, v.id, 0, in->idx);
        return true;
    }
    case FE_OP_TABLE_SIZE:
        tr_push(t, ir_emit(f, IR_OP_TABLE_SIZE, IR_TYPE_I32, 0, 0, 0, in->idx));
        return true;
    case FE_OP_TABLE_GROW: {
        IrValue n = tr_pop(t), v = tr_pop(t);
        tr_push(t, ir_emit(f, IR_OP_TABLE_GROW, IR_TYPE_I32, v.id, n.id, 0, in->idx));
        return true;
    }
    case FE_OP_NOP:
        return true;
    default:
        return false;
    }
}
