/*
 * After allocation (regalloc.c), before emission (emit.c): turns the allocated intervals into
 * code facts.
 *
 * 1. Every register operand is rewritten to the location of the interval part that covers
 *    its position.
 * 2. Moves that allocation implies are collected per program point and sequenced as one
 *    parallel copy per point (pmove.c): a split inside a block moves the value from the
 *    previous part's location before the instruction where the new part starts; a spilled
 *    value is stored to its slot once, right after its definition (SSA spill-once: moves
 *    into the slot are then never needed); edges get the moves between the location at the
 *    end of the predecessor and at the start of the successor, for block arguments and for
 *    split values (Wimmer & Franz 2010, section 5, "resolution"). Edge moves go at the end of
 *    a predecessor with one successor, else at the start of a successor with one
 *    predecessor, else into a stub on the (critical) edge.
 * 3. Parallel copies (CG_OP_PCOPY) are sequenced too, so that everything that might need the
 *    16-byte temp slot is known before the frame is laid out.
 */
#include "backends/core.h"

typedef struct PendingMove {
    uint32_t inst;  // the moves execute before this instruction
    CgMove m;
} PendingMove;

typedef struct Res {
    CgCtx *ctx;
    CgCore *c;
    CgPmoveEnv env;
    SK_VEC(PendingMove) pending;
    SK_VEC(CgMove) scratch;
} Res;

/* Sequences moves[0..n) into a new group; returns group index + 1, or 0 if no step remains
 * (or on allocation failure, which sets the arena's failed flag). */
static uint32_t
make_group(Res *rs, CgMove *moves, uint32_t n)
{
    CgCore *c = rs->c;
    SkArena *a = &rs->ctx->arena;
    if (!n)
        return 0;
    if (!SK_VEC_RESERVE_ARENA(&c->steps, a, c->steps.len + 2 * n) ||
        !SK_VEC_RESERVE_ARENA(&c->groups, a, c->groups.len + 1)) {
        a->failed = true;
        return 0;
    }
    bool used_temp = false;
    uint32_t k = cg_pmove_sequence(&rs->env, moves, n, c->steps.data + c->steps.len,
                                   &used_temp);
    if (!k)
        return 0;
    c->used_temp |= used_temp;
    CgMoveGroup g = {c->steps.len, k, 0};
    c->steps.len += k;
    c->groups.data[c->groups.len++] = g;
    c->stats.moves += k;
    return c->groups.len;  // index + 1
}

static bool
add_pending(Res *rs, uint32_t inst, CgLoc dst, CgLoc src, CgType type)
{
    PendingMove pm = {inst, {dst, src, (uint8_t)type, 0, 0}};
    return SK_VEC_PUSH_ARENA(&rs->pending, &rs->ctx->arena, pm);
}

/* Index of the instruction at even position q. */
SK_INLINE uint32_t
inst_at(const CgCore *c, uint32_t q)
{
    return q / 2 - cg_block_at(c, q) - 1;
}

/* Pass 1: rewrite operands; sequence parallel copies. */
static bool
rewrite(Res *rs)
{
    CgCtx *ctx = rs->ctx;
    CgFunc *f = &ctx->func;
    CgCore *c = rs->c;
    uint32_t *cursor = sk_arena_alloc(&ctx->arena, ((size_t)c->nvregs + 1) * sizeof(uint32_t));
    if (!cursor)
        return false;
    for (uint32_t v = 0; v < c->nvregs; v++)
        cursor[v] = CG_VREG_FIRST + v;

    for (uint32_t b = 0; b < f->blocks.len; b++) {
        CgBlock *blk = &f->blocks.data[b];
        for (uint32_t i = blk->first; i < blk->first + blk->ninsts; i++) {
            CgInst *in = &f->insts.data[i];
            CgOperand *ops = f->opnds.data + in->ops;
            uint32_t q = 2 * (i + b + 1);
            bool pcopy = in->op == CG_OP_PCOPY;
            uint32_t half = in->nops / 2;
            if (pcopy && !SK_VEC_RESERVE_ARENA(&rs->scratch, &ctx->arena, half + 1))
                return false;
            if (pcopy) {
                /* The type of a copy is the virtual side's (a physical register alone
                 * would say "whole register", too wide for a spill slot). */
                for (uint32_t k = 0; k < half; k++) {
                    CgReg d = cg_opnd_reg(ops[k]), s = cg_opnd_reg(ops[half + k]);
                    rs->scratch.data[k].type = (uint8_t)cg_reg_type(ctx, cg_reg_is_virt(d) ? d : s);
                }
            }
            for (uint32_t k = 0; k < in->nops; k++) {
                CgReg r = cg_opnd_reg(ops[k]);
                if (!cg_reg_is_virt(r))
                    continue;
                const CgIval *iv = &c->ivals.data[r];
                if (SK_UNLIKELY(iv->child)) {
                    /* Split: the part covering the position (positions only grow). */
                    uint32_t pos = ops[k] & CG_OPF_DEF ? q + 1 : q;
                    uint32_t *cur = &cursor[r - CG_VREG_FIRST];
                    while (c->ivals.data[*cur].child && c->ivals.data[c->ivals.data[*cur].child].start <= pos)
                        *cur = c->ivals.data[*cur].child;
                    iv = &c->ivals.data[*cur];
                }
                CgLoc loc = iv->loc;
                SK_ASSERT(loc != 0);
                SK_ASSERT(cg_loc_is_reg(loc) || pcopy || (ops[k] & CG_OPF_ANY));
                ops[k] = (ops[k] & ~CG_OPND_REG_MASK) | loc;
            }
            if (pcopy) {
                for (uint32_t k = 0; k < half; k++) {
                    rs->scratch.data[k].dst = cg_opnd_reg(ops[k]);
                    rs->scratch.data[k].src = cg_opnd_reg(ops[half + k]);
                    rs->scratch.data[k].swap = 0;
                }
                /* A copy into a dead register needs no move. */
                uint32_t n = 0;
                for (uint32_t k = 0; k < half; k++)
                    if (rs->scratch.data[k].dst)
                        rs->scratch.data[n++] = rs->scratch.data[k];
                uint32_t g = make_group(rs, rs->scratch.data, n);
                in->disp = (int32_t)g;  // PCOPY's payload: its sequenced group + 1
                if (ctx->arena.failed)
                    return false;
            }
        }
    }
    c->rewritten = true;
    return true;
}

/* Pass 2: moves between split parts inside blocks, and spill stores after definitions. */
static bool
collect_split_moves(Res *rs)
{
    CgCtx *ctx = rs->ctx;
    CgFunc *f = &ctx->func;
    CgCore *c = rs->c;
    for (uint32_t v = 0; v < c->nvregs; v++) {
        CgReg reg = CG_VREG_FIRST + v;
        CgIval *parent = &c->ivals.data[reg];
        if (!parent->range)
            continue;
        CgType type = (CgType)f->vtypes.data[v];
        CgVregInfo *vi = &c->vinfo[v];
        if (vi->slot && cg_loc_is_reg(parent->loc)) {
            /* Spill once: store right after the definition. */
            uint32_t d = vi->def_pos;
            uint32_t b = cg_block_at(c, d - 1);
            CgBlock *blk = &f->blocks.data[b];
            uint32_t at = d == blk->pos + 1 ? blk->first : inst_at(c, d - 1) + 1;
            SK_ASSERT(at < blk->first + blk->ninsts);  // terminators define nothing
            if (!add_pending(rs, at, vi->slot, parent->loc, type))
                return false;
        }
        uint32_t prev = reg;
        for (uint32_t k = parent->child; k; prev = k, k = c->ivals.data[k].child) {
            CgIval *ch = &c->ivals.data[k];
            CgIval *pv = &c->ivals.data[prev];
            uint32_t b = cg_block_at(c, ch->start);
            if (ch->start == f->blocks.data[b].pos)
                continue;  // at a block boundary: resolved on the edges
            if (pv->end != ch->start)
                continue;  // not live just before: reached only through edges
            if (ch->loc == pv->loc || ch->loc == vi->slot)
                continue;  // the slot already holds the value (spill once)
            if (!add_pending(rs, inst_at(c, ch->start), ch->loc, pv->loc, type))
                return false;
        }
    }
    return true;
}

/* Groups the pending moves by instruction (counting sort) and sequences each group. */
static bool
group_pending(Res *rs)
{
    CgCtx *ctx = rs->ctx;
    CgCore *c = rs->c;
    uint32_t ni = ctx->func.insts.len;
    uint32_t n = rs->pending.len;
    c->before = sk_arena_calloc(&ctx->arena, (size_t)ni + 1, sizeof(uint32_t));
    if (!c->before)
        return false;
    if (!n)
        return true;
    uint32_t *start = sk_arena_calloc(&ctx->arena, (size_t)ni + 2, sizeof(uint32_t));
    CgMove *sorted = sk_arena_alloc(&ctx->arena, (size_t)n * sizeof(CgMove));
    if (!start || !sorted)
        return false;
    for (uint32_t k = 0; k < n; k++)
        start[rs->pending.data[k].inst + 1]++;
    for (uint32_t i = 0; i < ni; i++)
        start[i + 1] += start[i];
    for (uint32_t k = 0; k < n; k++)
        sorted[start[rs->pending.data[k].inst]++] = rs->pending.data[k].m;
    /* start[i] now points past group i; walk the groups in order. */
    uint32_t at = 0;
    for (uint32_t i = 0; i < ni; i++) {
        uint32_t end = start[i];
        if (end > at) {
            c->before[i] = make_group(rs, sorted + at, end - at);
            if (ctx->arena.failed)
                return false;
        }
        at = end;
    }
    return true;
}

/*
 * Adds the moves of edge b -> s to rs->scratch; returns the count (CG_NONE32 on OOM).
 * `part` holds, per register, its part covering s's entry: successors are visited in block
 * order, so that lookup moves forward only. The part at the end of b is the same one unless a
 * part starts between the two positions, which one comparison tells.
 */
static uint32_t
edge_moves(Res *rs, uint32_t b, uint32_t s, uint32_t *part)
{
    CgCtx *ctx = rs->ctx;
    CgFunc *f = &ctx->func;
    CgCore *c = rs->c;
    CgBlock *pb = &f->blocks.data[b];
    CgBlock *sb = &f->blocks.data[s];
    uint32_t end = b + 1 < f->blocks.len ? f->blocks.data[b + 1].pos : 2 * c->npos;
    uint32_t qt = end - 2;  // the terminator's position
    uint32_t last = end - 1;
    uint32_t n = 0;
    rs->scratch.len = 0;
    if (pb->nargs) {
        for (uint32_t i = 0; i < pb->nargs; i++) {
            CgReg a = f->regs.data[pb->args + i];
            CgReg p = f->regs.data[sb->params + i];
            CgIval *pi = &c->ivals.data[p];
            if (!pi->child && pi->end <= sb->pos + 2)
                continue;  // dead parameter: its only range is the definition
            CgMove m = {pi->loc, cg_ival_at(c, a, qt)->loc, (uint8_t)cg_reg_type(ctx, p), 0, 0};
            if (!SK_VEC_PUSH_ARENA(&rs->scratch, &ctx->arena, m))
                return CG_NONE32;
            n++;
        }
    }
    for (uint32_t l = sb->livein; l; l = c->liveins.data[l].next) {
        CgReg v = c->liveins.data[l].reg;
        const CgVregInfo *vi = &c->vinfo[v - CG_VREG_FIRST];
        if (vi->one_loc)
            continue;  // one location everywhere
        uint32_t *pc = &part[v - CG_VREG_FIRST];
        while (c->ivals.data[*pc].child && c->ivals.data[c->ivals.data[*pc].child].start <= sb->pos)
            *pc = c->ivals.data[*pc].child;
        const CgIval *ds = &c->ivals.data[*pc];
        CgLoc dst = ds->loc, src;
        if (last < sb->pos ? ds->start <= last
                           : !ds->child || c->ivals.data[ds->child].start > last)
            continue;  // the same part at both ends of the edge
        src = cg_ival_at(c, v, last)->loc;
        if (dst == src || dst == vi->slot)
            continue;
        CgMove m = {dst, src, (uint8_t)cg_reg_type(ctx, v), 0, 0};
        if (!SK_VEC_PUSH_ARENA(&rs->scratch, &ctx->arena, m))
            return CG_NONE32;
        n++;
    }
    return n;
}

/* Pass 3: edges, visited by successor in block order (each distinct predecessor once). */
static bool
resolve_edges(Res *rs)
{
    CgCtx *ctx = rs->ctx;
    CgFunc *f = &ctx->func;
    CgCore *c = rs->c;
    uint32_t nb = f->blocks.len;
    c->at_entry = sk_arena_calloc(&ctx->arena, nb, sizeof(uint32_t));
    c->at_exit = sk_arena_calloc(&ctx->arena, nb, sizeof(uint32_t));
    c->edge_stub = sk_arena_calloc(&ctx->arena, (size_t)f->blks.len + 1, sizeof(uint32_t));
    uint32_t *part = sk_arena_alloc(&ctx->arena, ((size_t)c->nvregs + 1) * sizeof(uint32_t));
    if (!c->at_entry || !c->at_exit || !c->edge_stub || !part)
        return false;
    for (uint32_t v = 0; v < c->nvregs; v++)
        part[v] = CG_VREG_FIRST + v;
    for (uint32_t s = 0; s < nb; s++) {
        CgBlock *sb = &f->blocks.data[s];
        if (!sb->livein && !sb->nparams)
            continue;
        for (uint32_t k = 0; k < sb->npreds; k++) {
            uint32_t b = f->blks.data[sb->preds + k];
            CgBlock *pb = &f->blocks.data[b];
            uint32_t n = edge_moves(rs, b, s, part);
            if (n == CG_NONE32)
                return false;
            if (!n)
                continue;
            uint32_t g = make_group(rs, rs->scratch.data, n);
            if (ctx->arena.failed)
                return false;
            if (!g)
                continue;
            if (pb->nsuccs == 1) {
                c->at_exit[b] = g;
            } else if (sb->npreds == 1) {
                SK_ASSERT(!c->at_entry[s]);
                c->at_entry[s] = g;
            } else {
                /* A critical edge: a stub shared by every successor slot of b naming s. */
                for (uint32_t i = 0; i < pb->nsuccs; i++) {
                    uint32_t slot = pb->succs + i;
                    if (f->blks.data[slot] != s)
                        continue;
                    if (!c->edge_stub[slot]) {
                        CgStub st = {b, i, s, 0, g};
                        if (!SK_VEC_PUSH_ARENA(&c->stubs, &ctx->arena, st))
                            return false;
                        uint32_t id = c->stubs.len;  // index + 1
                        for (uint32_t j = i; j < pb->nsuccs; j++)
                            if (f->blks.data[pb->succs + j] == s)
                                c->edge_stub[pb->succs + j] = id;
                    }
                    break;
                }
            }
        }
    }
    return true;
}

bool
cg_resolve(CgCtx *ctx)
{
    CgCore *c = ctx->core;
    Res rs_s;
    Res *rs = &rs_s;
    memset(rs, 0, sizeof(*rs));
    rs->ctx = ctx;
    rs->c = c;
    rs->env.reg_class = ctx->target->reg_class;
    for (uint32_t k = 0; k < CG_CLASS_COUNT; k++)
        rs->env.scratch[k] = ctx->target->scratch[k];
    rs->env.can_swap = ctx->target->emit_swap != NULL;
    /* The temp slot, if a cycle needs it, goes after the spill slots (16-byte aligned). */
    uint32_t tu = (c->spill_units + 1) & ~1u;
    rs->env.temp = CG_LOC_STACK + tu;
    c->temp = rs->env.temp;
    c->used_temp = false;

    if (!rewrite(rs) || !collect_split_moves(rs) || !group_pending(rs) || !resolve_edges(rs))
        return false;
    if (c->used_temp)
        c->spill_units = tu + 2;
    return !ctx->arena.failed;
}
