/*
 * The IR verifier: checks every invariant the passes and backends rely on, and reports the
 * first violation as text ("block3: v12: operand 1 has type i64, expected i32"; ids are the
 * raw ones, print with raw ids to match). It runs after translation and after every pass in
 * test builds (ir_passes_run with verify), and always in the tests. Checked:
 *   - blocks: a terminator on every live block; targets in range, live, never the entry;
 *     instruction ranges disjoint and every non-NOP instruction inside exactly one range
 *     (the contiguity invariant); removed blocks hold only NOPs;
 *   - parameters: listed in order by their block, located first in its range, typed; the
 *     entry's parameters are the signature's;
 *   - instructions: opcode, result type and operand types per ops.def; immediates in range
 *     (indices against the IrModule, lanes, alignments, conditions, trap kinds); calls
 *     against their signatures; RESULT projections right after their call;
 *   - SSA: every operand and terminator operand is defined by an instruction whose block
 *     dominates the use (earlier in the same block), using the dominator tree of ir/cfg.c;
 *     with IR_FUNCF_DEFS_FIRST, every instruction operand has a smaller id than its user;
 *   - block arguments: a JUMP passes exactly the target's parameters (count and types);
 *     BRANCH and BR_TABLE targets take none; RETURN matches the signature's results.
 * Blocks unreachable from the entry are checked except for dominance.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ir/ir.h"

typedef struct Verifier {
    const IrFunc *f;
    const IrModule *m;
    const IrSig *sig;
    IrCfg cfg;
    uint32_t *owner;  // per instruction: the block whose range holds it, 0 if none
    char *msg;
    size_t msg_size;
} Verifier;

static bool SK_PRINTF(2, 3)
fail(Verifier *v, const char *fmt, ...)
{
    if (v->msg && v->msg_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(v->msg, v->msg_size, fmt, ap);
        va_end(ap);
    }
    return false;
}

static bool
type_in_class(char cls, IrType t, IrType ctrl)
{
    switch (cls) {
    case 'T': return t == ctrl;
    case 'i': return t == IR_TYPE_I32;
    case 'l': return t == IR_TYPE_I64;
    case 'f': return t == IR_TYPE_F32;
    case 'd': return t == IR_TYPE_F64;
    case 'v': return t == IR_TYPE_V128;
    case 'n': return t == IR_TYPE_I32 || t == IR_TYPE_I64;
    case 'x': return t == IR_TYPE_F32 || t == IR_TYPE_F64;
    case 'r': return t == IR_TYPE_FUNCREF || t == IR_TYPE_EXTERNREF;
    case 'a': return t != IR_TYPE_NONE && t < IR_TYPE_COUNT;
    case '_': return t == IR_TYPE_NONE;
    case 'S': return true;  // checked per op
    default: return false;
    }
}

/* True if value `def` is usable at instruction position `use_pos` of block `use_block`. */
static bool
dominates_use(const Verifier *v, uint32_t def, uint32_t use_block, uint32_t use_pos)
{
    uint32_t def_block = v->owner[def];
    if (def_block == use_block)
        return def < use_pos;
    if (v->cfg.rpo_index[use_block] == UINT32_MAX)
        return true;  // unreachable use: no dominance to speak of
    return ir_cfg_dominates(&v->cfg, def_block, use_block);
}

/* Checks that `val` names a live instruction with a result, dominating the use. */
static bool
check_value(Verifier *v, uint32_t block, uint32_t use_pos, uint32_t val, const char *what)
{
    const IrFunc *f = v->f;
    if (val == 0 || val >= f->insts.len)
        return fail(v, "block%u: v%u: %s refers to v%u, out of range", block, use_pos, what,
                    val);
    const IrInstData *d = &f->insts.data[val];
    if (d->op == IR_OP_NOP || d->op == IR_OP_NONE || d->type == IR_TYPE_NONE ||
        d->op >= IR_OP_COUNT)
        return fail(v, "block%u: v%u: %s refers to v%u, which defines no value", block, use_pos,
                    what, val);
    if (!v->owner[val])
        return fail(v, "block%u: v%u: %s refers to v%u, which is in no block", block, use_pos,
                    what, val);
    if (!dominates_use(v, val, block, use_pos))
        return fail(v, "block%u: v%u: %s v%u (block%u) does not dominate its use", block,
                    use_pos, what, val, v->owner[val]);
    return true;
}

/* log2 of the bytes a memory op accesses (its natural alignment). */
static unsigned
mem_access_log2(IrOp op, IrType type, IrType stored)
{
    switch (op) {
    case IR_OP_LOAD:
        return type == IR_TYPE_I32 || type == IR_TYPE_F32 ? 2 : type == IR_TYPE_V128 ? 4 : 3;
    case IR_OP_STORE:
        return stored == IR_TYPE_I32 || stored == IR_TYPE_F32 ? 2
               : stored == IR_TYPE_V128                        ? 4
                                                               : 3;
    case IR_OP_LOAD8_S: case IR_OP_LOAD8_U: case IR_OP_STORE8: case IR_OP_V128_LOAD8_SPLAT:
    case IR_OP_V128_LOAD8_LANE: case IR_OP_V128_STORE8_LANE:
        return 0;
    case IR_OP_LOAD16_S: case IR_OP_LOAD16_U: case IR_OP_STORE16: case IR_OP_V128_LOAD16_SPLAT:
    case IR_OP_V128_LOAD16_LANE: case IR_OP_V128_STORE16_LANE:
        return 1;
    case IR_OP_LOAD32_S: case IR_OP_LOAD32_U: case IR_OP_STORE32: case IR_OP_V128_LOAD32_SPLAT:
    case IR_OP_V128_LOAD32_ZERO: case IR_OP_V128_LOAD32_LANE: case IR_OP_V128_STORE32_LANE:
        return 2;
    default:  // v128.load8x8_s .. load32x2_u, load64_splat, load64_zero, 64-bit lanes
        return 3;
    }
}

/* Number of lanes of a SIMD op, from its name's shape prefix ("i16x8." -> 8). */
static unsigned
op_lanes(IrOp op)
{
    const char *n = ir_op_info[op].name;
    if (!strncmp(n, "i8x16", 5))
        return 16;
    if (!strncmp(n, "i16x8", 5))
        return 8;
    if (!strncmp(n, "i32x4", 5) || !strncmp(n, "f32x4", 5))
        return 4;
    return 2;
}

static bool
check_imm(Verifier *v, uint32_t b, uint32_t id, const IrInstData *in)
{
    const IrFunc *f = v->f;
    const IrModule *m = v->m;
    IrOp op = (IrOp)in->op;
    uint64_t imm = in->imm;
    uint32_t lo = (uint32_t)imm, hi = (uint32_t)(imm >> 32);
    switch ((IrImmKind)ir_op_info[op].imm) {
    case IR_IMM_ICONST:
        if (in->type == IR_TYPE_I32 && hi)
            return fail(v, "block%u: v%u: i32 constant not zero-extended", b, id);
        return true;
    case IR_IMM_FCONST:
        if (in->type == IR_TYPE_F32 && hi)
            return fail(v, "block%u: v%u: f32 constant bits above bit 31", b, id);
        return true;
    case IR_IMM_VCONST:
        if (imm >= f->v128s.len)
            return fail(v, "block%u: v%u: v128 constant %llu out of range", b, id,
                        (unsigned long long)imm);
        return true;
    case IR_IMM_SHUFFLE:
        if (imm >= f->v128s.len)
            return fail(v, "block%u: v%u: shuffle constant out of range", b, id);
        for (int k = 0; k < 16; k++)
            if (f->v128s.data[imm].b[k] >= 32)
                return fail(v, "block%u: v%u: shuffle lane selector %u >= 32", b, id,
                            f->v128s.data[imm].b[k]);
        return true;
    case IR_IMM_LANE:
        if (imm >= op_lanes(op))
            return fail(v, "block%u: v%u: lane %llu out of range", b, id,
                        (unsigned long long)imm);
        return true;
    case IR_IMM_FUNC:
        if (imm >= m->nfuncs)
            return fail(v, "block%u: v%u: function %llu out of range", b, id,
                        (unsigned long long)imm);
        return true;
    case IR_IMM_ICC:
        return imm < IR_ICC_COUNT ? true : fail(v, "block%u: v%u: bad condition", b, id);
    case IR_IMM_FCC:
        return imm < IR_FCC_COUNT ? true : fail(v, "block%u: v%u: bad condition", b, id);
    case IR_IMM_TRAP:
        if (imm == IR_TRAP_NONE || imm >= IR_TRAP_COUNT)
            return fail(v, "block%u: v%u: bad trap kind %llu", b, id, (unsigned long long)imm);
        return true;
    case IR_IMM_GLOBAL:
        if (imm >= m->nglobals)
            return fail(v, "block%u: v%u: global %llu out of range", b, id,
                        (unsigned long long)imm);
        return true;
    case IR_IMM_MEM:
    case IR_IMM_MEMLANE: {
        uint32_t ma = in->a[2];
        if (IR_MEMARG_MEM(ma) >= m->nmemories)
            return fail(v, "block%u: v%u: memory %u out of range", b, id, IR_MEMARG_MEM(ma));
        IrType stored = ir_op_info[op].nargs > 1 ? (IrType)f->insts.data[in->a[1]].type
                                                 : IR_TYPE_NONE;
        unsigned nat = mem_access_log2(op, (IrType)in->type, stored);
        if (IR_MEMARG_ALIGN(ma) > nat)
            return fail(v, "block%u: v%u: alignment 2^%u larger than natural 2^%u", b, id,
                        IR_MEMARG_ALIGN(ma), nat);
        if (ir_op_info[op].imm == IR_IMM_MEMLANE) {
            if (IR_MEMARG_LANE(ma) >= (16u >> nat))
                return fail(v, "block%u: v%u: lane %u out of range", b, id, IR_MEMARG_LANE(ma));
        } else if (IR_MEMARG_LANE(ma)) {
            return fail(v, "block%u: v%u: lane set on a non-lane access", b, id);
        }
        if (!m->memories[IR_MEMARG_MEM(ma)].is64 && imm > UINT32_MAX)
            return fail(v, "block%u: v%u: offset beyond 32 bits on a 32-bit memory", b, id);
        return true;
    }
    case IR_IMM_MEMIDX:
        return imm < m->nmemories ? true : fail(v, "block%u: v%u: memory out of range", b, id);
    case IR_IMM_MEMIDX2:
        return lo < m->nmemories && hi < m->nmemories
                   ? true
                   : fail(v, "block%u: v%u: memory out of range", b, id);
    case IR_IMM_DATA_MEM:
        if (hi >= m->nmemories)
            return fail(v, "block%u: v%u: memory out of range", b, id);
        /* fallthrough */
    case IR_IMM_DATA:
        return lo < m->ndatas ? true : fail(v, "block%u: v%u: data segment out of range", b, id);
    case IR_IMM_TABLE:
        return imm < m->ntables ? true : fail(v, "block%u: v%u: table out of range", b, id);
    case IR_IMM_TABLE2:
        return lo < m->ntables && hi < m->ntables
                   ? true
                   : fail(v, "block%u: v%u: table out of range", b, id);
    case IR_IMM_ELEM_TABLE:
        if (hi >= m->ntables)
            return fail(v, "block%u: v%u: table out of range", b, id);
        /* fallthrough */
    case IR_IMM_ELEM:
        return lo < m->nelems ? true
                              : fail(v, "block%u: v%u: element segment out of range", b, id);
    default:
        return true;
    }
}

/* Checks the ops whose types ops.def marks 'S' (module-defined) and other special rules. */
static bool
check_special(Verifier *v, uint32_t b, uint32_t id, const IrInstData *in)
{
    const IrFunc *f = v->f;
    const IrModule *m = v->m;
    IrOp op = (IrOp)in->op;
    const IrInstData *d = f->insts.data;
    switch (op) {
    case IR_OP_GLOBAL_GET:
        if (in->type != m->globals[in->imm].type)
            return fail(v, "block%u: v%u: global_get type differs from the global's", b, id);
        return true;
    case IR_OP_GLOBAL_SET:
        if (!m->globals[in->imm].mutable_)
            return fail(v, "block%u: v%u: global_set of immutable global %llu", b, id,
                        (unsigned long long)in->imm);
        if (d[in->a[0]].type != m->globals[in->imm].type)
            return fail(v, "block%u: v%u: global_set value type differs from the global's", b,
                        id);
        return true;
    case IR_OP_TABLE_GET:
        if (in->type != m->tables[in->imm].elem_type)
            return fail(v, "block%u: v%u: table_get type differs from the table's", b, id);
        return true;
    case IR_OP_TABLE_SET:
    case IR_OP_TABLE_FILL:
        if (d[in->a[1]].type != m->tables[in->imm].elem_type)
            return fail(v, "block%u: v%u: value type differs from the table's", b, id);
        return true;
    case IR_OP_TABLE_GROW:
        if (d[in->a[0]].type != m->tables[in->imm].elem_type)
            return fail(v, "block%u: v%u: value type differs from the table's", b, id);
        return true;
    case IR_OP_REF_FUNC:
        return true;
    case IR_OP_BITCAST: {
        IrType at = (IrType)d[in->a[0]].type, t = (IrType)in->type;
        bool ok = (t == IR_TYPE_I32 && at == IR_TYPE_F32) ||
                  (t == IR_TYPE_F32 && at == IR_TYPE_I32) ||
                  (t == IR_TYPE_I64 && at == IR_TYPE_F64) ||
                  (t == IR_TYPE_F64 && at == IR_TYPE_I64);
        return ok ? true
                  : fail(v, "block%u: v%u: bitcast from %s to %s", b, id, ir_type_name(at),
                         ir_type_name(t));
    }
    case IR_OP_CALL:
    case IR_OP_CALL_INDIRECT: {
        uint32_t sig;
        if (op == IR_OP_CALL) {
            if (in->a[0] != m->func_sigs[in->imm])
                return fail(v, "block%u: v%u: call signature %u is not function %llu's", b, id,
                            in->a[0], (unsigned long long)in->imm);
            sig = in->a[0];
        } else {
            sig = (uint32_t)in->imm;
            uint32_t table = (uint32_t)(in->imm >> 32);
            if (sig >= m->nsigs || table >= m->ntables)
                return fail(v, "block%u: v%u: call_indirect type or table out of range", b, id);
            if (m->tables[table].elem_type != IR_TYPE_FUNCREF)
                return fail(v, "block%u: v%u: call_indirect through a non-funcref table", b, id);
        }
        const IrSig *s = &m->sigs[sig];
        if ((uint64_t)in->a[1] + in->a[2] > f->pool.len)
            return fail(v, "block%u: v%u: argument list out of the pool", b, id);
        if (in->a[2] != s->nparams)
            return fail(v, "block%u: v%u: %u arguments for %u parameters", b, id, in->a[2],
                        s->nparams);
        for (uint32_t k = 0; k < s->nparams; k++) {
            uint32_t arg = f->pool.data[in->a[1] + k];
            if (!check_value(v, b, id, arg, "argument"))
                return false;
            if (d[arg].type != s->params[k])
                return fail(v, "block%u: v%u: argument %u has type %s, expected %s", b, id, k,
                            ir_type_name((IrType)d[arg].type), ir_type_name((IrType)s->params[k]));
        }
        IrType rt = s->nresults ? (IrType)s->results[0] : IR_TYPE_NONE;
        if (in->type != rt)
            return fail(v, "block%u: v%u: call result type %s, signature says %s", b, id,
                        ir_type_name((IrType)in->type), ir_type_name(rt));
        return true;
    }
    case IR_OP_RESULT: {
        uint32_t call = in->a[0];
        IrOp cop = (IrOp)d[call].op;
        if (cop != IR_OP_CALL && cop != IR_OP_CALL_INDIRECT)
            return fail(v, "block%u: v%u: result of a non-call v%u", b, id, call);
        uint32_t sig = cop == IR_OP_CALL ? d[call].a[0] : (uint32_t)d[call].imm;
        const IrSig *s = &m->sigs[sig];
        if (in->imm == 0 || in->imm >= s->nresults || id - call != in->imm)
            return fail(v, "block%u: v%u: result %llu misplaced or out of range for v%u", b, id,
                        (unsigned long long)in->imm, call);
        if (in->type != s->results[in->imm])
            return fail(v, "block%u: v%u: result type %s, signature says %s", b, id,
                        ir_type_name((IrType)in->type),
                        ir_type_name((IrType)s->results[in->imm]));
        return true;
    }
    default:
        return true;
    }
}

static bool
check_inst(Verifier *v, uint32_t b, uint32_t id)
{
    const IrFunc *f = v->f;
    const IrInstData *in = &f->insts.data[id];
    if (in->op == IR_OP_NONE || in->op >= IR_OP_COUNT)
        return fail(v, "block%u: v%u: invalid opcode %u", b, id, in->op);
    IrOp op = (IrOp)in->op;
    const IrOpInfo *info = &ir_op_info[op];
    if (op == IR_OP_NOP)
        return true;
    if (op == IR_OP_PARAM)
        return true;  // checked with the block's parameter list
    /* The controlling type: the result's if RES is 'T', else the first 'T' operand's. */
    IrType ctrl = IR_TYPE_NONE;
    if (info->res == 'T') {
        ctrl = (IrType)in->type;
    } else {
        for (uint32_t k = 0; k < info->nargs; k++)
            if (info->args[k] == 'T') {
                if (in->a[k] && in->a[k] < f->insts.len)
                    ctrl = (IrType)f->insts.data[in->a[k]].type;
                break;
            }
    }
    if (info->ctrl != IR_TS_NONE && !(info->ctrl & IR_TS(ctrl)))
        return fail(v, "block%u: v%u: %s does not take type %s", b, id, info->name,
                    ir_type_name(ctrl));
    if (info->res == 'S') {
        if (in->type >= IR_TYPE_COUNT)
            return fail(v, "block%u: v%u: bad result type", b, id);
    } else if (!type_in_class(info->res, (IrType)in->type, ctrl)) {
        return fail(v, "block%u: v%u: %s cannot have result type %s", b, id, info->name,
                    ir_type_name((IrType)in->type));
    }
    for (uint32_t k = 0; k < info->nargs; k++) {
        if (!check_value(v, b, id, in->a[k], "operand"))
            return false;
        if ((f->flags & IR_FUNCF_DEFS_FIRST) && in->a[k] >= id)
            return fail(v, "block%u: v%u: operand v%u comes later (IR_FUNCF_DEFS_FIRST)", b, id,
                        in->a[k]);
        IrType at = (IrType)f->insts.data[in->a[k]].type;
        if (!type_in_class(info->args[k], at, ctrl))
            return fail(v, "block%u: v%u: %s operand %u has type %s", b, id, info->name, k,
                        ir_type_name(at));
    }
    if (!check_imm(v, b, id, in))
        return false;
    return check_special(v, b, id, in);
}

/* Checks the terminator of block b (live). */
static bool
check_term(Verifier *v, uint32_t b)
{
    const IrFunc *f = v->f;
    const IrBlockData *bd = &f->blocks.data[b];
    const IrTerm *t = &bd->term;
    const IrInstData *d = f->insts.data;
    uint32_t end = bd->end;  // terminator operands are used at the block's end
    if (t->kind == IR_TERM_NONE || t->kind >= IR_TERM_COUNT)
        return fail(v, "block%u: no terminator", b);
    if ((t->kind == IR_TERM_JUMP || t->kind == IR_TERM_RETURN || t->kind == IR_TERM_BR_TABLE) &&
        (uint64_t)t->list + t->nlist > f->pool.len)
        return fail(v, "block%u: terminator list out of the pool", b);
    uint32_t n = ir_block_nsuccs(f, (IrBlock){b});
    for (uint32_t k = 0; k < n; k++) {
        uint32_t s = ir_block_succ(f, (IrBlock){b}, k).id;
        if (s <= 1 || s >= f->blocks.len)
            return fail(v, "block%u: branch target block%u out of range%s", b, s,
                        s == 1 ? " (the entry)" : "");
        if (f->blocks.data[s].flags & IR_BLOCKF_REMOVED)
            return fail(v, "block%u: branch to removed block%u", b, s);
        if (t->kind != IR_TERM_JUMP && f->blocks.data[s].nparams)
            return fail(v, "block%u: conditional branch to block%u, which has parameters", b, s);
    }
    switch (t->kind) {
    case IR_TERM_JUMP: {
        const IrBlockData *tb = &f->blocks.data[t->target];
        if (t->nlist != tb->nparams)
            return fail(v, "block%u: jump passes %u arguments to block%u, which has %u "
                           "parameters", b, t->nlist, t->target, tb->nparams);
        for (uint32_t k = 0; k < t->nlist; k++) {
            uint32_t arg = f->pool.data[t->list + k];
            if (!check_value(v, b, end, arg, "jump argument"))
                return false;
            uint32_t p = f->pool.data[tb->params + k];
            if (d[arg].type != d[p].type)
                return fail(v, "block%u: jump argument %u has type %s, block%u expects %s", b,
                            k, ir_type_name((IrType)d[arg].type), t->target,
                            ir_type_name((IrType)d[p].type));
        }
        return true;
    }
    case IR_TERM_BRANCH:
    case IR_TERM_BR_TABLE:
        if (!check_value(v, b, end, t->value, "condition"))
            return false;
        if (d[t->value].type != IR_TYPE_I32)
            return fail(v, "block%u: branch condition has type %s", b,
                        ir_type_name((IrType)d[t->value].type));
        return true;
    case IR_TERM_RETURN:
        if (t->nlist != v->sig->nresults)
            return fail(v, "block%u: return of %u values, the signature has %u results", b,
                        t->nlist, v->sig->nresults);
        for (uint32_t k = 0; k < t->nlist; k++) {
            uint32_t val = f->pool.data[t->list + k];
            if (!check_value(v, b, end, val, "return value"))
                return false;
            if (d[val].type != v->sig->results[k])
                return fail(v, "block%u: return value %u has type %s, expected %s", b, k,
                            ir_type_name((IrType)d[val].type),
                            ir_type_name((IrType)v->sig->results[k]));
        }
        return true;
    case IR_TERM_TRAP:
        if (t->trap == IR_TRAP_NONE || t->trap >= IR_TRAP_COUNT)
            return fail(v, "block%u: bad trap kind %u", b, t->trap);
        return true;
    default:
        return true;
    }
}

/* Checks block ranges (contiguity, disjointness) and fills v->owner. */
static bool
check_ranges(Verifier *v)
{
    const IrFunc *f = v->f;
    for (uint32_t b = 1; b < f->blocks.len; b++) {
        const IrBlockData *bd = &f->blocks.data[b];
        if (bd->first > bd->end || bd->end > f->insts.len || (bd->first == 0 && bd->end != 0))
            return fail(v, "block%u: bad instruction range [%u, %u)", b, bd->first, bd->end);
        bool removed = (bd->flags & IR_BLOCKF_REMOVED) != 0;
        for (uint32_t id = bd->first; id < bd->end; id++) {
            if (removed) {
                if (f->insts.data[id].op != IR_OP_NOP)
                    return fail(v, "block%u: removed block holds v%u", b, id);
                continue;
            }
            if (v->owner[id])
                return fail(v, "block%u: range overlaps block%u at v%u", b, v->owner[id], id);
            v->owner[id] = b;
        }
    }
    for (uint32_t id = 1; id < f->insts.len; id++)
        if (!v->owner[id] && f->insts.data[id].op != IR_OP_NOP)
            return fail(v, "v%u: instruction outside every block", id);
    return true;
}

/* Checks block b's parameter list against the PARAM instructions at the start of its range. */
static bool
check_params(Verifier *v, uint32_t b)
{
    const IrFunc *f = v->f;
    const IrBlockData *bd = &f->blocks.data[b];
    if ((uint64_t)bd->params + bd->nparams > f->pool.len)
        return fail(v, "block%u: parameter list out of the pool", b);
    uint32_t listed = 0;
    bool body_started = false;
    for (uint32_t id = bd->first; id < bd->end; id++) {
        const IrInstData *in = &f->insts.data[id];
        if (in->op == IR_OP_NOP)
            continue;
        if (in->op != IR_OP_PARAM) {
            body_started = true;
            continue;
        }
        if (body_started)
            return fail(v, "block%u: v%u: parameter after the block's first instruction", b, id);
        if (in->a[0] != b || in->imm != listed || listed >= bd->nparams ||
            f->pool.data[bd->params + listed] != id)
            return fail(v, "block%u: v%u: parameter not listed at position %u", b, id, listed);
        if (in->type == IR_TYPE_NONE || in->type >= IR_TYPE_COUNT)
            return fail(v, "block%u: v%u: parameter without a type", b, id);
        listed++;
    }
    if (listed != bd->nparams)
        return fail(v, "block%u: lists %u parameters, its range holds %u", b, bd->nparams,
                    listed);
    if (b == 1) {
        if (bd->nparams != v->sig->nparams)
            return fail(v, "block1: entry has %u parameters, the signature %u", bd->nparams,
                        v->sig->nparams);
        for (uint32_t k = 0; k < bd->nparams; k++)
            if (f->insts.data[f->pool.data[bd->params + k]].type != v->sig->params[k])
                return fail(v, "block1: entry parameter %u has the wrong type", k);
    }
    return true;
}

bool
ir_verify(const IrFunc *f, SkArena *scratch, char *msg, size_t msg_size)
{
    Verifier v;
    memset(&v, 0, sizeof(v));
    v.f = f;
    v.m = f->module;
    v.msg = msg;
    v.msg_size = msg_size;
    if (msg && msg_size)
        msg[0] = 0;
    if (!scratch)
        scratch = f->arena;
    if (f->blocks.len < 2 || f->insts.len < 1)
        return fail(&v, "function has no entry block");
    if (f->sig >= v.m->nsigs)
        return fail(&v, "signature %u out of range", f->sig);
    v.sig = &v.m->sigs[f->sig];
    if (f->cur.id)
        return fail(&v, "block%u: still under construction", f->cur.id);
    if (f->blocks.data[1].flags & IR_BLOCKF_REMOVED)
        return fail(&v, "block1: the entry block is removed");
    v.owner = sk_arena_calloc(scratch, f->insts.len, sizeof(uint32_t));
    if (!v.owner || !check_ranges(&v))
        return v.owner ? false : fail(&v, "out of memory");
    /* Targets must be in range before the CFG walks them. */
    for (uint32_t b = 1; b < f->blocks.len; b++) {
        if (f->blocks.data[b].flags & IR_BLOCKF_REMOVED)
            continue;
        uint32_t n = ir_block_nsuccs(f, (IrBlock){b});
        const IrTerm *t = &f->blocks.data[b].term;
        if (t->kind == IR_TERM_BR_TABLE && (uint64_t)t->list + t->nlist > f->pool.len)
            return fail(&v, "block%u: br_table list out of the pool", b);
        for (uint32_t k = 0; k < n; k++) {
            uint32_t s = ir_block_succ(f, (IrBlock){b}, k).id;
            if (s <= 1 || s >= f->blocks.len)
                return fail(&v, "block%u: branch target block%u out of range%s", b, s,
                            s == 1 ? " (the entry)" : "");
        }
    }
    if (!ir_cfg_compute(f, scratch, true, &v.cfg))
        return fail(&v, "out of memory");
    for (uint32_t b = 1; b < f->blocks.len; b++) {
        const IrBlockData *bd = &f->blocks.data[b];
        if (bd->flags & IR_BLOCKF_REMOVED) {
            if (bd->nparams || bd->term.kind != IR_TERM_NONE)
                return fail(&v, "block%u: removed block keeps parameters or a terminator", b);
            continue;
        }
        if (!check_params(&v, b))
            return false;
        for (uint32_t id = bd->first; id < bd->end; id++)
            if (!check_inst(&v, b, id))
                return false;
        if (!check_term(&v, b))
            return false;
    }
    return true;
}
