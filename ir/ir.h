/*
 * ir: skua's target-independent SSA IR (DESIGN.md, section IR). The frontend translates each
 * validated Wasm function into an IrFunc; cheap passes (folding while building, block-parameter
 * simplification, dead-code elimination) run on it; backends select machine code from it.
 *
 * Shape, in one paragraph: a function is an array of instructions, an array of blocks and a
 * shared u32 pool, all in one arena that the caller resets after each function. A value is
 * the result of an instruction (value id == instruction id; ids start at 1, 0 = none). A
 * block's instructions are a contiguous range of the instruction array; its parameters are
 * PARAM instructions listed in the pool (no phi nodes); its terminator is a record in the
 * block, not an instruction. Only JUMP passes block arguments: a conditional or table branch
 * that must pass values goes through an edge block whose terminator is a JUMP, so no critical
 * edge ever needs moves. Instructions are never moved or inserted after the fact: passes
 * delete by overwriting with NOP and replace values through a forwarding (alias) map that
 * one rewrite pass resolves.
 *
 * Operation facts (operand and result types, immediates, flags) come from ir/ops.def.
 *
 * What a backend gets after ir_passes_run: every block reachable, no dead instruction or
 * parameter (NOPs remain in place: skip them, and PARAMs, when walking a block's range),
 * f->uses (use counts, to fold single-use loads and compares into their user). It computes
 * a block order, predecessor lists or dominators itself with ir_cfg_compute when it wants
 * them (reverse postorder follows the Wasm source order).
 */
#ifndef SKUA_IR_IR_H
#define SKUA_IR_IR_H

#include "ir/arena.h"
#include "ir/common.h"
#include "ir/vec.h"

/* ---- typed indices ----------------------------------------------------------------------- */

/* Distinct one-field structs so that mixing up kinds is a compile error; id 0 = none. A
 * value id and the id of the instruction defining it are the same number. */
typedef struct IrValue { uint32_t id; } IrValue;
typedef struct IrInst { uint32_t id; } IrInst;
typedef struct IrBlock { uint32_t id; } IrBlock;

_Static_assert(sizeof(IrValue) == sizeof(uint32_t), "value lists copy as u32 arrays");

#define IR_NONE_VALUE ((IrValue){0})
#define IR_NONE_BLOCK ((IrBlock){0})
#define IR_ENTRY_BLOCK ((IrBlock){1})

/* ---- types ------------------------------------------------------------------------------- */

typedef enum IrType {
    IR_TYPE_NONE = 0,
    IR_TYPE_I32,
    IR_TYPE_I64,
    IR_TYPE_F32,
    IR_TYPE_F64,
    IR_TYPE_V128,
    IR_TYPE_FUNCREF,    // pointer-sized: a pointer to an RtFuncRef, NULL is ref.null
    IR_TYPE_EXTERNREF,  // pointer-sized, opaque
    IR_TYPE_COUNT
} IrType;

/* Type sets (bit 1 << IrType), used by ops.def's CTRL column and the verifier. */
#define IR_TS(t) (1u << (t))
#define IR_TS_NONE 0u
#define IR_TS_I32 IR_TS(IR_TYPE_I32)
#define IR_TS_I64 IR_TS(IR_TYPE_I64)
#define IR_TS_F32 IR_TS(IR_TYPE_F32)
#define IR_TS_F64 IR_TS(IR_TYPE_F64)
#define IR_TS_FUNCREF IR_TS(IR_TYPE_FUNCREF)
#define IR_TS_INT (IR_TS_I32 | IR_TS_I64)
#define IR_TS_FLT (IR_TS_F32 | IR_TS_F64)
#define IR_TS_NUM (IR_TS_INT | IR_TS_FLT)
#define IR_TS_NUMV (IR_TS_NUM | IR_TS(IR_TYPE_V128))
#define IR_TS_REF (IR_TS_FUNCREF | IR_TS(IR_TYPE_EXTERNREF))
#define IR_TS_ANY (IR_TS_NUMV | IR_TS_REF)

/* "i32", "i64", ..., "none". */
const char *ir_type_name(IrType t);

/* ---- trap kinds -------------------------------------------------------------------------- */

/*
 * Why a trap_if or trap fires. The names are stable (printed IR, golden files); the runtime
 * keeps its own trap enum and the backend maps between them. The message is the spec
 * testsuite's wording for assert_trap.
 *     NAME                    name                      message
 */
#define IR_TRAP_KINDS(X)                                                                     \
    X(NONE,                    "none",                    "no trap")                         \
    X(UNREACHABLE,             "unreachable",             "unreachable")                     \
    X(INT_DIV_BY_ZERO,         "int_divide_by_zero",      "integer divide by zero")          \
    X(INT_OVERFLOW,            "int_overflow",            "integer overflow")                \
    X(BAD_CONVERSION,          "bad_conversion_to_int",   "invalid conversion to integer")   \
    X(MEMORY_OOB,              "memory_out_of_bounds",    "out of bounds memory access")     \
    X(TABLE_OOB,               "table_out_of_bounds",     "out of bounds table access")      \
    X(UNDEFINED_ELEMENT,       "undefined_element",       "undefined element")               \
    X(UNINITIALIZED_ELEMENT,   "uninitialized_element",   "uninitialized element")           \
    X(INDIRECT_CALL_TYPE,      "indirect_call_type",      "indirect call type mismatch")     \
    X(STACK_EXHAUSTED,         "stack_exhausted",         "call stack exhausted")

typedef enum IrTrapKind {
#define IR_TRAP_ENUM(name, text, msg) IR_TRAP_##name,
    IR_TRAP_KINDS(IR_TRAP_ENUM)
#undef IR_TRAP_ENUM
    IR_TRAP_COUNT
} IrTrapKind;

const char *ir_trap_name(IrTrapKind k);     // "int_divide_by_zero"
const char *ir_trap_message(IrTrapKind k);  // "integer divide by zero"

/* ---- comparison conditions (ICMP / FCMP imm) --------------------------------------------- */

typedef enum IrIntCond {
    IR_ICC_EQ = 0,
    IR_ICC_NE,
    IR_ICC_LT_S,
    IR_ICC_LT_U,
    IR_ICC_GT_S,
    IR_ICC_GT_U,
    IR_ICC_LE_S,
    IR_ICC_LE_U,
    IR_ICC_GE_S,
    IR_ICC_GE_U,
    IR_ICC_COUNT
} IrIntCond;

/* Float comparisons are ordered (false if either operand is NaN) except NE (true). */
typedef enum IrFloatCond {
    IR_FCC_EQ = 0,
    IR_FCC_NE,
    IR_FCC_LT,
    IR_FCC_GT,
    IR_FCC_LE,
    IR_FCC_GE,
    IR_FCC_COUNT
} IrFloatCond;

const char *ir_icc_name(IrIntCond cc);    // "eq", "lt_s", ...
const char *ir_fcc_name(IrFloatCond cc);  // "eq", "lt", ...
/* The condition with operands swapped (a < b  <=>  b > a). */
IrIntCond ir_icc_swap(IrIntCond cc);
IrFloatCond ir_fcc_swap(IrFloatCond cc);

/* ---- operations -------------------------------------------------------------------------- */

typedef enum IrOp {
#define IR_OP(name, text, res, args, ctrl, imm, flags) IR_OP_##name,
#include "ir/ops.def"
#undef IR_OP
    IR_OP_COUNT
} IrOp;

/* Per-operation flags. "Removable" (may be deleted when its result is unused) means neither
 * TRAP nor SIDE. */
enum {
    IR_OPF_PURE = 1u << 0,     // no effect at all: result depends only on operands (fold, CSE, hoist)
    IR_OPF_COMM = 1u << 1,     // commutative in a[0], a[1]
    IR_OPF_TRAP = 1u << 2,     // may trap: never removed, never speculated
    IR_OPF_SIDE = 1u << 3,     // writes state others observe (memory, globals, tables, calls)
    IR_OPF_READ = 1u << 4,     // reads mutable state: removable, but not movable across SIDE ops
    IR_OPF_GUARD = 1u << 5,    // valid only after its preceding trap_if checks (div/rem): don't hoist
    IR_OPF_VARARGS = 1u << 6,  // more value operands in the pool: a[1] = start, a[2] = count
    IR_OPF_CONST = 1u << 7,    // a constant (imm holds the value)
};

/* Flag combinations named in ops.def's FLAGS column. */
#define IR_OPK_NONE 0u
#define IR_OPK_PURE IR_OPF_PURE
#define IR_OPK_COMM (IR_OPF_PURE | IR_OPF_COMM)
#define IR_OPK_CONST (IR_OPF_PURE | IR_OPF_CONST)
#define IR_OPK_GUARD (IR_OPF_PURE | IR_OPF_GUARD)
#define IR_OPK_TRAP IR_OPF_TRAP
#define IR_OPK_READ IR_OPF_READ
#define IR_OPK_READ_TRAP (IR_OPF_READ | IR_OPF_TRAP)
#define IR_OPK_LOAD (IR_OPF_READ | IR_OPF_TRAP)
#define IR_OPK_STORE (IR_OPF_SIDE | IR_OPF_TRAP)
#define IR_OPK_SIDE IR_OPF_SIDE
#define IR_OPK_SIDE_TRAP (IR_OPF_SIDE | IR_OPF_TRAP)
#define IR_OPK_CALL (IR_OPF_SIDE | IR_OPF_READ | IR_OPF_TRAP | IR_OPF_VARARGS)
#define IR_OPK_PROJ 0u  // RESULT: no effect of its own, removable, not foldable

/* How inst.imm and the spare a[] slots (those past the value operands) are used. */
typedef enum IrImmKind {
    IR_IMM_NONE = 0,
    IR_IMM_PARAM,          // a[0] = block id, imm = position in its parameter list
    IR_IMM_RESULT,         // imm = result index (>= 1) of the call a[0]
    IR_IMM_ICONST,         // imm = value (i32 zero-extended)
    IR_IMM_FCONST,         // imm = bits (f32 in the low 32 bits)
    IR_IMM_VCONST,         // imm = index in IrFunc.v128s
    IR_IMM_FUNC,           // imm = function index
    IR_IMM_ICC,            // imm = IrIntCond
    IR_IMM_FCC,            // imm = IrFloatCond
    IR_IMM_GLOBAL,         // imm = global index
    IR_IMM_TRAP,           // imm = IrTrapKind
    IR_IMM_CALL,           // imm = function index; a[0] = signature; a[1], a[2] = pool args
    IR_IMM_CALL_INDIRECT,  // imm = signature | table << 32; a[1], a[2] = pool args
    IR_IMM_MEM,            // imm = static offset; a[2] = memarg (IR_MEMARG)
    IR_IMM_MEMLANE,        // as MEM, and the memarg's lane field is used
    IR_IMM_MEMIDX,         // imm = memory index
    IR_IMM_MEMIDX2,        // imm = dst memory | src memory << 32
    IR_IMM_DATA_MEM,       // imm = data segment | memory << 32
    IR_IMM_DATA,           // imm = data segment
    IR_IMM_TABLE,          // imm = table index
    IR_IMM_TABLE2,         // imm = dst table | src table << 32
    IR_IMM_ELEM_TABLE,     // imm = element segment | table << 32
    IR_IMM_ELEM,           // imm = element segment
    IR_IMM_SHUFFLE,        // imm = index in IrFunc.v128s of the 16 lane selectors
    IR_IMM_LANE,           // imm = lane index
    IR_IMM_COUNT
} IrImmKind;

/* The facts of one operation, expanded from ops.def. */
typedef struct IrOpInfo {
    const char *name;  // printed name
    const char *args;  // operand type classes, one character each (see ops.def)
    uint32_t ctrl;     // allowed controlling types (IR_TS_* set)
    uint16_t flags;    // IR_OPF_*
    char res;          // result type class
    uint8_t nargs;     // inline value operands (strlen(args))
    uint8_t imm;       // IrImmKind
} IrOpInfo;

extern const IrOpInfo ir_op_info[IR_OP_COUNT];

SK_INLINE bool
ir_op_has_flag(IrOp op, unsigned flag)
{
    return (ir_op_info[op].flags & flag) != 0;
}

/* True if an instruction of this op may be deleted when its result is unused. */
SK_INLINE bool
ir_op_is_removable(IrOp op)
{
    return (ir_op_info[op].flags & (IR_OPF_TRAP | IR_OPF_SIDE)) == 0 && op != IR_OP_PARAM;
}

SK_INLINE bool
ir_op_is_mem(IrOp op)
{
    return ir_op_info[op].imm == IR_IMM_MEM || ir_op_info[op].imm == IR_IMM_MEMLANE;
}

/* ---- memory access immediates ------------------------------------------------------------ */

/*
 * The memarg of a memory access, in the spare slot a[2]; the static offset is inst.imm.
 *
 *    31            16 15         8 7          0
 *   +----------------+------------+------------+
 *   |  memory index  |    lane    | log2 align |
 *   +----------------+------------+------------+
 */
#define IR_MEMARG(mem, align_log2, lane)                                                     \
    ((uint32_t)(mem) << 16 | (uint32_t)(lane) << 8 | (uint32_t)(align_log2))
#define IR_MEMARG_MEM(m) ((m) >> 16)
#define IR_MEMARG_LANE(m) (((m) >> 8) & 0xffu)
#define IR_MEMARG_ALIGN(m) ((m)&0xffu)
#define IR_MEMARG_MAX_MEMORIES 0x10000u

/* ---- instructions ------------------------------------------------------------------------ */

/*
 * One instruction (24 bytes). a[0..nargs) are value ids (ops.def ARGS); the slots after them
 * hold what the op's IrImmKind says; unused slots are 0. VARARGS ops (calls) keep further
 * value operands in the pool at a[1] (start), a[2] (count).
 */
typedef struct IrInstData {
    uint16_t op;     // IrOp
    uint8_t type;    // IrType of the result; NONE if the op defines no value
    uint8_t flags;   // per-instruction flags (none defined yet; 0)
    uint32_t a[3];
    uint64_t imm;
} IrInstData;

_Static_assert(sizeof(IrInstData) == 24, "IrInstData stays compact");

/* A 16-byte constant (v128.const values, shuffle lane selectors), little-endian lanes. */
typedef struct IrV128 {
    uint8_t b[16];
} IrV128;

/* ---- blocks and terminators -------------------------------------------------------------- */

typedef enum IrTermKind {
    IR_TERM_NONE = 0,  // not terminated yet (under construction), or the block was removed
    IR_TERM_JUMP,      // goto target(args...): list = args, one per target parameter
    IR_TERM_BRANCH,    // if value != 0 goto target else target2; targets take no parameters
    IR_TERM_BR_TABLE,  // goto list[value] if value < nlist else target; no parameters
    IR_TERM_RETURN,    // return list (the function's results, in order)
    IR_TERM_TRAP,      // trap with `trap`
    IR_TERM_COUNT
} IrTermKind;

typedef struct IrTerm {
    uint8_t kind;     // IrTermKind
    uint8_t trap;     // TRAP: IrTrapKind
    uint16_t unused;
    uint32_t value;   // BRANCH: condition (i32); BR_TABLE: index (i32)
    uint32_t target;  // JUMP: target; BRANCH: taken when nonzero; BR_TABLE: default
    uint32_t target2; // BRANCH: taken when zero
    uint32_t list;    // pool start: JUMP args, BR_TABLE targets, RETURN values
    uint32_t nlist;
} IrTerm;

enum {
    IR_BLOCKF_REMOVED = 1u << 0,  // deleted by a pass: no instructions (all NOP), no edges
};

typedef struct IrBlockData {
    uint32_t first;    // instruction range [first, end): contiguous; params come first
    uint32_t end;
    uint32_t params;   // pool start of the PARAM instruction ids, in order
    uint32_t nparams;
    uint32_t flags;    // IR_BLOCKF_*
    IrTerm term;
} IrBlockData;

/* ---- module-level facts ------------------------------------------------------------------ */

/* A function signature (Wasm function type); IrModule.sigs is indexed by Wasm type index. */
typedef struct IrSig {
    uint32_t nparams, nresults;
    const uint8_t *params;   // IrType each
    const uint8_t *results;  // IrType each
} IrSig;

typedef struct IrGlobalInfo {
    uint8_t type;  // IrType
    bool mutable_;
    bool imported;
} IrGlobalInfo;

typedef struct IrTableInfo {
    uint8_t elem_type;  // IR_TYPE_FUNCREF or IR_TYPE_EXTERNREF
    bool imported;
    uint64_t min, max;  // elements; max meaningful when has_max
    bool has_max;
} IrTableInfo;

typedef struct IrMemoryInfo {
    bool imported;
    bool is64;          // memory64 (not in Wasm 2.0; always false for now)
    uint64_t min, max;  // 64 KiB pages; max meaningful when has_max
    bool has_max;
} IrMemoryInfo;

/*
 * What the IR and the backends need to know about a module, independent of the Wasm
 * decoder's structures. Filled once per module by the frontend (fe_ir_module_init); the
 * arrays live in the caller's module arena.
 */
typedef struct IrModule {
    const IrSig *sigs;
    uint32_t nsigs;
    const uint32_t *func_sigs;  // per function (imported first): index into sigs
    uint32_t nfuncs, nimported_funcs;
    const IrGlobalInfo *globals;  // imported first
    uint32_t nglobals, nimported_globals;
    const IrTableInfo *tables;
    uint32_t ntables;
    const IrMemoryInfo *memories;
    uint32_t nmemories;
    uint32_t ndatas;  // data segments
    uint32_t nelems;  // element segments
} IrModule;

/* ---- functions --------------------------------------------------------------------------- */

/*
 * One function's IR. All storage comes from `arena`, which the caller resets after the
 * function (STYLE.md section 5). Never keep an IrInstData or IrBlockData pointer across an
 * emit or a block creation: the arrays grow by copying. Index 0 of insts and blocks is an
 * unused dummy; the entry block is block 1.
 */
typedef struct IrFunc {
    SkArena *arena;
    const IrModule *module;
    uint32_t index;  // function index in the module
    uint32_t sig;    // index into module->sigs

    SK_VEC(IrInstData) insts;
    SK_VEC(IrBlockData) blocks;
    SK_VEC(uint32_t) pool;     // operand lists: block params, term lists, call arguments
    SK_VEC(IrV128) v128s;      // constant pool of 16-byte values

    IrBlock cur;      // block being built (instructions are appended to it), or none

    /* Forwarding map: alias[v] != 0 means "v is replaced by alias[v]". NULL until the first
     * ir_alias_set; ir_alias_apply rewrites the operands and drops the map. Only what
     * existed at the last ir_alias_set can refer to an aliased value (the folding builders
     * resolve their operands, and other emitters must pass resolved values), and nothing
     * emitted before the smallest aliased id, or in a block created before the earliest
     * aliased parameter's block: the rewrite covers instructions [alias_min, alias_end) and
     * blocks [alias_block, alias_block_end). */
    uint32_t *alias;
    uint32_t alias_cap;
    uint32_t alias_min;
    uint32_t alias_end, alias_block, alias_block_end;

    /* Per-value use counts (operands, block arguments, terminator operands), filled by
     * ir_passes_run (in its DCE sweep) or ir_func_count_uses; NULL before. */
    uint32_t *uses;

    uint32_t flags;  // IR_FUNCF_*

    /* Builder state: the current block's first instruction, and a small cache of the
     * constants emitted in the current block (ids; an entry is valid only while it is at or
     * after cur_first), so repeated constants in a block share one instruction. */
    uint32_t cur_first;
    uint32_t const_cache[16];
} IrFunc;

enum {
    /* Every block not removed is reachable from the entry. The translator guarantees it
     * (it creates blocks only as targets of live code); a pass that folds a branch clears
     * it. Without it, the passes compute reachability first. */
    IR_FUNCF_ALL_REACHABLE = 1u << 0,
    /* No block parameter receives a single value on every edge (the translator knows when
     * it made none), so parameter simplification can be skipped. */
    IR_FUNCF_NO_TRIVIAL_PARAMS = 1u << 1,
    /* No BRANCH or BR_TABLE has a constant condition, and no BRANCH has equal targets (the
     * translator folds those as it goes), so branch folding can be skipped. */
    IR_FUNCF_BRANCHES_FOLDED = 1u << 2,
    /* Every instruction operand names a value with a smaller id than its user (the
     * translator emits in dominance order, and its aliases replace a value by an earlier
     * one): DCE then skips that check. Jump arguments may still name later values. */
    IR_FUNCF_DEFS_FIRST = 1u << 3,
};

/* ir.c */

/*
 * Starts function `func_index` of `m` in `f`: creates the entry block (block 1) with one
 * PARAM per signature parameter and makes it current. Returns false if the arena fails.
 */
bool ir_func_init(IrFunc *f, SkArena *arena, const IrModule *m, uint32_t func_index);
/* Starts a function with an explicit signature (tests, trampolines): as ir_func_init. */
bool ir_func_init_sig(IrFunc *f, SkArena *arena, const IrModule *m, uint32_t func_index,
                      uint32_t sig);
/* ir_func_init_sig with room for ninsts instructions, nblocks blocks and npool pool words
 * reserved at once (size hints: the arrays still grow when needed). */
bool ir_func_init_sized(IrFunc *f, SkArena *arena, const IrModule *m, uint32_t func_index,
                        uint32_t sig, uint32_t ninsts, uint32_t nblocks, uint32_t npool);

/* Ensures room for ninsts instructions and nblocks blocks in total (a size hint, so big
 * functions do not regrow; exactly that much, no rounding). Returns false on OOM. */
bool ir_func_reserve(IrFunc *f, uint32_t ninsts, uint32_t nblocks);
/* The same for the operand pool (words). */
bool ir_func_reserve_pool(IrFunc *f, uint32_t nwords);

SK_INLINE IrInstData *
ir_inst(const IrFunc *f, uint32_t id)
{
    return &f->insts.data[id];
}

SK_INLINE IrBlockData *
ir_block(const IrFunc *f, IrBlock b)
{
    return &f->blocks.data[b.id];
}

SK_INLINE IrType
ir_value_type(const IrFunc *f, IrValue v)
{
    return (IrType)f->insts.data[v.id].type;
}

/* The i-th function parameter (a PARAM of the entry block). */
SK_INLINE IrValue
ir_func_param(const IrFunc *f, uint32_t i)
{
    return (IrValue){f->pool.data[f->blocks.data[1].params + i]};
}

/* Follows the alias map to the value that replaces v (v itself if none). */
SK_INLINE IrValue
ir_resolve(const IrFunc *f, IrValue v)
{
    if (SK_LIKELY(!f->alias))
        return v;
    while (v.id < f->alias_cap && f->alias[v.id])
        v.id = f->alias[v.id];
    return v;
}

/* Slow paths of the inline builders below (growth, failure). */
IrBlock ir_block_new_slow(IrFunc *f);
IrValue ir_emit_slow(IrFunc *f, IrOp op, IrType type, uint32_t a0, uint32_t a1, uint32_t a2,
                     uint64_t imm);

/* Creates a block (not current, no instructions, no terminator). */
SK_INLINE IrBlock
ir_block_new(IrFunc *f)
{
    if (SK_UNLIKELY(f->blocks.len >= f->blocks.cap))
        return ir_block_new_slow(f);
    IrBlockData *bd = &f->blocks.data[f->blocks.len];
    memset(bd, 0, sizeof(*bd));
    return (IrBlock){f->blocks.len++};
}


/*
 * Appends an instruction to the current block, without folding: the raw emitter behind the
 * ir_build_* functions. Returns its value (the instruction id), or none if the arena failed.
 */
SK_INLINE IrValue
ir_emit(IrFunc *f, IrOp op, IrType type, uint32_t a0, uint32_t a1, uint32_t a2, uint64_t imm)
{
    if (SK_UNLIKELY(f->insts.len >= f->insts.cap || !f->cur.id))
        return ir_emit_slow(f, op, type, a0, a1, a2, imm);
    uint32_t id = f->insts.len++;
    IrInstData *i = &f->insts.data[id];
    i->op = (uint16_t)op;
    i->type = (uint8_t)type;
    i->flags = 0;
    i->a[0] = a0;
    i->a[1] = a1;
    i->a[2] = a2;
    i->imm = imm;
    return (IrValue){id};
}

/* Slow paths of the inline block and pool builders below (failure, growth). */
void ir_block_start_slow(IrFunc *f, IrBlock b);
IrValue ir_block_add_param_slow(IrFunc *f, IrBlock b, IrType t);
uint32_t ir_pool_grow_slow(IrFunc *f, uint32_t n);

/* Makes b current: its instruction range starts at the next instruction. b must be new. */
SK_INLINE void
ir_block_start(IrFunc *f, IrBlock b)
{
    if (SK_UNLIKELY(!b.id || f->cur.id)) {
        ir_block_start_slow(f, b);
        if (!b.id)
            return;
    }
    IrBlockData *bd = &f->blocks.data[b.id];
    SK_ASSERT(bd->term.kind == IR_TERM_NONE && bd->first == 0);
    bd->first = bd->end = f->insts.len;
    f->cur = b;
    f->cur_first = bd->first;
}

/* Adds a parameter of type t to the current block b, before any other instruction of it. */
SK_INLINE IrValue
ir_block_add_param(IrFunc *f, IrBlock b, IrType t)
{
    IrBlockData *bd = &f->blocks.data[b.id];
    if (SK_UNLIKELY(!b.id || f->cur.id != b.id || f->pool.len >= f->pool.cap ||
                    f->insts.len >= f->insts.cap))
        return ir_block_add_param_slow(f, b, t);
    SK_ASSERT(f->insts.len - bd->first == bd->nparams);  // params first
    if (bd->nparams == 0)
        bd->params = f->pool.len;
    SK_ASSERT(bd->params + bd->nparams == f->pool.len);  // the list grows at the pool's end
    uint32_t id = f->insts.len++;
    IrInstData *i = &f->insts.data[id];
    i->op = IR_OP_PARAM;
    i->type = (uint8_t)t;
    i->flags = 0;
    i->a[0] = b.id;
    i->a[1] = i->a[2] = 0;
    i->imm = bd->nparams++;
    f->pool.data[f->pool.len++] = id;
    return (IrValue){id};
}

/* Reserves n more pool words; returns the start (0 with arena->failed on failure). */
SK_INLINE uint32_t
ir_pool_grow(IrFunc *f, uint32_t n)
{
    if (SK_UNLIKELY(n > f->pool.cap - f->pool.len))
        return ir_pool_grow_slow(f, n);
    uint32_t start = f->pool.len;
    f->pool.len += n;
    return start;
}

/* Appends n words to the pool; returns the start index (0 with arena->failed on failure). */
uint32_t ir_pool_push(IrFunc *f, const uint32_t *words, uint32_t n);

/* Appends the ids of n values to the pool; returns the start index (as ir_pool_push). */
SK_INLINE uint32_t
ir_pool_push_values(IrFunc *f, const IrValue *values, uint32_t n)
{
    if (n == 0)
        return 0;
    uint32_t start = ir_pool_grow(f, n);
    if (SK_LIKELY(start))
        memcpy(&f->pool.data[start], values, (size_t)n * sizeof(uint32_t));
    return start;
}
/* Adds a 16-byte constant to the pool of v128 constants; returns its index. */
uint32_t ir_v128_add(IrFunc *f, const uint8_t bytes[16]);

/* Closes the current block with terminator kind `kind` and returns its term to fill in
 * (a dummy, block 0's, when nothing is current after an allocation failure). */
SK_INLINE IrTerm *
ir_finish_block(IrFunc *f, IrTermKind kind)
{
    IrBlockData *bd = &f->blocks.data[f->cur.id];
    SK_ASSERT(f->cur.id || f->arena->failed);
    bd->end = f->insts.len;
    f->cur = IR_NONE_BLOCK;
    IrTerm *t = &bd->term;
    memset(t, 0, sizeof(*t));
    t->kind = (uint8_t)kind;
    return t;
}

/* Terminators: each ends the current block (cur becomes none). */
SK_INLINE void
ir_jump(IrFunc *f, IrBlock target, const IrValue *args, uint32_t nargs)
{
    uint32_t list = ir_pool_push_values(f, args, nargs);
    IrTerm *t = ir_finish_block(f, IR_TERM_JUMP);
    t->target = target.id;
    t->list = list;
    t->nlist = nargs;
}

SK_INLINE void
ir_branch(IrFunc *f, IrValue cond, IrBlock then_b, IrBlock else_b)
{
    IrTerm *t = ir_finish_block(f, IR_TERM_BRANCH);
    t->value = cond.id;
    t->target = then_b.id;
    t->target2 = else_b.id;
}

void ir_br_table(IrFunc *f, IrValue index, const IrBlock *targets, uint32_t ntargets,
                 IrBlock default_b);

SK_INLINE void
ir_return(IrFunc *f, const IrValue *values, uint32_t nvalues)
{
    uint32_t list = ir_pool_push_values(f, values, nvalues);
    IrTerm *t = ir_finish_block(f, IR_TERM_RETURN);
    t->list = list;
    t->nlist = nvalues;
}

SK_INLINE void
ir_trap(IrFunc *f, IrTrapKind kind)
{
    IrTerm *t = ir_finish_block(f, IR_TERM_TRAP);
    t->trap = (uint8_t)kind;
}

/*
 * Makes the terminated block b current again, dropping its terminator, so that code can
 * continue in it. Only valid while nothing was emitted after b ended (b.end == the next
 * instruction), which keeps b's range contiguous.
 */
void ir_block_reopen(IrFunc *f, IrBlock b);

/* Successors of a block: JUMP 1; BRANCH 2 (then, else); BR_TABLE nlist + 1 (default last). */
uint32_t ir_block_nsuccs(const IrFunc *f, IrBlock b);
IrBlock ir_block_succ(const IrFunc *f, IrBlock b, uint32_t i);

/* Records that `from` is replaced by `to` everywhere (resolved by ir_alias_apply). Nothing
 * created after the call may refer to `from` (pass resolved values: see IrFunc.alias). */
void ir_alias_set(IrFunc *f, IrValue from, IrValue to);
/* Rewrites every instruction operand and terminator operand through the alias map, then
 * drops the map. Linear in the size of the window that can refer to aliased values. */
void ir_alias_apply(IrFunc *f);

/* Counts the uses of every value into f->uses (sized insts.len). Returns false on OOM. */
bool ir_func_count_uses(IrFunc *f);

/* fold.c: building with constant folding and identities */

/*
 * The ir_build_* functions emit into the current block like ir_emit, but first fold: constant
 * operands are evaluated with Wasm semantics (a trapping operation is never folded into a
 * value; NaN bits are kept where Wasm keeps them), identities return an existing value
 * (x+0, x*1, x&-1, x|0, x<<0, ...; shift counts are masked), and a constant operand of a
 * commutative op is put second. Operands are resolved through the alias map first.
 */
/*
 * A constant (ICONST or FCONST) of type t with bits `imm`: reuses one emitted earlier in the
 * current block if a small cache (f->const_cache, 16 slots by a hash of the bits) still
 * holds it (it then dominates every later use here), else emits it.
 */
SK_INLINE IrValue
ir_build_const_cached(IrFunc *f, IrOp op, IrType t, uint64_t imm)
{
    uint32_t slot = (uint32_t)((imm ^ (imm >> 29) ^ ((uint64_t)t << 4)) * 0x9E3779B1u) >> 28;
    uint32_t id = f->const_cache[slot];
    if (id >= f->cur_first && id < f->insts.len && f->cur.id) {
        const IrInstData *c = &f->insts.data[id];
        if (c->op == op && c->type == t && c->imm == imm)
            return (IrValue){id};
    }
    IrValue v = ir_emit(f, op, t, 0, 0, 0, imm);
    f->const_cache[slot] = v.id;
    return v;
}

SK_INLINE IrValue
ir_build_iconst(IrFunc *f, IrType t, uint64_t value)
{
    return ir_build_const_cached(f, IR_OP_ICONST, t,
                                 t == IR_TYPE_I32 ? value & 0xffffffffu : value);
}

SK_INLINE IrValue
ir_build_fconst(IrFunc *f, IrType t, uint64_t bits)
{
    return ir_build_const_cached(f, IR_OP_FCONST, t,
                                 t == IR_TYPE_F32 ? bits & 0xffffffffu : bits);
}

IrValue ir_build_vconst(IrFunc *f, const uint8_t bytes[16]);
IrValue ir_build_unary(IrFunc *f, IrOp op, IrType t, IrValue a);
IrValue ir_build_binary(IrFunc *f, IrOp op, IrType t, IrValue a, IrValue b);
IrValue ir_build_icmp(IrFunc *f, IrIntCond cc, IrValue a, IrValue b);
IrValue ir_build_fcmp(IrFunc *f, IrFloatCond cc, IrValue a, IrValue b);
IrValue ir_build_select(IrFunc *f, IrType t, IrValue cond, IrValue a, IrValue b);
/*
 * trap_if(cond, kind). Emits nothing when cond is the constant 0. Returns false when cond is
 * a nonzero constant: the trap is certain, and the caller ends the block with ir_trap.
 */
bool ir_build_trap_if(IrFunc *f, IrValue cond, IrTrapKind kind);

/* True if v is an ICONST or FCONST; *out = its imm (bits). */
SK_INLINE bool
ir_value_is_const(const IrFunc *f, IrValue v, uint64_t *out)
{
    const IrInstData *in = &f->insts.data[v.id];
    if (in->op == IR_OP_ICONST || in->op == IR_OP_FCONST) {
        *out = in->imm;
        return true;
    }
    return false;
}

/*
 * Evaluates op on constant operands (bit patterns, i32 zero-extended) with Wasm semantics.
 * `t` is the result type, `arg_type` the type of the first operand, `imm` the op's imm (the
 * condition of ICMP/FCMP). Returns false when the op is not foldable here or would trap.
 */
bool ir_fold_eval(IrOp op, IrType t, IrType arg_type, uint64_t imm, const uint64_t *args,
                  uint64_t *out);

/* cfg.c: control-flow facts */

/*
 * Control-flow facts computed on demand (from the current terminators). Arrays are indexed
 * by block id (sized blocks.len) and live in the arena given to ir_cfg_compute.
 */
typedef struct IrCfg {
    uint32_t *rpo;         // reachable blocks in reverse postorder; rpo[0] = entry
    uint32_t nrpo;
    uint32_t *rpo_index;   // per block: position in rpo, UINT32_MAX if unreachable
    uint32_t *pred_start;  // per block, plus one: preds[pred_start[b] .. pred_start[b + 1])
    uint32_t *preds;       // predecessor block ids, one per edge from a reachable block
    uint32_t *idom;        // per block: immediate dominator (entry: itself; 0 if unreachable)
    uint32_t *dom_pre;     // per block: dominator-tree DFS entry number (0 if unreachable)
    uint32_t *dom_post;    // per block: dominator-tree DFS exit number
} IrCfg;

/*
 * Computes the reverse postorder (a block's "then" successor before its "else", so the order
 * follows the Wasm source), predecessor lists, and with `doms` the dominator tree (Cooper,
 * Harvey, Kennedy, "A Simple, Fast Dominance Algorithm", 2001). Returns false on OOM.
 */
bool ir_cfg_compute(const IrFunc *f, SkArena *arena, bool doms, IrCfg *out);
/* True if block a dominates block b (both reachable; requires doms). */
bool ir_cfg_dominates(const IrCfg *cfg, uint32_t a, uint32_t b);

/* verify.c */

/*
 * Checks every invariant of the IR (see ir/verify.c's header): types per ops.def, operand
 * and block-argument arity and types, SSA dominance, terminators and targets, the
 * contiguity of block ranges. Scratch memory comes from `scratch` (or f->arena if NULL).
 * Returns false and writes the first problem into msg ("block3: v12: ...").
 */
bool ir_verify(const IrFunc *f, SkArena *scratch, char *msg, size_t msg_size);

/* print.c */

/* Output sink for the printer: appends `len` bytes. */
typedef void (*IrWriteFn)(void *user, const char *data, size_t len);

/*
 * Prints f in the stable text form (`block2(v7:i32, v8:i64):`, `  v9:i32 = iadd v7, v3`,
 * `  jump block4(v9, v8)`). Blocks are printed in reverse postorder, unreachable ones last.
 * Unless `raw_ids`, blocks and values are renumbered densely in printing order so the text
 * does not change with unrelated ids; raw ids match the verifier's messages. `name` (may be
 * NULL) is printed in the header. Uses f->arena for scratch memory.
 */
void ir_print_func(const IrFunc *f, const char *name, bool raw_ids, IrWriteFn write,
                   void *user);
/* ir_print_func into a NUL-terminated string allocated from `arena` (NULL on OOM). */
char *ir_print_to_string(const IrFunc *f, const char *name, bool raw_ids, SkArena *arena);

/* params.c */

/*
 * Removes redundant block parameters: a parameter that receives the same value v on every
 * incoming edge (or itself) is replaced by v, repeated until nothing changes (Braun et al.,
 * "Simple and Efficient Construction of SSA Form", CC 2013, section 3.2). Applies aliases.
 * Returns false on OOM.
 */
bool ir_pass_simplify_params(IrFunc *f);

/* dce.c */

/*
 * Dead-code elimination: folds branches on constants into jumps, removes unreachable blocks
 * (IR_BLOCKF_REMOVED, instructions NOP), then deletes every removable instruction and block
 * parameter whose value no effect needs (mark and sweep from the roots: effects, traps,
 * terminators; a parameter is live only if used, and then its incoming arguments are),
 * and last bypasses empty blocks that only jump without arguments. Linear. Returns false
 * on OOM.
 */
bool ir_pass_dce(IrFunc *f);

/* passes.c */

/*
 * The default pipeline after translation: branch folding and unreachable-block removal,
 * redundant-parameter removal, mark-and-sweep DCE with use counting (f->uses), all on one
 * CFG computation. With `verify`, ir_verify runs after translation and after each step; a
 * failure (a skua bug) returns false with the message. Out of memory also returns false
 * (f->arena->failed set, msg "out of memory").
 */
bool ir_passes_run(IrFunc *f, bool verify, char *msg, size_t msg_size);

#endif
