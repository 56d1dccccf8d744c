/*
 * The IR's core: the operation table expanded from ops.def, names of types, traps and
 * conditions, and the function builder (blocks, raw instruction emission, terminators, the
 * operand pool, the alias map, use counts). Folding builders live in ir/fold.c. Everything is
 * allocated from the function's arena; growth copies, so callers keep ids, never pointers.
 */
#include "ir/ir.h"

#include <string.h>

/* ---- tables ------------------------------------------------------------------------------ */

const IrOpInfo ir_op_info[IR_OP_COUNT] = {
#define IR_OP(name, text, res, args, ctrl, imm, flags)                                         \
    {text, args, IR_TS_##ctrl, IR_OPK_##flags, res, (uint8_t)(sizeof(args) - 1), IR_IMM_##imm},
#include "ir/ops.def"
#undef IR_OP
};

static const char *const type_names[IR_TYPE_COUNT] = {
    "none", "i32", "i64", "f32", "f64", "v128", "funcref", "externref",
};

const char *
ir_type_name(IrType t)
{
    return (unsigned)t < IR_TYPE_COUNT ? type_names[t] : "?";
}

static const char *const trap_names[IR_TRAP_COUNT] = {
#define IR_TRAP_NAME(name, text, msg) text,
    IR_TRAP_KINDS(IR_TRAP_NAME)
#undef IR_TRAP_NAME
};

static const char *const trap_messages[IR_TRAP_COUNT] = {
#define IR_TRAP_MSG(name, text, msg) msg,
    IR_TRAP_KINDS(IR_TRAP_MSG)
#undef IR_TRAP_MSG
};

const char *
ir_trap_name(IrTrapKind k)
{
    return (unsigned)k < IR_TRAP_COUNT ? trap_names[k] : "?";
}

const char *
ir_trap_message(IrTrapKind k)
{
    return (unsigned)k < IR_TRAP_COUNT ? trap_messages[k] : "?";
}

static const char *const icc_names[IR_ICC_COUNT] = {
    "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u",
};

static const char *const fcc_names[IR_FCC_COUNT] = {"eq", "ne", "lt", "gt", "le", "ge"};

const char *
ir_icc_name(IrIntCond cc)
{
    return (unsigned)cc < IR_ICC_COUNT ? icc_names[cc] : "?";
}

const char *
ir_fcc_name(IrFloatCond cc)
{
    return (unsigned)cc < IR_FCC_COUNT ? fcc_names[cc] : "?";
}

IrIntCond
ir_icc_swap(IrIntCond cc)
{
    static const uint8_t swapped[IR_ICC_COUNT] = {
        IR_ICC_EQ,   IR_ICC_NE,   IR_ICC_GT_S, IR_ICC_GT_U, IR_ICC_LT_S,
        IR_ICC_LT_U, IR_ICC_GE_S, IR_ICC_GE_U, IR_ICC_LE_S, IR_ICC_LE_U,
    };
    return (IrIntCond)swapped[cc];
}

IrFloatCond
ir_fcc_swap(IrFloatCond cc)
{
    static const uint8_t swapped[IR_FCC_COUNT] = {
        IR_FCC_EQ, IR_FCC_NE, IR_FCC_GT, IR_FCC_LT, IR_FCC_GE, IR_FCC_LE,
    };
    return (IrFloatCond)swapped[cc];
}

/* ---- function setup ---------------------------------------------------------------------- */

bool
ir_func_init_sig(IrFunc *f, SkArena *arena, const IrModule *m, uint32_t func_index,
                 uint32_t sig)
{
    return ir_func_init_sized(f, arena, m, func_index, sig, 32, 8, 32);
}

bool
ir_func_init_sized(IrFunc *f, SkArena *arena, const IrModule *m, uint32_t func_index,
                   uint32_t sig, uint32_t ninsts, uint32_t nblocks, uint32_t npool)
{
    memset(f, 0, sizeof(*f));
    f->arena = arena;
    f->module = m;
    f->index = func_index;
    f->sig = sig;
    /* Slot 0 of each array is a dummy, so that id 0 means none. The three arrays come from
     * one allocation (a function costs little setup: most are small). */
    SK_ASSERT(sig < m->nsigs);
    uint32_t np = m->sigs[sig].nparams;
    ninsts = ninsts > np + 2 ? ninsts : np + 2;
    nblocks = nblocks > 2 ? nblocks : 2;
    npool = npool > np + 1 ? npool : np + 1;
    size_t ib = SK_ALIGN_UP((size_t)ninsts * sizeof(IrInstData), 16);
    size_t bb = SK_ALIGN_UP((size_t)nblocks * sizeof(IrBlockData), 16);
    uint8_t *mem = sk_arena_alloc_aligned(arena, ib + bb + (size_t)npool * sizeof(uint32_t), 16);
    if (!mem)
        return false;
    f->insts.data = (IrInstData *)mem;
    f->insts.cap = ninsts;
    f->blocks.data = (IrBlockData *)(mem + ib);
    f->blocks.cap = nblocks;
    f->pool.data = (uint32_t *)(mem + ib + bb);
    f->pool.cap = npool;
    memset(&f->insts.data[0], 0, sizeof(IrInstData));
    f->insts.len = 1;
    memset(&f->blocks.data[0], 0, sizeof(IrBlockData));
    f->blocks.len = 1;
    f->pool.data[0] = 0;
    f->pool.len = 1;

    IrBlock entry = ir_block_new(f);
    SK_ASSERT(entry.id == IR_ENTRY_BLOCK.id);
    ir_block_start(f, entry);
    SK_ASSERT(sig < m->nsigs);
    const IrSig *s = &m->sigs[sig];
    for (uint32_t i = 0; i < s->nparams; i++)
        ir_block_add_param(f, entry, (IrType)s->params[i]);
    return !arena->failed;
}

bool
ir_func_init(IrFunc *f, SkArena *arena, const IrModule *m, uint32_t func_index)
{
    SK_ASSERT(func_index < m->nfuncs);
    return ir_func_init_sig(f, arena, m, func_index, m->func_sigs[func_index]);
}

/* Grows a Vec in the arena to exactly `need` elements (no rounding up): reservations are
 * sized from the input, and a rounded-up slack would be memory the function never uses. */
static bool
reserve_exact(void **data, uint32_t *cap, uint32_t len, size_t elem_size, uint32_t need,
              SkArena *arena)
{
    if (need <= *cap)
        return true;
    size_t bytes;
    if (sk_mul_overflows(need, elem_size, &bytes)) {
        arena->failed = true;
        return false;
    }
    void *p = sk_arena_alloc_aligned(arena, bytes, 16);
    if (!p)
        return false;
    if (*data && len)
        memcpy(p, *data, (size_t)len * elem_size);
    *data = p;
    *cap = need;
    return true;
}

bool
ir_func_reserve(IrFunc *f, uint32_t ninsts, uint32_t nblocks)
{
    if (!reserve_exact((void **)&f->insts.data, &f->insts.cap, f->insts.len,
                       sizeof(IrInstData), ninsts, f->arena) ||
        !reserve_exact((void **)&f->blocks.data, &f->blocks.cap, f->blocks.len,
                       sizeof(IrBlockData), nblocks, f->arena))
        return false;
    if (f->alias && f->alias_cap < f->insts.cap) {
        uint32_t *na = sk_arena_calloc(f->arena, f->insts.cap, sizeof(uint32_t));
        if (!na)
            return false;
        memcpy(na, f->alias, (size_t)f->alias_cap * sizeof(uint32_t));
        f->alias = na;
        f->alias_cap = f->insts.cap;
    }
    return true;
}

bool
ir_func_reserve_pool(IrFunc *f, uint32_t nwords)
{
    return reserve_exact((void **)&f->pool.data, &f->pool.cap, f->pool.len, sizeof(uint32_t),
                         nwords, f->arena);
}

/* ---- blocks ------------------------------------------------------------------------------ */

IrBlock
ir_block_new_slow(IrFunc *f)
{
    uint64_t need = (uint64_t)f->blocks.len + f->blocks.len / 2 + 16;
    if (need > UINT32_MAX || !ir_func_reserve(f, 0, (uint32_t)need))
        return IR_NONE_BLOCK;
    return ir_block_new(f);
}

void
ir_block_start_slow(IrFunc *f, IrBlock b)
{
    SK_ASSERT(f->arena->failed);  // only after an allocation failure
    (void)b;
}

IrValue
ir_block_add_param_slow(IrFunc *f, IrBlock b, IrType t)
{
    if (!b.id)
        return IR_NONE_VALUE;
    IrBlockData *bd = &f->blocks.data[b.id];
    SK_ASSERT(f->cur.id == b.id && f->insts.len - bd->first == bd->nparams);  // params first
    if (bd->nparams == 0)
        bd->params = f->pool.len;
    SK_ASSERT(bd->params + bd->nparams == f->pool.len);  // the list grows at the pool's end
    if (SK_UNLIKELY(f->pool.len >= f->pool.cap) &&
        !SK_VEC_RESERVE_ARENA(&f->pool, f->arena, f->pool.len + 1))
        return IR_NONE_VALUE;
    IrValue v = ir_emit(f, IR_OP_PARAM, t, b.id, 0, 0, bd->nparams);
    if (!v.id)
        return v;
    f->pool.data[f->pool.len++] = v.id;
    f->blocks.data[b.id].nparams++;
    return v;
}

/* ---- instructions ------------------------------------------------------------------------ */

IrValue
ir_emit_slow(IrFunc *f, IrOp op, IrType type, uint32_t a0, uint32_t a1, uint32_t a2,
             uint64_t imm)
{
    if (!f->cur.id) {
        SK_ASSERT(f->arena->failed);  // only after a failed block allocation
        return IR_NONE_VALUE;
    }
    /* Grow the instruction array (and the alias map with it) by half. */
    uint64_t need = (uint64_t)f->insts.len + f->insts.len / 2 + 64;
    if (need > UINT32_MAX || !ir_func_reserve(f, (uint32_t)need, 0))
        return IR_NONE_VALUE;
    return ir_emit(f, op, type, a0, a1, a2, imm);
}

uint32_t
ir_pool_push(IrFunc *f, const uint32_t *words, uint32_t n)
{
    if (n == 0)
        return 0;
    uint64_t need = (uint64_t)f->pool.len + n;
    if (need > UINT32_MAX || !SK_VEC_RESERVE_ARENA(&f->pool, f->arena, (uint32_t)need)) {
        f->arena->failed = true;
        return 0;
    }
    uint32_t start = f->pool.len;
    memcpy(&f->pool.data[start], words, (size_t)n * sizeof(uint32_t));
    f->pool.len += n;
    return start;
}

uint32_t
ir_v128_add(IrFunc *f, const uint8_t bytes[16])
{
    IrV128 v;
    memcpy(v.b, bytes, 16);
    if (!SK_VEC_PUSH_ARENA(&f->v128s, f->arena, v))
        return 0;
    return f->v128s.len - 1;
}

/* ---- terminators ------------------------------------------------------------------------- */

uint32_t
ir_pool_grow_slow(IrFunc *f, uint32_t n)
{
    uint64_t need = (uint64_t)f->pool.len + n;
    if (need > UINT32_MAX || !SK_VEC_RESERVE_ARENA(&f->pool, f->arena, (uint32_t)need)) {
        f->arena->failed = true;
        return 0;
    }
    uint32_t start = f->pool.len;
    f->pool.len += n;
    return start;
}

static uint32_t
pool_push_blocks(IrFunc *f, const IrBlock *blocks, uint32_t n)
{
    if (n == 0)
        return 0;
    uint32_t start = ir_pool_grow(f, n);
    if (start)
        for (uint32_t i = 0; i < n; i++)
            f->pool.data[start + i] = blocks[i].id;
    return start;
}



void
ir_br_table(IrFunc *f, IrValue index, const IrBlock *targets, uint32_t ntargets,
            IrBlock default_b)
{
    uint32_t list = pool_push_blocks(f, targets, ntargets);
    IrTerm *t = ir_finish_block(f, IR_TERM_BR_TABLE);
    t->value = index.id;
    t->target = default_b.id;
    t->list = list;
    t->nlist = ntargets;
}



void
ir_block_reopen(IrFunc *f, IrBlock b)
{
    SK_ASSERT(f->cur.id == 0);
    IrBlockData *bd = ir_block(f, b);
    SK_ASSERT(bd->end == f->insts.len && !(bd->flags & IR_BLOCKF_REMOVED));
    memset(&bd->term, 0, sizeof(bd->term));
    f->cur = b;
    f->cur_first = bd->first;
}

uint32_t
ir_block_nsuccs(const IrFunc *f, IrBlock b)
{
    const IrTerm *t = &ir_block(f, b)->term;
    switch (t->kind) {
    case IR_TERM_JUMP:
        return 1;
    case IR_TERM_BRANCH:
        return 2;
    case IR_TERM_BR_TABLE:
        return t->nlist + 1;
    default:
        return 0;
    }
}

IrBlock
ir_block_succ(const IrFunc *f, IrBlock b, uint32_t i)
{
    const IrTerm *t = &ir_block(f, b)->term;
    switch (t->kind) {
    case IR_TERM_JUMP:
        return (IrBlock){t->target};
    case IR_TERM_BRANCH:
        return (IrBlock){i == 0 ? t->target : t->target2};
    case IR_TERM_BR_TABLE:
        return (IrBlock){i < t->nlist ? f->pool.data[t->list + i] : t->target};
    default:
        sk_unreachable();
    }
}

/* ---- aliases and uses -------------------------------------------------------------------- */

void
ir_alias_set(IrFunc *f, IrValue from, IrValue to)
{
    SK_ASSERT(from.id != 0 && from.id != to.id);
    if (!f->alias) {
        f->alias = sk_arena_calloc(f->arena, f->insts.cap, sizeof(uint32_t));
        if (!f->alias)
            return;
        f->alias_cap = f->insts.cap;
        f->alias_min = from.id;
    }
    SK_ASSERT(from.id < f->alias_cap);
    f->alias[from.id] = to.id;
    if (from.id < f->alias_min)
        f->alias_min = from.id;
    /* A parameter can be referred to only from its block on (blocks are created before
     * their parameters); any other value, from anywhere. */
    const IrInstData *in = &f->insts.data[from.id];
    uint32_t b = in->op == IR_OP_PARAM ? in->a[0] : 1;
    if (!f->alias_block || b < f->alias_block)
        f->alias_block = b;
    f->alias_end = f->insts.len;
    f->alias_block_end = f->blocks.len;
}

/* Resolves one operand slot through the alias map (ids below alias_cap only). */
static inline void
resolve_slot(const uint32_t *alias, uint32_t *slot)
{
    uint32_t v = *slot;
    if (SK_LIKELY(!alias[v]))
        return;
    do
        v = alias[v];
    while (alias[v]);
    *slot = v;
}

void
ir_alias_apply(IrFunc *f)
{
    if (!f->alias)
        return;
    /* Values created after the map was sized are never aliased: give resolve_slot a map
     * that covers every id. */
    uint32_t *alias = f->alias;
    if (f->alias_cap < f->insts.len) {
        alias = sk_arena_calloc(f->arena, f->insts.len, sizeof(uint32_t));
        if (!alias)
            return;
        memcpy(alias, f->alias, (size_t)f->alias_cap * sizeof(uint32_t));
    }
    IrInstData *insts = f->insts.data;
    uint32_t *pool = f->pool.data;
    SK_ASSERT(f->alias_end <= f->insts.len && f->alias_block_end <= f->blocks.len);
    for (uint32_t id = f->alias_min + 1; id < f->alias_end; id++) {
        IrInstData *in = &insts[id];
        const IrOpInfo *info = &ir_op_info[in->op];
        switch (info->nargs) {
        case 3: resolve_slot(alias, &in->a[2]); /* fallthrough */
        case 2: resolve_slot(alias, &in->a[1]); /* fallthrough */
        case 1: resolve_slot(alias, &in->a[0]); break;
        default: break;
        }
        if (SK_UNLIKELY(info->flags & IR_OPF_VARARGS))
            for (uint32_t k = 0; k < in->a[2]; k++)
                resolve_slot(alias, &pool[in->a[1] + k]);
    }
    for (uint32_t b = f->alias_block; b < f->alias_block_end; b++) {
        IrTerm *t = &f->blocks.data[b].term;
        switch (t->kind) {
        case IR_TERM_BRANCH:
        case IR_TERM_BR_TABLE:
            resolve_slot(alias, &t->value);
            break;
        case IR_TERM_JUMP:
        case IR_TERM_RETURN:
            for (uint32_t k = 0; k < t->nlist; k++)
                resolve_slot(alias, &pool[t->list + k]);
            break;
        default:
            break;
        }
    }
    f->alias = NULL;
    f->alias_cap = 0;
    f->alias_min = 0;
    f->alias_end = f->alias_block = f->alias_block_end = 0;
}

bool
ir_func_count_uses(IrFunc *f)
{
    uint32_t *uses = sk_arena_calloc(f->arena, f->insts.len, sizeof(uint32_t));
    if (!uses)
        return false;
    for (uint32_t id = 1; id < f->insts.len; id++) {
        const IrInstData *in = &f->insts.data[id];
        const IrOpInfo *info = &ir_op_info[in->op];
        for (uint32_t k = 0; k < info->nargs; k++)
            uses[in->a[k]]++;
        if (info->flags & IR_OPF_VARARGS)
            for (uint32_t k = 0; k < in->a[2]; k++)
                uses[f->pool.data[in->a[1] + k]]++;
    }
    for (uint32_t b = 1; b < f->blocks.len; b++) {
        const IrTerm *t = &f->blocks.data[b].term;
        switch (t->kind) {
        case IR_TERM_BRANCH:
        case IR_TERM_BR_TABLE:
            uses[t->value]++;
            break;
        case IR_TERM_JUMP:
        case IR_TERM_RETURN:
            for (uint32_t k = 0; k < t->nlist; k++)
                uses[f->pool.data[t->list + k]]++;
            break;
        default:
            break;
        }
    }
    uses[0] = 0;
    f->uses = uses;
    return true;
}
