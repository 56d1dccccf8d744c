/*
 * WebAssembly opcodes and one-instruction decoding, expanded from frontend/wasm_ops.def.
 * Included by frontend.h; the IR translator, the disassembler and the tests use it directly.
 *
 * Two readers exist. fe_instr_read() (ops.c) checks everything and reports malformed input
 * through SkDiag; the validator uses the same code inline. fe_instr_read_trusted() below
 * checks nothing and is meant for bodies that fe_module_validate_code() has accepted: it
 * is the translator's fast path. Both fill the same FeInstr.
 */
#ifndef SKUA_FRONTEND_WASM_OPS_H
#define SKUA_FRONTEND_WASM_OPS_H

#include <string.h>

#include "ir/common.h"

/* One enumerator per row of wasm_ops.def, in table order. */
typedef enum FeOp {
    FE_OP_NONE = 0,
#define FE_OP(name, ...) FE_OP_##name,
#include "frontend/wasm_ops.def"
#undef FE_OP
    FE_OP_COUNT
} FeOp;

/*
 * Immediate kinds, and where fe_instr_read*() put each immediate in FeInstr:
 *
 *   NONE           -
 *   BLOCK          v.block_type (see FE_BLOCKTYPE_*)
 *   LABEL          idx = label depth
 *   BR_TABLE       v.count = number of targets (default excluded), ptr = first target
 *                  (u32 LEB128 each), idx = default target
 *   FUNC           idx = function index
 *   CALL_INDIRECT  idx = type index, idx2 = table index
 *   LOCAL, GLOBAL, TABLE, DATA, ELEM
 *                  idx = the index
 *   MEMARG         align = alignment exponent, v.offset, idx = memory index (0 in 2.0)
 *   MEMARG_LANE    as MEMARG, plus lane
 *   I32, I64       v.i32, v.i64 (sign-extended LEB128)
 *   F32, F64       v.f32_bits, v.f64_bits (little-endian bits, NaN payloads kept)
 *   V128, SHUFFLE  ptr = the 16 immediate bytes in the input
 *   LANE           lane
 *   REF_TYPE       idx = the reference type (FE_VT_FUNCREF or FE_VT_EXTERNREF)
 *   SELECT_T       v.count = number of types, ptr = the type bytes
 *   MEMORY         idx = memory index (a zero byte in 2.0)
 *   MEMORY_MEMORY  idx = destination memory, idx2 = source memory (memory.copy)
 *   DATA_MEMORY    idx = data segment, idx2 = memory (memory.init)
 *   ELEM_TABLE     idx = element segment, idx2 = table (table.init)
 *   TABLE_TABLE    idx = destination table, idx2 = source table (table.copy)
 */
#define FE_IMM_KINDS(X)                                                                      \
    X(NONE) X(BLOCK) X(LABEL) X(BR_TABLE) X(FUNC) X(CALL_INDIRECT) X(LOCAL) X(GLOBAL)        \
    X(TABLE) X(MEMARG) X(MEMARG_LANE) X(I32) X(I64) X(F32) X(F64) X(V128) X(LANE)            \
    X(SHUFFLE) X(REF_TYPE) X(SELECT_T) X(MEMORY) X(MEMORY_MEMORY) X(DATA) X(DATA_MEMORY)     \
    X(ELEM) X(ELEM_TABLE) X(TABLE_TABLE)

typedef enum FeImm {
#define FE_IMM_ENUM(k) FE_IMM_##k,
    FE_IMM_KINDS(FE_IMM_ENUM)
#undef FE_IMM_ENUM
    FE_IMM_COUNT
} FeImm;

/* Feature column of wasm_ops.def; the values are FE_FEATURE_* bits (frontend.h). */
#define FE_OPFEAT_MVP 0u
#define FE_OPFEAT_SIGN_EXT (1u << 0)
#define FE_OPFEAT_SAT_TRUNC (1u << 1)
#define FE_OPFEAT_BULK (1u << 3)
#define FE_OPFEAT_REF (1u << 4)
#define FE_OPFEAT_SIMD (1u << 5)

/* Static facts about one opcode (one row of wasm_ops.def). */
typedef struct FeOpInfo {
    const char *name;  // text-format name
    const char *sig;   // stack signature, "*" for context-dependent ops
    uint16_t code;     // opcode byte or sub-opcode
    uint8_t prefix;    // 0, 0xFC or 0xFD
    uint8_t imm;       // FeImm
    uint8_t n;         // log2 access/lane size (see wasm_ops.def)
    uint8_t feature;   // FE_OPFEAT_* bit, 0 for MVP
} FeOpInfo;

extern const FeOpInfo fe_op_info[FE_OP_COUNT];

/*
 * Opcode lookup by "key": single-byte opcodes are keys 0..255, 0xFC sub-opcodes follow at
 * FE_OPKEY_FC, 0xFD sub-opcodes at FE_OPKEY_FD. fe_op_by_key[key] is the FeOp or FE_OP_NONE.
 */
#define FE_OPKEY_FC 256u
#define FE_OPKEY_FC_LIMIT 32u
#define FE_OPKEY_FD (FE_OPKEY_FC + FE_OPKEY_FC_LIMIT)
#define FE_OPKEY_FD_LIMIT 512u
#define FE_OPKEY_COUNT (FE_OPKEY_FD + FE_OPKEY_FD_LIMIT)
#define FE_OPKEY(prefix, code)                                                               \
    ((prefix) == 0xFC ? FE_OPKEY_FC + (code) : (prefix) == 0xFD ? FE_OPKEY_FD + (code) : (code))

extern const uint16_t fe_op_by_key[FE_OPKEY_COUNT];

/* The FeOp for (prefix, code), or FE_OP_NONE if that opcode does not exist. */
SK_INLINE FeOp
fe_op_lookup(uint32_t prefix, uint32_t code)
{
    if (prefix == 0)
        return code < 256 ? (FeOp)fe_op_by_key[code] : FE_OP_NONE;
    if (prefix == 0xFC)
        return code < FE_OPKEY_FC_LIMIT ? (FeOp)fe_op_by_key[FE_OPKEY_FC + code] : FE_OP_NONE;
    if (prefix == 0xFD)
        return code < FE_OPKEY_FD_LIMIT ? (FeOp)fe_op_by_key[FE_OPKEY_FD + code] : FE_OP_NONE;
    return FE_OP_NONE;
}

SK_INLINE const char *
fe_op_name(FeOp op)
{
    return (unsigned)op < FE_OP_COUNT && op != FE_OP_NONE ? fe_op_info[op].name : "?";
}

/*
 * Block types as decoded into FeInstr.v.block_type:
 *   >= 0                      a type index (multi-value block)
 *   FE_BLOCKTYPE_EMPTY        no parameters, no results
 *   -0x3F .. -0x01            one result of value type (0x80 + block_type), e.g. -1 = i32
 *   FE_BLOCKTYPE_INVALID      a negative type index (always "unknown type" to the validator)
 */
#define FE_BLOCKTYPE_EMPTY (-0x40)
#define FE_BLOCKTYPE_INVALID INT64_MIN

/* One decoded instruction; which fields are meaningful depends on the FeImm of `op`. */
typedef struct FeInstr {
    uint16_t op;    // FeOp
    uint8_t lane;   // LANE, MEMARG_LANE
    uint32_t idx;   // first index immediate
    uint32_t idx2;  // second index immediate
    uint32_t align; // MEMARG*: alignment exponent as encoded
    union {
        int32_t i32;
        int64_t i64;
        uint32_t f32_bits;
        uint64_t f64_bits;
        uint64_t offset;     // MEMARG*
        int64_t block_type;  // BLOCK
        uint32_t count;      // BR_TABLE, SELECT_T
    } v;
    const uint8_t *ptr;  // V128, SHUFFLE, BR_TABLE, SELECT_T: points into the input
} FeInstr;

/* ---- unchecked LEB128 readers for validated input ---- */

/* Reads a u32 LEB128 at *pp and advances *pp. The input must be well-formed. */
SK_INLINE uint32_t
fe_u32_trusted(const uint8_t **pp)
{
    const uint8_t *p = *pp;
    uint32_t v = *p++;
    if (v & 0x80) {
        v &= 0x7F;
        unsigned shift = 7;
        uint8_t b;
        do {
            b = *p++;
            v |= (uint32_t)(b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) && shift < 35);
    }
    *pp = p;
    return v;
}

/* Reads a signed LEB128 of at most `bits` bits (32, 33 or 64), sign-extended to int64. */
SK_INLINE int64_t
fe_sleb_trusted(const uint8_t **pp, unsigned bits)
{
    const uint8_t *p = *pp;
    uint64_t v = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        b = *p++;
        v |= (uint64_t)(b & 0x7F) << shift;
        shift += 7;
    } while ((b & 0x80) && shift < bits + 7);
    *pp = p;
    if (shift < 64 && (b & 0x40))
        v |= ~(uint64_t)0 << shift;
    return (int64_t)v;
}

SK_INLINE uint32_t
fe_le32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    return v;
}

SK_INLINE uint64_t
fe_le64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

/*
 * Decodes the instruction at p (already validated) into *out and returns the address of
 * the next instruction. No checks at all: undefined on bytes the validator rejected.
 */
SK_INLINE const uint8_t *
fe_instr_read_trusted(const uint8_t *p, FeInstr *out)
{
    uint32_t b = *p++;
    FeOp op;
    if (b == 0xFC || b == 0xFD)
        op = fe_op_lookup(b, fe_u32_trusted(&p));
    else
        op = (FeOp)fe_op_by_key[b];
    out->op = (uint16_t)op;
    switch ((FeImm)fe_op_info[op].imm) {
    case FE_IMM_NONE:
        break;
    case FE_IMM_BLOCK:
        if (*p == 0x40) {
            out->v.block_type = FE_BLOCKTYPE_EMPTY;
            p++;
        } else if ((*p & 0xC0) == 0x40) {
            out->v.block_type = (int64_t)*p - 0x80;
            p++;
        } else {
            out->v.block_type = fe_sleb_trusted(&p, 33);
        }
        break;
    case FE_IMM_LABEL:
    case FE_IMM_FUNC:
    case FE_IMM_LOCAL:
    case FE_IMM_GLOBAL:
    case FE_IMM_TABLE:
    case FE_IMM_DATA:
    case FE_IMM_ELEM:
        out->idx = fe_u32_trusted(&p);
        break;
    case FE_IMM_BR_TABLE:
        out->v.count = fe_u32_trusted(&p);
        out->ptr = p;
        for (uint32_t i = 0; i < out->v.count; i++)
            (void)fe_u32_trusted(&p);
        out->idx = fe_u32_trusted(&p);
        break;
    case FE_IMM_CALL_INDIRECT:
    case FE_IMM_ELEM_TABLE:
    case FE_IMM_TABLE_TABLE:
        out->idx = fe_u32_trusted(&p);
        out->idx2 = fe_u32_trusted(&p);
        break;
    case FE_IMM_MEMARG:
    case FE_IMM_MEMARG_LANE:
        out->align = fe_u32_trusted(&p);
        out->v.offset = fe_u32_trusted(&p);
        out->idx = 0;
        if (fe_op_info[op].imm == FE_IMM_MEMARG_LANE)
            out->lane = *p++;
        break;
    case FE_IMM_I32:
        out->v.i32 = (int32_t)fe_sleb_trusted(&p, 32);
        break;
    case FE_IMM_I64:
        out->v.i64 = fe_sleb_trusted(&p, 64);
        break;
    case FE_IMM_F32:
        out->v.f32_bits = fe_le32(p);
        p += 4;
        break;
    case FE_IMM_F64:
        out->v.f64_bits = fe_le64(p);
        p += 8;
        break;
    case FE_IMM_V128:
    case FE_IMM_SHUFFLE:
        out->ptr = p;
        p += 16;
        break;
    case FE_IMM_LANE:
        out->lane = *p++;
        break;
    case FE_IMM_REF_TYPE:
        out->idx = *p++;
        break;
    case FE_IMM_SELECT_T:
        out->v.count = fe_u32_trusted(&p);
        out->ptr = p;
        p += out->v.count;
        break;
    case FE_IMM_MEMORY:
        out->idx = *p++;
        break;
    case FE_IMM_MEMORY_MEMORY:
        out->idx = *p++;
        out->idx2 = *p++;
        break;
    case FE_IMM_DATA_MEMORY:
        out->idx = fe_u32_trusted(&p);
        out->idx2 = *p++;
        break;
    case FE_IMM_COUNT:
        break;
    }
    return p;
}

#endif
