/*
 * Dead-code elimination, in three linear steps:
 *   1. branches on constants become jumps (BRANCH on a constant, BRANCH with equal targets,
 *      BR_TABLE on a constant index); their targets take no parameters, so no arguments;
 *   2. blocks no longer reachable from the entry are removed (IR_BLOCKF_REMOVED, their
 *      instructions NOP); nothing reachable can use their values, by dominance;
 *   3. mark and sweep ("aggressive" DCE, as in Cytron et al. 1991, section 7.1, without the
 *      control-dependence part): roots are the instructions with an effect (SIDE or TRAP)
 *      and the operands of terminators other than JUMP; marking an instruction marks its
 *      operands, and marking a block parameter marks the matching argument of every JUMP into
 *      its block. Everything unmarked is deleted: instructions become NOPs, parameters leave
 *      their block's list and their arguments leave every JUMP. Unlike counting uses, this
 *      also deletes cycles through loop parameters that nothing outside the cycle reads
 *      (a local that a loop updates but nothing ever reads).
 */
#include <string.h>

#include "ir/ir.h"

static void
make_nop(IrInstData *in)
{
    memset(in, 0, sizeof(*in));
    in->op = IR_OP_NOP;
}

/* Step 1: fold branches whose direction is known. Returns true if any changed. */
static bool
fold_branches(IrFunc *f)
{
    bool changed = false;
    for (uint32_t b = 1; b < f->blocks.len; b++) {
        IrBlockData *bd = &f->blocks.data[b];
        IrTerm *t = &bd->term;
        if (bd->flags & IR_BLOCKF_REMOVED)
            continue;
        uint64_t c;
        uint32_t target = 0;
        if (t->kind == IR_TERM_BRANCH) {
            if (t->target == t->target2)
                target = t->target;
            else if (ir_value_is_const(f, (IrValue){t->value}, &c))
                target = (c & 0xffffffffu) ? t->target : t->target2;
        } else if (t->kind == IR_TERM_BR_TABLE &&
                   ir_value_is_const(f, (IrValue){t->value}, &c)) {
            c &= 0xffffffffu;
            target = c < t->nlist ? f->pool.data[t->list + c] : t->target;
        }
        if (target) {
            memset(t, 0, sizeof(*t));
            t->kind = IR_TERM_JUMP;
            t->target = target;
            changed = true;
        }
    }
    return changed;
}

/* Step 2: removes the blocks that cfg (computed after step 1) does not reach. */
static void
remove_unreachable(IrFunc *f, const IrCfg *cfg)
{
    for (uint32_t b = 2; b < f->blocks.len; b++) {
        IrBlockData *bd = &f->blocks.data[b];
        if (cfg->rpo_index[b] != UINT32_MAX || (bd->flags & IR_BLOCKF_REMOVED))
            continue;
        for (uint32_t id = bd->first; id < bd->end; id++)
            make_nop(&f->insts.data[id]);
        bd->nparams = 0;
        memset(&bd->term, 0, sizeof(bd->term));
        bd->flags |= IR_BLOCKF_REMOVED;
    }
}

typedef struct Marker {
    IrFunc *f;
    const IrCfg *cfg;
    uint8_t *live;
    uint32_t *stack;
    uint32_t sp;
} Marker;

static inline void
mark(Marker *m, uint32_t v)
{
    if (!m->live[v]) {
        m->live[v] = 1;
        m->stack[m->sp++] = v;
    }
}

/* Propagates liveness from everything on the stack. */
static void
propagate(Marker *m)
{
    IrFunc *f = m->f;
    while (m->sp) {
        uint32_t id = m->stack[--m->sp];
        const IrInstData *in = &f->insts.data[id];
        const IrOpInfo *info = &ir_op_info[in->op];
        if (in->op == IR_OP_PARAM) {
            /* A live parameter needs its argument on every incoming JUMP. */
            uint32_t b = in->a[0], k = (uint32_t)in->imm;
            for (uint32_t e = m->cfg->pred_start[b]; e < m->cfg->pred_start[b + 1]; e++) {
                const IrTerm *t = &f->blocks.data[m->cfg->preds[e]].term;
                mark(m, f->pool.data[t->list + k]);
            }
            continue;
        }
        for (uint32_t k = 0; k < info->nargs; k++)
            mark(m, in->a[k]);
        if (info->flags & IR_OPF_VARARGS)
            for (uint32_t k = 0; k < in->a[2]; k++)
                mark(m, f->pool.data[in->a[1] + k]);
    }
}

/* Step 3 sweep for parameters: drops dead ones from block b and from the JUMPs into it. */
static void
sweep_params(IrFunc *f, const IrCfg *cfg, const uint8_t *live, uint32_t b)
{
    IrBlockData *bd = &f->blocks.data[b];
    for (uint32_t e = cfg->pred_start[b]; e < cfg->pred_start[b + 1]; e++) {
        IrTerm *t = &f->blocks.data[cfg->preds[e]].term;
        uint32_t keep = 0;
        for (uint32_t k = 0; k < t->nlist; k++)
            if (live[f->pool.data[bd->params + k]])
                f->pool.data[t->list + keep++] = f->pool.data[t->list + k];
        t->nlist = keep;
    }
    uint32_t keep = 0;
    for (uint32_t k = 0; k < bd->nparams; k++) {
        uint32_t p = f->pool.data[bd->params + k];
        if (!live[p]) {
            make_nop(&f->insts.data[p]);
            continue;
        }
        f->insts.data[p].imm = keep;
        f->pool.data[bd->params + keep++] = p;
    }
    bd->nparams = keep;
}

bool
ir_pass_dce(IrFunc *f)
{
    IrCfg cfg;
    fold_branches(f);
    if (!ir_cfg_compute(f, f->arena, false, &cfg))
        return false;
    remove_unreachable(f, &cfg);

    Marker m;
    m.f = f;
    m.cfg = &cfg;
    m.sp = 0;
    m.live = sk_arena_calloc(f->arena, f->insts.len, 1);
    m.stack = sk_arena_calloc(f->arena, f->insts.len, sizeof(uint32_t));
    if (!m.live || !m.stack)
        return false;
    /* Roots. The entry's parameters are the function's: never deleted. */
    for (uint32_t i = 0; i < cfg.nrpo; i++) {
        uint32_t b = cfg.rpo[i];
        const IrBlockData *bd = &f->blocks.data[b];
        if (b == 1)
            for (uint32_t k = 0; k < bd->nparams; k++)
                m.live[f->pool.data[bd->params + k]] = 1;
        for (uint32_t id = bd->first; id < bd->end; id++) {
            IrOp op = (IrOp)f->insts.data[id].op;
            if (op != IR_OP_NOP && !ir_op_is_removable(op) && op != IR_OP_PARAM)
                mark(&m, id);
        }
        const IrTerm *t = &bd->term;
        if (t->kind == IR_TERM_BRANCH || t->kind == IR_TERM_BR_TABLE)
            mark(&m, t->value);
        else if (t->kind == IR_TERM_RETURN)
            for (uint32_t k = 0; k < t->nlist; k++)
                mark(&m, f->pool.data[t->list + k]);
        propagate(&m);
    }
    propagate(&m);

    /* Sweep. */
    for (uint32_t i = 0; i < cfg.nrpo; i++) {
        uint32_t b = cfg.rpo[i];
        const IrBlockData *bd = &f->blocks.data[b];
        if (b != 1 && bd->nparams)
            sweep_params(f, &cfg, m.live, b);
        bd = &f->blocks.data[b];
        for (uint32_t id = bd->first; id < bd->end; id++) {
            IrInstData *in = &f->insts.data[id];
            if (!m.live[id] && in->op != IR_OP_NOP && in->op != IR_OP_PARAM)
                make_nop(in);
        }
    }
    return true;
}
