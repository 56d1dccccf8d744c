/*
 * x86_64 backend internals shared by target.c, isel.c, emit.c and abi.c (the encoder's own
 * declarations are in x64.h): the register file in the core's numbering, the ABI register
 * sets, the MIR opcodes with their operand conventions, fixup kinds, and the functions the
 * files call across. Used only inside backends/x86_64/.
 */
#ifndef SKUA_BACKENDS_X86_64_REGS_H
#define SKUA_BACKENDS_X86_64_REGS_H

#include "backends/target.h"
#include "backends/x86_64/x64.h"

/* ---- registers ----------------------------------------------------------------------------
 * Core numbers (target.h): 1-16 are the general-purpose registers in hardware order (rax = 1,
 * rcx = 2, ... r15 = 16), 17-32 are xmm0-xmm15. rsp and rbp are never allocated (stack and
 * frame pointer); r11 and xmm15 are the scratch registers the emitter and the move sequencer
 * use within one instruction.
 */
enum {
    X64R_RAX = 1, X64R_RCX, X64R_RDX, X64R_RBX, X64R_RSP, X64R_RBP, X64R_RSI, X64R_RDI,
    X64R_R8, X64R_R9, X64R_R10, X64R_R11, X64R_R12, X64R_R13, X64R_R14, X64R_R15,
    X64R_XMM0, X64R_XMM15 = X64R_XMM0 + 15,
};

#define X64_SCRATCH_GPR X64R_R11
#define X64_SCRATCH_XMM X64R_XMM15
/* Pinned for the whole function (CgTarget.pinned): the VM context and memory 0's base.
 * Callee-saved, so calls keep them; the prologue saves the caller's values. */
#define X64_VMCTX_REG X64R_R15
#define X64_MEMBASE_REG X64R_R14

/* Hardware number (ModRM/REX) of a core register of either class. */
SK_INLINE unsigned
x64_hw(CgLoc r)
{
    return (r - 1u) & 15u;
}

SK_INLINE bool
x64_is_xmm(CgLoc r)
{
    return r >= X64R_XMM0 && r <= X64R_XMM15;
}

/* SysV argument registers (core numbers). */
extern const uint8_t x64_int_arg_regs[6];
extern const uint8_t x64_float_arg_regs[8];

/* ---- MIR opcodes --------------------------------------------------------------------------
 * Operand order is always defs first, then uses. "H" marks the HINT pair of a two-address
 * form (the emitter writes `mov d, a` first when they differ), "L" a LATE use. `x` is the
 * operand size in bytes (4 or 8) for integer forms, 4 (f32) or 8 (f64) for scalar float forms.
 * Memory operands are a base register and an optional index register (y & X64_MEM_HAS_INDEX,
 * scale in y bits 2-3 as log2), displacement in disp; y & X64_MEM_TRAP records a trap site
 * (out-of-bounds memory access) at the instruction.
 */
enum {
    X64I_MOV_RI = CG_OP_TARGET_FIRST,  // d <- imm
    X64I_ALU,        // d(H) a(H) b: d = a op b; cc = X64AluOp (b L unless commutative)
    X64I_ALU_I,      // d(H) a(H): d = a op imm
    X64I_ALU_M,      // d(H) a(H) base(L) [index(L)]: d = a op [mem]
    X64I_LEA,        // d base [index]: d = base + index << scale + disp
    X64I_IMUL,       // d(H) a(H) b: d = a * b
    X64I_IMUL_I,     // d a: d = a * imm
    X64I_DIV,        // =rax =rdx rax b(L): cc = X64_DIV_*
    X64I_SHIFT_I,    // d(H) a(H): cc = X64ShiftOp, imm = count
    X64I_SHIFT,      // d(H) a(H) rcx(L): cc = X64ShiftOp
    X64I_UNARY,      // d(H) a(H): cc = X64_UN_NEG / X64_UN_NOT
    X64I_BITCNT,     // d(H) a(H): cc = X64_CNT_*
    X64I_EXT,        // d a: cc = X64_EXT_*
    X64I_LOAD,       // d base [index]: cc = X64_LD_*
    X64I_STORE,      // base [index] v: cc = X64_ST_*
    X64I_STORE_I,    // base [index]: store imm, cc = size
    X64I_CMP_SET,    // d a [b]: d = (a cc b) ? 1 : 0; y & X64_CMP_IMM: b is imm; X64_CMP_TEST: test a, a
    X64I_FCMP_SET,   // d a b: d = (a fcc b); cc = IrFloatCond
    X64I_JCC,        // a [b]: terminator, succ 0 if (a cc b) else succ 1 (forms as CMP_SET)
    X64I_FJCC,       // a b: terminator, succ 0 if (a fcc b) else succ 1
    X64I_JMP,        // terminator: succ 0
    X64I_BR_TABLE,   // =tmp idx(L): terminator; succs 0..imm-1 by index, succ imm default
    X64I_RET,        // uses the result registers: epilogue and ret
    X64I_TRAP,       // terminator: ud2 with trap kind disp
    X64I_TRAP_IF,    // a [b]: if (a cc b) trap kind disp (forms as CMP_SET)
    X64I_CMOV,       // d(H) f(H) t(L) a(L) [b(L)]: d = (a cc b) ? t : f (forms as CMP_SET)
    X64I_FSEL,       // d(H) f(H) t(L) c(L): float/vector d = c != 0 ? t : f
    X64I_CALL,       // defs, uses: cc = X64_CALL_*; imm = function index or builtin
    X64I_FCONST,     // d: imm = bits (x = 4 or 8), or a 16-byte constant (x = 16, imm = v128 index)
    X64I_SSE,        // d(H) a(H) b: y = X64SseOp (b L unless commutative)
    X64I_FUNARY,     // d(H) a(H): cc = X64_FUN_ABS / NEG
    X64I_FCOPYSIGN,  // d(H) a(H) b(L)
    X64I_FMINMAX,    // d(H) a(H) b(L): cc = 0 min, 1 max
    X64I_FROUND,     // d a: imm = rounding mode (SSE4.1)
    X64I_FSQRT,      // d a
    X64I_CVT,        // d a: cc = X64_CVT_*
    X64I_BITCAST,    // d a: gpr <-> xmm, x = size
    X64I_LOAD_ARG,   // d: incoming stack argument at [rbp + disp]
    X64I_STORE_ARG,  // v: outgoing stack argument at [rsp + disp]
    X64I_LEA_FRAME,  // d: d = address of frame object disp
    X64I_LOAD_FRAME, // d: from frame object disp at byte offset imm
    X64I_BOUNDS,     // addr memobj(L): trap MEMORY_OOB unless addr + imm <= memobj->size
    /* SIMD128 (isel_simd.c, emit_simd.c; sequences and operand modes in simd.h). */
    X64I_VOP,        // d(H) a(H) [b]: `op d, b` with y = X64SseOp; cc = X64_VOP_* (b L unless COMM)
    X64I_VUN,        // d a: `op d, a[, imm8]` (a one-source form; x = 1: imm8 = imm)
    X64I_VCOP,       // d(H) a(H): `op d, [constant]`, y = X64SseOp; imm = a cc-byte pattern, repeated
    X64I_VSEQ,       // d [temps] uses: sequence y = X64VSeq, x = temps (simd.h)
    X64I_VLOAD,      // d base [index] [v(H)]: cc = X64VMem, x = lane (memory y bits as X64I_LOAD)
    X64I_VSTORE,     // base [index] v: cc = X64VMem, x = lane
    X64I_COUNT_
};

/* cc bits of X64I_VOP. */
enum {
    X64_VOP_COMM = 1u << 0,   // commutative: b may share d's register
    X64_VOP_IMM = 1u << 1,    // an imm8 (imm & 0xFF) follows; with 2 operands, a shift by imm8
    X64_VOP_CONST = 1u << 2,  // no b: the operand is the 16-byte constant IrFunc.v128s[imm >> 8]
};

/* y bits of memory forms. */
enum {
    X64_MEM_HAS_INDEX = 1u << 0,
    X64_MEM_TRAP = 1u << 1,       // a wasm memory access: fault = out of bounds
    X64_MEM_SCALE_SHIFT = 2,      // 2 bits: log2(scale)
};

/* y bits of compare forms (CMP_SET, JCC, TRAP_IF, CMOV). */
enum {
    X64_CMP_IMM = 1u << 0,   // compare a with imm (no b operand)
    X64_CMP_TEST = 1u << 1,  // test a, a (no b); cc is E or NE
};

/* X64I_DIV variants. */
enum { X64_DIV_U, X64_DIV_S, X64_REM_U, X64_REM_S };

/* X64I_BITCNT variants. */
enum { X64_CNT_CLZ, X64_CNT_CTZ, X64_CNT_POPCNT };

/* X64I_EXT variants: sign-extend 8/16/32, zero-extend 8/16/32 (into x bytes). */
enum { X64_EXT_S8, X64_EXT_S16, X64_EXT_S32, X64_EXT_U8, X64_EXT_U16, X64_EXT_U32 };

/* X64I_LOAD kinds (x = destination size for the integer ones). */
enum {
    X64_LD_U8, X64_LD_S8, X64_LD_U16, X64_LD_S16, X64_LD_U32, X64_LD_S32, X64_LD_64,
    X64_LD_F32, X64_LD_F64, X64_LD_V128,
};

/* X64I_STORE kinds. */
enum { X64_ST_8, X64_ST_16, X64_ST_32, X64_ST_64, X64_ST_F32, X64_ST_F64, X64_ST_V128 };

/* X64I_FUNARY variants. */
enum { X64_FUN_ABS, X64_FUN_NEG };

/* X64I_CALL variants: direct (imm = function index), through the register operand 0 (a use),
 * or a runtime builtin (imm = RtBuiltin, through its address slot). */
enum { X64_CALL_DIRECT, X64_CALL_REG, X64_CALL_BUILTIN };

/* X64I_CVT variants. Names: to_from; TRUNC = trapping float->int, SAT = saturating. x is
 * the float size (4/8), the integer size is in the name. */
enum {
    X64_CVT_F32_F64, X64_CVT_F64_F32,        // demote, promote
    X64_CVT_F_I32, X64_CVT_F_I64,            // signed int -> float (x = float size)
    X64_CVT_F_U32, X64_CVT_F_U64,            // unsigned int -> float
    X64_CVT_TRUNC_I32, X64_CVT_TRUNC_U32, X64_CVT_TRUNC_I64, X64_CVT_TRUNC_U64,
    X64_CVT_SAT_I32, X64_CVT_SAT_U32, X64_CVT_SAT_I64, X64_CVT_SAT_U64,
};

/* Fixup kinds (CgTarget.patch). REL32 + n: a rel32 field at `at` whose instruction ends n
 * bytes after the field (a trailing immediate). TABLE32: a jump-table entry holding
 * target - table start; the field initially holds its own distance from the table start. */
enum {
    X64_FIXUP_REL32 = 0,  // .. + 4
    X64_FIXUP_TABLE32 = 16,
};

/* ---- across files ------------------------------------------------------------------------ */

/* isel.c */
bool x64_isel(CgCtx *ctx, const IrFunc *f);

/* isel.c: services for the SIMD selector. X64Isel is isel.c's per-function state. */
typedef struct Isel X64Isel;
typedef struct X64Addr {
    CgReg base, index;  // index 0 = none
    int32_t disp;
} X64Addr;
/* The register of IR value v in the current block (materializing constants), and the
 * register that defines v. */
CgReg x64_isel_use(X64Isel *s, uint32_t v);
CgReg x64_isel_def(X64Isel *s, uint32_t v);
/* The memory operand of wasm access `id` of `bytes` bytes (after the explicit bounds check,
 * in that mode). Call it before creating the access's instruction. */
X64Addr x64_isel_addr(X64Isel *s, uint32_t id, uint32_t bytes);

/* isel_simd.c */

/* True for the SIMD128 operations isel_simd.c selects (v128 loads and stores of full width,
 * constants and select are isel.c's). */
bool x64_ir_op_is_simd(uint16_t op);
/* Selects SIMD operation `id` of f. False with ctx->diag set on input it cannot compile. */
bool x64_isel_simd(X64Isel *s, CgCtx *ctx, const IrFunc *f, uint32_t id);

/* emit.c */
void x64_emit_inst(CgCtx *ctx, const CgInst *in);
void x64_emit_move(CgCtx *ctx, CgLoc dst, CgLoc src, CgType type);
void x64_emit_swap(CgCtx *ctx, CgReg a, CgReg b);
void x64_emit_moves(CgCtx *ctx, const CgMove *steps, uint32_t n);
void x64_emit_jump(CgCtx *ctx, uint32_t label);
void x64_emit_trap(CgCtx *ctx, uint32_t kind);
bool x64_patch(uint8_t *code, uint32_t at, uint32_t kind, uint32_t target);
void x64_print_inst(const CgCtx *ctx, const CgInst *in, char *out, size_t size);
/* Emits a jcc to a label (rel8 when a backward target is near, else rel32). */
void x64_emit_jcc_label(CgCtx *ctx, X64Cond cc, uint32_t label);

/* emit_simd.c: emits X64I_VOP .. X64I_VSTORE. */
void x64_emit_simd(CgCtx *ctx, const CgInst *in);

/* abi.c */
void x64_emit_prologue(CgCtx *ctx);
void x64_emit_epilogue(CgCtx *ctx);
void x64_frame_layout(CgCtx *ctx, CgFrame *frame);
void x64_emit_entry_trampoline(CgCtx *ctx, const IrSig *sig);
void x64_emit_host_trampoline(CgCtx *ctx, const IrSig *sig);

/* unwind.c */

/* DWARF call-frame instructions for a function's prologue records (returns the length
 * needed; writes at most cap bytes). */
size_t x64_unwind_cfi(const CgUnwind *u, uint32_t n, uint8_t *out, size_t cap);

/* Where each argument of a call goes under SysV: loc[i] is a core register, or
 * CG_LOC_STACK + byte offset in the stack-argument area. The VM context (and the hidden
 * results pointer of multi-result signatures) come first. Returns the bytes of stack
 * arguments. */
typedef struct X64ArgLayout {
    uint32_t nargs;         // VM context + hidden pointer + parameters
    uint32_t loc[256 + 2];  // per argument
    uint32_t stack_bytes;
    bool results_ptr;       // argument 1 is the hidden results pointer
} X64ArgLayout;

/* Lays out the arguments of `sig` (at most 256 parameters are supported here: longer
 * signatures report a limit). Returns false if the signature has too many parameters. */
bool x64_arg_layout(const IrSig *sig, X64ArgLayout *out);

/* The CgType of an IR type (references are pointer-sized integers). */
SK_INLINE CgType
x64_cg_type(IrType t)
{
    static const uint8_t map[IR_TYPE_COUNT] = {
        [IR_TYPE_I32] = CG_TYPE_I32,        [IR_TYPE_I64] = CG_TYPE_I64,
        [IR_TYPE_F32] = CG_TYPE_F32,        [IR_TYPE_F64] = CG_TYPE_F64,
        [IR_TYPE_V128] = CG_TYPE_V128,      [IR_TYPE_FUNCREF] = CG_TYPE_I64,
        [IR_TYPE_EXTERNREF] = CG_TYPE_I64,
    };
    return (unsigned)t < IR_TYPE_COUNT ? (CgType)map[t] : CG_TYPE_NONE;
}

/* Writes a memory operand's bytes through the encoder: helpers for emit.c and abi.c. */
X64Mem x64_mem_frame(int32_t sp_offset);

#endif
