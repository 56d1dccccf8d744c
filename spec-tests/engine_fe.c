/*
 * The validation-only engine: decides whether a module decodes and validates through the
 * frontend (fe_module_load), with the frontend's own message. It has no execution hooks, so
 * the runner counts every command that needs execution as "not run yet". The engine built on
 * the embedding API (issue 5) replaces it.
 */
#include <stdio.h>

#include "frontend/frontend.h"
#include "spec-tests/wast.h"

/* WastEngine.validate: fe_module_load, reporting the diagnostic's message and offset. */
static WastStatus
fe_validate(void *ctx, const uint8_t *bytes, size_t size, char *msg)
{
    (void)ctx;
    FeOptions opts = {0};  // WebAssembly 2.0, default allocator
    FeModule *m = NULL;
    SkDiag diag = {0};
    if (fe_module_load(bytes, size, &opts, &m, &diag)) {
        fe_module_free(m);
        return WAST_STATUS_OK;
    }
    snprintf(msg, WAST_MSG_SIZE, "%s (at 0x%llx)", diag.message[0] ? diag.message : "rejected",
             (unsigned long long)diag.offset);
    return WAST_STATUS_REJECTED;
}

void
wast_engine_frontend(WastEngine *out)
{
    *out = (WastEngine){.validate = fe_validate};
}
