/*
 * The default pass pipeline that runs on every function after translation: branch folding
 * and unreachable-block removal, redundant block-parameter removal, then mark-and-sweep
 * dead-code elimination, which also counts uses for the backend. With
 * `verify` (test and debug builds), the verifier runs after translation and after each pass,
 * so that a broken pass is caught where it broke the IR (QBE's ssacheck, Cranelift's
 * verify_if).
 */
#include <stdio.h>
#include <string.h>

#include "ir/ir_internal.h"

/* Runs the verifier and prefixes its message with the stage name. */
static bool
verify_after(IrFunc *f, const char *stage, char *msg, size_t msg_size)
{
    char detail[256];
    if (ir_verify(f, NULL, detail, sizeof(detail)))
        return true;
    if (msg && msg_size)
        snprintf(msg, msg_size, "IR invalid after %s: %s", stage, detail);
    return false;
}

static bool
out_of_memory(char *msg, size_t msg_size)
{
    if (msg && msg_size)
        snprintf(msg, msg_size, "out of memory");
    return false;
}

bool
ir_passes_run(IrFunc *f, bool verify, char *msg, size_t msg_size)
{
    if (verify && !verify_after(f, "translation", msg, msg_size))
        return false;
    /* After branch folding no step changes an edge, so the JUMP predecessors computed once
     * serve parameter simplification and DCE. */
    ir_dce_fold_branches(f);
    if (!ir_dce_remove_unreachable(f))
        return out_of_memory(msg, msg_size);
    if (verify && !verify_after(f, "branch folding", msg, msg_size))
        return false;
    IrJumpPreds preds;
    if (!ir_jump_preds(f, &preds) || f->arena->failed)
        return out_of_memory(msg, msg_size);
    if (!(f->flags & IR_FUNCF_NO_TRIVIAL_PARAMS) && !ir_simplify_params_preds(f, &preds))
        return out_of_memory(msg, msg_size);
    if (verify && !verify_after(f, "simplify_params", msg, msg_size))
        return false;
    if (!ir_dce_mark_sweep(f, &preds, true) || f->arena->failed)
        return out_of_memory(msg, msg_size);
    if (verify && !verify_after(f, "dce", msg, msg_size))
        return false;
    ir_dce_thread_jumps(f);
    if (verify && !verify_after(f, "jump threading", msg, msg_size))
        return false;
    return true;
}
