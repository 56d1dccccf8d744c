/*
 * Linear-scan register allocation with interval splitting (after live.c, before resolve.c).
 *
 * The algorithm is Wimmer & Mössenböck, "Optimized Interval Splitting in a Linear Scan
 * Register Allocator" (VEE 2005), on SSA form as in Wimmer & Franz (CGO 2010):
 *
 * - Intervals are visited in order of their start; the active set holds those live at the
 *   current position in a register (kept per register, with the end of each one's current
 *   range, so that moving on only looks at it when some range has ended), the inactive list
 *   those in a register but in a lifetime hole (they resume at block entries only, so the
 *   list is looked at once per block).
 * - An interval that lives within its block (most do) needs no free-until computation: a
 *   register no active interval holds and nothing fixes or clobbers meanwhile is free for
 *   all of it (inactive intervals cannot overlap it).
 * - tryAllocateFreeReg (section 4.1): the register free for the longest time wins, the hint
 *   first (copy and block-argument coalescing), then caller-saved registers before callee-
 *   saved ones (a callee-saved register costs a save in the prologue). If the register is
 *   free only for a prefix, the interval is split there.
 * - allocateBlockedReg (section 4.2): if every register is taken, the interval whose next
 *   use is farthest away is split and spilled, or the current interval itself when its own
 *   first use comes later than all others'.
 * - Values live across a call with no callee-saved register free for them are split right
 *   before the call (the caller-saved prefix); the part from there is "doomed at the call"
 *   when every callee-saved register is held: it skips tryAllocateFreeReg, and
 *   allocateBlockedReg is decided among the registers that survive the call only
 *   (alloc_at_call): the part is spilled at once when every holder needs its register
 *   first, else it takes the register needed last and its holders are evicted. This gives
 *   the generic path's result (identical code), only cheaper.
 * - Split positions (section 5) are moved to block boundaries of the lowest loop depth, so
 *   reloads land before loops rather than inside them.
 * - Spilling is SSA "spill once": a spilled value gets one stack slot, stored right after the
 *   definition (resolve.c); every later stack part reloads from it without another store.
 *   Slots are reused once the value's whole lifetime has ended.
 *
 * Fixed intervals (physical registers used as operands) block their register during their
 * ranges. Calls are not ranges: the sorted call positions block every caller-saved register
 * at once (CgTarget.call_clobbers, plus call_clobbers_v128 for v128 values) for the values
 * live across them; a call's FIXED results start at its position and are not.
 *
 * Invariant the instruction selector guarantees: no instruction needs more registers of a
 * class at once than the class has allocatable registers, counting fixed operands and values
 * live across it. Violations are bugs and trip an assertion.
 */
#include "backends/core.h"

#define POS_INF 0xFFFFFFFFu

typedef struct Ra {
    CgCtx *ctx;
    CgCore *c;
    CgIval *iv;                     // c->ivals.data (refreshed when a split grows it)
    CgRange *rs;                    // c->ranges.data (likewise)
    const uint8_t *vtypes;          // CgType per virtual register
    uint32_t act[CG_NPREGS];        // active interval holding each register (0 = none)
    uint32_t act_to[CG_NPREGS];     // end of that interval's range covering the position
    uint32_t next_expire;           // smallest act_to of the active intervals
    uint32_t *inactive, ninactive;
    uint32_t next_order;            // next vreg of c->order to allocate
    SK_VEC(uint32_t) heap;          // split children waiting, min-heap by start
    uint32_t fixed_cur;             // first fixed range that may still matter (CgCore.fixed)
    uint32_t block_end;             // entry position of the block after the current one
    CgRegSet class_regs[CG_CLASS_COUNT];
    CgRegSet alloc_regs[CG_CLASS_COUNT];  // allocatable registers per class
    CgRegSet active_regs;                 // registers held by active intervals
    uint32_t call_cur;              // first call position >= pos
    uint32_t pos;                   // current position
    uint32_t free_until[CG_NPREGS];
    uint32_t use_pos[CG_NPREGS];
    uint32_t block_pos[CG_NPREGS];
} Ra;

SK_INLINE CgIval *
ival(Ra *ra, uint32_t i)
{
    return &ra->iv[i];
}

SK_INLINE CgRange *
range(Ra *ra, uint32_t i)
{
    return &ra->rs[i];
}

SK_INLINE CgType
ival_type(Ra *ra, uint32_t i)
{
    return (CgType)ra->vtypes[ival(ra, i)->reg - CG_VREG_FIRST];
}

SK_INLINE uint32_t
even_floor(uint32_t p)
{
    return p & ~1u;
}

/* ---- interval queries -------------------------------------------------------------------- */

/* Advances iv's range cursor past ranges ending at or before pos; returns the cursor range
 * (0 when the interval has ended). */
static uint32_t
advance(Ra *ra, CgIval *iv, uint32_t pos)
{
    uint32_t r = iv->cur ? iv->cur : iv->range;
    while (r && range(ra, r)->to <= pos)
        r = range(ra, r)->next;
    iv->cur = r;
    return r;
}

/* First position >= pos where the ranges starting at ra_ and rb_ overlap, or POS_INF. */
static uint32_t
intersect_from(Ra *ra, uint32_t a, uint32_t b, uint32_t pos)
{
    while (a && b) {
        CgRange *x = range(ra, a), *y = range(ra, b);
        if (x->to <= pos) {
            a = x->next;
            continue;
        }
        if (y->to <= pos) {
            b = y->next;
            continue;
        }
        uint32_t lo = x->from > y->from ? x->from : y->from;
        if (lo < pos)
            lo = pos;
        uint32_t hi = x->to < y->to ? x->to : y->to;
        if (lo < hi)
            return lo;
        if (x->to <= y->to)
            a = x->next;
        else
            b = y->next;
    }
    return POS_INF;
}

/* First position >= cur's start where cur and iv are both live. */
SK_INLINE uint32_t
intersect(Ra *ra, CgIval *iv, CgIval *cur)
{
    uint32_t a = iv->cur ? iv->cur : iv->range;
    return intersect_from(ra, a, cur->range, cur->start);
}

/* First call position covered by cur (a value live across that call), or POS_INF. A range
 * that starts at a call position is a result of that call (a FIXED def), not live across. */
static uint32_t
next_call(Ra *ra, CgIval *cur)
{
    CgCore *c = ra->c;
    uint32_t i = ra->call_cur;
    uint32_t n = c->calls.len;
    for (uint32_t r = cur->range; r && i < n; r = range(ra, r)->next) {
        CgRange *x = range(ra, r);
        while (i < n && c->calls.data[i] <= x->from)
            i++;
        if (i < n && c->calls.data[i] < x->to)
            return c->calls.data[i];
    }
    return POS_INF;
}

/* Next use needing a register at or after pos, or POS_INF. Queries come in non-decreasing
 * positions per interval, so a cursor skips the uses already passed and the answer is cached
 * until the position passes it (values used mostly by copies have long runs of uses that do
 * not need a register). */
static uint32_t
next_use(Ra *ra, CgIval *iv, uint32_t pos)
{
    const CgUsePos *uses = ra->c->uses.data;
    if (pos < iv->uq || !iv->ucur) {
        iv->ucur = iv->use;  // first query, or one behind the last: start over
        iv->nreg = 0;
    }
    iv->uq = pos;
    if (iv->nreg && iv->nreg >= pos)
        return iv->nreg;
    uint32_t u = iv->ucur;
    while (u && CG_USE_POS(uses[u].pos) < pos)
        u = uses[u].next;
    iv->ucur = u;
    for (; u; u = uses[u].next) {
        if (uses[u].pos & CG_USE_REG) {
            iv->nreg = CG_USE_POS(uses[u].pos);
            return iv->nreg;
        }
    }
    iv->nreg = POS_INF;
    return POS_INF;
}

/* ---- the unhandled queue ------------------------------------------------------------------- */

static bool
heap_push(Ra *ra, uint32_t i)
{
    if (!SK_VEC_PUSH_ARENA(&ra->heap, &ra->ctx->arena, i))
        return false;
    uint32_t *h = ra->heap.data;
    uint32_t k = ra->heap.len - 1;
    uint32_t s = ival(ra, i)->start;
    while (k > 0) {
        uint32_t p = (k - 1) / 2;
        if (ival(ra, h[p])->start <= s)
            break;
        h[k] = h[p];
        k = p;
    }
    h[k] = i;
    return true;
}

static uint32_t
heap_pop(Ra *ra)
{
    uint32_t *h = ra->heap.data;
    uint32_t top = h[0];
    uint32_t last = h[--ra->heap.len];
    uint32_t n = ra->heap.len, k = 0;
    uint32_t s = n ? ival(ra, last)->start : 0;
    while (n) {
        uint32_t l = 2 * k + 1;
        if (l >= n)
            break;
        if (l + 1 < n && ival(ra, h[l + 1])->start < ival(ra, h[l])->start)
            l++;
        if (ival(ra, h[l])->start >= s)
            break;
        h[k] = h[l];
        k = l;
    }
    if (n)
        h[k] = last;
    return top;
}

/* Next interval to allocate (smallest start), or 0 when done. */
static uint32_t
next_unhandled(Ra *ra)
{
    CgCore *c = ra->c;
    uint32_t a = ra->next_order < c->norder ? c->order[ra->next_order] : 0;
    uint32_t b = ra->heap.len ? ra->heap.data[0] : 0;
    if (a && (!b || ival(ra, a)->start <= ival(ra, b)->start)) {
        ra->next_order++;
        return a;
    }
    return b ? heap_pop(ra) : 0;
}

/* ---- splitting ----------------------------------------------------------------------------- */

/* The CgVregInfo of register reg, created on its first split or spill (when its own interval
 * still covers its whole life). */
static CgVregInfo *
vinfo_get(CgCore *c, uint32_t reg)
{
    CgIval *p = &c->ivals.data[reg];
    if (!p->info) {
        p->info = c->nvinfo++;  // room: one per register
        c->vinfo[p->info] = (CgVregInfo){p->start, p->end, 0, 0, 0, false};
    }
    return &c->vinfo[p->info];
}

/*
 * Splits interval i at even position pos (start < pos < end): the part from pos on becomes a
 * new child, linked after i, which is returned (its location unassigned). Uses at or after
 * pos move to the child.
 */
static uint32_t
split_at(Ra *ra, uint32_t i, uint32_t pos)
{
    CgCore *c = ra->c;
    SK_ASSERT((pos & 1) == 0 && ival(ra, i)->start < pos && pos < ival(ra, i)->end);
    if (!SK_VEC_RESERVE_ARENA(&c->ivals, &ra->ctx->arena, c->ivals.len + 1) ||
        !SK_VEC_RESERVE_ARENA(&c->ranges, &ra->ctx->arena, c->ranges.len + 1)) {
        ra->ctx->arena.failed = true;
        return 0;
    }
    ra->iv = c->ivals.data;
    ra->rs = c->ranges.data;
    if (!ival(ra, ival(ra, i)->reg)->child) {
        /* The register's first split (i is its own interval): record its whole life. */
        vinfo_get(c, ival(ra, i)->reg);
        c->split_regs.data[c->split_regs.len++] = ival(ra, i)->reg;  // room: one per register
    }
    uint32_t ci = c->ivals.len++;
    CgIval *iv = ival(ra, i);
    CgIval *ch = ival(ra, ci);
    *ch = (CgIval){0};
    ch->reg = iv->reg;
    ch->child = iv->child;
    ch->end = iv->end;
    iv->child = ci;

    uint32_t prev = 0, r = iv->range;
    while (r && range(ra, r)->to <= pos) {
        prev = r;
        r = range(ra, r)->next;
    }
    SK_ASSERT(r);
    if (range(ra, r)->from < pos) {
        uint32_t nr = c->ranges.len++;
        CgRange *x = range(ra, r);
        *range(ra, nr) = (CgRange){pos, x->to, x->next};
        x->to = pos;
        x->next = 0;
        ch->range = nr;
        iv->end = pos;
    } else {
        SK_ASSERT(prev);
        ch->range = r;
        range(ra, prev)->next = 0;
        iv->end = range(ra, prev)->to;
    }
    ch->start = range(ra, ch->range)->from;

    uint32_t pu = 0, u = iv->use;
    while (u && CG_USE_POS(c->uses.data[u].pos) < pos) {
        pu = u;
        u = c->uses.data[u].next;
    }
    ch->use = u;
    if (pu)
        c->uses.data[pu].next = 0;
    else
        iv->use = 0;
    iv->cur = iv->ucur = iv->nreg = iv->uq = 0;
    ch->cur = ch->ucur = ch->nreg = ch->uq = 0;
    return ci;
}

/*
 * Best split position in (lo, hi] (both inclusive of hi): the latest block boundary of
 * lowest loop depth, so that the moves land outside loops; hi itself when lo and hi share a
 * block. Returns an even position > lo, or 0 if none exists.
 */
static uint32_t
best_split_pos(Ra *ra, uint32_t lo, uint32_t hi)
{
    CgCore *c = ra->c;
    CgFunc *f = &ra->ctx->func;
    uint32_t best = even_floor(hi);
    if (best <= lo)
        return 0;
    uint32_t bhi = cg_block_at(c, best), blo = cg_block_at(c, lo);
    if (bhi == blo)
        return best;
    uint32_t best_depth = f->blocks.data[bhi].loop_depth;
    uint32_t scanned = 0;
    for (uint32_t b = bhi; b > blo && scanned < 64 && best_depth > 0; b--, scanned++) {
        CgBlock *bb = &f->blocks.data[b];
        if (bb->pos <= lo)
            break;
        uint32_t d = bb->loop_depth;
        uint32_t dp = f->blocks.data[b - 1].loop_depth;
        if (dp < d)
            d = dp;  // a loop header's entry edge is outside the loop
        if (d < best_depth) {
            best_depth = d;
            best = bb->pos;
        }
    }
    return best;
}

/* Assigns the spill slot of interval i's register (allocating one on first use). */
static bool
assign_slot(Ra *ra, uint32_t i)
{
    CgCore *c = ra->c;
    CgIval *iv = ival(ra, i);
    CgVregInfo *vi = vinfo_get(c, iv->reg);
    if (!vi->slot) {
        uint32_t size = cg_type_slot_size(ival_type(ra, i)) / 8;  // units
        uint32_t from = vi->def_pos;
        uint32_t n = c->slot_free.len, u = 0;
        for (; u + size <= n; u += size) {
            if (c->slot_free.data[u] <= from && (size == 1 || c->slot_free.data[u + 1] <= from))
                break;
        }
        if (u + size > n) {
            u = (n + size - 1) / size * size;
            while (c->slot_free.len < u + size)
                if (!SK_VEC_PUSH_ARENA(&c->slot_free, &ra->ctx->arena, POS_INF))
                    return false;
        }
        for (uint32_t k = 0; k < size; k++)
            c->slot_free.data[u + k] = vi->end;
        vi->slot = CG_LOC_STACK + u;
        c->stats.spilled++;
    }
    iv->loc = vi->slot;
    return true;
}

/*
 * Gives interval i (starting at or after the current position) a stack slot until its next
 * use that needs a register; the part from that use on is queued for allocation. If that use
 * is at i's start, i is queued as it is instead.
 */
static bool
spill_from(Ra *ra, uint32_t i)
{
    CgIval *iv = ival(ra, i);
    uint32_t u = next_use(ra, iv, iv->start);
    if (u == iv->start) {
        iv->loc = 0;
        return heap_push(ra, i);
    }
    if (!assign_slot(ra, i))
        return false;
    if (u != POS_INF) {
        uint32_t p = best_split_pos(ra, ival(ra, i)->start, u);
        SK_ASSERT(p);
        uint32_t ch = split_at(ra, i, p);
        if (!ch || !heap_push(ra, ch))
            return false;
    }
    return true;
}

/* ---- hints --------------------------------------------------------------------------------- */

/* Where register h (a hint) lives at or before position pos: a physical register, the
 * register of the last part of a virtual one started by then, 0 if none. */
static CgReg
hint_loc(Ra *ra, CgReg h, uint32_t pos)
{
    if (cg_reg_is_phys(h))
        return h;
    CgLoc best = 0;
    for (uint32_t k = h; k; k = ival(ra, k)->child) {
        CgIval *x = ival(ra, k);
        if (x->start > pos)
            break;
        if (cg_loc_is_reg(x->loc))
            best = x->loc;
    }
    return best;
}

/*
 * The register interval `cur` would like: where its hint lives at or before cur's start. A
 * hint not allocated yet passes on its own hint: a block argument hints the parameter, which
 * is allocated after the arguments of forward edges, and the parameter hints the argument of
 * its first predecessor, so the other predecessors' arguments meet it there. 0 if none.
 */
static CgReg
hint_reg_slow(Ra *ra, CgIval *cur)
{
    CgReg h = ival(ra, cur->reg)->hint;
    CgReg r = hint_loc(ra, h, cur->start);
    if (!r && cg_reg_is_virt(h) && ival(ra, h)->start > cur->start) {
        CgReg h2 = ival(ra, h)->hint;
        if (h2 && h2 != cur->reg)
            r = hint_loc(ra, h2, cur->start);
    }
    return r;
}

/* hint_reg_slow with the common cases inline: no hint, a physical one, an unsplit one
 * allocated already. */
SK_INLINE CgReg
hint_reg(Ra *ra, CgIval *cur)
{
    CgReg h = ival(ra, cur->reg)->hint;
    if (!h)
        return 0;
    if (cg_reg_is_phys(h))
        return h;
    const CgIval *x = ival(ra, h);
    if (!x->child && x->start <= cur->start)
        return cg_loc_is_reg(x->loc) ? x->loc : 0;
    return hint_reg_slow(ra, cur);
}

/* ---- allocation ---------------------------------------------------------------------------- */

static bool take_reg(Ra *ra, uint32_t ci, CgReg reg);

/* Lowers bound[r] to `pos` for every allocatable register r of `cls` in `set`. */
static void
limit_set(Ra *ra, uint32_t *bound, CgClass cls, CgRegSet set, uint32_t pos)
{
    for (CgRegSet m = set & ra->alloc_regs[cls]; m; m &= m - 1) {
        uint32_t r = (uint32_t)__builtin_ctzll(m);
        if (bound[r] > pos)
            bound[r] = pos;
    }
}

/*
 * The fixed-range bounds of a long interval: one walk over its ranges and the sorted fixed
 * ranges together. It stops at the first call cur lives across (every caller-saved register
 * is bounded there anyway, and only caller-saved registers are ever fixed) or once every
 * register that has fixed ranges is bounded.
 */
static void
limit_fixed_long(Ra *ra, CgIval *cur, CgClass cls, uint32_t *bound, uint32_t *bound2,
                 uint32_t call)
{
    CgCore *c = ra->c;
    const CgFixedRange *fx = c->fixed;
    uint32_t maxlen = c->fixed_maxlen;
    uint32_t j = ra->fixed_cur;
    CgRegSet todo = c->fixed_regs & ra->class_regs[cls];
    for (uint32_t rr = cur->range; rr && todo; rr = range(ra, rr)->next) {
        const CgRange *y = range(ra, rr);
        if (y->from >= call)
            break;
        while (j < c->nfixed && fx[j].from + maxlen <= y->from)
            j++;
        uint32_t stop = y->to < call ? y->to : call;
        for (uint32_t k = j; k < c->nfixed && fx[k].from < stop; k++) {
            uint32_t r = fx[k].reg;
            if (!(todo & CG_REGSET(r)) || fx[k].to <= y->from)
                continue;
            uint32_t x = fx[k].from > y->from ? fx[k].from : y->from;
            todo &= ~CG_REGSET(r);
            if (x < bound[r])
                bound[r] = x;
            if (bound2 && x < bound2[r])
                bound2[r] = x;
        }
    }
}

/*
 * Applies fixed ranges and calls to bound[] (and bound2[] if given) for interval cur: a
 * register is bounded by the first position where it is fixed while cur lives. The fixed
 * ranges are sorted by start; the scan stops once every register that has fixed ranges at
 * all is bounded (later ranges cannot lower a bound).
 */
static void
limit_fixed(Ra *ra, CgIval *cur, CgClass cls, uint32_t *bound, uint32_t *bound2)
{
    const CgTarget *t = ra->ctx->target;
    CgCore *c = ra->c;
    const CgFixedRange *fx = c->fixed;
    uint32_t i = ra->fixed_cur;
    uint32_t maxlen = c->fixed_maxlen;
    while (i < c->nfixed && fx[i].from + maxlen <= ra->pos)
        i++;  // no range starting here or earlier can reach the position any more
    ra->fixed_cur = i;
    uint32_t call = next_call(ra, cur);
    if (cur->end > ra->block_end) {
        /* A long interval: one cursor per register is cheaper than a long scan. */
        limit_fixed_long(ra, cur, cls, bound, bound2, call);
    } else {
        CgRegSet left = c->fixed_regs & ra->class_regs[cls];
        for (; i < c->nfixed && fx[i].from < cur->end && left; i++) {
            uint32_t r = fx[i].reg;
            if (!(left & CG_REGSET(r)) || fx[i].to <= cur->start)
                continue;
            /* A local interval is one range [start, end). */
            uint32_t x = fx[i].from > cur->start ? fx[i].from : cur->start;
            left &= ~CG_REGSET(r);
            if (x < bound[r])
                bound[r] = x;
            if (bound2 && x < bound2[r])
                bound2[r] = x;
        }
    }
    if (call != POS_INF) {
        CgRegSet set = t->call_clobbers;
        if (ra->vtypes[cur->reg - CG_VREG_FIRST] == CG_TYPE_V128)
            set |= t->call_clobbers_v128;
        limit_set(ra, bound, cls, set, call);
        if (bound2)
            limit_set(ra, bound2, cls, set, call);
    }
}

/* True if cur lies within the block where it starts: then no inactive interval (they resume
 * at block entries only) can overlap it. */
SK_INLINE bool
is_local(Ra *ra, const CgIval *cur)
{
    return cur->end <= ra->block_end;
}

/* Registers of class cls fixed, or clobbered by a call, somewhere while local interval cur
 * (one range within a block) lives. */
static CgRegSet
blocked_local(Ra *ra, CgIval *cur, CgClass cls)
{
    CgCore *c = ra->c;
    const CgFixedRange *fx = c->fixed;
    uint32_t i = ra->fixed_cur, maxlen = c->fixed_maxlen;
    while (i < c->nfixed && fx[i].from + maxlen <= ra->pos)
        i++;
    ra->fixed_cur = i;
    CgRegSet m = 0;
    for (; i < c->nfixed && fx[i].from < cur->end; i++)
        if (fx[i].to > cur->start)
            m |= CG_REGSET(fx[i].reg);
    uint32_t k = ra->call_cur;
    if (k < c->calls.len && c->calls.data[k] < cur->end) {
        const CgTarget *t = ra->ctx->target;
        m |= t->call_clobbers;
        if (ra->vtypes[cur->reg - CG_VREG_FIRST] == CG_TYPE_V128)
            m |= t->call_clobbers_v128;
    }
    return m & ra->class_regs[cls];
}

/*
 * True if tryAllocateFreeReg cannot succeed for cur because it starts right before a call
 * instruction (at call - 1, where splits around calls put the part across the call) and
 * lives across it while every register that survives the call is held by an active
 * interval: each caller-saved register is then free at most up to the call, which leaves no
 * split position after cur's start, and each other one is taken. Checking this first saves
 * the free-until computation for those parts, which go straight to allocateBlockedReg.
 */
SK_INLINE bool
doomed_at_call(Ra *ra, CgIval *cur, CgClass cls)
{
    const CgCore *c = ra->c;
    uint32_t k = ra->call_cur;
    if (k >= c->calls.len || c->calls.data[k] != cur->start + 1 ||
        range(ra, cur->range)->to <= cur->start + 1)
        return false;
    const CgTarget *t = ra->ctx->target;
    CgRegSet clob = t->call_clobbers;
    if (ra->vtypes[cur->reg - CG_VREG_FIRST] == CG_TYPE_V128)
        clob |= t->call_clobbers_v128;
    return !(ra->alloc_regs[cls] & ~clob & ~ra->active_regs);
}

/*
 * allocateBlockedReg for a part doomed at a call (doomed_at_call), narrowed to what can
 * decide it: every caller-saved register is clobbered at the call, before cur's next
 * register use (which comes after the call, else alloc_blocked decides), so its use position
 * loses to cur's; only the registers that survive the call compete, each held by an active
 * interval (and by inactive ones that overlap cur). As in alloc_blocked, cur is spilled up
 * to its next use if every holder needs its register before cur does, otherwise it takes
 * the register whose holders need it last and they are evicted; those registers have no
 * fixed ranges (else alloc_blocked decides), so cur keeps it to its end. Returns true when
 * done (also on arena failure, which the caller checks), false when alloc_blocked must
 * decide.
 */
static bool
alloc_at_call(Ra *ra, uint32_t ci)
{
    const CgTarget *t = ra->ctx->target;
    CgIval *cur = ival(ra, ci);
    CgClass cls = cg_type_class(ival_type(ra, ci));
    uint32_t first = next_use(ra, cur, cur->start);
    if (first <= cur->start + 1)
        return false;
    CgRegSet clob = t->call_clobbers;
    if (ival_type(ra, ci) == CG_TYPE_V128)
        clob |= t->call_clobbers_v128;
    CgRegSet keep = ra->alloc_regs[cls] & ~clob;
    if (keep & ra->c->fixed_regs)
        return false;
    uint32_t *up = ra->use_pos;
    uint32_t best = 0;
    for (CgRegSet m = keep; m; m &= m - 1) {
        uint32_t r = (uint32_t)__builtin_ctzll(m);
        up[r] = next_use(ra, ival(ra, ra->act[r]), cur->start);
        if (up[r] > best)
            best = up[r];
    }
    if (best < first || first == POS_INF) {
        /* Inactive holders could only lower the use positions: cur loses either way. */
        ra->c->stats.call_spills++;
        if (!spill_from(ra, ci))
            ra->ctx->arena.failed = true;
        return true;
    }
    for (uint32_t k = 0, n = ra->ninactive; k < n; k++) {
        CgIval *it = ival(ra, ra->inactive[k]);
        if (!(keep & CG_REGSET(it->loc)) || intersect(ra, it, cur) == POS_INF)
            continue;
        uint32_t u = next_use(ra, it, cur->start);
        if (u < up[it->loc])
            up[it->loc] = u;
    }
    CgReg reg = 0;
    CgReg h = hint_reg(ra, cur);
    best = 0;
    for (uint32_t k = 0; k < t->nalloc[cls]; k++) {
        uint32_t r = t->alloc_order[cls][k];
        if ((keep & CG_REGSET(r)) && (up[r] > best || (up[r] == best && r == h))) {
            best = up[r];
            reg = r;
        }
    }
    if (best < first) {
        ra->c->stats.call_spills++;
        if (!spill_from(ra, ci))
            ra->ctx->arena.failed = true;
        return true;
    }
    if (!take_reg(ra, ci, reg))
        ra->ctx->arena.failed = true;
    return true;
}

static bool
try_alloc_free(Ra *ra, uint32_t ci)
{
    const CgTarget *t = ra->ctx->target;
    CgIval *cur = ival(ra, ci);
    CgClass cls = cg_type_class(ival_type(ra, ci));
    if (is_local(ra, cur)) {
        /* The common case: a value that lives within its block. Inactive intervals cannot
         * overlap it, so a register is free for all of it if no active interval holds it
         * and nothing fixes or clobbers it meanwhile. */
        CgRegSet cand = ra->alloc_regs[cls] & ~ra->active_regs & ~blocked_local(ra, cur, cls);
        if (cand) {
            CgReg reg = hint_reg(ra, cur);
            if (!reg || !(cand & CG_REGSET(reg))) {
                reg = 0;
                for (uint32_t k = 0; k < t->nalloc[cls]; k++) {
                    uint32_t r = t->alloc_order[cls][k];
                    if (cand & CG_REGSET(r)) {
                        reg = r;
                        break;
                    }
                }
            }
            cur->loc = reg;
            ra->c->used_regs |= CG_REGSET(reg);
            return true;
        }
    }
    if (doomed_at_call(ra, cur, cls))
        return alloc_at_call(ra, ci);
    uint32_t *fu = ra->free_until;
    memset(fu, 0xFF, sizeof(ra->free_until));  // POS_INF; only this class's are read
    for (CgRegSet m = ra->active_regs & ra->class_regs[cls]; m; m &= m - 1)
        fu[__builtin_ctzll(m)] = 0;
    for (uint32_t k = 0, n = is_local(ra, cur) ? 0 : ra->ninactive; k < n; k++) {
        CgIval *it = ival(ra, ra->inactive[k]);
        if (t->reg_class[it->loc] != cls || fu[it->loc] <= cur->start)
            continue;
        uint32_t x = intersect(ra, it, cur);
        if (x < fu[it->loc])
            fu[it->loc] = x;
    }
    limit_fixed(ra, cur, cls, fu, NULL);

    CgReg reg = 0;
    CgReg h = hint_reg(ra, cur);
    if (h && t->reg_class[h] == cls && fu[h] >= cur->end)
        reg = h;
    if (!reg) {
        uint32_t best = 0;
        for (uint32_t k = 0; k < t->nalloc[cls]; k++) {
            uint32_t r = t->alloc_order[cls][k];
            if (fu[r] >= cur->end) {
                reg = r;
                best = fu[r];
                break;
            }
            if (fu[r] > best) {
                best = fu[r];
                reg = r;
            }
        }
        /* Among registers free for the same prefix, the hint wins (not over one free for
         * the whole interval). */
        if (h && t->reg_class[h] == cls && fu[h] == best && best < cur->end)
            reg = h;
    }
    if (!reg || fu[reg] <= cur->start)
        return false;
    if (fu[reg] < cur->end) {
        /* Free only for a prefix: split before the register is needed elsewhere. */
        uint32_t p = best_split_pos(ra, cur->start, fu[reg]);
        if (!p)
            return false;
        uint32_t ch = split_at(ra, ci, p);
        if (!ch || !heap_push(ra, ch))
            return false;
        cur = ival(ra, ci);
    }
    cur->loc = reg;
    ra->c->used_regs |= CG_REGSET(reg);
    return true;
}

/* Removes element k of an interval list (order does not matter). */
SK_INLINE void
list_remove(uint32_t *list, uint32_t *n, uint32_t k)
{
    list[k] = list[--*n];
}

static bool
alloc_blocked(Ra *ra, uint32_t ci)
{
    const CgTarget *t = ra->ctx->target;
    CgIval *cur = ival(ra, ci);
    CgClass cls = cg_type_class(ival_type(ra, ci));
    uint32_t *up = ra->use_pos, *bp = ra->block_pos;
    uint32_t from = even_floor(cur->start);  // uses at this instruction count
    memset(up, 0xFF, sizeof(ra->use_pos));  // POS_INF; only this class's are read
    memset(bp, 0xFF, sizeof(ra->block_pos));
    for (CgRegSet m = ra->active_regs & ra->class_regs[cls]; m; m &= m - 1) {
        uint32_t r = (uint32_t)__builtin_ctzll(m);
        uint32_t u = next_use(ra, ival(ra, ra->act[r]), from);
        if (u < up[r])
            up[r] = u;
    }
    for (uint32_t k = 0, n = is_local(ra, cur) ? 0 : ra->ninactive; k < n; k++) {
        CgIval *it = ival(ra, ra->inactive[k]);
        if (t->reg_class[it->loc] != cls)
            continue;
        if (intersect(ra, it, cur) == POS_INF)
            continue;
        uint32_t u = next_use(ra, it, from);
        if (u < up[it->loc])
            up[it->loc] = u;
    }
    limit_fixed(ra, cur, cls, up, bp);

    CgReg reg = 0;
    uint32_t best = 0;
    CgReg h = hint_reg(ra, cur);
    for (uint32_t k = 0; k < t->nalloc[cls]; k++) {
        uint32_t r = t->alloc_order[cls][k];
        if (up[r] > best || (up[r] == best && r == h)) {
            best = up[r];
            reg = r;
        }
    }
    uint32_t first = next_use(ra, cur, cur->start);
    if (best < first || first == POS_INF) {
        /* Every register is wanted before cur needs one: spill cur up to its first use. */
        SK_ASSERT(first != cur->start);  // over-constrained instruction (isel bug)
        return spill_from(ra, ci);
    }
    SK_ASSERT(bp[reg] > cur->start);
    if (bp[reg] < cur->end) {
        uint32_t p = best_split_pos(ra, cur->start, bp[reg]);
        SK_ASSERT(p);
        uint32_t ch = split_at(ra, ci, p);
        if (!ch || !heap_push(ra, ch))
            return false;
        cur = ival(ra, ci);
    }
    return take_reg(ra, ci, reg);
}

/* Gives reg to interval ci (allocateBlockedReg's end): whoever holds reg where it overlaps
 * ci is split there and spilled from there. */
static bool
take_reg(Ra *ra, uint32_t ci, CgReg reg)
{
    CgIval *cur = ival(ra, ci);
    cur->loc = reg;
    ra->c->used_regs |= CG_REGSET(reg);

    /* Evict whoever holds reg where it overlaps cur: split and spill from there. */
    uint32_t split_pos = even_floor(cur->start);
    if (ra->active_regs & CG_REGSET(reg)) {
        uint32_t ii = ra->act[reg];
        ra->act[reg] = 0;
        ra->active_regs &= ~CG_REGSET(reg);
        if (ival(ra, ii)->start >= split_pos) {
            /* Started at this very position: it goes back to the queue whole. */
            if (!spill_from(ra, ii))
                return false;
        } else {
            uint32_t ch = split_at(ra, ii, split_pos);
            if (!ch || !spill_from(ra, ch))
                return false;
        }
    }
    for (uint32_t k = 0; k < ra->ninactive;) {
        uint32_t ii = ra->inactive[k];
        if (ival(ra, ii)->loc != reg) {
            k++;
            continue;
        }
        uint32_t x = intersect(ra, ival(ra, ii), ival(ra, ci));
        if (x == POS_INF) {
            k++;
            continue;
        }
        uint32_t p = even_floor(x);
        if (p <= ival(ra, ii)->start) {
            list_remove(ra->inactive, &ra->ninactive, k);
            if (!spill_from(ra, ii))
                return false;
            continue;
        }
        uint32_t ch = split_at(ra, ii, p);
        if (!ch || !spill_from(ra, ch))
            return false;
        k++;
    }
    return true;
}

CgIval *
cg_ival_at_slow(CgCore *c, uint32_t r, uint32_t pos)
{
    CgIval *iv = &c->ivals.data[r];
    const CgVregInfo *vi = cg_vinfo(c, r);
    if (vi->children) {
        /* Binary search for the last part starting at or before pos. */
        const uint32_t *parts = c->child_list.data + vi->children;
        uint32_t lo = 0, hi = vi->nchildren;  // parts[0] is the register's own interval
        while (hi - lo > 1) {
            uint32_t mid = (lo + hi) / 2;
            if (c->ivals.data[parts[mid]].start <= pos)
                lo = mid;
            else
                hi = mid;
        }
        return &c->ivals.data[parts[lo]];
    }
    while (iv->child && c->ivals.data[iv->child].start <= pos)
        iv = &c->ivals.data[iv->child];
    return iv;
}

/* After allocation: an array of the parts of every register split into more than 4, so that
 * cg_ival_at is a binary search (resolution looks parts up at every block edge); multi_loc
 * for the split registers (CgCore.split_regs). */
static bool
index_children(CgCtx *ctx)
{
    CgCore *c = ctx->core;
    if (!SK_VEC_PUSH_ARENA(&c->child_list, &ctx->arena, 0))
        return false;
    for (uint32_t i = 0; i < c->split_regs.len; i++) {
        uint32_t r = c->split_regs.data[i], n = 0;
        CgLoc loc0 = c->ivals.data[r].loc;
        for (uint32_t k = r; k; k = c->ivals.data[k].child) {
            n++;
            if (c->ivals.data[k].loc != loc0)
                cg_vinfo(c, r)->multi_loc = true;
        }
        if (n <= 4)
            continue;
        uint32_t at = c->child_list.len;
        if (!SK_VEC_RESERVE_ARENA(&c->child_list, &ctx->arena, at + n))
            return false;
        for (uint32_t k = r; k; k = c->ivals.data[k].child)
            c->child_list.data[c->child_list.len++] = k;
        cg_vinfo(c, r)->children = at;
        cg_vinfo(c, r)->nchildren = n;
    }
    return true;
}

bool
cg_regalloc(CgCtx *ctx)
{
    CgCore *c = ctx->core;
    Ra ra_s;
    Ra *ra = &ra_s;
    /* Only the scalar state needs a value: the per-register arrays are written before they
     * are read (act/act_to for registers in active_regs only). */
    ra->ctx = ctx;
    ra->c = c;
    ra->iv = c->ivals.data;
    ra->rs = c->ranges.data;
    ra->vtypes = ctx->func.vtypes.data;
    ra->ninactive = 0;
    ra->next_order = 0;
    memset(&ra->heap, 0, sizeof(ra->heap));
    ra->fixed_cur = 0;
    ra->block_end = 0;
    ra->active_regs = 0;
    ra->call_cur = 0;
    ra->pos = 0;
    memcpy(ra->class_regs, c->class_regs, sizeof(ra->class_regs));
    memcpy(ra->alloc_regs, c->alloc_regs, sizeof(ra->alloc_regs));
    if (!SK_VEC_RESERVE_ARENA(&c->split_regs, &ctx->arena, c->nvregs + 1))
        return false;
    ra->inactive = sk_arena_alloc(&ctx->arena, (size_t)(c->nvregs + 1) * sizeof(uint32_t));
    c->vinfo = sk_arena_alloc(&ctx->arena, (size_t)(c->nvregs + 1) * sizeof(CgVregInfo));
    if (!ra->inactive || !c->vinfo)
        return false;
    c->vinfo[0] = (CgVregInfo){0};
    c->nvinfo = 1;
    ra->next_expire = POS_INF;
    uint32_t nb = ctx->func.blocks.len, end_pos = 2 * c->npos;
    const uint32_t *calls = c->calls.data, ncalls = c->calls.len;

    for (;;) {
        uint32_t ci = next_unhandled(ra);
        if (!ci)
            break;
        uint32_t pos = ival(ra, ci)->start;
        ra->pos = pos;

        /* Move the active set to the new position: an interval leaves it when it ends or
         * enters a lifetime hole (then it is inactive). Only registers whose current range
         * ends by now need a look. */
        if (pos >= ra->next_expire) {
            uint32_t ne = POS_INF;
            for (CgRegSet m = ra->active_regs; m; m &= m - 1) {
                uint32_t r = (uint32_t)__builtin_ctzll(m);
                if (ra->act_to[r] <= pos) {
                    CgIval *it = ival(ra, ra->act[r]);
                    uint32_t rr = it->end <= pos ? 0 : advance(ra, it, pos);
                    if (!rr || range(ra, rr)->from > pos) {
                        if (rr)
                            ra->inactive[ra->ninactive++] = ra->act[r];
                        ra->act[r] = 0;
                        ra->active_regs &= ~CG_REGSET(r);
                        continue;
                    }
                    ra->act_to[r] = range(ra, rr)->to;
                }
                if (ra->act_to[r] < ne)
                    ne = ra->act_to[r];
            }
            ra->next_expire = ne;
        }
        /* A new block: inactive intervals resume only at block entries, so their list is
         * looked at once per block. */
        if (pos >= ra->block_end) {
            uint32_t b = cg_block_at(c, pos);
            ra->block_end = b + 1 < nb ? ctx->func.blocks.data[b + 1].pos : end_pos;
            for (uint32_t k = 0, n = ra->ninactive; k < n;) {
                uint32_t ii = ra->inactive[k];
                CgIval *it = ival(ra, ii);
                uint32_t rr = it->end <= pos ? 0 : advance(ra, it, pos);
                if (!rr) {
                    list_remove(ra->inactive, &ra->ninactive, k);
                    n--;
                } else if (range(ra, rr)->from <= pos) {
                    SK_ASSERT(!(ra->active_regs & CG_REGSET(it->loc)));
                    ra->act[it->loc] = ii;
                    ra->act_to[it->loc] = range(ra, rr)->to;
                    if (range(ra, rr)->to < ra->next_expire)
                        ra->next_expire = range(ra, rr)->to;
                    ra->active_regs |= CG_REGSET(it->loc);
                    list_remove(ra->inactive, &ra->ninactive, k);
                    n--;
                } else {
                    k++;
                }
            }
        }
        /* First call after the position (one at it defines the interval starting there). */
        while (ra->call_cur < ncalls && calls[ra->call_cur] <= pos)
            ra->call_cur++;

        if (!try_alloc_free(ra, ci) && !alloc_blocked(ra, ci))
            return false;
        if (ctx->arena.failed)
            return false;
        CgIval *cur = ival(ra, ci);
        if (cg_loc_is_reg(cur->loc)) {
            CgReg r = cur->loc;
            SK_ASSERT(!(ra->active_regs & CG_REGSET(r)));
            uint32_t to = range(ra, cur->range)->to;
            ra->act[r] = ci;
            ra->act_to[r] = to;
            ra->active_regs |= CG_REGSET(r);
            if (to < ra->next_expire)
                ra->next_expire = to;
        }
    }
    c->spill_units = c->slot_free.len;
    return !ctx->arena.failed && index_children(ctx);
}
