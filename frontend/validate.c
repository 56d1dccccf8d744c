/*
 * Function body validation: one pass over each body with an operand type stack and a
 * control stack, the algorithm of the spec's validation appendix (WebAssembly 2.0, A.3).
 * Values popped below the current block's height in unreachable code have the unknown type
 * FE_VT_NONE, which matches anything; that is the whole of stack polymorphism.
 *
 * Requires a module fe_module_decode() accepted (types, indices and segments are valid).
 * The validator keeps its stacks across functions, so the steady state allocates nothing.
 *
 * Bodies are read with the reference interpreter's framing: instructions are decoded up to
 * the `end` that closes the function, bounded only by the end of the input, and the body
 * size is checked afterwards ("section size mismatch"). Also here: the syntax-only pass
 * that makes a malformed body outrank an invalid one (fe_bodies_check_syntax), and helpers
 * for the translator (fe_func_locals, fe_block_type_resolve).
 */
#include <string.h>

#include "frontend/internal.h"

enum { CTRL_FUNC, CTRL_BLOCK, CTRL_LOOP, CTRL_IF, CTRL_ELSE };

#if defined(__GNUC__) || defined(__clang__)
#define FAST_UNREACHABLE() __builtin_unreachable()
#else
#define FAST_UNREACHABLE() sk_unreachable()
#endif

/*
 * Dispatch of the validator's fast path (check_body). With GCC and clang it is threaded:
 * every handler ends with its own indirect jump to the next one (labels as values, a GNU
 * extension), which the branch predictor tells apart better than one shared jump: measured
 * about 6% faster than a switch on sqlite3.wasm and on the generated benchmark module.
 * Other compilers, or -DSKUA_NO_THREADED_DISPATCH, get the switch.
 */
#if (defined(__GNUC__) || defined(__clang__)) && !defined(SKUA_NO_THREADED_DISPATCH)
#define FAST_THREADED 1
#else
#define FAST_THREADED 0
#endif

/*
 * Classes of single-byte opcodes for the validator's fast path (check_body). NONE: decode
 * and validate with step(). SIMPLE1/SIMPLE2, MEMARG1/MEMARG2: ops typed by their signature
 * alone, with one or two parameters (SIMPLE, MEMARG: any other number). BLOCK: block, loop and if (FeFastOp.n = the CTRL_* kind). FC:
 * the 0xFC prefix (fastops_fc by sub-opcode). MEMORY0: memory.size and memory.grow (a zero
 * byte, then the signature).
 */
#define FAST_CLASSES(X)                                                                      \
    X(NONE) X(SIMPLE) X(SIMPLE1) X(SIMPLE2) X(MEMARG) X(MEMARG1) X(MEMARG2) X(LOCAL_GET) X(LOCAL_GET_HINT) X(LOCAL_SET) X(LOCAL_TEE) X(GLOBAL_GET)         \
    X(I32_CONST) X(I64_CONST) X(BR_IF) X(BR) X(BLOCK) X(END) X(DROP) X(SELECT) X(CALL)       \
    X(RETURN) X(GLOBAL_SET) X(ELSE) X(F32_CONST) X(F64_CONST) X(SELECT_T) X(CALL_INDIRECT)   \
    X(FC) X(MEMORY0) X(UNREACHABLE) X(BR_TABLE)

typedef enum FeFastClass {
#define FAST_ENUM(c) FAST_##c,
    FAST_CLASSES(FAST_ENUM)
#undef FAST_ENUM
    FAST_CLASS_COUNT
} FeFastClass;

/* What the fast path needs to know about a single-byte opcode, in one 8-byte load. */
typedef struct FeFastOp {
    uint8_t cls;        // FAST_*
    uint8_t nparams;    // FAST_SIMPLE*, FAST_MEMARG*: the signature
    uint8_t params[3];
    uint8_t result;
    uint8_t n;          // FAST_MEMARG*: log2 natural alignment; FAST_BLOCK: CTRL_* kind
    uint8_t pad;
} FeFastOp;

/* One entry of the control stack: a block, loop, if/else, or the function itself. */
typedef struct FeCtrl {
    const uint8_t *params;   // block parameter types (FeValType each)
    const uint8_t *results;  // block result types
    uint32_t nparams, nresults;
    uint32_t height;         // operand stack height at entry, parameters excluded
    uint8_t kind;            // CTRL_*
    bool unreachable;        // an unconditional branch was seen: the stack is polymorphic
    uint32_t loop_ord;       // CTRL_LOOP: the loop's ordinal in the body (hints)
    uint32_t outer_ord;      // CTRL_LOOP: the innermost loop around it, UINT32_MAX if none
} FeCtrl;

/* Per loop of the body (hints): its records in plog, nested loops' included. */
typedef struct FeLoopRec {
    uint32_t pstart, pend;
} FeLoopRec;
_Static_assert(sizeof(FeLoopRec) == 2 * sizeof(uint32_t), "saved as FeFuncHints.loop_ranges");

/* Stack signature of a simple op, parsed from the sig column of wasm_ops.def. */
typedef struct FeOpSig {
    uint8_t nparams;
    uint8_t params[3];  // in push order: params[nparams-1] is on top
    uint8_t result;     // FE_VT_NONE if none
} FeOpSig;

struct FeValidator {
    const FeModule *m;
    const SkAlloc *alloc;
    uint8_t *vals;  // operand stack: value types, FE_VT_NONE = unknown
    uint32_t nvals, capvals;
    FeCtrl *ctrls;
    uint32_t nctrls, capctrls;
    uint8_t *locals;  // parameter and local types of the current function
    uint32_t nlocals, caplocals;
    uint32_t height;   // ctrls[nctrls-1].height, cached
    bool unreachable;  // ctrls[nctrls-1].unreachable, cached
    FeOpSig sigs[FE_OP_COUNT];
    bool special[FE_OP_COUNT];  // typed by check_special(), not by the signature
    FeFastOp fastops[256];      // fast-path facts of each single-byte opcode
    FeFastOp fastops_fc[FE_OPKEY_FC_LIMIT];  // and of the 0xFC ops, by sub-opcode
    /* Type index of each function, densely: calls look it up at random, and FeFunc is four
     * times larger (a big module's FeFunc array does not fit the cache). */
    uint32_t *func_types;
    bool slow_only;  // test hook: validate everything through step()
    /* Hints for the translator (FeFuncHints): per local, the offset of its last read so far
     * (live; a read inside a loop is moved to the end of the outermost loop around it when
     * the body is done, from the loops' spans) and pmark, the plog position + 1 of its last
     * record; plog lists, per loop, the locals it sets (once per loop's own range, as the
     * translator's pre-scan did). */
    uint32_t *live, *pmark;  // one allocation of 2 * caplive words
    uint32_t caplive;
    uint32_t inner_ord;  // ordinal of the innermost open loop, UINT32_MAX if none
    uint32_t *plog, nplog, capplog;
    FeLoopRec *loops;
    uint32_t nloops, caploops;
    uint32_t loop_ctrl;   // control-stack index of the outermost open loop, UINT32_MAX if none
    uint32_t loop_start;  // ... and the offset of its `loop`
    uint32_t *loop_spans; // per outermost loop of the body so far: its `loop` and `end` offsets
    uint32_t nloop_spans, caploop_spans;  // (words: two per loop)
    FeFuncHints *hints;  // where to store each function's hints (m->hints), or NULL
    SkArena *hint_arena; // ... and from which arena
#if FAST_THREADED
    /* The handler for each opcode byte (check_body fills it on first use): dispatching on
     * the byte directly spares a dependent load per instruction. */
    const void *dispatch[256];
    bool has_dispatch;
#endif
};

/* One byte holding each value type: single-result block types point here. */
static const uint8_t single_types[] = {FE_VT_I32,  FE_VT_I64,     FE_VT_F32,      FE_VT_F64,
                                       FE_VT_V128, FE_VT_FUNCREF, FE_VT_EXTERNREF};

static const uint8_t *
single_type(uint8_t t)
{
    for (size_t i = 0; i < SK_ARRAY_LEN(single_types); i++)
        if (single_types[i] == t)
            return &single_types[i];
    sk_unreachable();
}

static uint8_t
sig_letter_type(char c)
{
    switch (c) {
    case 'i':
        return FE_VT_I32;
    case 'l':
        return FE_VT_I64;
    case 'f':
        return FE_VT_F32;
    case 'd':
        return FE_VT_F64;
    case 'v':
        return FE_VT_V128;
    default:
        sk_die(__FILE__, __LINE__, "bad letter '%c' in a wasm_ops.def signature", c);
    }
}

/* Parses "params:results" of every simple op; "*" ops keep an empty signature. */
static void
parse_sigs(FeOpSig *sigs)
{
    for (int op = 1; op < FE_OP_COUNT; op++) {
        const char *s = fe_op_info[op].sig;
        FeOpSig *g = &sigs[op];
        memset(g, 0, sizeof(*g));
        if (s[0] == '*')
            continue;
        for (; *s != ':'; s++) {
            SK_ASSERT(*s && g->nparams < 3);
            g->params[g->nparams++] = sig_letter_type(*s);
        }
        s++;
        if (*s)
            g->result = sig_letter_type(*s++);
        SK_ASSERT(*s == '\0');
    }
}

FeValidator *
fe_validator_new(const FeModule *m)
{
    const SkAlloc *alloc = m->arena.alloc;
    FeValidator *v = sk_malloc(alloc, sizeof(FeValidator));
    if (!v)
        return NULL;
    memset(v, 0, sizeof(*v));
    v->m = m;
    v->alloc = alloc;
    v->func_types = sk_malloc(alloc, (size_t)(m->nfuncs ? m->nfuncs : 1) * sizeof(uint32_t));
    if (!v->func_types) {
        sk_free(alloc, v, sizeof(*v));
        return NULL;
    }
    for (uint32_t i = 0; i < m->nfuncs; i++)
        v->func_types[i] = m->funcs[i].type_index;
    parse_sigs(v->sigs);
    for (int op = 1; op < FE_OP_COUNT; op++)
        v->special[op] = fe_op_info[op].sig[0] == '*';
    for (int b = 0; b < 256 + (int)FE_OPKEY_FC_LIMIT; b++) {
        FeOp op = (FeOp)fe_op_by_key[b < 256 ? (unsigned)b : FE_OPKEY_FC + (unsigned)(b - 256)];
        const FeOpInfo *info = &fe_op_info[op];
        FeFastOp *f = b < 256 ? &v->fastops[b] : &v->fastops_fc[b - 256];
        memset(f, 0, sizeof(*f));
        if (b == 0xFC && (m->features & (FE_FEATURE_SAT_TRUNC | FE_FEATURE_BULK_MEMORY |
                                         FE_FEATURE_REFERENCE_TYPES))) {
            f->cls = FAST_FC;
            continue;
        }
        if (op == FE_OP_NONE || (info->feature & ~m->features))
            continue;
        if (!v->special[op] && (info->imm == FE_IMM_NONE || info->imm == FE_IMM_MEMARG ||
                                (info->imm == FE_IMM_MEMORY && b < 256))) {
            uint8_t np = v->sigs[op].nparams;
            f->cls = info->imm == FE_IMM_NONE     ? (np == 1   ? FAST_SIMPLE1
                                                     : np == 2 ? FAST_SIMPLE2
                                                               : FAST_SIMPLE)
                     : info->imm == FE_IMM_MEMARG ? (np == 1   ? FAST_MEMARG1
                                                     : np == 2 ? FAST_MEMARG2
                                                               : FAST_MEMARG)
                                                  : FAST_MEMORY0;
            if (b >= 256 && f->cls != FAST_MEMORY0)
                f->cls = FAST_SIMPLE;  // FAST_FC jumps to the generic handler
            f->nparams = np;
            memcpy(f->params, v->sigs[op].params, sizeof(f->params));
            f->result = v->sigs[op].result;
            f->n = info->n;
            /* The fast path's stack bound relies on this: no more than one value pushed
             * per byte of the instruction. */
            SK_ASSERT(f->result == FE_VT_NONE || f->nparams >= 1 || f->cls == FAST_MEMORY0);
            continue;
        }
        switch (op) {
        case FE_OP_LOCAL_GET:
            f->cls = FAST_LOCAL_GET;
            break;
        case FE_OP_LOCAL_SET:
            f->cls = FAST_LOCAL_SET;
            break;
        case FE_OP_LOCAL_TEE:
            f->cls = FAST_LOCAL_TEE;
            break;
        case FE_OP_GLOBAL_GET:
            f->cls = FAST_GLOBAL_GET;
            break;
        case FE_OP_I32_CONST:
            f->cls = FAST_I32_CONST;
            break;
        case FE_OP_I64_CONST:
            f->cls = FAST_I64_CONST;
            break;
        case FE_OP_BR_IF:
            f->cls = FAST_BR_IF;
            break;
        case FE_OP_BR:
            f->cls = FAST_BR;
            break;
        case FE_OP_BLOCK:
        case FE_OP_LOOP:
        case FE_OP_IF:
            f->cls = FAST_BLOCK;
            f->n = op == FE_OP_BLOCK ? CTRL_BLOCK : op == FE_OP_LOOP ? CTRL_LOOP : CTRL_IF;
            break;
        case FE_OP_END:
            f->cls = FAST_END;
            break;
        case FE_OP_DROP:
            f->cls = FAST_DROP;
            break;
        case FE_OP_SELECT:
            f->cls = FAST_SELECT;
            break;
        case FE_OP_CALL:
            f->cls = FAST_CALL;
            break;
        case FE_OP_RETURN:
            f->cls = FAST_RETURN;
            break;
        case FE_OP_GLOBAL_SET:
            f->cls = FAST_GLOBAL_SET;
            break;
        case FE_OP_ELSE:
            f->cls = FAST_ELSE;
            break;
        case FE_OP_F32_CONST:
            f->cls = FAST_F32_CONST;
            break;
        case FE_OP_F64_CONST:
            f->cls = FAST_F64_CONST;
            break;
        case FE_OP_SELECT_T:
            f->cls = FAST_SELECT_T;
            break;
        case FE_OP_CALL_INDIRECT:
            f->cls = FAST_CALL_INDIRECT;
            break;
        case FE_OP_UNREACHABLE:
            f->cls = FAST_UNREACHABLE;
            break;
        case FE_OP_BR_TABLE:
            f->cls = FAST_BR_TABLE;
            break;
        default:
            break;
        }
    }
    return v;
}

void
fe_validator_free(FeValidator *v)
{
    if (!v)
        return;
    sk_free(v->alloc, v->vals, v->capvals);
    sk_free(v->alloc, v->ctrls, (size_t)v->capctrls * sizeof(FeCtrl));
    sk_free(v->alloc, v->locals, v->caplocals);
    sk_free(v->alloc, v->live, 2 * (size_t)v->caplive * sizeof(uint32_t));
    sk_free(v->alloc, v->plog, (size_t)v->capplog * sizeof(uint32_t));
    sk_free(v->alloc, v->loops, (size_t)v->caploops * sizeof(FeLoopRec));
    sk_free(v->alloc, v->loop_spans, (size_t)v->caploop_spans * sizeof(uint32_t));
    sk_free(v->alloc, v->func_types, (size_t)(v->m->nfuncs ? v->m->nfuncs : 1) * sizeof(uint32_t));
    sk_free(v->alloc, v, sizeof(*v));
}

/* ---- stacks ---- */

/* Grows a byte or FeCtrl array to hold `need` elements. */
static bool
grow(const SkAlloc *alloc, void **data, uint32_t *cap, uint32_t need, size_t elem)
{
    uint64_t ncap = *cap ? *cap : 64;
    while (ncap < need)
        ncap *= 2;
    if (ncap > UINT32_MAX / elem)
        return false;
    void *p = sk_realloc(alloc, *data, (size_t)*cap * elem, (size_t)ncap * elem);
    if (!p)
        return false;
    *data = p;
    *cap = (uint32_t)ncap;
    return true;
}

static bool __attribute__((noinline))
reserve_vals(FeValidator *v, FeReader *r, uint32_t extra)
{
    uint64_t need = (uint64_t)v->nvals + extra;
    if (need > FE_MAX_OPERAND_STACK)
        return fe_fail(r, r->p, SK_DIAG_LIMIT,
                       "operand stack too deep: over %u values (implementation limit)",
                       FE_MAX_OPERAND_STACK);
    if (!grow(v->alloc, (void **)&v->vals, &v->capvals, (uint32_t)need, 1))
        return fe_fail(r, r->p, SK_DIAG_OUT_OF_MEMORY, "out of memory (operand stack)");
    return true;
}

SK_INLINE bool
push(FeValidator *v, FeReader *r, uint8_t t)
{
    if (SK_UNLIKELY(v->nvals == v->capvals) && !reserve_vals(v, r, 1))
        return false;
    v->vals[v->nvals++] = t;
    return true;
}

static bool
push_types(FeValidator *v, FeReader *r, const uint8_t *types, uint32_t n)
{
    if (n == 0)
        return true;
    if (v->capvals - v->nvals < n && !reserve_vals(v, r, n))
        return false;
    memcpy(v->vals + v->nvals, types, n);
    v->nvals += n;
    return true;
}

static bool __attribute__((cold, noinline))
mismatch(FeReader *r, const uint8_t *at, FeOp op, uint8_t expect, uint8_t got, bool empty)
{
    return fe_fail(r, at, SK_DIAG_INVALID, "type mismatch: %s expected %s, found %s",
                   fe_op_name(op), expect == FE_VT_NONE ? "a value" : fe_valtype_name(expect),
                   empty ? "nothing" : fe_valtype_name(got));
}

/* Pops a value of type `expect`. */
SK_INLINE bool
pop_expect(FeValidator *v, FeReader *r, const uint8_t *at, FeOp op, uint8_t expect)
{
    if (SK_LIKELY(v->nvals > v->height)) {
        uint8_t got = v->vals[--v->nvals];
        if (SK_LIKELY(got == expect || got == FE_VT_NONE))
            return true;
        return mismatch(r, at, op, expect, got, false);
    }
    if (v->unreachable)
        return true;
    return mismatch(r, at, op, expect, FE_VT_NONE, true);
}

/* Pops any value; *out is its type, FE_VT_NONE if unknown. */
SK_INLINE bool
pop_any(FeValidator *v, FeReader *r, const uint8_t *at, FeOp op, uint8_t *out)
{
    if (SK_LIKELY(v->nvals > v->height)) {
        *out = v->vals[--v->nvals];
        return true;
    }
    *out = FE_VT_NONE;
    if (v->unreachable)
        return true;
    return mismatch(r, at, op, FE_VT_NONE, FE_VT_NONE, true);
}

/* Checks that the top of the stack matches `types` (top = last), without popping. */
static bool
check_top(FeValidator *v, FeReader *r, const uint8_t *at, FeOp op, const uint8_t *types,
          uint32_t n)
{
    uint32_t avail = v->nvals - v->height;
    for (uint32_t k = 0; k < n; k++) {
        uint8_t expect = types[n - 1 - k];
        if (k < avail) {
            uint8_t got = v->vals[v->nvals - 1 - k];
            if (got != expect && got != FE_VT_NONE)
                return mismatch(r, at, op, expect, got, false);
        } else if (!v->unreachable) {
            return mismatch(r, at, op, expect, FE_VT_NONE, true);
        }
    }
    return true;
}

static bool
pop_types(FeValidator *v, FeReader *r, const uint8_t *at, FeOp op, const uint8_t *types,
          uint32_t n)
{
    if (!check_top(v, r, at, op, types, n))
        return false;
    uint32_t avail = v->nvals - v->height;
    v->nvals -= n < avail ? n : avail;
    return true;
}

static void
set_unreachable(FeValidator *v)
{
    v->nvals = v->height;
    v->unreachable = true;
    v->ctrls[v->nctrls - 1].unreachable = true;
}

/* ---- hints for the translator ---- */

/* Loop c was just pushed at control-stack index idx (the caller made room for its record);
 * `off` is an offset within its instruction. */
static inline void
hint_loop_open(FeValidator *v, FeCtrl *c, uint32_t idx, uint32_t off)
{
    c->loop_ord = v->nloops;
    c->outer_ord = v->inner_ord;
    if (v->hints)
        v->inner_ord = v->nloops;  // (without hints, no set is recorded)
    v->loops[v->nloops++] = (FeLoopRec){v->nplog, 0};
    if (v->loop_ctrl == UINT32_MAX) {
        v->loop_start = off;
        v->loop_ctrl = idx;
    }
}

/* Loop c, on top of the control stack, ends at offset `off` (the caller made room for a
 * span when it is the outermost loop). */
static inline void
hint_loop_close(FeValidator *v, const FeCtrl *c, uint32_t off)
{
    v->loops[c->loop_ord].pend = v->nplog;
    v->inner_ord = c->outer_ord;
    if (v->nctrls - 1 == v->loop_ctrl) {
        v->loop_spans[v->nloop_spans++] = v->loop_start;
        v->loop_spans[v->nloop_spans++] = off;
        v->loop_ctrl = UINT32_MAX;
    }
}

/* Local x is set inside loop v->inner_ord: a record, unless that loop's range has one (the
 * caller made room for one). */
static inline void
hint_set_in_loop(FeValidator *v, uint32_t x)
{
    if (v->pmark[x] <= v->loops[v->inner_ord].pstart) {
        v->plog[v->nplog++] = x;
        v->pmark[x] = v->nplog;
    }
}

static bool
push_ctrl(FeValidator *v, FeReader *r, uint8_t kind, const uint8_t *params, uint32_t nparams,
          const uint8_t *results, uint32_t nresults)
{
    if ((SK_UNLIKELY(v->nctrls == v->capctrls) &&
         !grow(v->alloc, (void **)&v->ctrls, &v->capctrls, v->nctrls + 1, sizeof(FeCtrl))) ||
        (kind == CTRL_LOOP && v->nloops == v->caploops &&
         !grow(v->alloc, (void **)&v->loops, &v->caploops, v->nloops + 1, sizeof(FeLoopRec))))
        return fe_fail(r, r->p, SK_DIAG_OUT_OF_MEMORY, "out of memory (control stack)");
    FeCtrl *c = &v->ctrls[v->nctrls++];
    c->params = params;
    c->results = results;
    c->nparams = nparams;
    c->nresults = nresults;
    c->height = v->nvals;
    c->kind = kind;
    c->unreachable = false;
    if (kind == CTRL_LOOP)
        hint_loop_open(v, c, v->nctrls - 1, (uint32_t)(r->p - r->base));
    v->height = v->nvals;
    v->unreachable = false;
    return push_types(v, r, params, nparams);
}

/* Loop c ends at `at` (slow path: makes room for its span). */
static bool
end_loop(FeValidator *v, FeReader *r, const FeCtrl *c, const uint8_t *at)
{
    if (v->nloop_spans + 2 > v->caploop_spans &&
        !grow(v->alloc, (void **)&v->loop_spans, &v->caploop_spans, v->nloop_spans + 2,
              sizeof(uint32_t)))
        return fe_fail(r, at, SK_DIAG_OUT_OF_MEMORY, "out of memory (loops)");
    hint_loop_close(v, c, (uint32_t)(at - r->base));
    return true;
}

/* Ends the innermost block: its results must be exactly what is left above its height. */
static bool
pop_ctrl(FeValidator *v, FeReader *r, const uint8_t *at, FeOp op)
{
    FeCtrl *c = &v->ctrls[v->nctrls - 1];
    if (!check_top(v, r, at, op, c->results, c->nresults))
        return false;
    if (v->nvals - v->height > c->nresults)
        return fe_fail(r, at, SK_DIAG_INVALID,
                       "type mismatch: %s of a block with %u result(s) leaves %u value(s)",
                       fe_op_name(op), c->nresults, v->nvals - v->height);
    if (c->kind == CTRL_LOOP && !end_loop(v, r, c, at))
        return false;
    v->nvals = c->height;
    v->nctrls--;
    if (v->nctrls) {
        v->height = v->ctrls[v->nctrls - 1].height;
        v->unreachable = v->ctrls[v->nctrls - 1].unreachable;
    }
    return true;
}

/* The types a branch to label `depth` carries: a loop's parameters, else the results. */
static bool
label_types(FeValidator *v, FeReader *r, const uint8_t *at, uint32_t depth,
            const uint8_t **out_types, uint32_t *out_n)
{
    if (depth >= v->nctrls) {
        *out_types = NULL;  // defined on failure too: callers' -O3 builds warn otherwise
        *out_n = 0;
        return fe_fail(r, at, SK_DIAG_INVALID, "unknown label %u: only %u enclosing block(s)",
                       depth, v->nctrls);
    }
    const FeCtrl *c = &v->ctrls[v->nctrls - 1 - depth];
    if (c->kind == CTRL_LOOP) {
        *out_types = c->params;
        *out_n = c->nparams;
    } else {
        *out_types = c->results;
        *out_n = c->nresults;
    }
    return true;
}

/* ---- instructions with special typing ---- */

static bool
block_sig(FeValidator *v, FeReader *r, const uint8_t *at, int64_t bt, FeFuncType *out)
{
    const FeModule *m = v->m;
    if (bt >= 0) {
        if ((uint64_t)bt >= m->ntypes)
            return fe_fail(r, at + 1, SK_DIAG_INVALID, "unknown type %lld", (long long)bt);
        *out = m->types[bt];
    } else if (bt == FE_BLOCKTYPE_INVALID) {
        return fe_fail(r, at + 1, SK_DIAG_INVALID, "unknown type: negative type index");
    } else {
        out->nparams = 0;
        out->params = NULL;
        out->nresults = bt == FE_BLOCKTYPE_EMPTY ? 0 : 1;
        out->results = bt == FE_BLOCKTYPE_EMPTY ? NULL : single_type((uint8_t)(0x80 + bt));
    }
    return true;
}

static bool
check_br_table(FeValidator *v, FeReader *r, const uint8_t *at, const FeInstr *ins)
{
    const uint8_t *types;
    uint32_t arity, n;
    if (!pop_expect(v, r, at, FE_OP_BR_TABLE, FE_VT_I32) ||
        !label_types(v, r, at, ins->idx, &types, &arity))
        return false;
    const uint8_t *p = ins->ptr;
    for (uint32_t i = 0; i < ins->v.count; i++) {
        const uint8_t *lt;
        uint32_t depth = fe_u32_trusted(&p);
        if (!label_types(v, r, at, depth, &lt, &n))
            return false;
        if (n != arity)
            return fe_fail(r, at, SK_DIAG_INVALID,
                           "type mismatch: br_table target %u carries %u value(s), the "
                           "default %u", depth, n, arity);
        if (!check_top(v, r, at, FE_OP_BR_TABLE, lt, n))
            return false;
    }
    if (!pop_types(v, r, at, FE_OP_BR_TABLE, types, arity))
        return false;
    set_unreachable(v);
    return true;
}

static bool
check_call(FeValidator *v, FeReader *r, const uint8_t *at, FeOp op, const FeFuncType *t)
{
    return pop_types(v, r, at, op, t->params, t->nparams) &&
           push_types(v, r, t->results, t->nresults);
}

static bool
check_table_index(FeValidator *v, FeReader *r, const uint8_t *at, uint32_t t)
{
    if (t >= v->m->ntables)
        return fe_fail(r, at, SK_DIAG_INVALID, "unknown table %u", t);
    return true;
}

static bool
check_memory_index(FeValidator *v, FeReader *r, const uint8_t *at, uint32_t mem)
{
    if (mem >= v->m->nmemories)
        return fe_fail(r, at, SK_DIAG_INVALID, "unknown memory %u", mem);
    return true;
}

/*
 * memory.init and data.drop need the data count section (the spec makes its absence a
 * decoding error). Without it, an index that no data segment has is reported as unknown
 * instead: wast2json writes no data count section for modules without data segments, and
 * the testsuite expects "unknown data segment" for those.
 */
static bool
data_count_missing(const FeModule *m, uint32_t d)
{
    return !m->has_data_count && d < m->ndatas;
}

static bool
check_data_index(FeValidator *v, FeReader *r, const uint8_t *at, uint32_t d)
{
    const FeModule *m = v->m;
    if (data_count_missing(m, d))
        return fe_fail(r, at, SK_DIAG_MALFORMED,
                       "data count section required by memory.init and data.drop");
    if (d >= (m->has_data_count ? m->data_count : m->ndatas))
        return fe_fail(r, at, SK_DIAG_INVALID, "unknown data segment %u", d);
    return true;
}

static bool
check_elem_index(FeValidator *v, FeReader *r, const uint8_t *at, uint32_t e)
{
    if (e >= v->m->nelems)
        return fe_fail(r, at, SK_DIAG_INVALID, "unknown elem segment %u", e);
    return true;
}

/* Immediate checks of the simple ops (those typed by their signature alone). */
static bool
check_simple_imm(FeValidator *v, FeReader *r, const uint8_t *at, const FeInstr *ins)
{
    const FeModule *m = v->m;
    const FeOpInfo *info = &fe_op_info[ins->op];
    switch ((FeImm)info->imm) {
    case FE_IMM_MEMARG:
    case FE_IMM_MEMARG_LANE:
        if (!check_memory_index(v, r, at, ins->idx))
            return false;
        if (ins->align > info->n)
            return fe_fail(r, at, SK_DIAG_INVALID,
                           "alignment must not be larger than natural: %s with 2^%u, natural "
                           "is 2^%u", info->name, ins->align, info->n);
        if (info->imm == FE_IMM_MEMARG_LANE && ins->lane >= (16u >> info->n))
            return fe_fail(r, at, SK_DIAG_INVALID, "invalid lane index %u for %s", ins->lane,
                           info->name);
        return true;
    case FE_IMM_LANE:
        if (ins->lane >= (16u >> info->n))
            return fe_fail(r, at, SK_DIAG_INVALID, "invalid lane index %u for %s", ins->lane,
                           info->name);
        return true;
    case FE_IMM_SHUFFLE:
        for (int i = 0; i < 16; i++)
            if (ins->ptr[i] >= 32)
                return fe_fail(r, at, SK_DIAG_INVALID,
                               "invalid lane index %u in i8x16.shuffle (lanes are 0..31)",
                               ins->ptr[i]);
        return true;
    case FE_IMM_MEMORY:
        return check_memory_index(v, r, at, ins->idx);
    case FE_IMM_MEMORY_MEMORY:
        return check_memory_index(v, r, at, ins->idx) && check_memory_index(v, r, at, ins->idx2);
    case FE_IMM_DATA_MEMORY:
        return check_memory_index(v, r, at, ins->idx2) && check_data_index(v, r, at, ins->idx);
    case FE_IMM_DATA:
        return check_data_index(v, r, at, ins->idx);
    case FE_IMM_ELEM:
        return check_elem_index(v, r, at, ins->idx);
    case FE_IMM_TABLE:
        return check_table_index(v, r, at, ins->idx);
    case FE_IMM_ELEM_TABLE:
        if (!check_table_index(v, r, at, ins->idx2) || !check_elem_index(v, r, at, ins->idx))
            return false;
        if (m->elems[ins->idx].elem_type != m->tables[ins->idx2].elem_type)
            return fe_fail(r, at, SK_DIAG_INVALID,
                           "type mismatch: table.init of %s segment %u into %s table %u",
                           fe_valtype_name(m->elems[ins->idx].elem_type), ins->idx,
                           fe_valtype_name(m->tables[ins->idx2].elem_type), ins->idx2);
        return true;
    case FE_IMM_TABLE_TABLE:
        if (!check_table_index(v, r, at, ins->idx) || !check_table_index(v, r, at, ins->idx2))
            return false;
        if (m->tables[ins->idx].elem_type != m->tables[ins->idx2].elem_type)
            return fe_fail(r, at, SK_DIAG_INVALID,
                           "type mismatch: table.copy from %s table %u to %s table %u",
                           fe_valtype_name(m->tables[ins->idx2].elem_type), ins->idx2,
                           fe_valtype_name(m->tables[ins->idx].elem_type), ins->idx);
        return true;
    default:
        return true;
    }
}

/*
 * Reads the locals declarations into v->locals (after the parameters). Counts beyond
 * FE_MAX_LOCALS are refused before anything is expanded.
 */
static bool
read_locals(FeValidator *v, FeReader *r, const FeFuncType *ft)
{
    uint32_t ngroups;
    uint64_t total = ft->nparams;
    if (!fe_read_len(r, &ngroups))
        return false;
    if (total > FE_MAX_LOCALS)
        return fe_fail(r, r->p, SK_DIAG_LIMIT, "too many locals: %llu parameters, limit %u",
                       (unsigned long long)total, FE_MAX_LOCALS);
    if (v->caplocals < total &&
        !grow(v->alloc, (void **)&v->locals, &v->caplocals, (uint32_t)total, 1))
        return fe_fail(r, r->p, SK_DIAG_OUT_OF_MEMORY, "out of memory (locals)");
    if (ft->nparams)
        memcpy(v->locals, ft->params, ft->nparams);
    for (uint32_t g = 0; g < ngroups; g++) {
        const uint8_t *at = r->p;
        uint32_t count;
        uint8_t type;
        if (!fe_read_u32(r, &count) || !fe_read_valtype(r, &type))
            return false;
        uint64_t n = total + count;
        if (n > FE_MAX_LOCALS)
            return fe_fail(r, at, n > UINT32_MAX ? SK_DIAG_MALFORMED : SK_DIAG_LIMIT,
                           "too many locals: %llu or more, limit %u", (unsigned long long)n,
                           FE_MAX_LOCALS);
        if (v->caplocals < n &&
            !grow(v->alloc, (void **)&v->locals, &v->caplocals, (uint32_t)n, 1))
            return fe_fail(r, r->p, SK_DIAG_OUT_OF_MEMORY, "out of memory (locals)");
        if (count)
            memset(v->locals + total, type, count);
        total = n;
    }
    v->nlocals = (uint32_t)total;
    if (v->hints) {
        if (v->caplive < total && !grow(v->alloc, (void **)&v->live, &v->caplive,
                                        (uint32_t)total, 2 * sizeof(uint32_t)))
            return fe_fail(r, r->p, SK_DIAG_OUT_OF_MEMORY, "out of memory (locals)");
        if (total) {  // without locals v->live may still be NULL (no arithmetic on it)
            v->pmark = v->live + total;
            memset(v->live, 0, 2 * (size_t)total * sizeof(uint32_t));
        }
    }
    v->inner_ord = UINT32_MAX;
    v->nplog = v->nloops = 0;
    v->loop_ctrl = UINT32_MAX;
    v->nloop_spans = 0;
    return true;
}

/* Validates one instruction with context-dependent typing; simple ops go to the caller. */
static bool
check_special(FeValidator *v, FeReader *r, const uint8_t *at, const FeInstr *ins)
{
    const FeModule *m = v->m;
    FeOp op = (FeOp)ins->op;
    const uint8_t *types;
    uint32_t n;
    uint8_t t1, t2;
    switch (op) {
    case FE_OP_UNREACHABLE:
        set_unreachable(v);
        return true;
    case FE_OP_BR:
        if (!label_types(v, r, at, ins->idx, &types, &n) || !pop_types(v, r, at, op, types, n))
            return false;
        set_unreachable(v);
        return true;
    case FE_OP_BR_IF:
        return pop_expect(v, r, at, op, FE_VT_I32) &&
               label_types(v, r, at, ins->idx, &types, &n) &&
               pop_types(v, r, at, op, types, n) && push_types(v, r, types, n);
    case FE_OP_BR_TABLE:
        return check_br_table(v, r, at, ins);
    case FE_OP_RETURN:
        if (!pop_types(v, r, at, op, v->ctrls[0].results, v->ctrls[0].nresults))
            return false;
        set_unreachable(v);
        return true;
    case FE_OP_CALL:
        if (ins->idx >= m->nfuncs)
            return fe_fail(r, at, SK_DIAG_INVALID, "unknown function %u", ins->idx);
        return check_call(v, r, at, op, &m->types[v->func_types[ins->idx]]);
    case FE_OP_CALL_INDIRECT:
        if (!check_table_index(v, r, at, ins->idx2))
            return false;
        if (m->tables[ins->idx2].elem_type != FE_VT_FUNCREF)
            return fe_fail(r, at, SK_DIAG_INVALID,
                           "type mismatch: call_indirect through table %u of %s", ins->idx2,
                           fe_valtype_name(m->tables[ins->idx2].elem_type));
        if (ins->idx >= m->ntypes)
            return fe_fail(r, at, SK_DIAG_INVALID, "unknown type %u", ins->idx);
        return pop_expect(v, r, at, op, FE_VT_I32) &&
               check_call(v, r, at, op, &m->types[ins->idx]);
    case FE_OP_DROP:
        return pop_any(v, r, at, op, &t1);
    case FE_OP_SELECT:
        if (!pop_expect(v, r, at, op, FE_VT_I32) || !pop_any(v, r, at, op, &t1) ||
            !pop_any(v, r, at, op, &t2))
            return false;
        if (fe_is_reftype(t1) || fe_is_reftype(t2))
            return fe_fail(r, at, SK_DIAG_INVALID,
                           "type mismatch: select without a type on %s operands, use select "
                           "(result t)", fe_valtype_name(fe_is_reftype(t1) ? t1 : t2));
        if (t1 != t2 && t1 != FE_VT_NONE && t2 != FE_VT_NONE)
            return fe_fail(r, at, SK_DIAG_INVALID,
                           "type mismatch: select operands %s and %s differ",
                           fe_valtype_name(t2), fe_valtype_name(t1));
        return push(v, r, t1 != FE_VT_NONE ? t1 : t2);
    case FE_OP_SELECT_T:
        if (ins->v.count != 1)
            return fe_fail(r, at, SK_DIAG_INVALID,
                           "invalid result arity: select with %u types, expected 1",
                           ins->v.count);
        t1 = ins->ptr[0];
        return pop_expect(v, r, at, op, FE_VT_I32) && pop_expect(v, r, at, op, t1) &&
               pop_expect(v, r, at, op, t1) && push(v, r, t1);
    case FE_OP_LOCAL_GET:
    case FE_OP_LOCAL_SET:
    case FE_OP_LOCAL_TEE:
        if (ins->idx >= v->nlocals)
            return fe_fail(r, at, SK_DIAG_INVALID, "unknown local %u", ins->idx);
        t1 = v->locals[ins->idx];
        if (op == FE_OP_LOCAL_GET) {
            if (v->hints)
                v->live[ins->idx] = (uint32_t)(at - r->base);
            return push(v, r, t1);
        }
        if (!pop_expect(v, r, at, op, t1))
            return false;
        if (v->inner_ord != UINT32_MAX) {
            if (v->nplog == v->capplog &&
                !grow(v->alloc, (void **)&v->plog, &v->capplog, v->nplog + 1, sizeof(uint32_t)))
                return fe_fail(r, at, SK_DIAG_OUT_OF_MEMORY, "out of memory (hints)");
            hint_set_in_loop(v, ins->idx);
        }
        return op == FE_OP_LOCAL_SET || push(v, r, t1);
    case FE_OP_GLOBAL_GET:
    case FE_OP_GLOBAL_SET:
        if (ins->idx >= m->nglobals)
            return fe_fail(r, at, SK_DIAG_INVALID, "unknown global %u", ins->idx);
        t1 = m->globals[ins->idx].type;
        if (op == FE_OP_GLOBAL_GET)
            return push(v, r, t1);
        if (!m->globals[ins->idx].mutable_)
            return fe_fail(r, at, SK_DIAG_INVALID, "global is immutable: global.set %u",
                           ins->idx);
        return pop_expect(v, r, at, op, t1);
    case FE_OP_TABLE_GET:
    case FE_OP_TABLE_SET:
    case FE_OP_TABLE_GROW:
    case FE_OP_TABLE_FILL:
        if (!check_table_index(v, r, at, ins->idx))
            return false;
        t1 = m->tables[ins->idx].elem_type;
        switch (op) {
        case FE_OP_TABLE_GET:
            return pop_expect(v, r, at, op, FE_VT_I32) && push(v, r, t1);
        case FE_OP_TABLE_SET:
            return pop_expect(v, r, at, op, t1) && pop_expect(v, r, at, op, FE_VT_I32);
        case FE_OP_TABLE_GROW:
            return pop_expect(v, r, at, op, FE_VT_I32) && pop_expect(v, r, at, op, t1) &&
                   push(v, r, FE_VT_I32);
        default:
            return pop_expect(v, r, at, op, FE_VT_I32) && pop_expect(v, r, at, op, t1) &&
                   pop_expect(v, r, at, op, FE_VT_I32);
        }
    case FE_OP_REF_NULL:
        return push(v, r, (uint8_t)ins->idx);
    case FE_OP_REF_IS_NULL:
        if (!pop_any(v, r, at, op, &t1))
            return false;
        if (t1 != FE_VT_NONE && !fe_is_reftype(t1))
            return fe_fail(r, at, SK_DIAG_INVALID,
                           "type mismatch: ref.is_null expected a reference, found %s",
                           fe_valtype_name(t1));
        return push(v, r, FE_VT_I32);
    case FE_OP_REF_FUNC:
        if (ins->idx >= m->nfuncs)
            return fe_fail(r, at, SK_DIAG_INVALID, "unknown function %u", ins->idx);
        if (!m->func_declared[ins->idx])
            return fe_fail(r, at, SK_DIAG_INVALID,
                           "undeclared function reference: function %u is not in an element "
                           "segment, export or global initializer", ins->idx);
        return push(v, r, FE_VT_FUNCREF);
    default:
        sk_die(__FILE__, __LINE__, "%s has no validation rule", fe_op_name(op));
    }
}

/*
 * Decodes and validates one instruction at r->p the general way (fe_instr_decode, then the
 * typing rule). Sets *done after the `end` that closes the function.
 */
static bool
step(FeValidator *v, FeReader *r, const uint8_t *body_end, bool *done)
{
    const uint8_t *at = r->p;
    FeInstr ins;
    if (!fe_instr_decode(r, v->m->features, &ins))
        return false;
    FeOp op = (FeOp)ins.op;
    switch (op) {
    case FE_OP_BLOCK:
    case FE_OP_LOOP:
    case FE_OP_IF: {
        FeFuncType bt = {0, 0, NULL, NULL};
        if (!block_sig(v, r, at, ins.v.block_type, &bt))
            return false;
        if (op == FE_OP_IF && !pop_expect(v, r, at, op, FE_VT_I32))
            return false;
        if (!pop_types(v, r, at, op, bt.params, bt.nparams))
            return false;
        uint8_t kind = op == FE_OP_BLOCK ? CTRL_BLOCK : op == FE_OP_LOOP ? CTRL_LOOP : CTRL_IF;
        return push_ctrl(v, r, kind, bt.params, bt.nparams, bt.results, bt.nresults);
    }
    case FE_OP_ELSE: {
        FeCtrl c = v->ctrls[v->nctrls - 1];
        if (c.kind != CTRL_IF)
            return fe_fail(r, at, SK_DIAG_MALFORMED,
                           "END opcode expected: else without a matching if");
        return pop_ctrl(v, r, at, op) &&
               push_ctrl(v, r, CTRL_ELSE, c.params, c.nparams, c.results, c.nresults);
    }
    case FE_OP_END: {
        FeCtrl c = v->ctrls[v->nctrls - 1];
        if (c.kind == CTRL_IF && (c.nparams != c.nresults ||
                                  (c.nparams && memcmp(c.params, c.results, c.nparams))))
            return fe_fail(r, at, SK_DIAG_INVALID,
                           "type mismatch: if without else must leave its parameters as its "
                           "results");
        if (!pop_ctrl(v, r, at, op))
            return false;
        if (v->nctrls == 0) {
            if (r->p != body_end)
                return fe_fail(r, r->p, SK_DIAG_MALFORMED,
                               "section size mismatch: function body ends at offset 0x%zx, "
                               "its size says 0x%zx", (size_t)(r->p - r->base),
                               (size_t)(body_end - r->base));
            *done = true;
            return true;
        }
        return push_types(v, r, c.results, c.nresults);
    }
    default:
        break;
    }
    if (v->special[op])
        return check_special(v, r, at, &ins);
    /* A simple op: immediates, then pop the parameters and push the result. */
    const FeOpSig *s = &v->sigs[op];
    if (fe_op_info[op].imm != FE_IMM_NONE && !check_simple_imm(v, r, at, &ins))
        return false;
    for (int k = s->nparams - 1; k >= 0; k--)
        if (!pop_expect(v, r, at, op, s->params[k]))
            return false;
    return s->result == FE_VT_NONE || push(v, r, s->result);
}

/*
 * Fast-path LEB128 readers for the validator's hot loop, used only when at least 16 bytes
 * are left. They accept the common short encodings and return NULL for anything else (long
 * encodings included), leaving it to step() to decode and report.
 */
SK_INLINE const uint8_t *
fast_u32(const uint8_t *p, uint32_t *out)
{
    uint32_t v = p[0];
    if (SK_LIKELY(v < 0x80)) {
        *out = v;
        return p + 1;
    }
    v &= 0x7F;
    for (unsigned i = 1; i < 4; i++) {
        uint32_t b = p[i];
        v |= (b & 0x7F) << (7 * i);
        if (b < 0x80) {
            *out = v;
            return p + i + 1;
        }
    }
    return NULL;
}

/*
 * Skips a well-formed signed LEB128 of at most `max` bytes (5 for s32, 10 for s64). In the
 * last byte, the bits beyond the value's width must copy its sign bit: `mask` selects them
 * (0x78 for s32, 0x7F for s64). Branch-free length: the first byte without its continuation
 * bit, found among 8 bytes at once (the fast path has 16 readable bytes); encodings longer
 * than 8 bytes go to step().
 */
SK_INLINE const uint8_t *
fast_skip_sleb(const uint8_t *p, unsigned max, uint8_t mask)
{
    uint64_t stops = ~fe_le64(p) & UINT64_C(0x8080808080808080);
    if (SK_UNLIKELY(stops == 0))
        return NULL;
#if defined(__GNUC__) || defined(__clang__)
    unsigned len = (unsigned)__builtin_ctzll(stops) / 8 + 1;
#else
    unsigned len = 1;
    while (!(stops & 0x80))
        stops >>= 8, len++;
#endif
    if (SK_LIKELY(len < max))
        return p + len;
    if (len > max)
        return NULL;
    uint8_t last = p[max - 1];
    if ((last & mask) != 0 && (last & mask) != mask)
        return NULL;
    return p + max;
}

/*
 * Checks without popping that the n values under `top` match `types` (unknown values
 * match anything; slots below `floor` exist only in unreachable code, where they are
 * unknown).
 */
SK_INLINE bool
fast_match_top(const uint8_t *top, const uint8_t *floor, bool unreachable,
               const uint8_t *types, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++) {
        const uint8_t *slot = top - n + k;
        if (slot < floor) {
            if (!unreachable)
                return false;
        } else if (*slot != types[k] && *slot != FE_VT_NONE) {
            return false;
        }
    }
    return true;
}

/*
 * Validates a body from its locals to its final `end`; see the file comment for framing.
 *
 * The loop keeps the operand stack in locals: sp (next free slot), floor (the innermost
 * block's height) and lim (capacity end). Frequent instructions with short immediates are
 * decoded and typed right here; anything else, and every error, goes through step(), with
 * the locals written back to the validator before and reloaded after.
 *
 * The fast path checks one bound per instruction, p < fast_end. fast_end keeps 16 input
 * bytes in reserve (no instruction it handles is longer) and is never further from p than
 * free stack slots there are: every fast instruction consumes at least one byte and pushes
 * at most one value net, except calls, which check their results' room themselves and then
 * recompute fast_end.
 */
#if FAST_THREADED
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#endif
static bool
check_body(FeValidator *v, FeReader *r, const FeFuncType *ft, const uint8_t *body_end)
{
    const FeModule *m = v->m;
    if (!read_locals(v, r, ft))
        return false;
    /* Room for as many values as the body has bytes (up to the limit) spares the fast path
     * most returns to step() for growing the stack. */
    size_t body_left = body_end > r->p ? (size_t)(body_end - r->p) : 0;
    uint32_t want = body_left < FE_MAX_OPERAND_STACK - 64 ? 64 + (uint32_t)body_left
                                                          : FE_MAX_OPERAND_STACK;
    v->nvals = 0;
    if (v->capvals < want && !reserve_vals(v, r, want))
        return false;
    v->nctrls = 0;
    if (!push_ctrl(v, r, CTRL_FUNC, NULL, 0, ft->results, ft->nresults))
        return false;
    const uint8_t *p = r->p;
    /* Loop invariants in locals: stores through sp (uint8_t) may alias anything, so the
     * compiler would reload them from memory after every push. */
    const uint8_t *const locals = v->locals;
    const uint32_t nlocals = v->nlocals;
    uint32_t *const live = v->live;
    const uint8_t *const base = r->base;
    const uint8_t *const code_end =
        v->slow_only ? p : r->end - p > 16 ? (body_end < r->end - 16 ? body_end : r->end - 16) : p;
    const uint8_t *const safe_end = code_end + 16;  // within the input
    const uint8_t *fast_end;
    uint8_t *sp, *floor, *lim;
    bool unreachable;
#define SYNC_OUT() (v->nvals = (uint32_t)(sp - v->vals))
/* Recomputes fast_end for the current p and sp (see the function comment). */
#define SET_FAST_END()                                                                       \
    (fast_end = p >= code_end || lim - sp <= 4 ? p                                           \
                : (size_t)(code_end - p) <= (size_t)(lim - sp - 4) ? code_end               \
                                                                    : p + (lim - sp - 4))
#define SYNC_IN()                                                                            \
    (sp = v->vals + v->nvals, floor = v->vals + v->height, lim = v->vals + v->capvals,       \
     unreachable = v->unreachable, SET_FAST_END())
/* Pops a value of type t (an unknown value matches); on a mismatch, step() reports it. */
#define POP(t)                                                                               \
    do {                                                                                     \
        if (SK_LIKELY(sp > floor)) {                                                         \
            uint8_t got_ = *--sp;                                                            \
            if (SK_UNLIKELY(got_ != (t) && got_ != FE_VT_NONE)) {                            \
                sp++;                                                                        \
                goto slow;                                                                   \
            }                                                                                \
        } else if (SK_UNLIKELY(!unreachable)) {                                              \
            goto slow;                                                                       \
        }                                                                                    \
    } while (0)
/* FAST_CASE labels a handler, FAST_NEXT goes on with the next instruction, FAST_FALLBACK
 * hands the current one to step(). */
#if FAST_THREADED
    static const void *const fast_labels[FAST_CLASS_COUNT] = {
#define FAST_LABEL(c) &&fast_##c,
        FAST_CLASSES(FAST_LABEL)
#undef FAST_LABEL
    };
    if (!v->has_dispatch) {
        for (int b = 0; b < 256; b++)
            v->dispatch[b] = fast_labels[v->fastops[b].cls];
        v->has_dispatch = true;
    }
#define FAST_CASE(c) fast_##c
#define FAST_DISPATCH() goto *v->dispatch[*p];
#define FAST_NEXT()                                                                          \
    do {                                                                                     \
        if (SK_LIKELY(p < fast_end))                                                         \
            goto *v->dispatch[*p];                                                           \
        goto slow;                                                                           \
    } while (0)
#else
#define FAST_CASE(c) case FAST_##c
#define FAST_DISPATCH() switch ((FeFastClass)f->cls)
#define FAST_NEXT() continue
#endif
#define FAST_FALLBACK() goto slow
    const FeFastOp *f;
    const uint8_t *q;
    uint32_t x, y;
    SYNC_IN();
    for (;;) {
        /* Every case checks before it changes anything: what falls through to step()
         * must find the stack as it was. (A failing POP undoes its own pop, so each case
         * uses at most one, and only before any other change.) */
        if (SK_LIKELY(p < fast_end)) {
            f = &v->fastops[*p];
            FAST_DISPATCH() {
            FAST_CASE(FC):
                /* 0xFC ops without immediates (saturating truncations). */
                if (p[1] >= FE_OPKEY_FC_LIMIT || v->fastops_fc[p[1]].cls != FAST_SIMPLE)
                    FAST_FALLBACK();
                f = &v->fastops_fc[p[1]];
                q = p + 2;
                goto simple;
            FAST_CASE(MEMORY0):
                f = &v->fastops[*p];
                /* memory.size, memory.grow: the memory index is a zero byte. */
                if (p[1] != 0 || m->nmemories == 0)
                    FAST_FALLBACK();
                q = p + 2;
                goto simple;
            FAST_CASE(MEMARG1):
                f = &v->fastops[*p];
                if (!(q = fast_u32(p + 1, &x)) || !(q = fast_u32(q, &y)) || m->nmemories == 0 ||
                    x > f->n)
                    FAST_FALLBACK();
                goto simple1;
            FAST_CASE(SIMPLE1):
                f = &v->fastops[*p];
                q = p + 1;
            simple1:
                /* The usual case: the operand is the parameter. Byte compares: a wider load
                 * over values just pushed one byte at a time would stall on store forwarding. */
                if (SK_LIKELY(sp > floor && sp[-1] == f->params[0])) {
                    sp--;
                    if (f->result != FE_VT_NONE)
                        *sp++ = f->result;
                    p = q;
                    FAST_NEXT();
                }
                goto simple;
            FAST_CASE(MEMARG2):
                f = &v->fastops[*p];
                if (!(q = fast_u32(p + 1, &x)) || !(q = fast_u32(q, &y)) || m->nmemories == 0 ||
                    x > f->n)
                    FAST_FALLBACK();
                goto simple2;
            FAST_CASE(SIMPLE2):
                f = &v->fastops[*p];
                q = p + 1;
            simple2:
                if (SK_LIKELY(sp - floor >= 2 && sp[-1] == f->params[1] &&
                              sp[-2] == f->params[0])) {
                    sp -= 2;
                    if (f->result != FE_VT_NONE)
                        *sp++ = f->result;
                    p = q;
                    FAST_NEXT();
                }
                goto simple;
            FAST_CASE(MEMARG):
                f = &v->fastops[*p];
                if (!(q = fast_u32(p + 1, &x)) || !(q = fast_u32(q, &y)) || m->nmemories == 0 ||
                    x > f->n)
                    FAST_FALLBACK();
                goto simple;
            FAST_CASE(SIMPLE):
                f = &v->fastops[*p];
                q = p + 1;
            simple:
                /* Any number of parameters, unknown operands, unreachable code. */
                if (SK_UNLIKELY(sp - floor < f->nparams)) {
                    /* Unreachable code: the values there are must match the last
                     * parameters, the missing ones are unknown. */
                    if (!unreachable)
                        FAST_FALLBACK();
                    int avail = (int)(sp - floor);
                    for (int k = 0; k < avail; k++)
                        if (floor[k] != f->params[f->nparams - avail + k] &&
                            floor[k] != FE_VT_NONE)
                            goto slow;
                    sp = floor;
                } else {
                    for (int k = 0; k < f->nparams; k++) {
                        uint8_t got = sp[k - f->nparams];
                        if (got != f->params[k] && got != FE_VT_NONE)
                            goto slow;
                    }
                    sp -= f->nparams;
                }
                if (f->result != FE_VT_NONE)
                    *sp++ = f->result;
                p = q;
                FAST_NEXT();
            FAST_CASE(LOCAL_GET):
                if (!(q = fast_u32(p + 1, &x)) || x >= nlocals)
                    FAST_FALLBACK();
                *sp++ = locals[x];
                p = q;
                FAST_NEXT();
            FAST_CASE(LOCAL_GET_HINT):
                /* local.get when the translator's hints are recorded (fe_module_validate_code
                 * switches the class): the read's offset. */
                if (!(q = fast_u32(p + 1, &x)) || x >= nlocals)
                    FAST_FALLBACK();
                *sp++ = locals[x];
                live[x] = (uint32_t)(p - base);
                p = q;
                FAST_NEXT();
            FAST_CASE(LOCAL_SET):
                if (!(q = fast_u32(p + 1, &x)) || x >= nlocals ||
                    (v->inner_ord != UINT32_MAX && v->nplog == v->capplog))
                    FAST_FALLBACK();
                POP(locals[x]);
                if (v->inner_ord != UINT32_MAX)
                    hint_set_in_loop(v, x);
                p = q;
                FAST_NEXT();
            FAST_CASE(LOCAL_TEE):
                if (!(q = fast_u32(p + 1, &x)) || x >= nlocals ||
                    (v->inner_ord != UINT32_MAX && v->nplog == v->capplog))
                    FAST_FALLBACK();
                POP(locals[x]);
                if (v->inner_ord != UINT32_MAX)
                    hint_set_in_loop(v, x);
                *sp++ = locals[x];
                p = q;
                FAST_NEXT();
            FAST_CASE(GLOBAL_GET):
                if (!(q = fast_u32(p + 1, &x)) || x >= m->nglobals)
                    FAST_FALLBACK();
                *sp++ = m->globals[x].type;
                p = q;
                FAST_NEXT();
            FAST_CASE(I32_CONST):
                if (!(q = fast_skip_sleb(p + 1, 5, 0x78)))
                    FAST_FALLBACK();
                *sp++ = FE_VT_I32;
                p = q;
                FAST_NEXT();
            FAST_CASE(I64_CONST):
                if (!(q = fast_skip_sleb(p + 1, 10, 0x7F)))
                    FAST_FALLBACK();
                *sp++ = FE_VT_I64;
                p = q;
                FAST_NEXT();
            FAST_CASE(BR_IF):
            FAST_CASE(BR): {
                f = &v->fastops[*p];
                if (!(q = fast_u32(p + 1, &x)) || x >= v->nctrls)
                    FAST_FALLBACK();
                const FeCtrl *c = &v->ctrls[v->nctrls - 1 - x];
                const uint8_t *lt = c->kind == CTRL_LOOP ? c->params : c->results;
                uint32_t n = c->kind == CTRL_LOOP ? c->nparams : c->nresults;
                /* br_if: the i32 on top, the label's values under it; br: the values. */
                uint8_t *vals = sp - (f->cls == FAST_BR_IF);
                if (vals - floor < (ptrdiff_t)n ||
                    (f->cls == FAST_BR_IF && sp[-1] != FE_VT_I32 && sp[-1] != FE_VT_NONE))
                    FAST_FALLBACK();
                for (uint32_t k = 0; k < n; k++)
                    if (vals[(ptrdiff_t)k - n] != lt[k] && vals[(ptrdiff_t)k - n] != FE_VT_NONE)
                        goto slow;
                if (f->cls == FAST_BR_IF) {
                    /* The values stay, typed as the label says (unknowns become known). */
                    for (uint32_t k = 0; k < n; k++)
                        vals[(ptrdiff_t)k - n] = lt[k];
                    sp--;
                } else {
                    sp = floor;
                    unreachable = v->unreachable = v->ctrls[v->nctrls - 1].unreachable = true;
                }
                p = q;
                FAST_NEXT();
            }
            FAST_CASE(ELSE): {
                /* As FAST_END for the then-branch, then the else-branch starts empty. */
                FeCtrl *c = &v->ctrls[v->nctrls - 1];
                uint32_t n = c->nresults;
                if (c->kind != CTRL_IF || c->nparams != 0 || sp - floor != (ptrdiff_t)n)
                    FAST_FALLBACK();
                for (uint32_t k = 0; k < n; k++)
                    if (floor[k] != c->results[k] && floor[k] != FE_VT_NONE)
                        goto slow;
                c->kind = CTRL_ELSE;
                c->unreachable = unreachable = v->unreachable = false;
                sp = floor;
                p++;
                FAST_NEXT();
            }
            FAST_CASE(F32_CONST):
                *sp++ = FE_VT_F32;
                p += 5;
                FAST_NEXT();
            FAST_CASE(F64_CONST):
                *sp++ = FE_VT_F64;
                p += 9;
                FAST_NEXT();
            FAST_CASE(SELECT_T): {
                /* select with its one type: 0x1C 0x01 t. */
                uint8_t t = p[2];
                if (p[1] != 1 || !fe_is_valtype(t) || sp - floor < 3 ||
                    (sp[-1] != FE_VT_I32 && sp[-1] != FE_VT_NONE) ||
                    (sp[-2] != t && sp[-2] != FE_VT_NONE) || (sp[-3] != t && sp[-3] != FE_VT_NONE))
                    FAST_FALLBACK();
                sp -= 2;
                sp[-1] = t;
                p += 3;
                FAST_NEXT();
            }
            FAST_CASE(CALL_INDIRECT): {
                if (!(q = fast_u32(p + 1, &x)) || !(q = fast_u32(q, &y)) || x >= m->ntypes ||
                    y >= m->ntables || m->tables[y].elem_type != FE_VT_FUNCREF)
                    FAST_FALLBACK();
                const FeFuncType *t = &m->types[x];
                uint32_t np = t->nparams, nr = t->nresults;
                if (sp - floor < (ptrdiff_t)np + 1 || (size_t)(lim - sp) + np + 1 < nr ||
                    (sp[-1] != FE_VT_I32 && sp[-1] != FE_VT_NONE))
                    FAST_FALLBACK();
                for (uint32_t k = 0; k < np; k++)
                    if (sp[(ptrdiff_t)k - np - 1] != t->params[k] &&
                        sp[(ptrdiff_t)k - np - 1] != FE_VT_NONE)
                        goto slow;
                sp -= np + 1;
                for (uint32_t k = 0; k < nr; k++)
                    *sp++ = t->results[k];
                p = q;
                SET_FAST_END();
                FAST_NEXT();
            }
            FAST_CASE(BLOCK): {
                f = &v->fastops[*p];
                /* An empty or single-result block type is one byte, in the input, which
                 * outlives the validation: the block can point at it. A type index gives
                 * parameters, which stay on the stack as the block's own. */
                uint8_t t = p[1];
                const uint8_t *params = NULL, *results = p + 1;
                uint32_t np = 0, nr = t != 0x40;
                if (t == 0x40 || fe_is_valtype(t)) {
                    q = p + 2;
                } else {
                    if (!(q = fast_u32(p + 1, &x)) || (q[-1] & 0x40) || x >= m->ntypes)
                        FAST_FALLBACK();  // negative (s33) or unknown: step() reports it
                    params = m->types[x].params;
                    results = m->types[x].results;
                    np = m->types[x].nparams;
                    nr = m->types[x].nresults;
                }
                uint8_t *top = sp - (f->n == CTRL_IF);  // above the parameters
                if (v->nctrls == v->capctrls || top - floor < (ptrdiff_t)np ||
                    (f->n == CTRL_LOOP && v->nloops == v->caploops) ||
                    (f->n == CTRL_IF && sp[-1] != FE_VT_I32 && sp[-1] != FE_VT_NONE))
                    FAST_FALLBACK();
                for (uint32_t k = 0; k < np; k++)
                    if (top[(ptrdiff_t)k - np] != params[k] && top[(ptrdiff_t)k - np] != FE_VT_NONE)
                        goto slow;
                for (uint32_t k = 0; k < np; k++)
                    top[(ptrdiff_t)k - np] = params[k];
                sp = top;
                FeCtrl *c = &v->ctrls[v->nctrls++];
                c->params = params;
                c->nparams = np;
                c->results = results;
                c->nresults = nr;
                c->kind = f->n;
                c->unreachable = unreachable = v->unreachable = false;
                if (f->n == CTRL_LOOP)
                    hint_loop_open(v, c, v->nctrls - 1, (uint32_t)(p - base));
                floor = sp - np;
                c->height = v->height = (uint32_t)(floor - v->vals);
                p = q;
                FAST_NEXT();
            }
            FAST_CASE(UNREACHABLE):
                sp = floor;
                unreachable = v->unreachable = v->ctrls[v->nctrls - 1].unreachable = true;
                p++;
                FAST_NEXT();
            FAST_CASE(BR_TABLE): {
                /* Decode the whole table first, bounds-checked: it may be long. */
                uint32_t count, def, n;
                if (sp - floor < 1 || (sp[-1] != FE_VT_I32 && sp[-1] != FE_VT_NONE) ||
                    !(q = fast_u32(p + 1, &count)))
                    FAST_FALLBACK();
                const uint8_t *targets = q;
                for (uint32_t i = 0; i < count && q; i++)
                    q = q + 5 <= safe_end ? fast_u32(q, &x) : NULL;
                if (!q || q + 5 > safe_end || !(q = fast_u32(q, &def)) || def >= v->nctrls)
                    FAST_FALLBACK();
                const FeCtrl *c = &v->ctrls[v->nctrls - 1 - def];
                const uint8_t *dt = c->kind == CTRL_LOOP ? c->params : c->results;
                n = c->kind == CTRL_LOOP ? c->nparams : c->nresults;
                if (!fast_match_top(sp - 1, floor, unreachable, dt, n))
                    FAST_FALLBACK();
                const uint8_t *t = targets;
                for (uint32_t i = 0; i < count; i++) {
                    uint32_t depth = fe_u32_trusted(&t);
                    if (depth >= v->nctrls)
                        goto slow;
                    c = &v->ctrls[v->nctrls - 1 - depth];
                    if ((c->kind == CTRL_LOOP ? c->nparams : c->nresults) != n ||
                        !fast_match_top(sp - 1, floor, unreachable,
                                        c->kind == CTRL_LOOP ? c->params : c->results, n))
                        goto slow;
                }
                sp = floor;
                unreachable = v->unreachable = v->ctrls[v->nctrls - 1].unreachable = true;
                p = q;
                FAST_NEXT();
            }
            FAST_CASE(END): {
                /* The block's results must be exactly what is above its height; they are
                 * already in place, so ending it only rewrites unknown types. */
                FeCtrl *c = &v->ctrls[v->nctrls - 1];
                uint32_t n = c->nresults;
                if (v->nctrls == 1 || sp - floor != (ptrdiff_t)n ||
                    (c->kind == CTRL_IF && (n != 0 || c->nparams != 0)) ||
                    (v->nctrls - 1 == v->loop_ctrl && v->nloop_spans + 2 > v->caploop_spans))
                    FAST_FALLBACK();
                for (uint32_t k = 0; k < n; k++)
                    if (floor[k] != c->results[k] && floor[k] != FE_VT_NONE)
                        goto slow;
                for (uint32_t k = 0; k < n; k++)
                    floor[k] = c->results[k];
                if (c->kind == CTRL_LOOP)
                    hint_loop_close(v, c, (uint32_t)(p - base));
                v->nctrls--;
                v->height = c[-1].height;
                v->unreachable = c[-1].unreachable;
                floor = v->vals + v->height;
                unreachable = v->unreachable;
                p++;
                FAST_NEXT();
            }
            FAST_CASE(DROP):
                if (sp > floor)
                    sp--;
                else if (!unreachable)
                    FAST_FALLBACK();
                p++;
                FAST_NEXT();
            FAST_CASE(SELECT): {
                if (sp - floor < 3)
                    FAST_FALLBACK();
                uint8_t c = sp[-1], t1 = sp[-2], t2 = sp[-3];
                if ((c != FE_VT_I32 && c != FE_VT_NONE) || fe_is_reftype(t1) ||
                    fe_is_reftype(t2) || (t1 != t2 && t1 != FE_VT_NONE && t2 != FE_VT_NONE))
                    FAST_FALLBACK();
                sp -= 2;
                sp[-1] = t1 != FE_VT_NONE ? t1 : t2;
                p++;
                FAST_NEXT();
            }
            FAST_CASE(CALL): {
                if (!(q = fast_u32(p + 1, &x)) || x >= m->nfuncs)
                    FAST_FALLBACK();
                const FeFuncType *t = &m->types[v->func_types[x]];
                uint32_t np = t->nparams, nr = t->nresults;
                if (sp - floor < (ptrdiff_t)np || (size_t)(lim - sp) + np < nr)
                    FAST_FALLBACK();
                for (uint32_t k = 0; k < np; k++)
                    if (sp[(ptrdiff_t)k - np] != t->params[k] &&
                        sp[(ptrdiff_t)k - np] != FE_VT_NONE)
                        goto slow;
                sp -= np;
                for (uint32_t k = 0; k < nr; k++)
                    *sp++ = t->results[k];
                p = q;
                SET_FAST_END();
                FAST_NEXT();
            }
            FAST_CASE(RETURN): {
                const FeCtrl *fc = &v->ctrls[0];
                uint32_t n = fc->nresults;
                if (sp - floor < (ptrdiff_t)n)
                    FAST_FALLBACK();
                for (uint32_t k = 0; k < n; k++)
                    if (sp[(ptrdiff_t)k - n] != fc->results[k] &&
                        sp[(ptrdiff_t)k - n] != FE_VT_NONE)
                        goto slow;
                sp = floor;
                unreachable = v->unreachable = v->ctrls[v->nctrls - 1].unreachable = true;
                p++;
                FAST_NEXT();
            }
            FAST_CASE(GLOBAL_SET):
                if (!(q = fast_u32(p + 1, &x)) || x >= m->nglobals || !m->globals[x].mutable_)
                    FAST_FALLBACK();
                POP(m->globals[x].type);
                p = q;
                FAST_NEXT();
            FAST_CASE(NONE):
                FAST_FALLBACK();
#if !FAST_THREADED
            default:
                /* cls comes from our own table: telling the compiler so drops the range
                 * check of the jump table. */
                FAST_UNREACHABLE();
#endif
            }
        }
    slow:
        SYNC_OUT();
        bool done = false;
        r->p = p;
        if (!step(v, r, body_end, &done))
            return false;
        if (done)
            return true;
        p = r->p;
        SYNC_IN();
    }
#undef POP
#undef SYNC_IN
#undef SET_FAST_END
#undef SYNC_OUT
#undef FAST_CASE
#undef FAST_DISPATCH
#undef FAST_NEXT
#undef FAST_FALLBACK
}
#if FAST_THREADED
#pragma GCC diagnostic pop
#endif

/*
 * Stores the hints of the function just validated into v->hints[func_index] (FeFuncHints),
 * reads in loops moved to their outermost loop's end. A function declaring many more locals
 * than its body has bytes gets none (their size stays bounded by the code's).
 */
static bool
save_hints(FeValidator *v, FeReader *r, uint32_t func_index)
{
    const FeFunc *fn = &v->m->funcs[func_index];
    FeFuncHints *h = &v->hints[func_index];
    uint32_t n = v->nlocals, nloops = v->nloops;
    memset(h, 0, sizeof(*h));
    if (n > fn->body_size + 64)
        return true;
    uint32_t *out = sk_arena_alloc(v->hint_arena, ((size_t)n + 2 * (size_t)nloops + v->nplog + 1) *
                                                      sizeof(uint32_t));
    if (!out)
        return fe_fail(r, r->p, SK_DIAG_OUT_OF_MEMORY, "out of memory (hints)");
    /* A read inside an outermost loop [start, end] counts as a read at its end: the spans
     * are sorted and disjoint, so a binary search finds the one that may contain it. */
    const uint32_t *live = v->live, *spans = v->loop_spans;
    uint32_t nspans = v->nloop_spans / 2;
    for (uint32_t x = 0; x < n; x++) {
        uint32_t k = live[x], lo = 0, hi = nspans;
        while (lo < hi) {  // the first span starting after k
            uint32_t mid = (lo + hi) / 2;
            if (spans[2 * mid] <= k)
                lo = mid + 1;
            else
                hi = mid;
        }
        out[x] = lo && k <= spans[2 * lo - 1] ? spans[2 * lo - 1] : k;
    }
    uint32_t *ranges = out + n, *sets = ranges + 2 * (size_t)nloops;
    if (nloops)
        memcpy(ranges, v->loops, (size_t)nloops * sizeof(FeLoopRec));
    if (v->nplog)
        memcpy(sets, v->plog, (size_t)v->nplog * sizeof(uint32_t));
    h->live_until = out;
    h->loop_ranges = ranges;
    h->loop_sets = sets;
    h->nlocals = n;
    h->nloops = nloops;
    return true;
}

bool
fe_validator_check_func(FeValidator *v, uint32_t func_index, SkDiag *diag)
{
    const FeModule *m = v->m;
    SK_ASSERT(func_index >= m->nimported_funcs && func_index < m->nfuncs);
    const FeFunc *f = &m->funcs[func_index];
    FeReader r;
    fe_reader_init(&r, m->bytes, m->bytes + f->body_offset, m->bytes + m->size, diag);
    r.func_index = func_index;
    if (!check_body(v, &r, &m->types[f->type_index], m->bytes + f->body_offset + f->body_size))
        return false;
    return !v->hints || save_hints(v, &r, func_index);
}

void
fe_validator_set_slow_only(FeValidator *v, bool slow_only)
{
    v->slow_only = slow_only;
}

/* ---- syntax-only pass ---- */

/* Decodes one body without typing: locals, instructions, block nesting, framing. */
static bool
check_body_syntax(const FeModule *m, FeReader *r, const uint8_t *body_end, uint8_t **kinds,
                  uint32_t *cap)
{
    const SkAlloc *alloc = m->arena.alloc;
    uint32_t ngroups, depth = 0;
    uint64_t total = 0;
    if (!fe_read_len(r, &ngroups))
        return false;
    for (uint32_t g = 0; g < ngroups; g++) {
        const uint8_t *at = r->p;
        uint32_t count;
        uint8_t type;
        if (!fe_read_u32(r, &count) || !fe_read_valtype(r, &type))
            return false;
        total += count;
        if (total > UINT32_MAX)
            return fe_fail(r, at, SK_DIAG_MALFORMED, "too many locals: more than 2^32-1");
    }
    for (;;) {
        const uint8_t *at = r->p;
        FeInstr ins;
        if (!fe_instr_decode(r, m->features, &ins))
            return false;
        switch ((FeOp)ins.op) {
        case FE_OP_BLOCK:
        case FE_OP_LOOP:
        case FE_OP_IF:
            if (depth == *cap && !grow(alloc, (void **)kinds, cap, depth + 1, 1))
                return fe_fail(r, at, SK_DIAG_OUT_OF_MEMORY, "out of memory");
            (*kinds)[depth++] = ins.op == FE_OP_IF ? CTRL_IF : CTRL_BLOCK;
            break;
        case FE_OP_ELSE:
            if (depth == 0 || (*kinds)[depth - 1] != CTRL_IF)
                return fe_fail(r, at, SK_DIAG_MALFORMED,
                               "END opcode expected: else without a matching if");
            (*kinds)[depth - 1] = CTRL_ELSE;
            break;
        case FE_OP_END:
            if (depth == 0) {
                if (r->p != body_end)
                    return fe_fail(r, r->p, SK_DIAG_MALFORMED,
                                   "section size mismatch: function body ends at offset "
                                   "0x%zx, its size says 0x%zx", (size_t)(r->p - r->base),
                                   (size_t)(body_end - r->base));
                return true;
            }
            depth--;
            break;
        case FE_OP_MEMORY_INIT:
        case FE_OP_DATA_DROP:
            if (data_count_missing(m, ins.idx))
                return fe_fail(r, at, SK_DIAG_MALFORMED,
                               "data count section required by memory.init and data.drop");
            break;
        default:
            break;
        }
    }
}

bool
fe_bodies_check_syntax(const FeModule *m, uint32_t first, SkDiag *diag)
{
    uint8_t *kinds = NULL;
    uint32_t cap = 0;
    bool ok = true;
    for (uint32_t i = first > m->nimported_funcs ? first : m->nimported_funcs;
         ok && i < m->nfuncs; i++) {
        const FeFunc *f = &m->funcs[i];
        FeReader r;
        fe_reader_init(&r, m->bytes, m->bytes + f->body_offset, m->bytes + m->size, diag);
        r.func_index = i;
        ok = check_body_syntax(m, &r, m->bytes + f->body_offset + f->body_size, &kinds, &cap);
    }
    sk_free(m->arena.alloc, kinds, cap);
    return ok;
}

/* ---- whole module ---- */

bool
fe_module_validate_code(FeModule *m, SkDiag *diag)
{
    memset(diag, 0, sizeof(*diag));
    diag->func_index = SK_DIAG_NO_FUNC;
    FeValidator *v = fe_validator_new(m);
    if (!v)
        return sk_diag_set(diag, SK_DIAG_OUT_OF_MEMORY, 0, "out of memory");
    /* Hints for the translator; offsets must fit 32 bits. */
    m->hints = NULL;
    if (m->size < UINT32_MAX && !m->no_hints) {
        v->hints = sk_arena_calloc(&m->arena, m->nfuncs ? m->nfuncs : 1, sizeof(FeFuncHints));
        v->hint_arena = &m->arena;
        if (!v->hints) {
            fe_validator_free(v);
            return sk_diag_set(diag, SK_DIAG_OUT_OF_MEMORY, 0, "out of memory");
        }
        /* local.get records its offset: its own handler, so that validation without
         * hints pays nothing for it. */
        v->fastops[0x20].cls = FAST_LOCAL_GET_HINT;  // 0x20: local.get
    }
    bool ok = true;
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++) {
        if (fe_validator_check_func(v, i, diag))
            continue;
        ok = false;
        if (diag->kind == SK_DIAG_INVALID) {
            /* A malformed body anywhere from here on outranks this validation error. */
            SkDiag syntax;
            memset(&syntax, 0, sizeof(syntax));
            if (!fe_bodies_check_syntax(m, i, &syntax))
                *diag = syntax;
        }
        break;
    }
    if (ok)
        m->hints = v->hints;
    fe_validator_free(v);
    return ok;
}

bool
fe_module_load(const uint8_t *bytes, size_t size, const FeOptions *opts, FeModule **out,
               SkDiag *diag)
{
    FeModule *m;
    *out = NULL;
    if (!fe_module_decode(bytes, size, opts, &m, diag))
        return false;
    if (!fe_module_validate_code(m, diag)) {
        fe_module_free(m);
        return false;
    }
    *out = m;
    return true;
}

/* ---- helpers for translating validated bodies ---- */

const uint8_t *
fe_func_locals(const FeModule *m, uint32_t func_index, SkArena *arena,
               const uint8_t **out_types, uint32_t *out_nlocals)
{
    SK_ASSERT(func_index >= m->nimported_funcs && func_index < m->nfuncs);
    const FeFunc *f = &m->funcs[func_index];
    const FeFuncType *ft = &m->types[f->type_index];
    const uint8_t *p = m->bytes + f->body_offset;
    uint32_t ngroups = fe_u32_trusted(&p);
    const uint8_t *groups = p;
    uint64_t total = ft->nparams;
    for (uint32_t g = 0; g < ngroups; g++) {
        total += fe_u32_trusted(&p);
        p++;
    }
    SK_ASSERT(total <= FE_MAX_LOCALS);
    uint8_t *types = sk_arena_alloc_aligned(arena, total ? (size_t)total : 1, 1);
    if (!types)
        return NULL;
    if (ft->nparams)
        memcpy(types, ft->params, ft->nparams);
    uint32_t n = ft->nparams;
    p = groups;
    for (uint32_t g = 0; g < ngroups; g++) {
        uint32_t count = fe_u32_trusted(&p);
        if (count)
            memset(types + n, *p, count);
        p++;
        n += count;
    }
    *out_types = types;
    *out_nlocals = n;
    return p;
}

void
fe_block_type_resolve(const FeModule *m, int64_t block_type, FeFuncType *out)
{
    if (block_type >= 0) {
        SK_ASSERT((uint64_t)block_type < m->ntypes);
        *out = m->types[block_type];
        return;
    }
    SK_ASSERT(block_type != FE_BLOCKTYPE_INVALID);
    out->nparams = 0;
    out->params = NULL;
    out->nresults = block_type == FE_BLOCKTYPE_EMPTY ? 0 : 1;
    out->results =
        block_type == FE_BLOCKTYPE_EMPTY ? NULL : single_type((uint8_t)(0x80 + block_type));
}
