/*
 * Translation of validated Wasm function bodies into SSA IR (DESIGN.md: "Locals become SSA
 * values during translation"). One pass over the body with an operand stack of IrValues;
 * control flow is structured, so the SSA construction is simple (in the spirit of Braun et
 * al., "Simple and Efficient Construction of SSA Form", CC 2013, which needs no dominance
 * frontiers; here the structure tells us every predecessor of a merge when it ends):
 *
 *   - locals: cur[x] is local x's current value. set_local() logs (x, old value) the first
 *     time x is set inside the innermost open construct, so a construct's log range is the
 *     set of locals it assigns, each with its value at the construct's entry;
 *   - block/if labels: each branch records the label's result values and a snapshot of the
 *     locals in the label's log range; at `end` every incoming edge is known, and the merge
 *     block gets parameters only for results and locals whose values differ (none at all for
 *     a construct nobody branches to: the code just continues in the same block);
 *   - loops: the header gets parameters for the locals that a pre-scan finds assigned in the
 *     body (and for the loop's block-type parameters); back edges pass them; when the loop
 *     ends, parameters that only receive one value besides themselves are removed;
 *   - conditional and table branches that must pass values go through edge blocks ending
 *     in a JUMP, the only terminator with arguments (ir/ir.h);
 *   - unreachable code (after br, br_table, return, unreachable, a certain trap) emits
 *     nothing: only the nesting is tracked until the construct ends.
 *
 * Folding happens in the ir_build_* calls (ir/fold.c). The caller runs the passes.
 */
#include <string.h>

#include "frontend/translate.h"

/* ---- lifetime ---------------------------------------------------------------------------- */

FeTranslator *
fe_translator_new(const FeModule *m, const IrModule *im, const SkAlloc *alloc)
{
    if (!alloc)
        alloc = &sk_alloc_default;
    FeTranslator *t = sk_malloc(alloc, sizeof(*t));
    if (!t)
        return NULL;
    memset(t, 0, sizeof(*t));
    t->m = m;
    t->im = im;
    t->alloc = alloc;
    sk_arena_init(&t->scratch, alloc);
    return t;
}

void
fe_translator_free(FeTranslator *t)
{
    if (!t)
        return;
    const SkAlloc *a = t->alloc;
    sk_arena_free(&t->scratch);
    uint32_t *arrays[] = {t->cur, t->mark, t->seen, t->vstamp, t->val, t->ev, t->pmark};
    for (size_t i = 0; i < SK_ARRAY_LEN(arrays); i++)
        sk_free(a, arrays[i], (size_t)t->locals_cap * sizeof(uint32_t));
    sk_vec_free_heap(&t->stack, a);
    sk_vec_free_heap(&t->frames, a);
    sk_vec_free_heap(&t->log, a);
    sk_vec_free_heap(&t->edges, a);
    sk_vec_free_heap(&t->edge_vals, a);
    sk_vec_free_heap(&t->snaps, a);
    sk_vec_free_heap(&t->stash, a);
    sk_vec_free_heap(&t->lloc, a);
    sk_vec_free_heap(&t->plog, a);
    sk_vec_free_heap(&t->loops, a);
    sk_vec_free_heap(&t->pstack, a);
    sk_vec_free_heap(&t->slots, a);
    sk_vec_free_heap(&t->matrix, a);
    sk_vec_free_heap(&t->pslots, a);
    sk_vec_free_heap(&t->cslots, a);
    sk_vec_free_heap(&t->args, a);
    sk_vec_free_heap(&t->targets, a);
    sk_free(a, t, sizeof(*t));
}

/* ---- module facts ------------------------------------------------------------------------ */

/* Copies n Wasm value types as IrTypes into the arena. */
static const uint8_t *
convert_types(SkArena *arena, const uint8_t *types, uint32_t n)
{
    uint8_t *out = sk_arena_alloc_aligned(arena, n ? n : 1, 1);
    if (out)
        for (uint32_t i = 0; i < n; i++)
            out[i] = (uint8_t)tr_type(types[i]);
    return out;
}

bool
fe_ir_module_init(const FeModule *m, SkArena *arena, IrModule *out)
{
    memset(out, 0, sizeof(*out));
    IrSig *sigs = sk_arena_calloc(arena, m->ntypes ? m->ntypes : 1, sizeof(IrSig));
    uint32_t *func_sigs = sk_arena_calloc(arena, m->nfuncs ? m->nfuncs : 1, sizeof(uint32_t));
    IrGlobalInfo *globals = sk_arena_calloc(arena, m->nglobals ? m->nglobals : 1,
                                            sizeof(IrGlobalInfo));
    IrTableInfo *tables = sk_arena_calloc(arena, m->ntables ? m->ntables : 1,
                                          sizeof(IrTableInfo));
    IrMemoryInfo *mems = sk_arena_calloc(arena, m->nmemories ? m->nmemories : 1,
                                         sizeof(IrMemoryInfo));
    if (!sigs || !func_sigs || !globals || !tables || !mems)
        return false;
    for (uint32_t i = 0; i < m->ntypes; i++) {
        const FeFuncType *ft = &m->types[i];
        sigs[i].nparams = ft->nparams;
        sigs[i].nresults = ft->nresults;
        sigs[i].params = convert_types(arena, ft->params, ft->nparams);
        sigs[i].results = convert_types(arena, ft->results, ft->nresults);
        if (!sigs[i].params || !sigs[i].results)
            return false;
    }
    for (uint32_t i = 0; i < m->nfuncs; i++)
        func_sigs[i] = m->funcs[i].type_index;
    for (uint32_t i = 0; i < m->nglobals; i++) {
        globals[i].type = (uint8_t)tr_type(m->globals[i].type);
        globals[i].mutable_ = m->globals[i].mutable_;
        globals[i].imported = m->globals[i].imported;
    }
    for (uint32_t i = 0; i < m->ntables; i++) {
        tables[i].elem_type = (uint8_t)tr_type(m->tables[i].elem_type);
        tables[i].imported = m->tables[i].imported;
        tables[i].min = m->tables[i].limits.min;
        tables[i].max = m->tables[i].limits.max;
        tables[i].has_max = m->tables[i].limits.has_max;
    }
    for (uint32_t i = 0; i < m->nmemories; i++) {
        mems[i].imported = m->memories[i].imported;
        mems[i].min = m->memories[i].limits.min;
        mems[i].max = m->memories[i].limits.max;
        mems[i].has_max = m->memories[i].limits.has_max;
    }
    out->sigs = sigs;
    out->nsigs = m->ntypes;
    out->func_sigs = func_sigs;
    out->nfuncs = m->nfuncs;
    out->nimported_funcs = m->nimported_funcs;
    out->globals = globals;
    out->nglobals = m->nglobals;
    out->nimported_globals = m->nimported_globals;
    out->tables = tables;
    out->ntables = m->ntables;
    out->memories = mems;
    out->nmemories = m->nmemories;
    out->ndatas = m->ndatas;
    out->nelems = m->nelems;
    return true;
}

/* ---- per-local state --------------------------------------------------------------------- */

/* Grows the per-local arrays to hold n locals. */
static bool
ensure_locals(FeTranslator *t, uint32_t n)
{
    if (n <= t->locals_cap)
        return true;
    uint32_t cap = t->locals_cap ? t->locals_cap : 64;
    while (cap < n)
        cap *= 2;
    uint32_t **arrays[] = {&t->cur, &t->mark, &t->seen, &t->vstamp, &t->val, &t->ev, &t->pmark};
    for (size_t i = 0; i < SK_ARRAY_LEN(arrays); i++) {
        uint32_t *p = sk_realloc(t->alloc, *arrays[i], (size_t)t->locals_cap * sizeof(uint32_t),
                                 (size_t)cap * sizeof(uint32_t));
        if (!p)
            return false;
        memset(p + t->locals_cap, 0, (size_t)(cap - t->locals_cap) * sizeof(uint32_t));
        *arrays[i] = p;
    }
    t->locals_cap = cap;
    return true;
}

/* A fresh stamp for `seen` / `vstamp` (never 0; the arrays are cleared on wrap-around). */
static inline uint32_t
next_gen(FeTranslator *t)
{
    if (SK_UNLIKELY(++t->gen == 0)) {
        if (t->locals_cap) {
            memset(t->seen, 0, (size_t)t->locals_cap * sizeof(uint32_t));
            memset(t->vstamp, 0, (size_t)t->locals_cap * sizeof(uint32_t));
        }
        t->gen = 1;
    }
    return t->gen;
}

static inline TrFrame *
top_frame(FeTranslator *t)
{
    return &t->frames.data[t->frames.len - 1];
}

/* local x = v, logging x's old value the first time it is set in the innermost construct. */
static inline void
set_local(FeTranslator *t, uint32_t x, uint32_t v)
{
    if (t->mark[x] <= top_frame(t)->log_start) {
        TrLog rec = {x, t->cur[x]};
        TR_PUSH(t, &t->log, rec);
        t->mark[x] = t->log.len;
    }
    t->cur[x] = v;
}

/*
 * Collects the distinct locals of log[from, end) into t->slots (in first-record order) and
 * their values at the construct's entry (the first record's old value) into t->val.
 */
static void
collect_assigned(FeTranslator *t, uint32_t from)
{
    uint32_t gen = next_gen(t);
    t->slots.len = 0;
    for (uint32_t i = from; i < t->log.len; i++) {
        uint32_t x = t->log.data[i].local;
        if (t->seen[x] != gen) {
            t->seen[x] = gen;
            t->val[x] = t->log.data[i].old;
            TR_PUSH(t, &t->slots, x);
        }
    }
}

/*
 * Replaces log[from, end) by one record per local in t->slots (as collect_assigned left
 * them), so that enclosing constructs scan short ranges. Valid because the enclosing ranges
 * need only each local's first record.
 */
static void
compact_log(FeTranslator *t, uint32_t from)
{
    for (uint32_t k = 0; k < t->slots.len; k++) {
        uint32_t x = t->slots.data[k];
        t->log.data[from + k] = (TrLog){x, t->val[x]};
        t->mark[x] = from + k + 1;
    }
    t->log.len = from + t->slots.len;
}

/* ---- pre-scan of loops ------------------------------------------------------------------- */

/*
 * Scans the body of the loop whose ordinal is `first` (p points after its `loop`
 * instruction) to its matching end, and records for it and every loop nested in it the
 * locals it assigns: t->loops[ordinal] = a range of t->plog (distinct within one loop's own
 * records; a nested loop's range is inside its parents'). Decoding is cheap next to
 * translating, and each byte is scanned once: nested loops are covered by the outer scan.
 */
static void
prescan_loops(FeTranslator *t, const uint8_t *p, uint32_t first)
{
    uint32_t next = first + 1;
    while (t->loops.len < next) {
        TrLoopInfo z = {0, 0};
        TR_PUSH(t, &t->loops, z);
        if (t->failed)
            return;
    }
    t->loops.data[first].start = t->plog.len;
    /* pstack: per open construct, the plog start of the innermost open loop, tagged with
     * the loop's ordinal + 1 in a parallel entry (two words per construct). */
    t->pstack.len = 0;
    TR_PUSH(t, &t->pstack, t->plog.len);
    TR_PUSH(t, &t->pstack, first + 1);
    while (t->pstack.len && !t->failed) {
        /* Skip each instruction by its immediates; only structure and local.set/tee
         * matter. Rare encodings go through the general decoder. */
        uint32_t b = *p;
        switch (b) {
        case 0x02:  // block
        case 0x04:  // if
        case 0x03: {  // loop
            p++;
            if ((*p & 0xC0) == 0x40)
                p++;  // empty or a value type
            else
                (void)fe_sleb_trusted(&p, 33);  // a type index
            if (b != 0x03) {
                uint32_t inner = t->pstack.data[t->pstack.len - 2];
                TR_PUSH(t, &t->pstack, inner);
                TR_PUSH(t, &t->pstack, 0);
                break;
            }
            while (t->loops.len <= next && !t->failed) {
                TrLoopInfo z = {0, 0};
                TR_PUSH(t, &t->loops, z);
            }
            if (t->failed)
                return;
            t->loops.data[next].start = t->plog.len;
            TR_PUSH(t, &t->pstack, t->plog.len);
            TR_PUSH(t, &t->pstack, next + 1);
            next++;
            break;
        }
        case 0x0B: {  // end
            p++;
            uint32_t ord = t->pstack.data[t->pstack.len - 1];
            t->pstack.len -= 2;
            if (ord)
                t->loops.data[ord - 1].end = t->plog.len;
            break;
        }
        case 0x21:    // local.set
        case 0x22: {  // local.tee
            p++;
            uint32_t x = fe_u32_trusted(&p);
            if (t->pmark[x] <= t->pstack.data[t->pstack.len - 2]) {
                TR_PUSH(t, &t->plog, x);
                t->pmark[x] = t->plog.len;
            }
            break;
        }
        case 0x0C: case 0x0D: case 0x10: case 0x20: case 0x23: case 0x24: case 0x25:
        case 0x26: case 0x41: case 0x42: case 0xD2:  // one LEB128 immediate
            p++;
            while (*p++ & 0x80)
                ;
            break;
        case 0x43:
            p += 5;
            break;
        case 0x44:
            p += 9;
            break;
        default:
            if ((b >= 0x28 && b <= 0x3E)) {  // memarg: two LEB128s
                p++;
                while (*p++ & 0x80)
                    ;
                while (*p++ & 0x80)
                    ;
            } else if ((b >= 0x45 && b <= 0xC4) || b == 0x00 || b == 0x01 || b == 0x05 ||
                       b == 0x0F || b == 0x1A || b == 0x1B || b == 0xD1) {
                p++;  // no immediates
            } else {
                FeInstr in;
                p = fe_instr_read_trusted(p, &in);
            }
            break;
        }
    }
    t->loops_scanned = next;
}

/* ---- edges ------------------------------------------------------------------------------- */

/*
 * Records an edge into the block/if label of frame fi: `nvals` arity values (raw ids) and,
 * with `snapshot`, the current values of the locals the label's construct has assigned so
 * far (locals not in the snapshot still hold their entry values on this edge).
 */
static void
add_edge(FeTranslator *t, uint32_t fi, TrEdgeKind kind, uint32_t block, const IrValue *vals,
         uint32_t nvals, bool snapshot)
{
    TrFrame *fr = &t->frames.data[fi];
    uint32_t range = snapshot ? t->log.len - fr->log_start : 0;
    if (!SK_VEC_RESERVE_HEAP(&t->edges, t->alloc, t->edges.len + 1) ||
        !SK_VEC_RESERVE_HEAP(&t->edge_vals, t->alloc, t->edge_vals.len + nvals) ||
        !SK_VEC_RESERVE_HEAP(&t->snaps, t->alloc, t->snaps.len + 2 * range)) {
        t->failed = true;
        return;
    }
    TrEdge *e = &t->edges.data[t->edges.len++];
    e->block = block;
    e->kind = kind;
    e->vals = t->edge_vals.len;
    uint32_t *ev = t->edge_vals.data + t->edge_vals.len;
    for (uint32_t k = 0; k < nvals; k++)
        ev[k] = vals[k].id;
    t->edge_vals.len += nvals;
    e->snap = t->snaps.len;
    uint32_t n = 0;
    if (range) {
        uint32_t gen = next_gen(t);
        uint32_t *out = t->snaps.data + t->snaps.len;
        const TrLog *log = t->log.data + fr->log_start;
        for (uint32_t i = 0; i < range; i++) {
            uint32_t x = log[i].local;
            if (t->seen[x] != gen) {
                t->seen[x] = gen;
                out[2 * n] = x;
                out[2 * n + 1] = t->cur[x];
                n++;
            }
        }
        t->snaps.len += 2 * n;
    }
    e->nsnap = n;
    e->next = fr->edges;
    fr->edges = t->edges.len;
}

/* The top n operand-stack values (not popped). */
static inline const IrValue *
stack_top(FeTranslator *t, uint32_t n)
{
    SK_ASSERT(t->stack.len >= n);
    return &t->stack.data[t->stack.len - n];
}

/* Points the slot of edge e at block `target`. */
static void
patch_edge(FeTranslator *t, const TrEdge *e, uint32_t fi, uint32_t target)
{
    IrTerm *term = &t->f->blocks.data[e->block].term;
    switch ((TrEdgeKind)e->kind) {
    case TR_EDGE_THEN:
        term->target = target;
        break;
    case TR_EDGE_ELSE:
        term->target2 = target;
        break;
    case TR_EDGE_TABLE: {
        uint32_t tag = TR_TABLE_TAG | fi;
        for (uint32_t k = 0; k < term->nlist; k++)
            if (t->f->pool.data[term->list + k] == tag)
                t->f->pool.data[term->list + k] = target;
        if (term->target == tag)
            term->target = target;
        break;
    }
    default:
        sk_unreachable();
    }
}

/* ---- merges ------------------------------------------------------------------------------ */

/* v resolved through the alias map (the map is usually absent). */
static inline uint32_t
resolved(const IrFunc *f, uint32_t v)
{
    if (SK_LIKELY(!f->alias))
        return v;
    return ir_resolve(f, (IrValue){v}).id;
}

/* Writes row `row`: the values of all slots on edge e (or, with e NULL, the fallthrough). */
static void
fill_row(FeTranslator *t, const TrFrame *fr, const TrEdge *e, uint32_t *row)
{
    const IrFunc *f = t->f;
    uint32_t nres = fr->nresults, nloc = t->slots.len;
    const uint32_t *slots = t->slots.data;
    uint32_t *loc = row + nres;
    if (!e) {
        const IrValue *top = stack_top(t, nres);
        for (uint32_t r = 0; r < nres; r++)
            row[r] = resolved(f, top[r].id);
        for (uint32_t k = 0; k < nloc; k++)
            loc[k] = resolved(f, t->cur[slots[k]]);
        return;
    }
    for (uint32_t r = 0; r < nres; r++)
        row[r] = resolved(f, t->edge_vals.data[e->vals + r]);
    if (!nloc)
        return;
    if (e->nsnap == 0) {
        for (uint32_t k = 0; k < nloc; k++)
            loc[k] = resolved(f, t->val[slots[k]]);
        return;
    }
    uint32_t gen = next_gen(t);
    const uint32_t *snap = t->snaps.data + e->snap;
    for (uint32_t k = 0; k < e->nsnap; k++) {
        uint32_t x = snap[2 * k];
        t->vstamp[x] = gen;
        t->ev[x] = snap[2 * k + 1];
    }
    for (uint32_t k = 0; k < nloc; k++) {
        uint32_t x = slots[k];
        loc[k] = resolved(f, t->vstamp[x] == gen ? t->ev[x] : t->val[x]);
    }
}

/* True if slot j holds equal integer or float constants (same type and bits) in every row. */
static bool
same_constants(const FeTranslator *t, uint32_t j, uint32_t nslots, uint32_t nrows)
{
    const IrInstData *d = t->f->insts.data;
    const IrInstData *c0 = &d[t->matrix.data[j]];
    if (c0->op != IR_OP_ICONST && c0->op != IR_OP_FCONST)
        return false;
    for (uint32_t r = 1; r < nrows; r++) {
        const IrInstData *c = &d[t->matrix.data[r * nslots + j]];
        if (c->op != c0->op || c->type != c0->type || c->imm != c0->imm)
            return false;
    }
    return true;
}

/* Fills t->args with row `row`'s values of the parameter slots (capacity reserved). */
static inline void
row_args(FeTranslator *t, uint32_t row, uint32_t nslots)
{
    const uint32_t *m = t->matrix.data + (size_t)row * nslots;
    uint32_t np = t->pslots.len;
    for (uint32_t k = 0; k < np; k++)
        t->args.data[k].id = m[t->pslots.data[k]];
    t->args.len = np;
}

/*
 * Points every incoming edge of frame fi's label at `merge`, passing the parameter slots'
 * values: JUMPs get them as arguments; conditional and table branches, which cannot pass
 * arguments, go through a new edge block when there are any; the fallthrough (the current
 * block, with `ft`) jumps there.
 */
static void
connect_edges(FeTranslator *t, const TrFrame *fr, uint32_t fi, IrBlock merge, bool ft,
              uint32_t nrows, uint32_t nslots)
{
    IrFunc *f = t->f;
    uint32_t np = t->pslots.len;
    if (ft) {
        row_args(t, nrows - 1, nslots);
        ir_jump(f, merge, t->args.data, np);
    }
    uint32_t row = 0;
    for (uint32_t ei = fr->edges; ei; row++) {
        const TrEdge *e = &t->edges.data[ei - 1];
        ei = e->next;
        row_args(t, row, nslots);
        if (e->kind == TR_EDGE_JUMP) {
            IrTerm *term = &f->blocks.data[e->block].term;
            term->target = merge.id;
            term->list = ir_pool_push_values(f, t->args.data, np);
            term->nlist = np;
            continue;
        }
        uint32_t target = merge.id;
        if (np) {
            IrBlock edge = ir_block_new(f);
            ir_block_start(f, edge);
            ir_jump(f, merge, t->args.data, np);
            target = edge.id;
        }
        patch_edge(t, e, fi, target);
    }
}

/*
 * merge_end() without parameters, when they cannot arise: a single incoming edge (and no
 * fallthrough; its values become current), or nothing to merge (no results, no assigned
 * locals). Continues in a new merge block, or in the edge's block if it just ended.
 */
static void
merge_simple(FeTranslator *t, const TrFrame *fr, uint32_t fi, bool ft)
{
    IrFunc *f = t->f;
    const TrEdge *single = ft ? NULL : &t->edges.data[fr->edges - 1];
    if (single && single->next)
        single = NULL;  // several edges (and nothing to merge)
    if (single) {
        /* Locals: entry values, then the edge's snapshot; results: the edge's values. */
        for (uint32_t k = 0; k < t->slots.len; k++)
            t->cur[t->slots.data[k]] = t->val[t->slots.data[k]];
        const uint32_t *snap = t->snaps.data + single->snap;
        for (uint32_t k = 0; k < single->nsnap; k++)
            t->cur[snap[2 * k]] = snap[2 * k + 1];
        t->stack.len = fr->height;
        for (uint32_t k = 0; k < fr->nresults; k++)
            tr_push(t, (IrValue){t->edge_vals.data[single->vals + k]});
    }
    IrBlock merge = IR_NONE_BLOCK;
    if (single && single->kind == TR_EDGE_JUMP &&
        f->blocks.data[single->block].end == f->insts.len &&
        f->blocks.data[single->block].term.target == 0) {
        merge.id = single->block;  // br as the last thing before `end`: continue there
        ir_block_reopen(f, merge);
    } else {
        merge = ir_block_new(f);
        if (ft)
            ir_jump(f, merge, NULL, 0);
        for (uint32_t ei = fr->edges; ei;) {
            const TrEdge *e = &t->edges.data[ei - 1];
            ei = e->next;
            if (e->kind == TR_EDGE_JUMP)
                f->blocks.data[e->block].term.target = merge.id;
            else
                patch_edge(t, e, fi, merge.id);
        }
        ir_block_start(f, merge);
    }
    compact_log(t, fr->log_start);
    t->frames.len--;
    t->reachable = true;
}

/*
 * Ends the block/if construct of the top frame: builds the merge of its incoming edges (the
 * pending branches and the fallthrough if reachable), with parameters for the values that
 * differ, and continues there. No edges: the rest is unreachable. Only the fallthrough: the
 * code continues in the current block.
 */
static void
merge_end(FeTranslator *t)
{
    IrFunc *f = t->f;
    uint32_t fi = t->frames.len - 1;
    TrFrame fr = t->frames.data[fi];
    collect_assigned(t, fr.log_start);
    if (!fr.edges) {
        if (!t->reachable)
            t->stack.len = fr.height;
        compact_log(t, fr.log_start);
        t->frames.len--;
        return;
    }
    bool ft = t->reachable;
    uint32_t nres = fr.nresults, nslots = nres + t->slots.len;
    uint32_t nrows = ft;
    for (uint32_t ei = fr.edges; ei; ei = t->edges.data[ei - 1].next)
        nrows++;
    if (nrows == 1 || nslots == 0) {
        merge_simple(t, &fr, fi, ft);
        return;
    }

    /* One row of slot values per incoming edge, in list order, then the fallthrough. */
    uint64_t cells = (uint64_t)nrows * nslots;
    if (cells > UINT32_MAX || !SK_VEC_RESERVE_HEAP(&t->matrix, t->alloc, (uint32_t)cells) ||
        !SK_VEC_RESERVE_HEAP(&t->pslots, t->alloc, nslots) ||
        !SK_VEC_RESERVE_HEAP(&t->args, t->alloc, nslots)) {
        t->failed = true;
        return;
    }
    t->matrix.len = (uint32_t)cells;
    uint32_t nfilled = 0;
    for (uint32_t ei = fr.edges; ei; ei = t->edges.data[ei - 1].next, nfilled++)
        fill_row(t, &fr, &t->edges.data[ei - 1], t->matrix.data + (size_t)nfilled * nslots);
    if (ft)
        fill_row(t, &fr, NULL, t->matrix.data + (size_t)nfilled * nslots);
    /* The slots whose values differ between rows become parameters, except when every row
     * holds an equal constant: the merge block then gets its own copy of it (cslots). */
    t->pslots.len = 0;
    t->cslots.len = 0;
    for (uint32_t j = 0; j < nslots; j++) {
        uint32_t v0 = t->matrix.data[j];
        for (uint32_t r = 1; r < nrows; r++)
            if (t->matrix.data[r * nslots + j] != v0) {
                if (same_constants(t, j, nslots, nrows))
                    TR_PUSH(t, &t->cslots, j);
                else
                    t->pslots.data[t->pslots.len++] = j;
                break;
            }
    }
    uint32_t np = t->pslots.len;

    IrBlock merge = ir_block_new(f);
    connect_edges(t, &fr, fi, merge, ft, nrows, nslots);
    ir_block_start(f, merge);
    /* Parameters, then the values every edge agrees on, into the stack and the locals. */
    uint32_t *final = t->matrix.data;  // row 0 becomes the merged values
    for (uint32_t k = 0; k < np; k++) {
        uint32_t j = t->pslots.data[k];
        uint8_t vt = j < nres ? fr.results[j] : t->ltypes[t->slots.data[j - nres]];
        final[j] = ir_block_add_param(f, merge, tr_type(vt)).id;
    }
    /* Equal constants on every edge: a copy in the merge block. */
    for (uint32_t k = 0; k < t->cslots.len; k++) {
        uint32_t j = t->cslots.data[k];
        const IrInstData *c = &f->insts.data[final[j]];
        IrOp op = (IrOp)c->op;
        IrType ty = (IrType)c->type;
        uint64_t imm = c->imm;
        final[j] = ir_emit(f, op, ty, 0, 0, 0, imm).id;
    }
    t->stack.len = fr.height;
    for (uint32_t k = 0; k < nres; k++)
        tr_push(t, (IrValue){final[k]});
    for (uint32_t k = 0; k < t->slots.len; k++)
        t->cur[t->slots.data[k]] = final[nres + k];
    compact_log(t, fr.log_start);
    t->frames.len--;
    t->reachable = true;
}

/* ---- loops ------------------------------------------------------------------------------- */

/* The loop label's arguments: its parameters from the stack, then its local parameters. */
static void
loop_args(FeTranslator *t, const TrFrame *fr)
{
    const IrValue *top = stack_top(t, fr->nparams);
    t->args.len = 0;
    for (uint32_t k = 0; k < fr->nparams; k++)
        TR_PUSH(t, &t->args, ir_resolve(t->f, top[k]));
    for (uint32_t k = 0; k < fr->nlloc; k++) {
        IrValue v = ir_resolve(t->f, (IrValue){t->cur[t->lloc.data[fr->lloc + k]]});
        TR_PUSH(t, &t->args, v);
    }
}

static void
add_loop_pred(FeTranslator *t, uint32_t fi, uint32_t block)
{
    TrEdge e = {t->frames.data[fi].edges, block, TR_EDGE_LOOP, 0, 0, 0};
    TR_PUSH(t, &t->edges, e);
    t->frames.data[fi].edges = t->edges.len;
}

/* Ends the current block with a jump to the header of loop frame fi (a back edge). */
static void
jump_to_loop(FeTranslator *t, uint32_t fi)
{
    const TrFrame *fr = &t->frames.data[fi];
    loop_args(t, fr);
    uint32_t from = t->f->cur.id;
    ir_jump(t->f, (IrBlock){fr->header}, t->args.data, t->args.len);
    add_loop_pred(t, fi, from);
}

static void
begin_loop(FeTranslator *t, const FeFuncType *bt, const uint8_t *body)
{
    IrFunc *f = t->f;
    uint32_t ordinal = t->loop_ordinal++;
    if (ordinal >= t->loops_scanned)
        prescan_loops(t, body, ordinal);
    if (t->failed)
        return;
    /* The locals the body assigns, deduplicated. */
    TrLoopInfo li = t->loops.data[ordinal];
    uint32_t lstart = t->lloc.len, gen = next_gen(t);
    for (uint32_t i = li.start; i < li.end; i++) {
        uint32_t x = t->plog.data[i];
        if (t->seen[x] != gen) {
            t->seen[x] = gen;
            TR_PUSH(t, &t->lloc, x);
        }
    }
    TrFrame fr;
    memset(&fr, 0, sizeof(fr));
    fr.kind = TR_FRAME_LOOP;
    fr.nparams = bt->nparams;
    fr.nresults = bt->nresults;
    fr.params = bt->params;
    fr.results = bt->results;
    fr.height = t->stack.len - bt->nparams;
    fr.log_start = t->log.len;
    fr.lloc = lstart;
    fr.nlloc = t->lloc.len - lstart;
    IrBlock header = ir_block_new(f);
    fr.header = header.id;
    loop_args(t, &fr);
    uint32_t from = f->cur.id;
    ir_jump(f, header, t->args.data, t->args.len);
    TR_PUSH(t, &t->frames, fr);
    if (t->failed)
        return;
    uint32_t fi = t->frames.len - 1;
    add_loop_pred(t, fi, from);
    ir_block_start(f, header);
    for (uint32_t k = 0; k < bt->nparams; k++)
        t->stack.data[fr.height + k] = ir_block_add_param(f, header, tr_type(bt->params[k]));
    for (uint32_t k = 0; k < fr.nlloc; k++) {
        uint32_t x = t->lloc.data[lstart + k];
        set_local(t, x, ir_block_add_param(f, header, tr_type(t->ltypes[x])).id);
    }
}

/*
 * Ends a loop: every JUMP into its header is known now, so header parameters that receive
 * a single value besides themselves are replaced by it (repeated until stable, since one
 * removal can make another parameter trivial). The code continues in the current block.
 */
static void
end_loop(FeTranslator *t)
{
    IrFunc *f = t->f;
    uint32_t fi = t->frames.len - 1;
    TrFrame fr = t->frames.data[fi];
    IrBlockData *hb = &f->blocks.data[fr.header];
    uint32_t np = hb->nparams;
    bool removed = false, changed = np != 0;
    while (changed) {
        changed = false;
        for (uint32_t k = 0; k < np; k++) {
            IrValue param = {f->pool.data[hb->params + k]};
            if (ir_resolve(f, param).id != param.id)
                continue;  // already removed
            uint32_t same = 0;
            bool trivial = true;
            for (uint32_t ei = fr.edges; ei && trivial; ei = t->edges.data[ei - 1].next) {
                const IrTerm *term = &f->blocks.data[t->edges.data[ei - 1].block].term;
                IrValue arg = ir_resolve(f, (IrValue){f->pool.data[term->list + k]});
                if (arg.id == param.id || arg.id == same)
                    continue;
                if (same)
                    trivial = false;
                else
                    same = arg.id;
            }
            if (trivial && same) {
                ir_alias_set(f, param, (IrValue){same});
                changed = removed = true;
            }
        }
    }
    if (removed && f->alias) {
        for (uint32_t ei = fr.edges; ei; ei = t->edges.data[ei - 1].next) {
            IrTerm *term = &f->blocks.data[t->edges.data[ei - 1].block].term;
            uint32_t keep = 0;
            for (uint32_t k = 0; k < term->nlist; k++)
                if (!f->alias[f->pool.data[hb->params + k]])
                    f->pool.data[term->list + keep++] = f->pool.data[term->list + k];
            term->nlist = keep;
        }
        uint32_t keep = 0;
        for (uint32_t k = 0; k < np; k++) {
            uint32_t p = f->pool.data[hb->params + k];
            IrInstData *in = &f->insts.data[p];
            if (f->alias[p]) {
                memset(in, 0, sizeof(*in));
                in->op = IR_OP_NOP;
                continue;
            }
            in->imm = keep;
            f->pool.data[hb->params + keep++] = p;
        }
        hb->nparams = keep;
    }
    collect_assigned(t, fr.log_start);
    compact_log(t, fr.log_start);
    t->frames.len--;
}

/* ---- branches ---------------------------------------------------------------------------- */

static void
do_return(FeTranslator *t)
{
    uint32_t n = t->frames.data[0].nresults;
    const IrValue *top = stack_top(t, n);
    t->args.len = 0;
    for (uint32_t k = 0; k < n; k++)
        TR_PUSH(t, &t->args, ir_resolve(t->f, top[k]));
    ir_return(t->f, t->args.data, n);
    t->reachable = false;
}

/* The label arity of frame fi: what a branch to it carries. */
static inline uint32_t
label_arity(const TrFrame *fr)
{
    return fr->kind == TR_FRAME_LOOP ? fr->nparams : fr->nresults;
}

/* br to the label `depth` levels out. */
static void
do_br(FeTranslator *t, uint32_t depth)
{
    uint32_t fi = t->frames.len - 1 - depth;
    TrFrame *fr = &t->frames.data[fi];
    switch ((TrFrameKind)fr->kind) {
    case TR_FRAME_FUNC:
        do_return(t);
        return;
    case TR_FRAME_LOOP:
        jump_to_loop(t, fi);
        break;
    default: {
        uint32_t from = t->f->cur.id;
        ir_jump(t->f, IR_NONE_BLOCK, NULL, 0);  // target and arguments filled at the end
        add_edge(t, fi, TR_EDGE_JUMP, from, stack_top(t, fr->nresults), fr->nresults, true);
        break;
    }
    }
    t->reachable = false;
}

static void
do_br_if(FeTranslator *t, uint32_t depth)
{
    IrFunc *f = t->f;
    IrValue cond = tr_pop(t);
    uint64_t c;
    if (ir_value_is_const(f, cond, &c)) {
        if (c & 0xffffffffu)
            do_br(t, depth);
        return;
    }
    uint32_t fi = t->frames.len - 1 - depth;
    const TrFrame *fr = &t->frames.data[fi];
    IrBlock cont = ir_block_new(f);
    switch ((TrFrameKind)fr->kind) {
    case TR_FRAME_FUNC: {
        IrBlock ret = ir_block_new(f);
        ir_branch(f, cond, ret, cont);
        ir_block_start(f, ret);
        do_return(t);
        break;
    }
    case TR_FRAME_LOOP:
        if (f->blocks.data[fr->header].nparams == 0) {
            ir_branch(f, cond, (IrBlock){fr->header}, cont);
        } else {
            IrBlock edge = ir_block_new(f);
            ir_branch(f, cond, edge, cont);
            ir_block_start(f, edge);
            jump_to_loop(t, fi);
        }
        break;
    default: {
        uint32_t from = f->cur.id;
        ir_branch(f, cond, IR_NONE_BLOCK, cont);
        add_edge(t, fi, TR_EDGE_THEN, from, stack_top(t, fr->nresults), fr->nresults, true);
        break;
    }
    }
    ir_block_start(f, cont);
    t->reachable = true;
}

static void
do_br_table(FeTranslator *t, const FeInstr *in)
{
    IrFunc *f = t->f;
    IrValue index = tr_pop(t);
    uint32_t n = in->v.count;
    uint64_t c;
    const uint8_t *p = in->ptr;
    if (ir_value_is_const(f, index, &c)) {
        /* A constant index: a plain br to the selected label. */
        uint32_t sel = (uint32_t)c, depth = in->idx;
        for (uint32_t k = 0; k < n; k++) {
            uint32_t d = fe_u32_trusted(&p);
            if (k == sel) {
                depth = d;
                break;
            }
        }
        do_br(t, depth);
        return;
    }
    uint32_t gen = ++t->table_gen;
    t->targets.len = 0;
    for (uint32_t k = 0; k <= n; k++) {
        uint32_t depth = k < n ? fe_u32_trusted(&p) : in->idx;
        uint32_t fi = t->frames.len - 1 - depth;
        TrFrame *fr = &t->frames.data[fi];
        uint32_t target;
        if (fr->kind == TR_FRAME_LOOP && f->blocks.data[fr->header].nparams == 0) {
            target = fr->header;
        } else if (fr->kind == TR_FRAME_FUNC || fr->kind == TR_FRAME_LOOP) {
            if (fr->table_gen != gen) {
                fr->table_gen = gen;
                fr->table_block = ir_block_new(f).id;
            }
            target = fr->table_block;
        } else {
            fr->table_gen = gen;
            target = TR_TABLE_TAG | fi;
        }
        TR_PUSH(t, &t->targets, (IrBlock){target});
    }
    if (t->failed)
        return;
    uint32_t from = f->cur.id;
    ir_br_table(f, index, t->targets.data, n, t->targets.data[n]);
    /* Fill the blocks made for function and loop labels; record block/if edges. */
    for (uint32_t fi = 0; fi < t->frames.len; fi++) {
        TrFrame *fr = &t->frames.data[fi];
        if (fr->table_gen != gen)
            continue;
        switch ((TrFrameKind)fr->kind) {
        case TR_FRAME_FUNC:
            ir_block_start(f, (IrBlock){fr->table_block});
            do_return(t);
            break;
        case TR_FRAME_LOOP:
            ir_block_start(f, (IrBlock){fr->table_block});
            jump_to_loop(t, fi);
            break;
        default:
            add_edge(t, fi, TR_EDGE_TABLE, from, stack_top(t, fr->nresults), fr->nresults, true);
            break;
        }
    }
    t->reachable = false;
}

/* ---- structured control ------------------------------------------------------------------ */

static void
push_frame(FeTranslator *t, TrFrameKind kind, const FeFuncType *bt, bool dead)
{
    TrFrame fr;
    memset(&fr, 0, sizeof(fr));
    fr.kind = (uint8_t)kind;
    fr.dead = dead;
    if (!dead) {
        fr.nparams = bt->nparams;
        fr.nresults = bt->nresults;
        fr.params = bt->params;
        fr.results = bt->results;
        fr.height = t->stack.len - bt->nparams;
        fr.log_start = t->log.len;
    }
    TR_PUSH(t, &t->frames, fr);
}

static void
begin_if(FeTranslator *t, const FeFuncType *bt)
{
    IrFunc *f = t->f;
    IrValue cond = tr_pop(t);
    uint32_t stash = t->stash.len;
    const IrValue *top = stack_top(t, bt->nparams);
    for (uint32_t k = 0; k < bt->nparams; k++)
        TR_PUSH(t, &t->stash, top[k].id);
    push_frame(t, TR_FRAME_IF, bt, false);
    if (t->failed)
        return;
    TrFrame *fr = top_frame(t);
    fr->stash = stash;
    uint64_t c;
    if (ir_value_is_const(f, cond, &c)) {
        /* Only one arm can run: it stays in the current block, the other is dead code. */
        fr->if_state = (c & 0xffffffffu) ? TR_IF_CONST_THEN : TR_IF_CONST_ELSE;
        if (fr->if_state == TR_IF_CONST_ELSE)
            t->reachable = false;
        return;
    }
    fr->if_state = TR_IF_BRANCH;
    fr->branch_block = f->cur.id;
    IrBlock then_b = ir_block_new(f);
    ir_branch(f, cond, then_b, IR_NONE_BLOCK);  // the else target is set at `else` or `end`
    ir_block_start(f, then_b);
}

static void
do_else(FeTranslator *t)
{
    IrFunc *f = t->f;
    uint32_t fi = t->frames.len - 1;
    TrFrame *fr = &t->frames.data[fi];
    fr->in_else = 1;
    if (fr->if_state == TR_IF_CONST_THEN) {
        fr->then_reachable = t->reachable;  // the open block continues after `end`
        t->reachable = false;
        return;
    }
    if (fr->if_state == TR_IF_CONST_ELSE) {
        t->reachable = true;  // the block left open at `if` continues
        return;
    }
    if (t->reachable) {
        uint32_t from = f->cur.id;
        ir_jump(f, IR_NONE_BLOCK, NULL, 0);
        add_edge(t, fi, TR_EDGE_JUMP, from, stack_top(t, fr->nresults), fr->nresults, true);
        fr = &t->frames.data[fi];
    }
    /* The else arm starts from the values at `if`. */
    uint32_t gen = next_gen(t);
    for (uint32_t i = fr->log_start; i < t->log.len; i++) {
        uint32_t x = t->log.data[i].local;
        if (t->seen[x] != gen) {
            t->seen[x] = gen;
            t->cur[x] = t->log.data[i].old;
        }
    }
    t->stack.len = fr->height;
    for (uint32_t k = 0; k < fr->nparams; k++)
        tr_push(t, ir_resolve(f, (IrValue){t->stash.data[fr->stash + k]}));
    IrBlock else_b = ir_block_new(f);
    f->blocks.data[fr->branch_block].term.target2 = else_b.id;
    ir_block_start(f, else_b);
    t->reachable = true;
}

static void
do_end(FeTranslator *t)
{
    uint32_t fi = t->frames.len - 1;
    TrFrame *fr = &t->frames.data[fi];
    switch ((TrFrameKind)fr->kind) {
    case TR_FRAME_FUNC:
        if (t->reachable)
            do_return(t);
        t->frames.len--;
        return;
    case TR_FRAME_LOOP:
        end_loop(t);
        return;
    case TR_FRAME_IF:
        if (fr->if_state == TR_IF_BRANCH && !fr->in_else) {
            /* No else: the false edge carries the parameters through unchanged. */
            uint32_t nvals = fr->nparams;
            t->args.len = 0;
            for (uint32_t k = 0; k < nvals; k++)
                TR_PUSH(t, &t->args, ((IrValue){t->stash.data[fr->stash + k]}));
            add_edge(t, fi, TR_EDGE_ELSE, fr->branch_block, t->args.data, nvals, false);
        } else if (fr->if_state == TR_IF_CONST_THEN && fr->in_else) {
            t->reachable = fr->then_reachable;
        } else if (fr->if_state == TR_IF_CONST_ELSE && !fr->in_else) {
            t->reachable = true;  // the implicit empty else arm
        }
        merge_end(t);
        return;
    case TR_FRAME_BLOCK:
        merge_end(t);
        return;
    }
}

/* An instruction in unreachable code: only the nesting matters. */
static void
dead_instr(FeTranslator *t, const FeInstr *in)
{
    switch ((FeOp)in->op) {
    case FE_OP_BLOCK:
    case FE_OP_IF:
        push_frame(t, TR_FRAME_BLOCK, NULL, true);
        break;
    case FE_OP_LOOP:
        t->loop_ordinal++;
        push_frame(t, TR_FRAME_LOOP, NULL, true);
        break;
    case FE_OP_ELSE:
        if (!top_frame(t)->dead)
            do_else(t);
        break;
    case FE_OP_END:
        if (top_frame(t)->dead)
            t->frames.len--;
        else
            do_end(t);
        break;
    default:
        break;
    }
}

/* An instruction in reachable code. `next` points after it (the pre-scan starts there). */
static void
live_instr(FeTranslator *t, const FeInstr *in, const uint8_t *next)
{
    FeFuncType bt;
    switch ((FeOp)in->op) {
    case FE_OP_LOCAL_GET:
        tr_push(t, ir_resolve(t->f, (IrValue){t->cur[in->idx]}));
        break;
    case FE_OP_LOCAL_SET:
        set_local(t, in->idx, tr_pop(t).id);
        break;
    case FE_OP_LOCAL_TEE: {
        IrValue v = tr_pop(t);
        set_local(t, in->idx, v.id);
        tr_push(t, v);
        break;
    }
    case FE_OP_BLOCK:
        fe_block_type_resolve(t->m, in->v.block_type, &bt);
        push_frame(t, TR_FRAME_BLOCK, &bt, false);
        break;
    case FE_OP_LOOP:
        fe_block_type_resolve(t->m, in->v.block_type, &bt);
        begin_loop(t, &bt, next);
        break;
    case FE_OP_IF:
        fe_block_type_resolve(t->m, in->v.block_type, &bt);
        begin_if(t, &bt);
        break;
    case FE_OP_ELSE:
        do_else(t);
        break;
    case FE_OP_END:
        do_end(t);
        break;
    case FE_OP_BR:
        do_br(t, in->idx);
        break;
    case FE_OP_BR_IF:
        do_br_if(t, in->idx);
        break;
    case FE_OP_BR_TABLE:
        do_br_table(t, in);
        break;
    case FE_OP_RETURN:
        do_return(t);
        break;
    case FE_OP_UNREACHABLE:
        tr_trap(t, IR_TRAP_UNREACHABLE);
        break;
    default: {
        bool handled = tr_translate_op(t, in);
        SK_ASSERT(handled);
        break;
    }
    }
}

/*
 * The hot loop over reachable code: decodes the common instructions straight from the bytes
 * (locals, constants, numeric operators, memory accesses) and hands the rest to live_instr()
 * through the general decoder. Returns the position after the last instruction handled; it
 * stops when the code becomes unreachable or the body ends.
 */
static const uint8_t *
translate_reachable(FeTranslator *t, const uint8_t *p)
{
    IrFunc *f = t->f;
    while (t->reachable && t->frames.len && !t->failed) {
        uint32_t b = *p;
        switch (b) {
        case 0x1A:  // drop
            p++;
            t->stack.len--;
            continue;
        case 0x20: {  // local.get
            p++;
            uint32_t x = fe_u32_trusted(&p);
            tr_push(t, ir_resolve(f, (IrValue){t->cur[x]}));
            continue;
        }
        case 0x21: {  // local.set
            p++;
            uint32_t x = fe_u32_trusted(&p);
            set_local(t, x, tr_pop(t).id);
            continue;
        }
        case 0x22: {  // local.tee
            p++;
            uint32_t x = fe_u32_trusted(&p);
            IrValue v = ir_resolve(f, t->stack.data[t->stack.len - 1]);
            set_local(t, x, v.id);
            continue;
        }
        case 0x41:  // i32.const
            p++;
            tr_push(t, ir_build_iconst(f, IR_TYPE_I32, (uint32_t)fe_sleb_trusted(&p, 32)));
            continue;
        case 0x42:  // i64.const
            p++;
            tr_push(t, ir_build_iconst(f, IR_TYPE_I64, (uint64_t)fe_sleb_trusted(&p, 64)));
            continue;
        default:
            break;
        }
        const TrOpMap *map = &tr_op_map[fe_op_by_key[b]];
        switch ((TrKind)map->kind) {
        case TR_K_UNARY: {
            p++;
            IrValue a = tr_pop(t);
            tr_push(t, ir_build_unary(f, (IrOp)map->op, (IrType)map->type, a));
            continue;
        }
        case TR_K_BINARY: {
            p++;
            IrValue y = tr_pop(t), x = tr_pop(t);
            tr_push(t, ir_build_binary(f, (IrOp)map->op, (IrType)map->type, x, y));
            continue;
        }
        case TR_K_ICMP: {
            p++;
            IrValue y = tr_pop(t), x = tr_pop(t);
            tr_push(t, ir_build_icmp(f, (IrIntCond)map->aux, x, y));
            continue;
        }
        case TR_K_FCMP: {
            p++;
            IrValue y = tr_pop(t), x = tr_pop(t);
            tr_push(t, ir_build_fcmp(f, (IrFloatCond)map->aux, x, y));
            continue;
        }
        case TR_K_DIV:
            p++;
            tr_translate_div(t, (IrOp)map->op, (IrType)map->type);
            continue;
        case TR_K_LOAD: {
            p++;
            uint32_t align = fe_u32_trusted(&p), offset = fe_u32_trusted(&p);
            IrValue addr = tr_pop(t);
            tr_push(t, ir_emit(f, (IrOp)map->op, (IrType)map->type, addr.id, 0,
                               IR_MEMARG(0, align, 0), offset));
            continue;
        }
        case TR_K_STORE: {
            p++;
            uint32_t align = fe_u32_trusted(&p), offset = fe_u32_trusted(&p);
            IrValue val = tr_pop(t), addr = tr_pop(t);
            ir_emit(f, (IrOp)map->op, IR_TYPE_NONE, addr.id, val.id, IR_MEMARG(0, align, 0),
                    offset);
            continue;
        }
        default: {
            FeInstr in;
            const uint8_t *next = fe_instr_read_trusted(p, &in);
            live_instr(t, &in, next);
            p = next;
            continue;
        }
        }
    }
    return p;
}

/* ---- entry point ------------------------------------------------------------------------- */

/* Resets the per-function state and sets up locals: parameters, then zeroed locals. */
static bool
start_func(FeTranslator *t, uint32_t func_index, const uint8_t **out_body)
{
    IrFunc *f = t->f;
    sk_arena_reset(&t->scratch);
    const uint8_t *body = fe_func_locals(t->m, func_index, &t->scratch, &t->ltypes, &t->nlocals);
    if (!body || !ensure_locals(t, t->nlocals))
        return false;
    t->stack.len = t->frames.len = t->log.len = t->edges.len = 0;
    t->edge_vals.len = t->snaps.len = t->stash.len = t->lloc.len = 0;
    t->plog.len = t->loops.len = 0;
    t->loop_ordinal = t->loops_scanned = 0;
    t->reachable = true;
    t->failed = false;
    if (t->nlocals) {
        memset(t->mark, 0, (size_t)t->nlocals * sizeof(uint32_t));
        memset(t->pmark, 0, (size_t)t->nlocals * sizeof(uint32_t));
    }

    const IrSig *sig = &t->im->sigs[f->sig];
    uint32_t zero[IR_TYPE_COUNT] = {0};
    for (uint32_t x = 0; x < t->nlocals; x++) {
        if (x < sig->nparams) {
            t->cur[x] = ir_func_param(f, x).id;
            continue;
        }
        IrType ty = tr_type(t->ltypes[x]);
        if (!zero[ty]) {
            static const uint8_t zeros[16] = {0};
            if (ty == IR_TYPE_I32 || ty == IR_TYPE_I64)
                zero[ty] = ir_build_iconst(f, ty, 0).id;
            else if (ty == IR_TYPE_F32 || ty == IR_TYPE_F64)
                zero[ty] = ir_build_fconst(f, ty, 0).id;
            else if (ty == IR_TYPE_V128)
                zero[ty] = ir_build_vconst(f, zeros).id;
            else
                zero[ty] = ir_emit(f, IR_OP_REF_NULL, ty, 0, 0, 0, 0).id;
        }
        t->cur[x] = zero[ty];
    }
    const FeFuncType *ft = &t->m->types[t->m->funcs[func_index].type_index];
    FeFuncType bt = {0, ft->nresults, NULL, ft->results};
    push_frame(t, TR_FRAME_FUNC, &bt, false);
    *out_body = body;
    return !t->failed;
}

bool
fe_translate_func(FeTranslator *t, uint32_t func_index, SkArena *arena, IrFunc *out,
                  SkDiag *diag)
{
    const FeModule *m = t->m;
    SK_ASSERT(func_index >= m->nimported_funcs && func_index < m->nfuncs);
    const FeFunc *fn = &m->funcs[func_index];
    t->f = out;
    const uint8_t *p = NULL;
    /* Sizes measured on real code (sightglass): about 0.3 instructions, 0.07 blocks and
     * 0.5 pool words per body byte. A hint, not a limit: the arrays grow if needed. */
    if (!ir_func_init(out, arena, t->im, func_index) ||
        !ir_func_reserve(out, fn->body_size / 3 + 32, fn->body_size / 12 + 8) ||
        !ir_func_reserve_pool(out, fn->body_size / 2 + 32) ||
        !start_func(t, func_index, &p)) {
        sk_diag_set(diag, SK_DIAG_OUT_OF_MEMORY, fn->body_offset, "out of memory translating");
        if (diag)
            diag->func_index = func_index;
        return false;
    }
    const uint8_t *end = m->bytes + fn->body_offset + fn->body_size;
    while (t->frames.len && !t->failed) {
        if (t->reachable) {
            p = translate_reachable(t, p);
            continue;
        }
        FeInstr in;
        p = fe_instr_read_trusted(p, &in);
        dead_instr(t, &in);
    }
    if (t->failed || arena->failed) {
        sk_diag_set(diag, SK_DIAG_OUT_OF_MEMORY, (uint64_t)(p - m->bytes),
                    "out of memory translating");
        if (diag)
            diag->func_index = func_index;
        return false;
    }
    SK_ASSERT(p == end);
    /* Blocks are created only as targets of terminators in live code. Merge parameters are
     * created only for values that differ, and loop parameters are checked when the loop
     * ends: only a later replacement (an alias) can make one trivial. */
    out->flags |= IR_FUNCF_ALL_REACHABLE;
    if (!out->alias)
        out->flags |= IR_FUNCF_NO_TRIVIAL_PARAMS | IR_FUNCF_BRANCHES_FOLDED;
    ir_alias_apply(out);
    return true;
}
