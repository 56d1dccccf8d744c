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

#include "ir/ir.h"

/* Drops the arguments of removed (aliased) parameters from the JUMP of block `from`. */
static void
compact_jump_args(IrFunc *f, uint32_t from, const IrBlockData *target)
{
    IrTerm *t = &f->blocks.data[from].term;
    uint32_t keep = 0;
    for (uint32_t k = 0; k < t->nlist; k++) {
        uint32_t param = f->pool.data[target->params + k];
        if (f->alias[param])
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
        if (f->alias[param]) {
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
ir_pass_simplify_params(IrFunc *f)
{
    bool any = false;
    for (uint32_t b = 2; b < f->blocks.len && !any; b++)
        any = f->blocks.data[b].nparams != 0;
    if (!any)
        return true;

    IrCfg cfg;
    if (!ir_cfg_compute(f, f->arena, false, &cfg))
        return false;
    /* Make sure the alias map exists (it marks removed parameters). */
    if (!f->alias) {
        f->alias = sk_arena_calloc(f->arena, f->insts.cap, sizeof(uint32_t));
        if (!f->alias)
            return false;
        f->alias_cap = f->insts.cap;
    }

    bool removed_any = false, changed = true;
    while (changed) {
        changed = false;
        for (uint32_t i = 1; i < cfg.nrpo; i++) {
            uint32_t b = cfg.rpo[i];
            const IrBlockData *bd = &f->blocks.data[b];
            for (uint32_t k = 0; k < bd->nparams; k++) {
                IrValue param = {f->pool.data[bd->params + k]};
                if (f->alias[param.id])
                    continue;
                uint32_t same = 0;
                bool trivial = true;
                for (uint32_t e = cfg.pred_start[b]; e < cfg.pred_start[b + 1] && trivial; e++) {
                    const IrTerm *t = &f->blocks.data[cfg.preds[e]].term;
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
                    changed = removed_any = true;
                }
            }
        }
    }

    if (removed_any) {
        /* Every JUMP into a block with removed parameters, reachable or not. */
        for (uint32_t b = 1; b < f->blocks.len; b++) {
            const IrTerm *t = &f->blocks.data[b].term;
            if (t->kind == IR_TERM_JUMP && f->blocks.data[t->target].nparams)
                compact_jump_args(f, b, &f->blocks.data[t->target]);
        }
        for (uint32_t b = 2; b < f->blocks.len; b++)
            if (f->blocks.data[b].nparams)
                compact_params(f, b);
    }
    ir_alias_apply(f);
    return true;
}
