/*
 * Translation of validated Wasm function bodies into SSA IR (DESIGN.md: "Locals become SSA
 * values during translation"): the control flow half and the entry point; the dispatch loop
 * and the other instructions are in translate_ops.c. One pass over the body with an operand
 * stack of IrValues; control flow is structured, so the SSA construction is simple (in the
 * spirit of Braun et al., "Simple and Efficient Construction of SSA Form", CC 2013, which
 * needs no dominance frontiers; here the structure tells us every predecessor of a merge
 * when it ends):
 *
 *   - locals: cur[x] is local x's current value. tr_set_local() logs (x, old value) the
 *     first time x is set inside the innermost open construct, so a construct's log range
 *     is the set of locals it assigns, once each, with their values at its entry. Closing a
 *     construct moves its records into the parent's range, dropping those the parent has:
 *     work per construct is proportional to the locals it assigns, never to all locals;
 *   - block/if labels: each branch records the label's result values and a snapshot of the
 *     locals in the label's log range; at `end` every incoming edge is known, and the merge
 *     block gets parameters only for results and locals whose values differ (none at all for
 *     a construct nobody branches to: the code just continues in the same block). The merge
 *     reads each snapshot once (merge_end), not a matrix of edges by locals;
 *   - loops: the header gets parameters for the locals assigned in the body (the
 *     validator's records, or a pre-scan for a body without hints) and for the loop's
 *     block-type parameters; back edges pass them; when the loop ends, parameters that only
 *     receive one value besides themselves are removed;
 *   - liveness: the validator gives each local's last-read offset (FeFuncHints); a local
 *     dead from a point on is not set there, leaves the log, snapshots and merges, and gets
 *     no loop parameter, so no block parameter is made only for DCE to delete;
 *   - conditional and table branches that must pass values go through edge blocks ending
 *     in a JUMP, the only terminator with arguments (ir/ir.h);
 *   - unreachable code (after br, br_table, return, unreachable, a certain trap) emits
 *     nothing and is skipped to the end of its construct (tr_skip_dead).
 *
 * Folding happens in the ir_build_* calls (ir/fold.c). The caller runs the passes.
 */
#include <string.h>

#include "frontend/translate.h"

/* ---- lifetime ---------------------------------------------------------------------------- */

static bool grow_array(FeTranslator *t, void **data, uint32_t *cap, size_t elem, uint64_t need);

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
    tr_classes_init(t);
    /* Every vector starts with storage, so that `data + len` is never arithmetic on NULL
     * (undefined even with len 0; clang's UBSan reports it). */
    bool ok = SK_VEC_RESERVE_HEAP(&t->log, alloc, 16) && SK_VEC_RESERVE_HEAP(&t->edges, alloc, 16) &&
              SK_VEC_RESERVE_HEAP(&t->edge_vals, alloc, 16) &&
              SK_VEC_RESERVE_HEAP(&t->snaps, alloc, 16) &&
              SK_VEC_RESERVE_HEAP(&t->stash, alloc, 16) &&
              SK_VEC_RESERVE_HEAP(&t->lloc, alloc, 16) && SK_VEC_RESERVE_HEAP(&t->plog, alloc, 16) &&
              SK_VEC_RESERVE_HEAP(&t->loops, alloc, 16) &&
              SK_VEC_RESERVE_HEAP(&t->pstack, alloc, 16) &&
              SK_VEC_RESERVE_HEAP(&t->cols, alloc, 16) && SK_VEC_RESERVE_HEAP(&t->pcols, alloc, 16) &&
              SK_VEC_RESERVE_HEAP(&t->args, alloc, 48) &&
              SK_VEC_RESERVE_HEAP(&t->targets, alloc, 16) &&
              grow_array(t, (void **)&t->frames, &t->frames_cap, sizeof(TrFrame), 64);
    if (!ok) {
        fe_translator_free(t);
        return NULL;
    }
    return t;
}

void
fe_translator_free(FeTranslator *t)
{
    if (!t)
        return;
    const SkAlloc *a = t->alloc;
    sk_arena_free(&t->scratch);
    uint32_t *arrays[] = {t->cur, t->mark, t->seen, t->pmark};
    for (size_t i = 0; i < SK_ARRAY_LEN(arrays); i++)
        sk_free(a, arrays[i], (size_t)t->locals_cap * sizeof(uint32_t));
    sk_free(a, t->stk, (size_t)t->stk_cap * sizeof(IrValue));
    sk_free(a, t->frames, (size_t)t->frames_cap * sizeof(TrFrame));
    sk_vec_free_heap(&t->log, a);
    sk_vec_free_heap(&t->edges, a);
    sk_vec_free_heap(&t->edge_vals, a);
    sk_vec_free_heap(&t->snaps, a);
    sk_vec_free_heap(&t->stash, a);
    sk_vec_free_heap(&t->lloc, a);
    sk_vec_free_heap(&t->plog, a);
    sk_vec_free_heap(&t->loops, a);
    sk_vec_free_heap(&t->pstack, a);
    sk_vec_free_heap(&t->cols, a);
    sk_vec_free_heap(&t->pcols, a);
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

/* ---- per-function state ------------------------------------------------------------------ */

/* Grows the per-local arrays to hold n locals. */
static bool
ensure_locals(FeTranslator *t, uint32_t n)
{
    if (n <= t->locals_cap)
        return true;
    uint32_t cap = t->locals_cap ? t->locals_cap : 64;
    while (cap < n)
        cap *= 2;
    /* All four arrays have locals_cap entries or all have cap: the new ones are allocated
     * first and replace the old ones only when every allocation succeeded, so that
     * fe_translator_free passes the allocator the size each block has. */
    uint32_t **arrays[] = {&t->cur, &t->mark, &t->seen, &t->pmark};
    uint32_t *fresh[SK_ARRAY_LEN(arrays)];
    size_t old_size = (size_t)t->locals_cap * sizeof(uint32_t);
    size_t new_size = (size_t)cap * sizeof(uint32_t);
    for (size_t i = 0; i < SK_ARRAY_LEN(arrays); i++) {
        fresh[i] = sk_malloc(t->alloc, new_size);
        if (!fresh[i]) {
            while (i-- > 0)
                sk_free(t->alloc, fresh[i], new_size);
            return false;
        }
    }
    for (size_t i = 0; i < SK_ARRAY_LEN(arrays); i++) {
        if (old_size)
            memcpy(fresh[i], *arrays[i], old_size);
        memset((uint8_t *)fresh[i] + old_size, 0, new_size - old_size);
        sk_free(t->alloc, *arrays[i], old_size);
        *arrays[i] = fresh[i];
    }
    t->locals_cap = cap;
    return true;
}

/* Grows a plain heap array of `elem` bytes per element to at least `need` elements. */
static bool
grow_array(FeTranslator *t, void **data, uint32_t *cap, size_t elem, uint64_t need)
{
    if (need <= *cap)
        return true;
    uint64_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    if (n > UINT32_MAX / 2 || need > UINT32_MAX / 2)
        return false;
    void *p = sk_realloc(t->alloc, *data, (size_t)*cap * elem, (size_t)n * elem);
    if (!p)
        return false;
    *data = p;
    *cap = (uint32_t)n;
    return true;
}

void
tr_stack_room(FeTranslator *t, uint32_t n, const uint8_t *p)
{
    uint64_t need = (uint64_t)t->sp + n + (uint64_t)(t->end - p) + 16;
    if (!grow_array(t, (void **)&t->stk, &t->stk_cap, sizeof(IrValue), need))
        t->failed = true;
}

/* A fresh stamp for `seen` (never 0; the array is cleared on wrap-around). */
static inline uint32_t
next_gen(FeTranslator *t)
{
    if (SK_UNLIKELY(++t->gen == 0)) {
        if (t->locals_cap)
            memset(t->seen, 0, (size_t)t->locals_cap * sizeof(uint32_t));
        t->gen = 1;
    }
    return t->gen;
}

static inline TrFrame *
top_frame(FeTranslator *t)
{
    return &t->frames[t->nframes - 1];
}

/* Opens a construct whose parameters are on the stack. When the frames cannot grow, sets
 * t->failed and returns a spare frame that nothing reads (callers stop on failure). */
SK_INLINE TrFrame *
push_frame(FeTranslator *t, TrFrameKind kind, const FeFuncType *bt)
{
    if (SK_UNLIKELY(t->nframes >= t->frames_cap) &&
        !grow_array(t, (void **)&t->frames, &t->frames_cap, sizeof(TrFrame),
                    (uint64_t)t->nframes + 1)) {
        t->failed = true;
        return &t->spare_frame;
    }
    TrFrame *fr = &t->frames[t->nframes++];
    memset(fr, 0, sizeof(*fr));
    fr->kind = (uint8_t)kind;
    fr->nparams = bt->nparams;
    fr->nresults = bt->nresults;
    fr->params = bt->params;
    fr->results = bt->results;
    SK_ASSERT(t->sp >= bt->nparams);
    fr->height = t->sp - bt->nparams;
    fr->log_start = t->log.len;
    t->log_base = fr->log_start;
    return fr;
}

/*
 * Closes the top construct: its log records move into the parent's range, except those of
 * locals the parent has already recorded (a record's `prev` tells: the parent's own records
 * lie between the parent's log start and this construct's), so every range keeps one record
 * per local, with the local's value at that construct's entry; and except those of locals
 * dead from here on (t->pos).
 */
SK_INLINE void
pop_frame(FeTranslator *t)
{
    uint32_t fi = t->nframes - 1;
    uint32_t from = t->frames[fi].log_start;
    uint32_t pstart = fi ? t->frames[fi - 1].log_start : 0;
    TrLog *log = t->log.data;
    uint32_t *mark = t->mark;
    const uint32_t *live = t->live;
    uint32_t pos = t->pos, w = from;
    for (uint32_t i = from; i < t->log.len; i++) {
        /* Branch-free: whether a record stays depends on the data. A local dead from here
         * on needs no record: nothing will merge it. */
        TrLog r = log[i];
        uint32_t keep = (r.prev <= pstart) & (live[r.local] >= pos);
        log[w] = r;
        mark[r.local] = keep ? w + 1 : r.prev;
        w += keep;
    }
    t->log.len = w;
    t->nframes = fi;
    t->log_base = pstart;
}

/* ---- pre-scan of loops ------------------------------------------------------------------- */

/*
 * Scans the body of the loop whose ordinal is `first` (p points after its `loop`
 * instruction) to its matching end, and records for it and every loop nested in it the
 * locals it assigns: t->loops[ordinal] = a range of t->plog (distinct within one loop's own
 * records; a nested loop's range is inside its parents'). Each byte is scanned once: nested
 * loops are covered by the outer scan. It steps over instructions by their skip class.
 * Used only for bodies without the validator's hints (FeFuncHints), which record the same.
 * (A pre-scan of the whole body that also found each local's last read, to give dead
 * locals no parameters, cost more time than it saved: about 1.1 ms on sqlite3.wasm,
 * mostly mispredicted dispatch, against the DCE work it spared.)
 */
#if TR_THREADED
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#endif
static void
prescan_loops(FeTranslator *t, const uint8_t *p, uint32_t first)
{
    uint32_t *pmark = t->pmark;
    uint32_t next = first + 1;
    if (!SK_VEC_RESERVE_HEAP(&t->loops, t->alloc, next)) {
        t->failed = true;
        return;
    }
    while (t->loops.len < next)
        t->loops.data[t->loops.len++] = (TrLoopInfo){0, 0};
    t->loops.data[first].start = t->plog.len;
    /* pstack: per open construct, the innermost-loop start to restore at its end, and the
     * loop's ordinal + 1 (0 for a block or if). */
    t->pstack.len = 0;
    TR_PUSH(t, &t->pstack, 0);
    TR_PUSH(t, &t->pstack, next);
    uint32_t inner = t->plog.len;  // the plog start of the innermost open loop
#if TR_THREADED
    static const void *const labels[TR_SC_COUNT] = {
        [TR_SC_NONE] = &&sc_NONE, [TR_SC_LEB] = &&sc_LEB,   [TR_SC_LEB2] = &&sc_LEB2,
        [TR_SC_F32] = &&sc_F32,   [TR_SC_F64] = &&sc_F64,   [TR_SC_BLOCK] = &&sc_BLOCK,
        [TR_SC_LOOP] = &&sc_LOOP, [TR_SC_ELSE] = &&sc_NONE, [TR_SC_END] = &&sc_END,
        [TR_SC_SET] = &&sc_SET,   [TR_SC_SLOW] = &&sc_SLOW,
    };
    if (!t->has_scan_dispatch) {
        for (uint32_t k = 0; k < 256; k++)
            t->scan_dispatch[k] = labels[tr_skip_class[k]];
        t->has_scan_dispatch = true;
    }
#define SC(c) sc_##c
#define SCAN_NEXT() goto *t->scan_dispatch[*p]
    SCAN_NEXT();
#else
#define SC(c) case TR_SC_##c
#define SCAN_NEXT() goto scan
scan:
    switch ((TrSkipClass)tr_skip_class[*p]) {
    case TR_SC_ELSE:
    case TR_SC_COUNT:
#endif
    SC(NONE):
        p++;
        SCAN_NEXT();
    SC(LEB):
        p++;
        tr_skip_leb(&p);
        SCAN_NEXT();
    SC(LEB2):
        p++;
        tr_skip_leb(&p);
        tr_skip_leb(&p);
        SCAN_NEXT();
    SC(F32):
        p += 5;
        SCAN_NEXT();
    SC(F64):
        p += 9;
        SCAN_NEXT();
    SC(SET): {
        p++;
        uint32_t x = fe_u32_trusted(&p);
        if (pmark[x] <= inner) {
            TR_PUSH(t, &t->plog, x);
            pmark[x] = t->plog.len;
        }
        SCAN_NEXT();
    }
    SC(BLOCK):
        p++;
        tr_skip_leb(&p);
        TR_PUSH(t, &t->pstack, inner);
        TR_PUSH(t, &t->pstack, 0);
        SCAN_NEXT();
    SC(LOOP):
        p++;
        tr_skip_leb(&p);
        TR_PUSH(t, &t->loops, ((TrLoopInfo){t->plog.len, t->plog.len}));
        TR_PUSH(t, &t->pstack, inner);
        TR_PUSH(t, &t->pstack, t->loops.len);
        inner = t->plog.len;
        next++;
        SCAN_NEXT();
    SC(END): {
        p++;
        /* A failed push left pstack short: stop (the caller reports out of memory). */
        if (SK_UNLIKELY(t->failed))
            return;
        uint32_t ord = t->pstack.data[t->pstack.len - 1];
        inner = t->pstack.data[t->pstack.len - 2];
        t->pstack.len -= 2;
        if (ord)
            t->loops.data[ord - 1].end = t->plog.len;
        if (!t->pstack.len || t->failed) {
            t->loops_scanned = next;  // the first loop's end
            return;
        }
        SCAN_NEXT();
    }
    SC(SLOW): {
        FeInstr in;
        p = fe_instr_read_trusted(p, &in);
        SCAN_NEXT();
    }
#if !TR_THREADED
    }
    sk_unreachable();
#endif
#undef SC
#undef SCAN_NEXT
}
#if TR_THREADED
#pragma GCC diagnostic pop
#endif

/* ---- edges ------------------------------------------------------------------------------- */

/*
 * Records an edge into the block/if label of frame fi: `nvals` arity values and, with
 * `snapshot`, the current values of the locals the label's construct has assigned so far
 * (locals not in the snapshot still hold their entry values on this edge). Returns the
 * edge, or NULL when out of memory.
 */
SK_INLINE TrEdge *
add_edge(FeTranslator *t, uint32_t fi, TrEdgeKind kind, uint32_t block, const IrValue *vals,
         uint32_t nvals, bool snapshot)
{
    TrFrame *fr = &t->frames[fi];
    uint32_t range = snapshot ? t->log.len - fr->log_start : 0;
    if (!SK_VEC_RESERVE_HEAP(&t->edges, t->alloc, t->edges.len + 1) ||
        !SK_VEC_RESERVE_HEAP(&t->edge_vals, t->alloc, t->edge_vals.len + nvals) ||
        !SK_VEC_RESERVE_HEAP(&t->snaps, t->alloc, t->snaps.len + 2 * range)) {
        t->failed = true;
        return NULL;
    }
    TrEdge *e = &t->edges.data[t->edges.len++];
    e->block = block;
    e->kind = kind;
    e->aux = 0;
    e->vals = t->edge_vals.len;
    uint32_t *ev = t->edge_vals.data + t->edge_vals.len;
    for (uint32_t k = 0; k < nvals; k++)
        ev[k] = vals[k].id;
    t->edge_vals.len += nvals;
    /* The range holds the label's own records and those of the constructs still open
     * inside it, which may repeat a local: only a record whose local had no earlier record
     * in the range (prev at or before its start) is the local's first. */
    e->snap = t->snaps.len;
    uint32_t *out = t->snaps.data + t->snaps.len, n = 0, ls = fr->log_start, pos = t->pos;
    const TrLog *log = t->log.data + ls;
    const uint32_t *live = t->live;
    for (uint32_t i = 0; i < range; i++) {
        uint32_t x = log[i].local;
        if (log[i].prev > ls || live[x] < pos)
            continue;  // a repeat, or dead at the label too
        out[2 * n] = x;
        out[2 * n + 1] = t->cur[x];
        n++;
    }
    e->nsnap = n;
    t->snaps.len += 2 * n;
    e->next = fr->edges;
    fr->edges = t->edges.len;
    fr->nedges++;
    return e;
}

/* Points the slot of edge e (a conditional or table branch) at block `target`. */
static void
patch_edge(FeTranslator *t, const TrEdge *e, uint32_t target)
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
        /* The label's slots form a chain: each holds TR_TABLE_TAG | the next slot's
         * position + 1 (position nlist is the default target). */
        uint32_t *pool = t->f->pool.data;
        for (uint32_t pos = e->aux; pos;) {
            uint32_t *slot = pos - 1 < term->nlist ? &pool[term->list + pos - 1] : &term->target;
            SK_ASSERT(*slot & TR_TABLE_TAG);
            pos = *slot & ~TR_TABLE_TAG;
            *slot = target;
        }
        break;
    }
    default:
        sk_unreachable();
    }
}

/* ---- merges ------------------------------------------------------------------------------ */

/* True if values a and b are equal integer or float constants (same type and bits). */
static inline bool
same_constant(const IrFunc *f, uint32_t a, uint32_t b)
{
    const IrInstData *ca = &f->insts.data[a], *cb = &f->insts.data[b];
    return (ca->op == IR_OP_ICONST || ca->op == IR_OP_FCONST) && cb->op == ca->op &&
           cb->type == ca->type && cb->imm == ca->imm;
}

/* Adds value v of one incoming row to column c. */
static inline void
col_add(const IrFunc *f, TrCol *c, uint32_t v)
{
    if (!c->first)
        c->first = v;
    else if (v != c->first && c->state < TR_COL_DIFF)
        c->state = same_constant(f, c->first, v) ? TR_COL_CONST : TR_COL_DIFF;
}

/*
 * merge_end() without parameters, when they cannot arise: a single incoming edge (and no
 * fallthrough; its values become current), or nothing to merge (no results, no assigned
 * locals). Continues in a new merge block, or in the edge's block if it just ended.
 */
static void
merge_simple(FeTranslator *t, const TrFrame *fr, bool ft)
{
    IrFunc *f = t->f;
    const TrEdge *single = !ft && fr->nedges == 1 ? &t->edges.data[fr->edges - 1] : NULL;
    if (single) {
        /* Locals: entry values, then the edge's snapshot; results: the edge's values. */
        const TrLog *log = t->log.data;
        for (uint32_t i = fr->log_start; i < t->log.len; i++)
            t->cur[log[i].local] = log[i].old;
        const uint32_t *snap = t->snaps.data + single->snap;
        for (uint32_t k = 0; k < single->nsnap; k++)
            t->cur[snap[2 * k]] = tr_resolved(f, snap[2 * k + 1]);
        t->sp = fr->height;
        for (uint32_t k = 0; k < fr->nresults; k++)
            t->stk[t->sp++].id = tr_resolved(f, t->edge_vals.data[single->vals + k]);
    }
    if (single && single->kind == TR_EDGE_JUMP &&
        f->blocks.data[single->block].end == f->insts.len &&
        f->blocks.data[single->block].term.target == 0) {
        ir_block_reopen(f, (IrBlock){single->block});  // br right before `end`: continue there
    } else {
        IrBlock merge = ir_block_new(f);
        if (ft)
            ir_jump(f, merge, NULL, 0);
        for (uint32_t ei = fr->edges; ei;) {
            const TrEdge *e = &t->edges.data[ei - 1];
            ei = e->next;
            if (e->kind == TR_EDGE_JUMP)
                f->blocks.data[e->block].term.target = merge.id;
            else
                patch_edge(t, e, merge.id);
        }
        ir_block_start(f, merge);
    }
    pop_frame(t);
    t->reachable = true;
}

/*
 * Ends the block/if construct of the top frame: builds the merge of its incoming edges (the
 * pending branches and the fallthrough if reachable), with parameters for the values that
 * differ, and continues there. No edges: the rest is unreachable. Only the fallthrough: the
 * code continues in the current block.
 *
 * Each result and each local of the construct's log range is a column (TrCol). Every edge
 * adds its result values and its snapshot to the columns once; a local missing from some
 * snapshots has its entry value on those edges. Columns whose values differ become the
 * merge block's parameters; equal constants on every edge get a copy in the merge block.
 * The loops over the range are fused (few loops: each exit is a likely misprediction).
 */
static void
merge_end(FeTranslator *t)
{
    IrFunc *f = t->f;
    uint32_t fi = t->nframes - 1;
    const TrFrame *frp = &t->frames[fi];
    if (!frp->edges) {
        if (!t->reachable)
            t->sp = frp->height;
        pop_frame(t);
        return;
    }
    bool ft = t->reachable;
    uint32_t nres = frp->nresults, ls = frp->log_start, nloc = t->log.len - ls;
    uint32_t ncols = nres + nloc, nrows = frp->nedges + ft;
    if (nrows == 1 || ncols == 0) {
        TrFrame fr = *frp;
        merge_simple(t, &fr, ft);
        return;
    }
    if (SK_UNLIKELY(ncols >= t->cols.cap || ncols > t->pcols.cap || 3 * ncols > t->args.cap) &&
        (!SK_VEC_RESERVE_HEAP(&t->cols, t->alloc, ncols + 1) ||
         !SK_VEC_RESERVE_HEAP(&t->pcols, t->alloc, ncols) ||
         !SK_VEC_RESERVE_HEAP(&t->args, t->alloc, 3 * ncols))) {
        t->failed = true;
        return;
    }
    uint32_t edges = frp->edges, height = frp->height;
    const uint8_t *results = frp->results;
    TrCol *cols = t->cols.data;
    TrLog *log = t->log.data + ls;
    TrCol *lcols = cols + nres;  // the locals' columns, in log order
    uint32_t *mark = t->mark, *cur = t->cur;
    const IrValue *top = &t->stk[t->sp - (ft ? nres : 0)];
    for (uint32_t j = 0; j < nres; j++)
        cols[j] = (TrCol){0, TR_COL_SAME, 0, UINT32_MAX};
    const uint32_t *live = t->live;
    uint32_t pos = t->pos;
    for (uint32_t i = 0; i < nloc; i++)
        lcols[i] = (TrCol){0, live[log[i].local] < pos ? TR_COL_DEAD : TR_COL_SAME, 0, UINT32_MAX};
    lcols[nloc] = (TrCol){0, TR_COL_DEAD, 0, UINT32_MAX};
    /* A local of the range has its last record in the range: lcols[mark[x] - 1 - ls]; a
     * dead one may have lost its record (pop_frame) and goes to the extra column nloc. */
    for (uint32_t ei = edges; ei;) {
        const TrEdge *e = &t->edges.data[ei - 1];
        ei = e->next;
        const uint32_t *vals = t->edge_vals.data + e->vals;
        for (uint32_t r = 0; r < nres; r++)
            col_add(f, &cols[r], tr_resolved(f, vals[r]));
        uint32_t *snap = t->snaps.data + e->snap;
        for (uint32_t k = 0; k < e->nsnap; k++) {
            uint32_t x = snap[2 * k];
            uint32_t j = live[x] < pos ? nloc : mark[x] - 1 - ls;
            snap[2 * k] = j;  // the column from now on (the edge is read by this merge only)
            lcols[j].rows++;
            col_add(f, &lcols[j], tr_resolved(f, snap[2 * k + 1]));
        }
    }
    /* The fallthrough, the entry values of edges that did not assign a local, and the
     * parameters (results first, then locals in log order); ftargs: the fallthrough's,
     * pdef: what an edge passes unless its values or snapshot say otherwise. */
    uint32_t np = 0;
    uint32_t *pcols = t->pcols.data;
    IrValue *ftargs = t->args.data + ncols, *pdef = t->args.data + 2 * ncols;
    for (uint32_t r = 0; r < nres; r++) {
        if (ft)
            col_add(f, &cols[r], top[r].id);
        if (cols[r].state == TR_COL_DIFF) {
            ftargs[np] = ft ? top[r] : IR_NONE_VALUE;
            pdef[np] = IR_NONE_VALUE;  // every edge has its own
            cols[r].param = np;
            pcols[np++] = r;
        }
    }
    for (uint32_t i = 0; i < nloc; i++) {
        TrCol *c = &lcols[i];
        uint32_t x = log[i].local;
        if (ft)
            col_add(f, c, cur[x]);
        if (c->rows + ft < nrows)
            col_add(f, c, log[i].old);  // the edges that did not assign it
        if (c->state == TR_COL_DIFF) {
            ftargs[np].id = cur[x];
            pdef[np].id = log[i].old;
            c->param = np;
            pcols[np++] = nres + i;
        }
    }

    /* Connect the edges, each passing its values of the parameter columns: the fallthrough
     * jumps; JUMP edges get their arguments; conditional and table branches, which cannot
     * pass arguments, go through a new edge block when there are any. */
    IrBlock merge = ir_block_new(f);
    IrValue *args = t->args.data;
    if (ft)
        ir_jump(f, merge, ftargs, np);
    for (uint32_t ei = edges; ei;) {
        const TrEdge *e = &t->edges.data[ei - 1];
        ei = e->next;
        if (np) {
            memcpy(args, pdef, (size_t)np * sizeof(IrValue));
            if (SK_UNLIKELY(nres)) {
                const uint32_t *vals = t->edge_vals.data + e->vals;
                for (uint32_t r = 0; r < nres; r++)
                    if (cols[r].param != UINT32_MAX)
                        args[cols[r].param].id = tr_resolved(f, vals[r]);
            }
            const uint32_t *snap = t->snaps.data + e->snap;
            for (uint32_t k = 0; k < e->nsnap; k++) {
                uint32_t param = lcols[snap[2 * k]].param;
                if (param != UINT32_MAX)
                    args[param].id = tr_resolved(f, snap[2 * k + 1]);
            }
        }
        if (e->kind == TR_EDGE_JUMP) {
            uint32_t list = ir_pool_push_values(f, args, np);
            IrTerm *term = &f->blocks.data[e->block].term;
            term->target = merge.id;
            term->list = list;
            term->nlist = np;
            continue;
        }
        uint32_t target = merge.id;
        if (np) {
            IrBlock edge = ir_block_new(f);
            ir_block_start(f, edge);
            ir_jump(f, merge, args, np);
            target = edge.id;
        }
        patch_edge(t, e, target);
    }

    /* The merge block: parameters, then copies of the constants every edge agrees on; the
     * merged values become the stack's results and the locals' values, and the range's
     * records move into the parent's (pop_frame, fused into the same loop). */
    ir_block_start(f, merge);
    for (uint32_t k = 0; k < np; k++) {
        uint32_t j = pcols[k];
        uint8_t vt = j < nres ? results[j] : t->ltypes[log[j - nres].local];
        cols[j].first = ir_block_add_param(f, merge, tr_type(vt)).id;
    }
    t->sp = height;
    for (uint32_t r = 0; r < nres; r++) {
        if (SK_UNLIKELY(cols[r].state == TR_COL_CONST)) {
            const IrInstData *c = &f->insts.data[cols[r].first];
            cols[r].first = ir_emit(f, (IrOp)c->op, (IrType)c->type, 0, 0, 0, c->imm).id;
        }
        t->stk[t->sp++].id = cols[r].first;
    }
    uint32_t pstart = fi ? t->frames[fi - 1].log_start : 0;
    uint32_t w = ls;
    TrLog *all = t->log.data;
    for (uint32_t i = 0; i < nloc; i++) {
        if (SK_UNLIKELY(lcols[i].state == TR_COL_CONST)) {
            const IrInstData *c = &f->insts.data[lcols[i].first];
            lcols[i].first = ir_emit(f, (IrOp)c->op, (IrType)c->type, 0, 0, 0, c->imm).id;
        }
        TrLog r = log[i];
        /* A dead local keeps a value that dominates the merge (never read) and its record
         * goes: nothing will merge it again. */
        uint32_t dead = lcols[i].state == TR_COL_DEAD;
        cur[r.local] = dead ? r.old : lcols[i].first;
        uint32_t keep = (r.prev <= pstart) & !dead;
        all[w] = r;
        mark[r.local] = keep ? w + 1 : r.prev;
        w += keep;
    }
    t->log.len = w;
    t->nframes = fi;
    t->log_base = pstart;
    t->reachable = true;
}

/* ---- loops ------------------------------------------------------------------------------- */

/* The loop label's arguments into t->args: its parameters from the stack, then its local
 * parameters' current values. */
static void
loop_args(FeTranslator *t, const TrFrame *fr)
{
    uint32_t n = fr->nparams + fr->nlloc;
    if (!SK_VEC_RESERVE_HEAP(&t->args, t->alloc, n)) {
        t->failed = true;
        t->args.len = 0;
        return;
    }
    const IrValue *top = tr_stack_top(t, fr->nparams);
    for (uint32_t k = 0; k < fr->nparams; k++)
        t->args.data[k] = top[k];
    const uint32_t *lloc = t->lloc.data + fr->lloc;
    for (uint32_t k = 0; k < fr->nlloc; k++)
        t->args.data[fr->nparams + k].id = t->cur[lloc[k]];
    t->args.len = n;
}

static void
add_loop_pred(FeTranslator *t, uint32_t fi, uint32_t block)
{
    TrFrame *fr = &t->frames[fi];
    TrEdge e = {fr->edges, block, TR_EDGE_LOOP, 0, 0, 0, 0};
    TR_PUSH(t, &t->edges, e);
    fr->edges = t->edges.len;
    fr->nedges++;
}

/* Ends the current block with a jump to the header of loop frame fi (a back edge). */
static void
jump_to_loop(FeTranslator *t, uint32_t fi)
{
    const TrFrame *fr = &t->frames[fi];
    loop_args(t, fr);
    uint32_t from = t->f->cur.id;
    ir_jump(t->f, (IrBlock){fr->header}, t->args.data, t->args.len);
    add_loop_pred(t, fi, from);
}

void
tr_loop(FeTranslator *t, int64_t block_type, const uint8_t *body)
{
    IrFunc *f = t->f;
    FeFuncType bt;
    fe_block_type_resolve(t->m, block_type, &bt);
    uint32_t ordinal = t->loop_ordinal++;
    /* The locals the body assigns: the validator's records, or a pre-scan's. */
    const uint32_t *sets;
    TrLoopInfo li;
    const FeFuncHints *h = t->hints;
    if (h) {
        SK_ASSERT(ordinal < h->nloops);
        sets = h->loop_sets;
        li = (TrLoopInfo){h->loop_ranges[2 * ordinal], h->loop_ranges[2 * ordinal + 1]};
    } else {
        if (ordinal >= t->loops_scanned)
            prescan_loops(t, body, ordinal);
        if (t->failed)
            return;
        sets = t->plog.data;
        li = t->loops.data[ordinal];
    }
    /* Deduplicated (nested loops repeat theirs), without the dead ones. */
    uint32_t lstart = t->lloc.len, gen = next_gen(t), pos = t->pos;
    const uint32_t *live = t->live;
    if (!SK_VEC_RESERVE_HEAP(&t->lloc, t->alloc, lstart + (li.end - li.start))) {
        t->failed = true;
        return;
    }
    for (uint32_t i = li.start; i < li.end; i++) {
        uint32_t x = sets[i];
        if (t->seen[x] != gen && live[x] >= pos) {  // a dead local needs no parameter
            t->seen[x] = gen;
            t->lloc.data[t->lloc.len++] = x;
        }
    }
    uint32_t from = f->cur.id;
    IrBlock header = ir_block_new(f);
    TrFrame *fr = push_frame(t, TR_FRAME_LOOP, &bt);
    if (t->failed)
        return;
    fr->lloc = lstart;
    fr->nlloc = t->lloc.len - lstart;
    fr->header = header.id;
    loop_args(t, fr);
    ir_jump(f, header, t->args.data, t->args.len);
    uint32_t fi = t->nframes - 1;
    add_loop_pred(t, fi, from);
    ir_block_start(f, header);
    fr = &t->frames[fi];
    for (uint32_t k = 0; k < bt.nparams; k++)
        t->stk[fr->height + k] = ir_block_add_param(f, header, tr_type(bt.params[k]));
    for (uint32_t k = 0; k < fr->nlloc; k++) {
        uint32_t x = t->lloc.data[lstart + k];
        tr_set_local(t, x, ir_block_add_param(f, header, tr_type(t->ltypes[x])).id);
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
    TrFrame fr = *top_frame(t);
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
        /* Only the loop's locals and its results can hold values made inside it. */
        for (uint32_t k = fr.height; k < t->sp; k++)
            t->stk[k] = ir_resolve(f, t->stk[k]);
        for (uint32_t k = 0; k < fr.nlloc; k++) {
            uint32_t x = t->lloc.data[fr.lloc + k];
            t->cur[x] = ir_resolve(f, (IrValue){t->cur[x]}).id;
        }
    }
    t->lloc.len = fr.lloc;
    pop_frame(t);
}

/* ---- branches ---------------------------------------------------------------------------- */

void
tr_return(FeTranslator *t)
{
    uint32_t n = t->frames[0].nresults;
    ir_return(t->f, tr_stack_top(t, n), n);
    t->reachable = false;
}

void
tr_br(FeTranslator *t, uint32_t depth)
{
    uint32_t fi = t->nframes - 1 - depth;
    const TrFrame *fr = &t->frames[fi];
    switch ((TrFrameKind)fr->kind) {
    case TR_FRAME_FUNC:
        tr_return(t);
        return;
    case TR_FRAME_LOOP:
        jump_to_loop(t, fi);
        break;
    default: {
        uint32_t from = t->f->cur.id;
        ir_jump(t->f, IR_NONE_BLOCK, NULL, 0);  // target and arguments filled at the end
        add_edge(t, fi, TR_EDGE_JUMP, from, tr_stack_top(t, fr->nresults), fr->nresults, true);
        break;
    }
    }
    t->reachable = false;
}

void
tr_br_if(FeTranslator *t, uint32_t depth)
{
    IrFunc *f = t->f;
    IrValue cond = tr_pop(t);
    uint64_t c;
    if (ir_value_is_const(f, cond, &c)) {
        if (c & 0xffffffffu)
            tr_br(t, depth);
        return;
    }
    uint32_t fi = t->nframes - 1 - depth;
    const TrFrame *fr = &t->frames[fi];
    IrBlock cont = ir_block_new(f);
    switch ((TrFrameKind)fr->kind) {
    case TR_FRAME_FUNC: {
        IrBlock ret = ir_block_new(f);
        ir_branch(f, cond, ret, cont);
        ir_block_start(f, ret);
        tr_return(t);
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
        add_edge(t, fi, TR_EDGE_THEN, from, tr_stack_top(t, fr->nresults), fr->nresults, true);
        break;
    }
    }
    ir_block_start(f, cont);
    t->reachable = true;
}

/*
 * br_table. Function and loop labels with something to pass get one block each that
 * returns or jumps to the header; block/if labels are tagged in the table's slots, chained
 * per label (TR_TABLE_TAG | the next slot's position + 1), and patched when their merge
 * block exists.
 */
void
tr_br_table(FeTranslator *t, const FeInstr *in)
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
        tr_br(t, depth);
        return;
    }
    if (!SK_VEC_RESERVE_HEAP(&t->targets, t->alloc, n + 1)) {
        t->failed = true;
        return;
    }
    uint32_t gen = ++t->table_gen;
    IrBlock *targets = t->targets.data;
    for (uint32_t k = 0; k <= n; k++) {
        uint32_t depth = k < n ? fe_u32_trusted(&p) : in->idx;
        TrFrame *fr = &t->frames[t->nframes - 1 - depth];
        uint32_t target;
        if (fr->kind == TR_FRAME_LOOP && f->blocks.data[fr->header].nparams == 0) {
            target = fr->header;
        } else if (fr->kind == TR_FRAME_FUNC || fr->kind == TR_FRAME_LOOP) {
            if (fr->table_gen != gen) {
                fr->table_gen = gen;
                fr->table_aux = ir_block_new(f).id;
            }
            target = fr->table_aux;
        } else {
            if (fr->table_gen != gen) {
                fr->table_gen = gen;
                fr->table_aux = 0;
            }
            target = TR_TABLE_TAG | fr->table_aux;
            fr->table_aux = k + 1;
        }
        targets[k].id = target;
    }
    uint32_t from = f->cur.id;
    ir_br_table(f, index, targets, n, targets[n]);
    /* Fill the blocks made for function and loop labels; record block/if edges. */
    for (uint32_t fi = 0; fi < t->nframes; fi++) {
        TrFrame *fr = &t->frames[fi];
        if (fr->table_gen != gen)
            continue;
        switch ((TrFrameKind)fr->kind) {
        case TR_FRAME_FUNC:
            ir_block_start(f, (IrBlock){fr->table_aux});
            tr_return(t);
            break;
        case TR_FRAME_LOOP:
            ir_block_start(f, (IrBlock){fr->table_aux});
            jump_to_loop(t, fi);
            break;
        default: {
            uint32_t aux = fr->table_aux;
            TrEdge *e = add_edge(t, fi, TR_EDGE_TABLE, from, tr_stack_top(t, fr->nresults),
                                 fr->nresults, true);
            if (e)
                e->aux = aux;
            break;
        }
        }
    }
    t->reachable = false;
}

/* ---- structured control ------------------------------------------------------------------ */

void
tr_block(FeTranslator *t, int64_t block_type)
{
    FeFuncType bt;
    fe_block_type_resolve(t->m, block_type, &bt);
    push_frame(t, TR_FRAME_BLOCK, &bt);
}

void
tr_if(FeTranslator *t, int64_t block_type)
{
    IrFunc *f = t->f;
    FeFuncType bt;
    fe_block_type_resolve(t->m, block_type, &bt);
    IrValue cond = tr_pop(t);
    uint32_t stash = t->stash.len;
    if (bt.nparams) {
        if (!SK_VEC_RESERVE_HEAP(&t->stash, t->alloc, stash + bt.nparams)) {
            t->failed = true;
            return;
        }
        const IrValue *top = tr_stack_top(t, bt.nparams);
        for (uint32_t k = 0; k < bt.nparams; k++)
            t->stash.data[t->stash.len++] = top[k].id;
    }
    TrFrame *fr = push_frame(t, TR_FRAME_IF, &bt);
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

void
tr_else(FeTranslator *t)
{
    IrFunc *f = t->f;
    uint32_t fi = t->nframes - 1;
    TrFrame *fr = &t->frames[fi];
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
        add_edge(t, fi, TR_EDGE_JUMP, from, tr_stack_top(t, fr->nresults), fr->nresults, true);
        fr = &t->frames[fi];
    }
    /* The else arm starts from the values at `if` (the range holds each local once). */
    const TrLog *log = t->log.data;
    for (uint32_t i = fr->log_start; i < t->log.len; i++)
        t->cur[log[i].local] = log[i].old;
    t->sp = fr->height;
    for (uint32_t k = 0; k < fr->nparams; k++)
        t->stk[t->sp++].id = tr_resolved(f, t->stash.data[fr->stash + k]);
    IrBlock else_b = ir_block_new(f);
    f->blocks.data[fr->branch_block].term.target2 = else_b.id;
    ir_block_start(f, else_b);
    t->reachable = true;
}

void
tr_end(FeTranslator *t)
{
    TrFrame *fr = top_frame(t);
    switch ((TrFrameKind)fr->kind) {
    case TR_FRAME_FUNC:
        if (t->reachable)
            tr_return(t);
        t->nframes--;
        return;
    case TR_FRAME_LOOP:
        end_loop(t);
        return;
    case TR_FRAME_IF:
        if (fr->if_state == TR_IF_BRANCH && !fr->in_else) {
            /* No else: the false edge carries the parameters through unchanged. */
            uint32_t nvals = fr->nparams;
            if (!SK_VEC_RESERVE_HEAP(&t->args, t->alloc, nvals)) {
                t->failed = true;
                return;
            }
            for (uint32_t k = 0; k < nvals; k++)
                t->args.data[k].id = t->stash.data[fr->stash + k];
            add_edge(t, t->nframes - 1, TR_EDGE_ELSE, fr->branch_block, t->args.data, nvals,
                     false);
        } else if (fr->if_state == TR_IF_CONST_THEN && fr->in_else) {
            t->reachable = fr->then_reachable;
        } else if (fr->if_state == TR_IF_CONST_ELSE && !fr->in_else) {
            t->reachable = true;  // the implicit empty else arm
        }
        t->stash.len = top_frame(t)->stash;
        /* One call of merge_end for both kinds, so that it is inlined. */
        /* fallthrough */
    case TR_FRAME_BLOCK:
        merge_end(t);
        return;
    }
}

/* ---- entry point ------------------------------------------------------------------------- */

/* Resets the per-function state and sets up locals: parameters, then zeroed locals. */
static bool
start_func(FeTranslator *t, uint32_t func_index, const uint8_t **out_body)
{
    IrFunc *f = t->f;
    const FeFunc *fn = &t->m->funcs[func_index];
    sk_arena_reset(&t->scratch);
    const uint8_t *body = fe_func_locals(t->m, func_index, &t->scratch, &t->ltypes, &t->nlocals);
    t->end = t->m->bytes + fn->body_offset + fn->body_size;
    /* Room for one stack value per body byte (no push of a single value needs a check). The
     * stack is empty between functions: a bigger one is allocated afresh, not copied. */
    uint64_t need = (uint64_t)fn->body_size + 16;
    if (need > t->stk_cap) {
        sk_free(t->alloc, t->stk, (size_t)t->stk_cap * sizeof(IrValue));
        t->stk = NULL;
        t->stk_cap = 0;
    }
    if (!body || !ensure_locals(t, t->nlocals) ||
        !grow_array(t, (void **)&t->stk, &t->stk_cap, sizeof(IrValue), need))
        return false;
    /* Liveness from the validator, or every local live to the end. */
    const FeFuncHints *h = t->m->hints ? &t->m->hints[func_index] : NULL;
    t->hints = h && h->live_until ? h : NULL;
    SK_ASSERT(!t->hints || t->hints->nlocals == t->nlocals);
    t->live = t->hints ? t->hints->live_until : NULL;
    if (!t->live) {
        uint32_t *all = sk_arena_alloc(&t->scratch, (size_t)(t->nlocals + 1) * sizeof(uint32_t));
        if (!all)
            return false;
        memset(all, 0xff, (size_t)(t->nlocals + 1) * sizeof(uint32_t));
        t->live = all;
    }
    t->pos = 0;
    t->sp = t->nframes = 0;
    t->log.len = t->edges.len = 0;
    t->edge_vals.len = t->snaps.len = t->stash.len = t->lloc.len = 0;
    t->plog.len = t->loops.len = 0;
    t->loop_ordinal = t->loops_scanned = 0;
    t->log_base = 0;
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
    const FeFuncType *ft = &t->m->types[fn->type_index];
    FeFuncType bt = {0, ft->nresults, NULL, ft->results};
    push_frame(t, TR_FRAME_FUNC, &bt);
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
    if (!ir_func_init_sized(out, arena, t->im, func_index, t->im->func_sigs[func_index],
                            fn->body_size / 3 + 32, fn->body_size / 12 + 8,
                            fn->body_size / 2 + 32) ||
        !start_func(t, func_index, &p)) {
        sk_diag_set(diag, SK_DIAG_OUT_OF_MEMORY, fn->body_offset, "out of memory translating");
        if (diag)
            diag->func_index = func_index;
        return false;
    }
    p = tr_translate_body(t, p);
    if (t->failed || arena->failed) {
        sk_diag_set(diag, SK_DIAG_OUT_OF_MEMORY, (uint64_t)(p - m->bytes),
                    "out of memory translating");
        if (diag)
            diag->func_index = func_index;
        return false;
    }
    SK_ASSERT(p == t->end);
    /* Blocks are created only as targets of terminators in live code. Merge parameters are
     * created only for values that differ, and loop parameters are checked when the loop
     * ends: only a later replacement (an alias) can make one trivial, or a branch condition
     * constant (the translator folds constant branches as it goes). */
    out->flags |= IR_FUNCF_ALL_REACHABLE | IR_FUNCF_DEFS_FIRST;
    if (!out->alias)
        out->flags |= IR_FUNCF_NO_TRIVIAL_PARAMS | IR_FUNCF_BRANCHES_FOLDED;
    ir_alias_apply(out);
    return true;
}
