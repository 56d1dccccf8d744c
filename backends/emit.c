/*
 * Function emission (last step of cg_func_compile): walks the blocks in layout order and
 * hands every instruction, whose operands now hold locations, to the target's emitter,
 * interleaving the move groups resolve.c computed: at a block's entry (edge moves of a
 * single-predecessor block), before an instruction (split moves, spill stores), before a
 * terminator (edge moves of a single-successor block), and inside parallel copies. Edge stubs
 * (critical edges with moves) follow the body; buffer.c then adds trap stubs and constants
 * and patches the labels.
 */
#include "backends/core.h"

/* Emits the sequenced steps of group g (index + 1; 0 = none). */
static void
emit_group(CgCtx *ctx, uint32_t g)
{
    if (!g)
        return;
    CgCore *c = ctx->core;
    const CgTarget *t = ctx->target;
    const CgMoveGroup *gr = &c->groups.data[g - 1];
    if (t->emit_moves) {
        t->emit_moves(ctx, &c->steps.data[gr->first], gr->n);
        return;
    }
    for (uint32_t k = 0; k < gr->n; k++) {
        const CgMove *m = &c->steps.data[gr->first + k];
        if (m->swap)
            t->emit_swap(ctx, m->dst, m->src);
        else
            t->emit_move(ctx, m->dst, m->src, (CgType)m->type);
    }
}

uint32_t
cg_succ_label(CgCtx *ctx, uint32_t i)
{
    CgCore *c = ctx->core;
    CgFunc *f = &ctx->func;
    CgBlock *blk = &f->blocks.data[c->emit_block];
    SK_ASSERT(i < blk->nsuccs);
    uint32_t slot = blk->succs + i;
    uint32_t st = c->edge_stub[slot];
    if (st)
        return c->stubs.data[st - 1].label;
    return f->blocks.data[f->blks.data[slot]].label;
}

bool
cg_succ_is_next(const CgCtx *ctx, uint32_t i)
{
    const CgCore *c = ctx->core;
    const CgFunc *f = &ctx->func;
    const CgBlock *blk = &f->blocks.data[c->emit_block];
    uint32_t slot = blk->succs + i;
    return !c->edge_stub[slot] && f->blks.data[slot] == c->emit_block + 1;
}

uint32_t
cg_emit_block(const CgCtx *ctx)
{
    return ctx->core->emit_block;
}

bool
cg_emit_func(CgCtx *ctx)
{
    CgCore *c = ctx->core;
    CgFunc *f = &ctx->func;
    const CgTarget *t = ctx->target;

    cg_buf_func_begin(ctx);
    uint32_t l0 = cg_labels_new(ctx, f->blocks.len + c->stubs.len);
    /* Room for the usual label fixups (a branch or two per block) and prologue records
     * (frame, saves, allocation) up front, as a hint: the vectors start empty for every
     * function and otherwise grow 1, 2, 4, ... (the pushes check and grow as before). */
    (void)SK_VEC_RESERVE_ARENA(&c->fixups, &ctx->arena, 2 * f->blocks.len + c->stubs.len + 8);
    (void)SK_VEC_RESERVE_ARENA(&c->unwind, &ctx->arena, 16);
    for (uint32_t b = 0; b < f->blocks.len; b++)
        f->blocks.data[b].label = l0 + b;
    for (uint32_t s = 0; s < c->stubs.len; s++)
        c->stubs.data[s].label = l0 + f->blocks.len + s;

    t->emit_prologue(ctx);
    for (uint32_t b = 0; b < f->blocks.len; b++) {
        CgBlock *blk = &f->blocks.data[b];
        c->emit_block = b;
        cg_label_bind(ctx, blk->label);
        emit_group(ctx, c->at_entry[b]);
        uint32_t last = blk->first + blk->ninsts - 1;
        for (uint32_t i = blk->first; i <= last; i++) {
            emit_group(ctx, c->before[i]);
            if (i == last)
                emit_group(ctx, c->at_exit[b]);
            const CgInst *in = &f->insts.data[i];
            switch (in->op) {
            case CG_OP_PCOPY:
                emit_group(ctx, (uint32_t)in->disp);
                break;
            case CG_OP_DEFS:
            case CG_OP_USES:
                break;
            default:
                if (SK_UNLIKELY(in->flags & CG_INSTF_CALL) && c->fixed_in) {
                    emit_group(ctx, c->fixed_in[i]);
                    t->emit_inst(ctx, in);
                    emit_group(ctx, c->fixed_out[i]);
                    break;
                }
                t->emit_inst(ctx, in);
                break;
            }
        }
    }
    for (uint32_t s = 0; s < c->stubs.len; s++) {
        CgStub *st = &c->stubs.data[s];
        cg_label_bind(ctx, st->label);
        emit_group(ctx, st->group);
        t->emit_jump(ctx, f->blocks.data[st->to_block].label);
    }
    return cg_buf_func_end(ctx);
}
