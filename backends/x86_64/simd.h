/*
 * x86_64 SIMD128 internals shared by isel_simd.c (selection) and emit_simd.c (emission): the
 * multi-instruction sequences (X64V_*) that the MIR opcodes X64I_VSEQ, X64I_VLOAD and
 * X64I_VSTORE name, with the operand layout each one expects. Single instructions use
 * X64I_VOP / X64I_VUN / X64I_VCOP directly (regs.h). Used only inside backends/x86_64/.
 *
 * Operand modes of X64I_VSEQ (the selector picks one per sequence, the emitter relies on it):
 *   TIED  d(H) a(H) [b(L) [c(L)]]: the emitter first copies a into d (when they differ) and
 *         then works in d; b and c stay intact until the end. No temporaries.
 *   FREE  d a [b ...]: uses may share d's register; the emitter reads every use before it
 *         first writes d (it works in xmm15 until then). No temporaries.
 *   LATE  d [t ...] a(L) [b(L) ...]: every use is LATE, so d and the temporaries t (x = their
 *         number, each of the class its sequence needs) are distinct from every use.
 * xmm15 and r11 (the scratch registers) are free in every sequence.
 */
#ifndef SKUA_BACKENDS_X86_64_SIMD_H
#define SKUA_BACKENDS_X86_64_SIMD_H

#include "backends/x86_64/regs.h"

/* X64I_VSEQ sequences. `cc` and `imm` carry the sequence's parameters where noted; lanes
 * are wasm lane numbers. In the comments: a, b, c = the uses in order, t = temporaries. */
typedef enum X64VSeq {
    X64V_NONE = 0,
    /* splats: d xmm, a gpr (FREE) */
    X64V_SPLAT8, X64V_SPLAT16, X64V_SPLAT32, X64V_SPLAT64,
    /* a constant vector: imm = a pattern of cc bytes (1, 2, 4, 8), repeated (no uses) */
    X64V_SPLAT_CONST,
    /* extract_lane to a gpr: d gpr, a xmm (FREE); cc = lane */
    X64V_EXTRACT8_S, X64V_EXTRACT8_U, X64V_EXTRACT16_S, X64V_EXTRACT16_U, X64V_EXTRACT32,
    X64V_EXTRACT64,
    /* replace_lane: d(H) v(H) x(L) (TIED); cc = lane; x gpr for the integer shapes, xmm for
     * the float ones */
    X64V_REPLACE8, X64V_REPLACE16, X64V_REPLACE32, X64V_REPLACE64,
    X64V_REPLACE_F32,      // SSE2, lanes 1-3 (lane 0 is movss, SSE4.1 insertps)
    /* shuffles; imm = index of the 16 lane selectors in IrFunc.v128s (0-31: a then b) */
    X64V_SHUFFLE_PSHUFB,   // SSSE3, two sources: TIED d(H) a(H) b(L)
    X64V_SHUFFLE1_PSHUFB,  // SSSE3, one source a (selectors taken modulo 16): TIED
    X64V_SHUFFLE_WORDS,    // SSE2, selectors pair up into 16-bit lanes: FREE d a b
    X64V_SHUFFLE_MEM,      // SSE2, any selectors, through frame object disp: FREE d a b
    X64V_SWIZZLE_PSHUFB,   // SSSE3: TIED d(H) a(H) idx(L)
    X64V_SWIZZLE_MEM,      // SSE2, through frame object disp: FREE d a idx
    /* integer arithmetic */
    X64V_MUL32,            // SSE2 i32x4.mul: LATE d t a b
    X64V_MUL64,            // i64x2.mul: LATE d t a b
    X64V_NEG,              // FREE d a; imm = the psub op (X64SseOp)
    X64V_ABS8, X64V_ABS16, X64V_ABS32,  // SSE2: FREE d a
    X64V_ABS64,            // FREE d a
    X64V_MIN_S, X64V_MAX_S,       // SSE2 i8x16/i32x4: LATE d a b; imm = pcmpgtb/pcmpgtd
    X64V_MIN_U16, X64V_MAX_U16,   // SSE2: TIED d a b
    X64V_MIN_U32, X64V_MAX_U32,   // SSE2: LATE d t a b
    X64V_POPCNT_PSHUFB,    // SSSE3: LATE d t a
    X64V_POPCNT,           // SSE2: FREE d a
    /* shifts: constant count in cc (already masked, nonzero) or a gpr count (masked here) */
    X64V_SHL8_I, X64V_SHR_U8_I,  // TIED d a
    X64V_SHR_S8_I,         // FREE d a
    X64V_SHIFT8,           // LATE d t a count; imm = 0 shl, 1 shr_u, 2 shr_s
    X64V_SHIFT,            // TIED d a count(L); imm = the shift-by-xmm op, cc = lane bits
    X64V_SHR_S64_I,        // FREE d a
    X64V_SHR_S64,          // LATE d t a count
    /* comparisons */
    X64V_CMP_NOT,          // TIED d a b: op b (imm = X64SseOp), then not
    X64V_EQ64,             // SSE2 i64x2.eq: TIED d a b; cc = 1: ne
    X64V_GT64,             // no SSE4.2: LATE d t a b; cc = 1: not (le)
    X64V_CMP_MINMAX,       // FREE d a b: (minmax(a, b) == a); imm = minmax | eq << 16; cc = 1: not
    X64V_CMP_FLIP,         // TIED d a b: signed compare with flipped sign bits; imm = pcmpgt,
                           // cc = lane bytes | 0x80: not
    /* bitwise */
    X64V_BITSELECT,        // TIED d a b(L) mask(L)
    X64V_ANY_TRUE,         // FREE d gpr, a
    X64V_ALL_TRUE,         // FREE d gpr, a; cc = lane bytes
    X64V_BITMASK16,        // FREE d gpr, a
    X64V_MOVMSK,           // FREE d gpr, a; imm = pmovmskb/movmskps/movmskpd
    /* narrowing and widening */
    X64V_NARROW_U32,       // SSE2 i16x8.narrow_i32x4_u: LATE d t a b
    X64V_EXTEND,           // TIED d a; cc = src lane bytes | 0x10 high half | 0x20 signed
    X64V_EXTADD_S8_PMADDUBSW,  // SSSE3: LATE d a
    X64V_EXTADD_S8, X64V_EXTADD_U8,  // SSE2: FREE d a / TIED d a
    X64V_EXTADD_U16,       // TIED d a
    X64V_Q15MULR_PMULHRSW, // SSSE3: TIED d a b
    X64V_Q15MULR,          // SSE2: LATE d t a b
    X64V_EXTMUL8,          // i16x8 from i8: TIED d a b; cc = 0x10 high | 0x20 signed
    X64V_EXTMUL16,         // i32x4 from i16: TIED d a b; cc as EXTMUL8
    X64V_EXTMUL32_U,       // i64x2 from i32, unsigned or (SSE4.1 pmuldq) signed: FREE d a b; cc
                           // as EXTMUL8
    X64V_EXTMUL32_S,       // SSE2 signed: LATE d t t a b; cc as EXTMUL8
    /* float */
    X64V_FMIN, X64V_FMAX,  // LATE d a b; cc = 8: f64x2
    X64V_FROUND,           // SSE2 ceil/floor/trunc/nearest: LATE d t a; cc = roundps mode,
                           // | 0x80 for f64x2
    X64V_CVT_F32_U32,      // f32x4.convert_i32x4_u: FREE d a
    X64V_TRUNC_SAT_F32_S,  // FREE d a
    X64V_TRUNC_SAT_F32_U,  // LATE d t a
    X64V_TRUNC_SAT_F64_S,  // FREE d a
    X64V_TRUNC_SAT_F64_U,  // LATE d t a
    X64V_CVT_F64_U32,      // f64x2.convert_low_i32x4_u: TIED d a
    X64V_COUNT
} X64VSeq;

/* X64I_VLOAD kinds (cc): d base [index] [v(H)]; x = lane for the lane loads, which are TIED to
 * the vector operand v. X64I_VSTORE kinds (cc): base [index] v; x = lane. */
typedef enum X64VMem {
    X64VM_NONE = 0,
    X64VM_LOAD8X8_S, X64VM_LOAD8X8_U, X64VM_LOAD16X4_S, X64VM_LOAD16X4_U, X64VM_LOAD32X2_S,
    X64VM_LOAD32X2_U,
    X64VM_SPLAT8, X64VM_SPLAT16, X64VM_SPLAT32, X64VM_SPLAT64,
    X64VM_ZERO32, X64VM_ZERO64,
    X64VM_LANE8, X64VM_LANE16, X64VM_LANE32, X64VM_LANE64,
    X64VM_COUNT
} X64VMem;

/* Bytes of the frame object the SSE2 shuffle and swizzle sequences use: the two sources (or
 * the source and its indices) and the result, 16 bytes each. */
#define X64_SIMD_FRAME_BYTES 48u

#endif
