/*
 * Internal to ir/: the pass steps that ir_passes_run (ir/passes.c) chains without
 * recomputing control-flow facts. The public one-shot passes (ir_pass_simplify_params,
 * ir_pass_dce) are thin wrappers around them.
 */
#ifndef SKUA_IR_INTERNAL_H
#define SKUA_IR_INTERNAL_H

#include "ir/ir.h"

/*
 * The JUMPs into each block that has parameters (only JUMPs may target such a block):
 * list[start[b] .. start[b + 1]) are the source blocks. Removed blocks contribute none.
 * Parameter simplification and DCE change arguments, never edges, so one serves both.
 */
typedef struct IrJumpPreds {
    uint32_t *start;  // per block, plus one
    uint32_t *list;
} IrJumpPreds;

/* dce.c */

/* Turns branches whose direction is known (constant condition, equal targets) into jumps;
 * clears IR_FUNCF_ALL_REACHABLE if it changed any. */
void ir_dce_fold_branches(IrFunc *f);
/* Unless IR_FUNCF_ALL_REACHABLE, removes the blocks unreachable from the entry (their
 * instructions NOP, IR_BLOCKF_REMOVED) and then sets the flag. Returns false on OOM. */
bool ir_dce_remove_unreachable(IrFunc *f);
/* Mark and sweep (see dce.c); with `count_uses`, fills f->uses in the same sweep. Requires
 * all blocks reachable. Returns false on OOM. */
bool ir_dce_mark_sweep(IrFunc *f, const IrJumpPreds *preds, bool count_uses);
/* Bypasses and removes empty blocks that only jump without arguments (keeps f->uses
 * exact). Never fails: without memory it does nothing. */
void ir_dce_thread_jumps(IrFunc *f);

/* params.c */

/* Computes the JUMP predecessors of blocks with parameters from f->arena. */
bool ir_jump_preds(IrFunc *f, IrJumpPreds *out);
/* Removes trivial block parameters. Returns false on OOM. */
bool ir_simplify_params_preds(IrFunc *f, const IrJumpPreds *preds);

#endif
