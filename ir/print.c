/*
 * The IR printer: a stable text form for golden tests, `skua compile --emit=ir` and debug
 * dumps. One function:
 *
 *   function f3 "name": (i32, i64) -> (i32)
 *   block0(v0:i32, v1:i64):
 *     v2:i32 = iadd v0, v0
 *     store v0, v2 offset=8 align=4
 *     branch v2, block1, block2
 *
 * Blocks print in reverse postorder (then unreachable ones, in id order); by default blocks
 * and values are renumbered densely in printing order, so the text does not change when an
 * unrelated instruction or block is added elsewhere. With raw ids, the numbers are the ids
 * (as the verifier's messages use them). Removed blocks and NOPs do not print.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ir/ir.h"

typedef struct Printer {
    const IrFunc *f;
    IrWriteFn write;
    void *user;
    uint32_t *vnum;  // raw value id -> printed number
    uint32_t *bnum;  // raw block id -> printed number
    char line[512];
    size_t len;
} Printer;

static void SK_PRINTF(2, 3)
put(Printer *p, const char *fmt, ...)
{
    if (p->len >= sizeof(p->line) - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(p->line + p->len, sizeof(p->line) - p->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        p->len += (size_t)n < sizeof(p->line) - p->len ? (size_t)n : sizeof(p->line) - p->len - 1;
}

static void
flush_line(Printer *p)
{
    put(p, "\n");
    p->write(p->user, p->line, p->len);
    p->len = 0;
}

static void
put_value(Printer *p, uint32_t v)
{
    if (v < p->f->insts.len)
        put(p, "v%u", p->vnum[v]);
    else
        put(p, "v?%u", v);
}

static void
put_block(Printer *p, uint32_t b)
{
    if (b < p->f->blocks.len)
        put(p, "block%u", p->bnum[b]);
    else
        put(p, "block?%u", b);
}

/* Prints n values from the pool at `start`, comma-separated. */
static void
put_value_list(Printer *p, uint32_t start, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++) {
        if (k)
            put(p, ", ");
        uint64_t at = (uint64_t)start + k;
        put_value(p, at < p->f->pool.len ? p->f->pool.data[at] : 0);
    }
}

/* A float constant: decimal that round-trips, or nan:0xPAYLOAD / inf with a sign. */
static void
put_float(Printer *p, IrType t, uint64_t bits)
{
    bool f32 = t == IR_TYPE_F32;
    bool neg = f32 ? (bits >> 31) & 1 : bits >> 63;
    uint64_t exp = f32 ? (bits >> 23) & 0xff : (bits >> 52) & 0x7ff;
    uint64_t frac = f32 ? bits & 0x7fffff : bits & 0xfffffffffffffull;
    uint64_t exp_max = f32 ? 0xff : 0x7ff;
    if (exp == exp_max) {
        if (frac)
            put(p, "%snan:0x%" PRIx64, neg ? "-" : "", frac);
        else
            put(p, "%sinf", neg ? "-" : "");
        return;
    }
    if (f32) {
        uint32_t b = (uint32_t)bits;
        float x;
        memcpy(&x, &b, 4);
        put(p, "%.9g", (double)x);
    } else {
        double x;
        memcpy(&x, &bits, 8);
        put(p, "%.17g", x);
    }
}

static void
put_memarg(Printer *p, const IrInstData *in)
{
    uint32_t ma = in->a[2];
    if (in->imm)
        put(p, " offset=%" PRIu64, in->imm);
    if (ir_op_info[in->op].imm == IR_IMM_MEMLANE)
        put(p, " lane=%u", IR_MEMARG_LANE(ma));
    put(p, " align=%u", 1u << IR_MEMARG_ALIGN(ma));
    if (IR_MEMARG_MEM(ma))
        put(p, " mem=%u", IR_MEMARG_MEM(ma));
}

static void
put_operands(Printer *p, const IrInstData *in)
{
    const IrOpInfo *info = &ir_op_info[in->op];
    for (uint32_t k = 0; k < info->nargs; k++) {
        put(p, k ? ", " : " ");
        put_value(p, in->a[k]);
    }
}

static void
print_inst(Printer *p, uint32_t id)
{
    const IrFunc *f = p->f;
    const IrInstData *in = &f->insts.data[id];
    const IrOpInfo *info = &ir_op_info[in->op < IR_OP_COUNT ? in->op : 0];
    uint32_t lo = (uint32_t)in->imm, hi = (uint32_t)(in->imm >> 32);
    put(p, "  ");
    if (in->type != IR_TYPE_NONE) {
        put_value(p, id);
        put(p, ":%s = ", ir_type_name((IrType)in->type));
    }
    put(p, "%s", info->name);
    switch ((IrImmKind)info->imm) {
    case IR_IMM_ICONST:
        if (in->type == IR_TYPE_I32)
            put(p, " %" PRId32, (int32_t)lo);
        else
            put(p, " %" PRId64, (int64_t)in->imm);
        break;
    case IR_IMM_FCONST:
        put(p, " ");
        put_float(p, (IrType)in->type, in->imm);
        break;
    case IR_IMM_VCONST:
        if (in->imm < f->v128s.len) {
            const uint8_t *b = f->v128s.data[in->imm].b;
            put(p, " i32x4");
            for (int k = 0; k < 4; k++)
                put(p, " 0x%02x%02x%02x%02x", b[4 * k + 3], b[4 * k + 2], b[4 * k + 1],
                    b[4 * k]);
        }
        break;
    case IR_IMM_FUNC:
        put(p, " f%" PRIu64, in->imm);
        break;
    case IR_IMM_ICC:
        put(p, " %s", ir_icc_name((IrIntCond)in->imm));
        put_operands(p, in);
        break;
    case IR_IMM_FCC:
        put(p, " %s", ir_fcc_name((IrFloatCond)in->imm));
        put_operands(p, in);
        break;
    case IR_IMM_GLOBAL:
        put(p, " g%" PRIu64, in->imm);
        if (info->nargs || in->op == IR_OP_GLOBAL_SET) {
            put(p, ",");
            put(p, " ");
            put_value(p, in->a[0]);
        }
        break;
    case IR_IMM_TRAP:
        put_operands(p, in);
        put(p, ", %s", ir_trap_name((IrTrapKind)in->imm));
        break;
    case IR_IMM_CALL:
    case IR_IMM_CALL_INDIRECT:
        if (info->imm == IR_IMM_CALL) {
            put(p, " f%" PRIu64 "(", in->imm);
        } else {
            put(p, " t%u sig%u ", hi, lo);
            put_value(p, in->a[0]);
            put(p, "(");
        }
        put_value_list(p, in->a[1], in->a[2]);
        put(p, ")");
        break;
    case IR_IMM_RESULT:
        put(p, " ");
        put_value(p, in->a[0]);
        put(p, ", %" PRIu64, in->imm);
        break;
    case IR_IMM_MEM:
    case IR_IMM_MEMLANE:
        put_operands(p, in);
        put_memarg(p, in);
        break;
    case IR_IMM_MEMIDX:
        put(p, " mem%u", lo);
        put_operands(p, in);
        break;
    case IR_IMM_MEMIDX2:
        put(p, " mem%u mem%u", lo, hi);
        put_operands(p, in);
        break;
    case IR_IMM_DATA_MEM:
        put(p, " data%u mem%u", lo, hi);
        put_operands(p, in);
        break;
    case IR_IMM_DATA:
        put(p, " data%u", lo);
        break;
    case IR_IMM_TABLE:
        put(p, " t%u", lo);
        put_operands(p, in);
        break;
    case IR_IMM_TABLE2:
        put(p, " t%u t%u", lo, hi);
        put_operands(p, in);
        break;
    case IR_IMM_ELEM_TABLE:
        put(p, " elem%u t%u", lo, hi);
        put_operands(p, in);
        break;
    case IR_IMM_ELEM:
        put(p, " elem%u", lo);
        break;
    case IR_IMM_SHUFFLE:
        put_operands(p, in);
        if (in->imm < f->v128s.len) {
            put(p, " [");
            for (int k = 0; k < 16; k++)
                put(p, k ? " %u" : "%u", f->v128s.data[in->imm].b[k]);
            put(p, "]");
        }
        break;
    case IR_IMM_LANE:
        put_operands(p, in);
        put(p, " lane=%" PRIu64, in->imm);
        break;
    default:
        put_operands(p, in);
        break;
    }
    flush_line(p);
}

static void
print_term(Printer *p, uint32_t b)
{
    const IrFunc *f = p->f;
    const IrTerm *t = &f->blocks.data[b].term;
    put(p, "  ");
    switch (t->kind) {
    case IR_TERM_JUMP:
        put(p, "jump ");
        put_block(p, t->target);
        if (t->nlist) {
            put(p, "(");
            put_value_list(p, t->list, t->nlist);
            put(p, ")");
        }
        break;
    case IR_TERM_BRANCH:
        put(p, "branch ");
        put_value(p, t->value);
        put(p, ", ");
        put_block(p, t->target);
        put(p, ", ");
        put_block(p, t->target2);
        break;
    case IR_TERM_BR_TABLE:
        put(p, "br_table ");
        put_value(p, t->value);
        put(p, ", [");
        for (uint32_t k = 0; k < t->nlist; k++) {
            if (k)
                put(p, ", ");
            uint64_t at = (uint64_t)t->list + k;
            put_block(p, at < f->pool.len ? f->pool.data[at] : UINT32_MAX);
        }
        put(p, "], ");
        put_block(p, t->target);
        break;
    case IR_TERM_RETURN:
        put(p, "return");
        if (t->nlist) {
            put(p, " ");
            put_value_list(p, t->list, t->nlist);
        }
        break;
    case IR_TERM_TRAP:
        put(p, "trap %s", ir_trap_name((IrTrapKind)t->trap));
        break;
    default:
        put(p, "<no terminator>");
        break;
    }
    flush_line(p);
}

static void
print_block(Printer *p, uint32_t b, bool unreachable)
{
    const IrFunc *f = p->f;
    const IrBlockData *bd = &f->blocks.data[b];
    put_block(p, b);
    if (bd->nparams) {
        put(p, "(");
        for (uint32_t k = 0; k < bd->nparams; k++) {
            uint32_t v = f->pool.data[bd->params + k];
            if (k)
                put(p, ", ");
            put_value(p, v);
            put(p, ":%s", ir_type_name((IrType)f->insts.data[v].type));
        }
        put(p, ")");
    }
    put(p, ":%s", unreachable ? "  ; unreachable" : "");
    flush_line(p);
    for (uint32_t id = bd->first; id < bd->end; id++) {
        uint16_t op = f->insts.data[id].op;
        if (op != IR_OP_NOP && op != IR_OP_PARAM)
            print_inst(p, id);
    }
    print_term(p, b);
}

/* Numbers block b's values (parameters, then instructions) in printing order. */
static void
number_block(Printer *p, uint32_t b, uint32_t *next_block, uint32_t *next_value)
{
    const IrFunc *f = p->f;
    const IrBlockData *bd = &f->blocks.data[b];
    p->bnum[b] = (*next_block)++;
    for (uint32_t k = 0; k < bd->nparams; k++) {
        uint32_t v = f->pool.data[bd->params + k];
        if (v < f->insts.len)
            p->vnum[v] = (*next_value)++;
    }
    for (uint32_t id = bd->first; id < bd->end; id++) {
        const IrInstData *in = &f->insts.data[id];
        if (in->op != IR_OP_NOP && in->op != IR_OP_PARAM && in->type != IR_TYPE_NONE)
            p->vnum[id] = (*next_value)++;
    }
}

static void
print_sig_types(Printer *p, const uint8_t *types, uint32_t n)
{
    put(p, "(");
    for (uint32_t k = 0; k < n; k++)
        put(p, "%s%s", k ? ", " : "", ir_type_name((IrType)types[k]));
    put(p, ")");
}

static void
print_func(const IrFunc *f, const char *name, bool raw_ids, IrWriteFn write, void *user)
{
    Printer p;
    memset(&p, 0, sizeof(p));
    p.f = f;
    p.write = write;
    p.user = user;
    IrCfg cfg;
    p.vnum = sk_arena_calloc(f->arena, f->insts.len, sizeof(uint32_t));
    p.bnum = sk_arena_calloc(f->arena, f->blocks.len, sizeof(uint32_t));
    if (!p.vnum || !p.bnum || !ir_cfg_compute(f, f->arena, false, &cfg)) {
        write(user, "<out of memory>\n", 16);
        return;
    }
    uint32_t next_block = 0, next_value = 0;
    for (uint32_t i = 0; i < cfg.nrpo; i++)
        number_block(&p, cfg.rpo[i], &next_block, &next_value);
    for (uint32_t b = 1; b < f->blocks.len; b++)
        if (cfg.rpo_index[b] == UINT32_MAX && !(f->blocks.data[b].flags & IR_BLOCKF_REMOVED))
            number_block(&p, b, &next_block, &next_value);
    if (raw_ids) {
        for (uint32_t v = 0; v < f->insts.len; v++)
            p.vnum[v] = v;
        for (uint32_t b = 0; b < f->blocks.len; b++)
            p.bnum[b] = b;
    }

    const IrSig *s = f->sig < f->module->nsigs ? &f->module->sigs[f->sig] : NULL;
    put(&p, "function f%u", f->index);
    if (name)
        put(&p, " \"%s\"", name);
    put(&p, ": ");
    if (s) {
        print_sig_types(&p, s->params, s->nparams);
        put(&p, " -> ");
        print_sig_types(&p, s->results, s->nresults);
    }
    flush_line(&p);
    for (uint32_t i = 0; i < cfg.nrpo; i++)
        print_block(&p, cfg.rpo[i], false);
    for (uint32_t b = 1; b < f->blocks.len; b++)
        if (cfg.rpo_index[b] == UINT32_MAX && !(f->blocks.data[b].flags & IR_BLOCKF_REMOVED))
            print_block(&p, b, true);
}

void
ir_print_func(const IrFunc *f, const char *name, bool raw_ids, IrWriteFn write, void *user)
{
    print_func(f, name, raw_ids, write, user);
}

typedef struct StrSink {
    SkArena *arena;
    SK_VEC(char) buf;
} StrSink;

static void
str_write(void *user, const char *data, size_t len)
{
    StrSink *s = user;
    if (len > UINT32_MAX - s->buf.len - 1 ||
        !SK_VEC_RESERVE_ARENA(&s->buf, s->arena, s->buf.len + (uint32_t)len + 1)) {
        s->arena->failed = true;
        return;
    }
    memcpy(s->buf.data + s->buf.len, data, len);
    s->buf.len += (uint32_t)len;
    s->buf.data[s->buf.len] = 0;
}

char *
ir_print_to_string(const IrFunc *f, const char *name, bool raw_ids, SkArena *arena)
{
    StrSink s;
    memset(&s, 0, sizeof(s));
    s.arena = arena;
    if (!SK_VEC_RESERVE_ARENA(&s.buf, arena, 256))
        return NULL;
    s.buf.data[0] = 0;
    print_func(f, name, raw_ids, str_write, &s);
    return arena->failed ? NULL : s.buf.data;
}
