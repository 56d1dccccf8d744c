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
 *
 * Only registers that were split (CgCore.split_regs) can need moves besides block arguments,
 * so steps 1 and 2 touch no other register's interval twice: edges are found per split
 * register by walking the block entries its register parts cover (a part in the spill slot
 * needs no move in), not by walking every block's live-in set.
 */
#include <stdlib.h>

#include "backends/core.h"

/* A move waiting for its group: `key` is the instruction it goes before (split moves, spill
 * stores) or the edge (predecessor slot in CgFunc.blks) it belongs to. */
typedef struct PendingMove {
    uint32_t key;
    CgMove m;
} PendingMove;

typedef struct Res {
    CgCtx *ctx;
    CgCore *c;
    CgPmoveEnv env;
    SK_VEC(PendingMove) pending;
    SK_VEC(CgMove) scratch;
    SK_VEC(CgMove) fin, fout;  // a call's FIXED copies in and out
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
    uint32_t k;
    if (n == 1) {
        /* One move: nothing to sequence. */
        k = moves[0].dst != moves[0].src;
        if (k) {
            c->steps.data[c->steps.len] = moves[0];
            c->steps.data[c->steps.len].swap = 0;
        }
    } else {
        k = cg_pmove_sequence(&rs->env, moves, n, c->steps.data + c->steps.len, &used_temp);
    }
    if (!k)
        return 0;
    c->used_temp |= used_temp;
    CgMoveGroup g = {c->steps.len, k, 0};
    c->steps.len += k;
    c->groups.data[c->groups.len++] = g;
    c->stats.moves += k;
    return c->groups.len;  // index + 1
}

SK_INLINE bool
add_pending(Res *rs, uint32_t key, CgLoc dst, CgLoc src, CgType type)
{
    PendingMove pm = {key, {dst, src, (uint8_t)type, 0, 0}};
    return SK_VEC_PUSH_ARENA(&rs->pending, &rs->ctx->arena, pm);
}

/* Index of the instruction at even position q. */
SK_INLINE uint32_t
inst_at(const CgCore *c, uint32_t q)
{
    return q / 2 - cg_block_at(c, q) - 1;
}

/* Type of a parallel copy's pair: the virtual side's (a physical register alone would say
 * "whole register", too wide for a spill slot). */
SK_INLINE CgType
copy_type(const CgCtx *ctx, CgReg d, CgReg s)
{
    return cg_reg_type(ctx, cg_reg_is_virt(d) ? d : s);
}

/*
 * The copies around call i whose FIXED operands were collected in rs->fin (uses: into their
 * registers before it) and rs->fout (defs: out of theirs after it).
 */
static bool
fixed_groups(Res *rs, uint32_t i)
{
    CgCtx *ctx = rs->ctx;
    CgCore *c = rs->c;
    if (!c->fixed_in) {
        uint32_t ni = ctx->func.insts.len;
        c->fixed_in = sk_arena_calloc(&ctx->arena, ni, sizeof(uint32_t));
        c->fixed_out = sk_arena_calloc(&ctx->arena, ni, sizeof(uint32_t));
        if (!c->fixed_in || !c->fixed_out)
            return false;
    }
    c->fixed_in[i] = make_group(rs, rs->fin.data, rs->fin.len);
    c->fixed_out[i] = make_group(rs, rs->fout.data, rs->fout.len);
    rs->fin.len = rs->fout.len = 0;
    return !ctx->arena.failed;
}

/* Pass 1: rewrite operands; sequence parallel copies. Split registers move a cursor over
 * their parts (positions only grow). */
static bool
rewrite(Res *rs)
{
    CgCtx *ctx = rs->ctx;
    CgFunc *f = &ctx->func;
    CgCore *c = rs->c;
    CgIval *iv = c->ivals.data;
    CgInst *insts = f->insts.data;
    CgOperand *opnds = f->opnds.data;
    /* Cursor per split register: its part at the last position looked at. */
    uint32_t *cursor = NULL;
    if (c->split_regs.len) {
        cursor = sk_arena_alloc(&ctx->arena, ((size_t)c->nvregs + 1) * sizeof(uint32_t));
        if (!cursor)
            return false;
        for (uint32_t i = 0; i < c->split_regs.len; i++) {
            uint32_t r = c->split_regs.data[i];
            cursor[r - CG_VREG_FIRST] = r;
        }
    }

    for (uint32_t b = 0, nb = f->blocks.len; b < nb; b++) {
        const CgBlock *blk = &f->blocks.data[b];
        for (uint32_t i = blk->first, e = blk->first + blk->ninsts; i < e; i++) {
            CgInst *in = &insts[i];
            CgOperand *ops = opnds + in->ops;
            uint32_t n = in->nops;
            if (SK_LIKELY(in->op != CG_OP_PCOPY && !(in->flags & CG_INSTF_CALL))) {
                /* The common case: no FIXED operands, no copy to sequence. */
                for (uint32_t k = 0; k < n; k++) {
                    CgOperand o = ops[k];
                    CgReg r = cg_opnd_reg(o);
                    if (r < CG_VREG_FIRST)
                        continue;
                    const CgIval *x = &iv[r];
                    if (SK_UNLIKELY(x->child)) {
                        uint32_t pos = 2 * (i + b + 1) + (o & CG_OPF_DEF ? 1 : 0);
                        uint32_t *cur = &cursor[r - CG_VREG_FIRST];
                        while (iv[*cur].child && iv[iv[*cur].child].start <= pos)
                            *cur = iv[*cur].child;
                        x = &iv[*cur];
                    }
                    CgLoc loc = x->loc;
                    SK_ASSERT(cg_loc_is_reg(loc) || (loc && (o & CG_OPF_ANY)));
                    ops[k] = (o & ~CG_OPND_REG_MASK) | loc;
                }
                continue;
            }
            uint32_t q = 2 * (i + b + 1);
            bool pcopy = in->op == CG_OP_PCOPY;
            uint32_t half = n / 2;
            uint32_t nfixed = 0;
            if (pcopy) {
                if (!SK_VEC_RESERVE_ARENA(&rs->scratch, &ctx->arena, half + 1))
                    return false;
                for (uint32_t k = 0; k < half; k++)
                    rs->scratch.data[k].type = (uint8_t)copy_type(
                        ctx, cg_opnd_reg(ops[k]), cg_opnd_reg(ops[half + k]));
            }
            for (uint32_t k = 0; k < n; k++) {
                CgOperand o = ops[k];
                CgReg r = cg_opnd_reg(o);
                if (r < CG_VREG_FIRST) {
                    if (SK_UNLIKELY(o & CG_OPF_FIXED)) {
                        /* A pinned register passed to a call: copied from where it stays. */
                        CgMove m = {(CgReg)ops[n + nfixed++], r, CG_TYPE_I64, 0, 0};
                        if (!SK_VEC_PUSH_ARENA(&rs->fin, &ctx->arena, m))
                            return false;
                    }
                    continue;
                }
                const CgIval *x = &iv[r];
                if (SK_UNLIKELY(x->child)) {
                    uint32_t pos = o & CG_OPF_DEF ? q + 1 : q;
                    uint32_t *cur = &cursor[r - CG_VREG_FIRST];
                    while (iv[*cur].child && iv[iv[*cur].child].start <= pos)
                        *cur = iv[*cur].child;
                    x = &iv[*cur];
                }
                CgLoc loc = x->loc;
                SK_ASSERT(loc != 0);
                SK_ASSERT(cg_loc_is_reg(loc) || pcopy || (o & (CG_OPF_ANY | CG_OPF_FIXED)));
                ops[k] = (o & ~CG_OPND_REG_MASK) | loc;
                if (SK_UNLIKELY(o & CG_OPF_FIXED)) {
                    CgReg fr = (CgReg)ops[n + nfixed++];
                    SK_ASSERT(ctx->target->call_clobbers & CG_REGSET(fr));
                    CgMove m = {fr, loc, (uint8_t)cg_reg_type(ctx, r), 0, 0};
                    if (o & CG_OPF_DEF) {
                        if (!iv[r].child && iv[r].end <= q + 2)
                            continue;  // a result nobody reads
                        m.dst = loc;
                        m.src = fr;
                        if (!SK_VEC_PUSH_ARENA(&rs->fout, &ctx->arena, m))
                            return false;
                    } else if (!SK_VEC_PUSH_ARENA(&rs->fin, &ctx->arena, m)) {
                        return false;
                    }
                }
            }
            if (SK_UNLIKELY(nfixed) && !fixed_groups(rs, i))
                return false;
            if (pcopy) {
                /* A copy into a dead register needs no move. */
                CgMove *mv = rs->scratch.data;
                uint32_t m = 0;
                for (uint32_t k = 0; k < half; k++) {
                    CgLoc d = cg_opnd_reg(ops[k]);
                    if (!d)
                        continue;
                    mv[m].dst = d;
                    mv[m].src = cg_opnd_reg(ops[half + k]);
                    mv[m].type = mv[k].type;
                    mv[m].swap = 0;
                    m++;
                }
                uint32_t g = make_group(rs, mv, m);
                in->disp = (int32_t)g;  // PCOPY's payload: its sequenced group + 1
                if (ctx->arena.failed)
                    return false;
            }
        }
    }
    c->rewritten = true;
    return true;
}

static int
cmp_reg(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorts the n registers regs[] in increasing order: insertion sort for the few a function
 * usually splits (qsort's setup and comparison calls cost more), qsort past that. */
static void
sort_regs(uint32_t *regs, uint32_t n)
{
    if (n > 32) {
        qsort(regs, n, sizeof(uint32_t), cmp_reg);
        return;
    }
    for (uint32_t i = 1; i < n; i++) {
        uint32_t t = regs[i], j = i;
        for (; j > 0 && regs[j - 1] > t; j--)
            regs[j] = regs[j - 1];
        regs[j] = t;
    }
}

/* Pass 2: moves between split parts inside blocks, and spill stores after definitions (in
 * register order, part order: split_regs is sorted). */
static bool
collect_split_moves(Res *rs)
{
    CgCtx *ctx = rs->ctx;
    CgFunc *f = &ctx->func;
    CgCore *c = rs->c;
    CgIval *iv = c->ivals.data;
    for (uint32_t i = 0; i < c->split_regs.len; i++) {
        CgReg reg = c->split_regs.data[i];
        uint32_t v = reg - CG_VREG_FIRST;
        CgIval *parent = &iv[reg];
        CgType type = (CgType)f->vtypes.data[v];
        CgVregInfo *vi = cg_vinfo(c, reg);
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
        for (uint32_t k = parent->child; k; prev = k, k = iv[k].child) {
            CgIval *ch = &iv[k];
            CgIval *pv = &iv[prev];
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

/*
 * Stable counting sort of rs->pending by key (keys < nkeys) into out[]; fills start[k] with
 * the index of the first move of key k (start has nkeys + 1 entries).
 */
static bool
sort_pending(Res *rs, uint32_t nkeys, CgMove **out, uint32_t **out_start)
{
    SkArena *A = &rs->ctx->arena;
    uint32_t n = rs->pending.len;
    uint32_t *start = sk_arena_calloc(A, (size_t)nkeys + 2, sizeof(uint32_t));
    CgMove *sorted = sk_arena_alloc(A, (size_t)n * sizeof(CgMove) + 1);
    if (!start || !sorted)
        return false;
    const PendingMove *pm = rs->pending.data;
    for (uint32_t k = 0; k < n; k++)
        start[pm[k].key + 2]++;
    for (uint32_t i = 2; i < nkeys + 2; i++)
        start[i] += start[i - 1];
    /* start[key + 1] is now the first index of key; fill advances it to the next key's. */
    for (uint32_t k = 0; k < n; k++)
        sorted[start[pm[k].key + 1]++] = pm[k].m;
    *out = sorted;
    *out_start = start;  // start[key] = first index of key, start[key + 1] = its end
    return true;
}

/* Stable bottom-up merge sort of the n pending moves by key; false on allocation failure. */
static bool
merge_sort_pending(Res *rs)
{
    uint32_t n = rs->pending.len;
    PendingMove *a = rs->pending.data;
    PendingMove *b = sk_arena_alloc(&rs->ctx->arena, (size_t)n * sizeof(PendingMove));
    if (!b)
        return false;
    for (uint32_t w = 1; w < n; w *= 2) {
        for (uint32_t lo = 0; lo < n; lo += 2 * w) {
            uint32_t mid = n - lo > w ? lo + w : n;
            uint32_t hi = n - mid > w ? mid + w : n;
            uint32_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                b[k++] = a[j].key < a[i].key ? a[j++] : a[i++];
            while (i < mid)
                b[k++] = a[i++];
            while (j < hi)
                b[k++] = a[j++];
        }
        PendingMove *t = a;
        a = b;
        b = t;
    }
    if (a != rs->pending.data)
        memcpy(rs->pending.data, a, (size_t)n * sizeof(PendingMove));
    return true;
}

/*
 * True if the n pending moves are few against nkeys keys: then they are sorted in place by
 * key, stably (insertion sort for a handful, else merge sort), instead of by a counting sort
 * over all keys, and the caller walks their runs (next_run). The order is the same either
 * way: every sort here is stable.
 */
static bool
sort_pending_few(Res *rs, uint32_t nkeys)
{
    uint32_t n = rs->pending.len;
    if (n > 64 || n * n > 4 * nkeys) {
        /* Merge sort: about n log2 n element moves against a pass over every key. */
        uint32_t lg = 32 - (uint32_t)__builtin_clz(n);
        return (uint64_t)n * lg * 2 <= nkeys && merge_sort_pending(rs);
    }
    PendingMove *pm = rs->pending.data;
    for (uint32_t i = 1; i < n; i++) {
        PendingMove t = pm[i];
        uint32_t j = i;
        for (; j > 0 && pm[j - 1].key > t.key; j--)
            pm[j] = pm[j - 1];
        pm[j] = t;
    }
    return true;
}

/* The run of sorted pending moves with the key of pending[*at]: copies its moves to
 * rs->scratch, advances *at past it and returns its length (0 at the end). */
static uint32_t
next_run(Res *rs, uint32_t *at, uint32_t *key)
{
    const PendingMove *pm = rs->pending.data;
    uint32_t a = *at, n = rs->pending.len, e = a;
    if (a >= n)
        return 0;
    *key = pm[a].key;
    for (; e < n && pm[e].key == *key; e++)
        rs->scratch.data[e - a] = pm[e].m;
    *at = e;
    return e - a;
}

/* Groups the pending moves by instruction and sequences each group. */
static bool
group_pending(Res *rs)
{
    CgCtx *ctx = rs->ctx;
    CgCore *c = rs->c;
    uint32_t ni = ctx->func.insts.len;
    c->before = sk_arena_calloc(&ctx->arena, (size_t)ni + 1, sizeof(uint32_t));
    if (!c->before)
        return false;
    uint32_t n = rs->pending.len;
    if (!n)
        return true;
    if (n == 1) {
        c->before[rs->pending.data[0].key] = make_group(rs, &rs->pending.data[0].m, 1);
        return !ctx->arena.failed;
    }
    if (sort_pending_few(rs, ni)) {
        if (!SK_VEC_RESERVE_ARENA(&rs->scratch, &ctx->arena, n))
            return false;
        uint32_t at = 0, key = 0;
        for (uint32_t k; (k = next_run(rs, &at, &key)) != 0;) {
            c->before[key] = make_group(rs, rs->scratch.data, k);
            if (ctx->arena.failed)
                return false;
        }
        return true;
    }
    CgMove *sorted;
    uint32_t *start;
    if (!sort_pending(rs, ni, &sorted, &start))
        return false;
    for (uint32_t i = 0; i < ni; i++) {
        uint32_t a = start[i], e = start[i + 1];
        if (e > a) {
            c->before[i] = make_group(rs, sorted + a, e - a);
            if (ctx->arena.failed)
                return false;
        }
    }
    return true;
}

/* Places group g of edge pred slot `slot` (block b -> block s, s's k-th predecessor). */
static bool
place_edge(Res *rs, uint32_t b, uint32_t s, uint32_t g)
{
    CgCtx *ctx = rs->ctx;
    CgFunc *f = &ctx->func;
    CgCore *c = rs->c;
    CgBlock *pb = &f->blocks.data[b];
    CgBlock *sb = &f->blocks.data[s];
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
    return true;
}

/*
 * Pass 3: edge moves. Block arguments first (per edge, in argument order), then the split
 * registers, in decreasing register order: each walks the block entries its register parts
 * cover and, for every predecessor whose end lies in another part, adds the move from that
 * part. Moves are keyed by predecessor slot, so that sorting groups them per edge in the
 * order of successors and their predecessors.
 */
static bool
resolve_edges(Res *rs)
{
    CgCtx *ctx = rs->ctx;
    CgFunc *f = &ctx->func;
    CgCore *c = rs->c;
    uint32_t nb = f->blocks.len, end_pos = 2 * c->npos;
    const CgBlock *blocks = f->blocks.data;
    const uint32_t *blks = f->blks.data;
    c->at_entry = sk_arena_calloc(&ctx->arena, nb, sizeof(uint32_t));
    c->at_exit = sk_arena_calloc(&ctx->arena, nb, sizeof(uint32_t));
    c->edge_stub = sk_arena_calloc(&ctx->arena, (size_t)f->blks.len + 1, sizeof(uint32_t));
    if (!c->at_entry || !c->at_exit || !c->edge_stub)
        return false;
    rs->pending.len = 0;

    /* Block arguments. */
    for (uint32_t s = 0; s < nb; s++) {
        const CgBlock *sb = &blocks[s];
        if (!sb->nparams)
            continue;
        for (uint32_t k = 0; k < sb->npreds; k++) {
            uint32_t b = blks[sb->preds + k];
            const CgBlock *pb = &blocks[b];
            if (!pb->nargs)
                continue;
            uint32_t qt = (b + 1 < nb ? blocks[b + 1].pos : end_pos) - 2;  // terminator
            for (uint32_t i = 0; i < pb->nargs; i++) {
                CgReg a = f->regs.data[pb->args + i];
                CgReg p = f->regs.data[sb->params + i];
                CgIval *pi = &c->ivals.data[p];
                if (!pi->child && pi->end <= sb->pos + 2)
                    continue;  // dead parameter: its only range is the definition
                if (!add_pending(rs, sb->preds + k, pi->loc, cg_ival_at(c, a, qt)->loc,
                                 cg_reg_type(ctx, p)))
                    return false;
            }
        }
    }

    /* Split registers, highest first. bend[b] is block b's end position (the next block's
     * entry), bend[-1] the first block's entry. */
    uint32_t *bend = sk_arena_alloc(&ctx->arena, ((size_t)nb + 1) * sizeof(uint32_t));
    if (!bend)
        return false;
    bend[0] = nb ? blocks[0].pos : 0;
    bend++;
    for (uint32_t b = 0; b + 1 < nb; b++)
        bend[b] = blocks[b + 1].pos;
    if (nb)
        bend[nb - 1] = end_pos;
    for (uint32_t i = c->split_regs.len; i-- > 0;) {
        CgReg reg = c->split_regs.data[i];
        const CgVregInfo *vi = cg_vinfo(c, reg);
        if (!vi->multi_loc)
            continue;  // one location everywhere
        CgType type = (CgType)f->vtypes.data[reg - CG_VREG_FIRST];
        for (uint32_t k = reg; k; k = c->ivals.data[k].child) {
            const CgIval *part = &c->ivals.data[k];
            CgLoc dst = part->loc;
            if (dst == vi->slot)
                continue;  // the slot holds the value from its definition on
            uint32_t lo = part->start;
            uint32_t hi = part->child ? c->ivals.data[part->child].start : CG_POS_MAX;
            for (uint32_t r = part->range; r; r = c->ranges.data[r].next) {
                uint32_t from = c->ranges.data[r].from, to = c->ranges.data[r].to;
                uint32_t s = cg_block_at(c, from);
                if (blocks[s].pos < from)
                    s++;
                for (; s < nb && bend[s - 1] < to; s++) {
                    const CgBlock *sb = &blocks[s];
                    const uint32_t *pp = blks + sb->preds, *pe = pp + sb->npreds;
                    for (; pp < pe; pp++) {
                        uint32_t last = bend[*pp] - 1;
                        if (last - lo < hi - lo)
                            continue;  // the same part at both ends of the edge
                        CgLoc src = cg_ival_at(c, reg, last)->loc;
                        if (src == dst)
                            continue;
                        if (!add_pending(rs, (uint32_t)(pp - blks), dst, src, type))
                            return false;
                    }
                }
            }
        }
    }

    uint32_t n = rs->pending.len;
    if (!n)
        return true;
    if (sort_pending_few(rs, f->blks.len)) {
        /* Predecessor slots grow with their block (mir.c): walk both together. */
        if (!SK_VEC_RESERVE_ARENA(&rs->scratch, &ctx->arena, n))
            return false;
        uint32_t at = 0, slot = 0, s = 0;
        for (uint32_t k; (k = next_run(rs, &at, &slot)) != 0;) {
            while (slot >= blocks[s].preds + blocks[s].npreds)
                s++;
            SK_ASSERT(slot >= blocks[s].preds);
            uint32_t g = make_group(rs, rs->scratch.data, k);
            if (ctx->arena.failed)
                return false;
            if (g && !place_edge(rs, blks[slot], s, g))
                return false;
        }
        return true;
    }
    CgMove *sorted;
    uint32_t *start;
    if (!sort_pending(rs, f->blks.len, &sorted, &start))
        return false;
    for (uint32_t s = 0; s < nb; s++) {
        const CgBlock *sb = &blocks[s];
        for (uint32_t k = 0; k < sb->npreds; k++) {
            uint32_t slot = sb->preds + k;
            uint32_t a = start[slot], e = start[slot + 1];
            if (e == a)
                continue;
            uint32_t g = make_group(rs, sorted + a, e - a);
            if (ctx->arena.failed)
                return false;
            if (g && !place_edge(rs, blks[slot], s, g))
                return false;
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

    /* The vectors start empty per function; room for a typical function's moves up front
     * saves their doubling steps (each a call and a copy). */
    SkArena *a = &ctx->arena;
    uint32_t ni = ctx->func.insts.len;
    if (!SK_VEC_RESERVE_ARENA(&c->steps, a, c->steps.len + ni / 4 + 16) ||
        !SK_VEC_RESERVE_ARENA(&c->groups, a, c->groups.len + ni / 8 + 16) ||
        !SK_VEC_RESERVE_ARENA(&rs->pending, a, ni / 8 + 16))
        return false;

    sort_regs(c->split_regs.data, c->split_regs.len);
    if (!rewrite(rs) || !collect_split_moves(rs) || !group_pending(rs) || !resolve_edges(rs))
        return false;
    if (c->used_temp)
        c->spill_units = tu + 2;
    return !ctx->arena.failed;
}
