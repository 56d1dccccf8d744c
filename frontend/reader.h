/*
 * The frontend's checked byte reader (private to frontend/). Every read is bounds-checked
 * against `end`; the first failure fills the SkDiag with the offending byte's offset and the
 * spec testsuite's wording, sets `failed`, and every later read fails too (STYLE.md section
 * 6). The fast paths (one-byte LEB128s, opcodes) are inline; the rest is in reader.c.
 *
 * Lengths follow the reference interpreter: a length or count that exceeds the bytes left in
 * the input (counted from the length's own first byte) is "length out of bounds", and
 * sections are not hard read limits: their size is checked after their contents
 * ("section size mismatch"). That keeps the testsuite's error wording exact and bounds every
 * allocation by the input size.
 */
#ifndef SKUA_FRONTEND_READER_H
#define SKUA_FRONTEND_READER_H

#include "frontend/frontend.h"

typedef struct FeReader {
    const uint8_t *p;     // next byte
    const uint8_t *end;   // reads never go past this byte
    const uint8_t *base;  // start of the input: diagnostics report p - base
    SkDiag *diag;         // NULL: failures only set `failed` (the name section parser)
    uint32_t func_index;  // for diagnostics; SK_DIAG_NO_FUNC outside function bodies
    bool failed;
} FeReader;

/* Maximum number of locals (parameters included) in one function; V8 uses the same. */
#define FE_MAX_LOCALS 50000u
/*
 * Maximum operand stack height while validating. The spec has no limit, but without one a
 * few bytes of code (calls of a function with thousands of results, repeated) would make
 * the validator's memory grow quadratically with the input. Real code stays far below.
 */
#define FE_MAX_OPERAND_STACK (1u << 20)

SK_INLINE void
fe_reader_init(FeReader *r, const uint8_t *base, const uint8_t *p, const uint8_t *end,
               SkDiag *diag)
{
    r->p = p;
    r->end = end;
    r->base = base;
    r->diag = diag;
    r->func_index = SK_DIAG_NO_FUNC;
    r->failed = false;
}

/* reader.c */

/* Records a failure at byte `at` (first error wins), makes every later read fail, and
 * returns false. */
bool fe_fail(FeReader *r, const uint8_t *at, SkDiagKind kind, const char *fmt, ...)
    SK_PRINTF(4, 5) __attribute__((cold, noinline));
/* "unexpected end of section or function" at r->p. */
bool fe_fail_eof(FeReader *r) __attribute__((cold, noinline));
bool fe_read_u32_slow(FeReader *r, uint32_t *out);
bool fe_read_sleb_slow(FeReader *r, unsigned bits, int64_t *out);
/* True if s[0..n) is well-formed UTF-8 (no overlongs, surrogates or code points > 10FFFF). */
bool fe_utf8_is_valid(const uint8_t *s, size_t n);
/* Reads a value type byte: "malformed value type" (or "integer representation too long"). */
bool fe_read_valtype(FeReader *r, uint8_t *out);
/* Reads a reference type byte: "malformed reference type". */
bool fe_read_reftype(FeReader *r, uint8_t *out);

SK_INLINE bool
fe_is_valtype(uint8_t b)
{
    return (b >= FE_VT_V128 && b <= FE_VT_I32) || b == FE_VT_FUNCREF || b == FE_VT_EXTERNREF;
}

SK_INLINE bool
fe_is_reftype(uint8_t b)
{
    return b == FE_VT_FUNCREF || b == FE_VT_EXTERNREF;
}

SK_INLINE bool
fe_read_u8(FeReader *r, uint8_t *out)
{
    if (SK_UNLIKELY(r->p >= r->end)) {
        *out = 0;
        return fe_fail_eof(r);
    }
    *out = *r->p++;
    return true;
}

SK_INLINE bool
fe_read_u32(FeReader *r, uint32_t *out)
{
    if (SK_LIKELY(r->p < r->end && *r->p < 0x80)) {
        *out = *r->p++;
        return true;
    }
    return fe_read_u32_slow(r, out);
}

SK_INLINE bool
fe_read_s32(FeReader *r, int32_t *out)
{
    if (SK_LIKELY(r->p < r->end && *r->p < 0x80)) {
        *out = (int32_t)(*r->p++ ^ 0x40) - 0x40;
        return true;
    }
    int64_t v;
    bool ok = fe_read_sleb_slow(r, 32, &v);
    *out = (int32_t)v;
    return ok;
}

SK_INLINE bool
fe_read_s64(FeReader *r, int64_t *out)
{
    if (SK_LIKELY(r->p < r->end && *r->p < 0x80)) {
        *out = (int64_t)(*r->p++ ^ 0x40) - 0x40;
        return true;
    }
    return fe_read_sleb_slow(r, 64, out);
}

/*
 * Reads a length or a vector count (u32). It must not exceed the bytes left from the
 * length's first byte on: every element of a vector takes at least one byte, so this bounds
 * what a caller allocates for it by the input size.
 */
SK_INLINE bool
fe_read_len(FeReader *r, uint32_t *out)
{
    const uint8_t *at = r->p;
    if (!fe_read_u32(r, out))
        return false;
    if (SK_UNLIKELY(*out > (size_t)(r->end - at)))
        return fe_fail(r, at, SK_DIAG_MALFORMED,
                       "length out of bounds: %u declared, %zu bytes left", *out,
                       (size_t)(r->end - at));
    return true;
}

/* Reads n raw bytes; *out points into the input. */
SK_INLINE bool
fe_read_bytes(FeReader *r, size_t n, const uint8_t **out)
{
    if (SK_UNLIKELY(n > (size_t)(r->end - r->p))) {
        *out = NULL;
        r->p = r->end;
        return fe_fail_eof(r);
    }
    *out = r->p;
    r->p += n;
    return true;
}

/* Reads one byte that must be zero (the memory index of 2.0 memory instructions). */
SK_INLINE bool
fe_read_zero_byte(FeReader *r)
{
    const uint8_t *at = r->p;
    uint8_t b;
    if (!fe_read_u8(r, &b))
        return false;
    if (SK_UNLIKELY(b != 0))
        return fe_fail(r, at, SK_DIAG_MALFORMED, "zero byte expected, found 0x%02x", b);
    return true;
}

/*
 * Decodes one instruction with every check a malformed body needs: legal opcode (and its
 * feature enabled in `features`), well-formed LEB128 immediates, zero bytes, value and
 * reference types, enough bytes left. Nothing about types or indices: that is validation.
 * Returns false with the diagnostic recorded.
 */
SK_INLINE bool
fe_instr_decode(FeReader *r, uint32_t features, FeInstr *out)
{
    const uint8_t *at = r->p;
    if (SK_UNLIKELY(r->p >= r->end))
        return fe_fail_eof(r);
    uint32_t b = *r->p++;
    FeOp op = (FeOp)fe_op_by_key[b];
    if (SK_UNLIKELY(b >= 0xFC)) {
        uint32_t sub;
        if (b != 0xFC && b != 0xFD)
            return fe_fail(r, at, SK_DIAG_MALFORMED, "illegal opcode 0x%02x", b);
        if (!fe_read_u32(r, &sub))
            return false;
        op = fe_op_lookup(b, sub);
        if (op == FE_OP_NONE)
            return fe_fail(r, at, SK_DIAG_MALFORMED, "illegal opcode 0x%02x 0x%x", b, sub);
    } else if (SK_UNLIKELY(op == FE_OP_NONE)) {
        return fe_fail(r, at, SK_DIAG_MALFORMED, "illegal opcode 0x%02x", b);
    }
    const FeOpInfo *info = &fe_op_info[op];
    if (SK_UNLIKELY(info->feature & ~features))
        return fe_fail(r, at, SK_DIAG_MALFORMED, "illegal opcode: %s (feature disabled)",
                       info->name);
    out->op = (uint16_t)op;
    switch ((FeImm)info->imm) {
    case FE_IMM_NONE:
        return true;
    case FE_IMM_BLOCK: {
        if (SK_UNLIKELY(r->p >= r->end))
            return fe_fail_eof(r);
        uint8_t t = *r->p;
        if (t == 0x40) {
            out->v.block_type = FE_BLOCKTYPE_EMPTY;
            r->p++;
            return true;
        }
        if ((t & 0xC0) == 0x40) {
            if (SK_UNLIKELY(!fe_is_valtype(t)))
                return fe_fail(r, r->p, SK_DIAG_MALFORMED, "malformed value type 0x%02x", t);
            out->v.block_type = (int64_t)t - 0x80;
            r->p++;
            return true;
        }
        int64_t v;
        if (!fe_read_sleb_slow(r, 33, &v))
            return false;
        out->v.block_type = v < 0 ? FE_BLOCKTYPE_INVALID : v;
        return true;
    }
    case FE_IMM_LABEL:
    case FE_IMM_FUNC:
    case FE_IMM_LOCAL:
    case FE_IMM_GLOBAL:
    case FE_IMM_TABLE:
    case FE_IMM_DATA:
    case FE_IMM_ELEM:
        return fe_read_u32(r, &out->idx);
    case FE_IMM_BR_TABLE: {
        uint32_t n, t;
        if (!fe_read_len(r, &n))
            return false;
        out->v.count = n;
        out->ptr = r->p;
        for (uint32_t i = 0; i < n; i++)
            if (!fe_read_u32(r, &t))
                return false;
        return fe_read_u32(r, &out->idx);
    }
    case FE_IMM_CALL_INDIRECT:
    case FE_IMM_ELEM_TABLE:
    case FE_IMM_TABLE_TABLE:
        return fe_read_u32(r, &out->idx) && fe_read_u32(r, &out->idx2);
    case FE_IMM_MEMARG:
    case FE_IMM_MEMARG_LANE: {
        uint32_t offset;
        if (!fe_read_u32(r, &out->align) || !fe_read_u32(r, &offset))
            return false;
        out->v.offset = offset;
        out->idx = 0;
        if (info->imm == FE_IMM_MEMARG_LANE)
            return fe_read_u8(r, &out->lane);
        return true;
    }
    case FE_IMM_I32:
        return fe_read_s32(r, &out->v.i32);
    case FE_IMM_I64:
        return fe_read_s64(r, &out->v.i64);
    case FE_IMM_F32: {
        const uint8_t *q;
        if (!fe_read_bytes(r, 4, &q))
            return false;
        out->v.f32_bits = fe_le32(q);
        return true;
    }
    case FE_IMM_F64: {
        const uint8_t *q;
        if (!fe_read_bytes(r, 8, &q))
            return false;
        out->v.f64_bits = fe_le64(q);
        return true;
    }
    case FE_IMM_V128:
    case FE_IMM_SHUFFLE:
        return fe_read_bytes(r, 16, &out->ptr);
    case FE_IMM_LANE:
        return fe_read_u8(r, &out->lane);
    case FE_IMM_REF_TYPE: {
        uint8_t t;
        if (!fe_read_reftype(r, &t))
            return false;
        out->idx = t;
        return true;
    }
    case FE_IMM_SELECT_T: {
        uint32_t n;
        uint8_t t;
        if (!fe_read_len(r, &n))
            return false;
        out->v.count = n;
        out->ptr = r->p;
        for (uint32_t i = 0; i < n; i++)
            if (!fe_read_valtype(r, &t))
                return false;
        return true;
    }
    case FE_IMM_MEMORY:
        out->idx = 0;
        return fe_read_zero_byte(r);
    case FE_IMM_MEMORY_MEMORY:
        out->idx = out->idx2 = 0;
        return fe_read_zero_byte(r) && fe_read_zero_byte(r);
    case FE_IMM_DATA_MEMORY:
        out->idx2 = 0;
        return fe_read_u32(r, &out->idx) && fe_read_zero_byte(r);
    case FE_IMM_COUNT:
        break;
    }
    sk_unreachable();
}

#endif
