/*
 * backends/core.h: declarations shared by the target-independent core files only (mir.c,
 * live.c, regalloc.c, resolve.c, pmove.c, frame.c, buffer.c, emit.c, module.c). Targets use
 * backends/target.h and never this header.
 *
 * Positions. Liveness and allocation number the function linearly: block b's entry is
 * position P(b) = 2 * (first(b) + b), its k-th instruction (global index i) sits at
 * 2 * (i + b + 1). An instruction at position p reads its uses at p and writes its defs at
 * p + 1; block parameters are written at P(b) + 1. Live ranges are half-open [from, to).
 * Moves inserted by the allocator execute "before position p" for even p only, so a split
 * always happens at an even position.
 */
#ifndef SKUA_BACKENDS_CORE_H
#define SKUA_BACKENDS_CORE_H

#include "backends/target.h"

#define CG_POS_MAX 0x7FFFFFF0u
#define CG_NONE32 UINT32_MAX

/* A live range [from, to) in a singly linked list (index into CgCore.ranges; 0 ends). */
typedef struct CgRange {
    uint32_t from, to;
    uint32_t next;
} CgRange;

/* A use or def position of an interval; `pos` has CG_USE_REG set when the operand needs a
 * register there. Linked in increasing position order (index into CgCore.uses; 0 ends). */
typedef struct CgUsePos {
    uint32_t pos;
    uint32_t next;
} CgUsePos;
#define CG_USE_REG 0x80000000u
#define CG_USE_POS(u) ((u) & ~CG_USE_REG)

/*
 * A live interval: the whole lifetime of a virtual register (index = its register number),
 * the blocked ranges of a physical register (index = its number; "fixed"), or a split child
 * (index past the last virtual register). Children of one register are chained through
 * `child` in increasing position order, starting at the register's own interval.
 */
typedef struct CgIval {
    uint32_t range;  // first range, 0 = empty
    uint32_t use;    // first use position, 0 = none
    uint32_t start;  // from of the first range
    uint32_t end;    // to of the last range
    uint32_t reg;    // owning register (the parent)
    uint32_t child;  // next split child, 0 = none
    CgLoc loc;       // assigned location, 0 = not yet
    uint32_t hint;   // a register whose location this interval prefers, 0 = none
    uint32_t cur;    // allocation cursor: a range of this interval not before the position
    uint32_t ucur;   // allocation cursor into the uses (0 = from the first)
    uint32_t nreg;   // cached next use needing a register, at or after ucur (0 = unknown)
    uint32_t uq;     // position of the last next-use query (ucur is valid from there)
    uint32_t info;   // a register's own interval: its CgVregInfo index (0 = none)
} CgIval;

/* A fixed range: physical register `reg` is taken during [from, to). */
typedef struct CgFixedRange {
    uint32_t from, to;
    uint32_t reg;
} CgFixedRange;

/* Per virtual register data beyond its interval, for the registers allocation splits or
 * spills only (regalloc.c creates it then: CgIval.info, cg_vinfo). */
typedef struct CgVregInfo {
    uint32_t def_pos;    // position of the definition (odd)
    uint32_t end;        // end of the whole lifetime (the slot is busy until then)
    CgLoc slot;          // spill slot (0 = never spilled); the value is stored there after
                         // its definition (SSA: spill once, reload anywhere)
    uint32_t children;   // after allocation: index in CgCore.child_list of its parts, or 0
    uint32_t nchildren;  // number of parts (the interval itself included) when children != 0
    bool multi_loc;      // after allocation: its parts are not all in the same location
} CgVregInfo;

/* A group of moves emitted at one point (resolve.c): steps [first, first+n) of CgCore.steps,
 * already sequenced. Groups hang off instructions (before them), block entries and edges. */
typedef struct CgMoveGroup {
    uint32_t first, n;
    uint32_t next;  // next group at the same point, 0 = none
} CgMoveGroup;

/* An edge that needs a stub (critical edge with moves): emitted after the function. */
typedef struct CgStub {
    uint32_t from_block, succ_index;
    uint32_t to_block;
    uint32_t label;
    uint32_t group;  // moves
} CgStub;

typedef struct CgFixup {
    uint32_t at;      // code offset of the field
    uint32_t kind;    // target-defined
    uint32_t target;  // label, function index or builtin (by list)
} CgFixup;

typedef struct CgConst {
    uint8_t bytes[16];
    uint32_t size, align;
    uint32_t label;
} CgConst;

struct CgCore {
    /* ---- liveness (live.c), per function ---- */
    SK_VEC(CgRange) ranges;
    SK_VEC(CgUsePos) uses;
    SK_VEC(CgIval) ivals;      // [0, CG_NPREGS) unused, then vregs, then split children
    CgVregInfo *vinfo;         // [1, nvinfo): split or spilled registers (regalloc.c);
    uint32_t nvinfo;           // [0] stays zero: the answer for every other register
    uint32_t nvregs;           // virtual registers of the function
    uint32_t *order;           // virtual registers in definition order (allocation order)
    uint32_t norder;
    SK_VEC(uint32_t) calls;    // def positions of calls (CG_INSTF_CALL), increasing
    CgFixedRange *fixed;       // every fixed range, sorted by from
    uint32_t nfixed;
    uint32_t fixed_maxlen;     // longest fixed range (positions)
    CgRegSet fixed_regs;       // registers that have fixed ranges
    uint32_t *block_of_pos;    // block index per position / 2
    uint32_t npos;             // positions / 2 (= instructions + blocks)

    /* ---- allocation (regalloc.c) ---- */
    CgRegSet class_regs[CG_CLASS_COUNT];  // physical registers per class (from the target)
    CgRegSet alloc_regs[CG_CLASS_COUNT];  // allocatable registers per class
    uint32_t spill_units;      // 8-byte units of spill area used
    CgRegSet used_regs;        // physical registers assigned or written
    SK_VEC(uint32_t) slot_free;  // per spill unit: position from which it is free
    SK_VEC(uint32_t) child_list; // parts of split registers, by start (cg_ival_at)
    SK_VEC(uint32_t) split_regs; // virtual registers that were split (resolve.c sorts them)

    /* ---- resolution (resolve.c) ---- */
    SK_VEC(CgMove) steps;
    SK_VEC(CgMoveGroup) groups;
    uint32_t *before;          // per instruction: first move group before it (0 = none)
    uint32_t *at_entry;        // per block: group at entry (single-predecessor edge moves)
    uint32_t *at_exit;         // per block: group before its terminator, after `before`
    uint32_t *fixed_in;        // per instruction: copies into FIXED registers (after `before`),
    uint32_t *fixed_out;       // and out of them after it; NULL when no call has FIXED ones
    SK_VEC(CgStub) stubs;
    uint32_t *edge_stub;       // per successor slot (CgFunc.blks index): stub + 1, or 0
    bool used_temp;
    CgLoc temp;
    bool rewritten;            // operands hold locations

    /* ---- emission (emit.c, buffer.c), per function ---- */
    uint32_t func_start;       // code offset of the current function
    uint32_t emit_block;       // block being emitted
    SK_VEC(uint32_t) labels;   // label -> code offset (UINT32_MAX unbound)
    SK_VEC(CgFixup) fixups;    // label fixups of the current function
    uint32_t trap_labels[RT_TRAP_COUNT];  // label + 1 per trap kind, 0 = unused
    SK_VEC(CgConst) consts;
    SK_VEC(CgUnwind) unwind;
    uint8_t sink[256];         // cg_code_reserve's target after an allocation failure

    /* ---- module (module.c), heap-allocated ---- */
    SK_VEC(uint32_t) func_offsets;  // per function index: code offset, UINT32_MAX if none
    SK_VEC(uint32_t) func_sizes;
    SK_VEC(CgFixup) call_fixups;    // target = function index
    SK_VEC(CgFixup) slot_fixups;    // target = builtin id
    SK_VEC(RtCmReloc) relocs;
    SK_VEC(RtCmTrap) traps;
    CgStats stats;
    char *dump;
    size_t dump_size;
};

/* mir.c */

/* Computes predecessors and loop depths of ctx->func (after isel). Returns false on
 * allocation failure. */
bool cg_func_finish_cfg(CgCtx *ctx);

/* live.c */

/* Builds live intervals for ctx->func (positions, ranges, use positions, hints, fixed ranges,
 * call positions) in one forward walk; a virtual register's first range is range slot
 * register - CG_VREG_FIRST + 1; registers read outside their defining block also get
 * their live-in blocks by path exploration (SSA: a value is live-in at every block on a path
 * from a read back to its definition). Returns false on allocation failure. */
bool cg_live_build(CgCtx *ctx);

/* Number of the block containing position pos. */
SK_INLINE uint32_t
cg_block_at(const CgCore *c, uint32_t pos)
{
    return c->block_of_pos[pos >> 1];
}

/* regalloc.c */

/* Assigns a location to every interval (splitting where needed). Requires cg_live_build.
 * Returns false on allocation failure. */
bool cg_regalloc(CgCtx *ctx);

/* The CgVregInfo of virtual register r (all zero if allocation never split or spilled it). */
SK_INLINE CgVregInfo *
cg_vinfo(CgCore *c, uint32_t r)
{
    return &c->vinfo[c->ivals.data[r].info];
}

/* The split child of register r that covers position pos (r's own interval if unsplit). */
CgIval *cg_ival_at_slow(CgCore *c, uint32_t r, uint32_t pos);

SK_INLINE CgIval *
cg_ival_at(CgCore *c, uint32_t r, uint32_t pos)
{
    CgIval *iv = &c->ivals.data[r];
    if (SK_LIKELY(!iv->child))
        return iv;
    return cg_ival_at_slow(c, r, pos);
}

/* resolve.c */

/* Rewrites operands to locations and computes every move the allocation needs (split
 * moves, spill stores, edge moves), sequenced. Requires cg_regalloc. */
bool cg_resolve(CgCtx *ctx);

/* emit.c */

/* Emits the function (prologue, blocks with their moves, stubs, trap stubs, constants). */
bool cg_emit_func(CgCtx *ctx);

/* buffer.c */

/* Resets the per-function buffer state (labels, fixups, traps, constants) and marks the
 * function start. */
void cg_buf_func_begin(CgCtx *ctx);
/* Emits trap stubs and the constant pool, patches label fixups. False if a fixup does not
 * fit or allocation failed. */
bool cg_buf_func_end(CgCtx *ctx);

/* frame.c */

/* Fills the core part of ctx->frame from allocation and calls the target's layout. */
void cg_frame_compute(CgCtx *ctx);

/* Times for --stats. */
uint64_t cg_now_ns(void);

#endif
