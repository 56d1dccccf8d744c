/*
 * backends/target.h: the interface between the target-independent code generator core and a
 * target folder (backends/x86_64/, later backends/aarch64/). It defines the machine IR (MIR)
 * that a target's instruction selector builds, the CgTarget record of register facts and hooks
 * through which the core reaches a target (the core never includes a target header), and the
 * emission services a target's emitter calls (code buffer, labels, traps, relocations, frame).
 *
 * Pipeline per function (backends/emit.c, cg_func_compile):
 *   target isel (IR -> MIR with virtual registers) -> liveness and live intervals (live.c)
 *   -> linear-scan allocation (regalloc.c) -> rewrite and move resolution (resolve.c,
 *   pmove.c) -> frame layout (frame.c) -> emission (emit.c calls the target's emitter,
 *   which appends bytes to the code buffer, buffer.c).
 */
#ifndef SKUA_BACKENDS_TARGET_H
#define SKUA_BACKENDS_TARGET_H

#include <string.h>

#include "backends/backend.h"
#include "ir/arena.h"
#include "ir/diag.h"
#include "ir/vec.h"

/* ==== registers ===========================================================================
 *
 * One number space for physical and virtual registers: 0 is "none", physical registers are
 * 1 .. CG_NPREGS-1 (the target decides which number is which hardware register), virtual
 * registers start at CG_VREG_FIRST. A set of physical registers is a 64-bit mask (bit r for
 * register r), so liveness and allocation work on words (STYLE.md section 5, QBE's Tmp0).
 */
typedef uint32_t CgReg;
#define CG_REG_NONE 0u
#define CG_NPREGS 64u
#define CG_VREG_FIRST CG_NPREGS
/* Largest register number an operand can hold (26 bits, see CgOperand). */
#define CG_REG_MAX ((1u << 26) - 1u)

typedef uint64_t CgRegSet;
#define CG_REGSET(r) ((CgRegSet)1 << (r))

SK_INLINE bool
cg_reg_is_phys(CgReg r)
{
    return r - 1u < CG_NPREGS - 1u;
}

SK_INLINE bool
cg_reg_is_virt(CgReg r)
{
    return r >= CG_VREG_FIRST;
}

/* Register classes: integer registers and float/vector registers (which hold f32, f64 and
 * v128 alike, so SIMD needs no change here). */
typedef enum CgClass {
    CG_CLASS_NONE = 0,
    CG_CLASS_INT,
    CG_CLASS_FLOAT,
    CG_CLASS_COUNT
} CgClass;

/* Machine value types. References are CG_TYPE_I64 (pointer-sized). An i32 in an integer
 * register always has its upper 32 bits zero (x86_64 and aarch64 32-bit operations guarantee
 * it; every target keeps this invariant, which makes i64.extend_i32_u and address
 * computation with a 32-bit index free). */
typedef enum CgType {
    CG_TYPE_NONE = 0,
    CG_TYPE_I32,
    CG_TYPE_I64,
    CG_TYPE_F32,
    CG_TYPE_F64,
    CG_TYPE_V128,
    CG_TYPE_COUNT
} CgType;

SK_INLINE CgClass
cg_type_class(CgType t)
{
    return t <= CG_TYPE_NONE ? CG_CLASS_NONE : t <= CG_TYPE_I64 ? CG_CLASS_INT : CG_CLASS_FLOAT;
}

/* Bytes a spill slot of type t occupies (8, or 16 for v128). */
SK_INLINE uint32_t
cg_type_slot_size(CgType t)
{
    return t == CG_TYPE_V128 ? 16u : 8u;
}

/* ==== locations ===========================================================================
 *
 * After register allocation every operand holds a location instead of a register: a physical
 * register (1 .. CG_NPREGS-1) or a spill slot, CG_LOC_STACK + u where u is the slot's index in
 * 8-byte units from the start of the spill area (16-byte slots take two units, 16-aligned).
 * cg_frame_slot_offset() turns a slot into a stack-pointer-relative byte offset.
 */
typedef uint32_t CgLoc;
#define CG_LOC_NONE 0u
#define CG_LOC_STACK CG_NPREGS

SK_INLINE bool
cg_loc_is_reg(CgLoc l)
{
    return l - 1u < CG_NPREGS - 1u;
}

SK_INLINE bool
cg_loc_is_stack(CgLoc l)
{
    return l >= CG_LOC_STACK;
}

/* ==== operands ============================================================================
 *
 * An operand is one 32-bit word:
 *
 *    31  30   29   28   27   26  25                                0
 *   +---+----+----+----+----+----+----------------------------------+
 *   |FIX|HINT|ANY |LATE|DEF |USE |  register (26 bits)              |
 *   +---+----+----+----+----+----+----------------------------------+
 *
 * USE/DEF: read at the instruction's use point / written at its def point (an instruction at
 *   position p reads its uses at p and writes its defs at p+1, so by default a def may share
 *   a register with a use that dies here).
 * LATE: a use that stays live through the def point, so no def of this instruction gets its
 *   register. Two-address forms mark every use except the tied one LATE: the emitter may then
 *   write `mov dst, src1` before `op dst, src2` without clobbering src2.
 * ANY: the use accepts a spill slot (the emitter handles a stack location); without it the
 *   operand is always in a register of its class.
 * HINT: allocation preference: a def with HINT prefers the register of the instruction's
 *   first use with HINT (two-address tie). Copies (CG_OP_PCOPY) and block arguments hint
 *   automatically.
 * FIXED (calls only, CG_INSTF_CALL): the value is passed in, or returned in, a physical
 *   register of call_clobbers, listed after the instruction's operands: the j-th FIXED
 *   operand's register is opnds[ops + nops + j] (cg_inst_fixed_reg). The core copies FIXED
 *   uses into their registers right before the instruction (one parallel copy, after any
 *   split moves there) and FIXED defs out of theirs right after it, so the operands
 *   themselves may be in any location (as with ANY) and prefer their registers. Every use of
 *   an instruction with FIXED uses is FIXED (a register use could be overwritten by the
 *   copy). A call needs no copies or fixed ranges for its arguments and result this way.
 * Physical registers may appear as operands (fixed constraints: shift count in cl, rdx:rax
 *   division, the entry's argument registers); isel defines them right before the
 *   instruction that reads them and copies fixed results out right after, so they never
 *   live across blocks.
 */
typedef uint32_t CgOperand;
#define CG_OPF_USE (1u << 26)
#define CG_OPF_DEF (1u << 27)
#define CG_OPF_LATE (1u << 28)
#define CG_OPF_ANY (1u << 29)
#define CG_OPF_HINT (1u << 30)
#define CG_OPF_FIXED (1u << 31)
#define CG_OPND_REG_MASK CG_REG_MAX

#define CG_USE(r) ((CgOperand)(r) | CG_OPF_USE)
#define CG_DEF(r) ((CgOperand)(r) | CG_OPF_DEF)

SK_INLINE CgReg
cg_opnd_reg(CgOperand o)
{
    return o & CG_OPND_REG_MASK;
}

/* ==== instructions ========================================================================
 *
 * A MIR instruction: a target opcode, its register operands (a slice of the function's
 * operand pool) and target-defined payload fields. The core reads only op, nops, ops and
 * flags; every other field belongs to the target.
 */
typedef struct CgInst {
    uint16_t op;    // CG_OP_* below CG_OP_TARGET_FIRST, else a target opcode
    uint8_t nops;   // operands: opnds[ops .. ops+nops)
    uint8_t flags;  // CG_INSTF_*
    uint8_t cc;     // target-defined (condition code, operand size, ...)
    uint8_t x;      // target-defined
    uint16_t y;     // target-defined
    uint32_t ops;   // first operand in CgFunc.opnds
    int32_t disp;   // target-defined (displacement, trap kind, successor index, ...)
    int64_t imm;    // target-defined (immediate, callee, symbol, ...)
} CgInst;

/* Core pseudo-operations; targets number their opcodes from CG_OP_TARGET_FIRST. */
enum {
    CG_OP_NONE = 0,
    /* Parallel copy: nops = 2n, defs ops[0..n), uses ops[n..2n); dst i <- src i, all read
     * before any is written. The core emits it through the target's move hook. */
    CG_OP_PCOPY,
    /* Defines the physical registers in its operands without emitting code (the argument
     * registers at function entry). */
    CG_OP_DEFS,
    /* Reads its operands without emitting code (keeps values alive). */
    CG_OP_USES,
    CG_OP_TARGET_FIRST = 16,
};

/* Instruction flags. */
enum {
    /* Clobbers CgTarget.call_clobbers (minus its explicit defs) at its def point. */
    CG_INSTF_CALL = 1u << 0,
};

/* ==== blocks and functions ================================================================
 *
 * Blocks are laid out in emission order; each block's instructions are a contiguous range
 * whose last instruction is the terminator. Block order must put every block after its
 * immediate dominator (reverse post-order or wasm's structured order), so that a value's
 * definition is its first position. Parameters are SSA values defined at block entry; a block
 * that passes arguments has exactly one successor (its jump), so edges with arguments never
 * need splitting. Other edges need no moves unless allocation splits a value across them; the
 * core then places the moves at the edge (in a stub when the edge is critical).
 */
typedef struct CgBlock {
    uint32_t first, ninsts;    // instructions [first, first+ninsts); the last terminates
    uint32_t params, nparams;  // CgFunc.regs[params ..]: parameter vregs
    uint32_t args, nargs;      // CgFunc.regs[args ..]: arguments of the jump to succ 0
    uint32_t succs, nsuccs;    // CgFunc.blks[succs ..]: successor blocks (may repeat)
    uint32_t preds, npreds;    // CgFunc.blks[preds ..]: distinct predecessors (core)
    uint32_t pos;              // position of the block entry (core, live.c)
    uint32_t label;            // code label (core, emit.c)
    uint16_t loop_depth;       // loop nesting depth (core, mir.c)
    uint8_t flags;             // CG_BLOCKF_*
    uint8_t pad;
} CgBlock;

enum {
    CG_BLOCKF_BEGUN = 1u << 0,  // cg_block_begin was called
    CG_BLOCKF_COLD = 1u << 1,   // rarely executed (a hint for the allocator)
};

typedef struct CgFunc {
    SK_VEC(CgInst) insts;
    SK_VEC(CgOperand) opnds;
    SK_VEC(CgBlock) blocks;
    SK_VEC(uint32_t) regs;   // parameter and argument register lists
    SK_VEC(uint32_t) blks;   // successor and predecessor lists
    SK_VEC(uint8_t) vtypes;  // CgType of virtual register CG_VREG_FIRST + i
    uint32_t cur_block;      // block being built
    uint32_t outgoing;       // bytes of outgoing stack arguments the calls need
    uint32_t nobjects;       // frame objects (cg_frame_object)
    SK_VEC(uint32_t) objects;  // size | log2(align) << 28 per object, then offsets after layout
    uint32_t func_index;     // index of the function in the module (diagnostics, relocations)
} CgFunc;

/* ==== the target ==========================================================================
 *
 * Immutable after definition and shared by all threads (STYLE.md section 7). Register numbers
 * are the core's (1 .. CG_NPREGS-1); the target maps them to hardware numbers.
 */
typedef struct CgFrame CgFrame;
typedef struct CgMove CgMove;

struct CgTarget {
    const char *name;       // "x86_64"
    uint32_t rt_target;     // RtTarget (runtime/cmodule.h)
    uint8_t reg_class[CG_NPREGS];          // CgClass of each physical register
    const char *const *reg_names;          // CG_NPREGS names, for dumps
    /* Registers the allocator may use, per class, in order of preference (caller-saved
     * first, so that callee-saved registers are used, and saved, only when needed). */
    const uint8_t *alloc_order[CG_CLASS_COUNT];
    uint8_t nalloc[CG_CLASS_COUNT];
    CgRegSet call_clobbers;       // registers a call may change
    CgRegSet call_clobbers_v128;  // additionally clobbered for values of type v128
    CgRegSet callee_saved;        // registers a function must preserve (saved if used)
    /* Registers the instruction selector keeps function-wide values in (x86_64: the VM
     * context and memory base): never allocated, ignored by liveness, saved by the prologue
     * when written (if callee-saved). */
    CgRegSet pinned;
    /* A register per class that the allocator never assigns: emitters and the move
     * sequencer use it within one instruction or one move. */
    CgReg scratch[CG_CLASS_COUNT];
    uint32_t func_align;  // alignment of function starts (bytes)
    uint8_t pad_byte;     // padding between functions (x86 int3, aarch64 zero = udf)

    /* Instruction selection: builds ctx->func (MIR) for one IR function. Returns false
     * with ctx->diag set on input the target cannot compile (a limit, an unsupported
     * operation). */
    bool (*isel)(CgCtx *ctx, const IrFunc *f);
    /* Emits one instruction whose operands hold locations (after allocation). */
    void (*emit_inst)(CgCtx *ctx, const CgInst *inst);
    /* Emits dst <- src for a value of `type`: register/slot to register/slot (slot to slot
     * through the scratch register of the class). Must not change the condition flags. */
    void (*emit_move)(CgCtx *ctx, CgLoc dst, CgLoc src, CgType type);
    /* Exchanges two integer registers, or NULL (the sequencer then uses the scratch). */
    void (*emit_swap)(CgCtx *ctx, CgReg a, CgReg b);
    /* Optional: emits the n steps of a sequenced move group in order (each as emit_move,
     * or emit_swap when its swap is set); NULL: the core calls those per step. */
    void (*emit_moves)(CgCtx *ctx, const CgMove *steps, uint32_t n);
    /* Emits the prologue (frame record, stack-limit check, saves, allocation) from
     * ctx->frame, recording unwind effects with cg_unwind_record(). */
    void (*emit_prologue)(CgCtx *ctx);
    /* Emits an unconditional jump to a label (edge stubs, block order). */
    void (*emit_jump)(CgCtx *ctx, uint32_t label);
    /* Emits the out-of-line trap stub body for `kind` (e.g. ud2) at the current offset;
     * the core records the trap site. */
    void (*emit_trap)(CgCtx *ctx, uint32_t kind);
    /* Computes the frame: saved-register area, sizes and offsets (fills the target part of
     * ctx->frame from the core part). */
    void (*frame_layout)(CgCtx *ctx, CgFrame *frame);
    /* Patches a label or call fixup: the field at code[at] of kind `kind` must refer to
     * code offset `target`. Returns false if the distance does not fit the field. */
    bool (*patch)(uint8_t *code, uint32_t at, uint32_t kind, uint32_t target);
    /* Emits the entry and host-call trampolines for a signature (runtime/vmctx.h). */
    void (*emit_entry_trampoline)(CgCtx *ctx, const IrSig *sig);
    void (*emit_host_trampoline)(CgCtx *ctx, const IrSig *sig);
    /* Dumps: a target opcode's name and payload, for cg_func_print. */
    void (*print_inst)(const CgCtx *ctx, const CgInst *inst, char *out, size_t size);
};

/* ==== frame ============================================================================== */

/*
 * The frame of the function being compiled. The core fills the first part from allocation;
 * the target's frame_layout fills the rest. Layout (stack grows down, offsets from the stack
 * pointer after the prologue):
 *
 *   higher  | caller's frame, incoming stack arguments                |
 *           | return address (x86_64) / frame record                  |
 *           | saved frame pointer             <- frame pointer        |
 *           | saved callee-saved registers                            |
 *           | spill slots           [spill_offset ..)                 |
 *           | frame objects         [objects_offset ..)               |
 *   lower   | outgoing arguments    [0 .. outgoing)  <- stack pointer |
 */
struct CgFrame {
    /* Core part. */
    CgRegSet saved;         // callee-saved registers the function writes
    uint32_t spill_units;   // 8-byte units of the spill area
    uint32_t outgoing;      // bytes of outgoing stack arguments
    uint32_t objects_size;  // bytes of frame objects
    bool has_calls;         // the function calls (leaf functions may skip work)
    /* Target part. */
    uint32_t spill_offset;    // SP-relative offset of spill unit 0
    uint32_t objects_offset;  // SP-relative offset of the frame objects
    uint32_t alloc_size;      // bytes the prologue subtracts from SP after the saves
    uint32_t saved_size;      // bytes of the saved-register area (below the frame pointer)
    uint32_t fp_offset;       // SP-relative offset of the frame pointer (after the prologue)
};

/* ==== the compile context ================================================================
 *
 * One per thread, reused across functions and modules (STYLE.md section 7). Targets read the
 * fields above `core`; `arena` is the function arena (reset when a function starts) and
 * `target_state` is the target's own per-function data (allocated in `arena`). The code
 * buffer fields are here so that reserve/commit inline into the emitters.
 */
typedef struct CgCore CgCore;

struct CgCtx {
    const CgTarget *target;
    CgOptions opts;
    const IrModule *module;    // the module being compiled
    RtVmLayout vm;             // its VM context layout
    SkArena arena;             // function arena
    CgFunc func;               // MIR of the function being compiled
    CgFrame frame;             // its frame (after allocation)
    SkDiag *diag;              // where the current operation reports bad input
    void *target_state;        // per-function target data
    /* Code buffer (whole module). */
    uint8_t *code;
    uint32_t code_len, code_cap;
    bool code_failed;
    const SkAlloc *alloc;
    CgCore *core;              // core-private state (backends/core.h)
};

/* ==== MIR construction (mir.c) ============================================================ */

/* Starts a new function with `nblocks` blocks (indices 0 .. nblocks-1 in layout order). */
void cg_func_begin(CgCtx *ctx, uint32_t nblocks, uint32_t func_index);

/* Reserves room for about `ninsts` instructions with `nopnds` operands and `nvregs` virtual
 * registers, plus successor and argument lists sized by the block count (estimates: more
 * still fits, just slower). Call after cg_func_begin. */
void cg_func_reserve(CgCtx *ctx, uint32_t ninsts, uint32_t nopnds, uint32_t nvregs);

/* Slow path of cg_vreg_new: grows the type array. */
CgReg cg_vreg_new_slow(CgCtx *ctx, CgType type);

/* A new virtual register of `type`. */
SK_INLINE CgReg
cg_vreg_new(CgCtx *ctx, CgType type)
{
    CgFunc *f = &ctx->func;
    uint32_t n = f->vtypes.len;
    if (SK_LIKELY(n < f->vtypes.cap)) {
        f->vtypes.data[n] = (uint8_t)type;
        f->vtypes.len = n + 1;
        return CG_VREG_FIRST + n;
    }
    return cg_vreg_new_slow(ctx, type);
}

/* Type of a register (virtual, or CG_TYPE_I64/F64 for a physical one by class). */
CgType cg_reg_type(const CgCtx *ctx, CgReg r);

/* Sets the parameters of block b (may be called before b is begun). */
void cg_block_set_params(CgCtx *ctx, uint32_t b, const CgReg *params, uint32_t n);

/* Starts block b: instructions appended from now on belong to it. Blocks are begun in
 * increasing order, each exactly once. Inline: isel calls it once per block. */
SK_INLINE void
cg_block_begin(CgCtx *ctx, uint32_t b)
{
    CgFunc *f = &ctx->func;
    SK_ASSERT(b < f->blocks.len);
    SK_ASSERT(f->cur_block == UINT32_MAX ? b == 0 : b == f->cur_block + 1);
    if (f->cur_block != UINT32_MAX) {  // close the previous block's instruction range
        CgBlock *prev = &f->blocks.data[f->cur_block];
        prev->ninsts = f->insts.len - prev->first;
    }
    CgBlock *blk = &f->blocks.data[b];
    blk->first = f->insts.len;
    blk->flags |= CG_BLOCKF_BEGUN;
    blk->succs = f->blks.len;
    f->cur_block = b;
}

/* Slow path of cg_block_add_succ: grows the successor list. */
void cg_block_add_succ_slow(CgCtx *ctx, uint32_t succ);

/* Adds a successor to the current block (the terminator's targets, in the order its
 * emitter asks for them with cg_succ_label). */
SK_INLINE void
cg_block_add_succ(CgCtx *ctx, uint32_t succ)
{
    CgFunc *f = &ctx->func;
    CgBlock *blk = &f->blocks.data[f->cur_block];
    SK_ASSERT(succ < f->blocks.len);
    SK_ASSERT(blk->succs + blk->nsuccs == f->blks.len);
    if (SK_LIKELY(f->blks.len < f->blks.cap)) {
        f->blks.data[f->blks.len++] = succ;
        blk->nsuccs++;
        return;
    }
    cg_block_add_succ_slow(ctx, succ);
}

/* Slow path of cg_block_set_args: grows the register-list pool. */
void cg_block_set_args_slow(CgCtx *ctx, const CgReg *args, uint32_t n);

/* Sets the arguments of the current block's jump (it must have exactly one successor). */
SK_INLINE void
cg_block_set_args(CgCtx *ctx, const CgReg *args, uint32_t n)
{
    CgFunc *f = &ctx->func;
    uint32_t start = f->regs.len;
    if (SK_LIKELY(n <= f->regs.cap - start)) {
        CgReg *to = f->regs.data + start;
        for (uint32_t k = 0; k < n; k++)
            to[k] = args[k];
        f->regs.len = start + n;
        CgBlock *blk = &f->blocks.data[f->cur_block];
        blk->args = start;
        blk->nargs = n;
        return;
    }
    cg_block_set_args_slow(ctx, args, n);
}

/* Marks block b as rarely executed. */
void cg_block_set_cold(CgCtx *ctx, uint32_t b);

/* Slow path of cg_inst_new: grows the instruction and operand arrays. */
CgInst *cg_inst_new_slow(CgCtx *ctx, uint16_t op, uint32_t nops);

/* Appends an instruction with `nops` operands (zeroed) to the current block. The pointer
 * stays valid until the next cg_inst_new; the operands are cg_inst_opnds(). */
SK_INLINE CgInst *
cg_inst_new(CgCtx *ctx, uint16_t op, uint32_t nops)
{
    CgFunc *f = &ctx->func;
    uint32_t no = f->opnds.len;
    if (SK_LIKELY(f->insts.len < f->insts.cap && nops <= f->opnds.cap - no && nops <= 255 &&
                  f->cur_block != UINT32_MAX)) {
        CgInst *in = &f->insts.data[f->insts.len++];
        *in = (CgInst){0};
        in->op = op;
        in->nops = (uint8_t)nops;
        in->ops = no;
        CgOperand *o = f->opnds.data + no;
        for (uint32_t k = 0; k < nops; k++)
            o[k] = 0;
        f->opnds.len = no + nops;
        return in;
    }
    return cg_inst_new_slow(ctx, op, nops);
}

/* Operands of instruction `inst` (valid until the next cg_inst_new). */
SK_INLINE CgOperand *
cg_func_opnds(CgFunc *f, const CgInst *inst)
{
    return f->opnds.data + inst->ops;
}

/* The physical register of FIXED operand k of `inst` (see CgOperand): its registers follow
 * the operands, one per FIXED operand in order. */
SK_INLINE CgReg
cg_inst_fixed_reg(const CgFunc *f, const CgInst *inst, uint32_t k)
{
    const CgOperand *o = f->opnds.data + inst->ops;
    uint32_t j = 0;
    for (uint32_t i = 0; i < k; i++)
        j += (o[i] & CG_OPF_FIXED) != 0;
    return (CgReg)o[inst->nops + j];
}

/* Appends a parallel copy dst[i] <- src[i]; registers may be physical (fixed). */
void cg_pcopy(CgCtx *ctx, const CgReg *dst, const CgReg *src, uint32_t n);

/* Records that calls need `bytes` of outgoing stack-argument area. */
void cg_func_need_outgoing(CgCtx *ctx, uint32_t bytes);

/* A frame object of `size` bytes aligned to `align` (<= 16); its stack-pointer-relative
 * offset is cg_frame_object_offset() after layout. */
uint32_t cg_frame_object(CgCtx *ctx, uint32_t size, uint32_t align);

/* Formats the MIR of the current function into `out` (NUL-terminated, truncated). */
void cg_func_print(const CgCtx *ctx, char *out, size_t size);

/* ==== frame (frame.c) ===================================================================== */


/* SP-relative byte offset of a spill-slot location. */
int32_t cg_frame_slot_offset(const CgCtx *ctx, CgLoc loc);
/* SP-relative byte offset of frame object `obj`. */
int32_t cg_frame_object_offset(const CgCtx *ctx, uint32_t obj);

/* Neutral records of what the prologue did (STYLE.md section 8); unwind.c of each target
 * turns them into CFI. Offsets are function-relative code offsets after the instruction. */
typedef enum CgUnwindOp {
    CG_UNWIND_NONE = 0,
    CG_UNWIND_PUSH_FRAME,  // pushed the frame record (FP, and LR on aarch64); value = bytes
    CG_UNWIND_SET_FP,      // FP = SP + value
    CG_UNWIND_SAVE_REG,    // saved register `reg` at FP - value
    CG_UNWIND_ALLOC,       // SP -= value
    CG_UNWIND_COUNT
} CgUnwindOp;

typedef struct CgUnwind {
    uint32_t code_offset;  // function-relative offset just after the instruction
    uint8_t op;            // CgUnwindOp
    uint8_t reg;           // CG_UNWIND_SAVE_REG
    uint32_t value;
} CgUnwind;

void cg_unwind_record(CgCtx *ctx, CgUnwindOp op, CgReg reg, uint32_t value);
/* The prologue records of the function compiled last (valid until the next function). */
const CgUnwind *cg_func_unwind(const CgCtx *ctx, uint32_t *out_n);

/* ==== code buffer (buffer.c) ==============================================================
 *
 * One growable byte array holds the whole module's code; functions and trampolines are
 * appended one after another. Offsets below are code-relative (from the start of the blob)
 * unless said otherwise. Labels are per function (cg_func_compile resets them); a fixup is
 * patched through CgTarget.patch when the function is finished.
 */

/* Maximum bytes any single target emission may append (one instruction or a short fixed
 * sequence); cg_code_reserve guarantees at least this much room. */
#define CG_MAX_EMIT 64u

/* Slow path of cg_code_reserve: grows the buffer. */
uint8_t *cg_code_grow(CgCtx *ctx, size_t n);

/* Ensures room for `n` (<= CG_MAX_EMIT) more bytes and returns the write pointer. Never
 * fails: on allocation failure it returns scratch space and marks the buffer failed, which
 * the function's compilation reports at its end. */
SK_INLINE uint8_t *
cg_code_reserve(CgCtx *ctx, size_t n)
{
    if (SK_LIKELY(ctx->code_cap - ctx->code_len >= n))
        return ctx->code + ctx->code_len;
    return cg_code_grow(ctx, n);
}

/* Advances the code size by `n` bytes written at the pointer cg_code_reserve returned. */
SK_INLINE void
cg_code_commit(CgCtx *ctx, size_t n)
{
    if (SK_LIKELY(!ctx->code_failed))
        ctx->code_len += (uint32_t)n;
}

/* Current code offset. */
SK_INLINE uint32_t
cg_code_offset(const CgCtx *ctx)
{
    return ctx->code_len;
}

/* Code offset where the current function (or trampoline) starts. */
uint32_t cg_code_func_start(const CgCtx *ctx);

/* Appends bytes. */
void cg_code_put(CgCtx *ctx, const void *bytes, size_t n);
/* Pads with `fill` bytes to a multiple of `align`. */
void cg_code_align(CgCtx *ctx, uint32_t align, uint8_t fill);

/* A new unbound label of the current function. */
uint32_t cg_label_new(CgCtx *ctx);
/* n new unbound labels with consecutive numbers; returns the first. */
uint32_t cg_labels_new(CgCtx *ctx, uint32_t n);
/* Binds a label to the current offset. */
void cg_label_bind(CgCtx *ctx, uint32_t label);
/* Code offset of a bound label, or UINT32_MAX if unbound. */
uint32_t cg_label_offset(const CgCtx *ctx, uint32_t label);
/* Records that the field at code offset `at` (kind is target-defined) refers to `label`. */
void cg_fixup_label(CgCtx *ctx, uint32_t at, uint32_t kind, uint32_t label);
/* Records that the field at `at` refers to the entry of function `func_index` (patched when
 * the module is finished). */
void cg_fixup_func(CgCtx *ctx, uint32_t at, uint32_t kind, uint32_t func_index);
/* Records that the field at `at` refers to the 8-byte address slot of builtin `builtin`
 * (an RtBuiltin) in the module's slot table (patched when the module is finished; the slot
 * itself gets an RT_RELOC_ABS64 relocation). */
void cg_fixup_builtin_slot(CgCtx *ctx, uint32_t at, uint32_t kind, uint32_t builtin);
/* Records a relocation (runtime/cmodule.h RtCmReloc) at code offset `at`. */
void cg_reloc_add(CgCtx *ctx, uint32_t at, uint32_t kind, uint32_t sym_kind, uint32_t sym,
                  int64_t addend);

/* Label of the current function's out-of-line trap stub for `kind` (an RtTrapKind); the
 * stub is emitted after the function body. */
uint32_t cg_trap_label(CgCtx *ctx, uint32_t kind);
/* Records that the instruction at code offset `at` traps with `kind` when it faults. */
void cg_trap_record(CgCtx *ctx, uint32_t at, uint32_t kind);

/* Label of a constant of `size` bytes (<= 16, `align` <= 16) in the current function's
 * constant pool, emitted after the function body. Equal constants share a label. */
uint32_t cg_const_label(CgCtx *ctx, const void *bytes, uint32_t size, uint32_t align);

/* ==== emission helpers (emit.c) ===========================================================*/

/* Label of the i-th successor edge of the block being emitted (the successor's label, or
 * the label of an edge stub that performs the edge's moves). */
uint32_t cg_succ_label(CgCtx *ctx, uint32_t i);
/* True if the i-th successor edge leads to the next block in layout with no stub, so a jump
 * there may be omitted. */
bool cg_succ_is_next(const CgCtx *ctx, uint32_t i);
/* Index of the block being emitted. */
uint32_t cg_emit_block(const CgCtx *ctx);

/* ==== parallel moves (pmove.c) ============================================================ */

/* One step of a move sequence: dst <- src for a value of `type`, or (swap) an exchange of two
 * integer registers. */
typedef struct CgMove {
    CgLoc dst, src;
    uint8_t type;  // CgType
    uint8_t swap;  // 1: exchange dst and src (integer registers only)
    uint32_t aux;  // the sequencer's scratch
} CgMove;

/* What the sequencer may use. */
typedef struct CgPmoveEnv {
    const uint8_t *reg_class;        // CgClass per physical register
    CgReg scratch[CG_CLASS_COUNT];   // never holds a live value (CgTarget.scratch)
    bool can_swap;                   // integer register exchange available
    CgLoc temp;                      // a 16-byte spill slot for cycles the scratch can't break
} CgPmoveEnv;

/*
 * Sequences the parallel copy moves[0..n) (distinct destinations; a source may feed several
 * destinations; dst == src is dropped) into out[], which needs room for 2n steps, so that
 * executing the steps in order (a step slot-to-slot may use the class's scratch register)
 * gives every destination its source's old value. Returns the number of steps; sets
 * *out_used_temp when a step uses env->temp. Scrambles moves[].
 */
uint32_t cg_pmove_sequence(const CgPmoveEnv *env, CgMove *moves, uint32_t n, CgMove *out,
                           bool *out_used_temp);

#endif
