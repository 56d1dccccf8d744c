/*
 * The default pass pipeline that runs on every function after translation: branch folding
 * and unreachable-block removal, redundant block-parameter removal, then dead-code
 * elimination, which also counts uses for the backend, and jump threading. Steps that the
 * translator's flags (IR_FUNCF_*) show to have nothing to do are skipped, so a function
 * costs one scan of its instructions and two of its blocks. With `verify` (test and debug
 * builds), the verifier runs after translation and after each pass, so that a broken pass
 * is caught where it broke the IR (QBE's ssacheck, Cranelift's verify_if).
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
    ir_dce_fold_branches(f);
    if (!ir_dce_remove_unreachable(f))
        return out_of_memory(msg, msg_size);
    if (verify && !verify_after(f, "branch folding", msg, msg_size))
        return false;
    if (!(f->flags & IR_FUNCF_NO_TRIVIAL_PARAMS)) {
        IrJumpPreds preds;
        if (!ir_jump_preds(f, &preds) || !ir_simplify_params_preds(f, &preds) ||
            f->arena->failed)
            return out_of_memory(msg, msg_size);
        if (verify && !verify_after(f, "simplify_params", msg, msg_size))
            return false;
    }
    IrDce d;
    if (!ir_dce_mark_sweep(f, true, &d) || f->arena->failed)
        return out_of_memory(msg, msg_size);
    if (verify && !verify_after(f, "dce", msg, msg_size))
        return false;
    ir_dce_thread_jumps(f, &d);
    if (verify && !verify_after(f, "jump threading", msg, msg_size))
        return false;
    return true;
}
