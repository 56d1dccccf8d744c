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
 */
typedef struct IrJumpPreds {
    uint32_t *start;  // per block, plus one
    uint32_t *list;
} IrJumpPreds;

/* A block flag that only lives inside one pass (never set between passes). */
#define IR_BLOCKF_SWEEP (1u << 31)

/* dce.c */

/* What the mark-and-sweep step leaves for jump threading: the blocks that may have become
 * forwarders (every block but the entry that ends in a JUMP). */
typedef struct IrDce {
    uint32_t *cands;
    uint32_t ncands;
} IrDce;

/* Unless IR_FUNCF_BRANCHES_FOLDED, turns branches whose direction is known (constant
 * condition, equal targets) into jumps; clears IR_FUNCF_ALL_REACHABLE if it changed any. */
void ir_dce_fold_branches(IrFunc *f);
/* Unless IR_FUNCF_ALL_REACHABLE, removes the blocks unreachable from the entry (their
 * instructions NOP, IR_BLOCKF_REMOVED) and then sets the flag. Returns false on OOM. */
bool ir_dce_remove_unreachable(IrFunc *f);
/* Liveness and sweep (see dce.c); with `count_uses`, leaves the use counts in f->uses.
 * Fills *out (may be NULL) for ir_dce_thread_jumps. Requires all blocks reachable.
 * Returns false on OOM. */
bool ir_dce_mark_sweep(IrFunc *f, bool count_uses, IrDce *out);
/* Bypasses and removes empty blocks that only jump without arguments (keeps f->uses
 * exact), looking only at d's candidates (every block if d is NULL). Never fails: without
 * memory it does nothing. */
void ir_dce_thread_jumps(IrFunc *f, const IrDce *d);

/* params.c */

/* Computes the JUMP predecessors of blocks with parameters from f->arena. */
bool ir_jump_preds(IrFunc *f, IrJumpPreds *out);
/* Removes trivial block parameters. Returns false on OOM. */
bool ir_simplify_params_preds(IrFunc *f, const IrJumpPreds *preds);

#endif
