/*
 * Opcode tables expanded from wasm_ops.def: per-op facts (fe_op_info) and the lookup from
 * encoding to FeOp (fe_op_by_key), both `static const`-style read-only data. Also the
 * out-of-line entry to the checked instruction decoder of reader.h.
 */
#include "frontend/reader.h"

_Static_assert(FE_OPFEAT_SIGN_EXT == FE_FEATURE_SIGN_EXT, "feature bits agree");
_Static_assert(FE_OPFEAT_SAT_TRUNC == FE_FEATURE_SAT_TRUNC, "feature bits agree");
_Static_assert(FE_OPFEAT_BULK == FE_FEATURE_BULK_MEMORY, "feature bits agree");
_Static_assert(FE_OPFEAT_REF == FE_FEATURE_REFERENCE_TYPES, "feature bits agree");
_Static_assert(FE_OPFEAT_SIMD == FE_FEATURE_SIMD, "feature bits agree");
_Static_assert(FE_OP_COUNT < 65536, "FeOp fits the uint16_t lookup table");

const FeOpInfo fe_op_info[FE_OP_COUNT] = {
    [FE_OP_NONE] = {"?", "*", 0, 0, FE_IMM_NONE, 0, 0},
#define FE_OP(name, prefix, code, text, imm, sig, n, feature)                                \
    [FE_OP_##name] = {text, sig, code, prefix, FE_IMM_##imm, n, FE_OPFEAT_##feature},
#include "frontend/wasm_ops.def"
#undef FE_OP
};

/* Every row's sub-opcode must fit its key range; a row that does not fails to compile. */
#define FE_OP(name, prefix, code, text, imm, sig, n, feature)                                \
    _Static_assert((prefix) == 0 ? (code) < 256                                              \
                   : (prefix) == 0xFC ? (code) < FE_OPKEY_FC_LIMIT                           \
                                      : (prefix) == 0xFD && (code) < FE_OPKEY_FD_LIMIT,     \
                   "opcode of " #name " out of its key range");
#include "frontend/wasm_ops.def"
#undef FE_OP

const uint16_t fe_op_by_key[FE_OPKEY_COUNT] = {
#define FE_OP(name, prefix, code, ...) [FE_OPKEY(prefix, code)] = FE_OP_##name,
#include "frontend/wasm_ops.def"
#undef FE_OP
};

bool
fe_instr_read(const uint8_t *base, const uint8_t **pp, const uint8_t *end, uint32_t features,
              FeInstr *out, SkDiag *diag)
{
    FeReader r;
    fe_reader_init(&r, base, *pp, end, diag);
    if (!fe_instr_decode(&r, features ? features : FE_FEATURES_WASM2, out))
        return false;
    *pp = r.p;
    return true;
}
