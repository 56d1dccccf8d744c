/*
 * Liveness and live intervals over MIR (input to regalloc.c).
 *
 * The MIR is in SSA form: every virtual register has one definition, which dominates its
 * uses, and the layout puts dominators first. That allows liveness without iterating to a
 * fixed point and without per-block bit sets:
 *
 * 1. Live-in sets by path exploration (Brandner et al., "Computing Liveness Sets for
 *    SSA-Form Programs", 2011, the "use-driven" variant): for every use of v in a block u
 *    other than v's defining block D, v is live-in at u and at every block reached by
 *    walking predecessors back from u, stopping at D. Loops need no special case: the walk
 *    goes around the back edge and stops at blocks already marked for v. The work is
 *    proportional to the size of the result.
 * 2. Intervals in one backward pass over the blocks (Wimmer & Franz, "Linear Scan Register
 *    Allocation on SSA Form", CGO 2010, BuildIntervals): a block's live-out set is the union
 *    of its successors' live-in sets; ranges and use positions are prepended while walking
 *    backward, so they come out sorted without any sorting.
 *
 * Physical registers used as operands get "fixed" intervals from the same pass. Call
 * clobbers are not ranges: the positions of calls are kept in a sorted list (CgCore.calls)
 * that the allocator checks for every caller-saved register at once.
 */
#include "backends/core.h"

/* Pair node: one block in which a register has a use outside its defining block. */
typedef struct UseBlock {
    uint32_t block;
    uint32_t next;
} UseBlock;
typedef SK_VEC(UseBlock) UseBlockVec;

/* Position numbering and the position -> block map. */
static bool
number_positions(CgCtx *ctx)
{
    CgFunc *f = &ctx->func;
    CgCore *c = ctx->core;
    uint32_t nb = f->blocks.len;
    c->npos = f->insts.len + nb;
    c->block_of_pos = sk_arena_alloc(&ctx->arena, ((size_t)c->npos + 1) * sizeof(uint32_t));
    if (!c->block_of_pos)
        return false;
    for (uint32_t b = 0; b < nb; b++) {
        CgBlock *blk = &f->blocks.data[b];
        uint32_t p = blk->first + b;
        blk->pos = 2 * p;
        for (uint32_t k = 0; k <= blk->ninsts; k++)
            c->block_of_pos[p + k] = b;
    }
    c->block_of_pos[c->npos] = nb ? nb - 1 : 0;
    return true;
}

/*
 * Pass 1 (forward): defining block and position of every virtual register, the allocation
 * order (definition order), call positions, and the blocks where each register is used
 * outside its defining block (lists hanging off heads[]).
 */
static bool
scan_defs_uses(CgCtx *ctx, uint32_t *heads, UseBlockVec *nodes, uint32_t *lastb)
{
    CgFunc *f = &ctx->func;
    CgCore *c = ctx->core;
    CgVregInfo *vi = c->vinfo;
    for (uint32_t b = 0; b < f->blocks.len; b++) {
        CgBlock *blk = &f->blocks.data[b];
        for (uint32_t i = 0; i < blk->nparams; i++) {
            uint32_t v = f->regs.data[blk->params + i] - CG_VREG_FIRST;
            SK_ASSERT(v < c->nvregs && vi[v].def_block == CG_NONE32);
            vi[v].def_block = b;
            vi[v].def_pos = blk->pos + 1;
            c->order[c->norder++] = v + CG_VREG_FIRST;
        }
        for (uint32_t i = blk->first; i < blk->first + blk->ninsts; i++) {
            const CgInst *in = &f->insts.data[i];
            const CgOperand *ops = f->opnds.data + in->ops;
            uint32_t q = 2 * (i + b + 1);
            if (in->flags & CG_INSTF_CALL) {
                if (!SK_VEC_PUSH_ARENA(&c->calls, &ctx->arena, q + 1))
                    return false;
            }
            for (uint32_t k = 0; k < in->nops; k++) {
                CgReg r = cg_opnd_reg(ops[k]);
                if (!cg_reg_is_virt(r))
                    continue;
                uint32_t v = r - CG_VREG_FIRST;
                SK_ASSERT(v < c->nvregs);
                if (ops[k] & CG_OPF_DEF) {
                    SK_ASSERT(vi[v].def_block == CG_NONE32);
                    vi[v].def_block = b;
                    vi[v].def_pos = q + 1;
                    c->order[c->norder++] = r;
                } else if (vi[v].def_block != b && lastb[v] != b + 1) {
                    SK_ASSERT(vi[v].def_block != CG_NONE32);  // used before defined
                    UseBlock n = {b, heads[v]};
                    if (!SK_VEC_PUSH_ARENA(nodes, &ctx->arena, n))
                        return false;
                    heads[v] = nodes->len - 1;
                    lastb[v] = b + 1;
                }
            }
        }
        for (uint32_t i = 0; i < blk->nargs; i++) {
            uint32_t v = f->regs.data[blk->args + i] - CG_VREG_FIRST;
            SK_ASSERT(v < c->nvregs && vi[v].def_block != CG_NONE32);
            if (vi[v].def_block != b && lastb[v] != b + 1) {
                UseBlock n = {b, heads[v]};
                if (!SK_VEC_PUSH_ARENA(nodes, &ctx->arena, n))
                    return false;
                heads[v] = nodes->len - 1;
                lastb[v] = b + 1;
            }
        }
    }
    return true;
}

/* Pass 2: live-in lists by walking predecessors from each non-local use block. */
static bool
explore(CgCtx *ctx, const uint32_t *heads, const UseBlock *nodes)
{
    CgFunc *f = &ctx->func;
    CgCore *c = ctx->core;
    uint32_t nb = f->blocks.len;
    uint32_t *mark = sk_arena_alloc(&ctx->arena, (size_t)nb * sizeof(uint32_t));
    uint32_t *stack = sk_arena_alloc(&ctx->arena, (size_t)nb * sizeof(uint32_t));
    if (!mark || !stack)
        return false;
    memset(mark, 0xFF, (size_t)nb * sizeof(uint32_t));
    for (uint32_t v = 0; v < c->nvregs; v++) {
        if (!heads[v])
            continue;
        uint32_t reg = v + CG_VREG_FIRST;
        uint32_t d = c->vinfo[v].def_block;
        uint32_t def_pos = c->vinfo[v].def_pos;
        uint32_t sp = 0;
        for (uint32_t n = heads[v]; n; n = nodes[n].next) {
            uint32_t u = nodes[n].block;
            if (mark[u] == reg)
                continue;
            mark[u] = reg;
            stack[sp++] = u;
        }
        while (sp) {
            uint32_t x = stack[--sp];
            CgBlock *bx = &f->blocks.data[x];
            /* Dominator-first layout: a block where v is live-in comes after v's def. */
            SK_ASSERT(bx->pos > def_pos);
            CgLiveIn li = {reg, bx->livein};
            if (!SK_VEC_PUSH_ARENA(&c->liveins, &ctx->arena, li))
                return false;
            bx->livein = c->liveins.len - 1;
            bx->nlivein++;
            for (uint32_t i = 0; i < bx->npreds; i++) {
                uint32_t p = f->blks.data[bx->preds + i];
                if (p != d && mark[p] != reg) {
                    mark[p] = reg;
                    stack[sp++] = p;
                }
            }
        }
    }
    return true;
}

/* Sets iv's hint unless it is a fixed interval. */
SK_INLINE void
set_hint(CgCore *c, CgReg r, CgReg hint)
{
    if (cg_reg_is_virt(r))
        c->ivals.data[r].hint = hint;
}

/* Adds [from, to) in front of iv's ranges, merging with the first range when they touch:
 * backward construction guarantees from <= the first range's from. No capacity checks: the
 * pools are reserved beforehand. Interval starts are filled in afterwards. */
SK_INLINE void
range_add(CgCore *c, CgIval *iv, uint32_t from, uint32_t to)
{
    CgRange *rs = c->ranges.data;
    uint32_t h = iv->range;
    if (h && rs[h].from <= to) {
        if (from < rs[h].from)
            rs[h].from = from;
        if (to > rs[h].to) {
            rs[h].to = to;
            if (to > iv->end)
                iv->end = to;
        }
        return;
    }
    uint32_t n = c->ranges.len++;
    rs[n] = (CgRange){from, to, h};
    iv->range = n;
    if (to > iv->end)
        iv->end = to;
}

/* A definition at (odd) position pos: the first range starts there, or a one-position
 * range for a value nobody reads. */
SK_INLINE void
range_def(CgCore *c, CgIval *iv, uint32_t pos)
{
    uint32_t h = iv->range;
    if (h && c->ranges.data[h].from <= pos + 1)
        c->ranges.data[h].from = pos;
    else
        range_add(c, iv, pos, pos + 1);
}

SK_INLINE void
use_add(CgCore *c, CgIval *iv, uint32_t pos_kind)
{
    uint32_t n = c->uses.len++;
    c->uses.data[n] = (CgUsePos){pos_kind, iv->use};
    iv->use = n;
}

/*
 * Pass 3: ranges, use positions (those needing a register: the allocator looks for no
 * other kind) and hints, backward over blocks and instructions. Operands come defs first,
 * so one walk handles an instruction: its defs shorten ranges before its uses extend them.
 */
static bool
build_intervals(CgCtx *ctx)
{
    CgFunc *f = &ctx->func;
    CgCore *c = ctx->core;
    CgIval *iv = c->ivals.data;
    uint32_t nb = f->blocks.len;
    uint32_t end_pos = 2 * c->npos;
    CgRegSet pinned = ctx->target->pinned;

    /* Room for every range and use this pass can add. */
    size_t need = (size_t)f->opnds.len + f->regs.len + 16;
    for (uint32_t b = 0; b < nb; b++) {
        CgBlock *blk = &f->blocks.data[b];
        for (uint32_t i = 0; i < blk->nsuccs; i++)
            need += f->blocks.data[f->blks.data[blk->succs + i]].nlivein;
    }
    if (need > UINT32_MAX / 2 ||
        !SK_VEC_RESERVE_ARENA(&c->ranges, &ctx->arena, (uint32_t)(c->ranges.len + need)) ||
        !SK_VEC_RESERVE_ARENA(&c->uses, &ctx->arena, (uint32_t)(c->uses.len + need)))
        return false;

    /* Fixed ranges are recorded as they are finished (at their definition, or at the block
     * entry for one without), which comes in decreasing order of start; reversed at the end
     * into the sorted array the allocator scans. */
    SK_VEC(CgFixedRange) fixed = {0};
    uint32_t done[CG_NPREGS] = {0};  // last range of each register already recorded
    if (!SK_VEC_RESERVE_ARENA(&fixed, &ctx->arena, 64))
        return false;

    for (uint32_t b = nb; b-- > 0;) {
        CgBlock *blk = &f->blocks.data[b];
        uint32_t from = blk->pos;
        uint32_t to = b + 1 < nb ? f->blocks.data[b + 1].pos : end_pos;
        CgRegSet open = 0;  // physical registers with a range that may still grow

        /* Live-out: the union of the successors' live-in lists. */
        for (uint32_t i = 0; i < blk->nsuccs; i++) {
            CgBlock *sb = &f->blocks.data[f->blks.data[blk->succs + i]];
            for (uint32_t n = sb->livein; n; n = c->liveins.data[n].next)
                range_add(c, &iv[c->liveins.data[n].reg], from, to);
        }
        /* Jump arguments: read (in any location) by the edge moves at the terminator. */
        uint32_t qt = 2 * (blk->first + blk->ninsts - 1 + b + 1);
        if (blk->nargs) {
            CgBlock *sb = &f->blocks.data[f->blks.data[blk->succs]];
            SK_ASSERT(sb->nparams == blk->nargs);
            for (uint32_t i = 0; i < blk->nargs; i++) {
                CgReg a = f->regs.data[blk->args + i];
                CgReg p = f->regs.data[sb->params + i];
                range_add(c, &iv[a], from, qt + 1);
                set_hint(c, a, p);
                set_hint(c, p, a);
            }
        }

        for (uint32_t i = blk->first + blk->ninsts; i-- > blk->first;) {
            const CgInst *in = &f->insts.data[i];
            const CgOperand *ops = f->opnds.data + in->ops;
            uint32_t q = 2 * (i + b + 1);
            uint32_t n = in->nops;
            /* Copies accept spill slots on both sides: no use needs a register. */
            CgOperand reg_kind = in->op == CG_OP_PCOPY ? CG_OPF_ANY : 0;
            CgRegSet defs = 0;
            for (uint32_t k = 0; k < n; k++) {
                CgOperand o = ops[k] | reg_kind;
                CgReg r = cg_opnd_reg(o);
                if (SK_UNLIKELY(r < CG_NPREGS && (pinned & CG_REGSET(r)))) {
                    if (o & CG_OPF_DEF)
                        c->used_regs |= CG_REGSET(r);
                    continue;  // not allocated: no ranges
                }
                if (o & CG_OPF_DEF) {
                    range_def(c, &iv[r], q + 1);
                    if (!cg_reg_is_virt(r)) {
                        c->used_regs |= CG_REGSET(r);
                        defs |= CG_REGSET(r);
                        continue;
                    }
                    if (!(o & CG_OPF_ANY))
                        use_add(c, &iv[r], (q + 1) | CG_USE_REG);
                    if (o & CG_OPF_HINT) {
                        /* Two-address tie: prefer the first use marked HINT. */
                        for (uint32_t j = k + 1; j < n; j++) {
                            if ((ops[j] & (CG_OPF_USE | CG_OPF_HINT)) == (CG_OPF_USE | CG_OPF_HINT)) {
                                set_hint(c, r, cg_opnd_reg(ops[j]));
                                break;
                            }
                        }
                    }
                } else {
                    range_add(c, &iv[r], from, o & CG_OPF_LATE ? q + 2 : q + 1);
                    if (cg_reg_is_virt(r)) {
                        if (!(o & CG_OPF_ANY))
                            use_add(c, &iv[r], q | CG_USE_REG);
                    } else {
                        open |= CG_REGSET(r);
                    }
                }
            }
            /* A physical register defined here whose range starts here is finished. */
            for (; defs; defs &= defs - 1) {
                uint32_t r = (uint32_t)__builtin_ctzll(defs);
                const CgRange *h = &c->ranges.data[iv[r].range];
                if (h->from == q + 1 && done[r] != iv[r].range) {
                    CgFixedRange fr = {h->from, h->to, r};
                    if (!SK_VEC_PUSH_ARENA(&fixed, &ctx->arena, fr))
                        return false;
                    done[r] = iv[r].range;
                    open &= ~CG_REGSET(r);
                }
            }
            if (reg_kind) {
                uint32_t h = n / 2;
                for (uint32_t k = 0; k < h; k++) {
                    set_hint(c, cg_opnd_reg(ops[k]), cg_opnd_reg(ops[h + k]));
                    set_hint(c, cg_opnd_reg(ops[h + k]), cg_opnd_reg(ops[k]));
                }
            }
        }

        for (uint32_t i = 0; i < blk->nparams; i++) {
            CgReg p = f->regs.data[blk->params + i];
            range_def(c, &iv[p], from + 1);
        }
        /* Ranges of physical registers used here without a definition start at the entry. */
        for (; open; open &= open - 1) {
            uint32_t r = (uint32_t)__builtin_ctzll(open);
            if (done[r] == iv[r].range)
                continue;
            const CgRange *h = &c->ranges.data[iv[r].range];
            CgFixedRange fr = {h->from, h->to, r};
            if (!SK_VEC_PUSH_ARENA(&fixed, &ctx->arena, fr))
                return false;
            done[r] = iv[r].range;
        }
    }
    c->nfixed = fixed.len;
    c->fixed = fixed.data;
    for (uint32_t i = 0, j = fixed.len; i + 1 < j; i++, j--) {
        CgFixedRange t = fixed.data[i];
        fixed.data[i] = fixed.data[j - 1];
        fixed.data[j - 1] = t;
    }
    for (uint32_t i = 0; i < fixed.len; i++) {
        c->fixed_regs |= CG_REGSET(fixed.data[i].reg);
        if (fixed.data[i].to - fixed.data[i].from > c->fixed_maxlen)
            c->fixed_maxlen = fixed.data[i].to - fixed.data[i].from;
        SK_ASSERT(i == 0 || fixed.data[i - 1].from <= fixed.data[i].from);
    }
    /* Interval starts: the first range's start. */
    for (uint32_t r = 1; r < c->ivals.len; r++)
        if (iv[r].range)
            iv[r].start = c->ranges.data[iv[r].range].from;
    return true;
}

bool
cg_live_build(CgCtx *ctx)
{
    CgFunc *f = &ctx->func;
    CgCore *c = ctx->core;
    uint32_t nv = f->vtypes.len;
    c->nvregs = nv;
    if (!number_positions(ctx))
        return false;

    c->vinfo = sk_arena_alloc(&ctx->arena, ((size_t)nv + 1) * sizeof(CgVregInfo));
    c->order = sk_arena_alloc(&ctx->arena, ((size_t)nv + 1) * sizeof(uint32_t));
    uint32_t *heads = sk_arena_calloc(&ctx->arena, (size_t)nv + 1, sizeof(uint32_t));
    uint32_t *lastb = sk_arena_calloc(&ctx->arena, (size_t)nv + 1, sizeof(uint32_t));
    if (!c->vinfo || !c->order || !heads || !lastb)
        return false;
    for (uint32_t v = 0; v < nv; v++)
        c->vinfo[v] = (CgVregInfo){CG_NONE32, 0, 0, 0, 0, 0, true};
    c->norder = 0;

    /* Index 0 of every pool means "none". */
    UseBlockVec nodes = {0};
    UseBlock z = {0, 0};
    CgRange zr = {0, 0, 0};
    CgUsePos zu = {0, 0};
    CgLiveIn zl = {0, 0};
    if (!SK_VEC_RESERVE_ARENA(&nodes, &ctx->arena, nv / 2 + 16) ||
        !SK_VEC_PUSH_ARENA(&nodes, &ctx->arena, z) ||
        !SK_VEC_RESERVE_ARENA(&c->ranges, &ctx->arena, 2 * nv + 64) ||
        !SK_VEC_PUSH_ARENA(&c->ranges, &ctx->arena, zr) ||
        !SK_VEC_RESERVE_ARENA(&c->uses, &ctx->arena, 3 * nv + 64) ||
        !SK_VEC_PUSH_ARENA(&c->uses, &ctx->arena, zu) ||
        !SK_VEC_PUSH_ARENA(&c->liveins, &ctx->arena, zl))
        return false;

    /* Intervals: fixed registers, then one per virtual register; children come later. */
    size_t nivals = (size_t)CG_VREG_FIRST + nv;
    if (!SK_VEC_RESERVE_ARENA(&c->ivals, &ctx->arena, (uint32_t)(nivals + nv / 4 + 16)))
        return false;
    memset(c->ivals.data, 0, nivals * sizeof(CgIval));
    c->ivals.len = (uint32_t)nivals;
    for (uint32_t r = 0; r < nivals; r++)
        c->ivals.data[r].reg = r;

    if (!scan_defs_uses(ctx, heads, &nodes, lastb))
        return false;
    if (!explore(ctx, heads, nodes.data))
        return false;
    if (!build_intervals(ctx))
        return false;
    for (uint32_t v = 0; v < nv; v++)
        c->vinfo[v].end = c->ivals.data[CG_VREG_FIRST + v].end;
    return true;
}
