/*
 * Dead-code elimination, in four linear steps:
 *   1. branches on constants become jumps (BRANCH on a constant, BRANCH with equal targets,
 *      BR_TABLE on a constant index); their targets take no parameters, so no arguments;
 *   2. blocks no longer reachable from the entry are removed (IR_BLOCKF_REMOVED, their
 *      instructions NOP); nothing reachable can use their values, by dominance;
 *   3. liveness with use counting, then the sweep ("aggressive" DCE, as in Cytron et al.
 *      1991, section 7.1, without the control-dependence part): roots are the instructions
 *      with an effect (SIDE or TRAP) and the operands of terminators other than JUMP; a live
 *      instruction makes its operands live, and a live block parameter makes the matching
 *      argument of every JUMP into its block live. Unlike counting uses alone, this also
 *      deletes cycles through loop parameters that nothing outside the cycle reads (a local
 *      that a loop updates but nothing ever reads). Marking and counting are one thing
 *      here: uses[v] counts the uses of v by live instructions and live parameters only, so
 *      "v is live" is "v is a root or uses[v] > 0", and the counts left at the end are the
 *      ones the backend wants. See mark_and_count for the single backward scan;
 *   4. jump threading: a block left with no instruction, no parameter and a JUMP without
 *      arguments (an if arm that only falls through, a block emptied by step 3) is bypassed:
 *      every branch to it goes to its target (which then takes no parameters either), and
 *      it is removed. Step 3 lists the candidates, so a function without any skips it.
 * Steps 1 and 2 are skipped when the translator's flags say there is nothing to do.
 */
#include <string.h>

#include "ir/ir_internal.h"

/*
 * Per operation, what marking and sweeping need in one byte (from ops.def): bits 0-1: inline
 * value operands (0..3); VARARGS: more in the pool; ROOT: TRAP or SIDE (always live); PARAM;
 * SKIP: NOP and NONE (never live, never swept again).
 */
#define SHAPE_NARGS 3u
#define SHAPE_VARARGS 4u
#define SHAPE_ROOT 8u
#define SHAPE_PARAM 16u
#define SHAPE_SKIP 32u
static const uint8_t op_shape[IR_OP_COUNT] = {
#define IR_OP(name, text, res, args, ctrl, imm, flags)                                         \
    (uint8_t)((sizeof(args) - 1) | ((IR_OPK_##flags & IR_OPF_VARARGS) ? SHAPE_VARARGS : 0) |  \
              ((IR_OPK_##flags & (IR_OPF_TRAP | IR_OPF_SIDE)) ? SHAPE_ROOT : 0) |            \
              (IR_OP_##name == IR_OP_PARAM ? SHAPE_PARAM : 0) |                             \
              (IR_OP_##name == IR_OP_NOP || IR_OP_##name == IR_OP_NONE ? SHAPE_SKIP : 0)),
#include "ir/ops.def"
#undef IR_OP
};

/* Per operation, the masks that keep its value operand slots (a[k] for k < nargs) and clear
 * the others (immediates), so the scan reads operands without a branch on the arity; and
 * its shape again, so that the scan finds both in one 16-byte row. */
typedef struct OpMasks {
    uint32_t m[3];
    uint32_t shape;
} OpMasks;
static const OpMasks op_masks[IR_OP_COUNT] = {
#define IR_OP(name, text, res, args, ctrl, imm, flags)                                         \
    {{sizeof(args) - 1 > 0 ? ~0u : 0u, sizeof(args) - 1 > 1 ? ~0u : 0u,                      \
      sizeof(args) - 1 > 2 ? ~0u : 0u},                                                      \
     (uint32_t)((sizeof(args) - 1) | ((IR_OPK_##flags & IR_OPF_VARARGS) ? SHAPE_VARARGS : 0) | \
                ((IR_OPK_##flags & (IR_OPF_TRAP | IR_OPF_SIDE)) ? SHAPE_ROOT : 0) |          \
                (IR_OP_##name == IR_OP_PARAM ? SHAPE_PARAM : 0) |                           \
                (IR_OP_##name == IR_OP_NOP || IR_OP_##name == IR_OP_NONE ? SHAPE_SKIP : 0))},
#include "ir/ops.def"
#undef IR_OP
};

static inline void
make_nop(IrInstData *in)
{
    memset(in, 0, sizeof(*in));
    in->op = IR_OP_NOP;
}

/* Step 1: fold branches whose direction is known. */
void
ir_dce_fold_branches(IrFunc *f)
{
    if (f->flags & IR_FUNCF_BRANCHES_FOLDED)
        return;
    bool changed = false;
    for (uint32_t b = 1; b < f->blocks.len; b++) {
        IrBlockData *bd = &f->blocks.data[b];
        IrTerm *t = &bd->term;
        if (t->kind != IR_TERM_BRANCH && t->kind != IR_TERM_BR_TABLE)
            continue;
        if (bd->flags & IR_BLOCKF_REMOVED)
            continue;
        uint64_t c;
        uint32_t target = 0;
        if (t->kind == IR_TERM_BRANCH) {
            if (t->target == t->target2)
                target = t->target;
            else if (ir_value_is_const(f, (IrValue){t->value}, &c))
                target = (c & 0xffffffffu) ? t->target : t->target2;
        } else if (ir_value_is_const(f, (IrValue){t->value}, &c)) {
            c &= 0xffffffffu;
            target = c < t->nlist ? f->pool.data[t->list + c] : t->target;
        }
        if (target) {
            memset(t, 0, sizeof(*t));
            t->kind = IR_TERM_JUMP;
            t->target = target;
            changed = true;
        }
    }
    if (changed)
        f->flags &= ~(uint32_t)IR_FUNCF_ALL_REACHABLE;
}

/* Step 2: removes the blocks not reachable from the entry. */
bool
ir_dce_remove_unreachable(IrFunc *f)
{
    if (f->flags & IR_FUNCF_ALL_REACHABLE)
        return true;
    IrCfg cfg;
    if (!ir_cfg_compute(f, f->arena, false, &cfg))
        return false;
    for (uint32_t b = 2; b < f->blocks.len; b++) {
        IrBlockData *bd = &f->blocks.data[b];
        if (cfg.rpo_index[b] != UINT32_MAX || (bd->flags & IR_BLOCKF_REMOVED))
            continue;
        for (uint32_t id = bd->first; id < bd->end; id++)
            make_nop(&f->insts.data[id]);
        bd->nparams = 0;
        memset(&bd->term, 0, sizeof(bd->term));
        bd->flags |= IR_BLOCKF_REMOVED;
    }
    f->flags |= IR_FUNCF_ALL_REACHABLE;
    return true;
}

/* ---- step 3: liveness and use counts ----------------------------------------------------- */

/*
 * The state of one marking. jhead/jnext link the JUMPs with arguments into per-target lists
 * (a block has one terminator, so one `next` per block): jhead[t] is the first block whose
 * JUMP passes arguments to t, jnext[b] the next one after b.
 */
typedef struct Marker {
    IrFunc *f;
    uint32_t *uses;   // per value: uses by live instructions and live parameters
    uint32_t *jhead;  // per block
    uint32_t *jnext;  // per block
    uint32_t *work;   // values that became live after the scan had passed them
    uint32_t nwork;
} Marker;

/* Counts one use of v by a live user; `pos` is the scan position (every id above it has
 * been scanned; 0 once the scan is over). A value that the scan already judged dead and
 * that now gets its first use goes to the worklist, to make its own operands live. */
SK_INLINE void
use_at(Marker *m, uint32_t v, uint32_t pos)
{
    if (m->uses[v]++ == 0 && (v > pos || pos == 0) &&
        !(op_shape[m->f->insts.data[v].op] & (SHAPE_ROOT | SHAPE_SKIP)))
        m->work[m->nwork++] = v;
}

/* Counts the uses made by live instruction `id` (for a parameter: the matching argument of
 * every JUMP into its block), at scan position pos. */
static void
use_operands(Marker *m, uint32_t id, uint32_t pos)
{
    const IrInstData *in = &m->f->insts.data[id];
    const uint32_t *pool = m->f->pool.data;
    uint32_t shape = op_shape[in->op];
    uint32_t n = shape & SHAPE_NARGS;
    for (uint32_t k = 0; k < n; k++)
        use_at(m, in->a[k], pos);
    if (shape & SHAPE_VARARGS) {
        for (uint32_t k = 0; k < in->a[2]; k++)
            use_at(m, pool[in->a[1] + k], pos);
    } else if (shape & SHAPE_PARAM) {
        uint32_t k = (uint32_t)in->imm;
        const IrBlockData *blocks = m->f->blocks.data;
        for (uint32_t j = m->jhead[in->a[0]]; j; j = m->jnext[j])
            use_at(m, pool[blocks[j].term.list + k], pos);
    }
}

/*
 * Liveness and use counts in one backward scan over the instructions. Operands are defined
 * before their users (an instruction can only name values that existed when it was
 * emitted), so when the scan reaches a value every use of it by a later instruction has
 * been counted and uses[v] > 0 says it is live. The exceptions are arguments of back edges
 * into loop headers: they are counted when the header's parameter turns out live, after
 * the scan passed them; a value that gains its first use that way goes through the
 * worklist. Values the scan judges dead are collected in `dead` (a candidate list: a later
 * use can still revive them). The common path has no data-dependent branch but "is this
 * one live": absent operand slots count into uses[0], a dummy cleared at the end.
 * Returns the number of candidates in dead[].
 */
SK_INLINE uint32_t
mark_and_count_body(Marker *m, uint32_t *dead, bool checked)
{
    IrFunc *f = m->f;
    const IrInstData *insts = f->insts.data;
    uint32_t *uses = m->uses;
    uint32_t ndead = 0;
    for (uint32_t id = f->insts.len; id-- > 1;) {
        const IrInstData *in = &insts[id];
        const OpMasks *mk = &op_masks[in->op];
        uint32_t shape = mk->shape;
        if (!(uses[id] | (shape & SHAPE_ROOT))) {
            if (!(shape & SHAPE_SKIP))
                dead[ndead++] = id;
            continue;
        }
        /* The operand slots past the op's arity read as 0 (masks, not branches: the arity
         * changes from one instruction to the next). */
        uint32_t a0 = in->a[0] & mk->m[0], a1 = in->a[1] & mk->m[1], a2 = in->a[2] & mk->m[2];
        bool later = checked && ((a0 > id) | (a1 > id) | (a2 > id));
        if (SK_UNLIKELY((shape & (SHAPE_VARARGS | SHAPE_PARAM)) || later)) {
            if (!checked && (shape & SHAPE_VARARGS)) {
                /* A call: its operands are earlier values (IR_FUNCF_DEFS_FIRST). */
                const uint32_t *args = &f->pool.data[in->a[1]];
                uses[a0]++;
                for (uint32_t k = 0; k < in->a[2]; k++)
                    uses[args[k]]++;
                continue;
            }
            if (shape & SHAPE_PARAM) {
                /* The matching argument of every JUMP into its block (none for the entry's:
                 * function parameters). */
                const uint32_t *pool = f->pool.data;
                const IrBlockData *blocks = f->blocks.data;
                uint32_t k = (uint32_t)in->imm;
                for (uint32_t j = m->jhead[in->a[0]]; j; j = m->jnext[j])
                    use_at(m, pool[blocks[j].term.list + k], id);
                continue;
            }
            use_operands(m, id, id);
            continue;
        }
        uses[a0]++;
        uses[a1]++;
        uses[a2]++;
    }
    uses[0] = 0;
    while (m->nwork)
        use_operands(m, m->work[--m->nwork], 0);
    uses[0] = 0;
    return ndead;
}

/* mark_and_count_body, specialized: with IR_FUNCF_DEFS_FIRST no operand names a later
 * value, so the scan does not check for one. */
static uint32_t
mark_and_count(Marker *m, uint32_t *dead)
{
    if (m->f->flags & IR_FUNCF_DEFS_FIRST)
        return mark_and_count_body(m, dead, false);
    return mark_and_count_body(m, dead, true);
}

/* Drops the dead parameters of block b from its list and from every JUMP into it. `live` is
 * scratch for one byte per parameter. The compactions keep or drop without a branch. */
static void
sweep_params(Marker *m, uint32_t b, uint8_t *live)
{
    IrFunc *f = m->f;
    IrBlockData *bd = &f->blocks.data[b];
    uint32_t *pool = f->pool.data;
    const uint32_t *uses = m->uses;
    uint32_t keep = 0;
    for (uint32_t k = 0; k < bd->nparams; k++) {
        uint32_t p = pool[bd->params + k];
        live[k] = uses[p] != 0;
        if (!live[k]) {
            make_nop(&f->insts.data[p]);
            continue;
        }
        f->insts.data[p].imm = keep;
        pool[bd->params + keep++] = p;
    }
    for (uint32_t j = m->jhead[b]; j; j = m->jnext[j]) {
        IrTerm *t = &f->blocks.data[j].term;
        uint32_t *list = &pool[t->list], n = 0;
        for (uint32_t k = 0; k < t->nlist; k++) {
            list[n] = list[k];
            n += live[k];
        }
        t->nlist = n;
    }
    bd->nparams = keep;
}

bool
ir_dce_mark_sweep(IrFunc *f, bool count_uses, IrDce *out)
{
    SK_ASSERT(f->flags & IR_FUNCF_ALL_REACHABLE);
    uint32_t ninsts = f->insts.len, nblocks = f->blocks.len;
    Marker m;
    m.f = f;
    m.nwork = 0;
    /* Two allocations: the zeroed arrays (uses, jhead), then the others. */
    uint32_t *zeroed = sk_arena_calloc(f->arena, (size_t)ninsts + nblocks, sizeof(uint32_t));
    uint32_t *rest = sk_arena_alloc(f->arena, (2 * (size_t)ninsts + 2 * (size_t)nblocks) *
                                                  sizeof(uint32_t));
    if (!zeroed || !rest)
        return false;
    m.uses = zeroed;
    m.jhead = zeroed + ninsts;
    m.work = rest;
    uint32_t *dead = rest + ninsts;
    m.jnext = rest + 2 * (size_t)ninsts;
    uint32_t *cands = m.jnext + nblocks;

    /* Roots outside the instructions (operands of terminators other than JUMP), the lists
     * of JUMPs into each block with parameters, and the blocks that may be forwarders. */
    IrBlockData *blocks = f->blocks.data;
    const uint32_t *pool = f->pool.data;
    uint32_t *uses = m.uses;
    uint32_t ncands = 0;
    for (uint32_t b = 1; b < nblocks; b++) {
        const IrTerm *t = &blocks[b].term;
        switch (t->kind) {
        case IR_TERM_JUMP:
            if (t->nlist) {
                m.jnext[b] = m.jhead[t->target];
                m.jhead[t->target] = b;
            }
            if (b != IR_ENTRY_BLOCK.id)
                cands[ncands++] = b;  // may lose its instructions, parameters, arguments
            break;
        case IR_TERM_BRANCH:
        case IR_TERM_BR_TABLE:
            uses[t->value]++;
            break;
        case IR_TERM_RETURN:
            for (uint32_t k = 0; k < t->nlist; k++)
                uses[pool[t->list + k]]++;
            break;
        default:
            break;
        }
    }
    uint32_t ndead = mark_and_count(&m, dead);

    /* Sweep: the candidates still unused are dead. Parameters leave their block (the
     * function's own parameters stay); the blocks that lose some are compacted once. */
    IrInstData *insts = f->insts.data;
    uint32_t nswept = 0;
    for (uint32_t i = 0; i < ndead; i++) {
        uint32_t id = dead[i];
        if (uses[id])
            continue;  // revived by a back edge
        IrInstData *in = &insts[id];
        if (in->op == IR_OP_PARAM) {
            uint32_t b = in->a[0];
            if (b == IR_ENTRY_BLOCK.id || (blocks[b].flags & IR_BLOCKF_SWEEP))
                continue;
            blocks[b].flags |= IR_BLOCKF_SWEEP;
            dead[nswept++] = b;  // reuse: entries before i are no longer read
        } else {
            make_nop(in);
        }
    }
    uint8_t *live = NULL;
    uint32_t live_cap = 0;
    for (uint32_t i = 0; i < nswept; i++) {
        uint32_t b = dead[i];
        blocks[b].flags &= ~(uint32_t)IR_BLOCKF_SWEEP;
        if (blocks[b].nparams > live_cap) {
            live_cap = blocks[b].nparams;
            live = sk_arena_alloc_aligned(f->arena, live_cap, 1);
            if (!live)
                return false;
        }
        sweep_params(&m, b, live);
    }
    if (count_uses) {
        f->uses = uses;
    }
    if (out) {
        out->cands = cands;
        out->ncands = ncands;
    }
    return true;
}

/* ---- step 4: jump threading -------------------------------------------------------------- */

/* True if block b is a pure forwarder: no parameters, no live instruction, and a JUMP
 * without arguments. Its predecessors can target its target directly. */
static bool
is_forwarder(const IrFunc *f, uint32_t b)
{
    const IrBlockData *bd = &f->blocks.data[b];
    if (b == IR_ENTRY_BLOCK.id || bd->nparams || bd->term.kind != IR_TERM_JUMP ||
        bd->term.nlist || (bd->flags & IR_BLOCKF_REMOVED))
        return false;
    for (uint32_t id = bd->first; id < bd->end; id++)
        if (f->insts.data[id].op != IR_OP_NOP)
            return false;
    return true;
}

void
ir_dce_thread_jumps(IrFunc *f, const IrDce *d)
{
    uint32_t nblocks = f->blocks.len;
    IrBlockData *blocks = f->blocks.data;
    uint32_t ncands = d ? d->ncands : nblocks;
    uint32_t *list = sk_arena_alloc(f->arena, (size_t)ncands * sizeof(uint32_t) + 4);
    if (!list)
        return;  // an optimization only: skip it without memory
    uint32_t nfwd = 0;
    for (uint32_t i = 0; i < ncands; i++) {
        uint32_t b = d ? d->cands[i] : i;
        if (b && is_forwarder(f, b))
            list[nfwd++] = b;
    }
    if (!nfwd)
        return;
    /* fwd[b]: the final target of forwarder b, 0 for a block that stays. Each forwarder is
     * visited once (state: 0 unseen, 1 on the current walk, 2 resolved). A walk that meets
     * itself is a cycle of forwarders (an empty infinite loop): the blocks of that walk
     * stay. */
    uint32_t *fwd = sk_arena_calloc(f->arena, nblocks, sizeof(uint32_t));
    uint8_t *state = sk_arena_calloc(f->arena, nblocks, 1);
    uint32_t *path = sk_arena_alloc(f->arena, (size_t)nfwd * sizeof(uint32_t));
    if (!fwd || !state || !path)
        return;
    for (uint32_t i = 0; i < nfwd; i++) {
        uint32_t b = list[i], target = blocks[b].term.target;
        fwd[b] = target != b ? target : 0;  // a block jumping to itself stays
    }
    for (uint32_t i = 0; i < nfwd; i++) {
        uint32_t n = 0, u = list[i];
        while (fwd[u] && state[u] == 0) {
            state[u] = 1;
            path[n++] = u;
            u = fwd[u];
        }
        uint32_t final = state[u] == 1 ? 0 : fwd[u] ? fwd[u] : u;  // 0: a cycle
        for (uint32_t k = 0; k < n; k++) {
            fwd[path[k]] = final;
            state[path[k]] = 2;
        }
    }
    /* Point every terminator past the forwarders; the forwarders fall out. */
    uint32_t *pool = f->pool.data;
#define FWD(x) (fwd[x] ? fwd[x] : (x))
    for (uint32_t b = 1; b < nblocks; b++) {
        IrTerm *t = &blocks[b].term;
        switch (t->kind) {
        case IR_TERM_JUMP:
            if (!fwd[b])
                t->target = FWD(t->target);
            break;
        case IR_TERM_BRANCH:
            t->target = FWD(t->target);
            t->target2 = FWD(t->target2);
            if (t->target == t->target2) {
                if (f->uses)
                    f->uses[t->value]--;
                uint32_t target = t->target;
                memset(t, 0, sizeof(*t));
                t->kind = IR_TERM_JUMP;
                t->target = target;
            }
            break;
        case IR_TERM_BR_TABLE:
            t->target = FWD(t->target);
            for (uint32_t k = 0; k < t->nlist; k++)
                pool[t->list + k] = FWD(pool[t->list + k]);
            break;
        default:
            break;
        }
    }
#undef FWD
    for (uint32_t i = 0; i < nfwd; i++) {
        uint32_t b = list[i];
        if (fwd[b]) {
            memset(&blocks[b].term, 0, sizeof(blocks[b].term));
            blocks[b].flags |= IR_BLOCKF_REMOVED;
        }
    }
}

bool
ir_pass_dce(IrFunc *f)
{
    ir_dce_fold_branches(f);
    IrDce d;
    if (!ir_dce_remove_unreachable(f) || !ir_dce_mark_sweep(f, false, &d))
        return false;
    ir_dce_thread_jumps(f, &d);
    return true;
}
