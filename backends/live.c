/*
 * Liveness and live intervals over MIR (input to regalloc.c).
 *
 * The MIR is in SSA form: every virtual register has one definition, which dominates its
 * uses, and the layout puts dominators first. That allows liveness without a backward pass
 * over the code, and mostly without per-block bit sets or iterating to a fixed point:
 *
 * 1. One forward walk over the instructions numbers the positions and records, per virtual
 *    register, its definition, its uses needing a register (in position order), the end of
 *    its last use in the defining block, and every other block that reads it (with the end
 *    of the last read there). Fixed ranges of physical registers and call positions come
 *    out of the same walk, already sorted: physical registers never live across blocks
 *    (target.h), so a range opens at a definition and grows with each use. A call's FIXED
 *    operands are copied to and from their registers around it by resolve.c: they get no
 *    fixed range and need no register, only a hint.
 * 2. A register read only in its defining block (most temporaries) is "local": its interval
 *    is the single range [definition, last use), known after step 1.
 * 3. A register read in other blocks is "global": it is live-in at every block on a path
 *    from such a read back to its definition (Brandner et al., "Computing Liveness Sets for
 *    SSA-Form Programs", 2011, the use-driven path exploration; loops need no special case,
 *    the walk goes around the back edge and stops at blocks already marked). Every
 *    predecessor of a live-in block is live-out, so only blocks that read the value need a
 *    look at their successors. Sorted by block (a bit map), the live-in blocks give the
 *    ranges directly: a whole block where the value is also live-out, else up to its last
 *    read there. The work is proportional to the size of the result, and only global
 *    registers pay for it. Registers read far from their definition (WIDE_SPAN blocks or
 *    more) would pay a visit per block each: they go 64 at a time through the classic
 *    backward bit-set dataflow instead (wide()), one word operation per block and pass.
 *
 * The walk writes each interval whole at its definition, with its first range in range
 * slot register - CG_VREG_FIRST + 1, and keeps a local register's range end up to date, so
 * nothing visits the local registers after it.
 *
 * Positions and ranges are defined in core.h. Hints (copies, block arguments, two-address
 * ties) are recorded as in Wimmer & Franz ("Linear Scan Register Allocation on SSA Form",
 * CGO 2010): the earliest instruction that suggests a register for a value wins.
 */
#include "backends/core.h"

/* One block where a register is read outside its defining block (step 1). */
typedef struct UseBlock {
    uint32_t block;
    uint32_t last;  // end of the last read there (position after it)
    uint32_t next;  // the register's previous node (0 ends): nodes are prepended
} UseBlock;

typedef struct Live {
    CgCtx *ctx;
    CgCore *c;
    CgFunc *f;
    uint32_t *node;    // per virtual register: its latest UseBlock node (0 = local so far)
    uint32_t *utail;   // per virtual register: its last use record (valid once defined)
    uint32_t *globals; // virtual registers (as indices) read outside their defining block
    uint32_t nglobals;
    UseBlock *nodes;   // [0] unused
    uint32_t nnodes;
} Live;

/* Hint of register r, unless an earlier instruction (or an earlier write of this
 * instruction's reversed write list) already gave it one: see the file comment. */
SK_INLINE void
hint_first(CgIval *iv, CgReg r, CgReg hint)
{
    if (r >= CG_VREG_FIRST && !iv[r].hint)
        iv[r].hint = hint;
}

/* The definition of register r (virtual) at position pos: its interval starts as the
 * single range [pos, pos + 1) in range slot r - CG_VREG_FIRST + 1 (a value nobody reads still
 * occupies its definition), with hint `hint` (only a block parameter can have one before its
 * definition: from a forward jump's argument). */
SK_INLINE void
define(CgIval *x, CgRange *rs, uint32_t *utail, CgReg r, uint32_t pos, CgReg hint)
{
    uint32_t v = r - CG_VREG_FIRST;
    *x = (CgIval){.range = v + 1, .start = pos, .end = pos + 1, .reg = r, .hint = hint};
    rs[v + 1] = (CgRange){pos, pos + 1, 0};
    utail[v] = 0;
}

/* A read of register r (virtual) in block b (entry position P), ending at `to`; reads in
 * other blocks than the definition's get a UseBlock node per block, and the register joins
 * the global list on its first such read. */
SK_INLINE void
read_at(Live *lv, CgIval *x, CgRange *rs, uint32_t *nnodes, CgReg r, uint32_t b, uint32_t P,
        uint32_t to)
{
    uint32_t v = r - CG_VREG_FIRST;
    SK_ASSERT(x->start != 0);  // used before defined
    if (x->start > P) {
        /* Defined in this block (definitions dominate their reads). */
        if (to > x->end) {
            x->end = to;
            rs[v + 1].to = to;
        }
        return;
    }
    UseBlock *nodes = lv->nodes;
    uint32_t n = lv->node[v];
    if (n && nodes[n].block == b) {
        if (to > nodes[n].last)
            nodes[n].last = to;
        return;
    }
    if (!n)
        lv->globals[lv->nglobals++] = v;
    uint32_t k = (*nnodes)++;
    nodes[k] = (UseBlock){b, to, n};
    lv->node[v] = k;
}

/*
 * Step 1: the forward walk (see the file comment). Fixed ranges are appended as they open,
 * which is in order of their start; one that opens at a block entry (a physical register
 * read without a definition in its block) could break that order, which is then restored by
 * sorting. Physical definitions are applied after the instruction's reads, so that a read
 * reaching the definition point (rax into and out of a division) continues the open range.
 */
static bool
scan(Live *lv)
{
    CgCtx *ctx = lv->ctx;
    CgFunc *f = lv->f;
    CgCore *c = lv->c;
    CgIval *iv = c->ivals.data;
    CgRange *rs = c->ranges.data;
    uint32_t *utail = lv->utail;
    uint32_t nnodes = lv->nnodes;
    CgUsePos *U = c->uses.data;
    uint32_t nu = c->uses.len;
    uint32_t *order = c->order, norder = 0;
    uint32_t *bpos = c->block_of_pos;
    const CgInst *insts = f->insts.data;
    const CgOperand *opnds = f->opnds.data;
    const uint32_t *regs = f->regs.data;
    CgRegSet pinned = ctx->target->pinned, used = 0;
    uint32_t nb = f->blocks.len;
    uint32_t fopen[CG_NPREGS];  // open fixed range of a register in this block: index + 1
    memset(fopen, 0, sizeof(fopen));
    bool fixed_sorted = true;
    SK_VEC(CgFixedRange) fixed = {0};
    if (!SK_VEC_RESERVE_ARENA(&fixed, &ctx->arena, 64))
        return false;

    for (uint32_t b = 0; b < nb; b++) {
        const CgBlock *blk = &f->blocks.data[b];
        uint32_t P = blk->pos;
        CgRegSet opened = 0;
        bpos[P >> 1] = b;  // the entry; each instruction writes its own below
        for (uint32_t i = 0; i < blk->nparams; i++) {
            CgReg r = regs[blk->params + i];
            SK_ASSERT(r - CG_VREG_FIRST < c->nvregs && !c->ivals.data[r].start);
            define(&iv[r], rs, utail, r, P + 1, iv[r].hint);
            order[norder++] = r;
        }
        for (uint32_t i = blk->first, e = blk->first + blk->ninsts; i < e; i++) {
            const CgInst *in = &insts[i];
            const CgOperand *ops = opnds + in->ops;
            uint32_t q = 2 * (i + b + 1);
            uint32_t n = in->nops;
            bpos[q >> 1] = b;
            if (SK_UNLIKELY(in->flags & CG_INSTF_CALL)) {
                if (!SK_VEC_PUSH_ARENA(&c->calls, &ctx->arena, q + 1))
                    return false;
            }
            /* Copies accept spill slots on both sides: no use needs a register. */
            CgOperand any = in->op == CG_OP_PCOPY ? CG_OPF_ANY : 0;
            CgReg hint_def = 0, hint_use = 0;
            CgRegSet pdefs = 0;
            uint32_t nfixed = 0;
            for (uint32_t k = 0; k < n; k++) {
                CgOperand o = ops[k] | any;
                CgReg r = cg_opnd_reg(o);
                if (r < CG_VREG_FIRST) {
                    CgRegSet bit = CG_REGSET(r);
                    if (SK_UNLIKELY(o & CG_OPF_FIXED)) {
                        /* A pinned register passed to a call (the VM context). */
                        SK_ASSERT((pinned & bit) && !(o & CG_OPF_DEF));
                        nfixed++;
                        continue;
                    }
                    if (o & CG_OPF_DEF) {
                        used |= bit;
                        pdefs |= bit & ~pinned;  // after the reads of this instruction
                        continue;
                    }
                    if (pinned & bit)
                        continue;  // not allocated: no ranges
                    uint32_t to = o & CG_OPF_LATE ? q + 2 : q + 1;
                    uint32_t fo = fopen[r];
                    if (fo) {
                        if (fixed.data[fo - 1].to < to)
                            fixed.data[fo - 1].to = to;
                        continue;
                    }
                    /* Read without a definition in this block: from the entry. */
                    CgFixedRange fr = {P, to, r};
                    if (fixed.len && fixed.data[fixed.len - 1].from > P)
                        fixed_sorted = false;
                    if (!SK_VEC_PUSH_ARENA(&fixed, &ctx->arena, fr))
                        return false;
                    fopen[r] = fixed.len;
                    opened |= bit;
                    continue;
                }
                SK_ASSERT(r - CG_VREG_FIRST < c->nvregs);
                CgIval *x = &iv[r];
                if (SK_UNLIKELY(o & CG_OPF_FIXED)) {
                    /* Copied to or from its register around the call: any location. */
                    SK_ASSERT(in->flags & CG_INSTF_CALL);
                    CgReg fr = ops[n + nfixed++];
                    if (o & CG_OPF_DEF) {
                        SK_ASSERT(!x->start);
                        define(x, rs, utail, r, q + 1, 0);
                        order[norder++] = r;
                    } else {
                        read_at(lv, x, rs, &nnodes, r, b, P, q + 1);
                    }
                    if (!x->hint)
                        x->hint = fr;
                    continue;
                }
                if (o & CG_OPF_DEF) {
                    SK_ASSERT(!x->start);
                    define(x, rs, utail, r, q + 1, 0);
                    order[norder++] = r;
                    if (!(o & CG_OPF_ANY)) {
                        U[nu] = (CgUsePos){(q + 1) | CG_USE_REG, 0};
                        x->use = utail[r - CG_VREG_FIRST] = nu++;
                    }
                    if (o & CG_OPF_HINT) {
                        /* Two-address tie: prefer the first use marked HINT. */
                        for (uint32_t j = k + 1; j < n; j++) {
                            if ((ops[j] & (CG_OPF_USE | CG_OPF_HINT)) ==
                                (CG_OPF_USE | CG_OPF_HINT)) {
                                hint_def = r;
                                hint_use = cg_opnd_reg(ops[j]);
                                break;
                            }
                        }
                    }
                } else {
                    read_at(lv, x, rs, &nnodes, r, b, P, o & CG_OPF_LATE ? q + 2 : q + 1);
                    if (!(o & CG_OPF_ANY)) {
                        U[nu] = (CgUsePos){q | CG_USE_REG, 0};
                        uint32_t *t = &utail[r - CG_VREG_FIRST];
                        if (*t)
                            U[*t].next = nu;
                        else
                            x->use = nu;
                        *t = nu++;
                    }
                }
            }
            /* Physical definitions: a new range, or the open one when a read of this
             * instruction reaches the definition point. */
            for (; pdefs; pdefs &= pdefs - 1) {
                uint32_t r = (uint32_t)__builtin_ctzll(pdefs);
                uint32_t pos = q + 1, fo = fopen[r];
                if (fo && fixed.data[fo - 1].to >= pos) {
                    if (fixed.data[fo - 1].to < pos + 1)
                        fixed.data[fo - 1].to = pos + 1;
                    continue;
                }
                CgFixedRange fr = {pos, pos + 1, r};
                if (!SK_VEC_PUSH_ARENA(&fixed, &ctx->arena, fr))
                    return false;
                fopen[r] = fixed.len;
                opened |= CG_REGSET(r);
            }
            if (any) {
                /* Copy hints both ways; within one instruction the last write wins, so the
                 * writes are applied in reverse with "first wins". */
                uint32_t h = n / 2;
                for (uint32_t k = h; k-- > 0;) {
                    CgReg d = cg_opnd_reg(ops[k]), s = cg_opnd_reg(ops[h + k]);
                    hint_first(iv, s, d);
                    hint_first(iv, d, s);
                }
            } else if (hint_def) {
                hint_first(iv, hint_def, hint_use);
            }
        }
        /* Jump arguments: read (in any location) by the edge moves at the terminator. */
        if (blk->nargs) {
            uint32_t qt = 2 * (blk->first + blk->ninsts - 1 + b + 1);
            const CgBlock *sb = &f->blocks.data[f->blks.data[blk->succs]];
            SK_ASSERT(sb->nparams == blk->nargs);
            for (uint32_t i = 0; i < blk->nargs; i++) {
                CgReg a = regs[blk->args + i];
                SK_ASSERT(cg_reg_is_virt(a) && a - CG_VREG_FIRST < c->nvregs);
                read_at(lv, &iv[a], rs, &nnodes, a, b, P, qt + 1);
            }
            for (uint32_t i = blk->nargs; i-- > 0;) {
                CgReg a = regs[blk->args + i];
                CgReg p = regs[sb->params + i];
                hint_first(iv, p, a);
                hint_first(iv, a, p);
            }
        }
        for (; opened; opened &= opened - 1)
            fopen[__builtin_ctzll(opened)] = 0;
    }
    bpos[c->npos] = nb ? nb - 1 : 0;
    c->uses.len = nu;
    c->norder = norder;
    c->used_regs |= used;
    lv->nnodes = nnodes;

    if (!fixed_sorted) {
        /* Insertion sort: only blocks that read a physical register they did not define. */
        for (uint32_t i = 1; i < fixed.len; i++) {
            CgFixedRange t = fixed.data[i];
            uint32_t j = i;
            for (; j > 0 && fixed.data[j - 1].from > t.from; j--)
                fixed.data[j] = fixed.data[j - 1];
            fixed.data[j] = t;
        }
    }
    c->nfixed = fixed.len;
    c->fixed = fixed.data;
    for (uint32_t i = 0; i < fixed.len; i++) {
        c->fixed_regs |= CG_REGSET(fixed.data[i].reg);
        if (fixed.data[i].to - fixed.data[i].from > c->fixed_maxlen)
            c->fixed_maxlen = fixed.data[i].to - fixed.data[i].from;
    }
    return true;
}

/* Scratch of step 3: bit maps over the blocks, all clear between registers. */
typedef struct Explore {
    uint64_t *in;     // live-in blocks of the register being explored (visited)
    uint64_t *seed;   // blocks that read it (outside its defining block)
    uint32_t *last;   // end of the last read, for blocks that read it (valid where set)
    uint32_t *stack;  // blocks to visit
    const uint32_t *bstart;  // position of each block's entry, then the end position
    const uint32_t *preds;   // predecessors of block b: preds[pfirst[b] .. pfirst[b + 1])
    const uint32_t *pfirst;  // (CgFunc.blks re-packed in block order)
} Explore;

SK_INLINE bool
bit_test(const uint64_t *m, uint32_t i)
{
    return (m[i >> 6] >> (i & 63)) & 1;
}

SK_INLINE void
bit_set(uint64_t *m, uint32_t i)
{
    m[i >> 6] |= (uint64_t)1 << (i & 63);
}

/*
 * Step 3 for global register reg (x its interval, already holding everything but its
 * ranges beyond the first range slot): live-in blocks by path exploration from the blocks
 * that read it, then its ranges in block order, read off the bit maps between its defining
 * block and the last block reached (so the maps need no clearing beyond that span and the
 * blocks need no sorting).
 */
SK_INLINE bool
explore(Live *lv, Explore *e, CgIval *x, uint32_t d)
{
    CgCtx *ctx = lv->ctx;
    CgFunc *f = lv->f;
    CgCore *c = lv->c;
    uint32_t v = x->reg - CG_VREG_FIRST;
    const UseBlock *nodes = lv->nodes;
    const CgBlock *blocks = f->blocks.data;
    const uint32_t *blks = f->blks.data, *bstart = e->bstart;
    const uint32_t *preds = e->preds, *pfirst = e->pfirst;
    uint64_t *bin = e->in, *bseed = e->seed;
    uint32_t *stack = e->stack, *last = e->last;
    uint32_t sp = 0, hi = d, nvis = 0;
    for (uint32_t n = lv->node[v]; n; n = nodes[n].next) {
        uint32_t u = nodes[n].block;
        bit_set(bin, u);
        bit_set(bseed, u);
        last[u] = nodes[n].last;
        stack[sp++] = u;
        hi = u > hi ? u : hi;
    }
    bit_set(bin, d);  // the walk stops at the definition's block
    while (sp) {
        uint32_t xb = stack[--sp];
        /* Dominator-first layout: a block where the value is live-in follows its def. */
        SK_ASSERT(xb > d);
        nvis++;
        for (const uint32_t *pp = preds + pfirst[xb], *pe = preds + pfirst[xb + 1]; pp < pe;
             pp++) {
            uint32_t p = *pp;
            uint64_t *w = &bin[p >> 6], bit = (uint64_t)1 << (p & 63);
            if (!(*w & bit)) {
                *w |= bit;
                stack[sp++] = p;
                hi = p > hi ? p : hi;
            }
        }
    }
    bin[d >> 6] &= ~((uint64_t)1 << (d & 63));
    if (!SK_VEC_RESERVE_ARENA(&c->ranges, &ctx->arena, c->ranges.len + nvis + 1))
        return false;
    /* Every predecessor of a live-in block is live-out, so a visited block that does not
     * read the value is live-out, and so is the defining block; a reading block is if one
     * of its successors is live-in. Touching ranges merge; the open one stays in locals. */
    CgRange *rs = c->ranges.data;
    uint32_t tail = v + 1;  // its own slot: from the definition
    uint32_t from = x->start, to = bstart[d + 1];
    for (uint32_t w = (d + 1) >> 6, wend = hi >> 6; w <= wend; w++) {
        uint64_t in = bin[w], sd = bseed[w];
        for (uint64_t m = in; m; m &= m - 1) {
            uint32_t bit = (uint32_t)__builtin_ctzll(m), b = w * 64 + bit;
            uint32_t bf = bstart[b], bt = bstart[b + 1];
            if ((sd >> bit) & 1) {
                const CgBlock *bb = &blocks[b];
                bool out = false;
                for (uint32_t k = 0; k < bb->nsuccs && !out; k++)
                    out = bit_test(bin, blks[bb->succs + k]);
                if (!out)
                    bt = last[b];
            }
            if (bf <= to) {
                if (bt > to)
                    to = bt;
            } else {
                uint32_t n = c->ranges.len++;
                rs[tail] = (CgRange){from, to, n};
                tail = n;
                from = bf;
                to = bt;
            }
        }
    }
    rs[tail] = (CgRange){from, to, 0};
    /* The first word by hand: the loop becomes memset calls, costly for the usual one. */
    uint32_t w0 = (d + 1) >> 6;
    bin[w0] = bseed[w0] = 0;
    for (uint32_t w = w0 + 1, wend = hi >> 6; w <= wend; w++)
        bin[w] = bseed[w] = 0;
    bin[d >> 6] = 0;
    x->end = to;
    return true;
}

/* Globals whose reads reach this many blocks past their definition's block go through the
 * bit-set dataflow (wide()) rather than one path exploration each. */
#define WIDE_SPAN 16u
/* Passes after which wide() gives a batch back to path exploration (see there). */
#define WIDE_MAX_PASSES 24u

/* Scratch of wide(): one 64-bit word per block, bit j for register j of the batch. */
typedef struct Wide {
    uint64_t *gen;    // blocks that read register j (outside its defining block)
    uint64_t *kill;   // block defining register j
    uint64_t *in;     // live-in
    uint64_t *out;    // live-out
    uint32_t *last;   // end of register j's last read in a block (while j is built)
} Wide;

/*
 * Step 3 for up to 64 long-lived global registers at once (regs[0..n), as indices): the
 * classic backward dataflow in[b] = gen[b] | (out[b] & ~kill[b]), out[b] = union of the
 * successors' in, one bit per register, iterated to its fixed point in reverse layout order
 * over the blocks from the earliest definition on. For SSA it gives exactly the blocks path
 * exploration reaches (a block is live-in if a read is reachable from it without passing the
 * definition), for about one word operation per block and pass instead of a visit per block
 * and register. Ranges are then read off per register as in explore().
 */
static bool
wide(Live *lv, Explore *e, Wide *w, const uint32_t *regs, uint32_t n)
{
    CgCtx *ctx = lv->ctx;
    CgFunc *f = lv->f;
    CgCore *c = lv->c;
    CgIval *iv = c->ivals.data;
    const UseBlock *nodes = lv->nodes;
    const CgBlock *blocks = f->blocks.data;
    const uint32_t *blks = f->blks.data, *bstart = e->bstart, *bpos = c->block_of_pos;
    uint32_t nb = f->blocks.len, lo = nb;
    uint64_t *gen = w->gen, *kill = w->kill, *in = w->in, *out = w->out;
    for (uint32_t j = 0; j < n; j++) {
        uint32_t d = bpos[iv[CG_VREG_FIRST + regs[j]].start >> 1];
        lo = d < lo ? d : lo;
        kill[d] |= (uint64_t)1 << j;
        for (uint32_t k = lv->node[regs[j]]; k; k = nodes[k].next)
            gen[nodes[k].block] |= (uint64_t)1 << j;
    }
    /* Each pass (reverse layout order) carries liveness around one more level of back
     * edges, so a pass count beyond the loop nesting of real code means a pathological CFG:
     * then the batch goes to path exploration, whose cost is bounded by its result. */
    uint32_t passes = 0;
    for (bool changed = true; changed; passes++) {
        if (SK_UNLIKELY(passes == WIDE_MAX_PASSES)) {
            for (uint32_t b = lo; b < nb; b++)
                gen[b] = kill[b] = in[b] = out[b] = 0;
            for (uint32_t j = 0; j < n; j++) {
                CgIval *x = &iv[CG_VREG_FIRST + regs[j]];
                if (!explore(lv, e, x, bpos[x->start >> 1]))
                    return false;
            }
            return true;
        }
        changed = false;
        for (uint32_t b = nb; b-- > lo;) {
            const CgBlock *bb = &blocks[b];
            uint64_t o = 0;
            for (uint32_t k = 0; k < bb->nsuccs; k++) {
                uint32_t s = blks[bb->succs + k];
                if (s >= lo)
                    o |= in[s];
            }
            uint64_t x = gen[b] | (o & ~kill[b]);
            out[b] = o;
            if (x != in[b]) {
                in[b] = x;
                changed = true;
            }
        }
    }
    /* hi[j]: the last block where register j is live-in; out[] becomes the reading blocks
     * a register does not leave alive (its range there ends at its last read). */
    uint32_t hi[64];
    uint64_t seen = 0, all = n == 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1;
    for (uint32_t b = lo; b < nb; b++)
        out[b] = gen[b] & ~out[b];
    for (uint32_t b = nb; b-- > lo && seen != all;) {
        for (uint64_t m = in[b] & ~seen; m; m &= m - 1)
            hi[__builtin_ctzll(m)] = b;
        seen |= in[b];
    }
    for (uint32_t j = 0; j < n; j++) {
        uint32_t v = regs[j];
        CgIval *x = &iv[CG_VREG_FIRST + v];
        uint32_t d = bpos[x->start >> 1], hj = (seen >> j) & 1 ? hi[j] : d;
        for (uint32_t k = lv->node[v]; k; k = nodes[k].next)
            w->last[nodes[k].block] = nodes[k].last;
        if (!SK_VEC_RESERVE_ARENA(&c->ranges, &ctx->arena, c->ranges.len + (hj - d) + 1))
            return false;
        CgRange *rs = c->ranges.data;
        uint32_t tail = v + 1;  // its own slot: from the definition
        uint32_t from = x->start, to = bstart[d + 1];
        for (uint32_t b = d + 1; b <= hj; b++) {
            if (!((in[b] >> j) & 1))
                continue;
            uint32_t bf = bstart[b], bt = bstart[b + 1];
            if ((out[b] >> j) & 1)
                bt = w->last[b];  // a reading block the value does not leave alive
            if (bf <= to) {
                if (bt > to)
                    to = bt;
            } else {
                uint32_t r = c->ranges.len++;
                rs[tail] = (CgRange){from, to, r};
                tail = r;
                from = bf;
                to = bt;
            }
        }
        rs[tail] = (CgRange){from, to, 0};
        x->end = to;
    }
    for (uint32_t b = lo; b < nb; b++)
        gen[b] = kill[b] = in[b] = out[b] = 0;
    return true;
}

bool
cg_live_build(CgCtx *ctx)
{
    CgFunc *f = &ctx->func;
    CgCore *c = ctx->core;
    uint32_t nv = f->vtypes.len, nb = f->blocks.len;
    c->nvregs = nv;
    c->npos = f->insts.len + nb;

    Live lv_s = {0};
    Live *lv = &lv_s;
    lv->ctx = ctx;
    lv->c = c;
    lv->f = f;
    SkArena *A = &ctx->arena;
    /* Reads in other blocks than the definition's: at most one node per operand and
     * argument. Use records: at most one per operand. */
    size_t maxnodes = (size_t)f->opnds.len + f->regs.len + 1;
    c->block_of_pos = sk_arena_alloc(A, ((size_t)c->npos + 1) * sizeof(uint32_t));
    c->order = sk_arena_alloc(A, ((size_t)nv + 1) * sizeof(uint32_t));
    lv->node = sk_arena_calloc(A, (size_t)nv + 1, sizeof(uint32_t));
    lv->utail = sk_arena_alloc(A, ((size_t)nv + 1) * sizeof(uint32_t));
    lv->globals = sk_arena_alloc(A, ((size_t)nv + 1) * sizeof(uint32_t));
    lv->nodes = sk_arena_alloc(A, maxnodes * sizeof(UseBlock));
    if (!c->block_of_pos || !c->order || !lv->node || !lv->utail || !lv->globals || !lv->nodes)
        return false;
    lv->nnodes = 1;  // index 0 means "none"

    /* Index 0 of every pool means "none". Range slots 1 .. nv are the first ranges of the
     * virtual registers (slot v + 1 for register CG_VREG_FIRST + v), written as they are
     * defined. Intervals start zeroed; the first CG_VREG_FIRST are never used, split
     * children come after the registers. */
    size_t nivals = (size_t)CG_VREG_FIRST + nv;
    if (!SK_VEC_RESERVE_ARENA(&c->ranges, A, nv + nv / 2 + 64) ||
        !SK_VEC_RESERVE_ARENA(&c->uses, A, f->opnds.len + 16) ||
        !SK_VEC_RESERVE_ARENA(&c->ivals, A, (uint32_t)(nivals + nv / 4 + 16)))
        return false;
    c->ranges.data[0] = (CgRange){0, 0, 0};
    c->ranges.len = nv + 1;
    c->uses.data[0] = (CgUsePos){0, 0};
    c->uses.len = 1;
    /* Intervals are written whole at their definition; only what the walk reads before a
     * definition (start, to check there is none; a parameter's hint) needs zeroing. The
     * physical registers' entries are never read. */
    CgIval *iv = c->ivals.data;
    for (uint32_t v = 0; v < nv; v++)
        iv[CG_VREG_FIRST + v].start = 0;
    for (uint32_t b = 0; b < nb; b++) {
        const CgBlock *blk = &f->blocks.data[b];
        for (uint32_t i = 0; i < blk->nparams; i++)
            iv[f->regs.data[blk->params + i]].hint = 0;
    }
    c->ivals.len = (uint32_t)nivals;
    for (uint32_t b = 0; b < nb; b++) {
        CgBlock *blk = &f->blocks.data[b];
        blk->pos = 2 * (blk->first + b);
    }

    if (!scan(lv))
        return false;
    if (!lv->nglobals)
        return true;

    Explore e = {0};
    size_t words = (size_t)nb / 64 + 1;
    e.in = sk_arena_calloc(A, words, sizeof(uint64_t));
    e.seed = sk_arena_calloc(A, words, sizeof(uint64_t));
    e.last = sk_arena_alloc(A, (size_t)nb * sizeof(uint32_t));
    e.stack = sk_arena_alloc(A, (size_t)nb * sizeof(uint32_t));
    uint32_t *bstart = sk_arena_alloc(A, ((size_t)nb + 1) * sizeof(uint32_t));
    if (!e.in || !e.seed || !e.last || !e.stack || !bstart)
        return false;
    uint32_t *pfirst = sk_arena_alloc(A, ((size_t)nb + 1) * sizeof(uint32_t));
    uint32_t *preds = sk_arena_alloc(A, ((size_t)f->blks.len + 1) * sizeof(uint32_t));
    if (!pfirst || !preds)
        return false;
    uint32_t np = 0;
    for (uint32_t b = 0; b < nb; b++) {
        const CgBlock *blk = &f->blocks.data[b];
        bstart[b] = blk->pos;
        pfirst[b] = np;
        for (uint32_t i = 0; i < blk->npreds; i++)
            preds[np++] = f->blks.data[blk->preds + i];
    }
    bstart[nb] = 2 * c->npos;
    pfirst[nb] = np;
    e.bstart = bstart;
    e.preds = preds;
    e.pfirst = pfirst;

    /* Step 3: the ranges of the global registers (step 2, the locals, is done: their
     * single range was kept up to date by the walk). Those read far from their definition
     * (the latest read block, the head of their node list, is WIDE_SPAN blocks or more
     * past it) go through the dataflow in batches of 64, the others are explored one by
     * one. */
    const uint32_t *bpos = c->block_of_pos;
    uint32_t batch[64], nbatch = 0;
    Wide w = {0};
    for (uint32_t k = 0; k < lv->nglobals; k++) {
        uint32_t v = lv->globals[k];
        CgIval *x = &iv[CG_VREG_FIRST + v];
        uint32_t d = bpos[x->start >> 1];
        if (lv->nodes[lv->node[v]].block < d + WIDE_SPAN) {
            if (!explore(lv, &e, x, d))
                return false;
            continue;
        }
        if (!w.gen) {
            w.gen = sk_arena_calloc(A, 4 * (size_t)nb, sizeof(uint64_t));
            w.last = sk_arena_alloc(A, (size_t)nb * sizeof(uint32_t));
            if (!w.gen || !w.last)
                return false;
            w.kill = w.gen + nb;
            w.in = w.kill + nb;
            w.out = w.in + nb;
        }
        batch[nbatch++] = v;
        if (nbatch == 64) {
            if (!wide(lv, &e, &w, batch, nbatch))
                return false;
            nbatch = 0;
        }
    }
    return !nbatch || wide(lv, &e, &w, batch, nbatch);
}
