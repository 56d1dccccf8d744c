/*
 * x86_64 emission helpers shared by emit.c (scalar MIR, moves, branches), emit_simd.c
 * (SIMD128 MIR) and abi.c (prologue, epilogue, trampolines): appending one encoded
 * instruction, the scratch registers, an allocated operand's location as an encoder
 * register or memory operand, trap sites and short forward jumps. Used only inside
 * backends/x86_64/.
 */
#ifndef SKUA_BACKENDS_X86_64_EMIT_H
#define SKUA_BACKENDS_X86_64_EMIT_H

#include "backends/x86_64/regs.h"

/* Appends one encoded instruction: `p` is the write pointer inside `expr` (room for
 * X64_MAX_INSN bytes), which returns the instruction's length. */
#define E(expr)                                                                              \
    do {                                                                                     \
        uint8_t *p = cg_code_reserve(ctx, X64_MAX_INSN + 1);                                 \
        size_t n_ = (expr);                                                                  \
        cg_code_commit(ctx, n_);                                                             \
    } while (0)

/* The scratch registers (X64_SCRATCH_GPR/XMM): never allocated, free within one MIR
 * instruction or move. */
#define R11 X64_R11
#define X15 X64_XMM15

/* The encoder register of an allocated general-purpose location. */
SK_INLINE X64Gpr
G(CgLoc l)
{
    SK_ASSERT(cg_loc_is_reg(l) && !x64_is_xmm(l));
    return (X64Gpr)x64_hw(l);
}

/* The encoder register of an allocated xmm location. */
SK_INLINE X64Xmm
X(CgLoc l)
{
    SK_ASSERT(x64_is_xmm(l));
    return (X64Xmm)x64_hw(l);
}

/* The location of operand k of an allocated instruction. */
SK_INLINE CgLoc
opl(const CgCtx *ctx, const CgInst *in, uint32_t k)
{
    return cg_opnd_reg(ctx->func.opnds.data[in->ops + k]);
}

/* The memory operand of a memory-form instruction whose base is operand k (index at k + 1
 * with X64_MEM_HAS_INDEX, scale in y). */
SK_INLINE X64Mem
inst_mem(const CgCtx *ctx, const CgInst *in, uint32_t k)
{
    unsigned base = x64_hw(opl(ctx, in, k));
    if (in->y & X64_MEM_HAS_INDEX)
        return x64_mem_index(base, (X64Gpr)x64_hw(opl(ctx, in, k + 1)),
                             1u << ((in->y >> X64_MEM_SCALE_SHIFT) & 3), in->disp);
    return x64_mem(base, in->disp);
}

/* Records the current offset as a memory-access trap site when the instruction is one
 * (X64_MEM_TRAP: guard-region mode). */
SK_INLINE void
mem_trap(CgCtx *ctx, const CgInst *in)
{
    if (in->y & X64_MEM_TRAP)
        cg_trap_record(ctx, cg_code_offset(ctx), RT_TRAP_MEMORY_OOB);
}

/* A short forward jcc/jmp inside one instruction's expansion: returns the offset of its
 * rel8, which bind8() patches to the current offset (at most 127 bytes on). */
SK_INLINE uint32_t
jcc8(CgCtx *ctx, X64Cond cc)
{
    E(x64_encode_jcc_rel8(p, cc, 0));
    return cg_code_offset(ctx) - 1;
}

SK_INLINE uint32_t
jmp8(CgCtx *ctx)
{
    E(x64_encode_jmp_rel8(p, 0));
    return cg_code_offset(ctx) - 1;
}

SK_INLINE void
bind8(CgCtx *ctx, uint32_t at)
{
    if (ctx->code_failed)
        return;
    int64_t d = (int64_t)cg_code_offset(ctx) - (at + 1);
    SK_ASSERT(d >= 0 && d <= 127);
    ctx->code[at] = (uint8_t)d;
}

#endif
