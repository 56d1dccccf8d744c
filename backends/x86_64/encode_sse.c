/*
 * x86_64 machine-code encoder: the XMM forms (SSE through SSE4.2, legacy encodings), scalar
 * float and SIMD128 alike. Every instruction is a row of X64_SSE_OPS in x64.h; the functions
 * here are one per operand shape and differ only in which operand goes into ModRM.reg and
 * ModRM.r/m and whether an imm8 follows. The byte layout (prefix, REX, 0F map, ModRM, SIB,
 * displacement) is encode.c's x64_emit_rr/x64_emit_rm. Pure, like every encoder form.
 */
#include "backends/x86_64/x64.h"

/* One row of X64_SSE_OPS, as the encoder needs it. */
typedef struct SseInfo {
    char name[12];    // mnemonic, inline so that the table holds no pointers (.rodata)
    uint8_t prefix;   // 0, 0x66, 0xF2 or 0xF3
    uint8_t map;      // 1 = 0F, 2 = 0F 38, 3 = 0F 3A
    uint8_t opcode;
    uint8_t aux;      // store opcode (MOV, MEM) or ModRM digit (SHI)
    uint8_t wide;     // REX.W: the gpr operand is 64-bit
    uint8_t kind;     // X64SseKind
    uint8_t mem_size; // bytes read or written by the memory form, 0 if none
    uint8_t isa;      // X64Isa
} SseInfo;

static const SseInfo sse_ops[X64_SSE_COUNT] = {
#define X64_SSE_ROW(nm, mn, pfx, mp, op, ax, w, kd, mem, is)                                  \
    [X64_SSE_##nm] = { mn, pfx, mp, op, ax, w, X64_SK_##kd, mem, X64_ISA_##is },
    X64_SSE_OPS(X64_SSE_ROW)
#undef X64_SSE_ROW
};

const char *
x64_sse_op_name(X64SseOp op)
{
    SK_ASSERT(op < X64_SSE_COUNT);
    return sse_ops[op].name;
}

X64SseKind
x64_sse_op_kind(X64SseOp op)
{
    SK_ASSERT(op < X64_SSE_COUNT);
    return (X64SseKind)sse_ops[op].kind;
}

unsigned
x64_sse_op_mem_size(X64SseOp op)
{
    SK_ASSERT(op < X64_SSE_COUNT);
    return sse_ops[op].mem_size;
}

bool
x64_sse_op_is_wide(X64SseOp op)
{
    SK_ASSERT(op < X64_SSE_COUNT);
    return sse_ops[op].wide != 0;
}

X64Isa
x64_sse_op_isa(X64SseOp op)
{
    SK_ASSERT(op < X64_SSE_COUNT);
    return (X64Isa)sse_ops[op].isa;
}

/* Bit of a kind in the `kinds` mask of row(). */
#define K(kind) (1u << X64_SK_##kind)

/* The row of op, asserting that its kind is in the mask `kinds` (the shapes a form takes). */
static const SseInfo *
row(X64SseOp op, unsigned kinds)
{
    SK_ASSERT(op < X64_SSE_COUNT);
    const SseInfo *s = &sse_ops[op];
    SK_ASSERT(kinds & (1u << s->kind));
    return s;
}

/* x64_emit_* flags for a row: its mandatory prefix and REX.W. */
static unsigned
row_flags(const SseInfo *s)
{
    unsigned flags = s->wide ? X64_EF_W : 0;
    switch (s->prefix) {
    case 0x66:
        return flags | X64_EF_66;
    case 0xF2:
        return flags | X64_EF_F2;
    case 0xF3:
        return flags | X64_EF_F3;
    default:
        return flags;
    }
}

static inline unsigned
row_opcode(const SseInfo *s)
{
    return (unsigned)s->map << 8 | s->opcode;
}

/* Debug builds check every form's length against X64_MAX_SSE (x64.h). */
static inline size_t
checked(size_t n)
{
#ifndef NDEBUG
    SK_ASSERT(n <= X64_MAX_SSE);
#endif
    return n;
}

/* Appends the imm8 at out[n] and returns the new length. */
static inline size_t
with_imm8(uint8_t *out, size_t n, uint8_t imm)
{
    out[n] = imm;
    return checked(n + 1);
}

size_t
x64_encode_sse_rr(uint8_t *out, X64SseOp op, X64Xmm dst, X64Xmm src)
{
    const SseInfo *s = row(op, K(RM) | K(RM0) | K(MOV) | K(RR));
    return checked(x64_emit_rr(out, row_flags(s), row_opcode(s), dst, src));
}

size_t
x64_encode_sse_rm(uint8_t *out, X64SseOp op, X64Xmm dst, X64Mem m)
{
    const SseInfo *s = row(op, K(RM) | K(RM0) | K(MOV) | K(MEM) | K(XG));
    return checked(x64_emit_rm(out, row_flags(s), row_opcode(s), dst, m));
}

size_t
x64_encode_sse_mr(uint8_t *out, X64SseOp op, X64Mem m, X64Xmm src)
{
    const SseInfo *s = row(op, K(MOV) | K(MEM) | K(ST));
    unsigned flags = row_flags(s);
    unsigned opcode = row_opcode(s);
    if (s->kind != X64_SK_ST) {
        opcode = (unsigned)s->map << 8 | s->aux;
        if (op == X64_SSE_MOVQ)
            flags = X64_EF_66; // movq m64, xmm is 66 0F D6, not F3 like the load
    }
    return checked(x64_emit_rm(out, flags, opcode, src, m));
}

size_t
x64_encode_sse_rri(uint8_t *out, X64SseOp op, X64Xmm dst, X64Xmm src, uint8_t imm)
{
    const SseInfo *s = row(op, K(RMI));
    if (op == X64_SSE_CMPPS || op == X64_SSE_CMPPD || op == X64_SSE_CMPSS ||
        op == X64_SSE_CMPSD)
        SK_ASSERT(imm < X64_CMP_COUNT); // predicates 8-31 exist only with VEX
    size_t n = x64_emit_rr(out, row_flags(s), row_opcode(s), dst, src);
    return with_imm8(out, n, imm);
}

size_t
x64_encode_sse_rmi(uint8_t *out, X64SseOp op, X64Xmm dst, X64Mem m, uint8_t imm)
{
    const SseInfo *s = row(op, K(RMI) | K(XGI));
    if (op == X64_SSE_CMPPS || op == X64_SSE_CMPPD || op == X64_SSE_CMPSS ||
        op == X64_SSE_CMPSD)
        SK_ASSERT(imm < X64_CMP_COUNT);
    size_t n = x64_emit_rm(out, row_flags(s), row_opcode(s), dst, m);
    return with_imm8(out, n, imm);
}

size_t
x64_encode_sse_mri(uint8_t *out, X64SseOp op, X64Mem m, X64Xmm src, uint8_t imm)
{
    const SseInfo *s = row(op, K(STI));
    size_t n = x64_emit_rm(out, row_flags(s), row_opcode(s), src, m);
    return with_imm8(out, n, imm);
}

size_t
x64_encode_sse_ri(uint8_t *out, X64SseOp op, X64Xmm dst, uint8_t imm)
{
    const SseInfo *s = row(op, K(SHI));
    size_t n = x64_emit_rr(out, row_flags(s), row_opcode(s), s->aux, dst);
    return with_imm8(out, n, imm);
}

size_t
x64_encode_sse_xg(uint8_t *out, X64SseOp op, X64Xmm dst, X64Gpr src)
{
    const SseInfo *s = row(op, K(XG));
    return checked(x64_emit_rr(out, row_flags(s), row_opcode(s), dst, src));
}

size_t
x64_encode_sse_xgi(uint8_t *out, X64SseOp op, X64Xmm dst, X64Gpr src, uint8_t imm)
{
    const SseInfo *s = row(op, K(XGI));
    size_t n = x64_emit_rr(out, row_flags(s), row_opcode(s), dst, src);
    return with_imm8(out, n, imm);
}

size_t
x64_encode_sse_gx(uint8_t *out, X64SseOp op, X64Gpr dst, X64Xmm src)
{
    const SseInfo *s = row(op, K(GX) | K(GXR) | K(ST));
    // GX and GXR put the gpr in ModRM.reg; ST (movd/movq r/m, xmm) puts it in r/m.
    size_t n = s->kind == X64_SK_ST ? x64_emit_rr(out, row_flags(s), row_opcode(s), src, dst)
                                    : x64_emit_rr(out, row_flags(s), row_opcode(s), dst, src);
    return checked(n);
}

size_t
x64_encode_sse_gm(uint8_t *out, X64SseOp op, X64Gpr dst, X64Mem m)
{
    const SseInfo *s = row(op, K(GX));
    return checked(x64_emit_rm(out, row_flags(s), row_opcode(s), dst, m));
}

size_t
x64_encode_sse_gxi(uint8_t *out, X64SseOp op, X64Gpr dst, X64Xmm src, uint8_t imm)
{
    const SseInfo *s = row(op, K(GXRI) | K(STI));
    // pextrw C5 (GXRI) puts the gpr in ModRM.reg; the SSE4.1 pextr* (STI) put it in r/m.
    size_t n = s->kind == X64_SK_STI ? x64_emit_rr(out, row_flags(s), row_opcode(s), src, dst)
                                     : x64_emit_rr(out, row_flags(s), row_opcode(s), dst, src);
    return with_imm8(out, n, imm);
}
