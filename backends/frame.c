/*
 * Frame layout (after resolve.c, before emission). The core knows what the function needs:
 * callee-saved registers it writes (saved only when used), spill units, outgoing stack
 * arguments, frame objects; the target's frame_layout turns that into offsets and the
 * prologue's allocation, following its ABI (the frame pointer is always kept: the runtime's
 * backtraces walk the frame-record chain). Also the neutral prologue records of
 * STYLE.md section 8, which each target's unwind.c turns into CFI.
 */
#include "backends/core.h"

void
cg_frame_compute(CgCtx *ctx)
{
    CgCore *c = ctx->core;
    CgFunc *f = &ctx->func;
    CgFrame *fr = &ctx->frame;
    memset(fr, 0, sizeof(*fr));
    fr->saved = c->used_regs & ctx->target->callee_saved;
    fr->spill_units = c->spill_units;
    fr->outgoing = (f->outgoing + 15) & ~15u;
    fr->has_calls = c->calls.len > 0;

    /* Frame objects: offsets relative to the object area, replacing size|align. */
    uint32_t at = 0;
    for (uint32_t i = 0; i < f->nobjects; i++) {
        uint32_t v = f->objects.data[i];
        uint32_t size = v & ((1u << 28) - 1), align = 1u << (v >> 28);
        at = (at + align - 1) & ~(align - 1);
        f->objects.data[i] = at;
        at += size;
    }
    fr->objects_size = (at + 15) & ~15u;
    ctx->target->frame_layout(ctx, fr);
}

int32_t
cg_frame_slot_offset(const CgCtx *ctx, CgLoc loc)
{
    SK_ASSERT(cg_loc_is_stack(loc));
    return (int32_t)(ctx->frame.spill_offset + 8u * (loc - CG_LOC_STACK));
}

int32_t
cg_frame_object_offset(const CgCtx *ctx, uint32_t obj)
{
    SK_ASSERT(obj < ctx->func.nobjects);
    return (int32_t)(ctx->frame.objects_offset + ctx->func.objects.data[obj]);
}

void
cg_unwind_record(CgCtx *ctx, CgUnwindOp op, CgReg reg, uint32_t value)
{
    CgCore *c = ctx->core;
    CgUnwind u = {ctx->code_len - c->func_start, (uint8_t)op, (uint8_t)reg, value};
    if (!SK_VEC_PUSH_ARENA(&c->unwind, &ctx->arena, u))
        ctx->arena.failed = true;
}

const CgUnwind *
cg_func_unwind(const CgCtx *ctx, uint32_t *out_n)
{
    *out_n = ctx->core->unwind.len;
    return ctx->core->unwind.data;
}
