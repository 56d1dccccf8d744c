/*
 * Internal to the translator (frontend/translate*.c): the translation context, its control
 * frames and pending edges. Not a public header: frontend.h declares the API.
 *
 * How locals become SSA values (details in translate.c): `cur[x]` is local x's current
 * value. Each local.set appends (x, old value) to an assignment log the first time x is set
 * inside the innermost open construct, so a construct's log range lists, once each, the
 * locals it assigns and their values at its entry (closing a construct moves its records
 * into the parent's range, dropping those the parent already has). A branch to a block/if
 * label records the label's arity values and a snapshot of the locals its range has
 * assigned so far; at the `end`, the merge block gets parameters exactly for the results
 * and locals whose incoming values differ. Loop headers get parameters for the locals
 * assigned in the body (the validator's records, FeFuncHints, or a pre-scan without them);
 * those that turn out redundant are removed when the loop ends. Locals dead at a point (the
 * validator's last-read offsets) are never set, merged or passed to a loop header.
 *
 * Split: translate.c holds the control flow (frames, edges, merges, loops, branches) and
 * the entry point; translate_ops.c the dispatch loop over the body and everything else.
 */
#ifndef SKUA_FRONTEND_TRANSLATE_H
#define SKUA_FRONTEND_TRANSLATE_H

#include "frontend/frontend.h"
#include "ir/ir.h"

/*
 * Dispatch of the translator's loops over instructions (tr_translate_body, the pre-scan).
 * With GCC and clang it is threaded: every handler ends with its own indirect jump through
 * a table of handler addresses per opcode byte (filled on first use), as the validator does
 * (validate.c); the branch predictor tells those jumps apart, which measured clearly faster
 * than one shared switch. Other compilers, or -DSKUA_NO_THREADED_DISPATCH, get a switch.
 */
#if (defined(__GNUC__) || defined(__clang__)) && !defined(SKUA_NO_THREADED_DISPATCH)
#define TR_THREADED 1
#else
#define TR_THREADED 0
#endif

typedef enum TrFrameKind {
    TR_FRAME_FUNC = 0,  // the function body: branching to it returns
    TR_FRAME_BLOCK,
    TR_FRAME_LOOP,
    TR_FRAME_IF,
} TrFrameKind;

typedef enum TrIfState {
    TR_IF_BRANCH = 0,    // a real branch on a runtime condition
    TR_IF_CONST_THEN,    // constant true: the then arm runs inline, the else arm is dead
    TR_IF_CONST_ELSE,    // constant false: the then arm is dead, the else arm runs inline
} TrIfState;

/* One open construct in reachable code (constructs inside dead code get no frame). */
typedef struct TrFrame {
    uint8_t kind;            // TrFrameKind
    uint8_t if_state;        // IF: TrIfState
    uint8_t in_else;         // IF: the else arm has begun
    uint8_t then_reachable;  // IF, CONST_THEN: the then arm's end was reachable
    uint32_t nparams, nresults;
    const uint8_t *params;   // FeValType each
    const uint8_t *results;  // FeValType each
    uint32_t height;         // operand stack height below the construct's parameters
    uint32_t log_start;      // assignment-log position at entry
    uint32_t edges;          // BLOCK/IF: pending edges (index + 1, linked); LOOP: JUMP preds
    uint32_t nedges;         // how many
    uint32_t header;         // LOOP: the header block
    uint32_t lloc, nlloc;    // LOOP: the header's local parameters (range of t->lloc)
    uint32_t stash;          // IF: start of the parameter values in t->stash
    uint32_t branch_block;   // IF, BRANCH: the block ending in the if's branch
    uint32_t table_gen;      // br_table: the last br_table that targeted this label
    uint32_t table_aux;      // ... FUNC, LOOP: the block it made; BLOCK, IF: chain head
} TrFrame;

typedef enum TrEdgeKind {
    TR_EDGE_JUMP = 0,  // the source block ends in a JUMP to fill in
    TR_EDGE_THEN,      // the source's BRANCH "then" slot
    TR_EDGE_ELSE,      // the source's BRANCH "else" slot
    TR_EDGE_TABLE,     // the source's BR_TABLE slots chained from `aux` (see do_br_table)
    TR_EDGE_LOOP,      // LOOP preds: a block whose JUMP targets the header
} TrEdgeKind;

typedef struct TrEdge {
    uint32_t next;   // next edge of the same label (index + 1), 0 = last
    uint32_t block;  // source block
    uint32_t kind;   // TrEdgeKind
    uint32_t vals;   // start in t->edge_vals of the label's arity values
    uint32_t snap;   // start in t->snaps of (local, value) pairs
    uint32_t nsnap;  // number of pairs
    uint32_t aux;    // TABLE: the first slot of the chain (position + 1)
} TrEdge;

/*
 * An assignment-log record: local x was first set (in some construct) when it held `old`.
 * `prev` is what mark[x] was before this record (the position + 1 of x's previous record),
 * which tells at the construct's end whether the parent already has a record of x.
 */
typedef struct TrLog {
    uint32_t local;
    uint32_t old;
    uint32_t prev;
} TrLog;

/* Pre-scan result for one loop (by ordinal in the body): its assigned locals, t->plog[start,end). */
typedef struct TrLoopInfo {
    uint32_t start, end;
} TrLoopInfo;

/* br_table slot tag for a block/if label whose merge block does not exist yet. */
#define TR_TABLE_TAG 0x80000000u

/*
 * One merge column (a result or an assigned local of the construct being merged): the
 * first value seen, and whether the others equal it (SAME), are equal constants (CONST) or
 * differ (a block parameter).
 */
typedef struct TrCol {
    uint32_t first;  // value on the first row that has one
    uint8_t state;   // TR_COL_*
    uint32_t rows;   // locals: rows (edges) whose snapshot names the local
    uint32_t param;  // position in the merge block's parameters, or UINT32_MAX
} TrCol;

/* DEAD: a local dead after the merge (no parameter; col_add leaves the state alone). */
enum { TR_COL_SAME = 0, TR_COL_CONST, TR_COL_DIFF, TR_COL_DEAD };

struct FeTranslator {
    const FeModule *m;
    const IrModule *im;
    const SkAlloc *alloc;
    SkArena scratch;  // per function: local types

    /* Per function. */
    IrFunc *f;
    const uint8_t *ltypes;  // FeValType per local (parameters first)
    uint32_t nlocals;
    const uint8_t *end;     // the body's end
    bool reachable;         // false after br/return/unreachable until the construct ends
    bool failed;            // out of memory (sticky)
    uint32_t gen;           // stamp generation for `seen`
    uint32_t table_gen;     // br_table counter
    uint32_t loop_ordinal;  // loops seen so far (live or dead)
    uint32_t loops_scanned; // loops with pre-scan information
    uint32_t log_base;      // log_start of the innermost frame (set_local's test)
    /* The validator's hints for the function (FeFuncHints), or NULL: then loops find the
     * locals they set by a pre-scan (prescan_loops) and every local is live to the end.
     * Local x is dead at offset `pos` (in m->bytes) when live[x] < pos; pos is the offset
     * just after the control instruction being translated (set by SYNC). */
    const FeFuncHints *hints;
    const uint32_t *live;
    uint32_t pos;

    /* The operand stack: value ids. Room for one push per remaining body byte is kept at
     * all times (stack_room), so single pushes need no check. */
    IrValue *stk;
    uint32_t sp, stk_cap;
    /* Open constructs (grown on demand); spare_frame stands in when they cannot grow. */
    TrFrame *frames;
    uint32_t nframes, frames_cap;
    TrFrame spare_frame;

    /* Per-local arrays (heap, grown to the largest function). */
    uint32_t locals_cap;
    uint32_t *cur;     // current value (a value id)
    uint32_t *mark;    // log position + 1 of the local's last record, 0 = none
    uint32_t *seen;    // dedupe stamps (loop parameters)
    uint32_t *pmark;   // pre-scan: plog position + 1 of the last record

    SK_VEC(TrLog) log;
    SK_VEC(TrEdge) edges;
    SK_VEC(uint32_t) edge_vals;
    SK_VEC(uint32_t) snaps;
    SK_VEC(uint32_t) stash;
    SK_VEC(uint32_t) lloc;
    SK_VEC(uint32_t) plog;
    SK_VEC(TrLoopInfo) loops;
    SK_VEC(uint32_t) pstack;  // pre-scan nesting: innermost loop start per open construct
    SK_VEC(TrCol) cols;       // merge: one per result and assigned local
    SK_VEC(uint32_t) pcols;   // merge: the columns that become parameters
    SK_VEC(IrValue) args;
    SK_VEC(IrBlock) targets;

    /* Dispatch (translate_ops.c): the handler class of each opcode byte and, with threaded
     * dispatch, the handler's address (filled on first use). */
    uint8_t cls[256];
    bool has_dispatch, has_scan_dispatch;
    const void *dispatch[256];
    const void *scan_dispatch[256];  // the pre-scan's, by tr_skip_class
};

/* Heap push that records failure in t->failed instead of returning it. */
#define TR_PUSH(t, v, x)                                                                     \
    do {                                                                                     \
        if (SK_UNLIKELY(!SK_VEC_PUSH_HEAP((v), (t)->alloc, (x))))                            \
            (t)->failed = true;                                                              \
    } while (0)

/* The IR type of a Wasm value type. */
static inline IrType
tr_type(uint8_t valtype)
{
    switch (valtype) {
    case FE_VT_I32: return IR_TYPE_I32;
    case FE_VT_I64: return IR_TYPE_I64;
    case FE_VT_F32: return IR_TYPE_F32;
    case FE_VT_F64: return IR_TYPE_F64;
    case FE_VT_V128: return IR_TYPE_V128;
    case FE_VT_FUNCREF: return IR_TYPE_FUNCREF;
    case FE_VT_EXTERNREF: return IR_TYPE_EXTERNREF;
    default: return IR_TYPE_NONE;
    }
}

/* v resolved through the alias map (the map is usually absent). */
static inline uint32_t
tr_resolved(const IrFunc *f, uint32_t v)
{
    if (SK_LIKELY(!f->alias))
        return v;
    return ir_resolve(f, (IrValue){v}).id;
}

/* The operand stack holds resolved values: the only aliases the translator makes are loop
 * parameters removed at the loop's end, and end_loop resolves the stack and the locals. */
static inline void
tr_push(FeTranslator *t, IrValue v)
{
    t->stk[t->sp++] = v;
}

static inline IrValue
tr_pop(FeTranslator *t)
{
    SK_ASSERT(t->sp > 0);
    return t->stk[--t->sp];
}

/* The top n operand-stack values (not popped). */
static inline const IrValue *
tr_stack_top(FeTranslator *t, uint32_t n)
{
    SK_ASSERT(t->sp >= n);
    return &t->stk[t->sp - n];
}

/* translate.c: control flow */

/*
 * Makes room for n more operand-stack values beyond one per remaining body byte (`p` is the
 * read position). Calls and other instructions that push more values than they have bytes
 * call it first. Sets t->failed when out of memory (t->stk may move).
 */
void tr_stack_room(FeTranslator *t, uint32_t n, const uint8_t *p);

/* local x = v (v resolved), logging x's old value the first time it is set in the
 * innermost construct. */
static inline void
tr_set_local(FeTranslator *t, uint32_t x, uint32_t v)
{
    if (t->mark[x] <= t->log_base) {
        if (SK_UNLIKELY(t->log.len >= t->log.cap) &&
            !SK_VEC_RESERVE_HEAP(&t->log, t->alloc, t->log.len + 1)) {
            t->failed = true;
            return;
        }
        t->log.data[t->log.len++] = (TrLog){x, t->cur[x], t->mark[x]};
        t->mark[x] = t->log.len;
    }
    t->cur[x] = v;
}

/* The control instructions. `p` points after the instruction (its immediates decoded). */
void tr_block(FeTranslator *t, int64_t block_type);
void tr_loop(FeTranslator *t, int64_t block_type, const uint8_t *p);
void tr_if(FeTranslator *t, int64_t block_type);
void tr_else(FeTranslator *t);
void tr_end(FeTranslator *t);
void tr_br(FeTranslator *t, uint32_t depth);
void tr_br_if(FeTranslator *t, uint32_t depth);
void tr_br_table(FeTranslator *t, const FeInstr *in);
void tr_return(FeTranslator *t);

/* translate_ops.c */

/* How a non-control FeOp translates (tr_op_map): its shape, IR operation and types. */
typedef enum TrKind {
    TR_K_NONE = 0,  // not a simple shape: control, locals, calls, tables, ... (by FeOp)
    TR_K_UNARY,     // ir_build_unary(op, type, a)
    TR_K_BINARY,    // ir_build_binary(op, type, a, b)
    TR_K_ICMP,      // ir_build_icmp(aux, a, b)
    TR_K_FCMP,      // ir_build_fcmp(aux, a, b)
    TR_K_DIV,       // tr_translate_div: trap checks, then the operation
    TR_K_LOAD,      // op with result `type`; memarg immediates
    TR_K_STORE,     // op storing the popped value; memarg immediates
    TR_K_SIMD,      // 1:1 SIMD op, shape from ir_op_info
} TrKind;

typedef struct TrOpMap {
    uint8_t kind;  // TrKind
    uint8_t type;  // IrType of the result (UNARY, BINARY, DIV, LOAD)
    uint16_t op;   // IrOp
    uint8_t aux;   // condition (ICMP/FCMP)
} TrOpMap;

/* Indexed by opcode key (FE_OPKEY_*: single-byte opcodes, then 0xFC and 0xFD ones). */
extern const TrOpMap tr_op_map[FE_OPKEY_COUNT];

/* How to step over an instruction without translating it, by its first byte. */
typedef enum TrSkipClass {
    TR_SC_NONE = 0,  // no immediates
    TR_SC_LEB,       // one LEB128 immediate
    TR_SC_LEB2,      // two (memarg, call_indirect)
    TR_SC_F32,       // four bytes
    TR_SC_F64,       // eight bytes
    TR_SC_BLOCK,     // block, if: a block type (one LEB128), opens a construct
    TR_SC_LOOP,      // loop: the same
    TR_SC_ELSE,
    TR_SC_END,
    TR_SC_SET,       // local.set, local.tee: the local index
    TR_SC_SLOW,      // anything else: the general decoder
    TR_SC_COUNT
} TrSkipClass;

/* TrSkipClass by opcode key (only single-byte keys are looked up). */
extern const uint8_t tr_skip_class[FE_OPKEY_COUNT];

/* Steps over a LEB128 of validated input. */
static inline void
tr_skip_leb(const uint8_t **pp)
{
    const uint8_t *p = *pp;
    while (*p++ & 0x80)
        ;
    *pp = p;
}

/*
 * Skips unreachable code from p (just after the instruction that ended reachability) to
 * the `else` or `end` that closes the innermost frame, counting the loops it passes (their
 * pre-scan ordinals). Returns the address of that else/end, not consumed.
 */
const uint8_t *tr_skip_dead(FeTranslator *t, const uint8_t *p);

/* Fills t->cls, the dispatch class of every single-byte opcode (once, at creation). */
void tr_classes_init(FeTranslator *t);

/*
 * Translates the body from p (after the local declarations) to the function's final
 * `end`. Returns the position after it.
 */
const uint8_t *tr_translate_body(FeTranslator *t, const uint8_t *p);

/* Emits the trap terminator for a certain trap and makes the rest unreachable. */
void tr_trap(FeTranslator *t, IrTrapKind kind);

#endif
