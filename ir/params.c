/*
 * Redundant block-parameter removal. A parameter that receives the same value v on every
 * incoming JUMP, or only v and itself (a loop that passes it around unchanged), is a
 * "trivial phi" in the words of Braun et al. ("Simple and Efficient Construction of SSA
 * Form", CC 2013, section 3.2): it is replaced by v. Replacing one can make another trivial,
 * so sweeps over the blocks in reverse postorder repeat until nothing changes; in practice
 * one or two sweeps (the count is bounded by the loop nesting depth along a chain).
 *
 * The translator already drops most redundant loop-header parameters when a loop ends; this
 * pass catches what only became redundant later. v always dominates the block: every path
 * into it passes v except those coming from inside the block's own region.
 * Replacement goes through the alias map (one rewrite at the end); removed parameters
 * become NOPs and their arguments are dropped from every JUMP into the block.
 */
#include <string.h>

#include "ir/ir_internal.h"

/* Drops the arguments of removed (aliased) parameters from the JUMP of block `from`. */
static void
compact_jump_args(IrFunc *f, uint32_t from, const IrBlockData *target)
{
    IrTerm *t = &f->blocks.data[from].term;
    uint32_t keep = 0;
    for (uint32_t k = 0; k < t->nlist; k++) {
        uint32_t param = f->pool.data[target->params + k];
        if (ir_resolve(f, (IrValue){param}).id != param)
            continue;
        f->pool.data[t->list + keep++] = f->pool.data[t->list + k];
    }
    t->nlist = keep;
}

/* Drops removed parameters from block b's list (turning them into NOPs). */
static void
compact_params(IrFunc *f, uint32_t b)
{
    IrBlockData *bd = &f->blocks.data[b];
    uint32_t keep = 0;
    for (uint32_t k = 0; k < bd->nparams; k++) {
        uint32_t param = f->pool.data[bd->params + k];
        IrInstData *in = &f->insts.data[param];
        if (ir_resolve(f, (IrValue){param}).id != param) {
            memset(in, 0, sizeof(*in));
            in->op = IR_OP_NOP;
            continue;
        }
        in->imm = keep;
        f->pool.data[bd->params + keep++] = param;
    }
    bd->nparams = keep;
}

bool
ir_jump_preds(IrFunc *f, IrJumpPreds *out)
{
    out->start = NULL;
    out->list = NULL;
    uint32_t nblocks = f->blocks.len;
    const IrBlockData *blocks = f->blocks.data;
    bool any = false;
    for (uint32_t b = 2; b < nblocks && !any; b++)
        any = blocks[b].nparams != 0;
    if (!any)
        return true;  // no block takes arguments: nobody asks for preds
    uint32_t *start = sk_arena_calloc(f->arena, (size_t)nblocks + 1, sizeof(uint32_t));
    uint32_t *fill = sk_arena_alloc(f->arena, (size_t)nblocks * sizeof(uint32_t));
    if (!start || !fill)
        return false;
    for (uint32_t b = 1; b < nblocks; b++) {
        const IrTerm *t = &blocks[b].term;
        if (t->kind == IR_TERM_JUMP && blocks[t->target].nparams)
            start[t->target + 1]++;
    }
    for (uint32_t b = 0; b < nblocks; b++)
        start[b + 1] += start[b];
    uint32_t *list = sk_arena_alloc(f->arena, (size_t)(start[nblocks] + 1) * sizeof(uint32_t));
    if (!list)
        return false;
    memcpy(fill, start, (size_t)nblocks * sizeof(uint32_t));
    for (uint32_t b = 1; b < nblocks; b++) {
        const IrTerm *t = &blocks[b].term;
        if (t->kind == IR_TERM_JUMP && blocks[t->target].nparams)
            list[fill[t->target]++] = b;
    }
    out->start = start;
    out->list = list;
    return true;
}

bool
ir_simplify_params_preds(IrFunc *f, const IrJumpPreds *preds)
{
    if (!preds->start)
        return true;
    bool removed_any = false, changed = true;
    while (changed) {
        changed = false;
        for (uint32_t b = 2; b < f->blocks.len; b++) {
            const IrBlockData *bd = &f->blocks.data[b];
            for (uint32_t k = 0; k < bd->nparams; k++) {
                IrValue param = {f->pool.data[bd->params + k]};
                if (ir_resolve(f, param).id != param.id)
                    continue;  // already replaced
                uint32_t same = 0;
                bool trivial = true;
                for (uint32_t e = preds->start[b]; e < preds->start[b + 1] && trivial; e++) {
                    const IrTerm *t = &f->blocks.data[preds->list[e]].term;
                    SK_ASSERT(t->kind == IR_TERM_JUMP && t->nlist == bd->nparams);
                    IrValue arg = ir_resolve(f, (IrValue){f->pool.data[t->list + k]});
                    if (arg.id == param.id || arg.id == same)
                        continue;
                    if (same)
                        trivial = false;
                    else
                        same = arg.id;
                }
                if (trivial && same) {
                    ir_alias_set(f, param, (IrValue){same});
                    if (!f->alias)
                        return false;
                    changed = removed_any = true;
                }
            }
        }
    }
    if (!removed_any)
        return true;
    /* Every JUMP into a block with removed parameters. */
    for (uint32_t b = 1; b < f->blocks.len; b++) {
        const IrTerm *t = &f->blocks.data[b].term;
        if (t->kind == IR_TERM_JUMP && f->blocks.data[t->target].nparams)
            compact_jump_args(f, b, &f->blocks.data[t->target]);
    }
    for (uint32_t b = 2; b < f->blocks.len; b++)
        if (f->blocks.data[b].nparams)
            compact_params(f, b);
    ir_alias_apply(f);
    return true;
}

bool
ir_pass_simplify_params(IrFunc *f)
{
    IrJumpPreds preds;
    return ir_dce_remove_unreachable(f) && ir_jump_preds(f, &preds) &&
           ir_simplify_params_preds(f, &preds);
}
