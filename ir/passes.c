/*
 * The default pass pipeline that runs on every function after translation: redundant
 * block-parameter removal, dead-code elimination, then use counts for the backend. With
 * `verify` (test and debug builds), the verifier runs after translation and after each pass,
 * so that a broken pass is caught where it broke the IR (QBE's ssacheck, Cranelift's
 * verify_if).
 */
#include <stdio.h>
#include <string.h>

#include "ir/ir.h"

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
    if (!ir_pass_simplify_params(f) || f->arena->failed)
        return out_of_memory(msg, msg_size);
    if (verify && !verify_after(f, "simplify_params", msg, msg_size))
        return false;
    if (!ir_pass_dce(f) || f->arena->failed)
        return out_of_memory(msg, msg_size);
    if (verify && !verify_after(f, "dce", msg, msg_size))
        return false;
    if (!ir_func_count_uses(f))
        return out_of_memory(msg, msg_size);
    return true;
}
