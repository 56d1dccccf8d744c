/*
 * Dead-code elimination, in three linear steps:
 *   1. branches on constants become jumps (BRANCH on a constant, BRANCH with equal targets,
 *      BR_TABLE on a constant index); their targets take no parameters, so no arguments;
 *   2. blocks no longer reachable from the entry are removed (IR_BLOCKF_REMOVED, their
 *      instructions NOP); nothing reachable can use their values, by dominance;
 *   3. mark and sweep ("aggressive" DCE, as in Cytron et al. 1991, section 7.1, without the
 *      control-dependence part): roots are the instructions with an effect (SIDE or TRAP)
 *      and the operands of terminators other than JUMP; marking an instruction marks its
 *      operands, and marking a block parameter marks the matching argument of every JUMP into
 *      its block. Everything unmarked is deleted: instructions become NOPs, parameters leave
 *      their block's list and their arguments leave every JUMP. Unlike counting uses, this
 *      also deletes cycles through loop parameters that nothing outside the cycle reads
 *      (a local that a loop updates but nothing ever reads). Marking is one reverse scan
 *      plus a short worklist (see mark_live); the sweep counts the survivors' uses;
 *   4. jump threading: a block left with no instruction, no parameter and a JUMP without
 *      arguments (an if arm that only falls through, a block emptied by step 3) is bypassed:
 *      every branch to it goes to its target (which then takes no parameters either), and
 *      it is removed.
 */
#include <string.h>

#include "ir/ir_internal.h"

/*
 * Per operation, what marking and sweeping need in one byte (from ops.def):
 *   bits 0-1: inline value operands (0..3); bit 2: VARARGS; bit 3: a root (TRAP or SIDE).
 */
#define SHAPE_NARGS 3u
#define SHAPE_VARARGS 4u
#define SHAPE_ROOT 8u
#define SHAPE_PARAM 16u
static const uint8_t op_shape[IR_OP_COUNT] = {
#define IR_OP(name, text, res, args, ctrl, imm, flags)                                         \
    (uint8_t)((sizeof(args) - 1) | ((IR_OPK_##flags & IR_OPF_VARARGS) ? SHAPE_VARARGS : 0) |  \
              ((IR_OPK_##flags & (IR_OPF_TRAP | IR_OPF_SIDE)) ? SHAPE_ROOT : 0) |            \
              (IR_OP_##name == IR_OP_PARAM ? SHAPE_PARAM : 0)),
#include "ir/ops.def"
#undef IR_OP
};

static void
make_nop(IrInstData *in)
{
    memset(in, 0, sizeof(*in));
    in->op = IR_OP_NOP;
}

/* Step 1: fold branches whose direction is known. */
void
ir_dce_fold_branches(IrFunc *f)
{
    bool changed = false;
    for (uint32_t b = 1; b < f->blocks.len; b++) {
        IrBlockData *bd = &f->blocks.data[b];
        IrTerm *t = &bd->term;
        if (bd->flags & IR_BLOCKF_REMOVED)
            continue;
        uint64_t c;
        uint32_t target = 0;
        if (t->kind == IR_TERM_BRANCH) {
            if (t->target == t->target2)
                target = t->target;
            else if (ir_value_is_const(f, (IrValue){t->value}, &c))
                target = (c & 0xffffffffu) ? t->target : t->target2;
        } else if (t->kind == IR_TERM_BR_TABLE &&
                   ir_value_is_const(f, (IrValue){t->value}, &c)) {
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

typedef struct Marker {
    IrFunc *f;
    const IrJumpPreds *preds;
    uint8_t *live;
    uint32_t *stack;
    uint32_t sp;
} Marker;

/* Marks v live; pushes it for propagation if the reverse scan has already passed it (its
 * id is above `pos`; pos 0 means the scan is over, so always push). */
SK_INLINE void
mark_at(Marker *m, uint32_t v, uint32_t pos)
{
    if (!m->live[v]) {
        m->live[v] = 1;
        if (v > pos || pos == 0)
            m->stack[m->sp++] = v;
    }
}

/* Marks the operands of live instruction `id` (for a parameter: the matching argument of
 * every JUMP into its block), relative to scan position pos. */
SK_INLINE void
mark_operands(Marker *m, uint32_t id, uint32_t pos)
{
    const IrInstData *in = &m->f->insts.data[id];
    const uint32_t *pool = m->f->pool.data;
    uint32_t shape = op_shape[in->op];
    uint32_t n = shape & SHAPE_NARGS;
    if (n) {
        mark_at(m, in->a[0], pos);
        if (n > 1) {
            mark_at(m, in->a[1], pos);
            if (n > 2)
                mark_at(m, in->a[2], pos);
        }
    }
    if (SK_UNLIKELY(shape & SHAPE_VARARGS)) {
        for (uint32_t k = 0; k < in->a[2]; k++)
            mark_at(m, pool[in->a[1] + k], pos);
    } else if (in->op == IR_OP_PARAM) {
        uint32_t b = in->a[0], k = (uint32_t)in->imm;
        if (b == IR_ENTRY_BLOCK.id)
            return;
        for (uint32_t e = m->preds->start[b]; e < m->preds->start[b + 1]; e++) {
            const IrTerm *t = &m->f->blocks.data[m->preds->list[e]].term;
            mark_at(m, pool[t->list + k], pos);
        }
    }
}

/*
 * Marks everything live. Operands are defined before their users (an instruction can only
 * name values that existed when it was emitted), so one scan from the last instruction to
 * the first settles almost everything: a live instruction marks its operands, which the
 * scan reaches later. Only values marked after the scan passed them (arguments of back
 * edges into loop headers, found when a header parameter turns out live) go through the
 * stack afterwards. The common path has no data-dependent branch but "is this one live":
 * absent operand slots select index 0 (a dummy), and live[0] is cleared at the end.
 */
static void
mark_live(Marker *m)
{
    IrFunc *f = m->f;
    const IrInstData *insts = f->insts.data;
    const uint32_t *pool = f->pool.data;
    const IrBlockData *blocks = f->blocks.data;
    uint8_t *live = m->live;
    /* Roots outside the instructions: terminator operands other than JUMP's, and the
     * function's parameters. */
    for (uint32_t b = 1; b < f->blocks.len; b++) {
        const IrTerm *t = &blocks[b].term;
        if (t->kind == IR_TERM_BRANCH || t->kind == IR_TERM_BR_TABLE)
            live[t->value] = 1;
        else if (t->kind == IR_TERM_RETURN)
            for (uint32_t k = 0; k < t->nlist; k++)
                live[pool[t->list + k]] = 1;
    }
    for (uint32_t k = 0; k < blocks[1].nparams; k++)
        live[pool[blocks[1].params + k]] = 1;
    for (uint32_t id = f->insts.len; id-- > 1;) {
        const IrInstData *in = &insts[id];
        uint32_t shape = op_shape[in->op];
        if (!(live[id] | (shape & SHAPE_ROOT)))
            continue;
        live[id] = 1;
        uint32_t n = shape & SHAPE_NARGS;
        uint32_t a0 = n > 0 ? in->a[0] : 0, a1 = n > 1 ? in->a[1] : 0, a2 = n > 2 ? in->a[2] : 0;
        if (SK_UNLIKELY((shape & (SHAPE_VARARGS | SHAPE_PARAM)) || a0 > id || a1 > id ||
                        a2 > id)) {
            mark_operands(m, id, id);
            continue;
        }
        live[a0] = 1;
        live[a1] = 1;
        live[a2] = 1;
    }
    live[0] = 0;
    while (m->sp)
        mark_operands(m, m->stack[--m->sp], 0);
    live[0] = 0;
}

/* Sweep for parameters: drops dead ones from block b and from the JUMPs into it. */
static void
sweep_params(IrFunc *f, const IrJumpPreds *preds, const uint8_t *live, uint32_t b)
{
    IrBlockData *bd = &f->blocks.data[b];
    uint32_t *pool = f->pool.data;
    uint32_t nlive = 0;
    for (uint32_t k = 0; k < bd->nparams; k++)
        nlive += live[pool[bd->params + k]];
    if (nlive == bd->nparams)
        return;
    for (uint32_t e = preds->start[b]; e < preds->start[b + 1]; e++) {
        IrTerm *t = &f->blocks.data[preds->list[e]].term;
        uint32_t keep = 0;
        for (uint32_t k = 0; k < t->nlist; k++)
            if (live[pool[bd->params + k]])
                pool[t->list + keep++] = pool[t->list + k];
        t->nlist = keep;
    }
    uint32_t keep = 0;
    for (uint32_t k = 0; k < bd->nparams; k++) {
        uint32_t p = pool[bd->params + k];
        if (!live[p]) {
            make_nop(&f->insts.data[p]);
            continue;
        }
        f->insts.data[p].imm = keep;
        pool[bd->params + keep++] = p;
    }
    bd->nparams = keep;
}

/* Counts the uses of the operands of instruction `in` into `uses` (absent operand slots
 * count into uses[0], a dummy the caller clears). */
static inline void
count_inst_uses(uint32_t *uses, const IrInstData *in, const uint32_t *pool)
{
    uint32_t shape = op_shape[in->op];
    uint32_t n = shape & SHAPE_NARGS;
    uses[n > 0 ? in->a[0] : 0]++;
    uses[n > 1 ? in->a[1] : 0]++;
    uses[n > 2 ? in->a[2] : 0]++;
    if (SK_UNLIKELY(shape & SHAPE_VARARGS))
        for (uint32_t k = 0; k < in->a[2]; k++)
            uses[pool[in->a[1] + k]]++;
}

bool
ir_dce_mark_sweep(IrFunc *f, const IrJumpPreds *preds, bool count_uses)
{
    SK_ASSERT(f->flags & IR_FUNCF_ALL_REACHABLE);
    uint32_t ninsts = f->insts.len;
    Marker m;
    m.f = f;
    m.preds = preds;
    m.sp = 0;
    m.live = sk_arena_calloc(f->arena, ninsts, 1);
    m.stack = sk_arena_alloc(f->arena, (size_t)ninsts * sizeof(uint32_t));
    uint32_t *uses = count_uses ? sk_arena_calloc(f->arena, ninsts, sizeof(uint32_t)) : NULL;
    if (!m.live || !m.stack || (count_uses && !uses))
        return false;
    mark_live(&m);
    IrInstData *insts = f->insts.data;
    const uint32_t *pool = f->pool.data;
    const IrBlockData *blocks = f->blocks.data;

    /* Sweep parameters, then instructions, counting the survivors' uses on the way. */
    for (uint32_t b = 2; b < f->blocks.len; b++)
        if (f->blocks.data[b].nparams)
            sweep_params(f, preds, m.live, b);
    for (uint32_t id = 1; id < ninsts; id++) {
        IrInstData *in = &insts[id];
        if (!m.live[id]) {
            if (in->op != IR_OP_NOP && in->op != IR_OP_PARAM)
                make_nop(in);
        } else if (uses) {
            count_inst_uses(uses, in, pool);
        }
    }
    if (uses) {
        for (uint32_t b = 1; b < f->blocks.len; b++) {
            const IrTerm *t = &blocks[b].term;
            if (t->kind == IR_TERM_BRANCH || t->kind == IR_TERM_BR_TABLE)
                uses[t->value]++;
            else if (t->kind == IR_TERM_JUMP || t->kind == IR_TERM_RETURN)
                for (uint32_t k = 0; k < t->nlist; k++)
                    uses[pool[t->list + k]]++;
        }
        uses[0] = 0;
        f->uses = uses;
    }
    return true;
}

/* True if block b is a pure forwarder: no parameters, no live instruction, and a JUMP
 * without arguments. Its predecessors can target its target directly. */
static bool
is_forwarder(const IrFunc *f, uint32_t b)
{
    const IrBlockData *bd = &f->blocks.data[b];
    if (b == IR_ENTRY_BLOCK.id || bd->nparams || bd->term.kind != IR_TERM_JUMP || bd->term.nlist ||
        (bd->flags & IR_BLOCKF_REMOVED))
        return false;
    for (uint32_t id = bd->first; id < bd->end; id++)
        if (f->insts.data[id].op != IR_OP_NOP)
            return false;
    return true;
}

void
ir_dce_thread_jumps(IrFunc *f)
{
    uint32_t nblocks = f->blocks.len;
    IrBlockData *blocks = f->blocks.data;
    uint32_t *fwd = sk_arena_alloc(f->arena, (size_t)nblocks * sizeof(uint32_t));
    if (!fwd)
        return;  // an optimization only: skip it without memory
    uint32_t nfwd = 0;
    for (uint32_t b = 0; b < nblocks; b++) {
        fwd[b] = b;
        if (b && is_forwarder(f, b)) {
            fwd[b] = blocks[b].term.target;
            nfwd++;
        }
    }
    if (!nfwd)
        return;
    /* Final targets, each block visited once (state: 0 unseen, 1 on the current walk,
     * 2 resolved). A walk that meets itself is a cycle of forwarders (an empty infinite
     * loop): the blocks of that walk stay. */
    uint8_t *state = sk_arena_calloc(f->arena, nblocks, 1);
    uint32_t *path = sk_arena_alloc(f->arena, (size_t)nblocks * sizeof(uint32_t));
    if (!state || !path)
        return;
    for (uint32_t b = 1; b < nblocks; b++) {
        uint32_t n = 0, u = b;
        while (fwd[u] != u && state[u] == 0) {
            state[u] = 1;
            path[n++] = u;
            u = fwd[u];
        }
        uint32_t final = state[u] == 1 ? 0 : state[u] == 2 ? fwd[u] : u;  // 0: a cycle
        for (uint32_t k = 0; k < n; k++) {
            fwd[path[k]] = final ? final : path[k];
            state[path[k]] = 2;
        }
        state[u] = state[u] ? state[u] : 2;
    }
    /* Point every terminator past the forwarders; the forwarders fall out. */
    uint32_t *pool = f->pool.data;
    for (uint32_t b = 1; b < nblocks; b++) {
        IrTerm *t = &blocks[b].term;
        switch (t->kind) {
        case IR_TERM_JUMP:
            if (fwd[b] == b)
                t->target = fwd[t->target];
            break;
        case IR_TERM_BRANCH:
            t->target = fwd[t->target];
            t->target2 = fwd[t->target2];
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
            t->target = fwd[t->target];
            for (uint32_t k = 0; k < t->nlist; k++)
                pool[t->list + k] = fwd[pool[t->list + k]];
            break;
        default:
            break;
        }
    }
    for (uint32_t b = 1; b < nblocks; b++)
        if (fwd[b] != b) {
            IrBlockData *bd = &blocks[b];
            memset(&bd->term, 0, sizeof(bd->term));
            bd->flags |= IR_BLOCKF_REMOVED;
        }
}

bool
ir_pass_dce(IrFunc *f)
{
    IrJumpPreds preds;
    ir_dce_fold_branches(f);
    if (!ir_dce_remove_unreachable(f) || !ir_jump_preds(f, &preds) ||
        !ir_dce_mark_sweep(f, &preds, false))
        return false;
    ir_dce_thread_jumps(f);
    return true;
}
