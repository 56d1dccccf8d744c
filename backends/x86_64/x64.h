/*
 * x86_64 target-internal declarations (STYLE.md section 3: used only inside backends/x86_64/).
 * The first section is the machine-code encoder (encode.c: general-purpose forms,
 * encode_sse.c: SSE/SSE2/SSSE3/SSE4.x forms): pure functions that append one instruction's
 * bytes to `out` and return how many they wrote. They allocate nothing, touch no IR and no
 * global state; operands are hardware register numbers. The backend's own declarations
 * (isel, ABI, emission) go in a later section of this header.
 */
#ifndef SKUA_BACKENDS_X86_64_X64_H
#define SKUA_BACKENDS_X86_64_X64_H

#include "ir/common.h"

/* ==== encode.c, encode_sse.c: the encoder ================================================
 *
 * Calling convention of every x64_encode_* function:
 *   - `out` has room for the form's declared maximum (the X64_MAX_* constant named in the
 *     function's comment; every maximum is <= X64_MAX_INSN = 15). Debug builds (no NDEBUG)
 *     assert that the bytes written stay within it; the encoder test checks it always.
 *   - The result is the number of bytes written (>= 1).
 *   - Operand sizes are in bytes: 1, 2, 4 or 8. A form that does not accept a size asserts.
 *   - Registers are hardware numbers (below). Size-1 operands in registers 4-7 mean
 *     spl/bpl/sil/dil: the encoder always emits a REX prefix for them (never ah/ch/dh/bh).
 *   - Invalid operands (a bad size, index = rsp, ...) are skua bugs, not bad input: they
 *     trip SK_ASSERT.
 *
 * Fixups. Branches take a displacement relative to the end of the instruction. For the
 * rel32 forms (jcc/jmp/call) the 32-bit field is always the last 4 bytes of the
 * instruction. For a RIP-relative memory operand (base X64_MEM_RIP) the disp32 field ends
 * just before the form's trailing immediate: it sits at `len - 4 - imm_bytes`, where
 * imm_bytes is 0 for forms without an immediate, 1 for the imm8 SSE forms (sse_rmi,
 * sse_mri), x64_alu_imm_bytes() for alu_mi and imul_rmi, and min(size, 4) for mov_mi and
 * test_mi. The CPU adds the disp32 to the address of the next instruction, so a buffer
 * patching it writes `target - (insn_start + len)`. movabs puts its imm64 in the last 8
 * bytes (an absolute address).
 */

#define X64_MAX_INSN 15 // the architectural limit on one instruction's length

/*
 * General-purpose registers, numbered as the hardware encodes them (ModRM/SIB/REX), which is
 * why there is no *_NONE = 0 member: the register allocator maps its physical register
 * numbers to these. Registers 8-15 need a REX bit.
 */
typedef enum X64Gpr {
    X64_RAX, X64_RCX, X64_RDX, X64_RBX, X64_RSP, X64_RBP, X64_RSI, X64_RDI,
    X64_R8, X64_R9, X64_R10, X64_R11, X64_R12, X64_R13, X64_R14, X64_R15,
    X64_GPR_COUNT
} X64Gpr;

/* XMM registers, hardware numbers 0-15 (8-15 need a REX bit). */
typedef enum X64Xmm {
    X64_XMM0, X64_XMM1, X64_XMM2, X64_XMM3, X64_XMM4, X64_XMM5, X64_XMM6, X64_XMM7,
    X64_XMM8, X64_XMM9, X64_XMM10, X64_XMM11, X64_XMM12, X64_XMM13, X64_XMM14, X64_XMM15,
    X64_XMM_COUNT
} X64Xmm;

/*
 * Condition codes, valued as the low nibble of jcc/setcc/cmovcc (Intel SDM vol. 2, appendix
 * B.1.4.7). Complementary conditions differ in bit 0, so x64_cc_invert is `cc ^ 1`.
 */
typedef enum X64Cond {
    X64_CC_O, X64_CC_NO,
    X64_CC_B,  // unsigned <  (carry)
    X64_CC_AE, // unsigned >=
    X64_CC_E, X64_CC_NE,
    X64_CC_BE, // unsigned <=
    X64_CC_A,  // unsigned >
    X64_CC_S, X64_CC_NS,
    X64_CC_P,  // parity: set by ucomiss/ucomisd when unordered (NaN)
    X64_CC_NP,
    X64_CC_L, X64_CC_GE, X64_CC_LE, X64_CC_G, // signed
    X64_CC_COUNT
} X64Cond;

SK_INLINE X64Cond
x64_cc_invert(X64Cond cc)
{
    return (X64Cond)(cc ^ 1);
}

/* The eight classic ALU operations, valued as their ModRM.reg digit in 80/81/83 /digit. */
typedef enum X64AluOp {
    X64_ALU_ADD, X64_ALU_OR, X64_ALU_ADC, X64_ALU_SBB,
    X64_ALU_AND, X64_ALU_SUB, X64_ALU_XOR, X64_ALU_CMP,
    X64_ALU_COUNT
} X64AluOp;

/* Shifts and rotates, valued as their ModRM.reg digit in C0/C1/D0-D3 /digit (6 is unused). */
typedef enum X64ShiftOp {
    X64_SHIFT_ROL = 0, X64_SHIFT_ROR = 1, X64_SHIFT_SHL = 4, X64_SHIFT_SHR = 5,
    X64_SHIFT_SAR = 7,
    X64_SHIFT_COUNT
} X64ShiftOp;

/*
 * One-operand operations: inc/dec (FE/FF /0 /1) and the F6/F7 group (not, neg, and the
 * rdx:rax multiply/divide forms: mul/imul/div/idiv use rax and rdx implicitly).
 */
typedef enum X64UnaryOp {
    X64_UN_INC, X64_UN_DEC, X64_UN_NOT, X64_UN_NEG,
    X64_UN_MUL, X64_UN_IMUL, X64_UN_DIV, X64_UN_IDIV,
    X64_UN_COUNT
} X64UnaryOp;

/* Bit scans and counts: lzcnt (LZCNT), tzcnt (BMI1), popcnt (POPCNT), bsr and bsf (base). */
typedef enum X64BitOp {
    X64_BIT_LZCNT, X64_BIT_TZCNT, X64_BIT_POPCNT, X64_BIT_BSR, X64_BIT_BSF,
    X64_BIT_COUNT
} X64BitOp;

/*
 * A memory operand: [base + index*scale + disp]. base is a register, X64_MEM_NONE (absolute
 * disp32, sign-extended) or X64_MEM_RIP (disp32 relative to the next instruction; no index
 * allowed). index is a register other than rsp, or X64_MEM_NONE. The encoder handles the
 * special cases: rsp/r12 as base need a SIB byte, rbp/r13 as base with disp 0 get a disp8
 * of 0, and disp8 is used whenever -128 <= disp <= 127.
 */
#define X64_MEM_NONE 16
#define X64_MEM_RIP 17

typedef struct X64Mem {
    uint8_t base;  // X64Gpr, X64_MEM_NONE or X64_MEM_RIP
    uint8_t index; // X64Gpr except X64_RSP, or X64_MEM_NONE
    uint8_t scale; // 1, 2, 4 or 8; ignored without an index
    int32_t disp;  // bytes
} X64Mem;

/* [base + disp] */
SK_INLINE X64Mem
x64_mem(X64Gpr base, int32_t disp)
{
    return (X64Mem){ (uint8_t)base, X64_MEM_NONE, 1, disp };
}

/* [base + index*scale + disp]; base may be X64_MEM_NONE. */
SK_INLINE X64Mem
x64_mem_index(unsigned base, X64Gpr index, unsigned scale, int32_t disp)
{
    return (X64Mem){ (uint8_t)base, (uint8_t)index, (uint8_t)scale, disp };
}

/* [rip + disp]: disp is relative to the end of the instruction (see Fixups above). */
SK_INLINE X64Mem
x64_mem_rip(int32_t disp)
{
    return (X64Mem){ X64_MEM_RIP, X64_MEM_NONE, 1, disp };
}

SK_INLINE bool
x64_fits_i8(int64_t v)
{
    return v >= -128 && v <= 127;
}

SK_INLINE bool
x64_fits_i32(int64_t v)
{
    return v >= INT32_MIN && v <= INT32_MAX;
}

/* Maximum lengths of the forms, in bytes (see each function). */
enum {
    X64_MAX_RR = 4,     // [66] [REX] op ModRM
    X64_MAX_RR0F = 5,   // [66] [REX] 0F op ModRM
    X64_MAX_RM = 9,     // [66] [REX] op ModRM SIB disp32
    X64_MAX_RM0F = 10,  // [66|F3] [REX] 0F op ModRM SIB disp32
    X64_MAX_RI = 8,     // [66] [REX] op ModRM imm32
    X64_MAX_MI = 12,    // [REX] op ModRM SIB disp32 imm32
    X64_MAX_MOV_RI = 10,
    X64_MAX_POPCNT_RR = 6, // 66 F3 [REX] 0F op ModRM
    X64_MAX_POPCNT_RM = 11,
    X64_MAX_IMUL_RRI = 8,  // [66] [REX] 69 ModRM imm32
    X64_MAX_IMUL_RMI = 13, // [66] [REX] 69 ModRM SIB disp32 imm32
    X64_MAX_JCC8 = 2, X64_MAX_JCC32 = 6, X64_MAX_JMP8 = 2, X64_MAX_JMP32 = 5,
    X64_MAX_CALL32 = 5,
    X64_MAX_NOP = 9,
    X64_MAX_SSE = 12,   // pfx [REX] 0F 3A op ModRM SIB disp32 imm8
};

/*
 * Number of immediate bytes that x64_encode_alu_mi and x64_encode_imul_rmi emit for `imm` at
 * operand `size` (1 when size is 1 or imm fits int8, else 2 for size 2, else 4): where the
 * RIP-relative disp32 of those forms ends. mov_mi and test_mi always emit min(size, 4).
 */
size_t x64_alu_imm_bytes(unsigned size, int64_t imm);

/* ---- moves ---- */

/* mov dst, src (88/89 /r). size 1/2/4/8; size 4 zero-extends into the 64-bit register.
 * Max X64_MAX_RR. */
SK_INLINE size_t x64_encode_mov_rr(uint8_t *out, unsigned size, X64Gpr dst, X64Gpr src);

/* Load: mov dst, [m] (8A/8B /r). size 1/2/4/8. Max X64_MAX_RM. */
SK_INLINE size_t x64_encode_mov_rm(uint8_t *out, unsigned size, X64Gpr dst, X64Mem m);

/* Store: mov [m], src (88/89 /r). size 1/2/4/8. Max X64_MAX_RM. */
SK_INLINE size_t x64_encode_mov_mr(uint8_t *out, unsigned size, X64Mem m, X64Gpr src);

/*
 * mov dst, imm: the shortest form. size 8: `mov r32, imm32` (B8+r, zero-extends) when
 * 0 <= imm <= UINT32_MAX, else `mov r64, simm32` (REX.W C7 /0, sign-extends) when imm fits
 * int32, else movabs (REX.W B8+r imm64). size 4: B8+r imm32 (imm in int32 or uint32 range);
 * size 2: 66 B8+r imm16; size 1: B0+r imm8 (imm in the signed or unsigned range of size).
 * Max X64_MAX_MOV_RI.
 */
size_t x64_encode_mov_ri(uint8_t *out, unsigned size, X64Gpr dst, int64_t imm);

/* movabs dst, imm64 (REX.W B8+r), always 10 bytes with the imm64 in the last 8: the form
 * for absolute-address relocations. */
size_t x64_encode_movabs(uint8_t *out, X64Gpr dst, uint64_t imm);

/* Store an immediate: mov [m], imm (C6 /0 ib, C7 /0 iw/id; size 8 sign-extends an imm32).
 * imm is in the signed or unsigned range of size (int32 for size 8). Max X64_MAX_MI. */
size_t x64_encode_mov_mi(uint8_t *out, unsigned size, X64Mem m, int64_t imm);

/*
 * Zero/sign extension: movzx/movsx dst, src (0F B6/B7, 0F BE/BF) with src_size 1 or 2 and
 * dst_size 2/4/8 (> src_size); movsx with src_size 4 and dst_size 8 is movsxd (REX.W 63 /r).
 * movzx to 8 bytes is rarely needed: dst_size 4 already zero-extends into the full register.
 * Max X64_MAX_RR0F (_rr), X64_MAX_RM0F (_rm).
 */
size_t x64_encode_movzx_rr(uint8_t *out, unsigned dst_size, unsigned src_size, X64Gpr dst,
                           X64Gpr src);
size_t x64_encode_movzx_rm(uint8_t *out, unsigned dst_size, unsigned src_size, X64Gpr dst,
                           X64Mem m);
size_t x64_encode_movsx_rr(uint8_t *out, unsigned dst_size, unsigned src_size, X64Gpr dst,
                           X64Gpr src);
size_t x64_encode_movsx_rm(uint8_t *out, unsigned dst_size, unsigned src_size, X64Gpr dst,
                           X64Mem m);

/* lea dst, [m] (8D /r). size 4 or 8. Max X64_MAX_RM. */
SK_INLINE size_t x64_encode_lea(uint8_t *out, unsigned size, X64Gpr dst, X64Mem m);

/* xchg a, b (86/87 /r; never the 90+r short form, so xchg eax, eax still zero-extends).
 * size 1/2/4/8. Max X64_MAX_RR. */
size_t x64_encode_xchg_rr(uint8_t *out, unsigned size, X64Gpr a, X64Gpr b);

/* ---- integer arithmetic ---- */

/* op dst, src (the r/m, reg form: op*8 + 0/1). size 1/2/4/8. Max X64_MAX_RR. */
SK_INLINE size_t x64_encode_alu_rr(uint8_t *out, X64AluOp op, unsigned size, X64Gpr dst, X64Gpr src);

/* op dst, [m] (op*8 + 2/3). size 1/2/4/8. Max X64_MAX_RM. */
size_t x64_encode_alu_rm(uint8_t *out, X64AluOp op, unsigned size, X64Gpr dst, X64Mem m);

/* op [m], src (op*8 + 0/1). size 1/2/4/8. Max X64_MAX_RM. */
size_t x64_encode_alu_mr(uint8_t *out, X64AluOp op, unsigned size, X64Mem m, X64Gpr src);

/*
 * op dst, imm: 83 /op ib when imm fits int8 (size > 1), else the accumulator short form
 * (op*8 + 4/5) for rax, else 80/81 /op. size 8 sign-extends an imm32; sizes 1/2 accept the
 * signed or unsigned range of the size. Max X64_MAX_RI.
 */
size_t x64_encode_alu_ri(uint8_t *out, X64AluOp op, unsigned size, X64Gpr dst, int64_t imm);

/* op [m], imm: 83 /op ib when imm fits int8, else 80/81 /op. Max X64_MAX_MI. */
size_t x64_encode_alu_mi(uint8_t *out, X64AluOp op, unsigned size, X64Mem m, int64_t imm);

/* test a, b (84/85 /r). size 1/2/4/8. Max X64_MAX_RR. */
SK_INLINE size_t x64_encode_test_rr(uint8_t *out, unsigned size, X64Gpr a, X64Gpr b);

/* test [m], b (84/85 /r). Max X64_MAX_RM. */
size_t x64_encode_test_mr(uint8_t *out, unsigned size, X64Mem m, X64Gpr b);

/* test a, imm (A8/A9 for rax, else F6/F7 /0; test has no imm8 form). Max X64_MAX_RI. */
size_t x64_encode_test_ri(uint8_t *out, unsigned size, X64Gpr a, int64_t imm);

/* test [m], imm (F6/F7 /0). Max X64_MAX_MI. */
size_t x64_encode_test_mi(uint8_t *out, unsigned size, X64Mem m, int64_t imm);

/* inc/dec/not/neg/mul/imul/div/idiv r (FE/FF, F6/F7). size 1/2/4/8. Max X64_MAX_RR. */
size_t x64_encode_unary_r(uint8_t *out, X64UnaryOp op, unsigned size, X64Gpr r);

/* The same with a memory operand. Max X64_MAX_RM. */
size_t x64_encode_unary_m(uint8_t *out, X64UnaryOp op, unsigned size, X64Mem m);

/* imul dst, src (0F AF /r), size 2/4/8. Max X64_MAX_RR0F / X64_MAX_RM0F. */
size_t x64_encode_imul_rr(uint8_t *out, unsigned size, X64Gpr dst, X64Gpr src);
size_t x64_encode_imul_rm(uint8_t *out, unsigned size, X64Gpr dst, X64Mem m);

/* imul dst, src, imm (6B /r ib when imm fits int8, else 69 /r iw/id), size 2/4/8.
 * Max X64_MAX_IMUL_RRI / X64_MAX_IMUL_RMI. */
size_t x64_encode_imul_rri(uint8_t *out, unsigned size, X64Gpr dst, X64Gpr src, int64_t imm);
size_t x64_encode_imul_rmi(uint8_t *out, unsigned size, X64Gpr dst, X64Mem m, int64_t imm);

/* Sign-extend the accumulator into rdx before idiv: cwd (2), cdq (4), cqo (8). Max 2. */
size_t x64_encode_cdq(uint8_t *out, unsigned size);

/* shift/rotate r by cl (D2/D3 /op). size 1/2/4/8. Max X64_MAX_RR. */
size_t x64_encode_shift_rcl(uint8_t *out, X64ShiftOp op, unsigned size, X64Gpr r);

/* shift/rotate r by imm (D0/D1 /op for 1, else C0/C1 /op ib: imm8 trailing).
 * Max X64_MAX_RR + 1. */
size_t x64_encode_shift_ri(uint8_t *out, X64ShiftOp op, unsigned size, X64Gpr r, uint8_t imm);

/* lzcnt/tzcnt/popcnt/bsr/bsf dst, src (size 2/4/8). Max X64_MAX_POPCNT_RR / _RM. */
size_t x64_encode_bit_rr(uint8_t *out, X64BitOp op, unsigned size, X64Gpr dst, X64Gpr src);
size_t x64_encode_bit_rm(uint8_t *out, X64BitOp op, unsigned size, X64Gpr dst, X64Mem m);

/* bt r, bit (0F A3 /r) and bt r, imm8 (0F BA /4 ib), size 2/4/8. Max X64_MAX_RR0F (+1). */
size_t x64_encode_bt_rr(uint8_t *out, unsigned size, X64Gpr r, X64Gpr bit);
size_t x64_encode_bt_ri(uint8_t *out, unsigned size, X64Gpr r, uint8_t imm);

/* ---- conditions ---- */

/* setcc dst8 (0F 90+cc /0). Max 4. */
size_t x64_encode_setcc(uint8_t *out, X64Cond cc, X64Gpr dst);

/* cmovcc dst, src (0F 40+cc /r), size 2/4/8. Max X64_MAX_RR0F / X64_MAX_RM0F. */
size_t x64_encode_cmov_rr(uint8_t *out, X64Cond cc, unsigned size, X64Gpr dst, X64Gpr src);
size_t x64_encode_cmov_rm(uint8_t *out, X64Cond cc, unsigned size, X64Gpr dst, X64Mem m);

/* ---- control flow; rel is relative to the end of the instruction ---- */

/* jcc rel8 (70+cc). 2 bytes; the rel8 is the last byte. */
size_t x64_encode_jcc_rel8(uint8_t *out, X64Cond cc, int8_t rel);

/* jcc rel32 (0F 80+cc). 6 bytes; the rel32 is the last 4. */
size_t x64_encode_jcc_rel32(uint8_t *out, X64Cond cc, int32_t rel);

/* jmp rel8 (EB), 2 bytes; jmp rel32 (E9), 5 bytes, the rel32 is the last 4. */
size_t x64_encode_jmp_rel8(uint8_t *out, int8_t rel);
size_t x64_encode_jmp_rel32(uint8_t *out, int32_t rel);

/* call rel32 (E8), 5 bytes; the rel32 is the last 4. */
size_t x64_encode_call_rel32(uint8_t *out, int32_t rel);

/* jmp r / jmp [m] (FF /4), call r / call [m] (FF /2): 64-bit targets. Max 3 / X64_MAX_RM. */
size_t x64_encode_jmp_r(uint8_t *out, X64Gpr r);
size_t x64_encode_jmp_m(uint8_t *out, X64Mem m);
size_t x64_encode_call_r(uint8_t *out, X64Gpr r);
size_t x64_encode_call_m(uint8_t *out, X64Mem m);

/* ret (C3), ud2 (0F 0B), int3 (CC). */
size_t x64_encode_ret(uint8_t *out);
size_t x64_encode_ud2(uint8_t *out);
size_t x64_encode_int3(uint8_t *out);

/* push r / pop r (50+r / 58+r), 64-bit. Max 2. */
size_t x64_encode_push_r(uint8_t *out, X64Gpr r);
size_t x64_encode_pop_r(uint8_t *out, X64Gpr r);

/* push imm (6A ib when it fits int8, else 68 id), sign-extended to 64 bits. Max 5. */
size_t x64_encode_push_i(uint8_t *out, int32_t imm);

/* One nop instruction of exactly len bytes, 1 <= len <= X64_MAX_NOP (the multi-byte forms
 * recommended in the Intel SDM, vol. 2, NOP). */
size_t x64_encode_nop(uint8_t *out, size_t len);

/* Exactly len bytes of padding (any len) as a sequence of the longest nops: for alignment.
 * The caller guarantees room for len bytes. */
size_t x64_encode_nop_fill(uint8_t *out, size_t len);

/* ==== encode_sse.c: the XMM forms ========================================================
 *
 * One table describes every legacy-SSE instruction the backend uses: mandatory prefix,
 * opcode map, opcode, and the operand shape (its kind). A handful of functions, one per
 * operand shape, encode any entry whose kind allows that shape (checked by SK_ASSERT).
 *
 * Kinds (reg = the ModRM.reg operand, rm = the ModRM.r/m operand):
 *   RM    op xmm, xmm/mem             sse_rr, sse_rm
 *   RMI   op xmm, xmm/mem, imm8       sse_rri, sse_rmi
 *   RM0   op xmm, xmm/mem, <xmm0>     sse_rr, sse_rm   (blendv: xmm0 is implicit)
 *   MOV   load/store/copy             sse_rr, sse_rm, sse_mr  (store opcode in the table)
 *   MEM   64-bit half load/store      sse_rm, sse_mr
 *   RR    register only               sse_rr
 *   SHI   op xmm, imm8 (ModRM.reg = the digit)   sse_ri
 *   XG    op xmm, gpr/mem             sse_xg, sse_rm   (movd/movq to xmm, cvtsi2s*)
 *   XGI   op xmm, gpr/mem, imm8       sse_xgi, sse_rmi (pinsr*)
 *   GX    op gpr, xmm/mem             sse_gx, sse_gm   (cvt(t)s*2si)
 *   GXR   op gpr, xmm (register only) sse_gx           (movmsk*, pmovmskb)
 *   GXRI  op gpr, xmm, imm8 (reg only) sse_gxi         (pextrw C5)
 *   ST    op gpr/mem, xmm             sse_gx, sse_mr   (movd/movq from xmm)
 *   STI   op gpr/mem, xmm, imm8       sse_gxi, sse_mri (pextr*, extractps)
 * The gpr operand of the XG..STI kinds is 64-bit when the entry has W set, else 32-bit.
 *
 * Columns: name, mnemonic, prefix (0, 0x66, 0xF2, 0xF3), map (1 = 0F, 2 = 0F 38,
 * 3 = 0F 3A), opcode, aux (store opcode for MOV/MEM/ST... kinds: see below; the /digit for
 * SHI), W (REX.W), kind, memory operand size in bytes, ISA extension.
 * For MOV and MEM the aux column is the store opcode (same prefix and map, except that the
 * movq store is 66 0F D6: see encode_sse.c).
 */
#define X64_SSE_OPS(X)                                                                       \
    /* name          mnemonic       pfx   map op    aux  W kind  mem  isa */                 \
    /* moves */                                                                              \
    X(MOVSS,         "movss",       0xF3, 1, 0x10, 0x11, 0, MOV,  4,  SSE)                   \
    X(MOVSD,         "movsd",       0xF2, 1, 0x10, 0x11, 0, MOV,  8,  SSE2)                  \
    X(MOVAPS,        "movaps",      0x00, 1, 0x28, 0x29, 0, MOV,  16, SSE)                   \
    X(MOVUPS,        "movups",      0x00, 1, 0x10, 0x11, 0, MOV,  16, SSE)                   \
    X(MOVAPD,        "movapd",      0x66, 1, 0x28, 0x29, 0, MOV,  16, SSE2)                  \
    X(MOVUPD,        "movupd",      0x66, 1, 0x10, 0x11, 0, MOV,  16, SSE2)                  \
    X(MOVDQA,        "movdqa",      0x66, 1, 0x6F, 0x7F, 0, MOV,  16, SSE2)                  \
    X(MOVDQU,        "movdqu",      0xF3, 1, 0x6F, 0x7F, 0, MOV,  16, SSE2)                  \
    X(MOVQ,          "movq",        0xF3, 1, 0x7E, 0xD6, 0, MOV,  8,  SSE2)                  \
    X(MOVLPS,        "movlps",      0x00, 1, 0x12, 0x13, 0, MEM,  8,  SSE)                   \
    X(MOVHPS,        "movhps",      0x00, 1, 0x16, 0x17, 0, MEM,  8,  SSE)                   \
    X(MOVLPD,        "movlpd",      0x66, 1, 0x12, 0x13, 0, MEM,  8,  SSE2)                  \
    X(MOVHPD,        "movhpd",      0x66, 1, 0x16, 0x17, 0, MEM,  8,  SSE2)                  \
    X(MOVHLPS,       "movhlps",     0x00, 1, 0x12, 0,    0, RR,   0,  SSE)                   \
    X(MOVLHPS,       "movlhps",     0x00, 1, 0x16, 0,    0, RR,   0,  SSE)                   \
    X(MOVDDUP,       "movddup",     0xF2, 1, 0x12, 0,    0, RM,   8,  SSE3)                  \
    X(MOVD_XG,       "movd",        0x66, 1, 0x6E, 0,    0, XG,   4,  SSE2)                  \
    X(MOVQ_XG,       "movq",        0x66, 1, 0x6E, 0,    1, XG,   8,  SSE2)                  \
    X(MOVD_GX,       "movd",        0x66, 1, 0x7E, 0,    0, ST,   4,  SSE2)                  \
    X(MOVQ_GX,       "movq",        0x66, 1, 0x7E, 0,    1, ST,   8,  SSE2)                  \
    /* scalar float arithmetic and compares */                                               \
    X(ADDSS,         "addss",       0xF3, 1, 0x58, 0,    0, RM,   4,  SSE)                   \
    X(ADDSD,         "addsd",       0xF2, 1, 0x58, 0,    0, RM,   8,  SSE2)                  \
    X(SUBSS,         "subss",       0xF3, 1, 0x5C, 0,    0, RM,   4,  SSE)                   \
    X(SUBSD,         "subsd",       0xF2, 1, 0x5C, 0,    0, RM,   8,  SSE2)                  \
    X(MULSS,         "mulss",       0xF3, 1, 0x59, 0,    0, RM,   4,  SSE)                   \
    X(MULSD,         "mulsd",       0xF2, 1, 0x59, 0,    0, RM,   8,  SSE2)                  \
    X(DIVSS,         "divss",       0xF3, 1, 0x5E, 0,    0, RM,   4,  SSE)                   \
    X(DIVSD,         "divsd",       0xF2, 1, 0x5E, 0,    0, RM,   8,  SSE2)                  \
    X(MINSS,         "minss",       0xF3, 1, 0x5D, 0,    0, RM,   4,  SSE)                   \
    X(MINSD,         "minsd",       0xF2, 1, 0x5D, 0,    0, RM,   8,  SSE2)                  \
    X(MAXSS,         "maxss",       0xF3, 1, 0x5F, 0,    0, RM,   4,  SSE)                   \
    X(MAXSD,         "maxsd",       0xF2, 1, 0x5F, 0,    0, RM,   8,  SSE2)                  \
    X(SQRTSS,        "sqrtss",      0xF3, 1, 0x51, 0,    0, RM,   4,  SSE)                   \
    X(SQRTSD,        "sqrtsd",      0xF2, 1, 0x51, 0,    0, RM,   8,  SSE2)                  \
    X(UCOMISS,       "ucomiss",     0x00, 1, 0x2E, 0,    0, RM,   4,  SSE)                   \
    X(UCOMISD,       "ucomisd",     0x66, 1, 0x2E, 0,    0, RM,   8,  SSE2)                  \
    X(COMISS,        "comiss",      0x00, 1, 0x2F, 0,    0, RM,   4,  SSE)                   \
    X(COMISD,        "comisd",      0x66, 1, 0x2F, 0,    0, RM,   8,  SSE2)                  \
    X(CMPSS,         "cmpss",       0xF3, 1, 0xC2, 0,    0, RMI,  4,  SSE)                   \
    X(CMPSD,         "cmpsd",       0xF2, 1, 0xC2, 0,    0, RMI,  8,  SSE2)                  \
    X(ROUNDSS,       "roundss",     0x66, 3, 0x0A, 0,    0, RMI,  4,  SSE41)                 \
    X(ROUNDSD,       "roundsd",     0x66, 3, 0x0B, 0,    0, RMI,  8,  SSE41)                 \
    /* scalar conversions */                                                                 \
    X(CVTSS2SD,      "cvtss2sd",    0xF3, 1, 0x5A, 0,    0, RM,   4,  SSE2)                  \
    X(CVTSD2SS,      "cvtsd2ss",    0xF2, 1, 0x5A, 0,    0, RM,   8,  SSE2)                  \
    X(CVTSI2SS32,    "cvtsi2ss",    0xF3, 1, 0x2A, 0,    0, XG,   4,  SSE)                   \
    X(CVTSI2SS64,    "cvtsi2ss",    0xF3, 1, 0x2A, 0,    1, XG,   8,  SSE)                   \
    X(CVTSI2SD32,    "cvtsi2sd",    0xF2, 1, 0x2A, 0,    0, XG,   4,  SSE2)                  \
    X(CVTSI2SD64,    "cvtsi2sd",    0xF2, 1, 0x2A, 0,    1, XG,   8,  SSE2)                  \
    X(CVTTSS2SI32,   "cvttss2si",   0xF3, 1, 0x2C, 0,    0, GX,   4,  SSE)                   \
    X(CVTTSS2SI64,   "cvttss2si",   0xF3, 1, 0x2C, 0,    1, GX,   4,  SSE)                   \
    X(CVTTSD2SI32,   "cvttsd2si",   0xF2, 1, 0x2C, 0,    0, GX,   8,  SSE2)                  \
    X(CVTTSD2SI64,   "cvttsd2si",   0xF2, 1, 0x2C, 0,    1, GX,   8,  SSE2)                  \
    X(CVTSS2SI32,    "cvtss2si",    0xF3, 1, 0x2D, 0,    0, GX,   4,  SSE)                   \
    X(CVTSS2SI64,    "cvtss2si",    0xF3, 1, 0x2D, 0,    1, GX,   4,  SSE)                   \
    X(CVTSD2SI32,    "cvtsd2si",    0xF2, 1, 0x2D, 0,    0, GX,   8,  SSE2)                  \
    X(CVTSD2SI64,    "cvtsd2si",    0xF2, 1, 0x2D, 0,    1, GX,   8,  SSE2)                  \
    /* packed float */                                                                       \
    X(ADDPS,         "addps",       0x00, 1, 0x58, 0,    0, RM,   16, SSE)                   \
    X(ADDPD,         "addpd",       0x66, 1, 0x58, 0,    0, RM,   16, SSE2)                  \
    X(SUBPS,         "subps",       0x00, 1, 0x5C, 0,    0, RM,   16, SSE)                   \
    X(SUBPD,         "subpd",       0x66, 1, 0x5C, 0,    0, RM,   16, SSE2)                  \
    X(MULPS,         "mulps",       0x00, 1, 0x59, 0,    0, RM,   16, SSE)                   \
    X(MULPD,         "mulpd",       0x66, 1, 0x59, 0,    0, RM,   16, SSE2)                  \
    X(DIVPS,         "divps",       0x00, 1, 0x5E, 0,    0, RM,   16, SSE)                   \
    X(DIVPD,         "divpd",       0x66, 1, 0x5E, 0,    0, RM,   16, SSE2)                  \
    X(MINPS,         "minps",       0x00, 1, 0x5D, 0,    0, RM,   16, SSE)                   \
    X(MINPD,         "minpd",       0x66, 1, 0x5D, 0,    0, RM,   16, SSE2)                  \
    X(MAXPS,         "maxps",       0x00, 1, 0x5F, 0,    0, RM,   16, SSE)                   \
    X(MAXPD,         "maxpd",       0x66, 1, 0x5F, 0,    0, RM,   16, SSE2)                  \
    X(SQRTPS,        "sqrtps",      0x00, 1, 0x51, 0,    0, RM,   16, SSE)                   \
    X(SQRTPD,        "sqrtpd",      0x66, 1, 0x51, 0,    0, RM,   16, SSE2)                  \
    X(ANDPS,         "andps",       0x00, 1, 0x54, 0,    0, RM,   16, SSE)                   \
    X(ANDPD,         "andpd",       0x66, 1, 0x54, 0,    0, RM,   16, SSE2)                  \
    X(ANDNPS,        "andnps",      0x00, 1, 0x55, 0,    0, RM,   16, SSE)                   \
    X(ANDNPD,        "andnpd",      0x66, 1, 0x55, 0,    0, RM,   16, SSE2)                  \
    X(ORPS,          "orps",        0x00, 1, 0x56, 0,    0, RM,   16, SSE)                   \
    X(ORPD,          "orpd",        0x66, 1, 0x56, 0,    0, RM,   16, SSE2)                  \
    X(XORPS,         "xorps",       0x00, 1, 0x57, 0,    0, RM,   16, SSE)                   \
    X(XORPD,         "xorpd",       0x66, 1, 0x57, 0,    0, RM,   16, SSE2)                  \
    X(UNPCKLPS,      "unpcklps",    0x00, 1, 0x14, 0,    0, RM,   16, SSE)                   \
    X(UNPCKHPS,      "unpckhps",    0x00, 1, 0x15, 0,    0, RM,   16, SSE)                   \
    X(UNPCKLPD,      "unpcklpd",    0x66, 1, 0x14, 0,    0, RM,   16, SSE2)                  \
    X(UNPCKHPD,      "unpckhpd",    0x66, 1, 0x15, 0,    0, RM,   16, SSE2)                  \
    X(CMPPS,         "cmpps",       0x00, 1, 0xC2, 0,    0, RMI,  16, SSE)                   \
    X(CMPPD,         "cmppd",       0x66, 1, 0xC2, 0,    0, RMI,  16, SSE2)                  \
    X(SHUFPS,        "shufps",      0x00, 1, 0xC6, 0,    0, RMI,  16, SSE)                   \
    X(SHUFPD,        "shufpd",      0x66, 1, 0xC6, 0,    0, RMI,  16, SSE2)                  \
    X(ROUNDPS,       "roundps",     0x66, 3, 0x08, 0,    0, RMI,  16, SSE41)                 \
    X(ROUNDPD,       "roundpd",     0x66, 3, 0x09, 0,    0, RMI,  16, SSE41)                 \
    X(BLENDPS,       "blendps",     0x66, 3, 0x0C, 0,    0, RMI,  16, SSE41)                 \
    X(BLENDPD,       "blendpd",     0x66, 3, 0x0D, 0,    0, RMI,  16, SSE41)                 \
    X(BLENDVPS,      "blendvps",    0x66, 2, 0x14, 0,    0, RM0,  16, SSE41)                 \
    X(BLENDVPD,      "blendvpd",    0x66, 2, 0x15, 0,    0, RM0,  16, SSE41)                 \
    X(INSERTPS,      "insertps",    0x66, 3, 0x21, 0,    0, RMI,  4,  SSE41)                 \
    X(EXTRACTPS,     "extractps",   0x66, 3, 0x17, 0,    0, STI,  4,  SSE41)                 \
    X(MOVMSKPS,      "movmskps",    0x00, 1, 0x50, 0,    0, GXR,  0,  SSE)                   \
    X(MOVMSKPD,      "movmskpd",    0x66, 1, 0x50, 0,    0, GXR,  0,  SSE2)                  \
    /* packed conversions */                                                                 \
    X(CVTDQ2PS,      "cvtdq2ps",    0x00, 1, 0x5B, 0,    0, RM,   16, SSE2)                  \
    X(CVTPS2DQ,      "cvtps2dq",    0x66, 1, 0x5B, 0,    0, RM,   16, SSE2)                  \
    X(CVTTPS2DQ,     "cvttps2dq",   0xF3, 1, 0x5B, 0,    0, RM,   16, SSE2)                  \
    X(CVTPS2PD,      "cvtps2pd",    0x00, 1, 0x5A, 0,    0, RM,   8,  SSE2)                  \
    X(CVTPD2PS,      "cvtpd2ps",    0x66, 1, 0x5A, 0,    0, RM,   16, SSE2)                  \
    X(CVTDQ2PD,      "cvtdq2pd",    0xF3, 1, 0xE6, 0,    0, RM,   8,  SSE2)                  \
    X(CVTPD2DQ,      "cvtpd2dq",    0xF2, 1, 0xE6, 0,    0, RM,   16, SSE2)                  \
    X(CVTTPD2DQ,     "cvttpd2dq",   0x66, 1, 0xE6, 0,    0, RM,   16, SSE2)                  \
    /* packed integer, SSE2 (66 0F) */                                                       \
    X(PADDB,         "paddb",       0x66, 1, 0xFC, 0,    0, RM,   16, SSE2)                  \
    X(PADDW,         "paddw",       0x66, 1, 0xFD, 0,    0, RM,   16, SSE2)                  \
    X(PADDD,         "paddd",       0x66, 1, 0xFE, 0,    0, RM,   16, SSE2)                  \
    X(PADDQ,         "paddq",       0x66, 1, 0xD4, 0,    0, RM,   16, SSE2)                  \
    X(PADDSB,        "paddsb",      0x66, 1, 0xEC, 0,    0, RM,   16, SSE2)                  \
    X(PADDSW,        "paddsw",      0x66, 1, 0xED, 0,    0, RM,   16, SSE2)                  \
    X(PADDUSB,       "paddusb",     0x66, 1, 0xDC, 0,    0, RM,   16, SSE2)                  \
    X(PADDUSW,       "paddusw",     0x66, 1, 0xDD, 0,    0, RM,   16, SSE2)                  \
    X(PSUBB,         "psubb",       0x66, 1, 0xF8, 0,    0, RM,   16, SSE2)                  \
    X(PSUBW,         "psubw",       0x66, 1, 0xF9, 0,    0, RM,   16, SSE2)                  \
    X(PSUBD,         "psubd",       0x66, 1, 0xFA, 0,    0, RM,   16, SSE2)                  \
    X(PSUBQ,         "psubq",       0x66, 1, 0xFB, 0,    0, RM,   16, SSE2)                  \
    X(PSUBSB,        "psubsb",      0x66, 1, 0xE8, 0,    0, RM,   16, SSE2)                  \
    X(PSUBSW,        "psubsw",      0x66, 1, 0xE9, 0,    0, RM,   16, SSE2)                  \
    X(PSUBUSB,       "psubusb",     0x66, 1, 0xD8, 0,    0, RM,   16, SSE2)                  \
    X(PSUBUSW,       "psubusw",     0x66, 1, 0xD9, 0,    0, RM,   16, SSE2)                  \
    X(PMULLW,        "pmullw",      0x66, 1, 0xD5, 0,    0, RM,   16, SSE2)                  \
    X(PMULHW,        "pmulhw",      0x66, 1, 0xE5, 0,    0, RM,   16, SSE2)                  \
    X(PMULHUW,       "pmulhuw",     0x66, 1, 0xE4, 0,    0, RM,   16, SSE2)                  \
    X(PMULUDQ,       "pmuludq",     0x66, 1, 0xF4, 0,    0, RM,   16, SSE2)                  \
    X(PMADDWD,       "pmaddwd",     0x66, 1, 0xF5, 0,    0, RM,   16, SSE2)                  \
    X(PAVGB,         "pavgb",       0x66, 1, 0xE0, 0,    0, RM,   16, SSE2)                  \
    X(PAVGW,         "pavgw",       0x66, 1, 0xE3, 0,    0, RM,   16, SSE2)                  \
    X(PMINUB,        "pminub",      0x66, 1, 0xDA, 0,    0, RM,   16, SSE2)                  \
    X(PMAXUB,        "pmaxub",      0x66, 1, 0xDE, 0,    0, RM,   16, SSE2)                  \
    X(PMINSW,        "pminsw",      0x66, 1, 0xEA, 0,    0, RM,   16, SSE2)                  \
    X(PMAXSW,        "pmaxsw",      0x66, 1, 0xEE, 0,    0, RM,   16, SSE2)                  \
    X(PSADBW,        "psadbw",      0x66, 1, 0xF6, 0,    0, RM,   16, SSE2)                  \
    X(PCMPEQB,       "pcmpeqb",     0x66, 1, 0x74, 0,    0, RM,   16, SSE2)                  \
    X(PCMPEQW,       "pcmpeqw",     0x66, 1, 0x75, 0,    0, RM,   16, SSE2)                  \
    X(PCMPEQD,       "pcmpeqd",     0x66, 1, 0x76, 0,    0, RM,   16, SSE2)                  \
    X(PCMPGTB,       "pcmpgtb",     0x66, 1, 0x64, 0,    0, RM,   16, SSE2)                  \
    X(PCMPGTW,       "pcmpgtw",     0x66, 1, 0x65, 0,    0, RM,   16, SSE2)                  \
    X(PCMPGTD,       "pcmpgtd",     0x66, 1, 0x66, 0,    0, RM,   16, SSE2)                  \
    X(PAND,          "pand",        0x66, 1, 0xDB, 0,    0, RM,   16, SSE2)                  \
    X(PANDN,         "pandn",       0x66, 1, 0xDF, 0,    0, RM,   16, SSE2)                  \
    X(POR,           "por",         0x66, 1, 0xEB, 0,    0, RM,   16, SSE2)                  \
    X(PXOR,          "pxor",        0x66, 1, 0xEF, 0,    0, RM,   16, SSE2)                  \
    X(PSLLW,         "psllw",       0x66, 1, 0xF1, 0,    0, RM,   16, SSE2)                  \
    X(PSLLD,         "pslld",       0x66, 1, 0xF2, 0,    0, RM,   16, SSE2)                  \
    X(PSLLQ,         "psllq",       0x66, 1, 0xF3, 0,    0, RM,   16, SSE2)                  \
    X(PSRLW,         "psrlw",       0x66, 1, 0xD1, 0,    0, RM,   16, SSE2)                  \
    X(PSRLD,         "psrld",       0x66, 1, 0xD2, 0,    0, RM,   16, SSE2)                  \
    X(PSRLQ,         "psrlq",       0x66, 1, 0xD3, 0,    0, RM,   16, SSE2)                  \
    X(PSRAW,         "psraw",       0x66, 1, 0xE1, 0,    0, RM,   16, SSE2)                  \
    X(PSRAD,         "psrad",       0x66, 1, 0xE2, 0,    0, RM,   16, SSE2)                  \
    X(PSLLW_I,       "psllw",       0x66, 1, 0x71, 6,    0, SHI,  0,  SSE2)                  \
    X(PSLLD_I,       "pslld",       0x66, 1, 0x72, 6,    0, SHI,  0,  SSE2)                  \
    X(PSLLQ_I,       "psllq",       0x66, 1, 0x73, 6,    0, SHI,  0,  SSE2)                  \
    X(PSRLW_I,       "psrlw",       0x66, 1, 0x71, 2,    0, SHI,  0,  SSE2)                  \
    X(PSRLD_I,       "psrld",       0x66, 1, 0x72, 2,    0, SHI,  0,  SSE2)                  \
    X(PSRLQ_I,       "psrlq",       0x66, 1, 0x73, 2,    0, SHI,  0,  SSE2)                  \
    X(PSRAW_I,       "psraw",       0x66, 1, 0x71, 4,    0, SHI,  0,  SSE2)                  \
    X(PSRAD_I,       "psrad",       0x66, 1, 0x72, 4,    0, SHI,  0,  SSE2)                  \
    X(PSLLDQ,        "pslldq",      0x66, 1, 0x73, 7,    0, SHI,  0,  SSE2)                  \
    X(PSRLDQ,        "psrldq",      0x66, 1, 0x73, 3,    0, SHI,  0,  SSE2)                  \
    X(PUNPCKLBW,     "punpcklbw",   0x66, 1, 0x60, 0,    0, RM,   16, SSE2)                  \
    X(PUNPCKLWD,     "punpcklwd",   0x66, 1, 0x61, 0,    0, RM,   16, SSE2)                  \
    X(PUNPCKLDQ,     "punpckldq",   0x66, 1, 0x62, 0,    0, RM,   16, SSE2)                  \
    X(PUNPCKLQDQ,    "punpcklqdq",  0x66, 1, 0x6C, 0,    0, RM,   16, SSE2)                  \
    X(PUNPCKHBW,     "punpckhbw",   0x66, 1, 0x68, 0,    0, RM,   16, SSE2)                  \
    X(PUNPCKHWD,     "punpckhwd",   0x66, 1, 0x69, 0,    0, RM,   16, SSE2)                  \
    X(PUNPCKHDQ,     "punpckhdq",   0x66, 1, 0x6A, 0,    0, RM,   16, SSE2)                  \
    X(PUNPCKHQDQ,    "punpckhqdq",  0x66, 1, 0x6D, 0,    0, RM,   16, SSE2)                  \
    X(PACKSSWB,      "packsswb",    0x66, 1, 0x63, 0,    0, RM,   16, SSE2)                  \
    X(PACKSSDW,      "packssdw",    0x66, 1, 0x6B, 0,    0, RM,   16, SSE2)                  \
    X(PACKUSWB,      "packuswb",    0x66, 1, 0x67, 0,    0, RM,   16, SSE2)                  \
    X(PSHUFD,        "pshufd",      0x66, 1, 0x70, 0,    0, RMI,  16, SSE2)                  \
    X(PSHUFLW,       "pshuflw",     0xF2, 1, 0x70, 0,    0, RMI,  16, SSE2)                  \
    X(PSHUFHW,       "pshufhw",     0xF3, 1, 0x70, 0,    0, RMI,  16, SSE2)                  \
    X(PINSRW,        "pinsrw",      0x66, 1, 0xC4, 0,    0, XGI,  2,  SSE2)                  \
    X(PEXTRW,        "pextrw",      0x66, 1, 0xC5, 0,    0, GXRI, 0,  SSE2)                  \
    X(PMOVMSKB,      "pmovmskb",    0x66, 1, 0xD7, 0,    0, GXR,  0,  SSE2)                  \
    /* SSSE3 (66 0F 38, 66 0F 3A 0F) */                                                      \
    X(PSHUFB,        "pshufb",      0x66, 2, 0x00, 0,    0, RM,   16, SSSE3)                 \
    X(PHADDW,        "phaddw",      0x66, 2, 0x01, 0,    0, RM,   16, SSSE3)                 \
    X(PHADDD,        "phaddd",      0x66, 2, 0x02, 0,    0, RM,   16, SSSE3)                 \
    X(PMADDUBSW,     "pmaddubsw",   0x66, 2, 0x04, 0,    0, RM,   16, SSSE3)                 \
    X(PSIGNB,        "psignb",      0x66, 2, 0x08, 0,    0, RM,   16, SSSE3)                 \
    X(PSIGNW,        "psignw",      0x66, 2, 0x09, 0,    0, RM,   16, SSSE3)                 \
    X(PSIGND,        "psignd",      0x66, 2, 0x0A, 0,    0, RM,   16, SSSE3)                 \
    X(PMULHRSW,      "pmulhrsw",    0x66, 2, 0x0B, 0,    0, RM,   16, SSSE3)                 \
    X(PABSB,         "pabsb",       0x66, 2, 0x1C, 0,    0, RM,   16, SSSE3)                 \
    X(PABSW,         "pabsw",       0x66, 2, 0x1D, 0,    0, RM,   16, SSSE3)                 \
    X(PABSD,         "pabsd",       0x66, 2, 0x1E, 0,    0, RM,   16, SSSE3)                 \
    X(PALIGNR,       "palignr",     0x66, 3, 0x0F, 0,    0, RMI,  16, SSSE3)                 \
    /* SSE4.1 (66 0F 38, 66 0F 3A) */                                                        \
    X(PBLENDVB,      "pblendvb",    0x66, 2, 0x10, 0,    0, RM0,  16, SSE41)                 \
    X(PTEST,         "ptest",       0x66, 2, 0x17, 0,    0, RM,   16, SSE41)                 \
    X(PMOVSXBW,      "pmovsxbw",    0x66, 2, 0x20, 0,    0, RM,   8,  SSE41)                 \
    X(PMOVSXBD,      "pmovsxbd",    0x66, 2, 0x21, 0,    0, RM,   4,  SSE41)                 \
    X(PMOVSXBQ,      "pmovsxbq",    0x66, 2, 0x22, 0,    0, RM,   2,  SSE41)                 \
    X(PMOVSXWD,      "pmovsxwd",    0x66, 2, 0x23, 0,    0, RM,   8,  SSE41)                 \
    X(PMOVSXWQ,      "pmovsxwq",    0x66, 2, 0x24, 0,    0, RM,   4,  SSE41)                 \
    X(PMOVSXDQ,      "pmovsxdq",    0x66, 2, 0x25, 0,    0, RM,   8,  SSE41)                 \
    X(PMULDQ,        "pmuldq",      0x66, 2, 0x28, 0,    0, RM,   16, SSE41)                 \
    X(PCMPEQQ,       "pcmpeqq",     0x66, 2, 0x29, 0,    0, RM,   16, SSE41)                 \
    X(PACKUSDW,      "packusdw",    0x66, 2, 0x2B, 0,    0, RM,   16, SSE41)                 \
    X(PMOVZXBW,      "pmovzxbw",    0x66, 2, 0x30, 0,    0, RM,   8,  SSE41)                 \
    X(PMOVZXBD,      "pmovzxbd",    0x66, 2, 0x31, 0,    0, RM,   4,  SSE41)                 \
    X(PMOVZXBQ,      "pmovzxbq",    0x66, 2, 0x32, 0,    0, RM,   2,  SSE41)                 \
    X(PMOVZXWD,      "pmovzxwd",    0x66, 2, 0x33, 0,    0, RM,   8,  SSE41)                 \
    X(PMOVZXWQ,      "pmovzxwq",    0x66, 2, 0x34, 0,    0, RM,   4,  SSE41)                 \
    X(PMOVZXDQ,      "pmovzxdq",    0x66, 2, 0x35, 0,    0, RM,   8,  SSE41)                 \
    X(PMINSB,        "pminsb",      0x66, 2, 0x38, 0,    0, RM,   16, SSE41)                 \
    X(PMINSD,        "pminsd",      0x66, 2, 0x39, 0,    0, RM,   16, SSE41)                 \
    X(PMINUW,        "pminuw",      0x66, 2, 0x3A, 0,    0, RM,   16, SSE41)                 \
    X(PMINUD,        "pminud",      0x66, 2, 0x3B, 0,    0, RM,   16, SSE41)                 \
    X(PMAXSB,        "pmaxsb",      0x66, 2, 0x3C, 0,    0, RM,   16, SSE41)                 \
    X(PMAXSD,        "pmaxsd",      0x66, 2, 0x3D, 0,    0, RM,   16, SSE41)                 \
    X(PMAXUW,        "pmaxuw",      0x66, 2, 0x3E, 0,    0, RM,   16, SSE41)                 \
    X(PMAXUD,        "pmaxud",      0x66, 2, 0x3F, 0,    0, RM,   16, SSE41)                 \
    X(PMULLD,        "pmulld",      0x66, 2, 0x40, 0,    0, RM,   16, SSE41)                 \
    X(PBLENDW,       "pblendw",     0x66, 3, 0x0E, 0,    0, RMI,  16, SSE41)                 \
    X(PEXTRB,        "pextrb",      0x66, 3, 0x14, 0,    0, STI,  1,  SSE41)                 \
    X(PEXTRW_MEM,    "pextrw",      0x66, 3, 0x15, 0,    0, STI,  2,  SSE41)                 \
    X(PEXTRD,        "pextrd",      0x66, 3, 0x16, 0,    0, STI,  4,  SSE41)                 \
    X(PEXTRQ,        "pextrq",      0x66, 3, 0x16, 0,    1, STI,  8,  SSE41)                 \
    X(PINSRB,        "pinsrb",      0x66, 3, 0x20, 0,    0, XGI,  1,  SSE41)                 \
    X(PINSRD,        "pinsrd",      0x66, 3, 0x22, 0,    0, XGI,  4,  SSE41)                 \
    X(PINSRQ,        "pinsrq",      0x66, 3, 0x22, 0,    1, XGI,  8,  SSE41)                 \
    /* SSE4.2 */                                                                             \
    X(PCMPGTQ,       "pcmpgtq",     0x66, 2, 0x37, 0,    0, RM,   16, SSE42)

typedef enum X64SseOp {
#define X64_SSE_ENUM(name, ...) X64_SSE_##name,
    X64_SSE_OPS(X64_SSE_ENUM)
#undef X64_SSE_ENUM
    X64_SSE_COUNT
} X64SseOp;

/* Operand shapes of the SSE table (see above). */
typedef enum X64SseKind {
    X64_SK_RM, X64_SK_RMI, X64_SK_RM0, X64_SK_MOV, X64_SK_MEM, X64_SK_RR, X64_SK_SHI,
    X64_SK_XG, X64_SK_XGI, X64_SK_GX, X64_SK_GXR, X64_SK_GXRI, X64_SK_ST, X64_SK_STI,
    X64_SK_COUNT
} X64SseKind;

/* The instruction-set extension an instruction needs (the backend picks forms by these). */
typedef enum X64Isa {
    X64_ISA_SSE, X64_ISA_SSE2, X64_ISA_SSE3, X64_ISA_SSSE3, X64_ISA_SSE41, X64_ISA_SSE42,
    X64_ISA_COUNT
} X64Isa;

/* Predicates of cmpps/cmppd/cmpss/cmpsd (the imm8), legacy-SSE range 0-7. */
typedef enum X64CmpPred {
    X64_CMP_EQ, X64_CMP_LT, X64_CMP_LE, X64_CMP_UNORD,
    X64_CMP_NEQ, X64_CMP_NLT, X64_CMP_NLE, X64_CMP_ORD,
    X64_CMP_COUNT
} X64CmpPred;

/* Facts about an SSE table entry: its mnemonic, operand shape, memory operand size in
 * bytes (0 if it has no memory form), whether its gpr operand is 64-bit, and its ISA. */
const char *x64_sse_op_name(X64SseOp op);
X64SseKind x64_sse_op_kind(X64SseOp op);
unsigned x64_sse_op_mem_size(X64SseOp op);
bool x64_sse_op_is_wide(X64SseOp op);
X64Isa x64_sse_op_isa(X64SseOp op);

/* op dst, src: kinds RM, RM0, MOV, RR. Max X64_MAX_SSE. */
size_t x64_encode_sse_rr(uint8_t *out, X64SseOp op, X64Xmm dst, X64Xmm src);

/* op dst, [m]: kinds RM, RM0, MOV (load), MEM (load), XG (from memory). Max X64_MAX_SSE. */
size_t x64_encode_sse_rm(uint8_t *out, X64SseOp op, X64Xmm dst, X64Mem m);

/* op [m], src: kinds MOV (store), MEM (store), ST (to memory). Max X64_MAX_SSE. */
size_t x64_encode_sse_mr(uint8_t *out, X64SseOp op, X64Mem m, X64Xmm src);

/* op dst, src, imm8: kind RMI. Max X64_MAX_SSE; imm8 trailing. */
size_t x64_encode_sse_rri(uint8_t *out, X64SseOp op, X64Xmm dst, X64Xmm src, uint8_t imm);

/* op dst, [m], imm8: kinds RMI, XGI (from memory). Max X64_MAX_SSE; imm8 trailing. */
size_t x64_encode_sse_rmi(uint8_t *out, X64SseOp op, X64Xmm dst, X64Mem m, uint8_t imm);

/* op [m], src, imm8: kind STI (to memory). Max X64_MAX_SSE; imm8 trailing. */
size_t x64_encode_sse_mri(uint8_t *out, X64SseOp op, X64Mem m, X64Xmm src, uint8_t imm);

/* op dst, imm8 (shift by immediate): kind SHI. Max X64_MAX_SSE. */
size_t x64_encode_sse_ri(uint8_t *out, X64SseOp op, X64Xmm dst, uint8_t imm);

/* op xmm, gpr: kind XG (movd/movq to xmm, cvtsi2s*). Max X64_MAX_SSE. */
size_t x64_encode_sse_xg(uint8_t *out, X64SseOp op, X64Xmm dst, X64Gpr src);

/* op xmm, gpr, imm8: kind XGI (pinsr*). Max X64_MAX_SSE. */
size_t x64_encode_sse_xgi(uint8_t *out, X64SseOp op, X64Xmm dst, X64Gpr src, uint8_t imm);

/* op gpr, xmm: kinds GX, GXR, ST (movd/movq from xmm). Max X64_MAX_SSE. */
size_t x64_encode_sse_gx(uint8_t *out, X64SseOp op, X64Gpr dst, X64Xmm src);

/* op gpr, [m]: kind GX (cvt(t)s*2si from memory). Max X64_MAX_SSE. */
size_t x64_encode_sse_gm(uint8_t *out, X64SseOp op, X64Gpr dst, X64Mem m);

/* op gpr, xmm, imm8: kinds GXRI, STI (pextr*, extractps). Max X64_MAX_SSE. */
size_t x64_encode_sse_gxi(uint8_t *out, X64SseOp op, X64Gpr dst, X64Xmm src, uint8_t imm);

/* ---- shared by encode.c and encode_sse.c: the general instruction layout ---- */

/*
 * Flags of x64_emit_*: legacy prefixes, REX.W, and which operands are byte registers (so
 * that spl/bpl/sil/dil get a REX prefix).
 */
enum {
    X64_EF_66 = 1 << 0,      // operand-size or mandatory 66 prefix
    X64_EF_F2 = 1 << 1,      // mandatory F2 prefix
    X64_EF_F3 = 1 << 2,      // mandatory F3 prefix (after 66 when both are present)
    X64_EF_W = 1 << 3,       // REX.W
    X64_EF_BYTE_REG = 1 << 4, // the ModRM.reg operand is a byte register
    X64_EF_BYTE_RM = 1 << 5,  // the ModRM.r/m register operand is a byte register
};

/* Opcodes as (map << 8) | byte; map 0 = one-byte, 1 = 0F, 2 = 0F 38, 3 = 0F 3A. */
#define X64_OP(b) (b)
#define X64_OP0F(b) (0x100 | (b))
#define X64_OP0F38(b) (0x200 | (b))
#define X64_OP0F3A(b) (0x300 | (b))

/* Emits prefixes, REX, opcode and a register-direct ModRM (mod = 3); returns the length. */
size_t x64_emit_rr(uint8_t *out, unsigned flags, unsigned opcode, unsigned reg, unsigned rm);

/* Emits prefixes, REX, opcode, ModRM, SIB and displacement for the memory operand m. */
size_t x64_emit_rm(uint8_t *out, unsigned flags, unsigned opcode, unsigned reg, X64Mem m);

/* ---- the inline core: the layout above as straight-line code ----------------------------
 *
 * encode.c's forms are built on these, and the emitter's hot paths (moves, spills, loads,
 * stores, ALU) call them directly, so that the common instructions cost a few dozen host
 * instructions with no call and no generic branching. Each returns the advanced write
 * pointer and writes only inside the instruction it encodes (a byte written speculatively is
 * always overwritten by a later byte of the same instruction).
 */

/* Little-endian stores of an immediate or displacement; return the advanced pointer. */
SK_INLINE uint8_t *
x64_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
    return p + 4;
}

/* Prefix/REX flags of an operand size (1, 2, 4, 8); size 1 marks both register operands
 * as byte registers. */
SK_INLINE unsigned
x64_size_flags(unsigned size)
{
    SK_ASSERT(size == 1 || size == 2 || size == 4 || size == 8);
    return size == 8 ? X64_EF_W : size == 4 ? 0 : size == 2 ? X64_EF_66
                                                             : X64_EF_BYTE_REG | X64_EF_BYTE_RM;
}

/*
 * Legacy prefixes, REX and opcode bytes. `rex` holds the R/X/B bits (0x4 R, 0x2 X, 0x1 B),
 * plus 0x40 to force an empty REX (byte registers 4-7); REX.W comes from the flags (X64_EF_W
 * is REX.W's own bit). The REX byte comes last before the opcode (SDM 2.2.1).
 */
SK_INLINE uint8_t *
x64_put_head(uint8_t *p, unsigned flags, unsigned rex, unsigned opcode)
{
    if (SK_UNLIKELY(flags & (X64_EF_66 | X64_EF_F2 | X64_EF_F3))) {
        *p = 0x66;
        p += (flags & X64_EF_66) != 0;
        *p = 0xF2;
        p += (flags & X64_EF_F2) != 0;
        *p = 0xF3;
        p += (flags & X64_EF_F3) != 0;
    }
    rex |= flags & X64_EF_W;
    *p = (uint8_t)(0x40 | rex);
    p += rex != 0;
    if (SK_UNLIKELY(opcode > 0xFF)) {
        SK_ASSERT(opcode < 0x400);
        *p++ = 0x0F;
        if (opcode >= 0x200)
            *p++ = opcode >= 0x300 ? 0x3A : 0x38;
    }
    *p++ = (uint8_t)opcode;
    return p;
}

/* 0x40 when a byte-register operand is spl/bpl/sil/dil (register 4-7), which needs a REX. */
SK_INLINE unsigned
x64_byte_rex(unsigned flags, unsigned reg, unsigned rm)
{
    bool r = (flags & X64_EF_BYTE_REG) && reg - 4 < 4;
    bool m = (flags & X64_EF_BYTE_RM) && rm - 4 < 4;
    return r || m ? 0x40 : 0;
}

/* Prefixes, REX, opcode and a register-direct ModRM (mod = 3): `reg` is a register or a
 * /digit, `rm` a register. */
SK_INLINE uint8_t *
x64_put_rr(uint8_t *p, unsigned flags, unsigned opcode, unsigned reg, unsigned rm)
{
    SK_ASSERT(reg < 16 && rm < 16);
    unsigned rex = (reg >> 3) << 2 | rm >> 3;
    if (SK_UNLIKELY(flags & (X64_EF_BYTE_REG | X64_EF_BYTE_RM)))
        rex |= x64_byte_rex(flags, reg, rm);
    p = x64_put_head(p, flags, rex, opcode);
    *p++ = (uint8_t)(0xC0 | (reg & 7) << 3 | (rm & 7));
    return p;
}

/* The memory forms without a base register (absolute disp32, rip): encode.c. */
uint8_t *x64_put_rm_general(uint8_t *p, unsigned flags, unsigned opcode, unsigned reg, X64Mem m);

/*
 * Prefixes, REX, opcode, ModRM, SIB and displacement for `reg` and memory operand m. The
 * forms with a base register are inline ([base + disp] for spill slots, frame and VM-context
 * fields; [base + index*scale + disp] for wasm accesses): an index or rsp/r12 as base take a
 * SIB byte (rm = 100; no index is SIB index 100, i.e. 0x24 for rsp/r12), rbp/r13 with disp 0
 * a disp8 of 0 (SDM tables 2-2 and 2-3); no base and rip go to x64_put_rm_general.
 */
SK_INLINE uint8_t *
x64_put_rm(uint8_t *p, unsigned flags, unsigned opcode, unsigned reg, X64Mem m)
{
    if (SK_UNLIKELY(m.base >= 16))
        return x64_put_rm_general(p, flags, opcode, reg, m);
    SK_ASSERT(reg < 16);
    unsigned b = m.base & 7u;
    unsigned rex = (reg >> 3) << 2 | (unsigned)m.base >> 3;
    unsigned rm = b;
    unsigned sib = 0x24;  // no index, base rsp/r12
    unsigned has_sib = b == 4;
    if (m.index != X64_MEM_NONE) {
        SK_ASSERT(m.index < 16 && m.index != 4 && (m.scale & (m.scale - 1)) == 0 &&
                  m.scale - 1u < 8u);  // SIB index 100 means "none"
        rex |= ((unsigned)m.index >> 3) << 1;
        rm = 4;
        sib = ((unsigned)(m.scale >> 1) - (m.scale >> 3)) << 6 | (m.index & 7u) << 3 | b;
        has_sib = 1;
    }
    if (SK_UNLIKELY(flags & X64_EF_BYTE_REG))
        rex |= x64_byte_rex(flags, reg, 0);
    p = x64_put_head(p, flags, rex, opcode);
    unsigned modrm = (reg & 7) << 3 | rm;
    int32_t d = m.disp;
    p[1] = (uint8_t)sib;  // overwritten by the displacement when there is no SIB
    if (d == 0 && b != 5) {
        p[0] = (uint8_t)modrm;
        return p + 1 + has_sib;
    }
    if (x64_fits_i8(d)) {
        p[0] = (uint8_t)(0x40 | modrm);
        p[1 + has_sib] = (uint8_t)d;
        return p + 2 + has_sib;
    }
    p[0] = (uint8_t)(0x80 | modrm);
    return x64_put32(p + 1 + has_sib, (uint32_t)d);
}

/* ---- inline encoders ------------------------------------------------------------------------
 * The forms emission uses most (moves, loads and stores, lea, reg-reg ALU and test), declared
 * with the others above, are defined here so that they inline into the emitter, where sizes
 * and opcodes are mostly constants.
 */

SK_INLINE size_t
x64_encode_mov_rr(uint8_t *out, unsigned size, X64Gpr dst, X64Gpr src)
{
    return (size_t)(x64_put_rr(out, x64_size_flags(size), size == 1 ? 0x88 : 0x89, src, dst) -
                    out);
}

SK_INLINE size_t
x64_encode_mov_rm(uint8_t *out, unsigned size, X64Gpr dst, X64Mem m)
{
    return (size_t)(x64_put_rm(out, x64_size_flags(size), size == 1 ? 0x8A : 0x8B, dst, m) -
                    out);
}

SK_INLINE size_t
x64_encode_mov_mr(uint8_t *out, unsigned size, X64Mem m, X64Gpr src)
{
    return (size_t)(x64_put_rm(out, x64_size_flags(size), size == 1 ? 0x88 : 0x89, src, m) -
                    out);
}

SK_INLINE size_t
x64_encode_lea(uint8_t *out, unsigned size, X64Gpr dst, X64Mem m)
{
    SK_ASSERT(size == 4 || size == 8);
    return (size_t)(x64_put_rm(out, x64_size_flags(size), 0x8D, dst, m) - out);
}

SK_INLINE size_t
x64_encode_alu_rr(uint8_t *out, X64AluOp op, unsigned size, X64Gpr dst, X64Gpr src)
{
    SK_ASSERT(op < X64_ALU_COUNT);
    return (size_t)(x64_put_rr(out, x64_size_flags(size), op * 8u + (size == 1 ? 0 : 1), src,
                               dst) -
                    out);
}

SK_INLINE size_t
x64_encode_test_rr(uint8_t *out, unsigned size, X64Gpr a, X64Gpr b)
{
    return (size_t)(x64_put_rr(out, x64_size_flags(size), size == 1 ? 0x84 : 0x85, b, a) - out);
}

#endif
