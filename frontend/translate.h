/*
 * Internal to the translator (frontend/translate*.c): the translation context, its control
 * frames and pending edges. Not a public header: frontend.h declares the API.
 *
 * How locals become SSA values (details in translate.c): `cur[x]` is local x's current
 * value. Each local.set appends (x, old value) to an assignment log the first time x is set
 * inside the innermost open construct, so a construct's log range lists the locals it
 * assigns and their values at its entry. A branch to a block/if label records the label's
 * arity values and a snapshot of the locals its range has assigned so far; at the `end`,
 * the merge block gets parameters exactly for the results and locals whose incoming values
 * differ. Loop headers get parameters for the locals a pre-scan finds assigned in the body;
 * those that turn out redundant are removed when the loop ends.
 */
#ifndef SKUA_FRONTEND_TRANSLATE_H
#define SKUA_FRONTEND_TRANSLATE_H

#include "frontend/frontend.h"
#include "ir/ir.h"

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

typedef struct TrFrame {
    uint8_t kind;            // TrFrameKind
    uint8_t dead;            // entered in unreachable code: tracks nesting only
    uint8_t if_state;        // IF: TrIfState
    uint8_t in_else;         // IF: the else arm has begun
    uint8_t then_reachable;  // IF, CONST_THEN: the then arm's end was reachable
    uint32_t nparams, nresults;
    const uint8_t *params;   // FeValType each
    const uint8_t *results;  // FeValType each
    uint32_t height;         // operand stack height below the construct's parameters
    uint32_t log_start;      // assignment-log position at entry
    uint32_t edges;          // BLOCK/IF: pending edges (index + 1, linked); LOOP: JUMP preds
    uint32_t header;         // LOOP: the header block
    uint32_t lloc, nlloc;    // LOOP: the header's local parameters (range of t->lloc)
    uint32_t stash;          // IF: start of the parameter values in t->stash
    uint32_t branch_block;   // IF, BRANCH: the block ending in the if's branch
    uint32_t table_gen;      // br_table deduplication: the last br_table that targeted this
    uint32_t table_block;    // ... and the block it made for this label (FUNC, LOOP)
} TrFrame;

typedef enum TrEdgeKind {
    TR_EDGE_JUMP = 0,  // the source block ends in a JUMP to fill in
    TR_EDGE_THEN,      // the source's BRANCH "then" slot
    TR_EDGE_ELSE,      // the source's BRANCH "else" slot
    TR_EDGE_TABLE,     // the source's BR_TABLE slots holding the label's tag
    TR_EDGE_LOOP,      // LOOP preds: a block whose JUMP targets the header
} TrEdgeKind;

typedef struct TrEdge {
    uint32_t next;   // next edge of the same label (index + 1), 0 = last
    uint32_t block;  // source block
    uint32_t kind;   // TrEdgeKind
    uint32_t vals;   // start in t->edge_vals of the label's arity values
    uint32_t snap;   // start in t->snaps of (local, value) pairs
    uint32_t nsnap;  // number of pairs
} TrEdge;

/* An assignment-log record: local x was first set (in some construct) when it held `old`. */
typedef struct TrLog {
    uint32_t local;
    uint32_t old;
} TrLog;

/* Pre-scan result for one loop (by ordinal in the body): its assigned locals, t->plog[start,end). */
typedef struct TrLoopInfo {
    uint32_t start, end;
} TrLoopInfo;

/* br_table slot tag for a block/if label whose merge block does not exist yet. */
#define TR_TABLE_TAG 0x80000000u

struct FeTranslator {
    const FeModule *m;
    const IrModule *im;
    const SkAlloc *alloc;
    SkArena scratch;  // per function: local types

    /* Per function. */
    IrFunc *f;
    const uint8_t *ltypes;  // FeValType per local (parameters first)
    uint32_t nlocals;
    bool reachable;         // false after br/return/unreachable until the construct ends
    bool failed;            // out of memory (sticky)
    uint32_t gen;           // stamp generation for `seen` / `vstamp`
    uint32_t table_gen;     // br_table counter
    uint32_t loop_ordinal;  // loops seen so far (live or dead)
    uint32_t loops_scanned; // loops with pre-scan information

    /* Per-local arrays (heap, grown to the largest function). */
    uint32_t locals_cap;
    uint32_t *cur;     // current value (a value id)
    uint32_t *mark;    // log position + 1 of the local's last record, 0 = none
    uint32_t *seen;    // dedupe stamps
    uint32_t *vstamp;  // per-edge materialization stamps
    uint32_t *val;     // merge: the local's value at the construct's entry
    uint32_t *ev;      // merge: the local's value on the edge being read
    uint32_t *pmark;   // pre-scan: plog position + 1 of the last record

    SK_VEC(IrValue) stack;
    SK_VEC(TrFrame) frames;
    SK_VEC(TrLog) log;
    SK_VEC(TrEdge) edges;
    SK_VEC(uint32_t) edge_vals;
    SK_VEC(uint32_t) snaps;
    SK_VEC(uint32_t) stash;
    SK_VEC(uint32_t) lloc;
    SK_VEC(uint32_t) plog;
    SK_VEC(TrLoopInfo) loops;
    SK_VEC(uint32_t) pstack;  // pre-scan nesting: innermost loop start per open construct
    SK_VEC(uint32_t) slots;   // merge: the locals the construct assigned
    SK_VEC(uint32_t) matrix;  // merge: one row of slot values per incoming edge
    SK_VEC(uint32_t) pslots;  // merge: the slots that become block parameters
    SK_VEC(uint32_t) cslots;  // merge: the slots holding one constant on every edge
    SK_VEC(IrValue) args;
    SK_VEC(IrBlock) targets;
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

static inline void
tr_push(FeTranslator *t, IrValue v)
{
    TR_PUSH(t, &t->stack, v);
}

/* Pops the top operand, resolved through the alias map. The body is validated, so the stack
 * cannot underflow in reachable code. */
static inline IrValue
tr_pop(FeTranslator *t)
{
    SK_ASSERT(t->stack.len > 0);
    return ir_resolve(t->f, t->stack.data[--t->stack.len]);
}

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

extern const TrOpMap tr_op_map[FE_OP_COUNT];

/* Division and remainder with their explicit trap_if checks (operands on the stack). */
void tr_translate_div(FeTranslator *t, IrOp op, IrType type);

/*
 * Translates one non-control instruction (numeric, memory, table, reference, SIMD, select,
 * globals, calls). Returns false if `in` is a control or local instruction, which
 * translate.c handles itself.
 */
bool tr_translate_op(FeTranslator *t, const FeInstr *in);

/* Emits the trap terminator for a certain trap and makes the rest unreachable. */
void tr_trap(FeTranslator *t, IrTrapKind kind);

#endif
