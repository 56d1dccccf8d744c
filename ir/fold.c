/*
 * Constant folding and algebraic identities, applied while building (the ir_build_*
 * functions of ir/ir.h). Evaluation follows WebAssembly's semantics exactly: an operation
 * that would trap (division by zero, INT_MIN / -1, out-of-range float-to-int truncation) is
 * never folded, so the trap stays in the code; float bit operations (abs, neg, copysign) work
 * on the bits so NaN payloads pass through; float identities such as x * 1 are not applied
 * because they would let a signalling NaN through where Wasm requires a quiet one.
 * Requires: the host evaluates float and double in their own precision (FLT_EVAL_METHOD 0,
 * true on x86_64 and aarch64) in round-to-nearest mode.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "ir/ir.h"

_Static_assert(FLT_EVAL_METHOD == 0, "float folding needs IEEE single/double evaluation");

/* ---- bit helpers ------------------------------------------------------------------------- */

static inline uint64_t
type_mask(IrType t)
{
    return t == IR_TYPE_I32 ? 0xffffffffu : ~(uint64_t)0;
}

static inline unsigned
type_bits(IrType t)
{
    return t == IR_TYPE_I32 || t == IR_TYPE_F32 ? 32 : 64;
}

/* Sign-extends the low `bits` bits of v to 64 bits. */
static inline int64_t
sext(uint64_t v, unsigned bits)
{
    if (bits >= 64)
        return (int64_t)v;
    uint64_t m = (uint64_t)1 << (bits - 1);
    v &= ((uint64_t)1 << bits) - 1;
    return (int64_t)((v ^ m) - m);
}

static inline float
as_f32(uint64_t bits)
{
    uint32_t b = (uint32_t)bits;
    float f;
    memcpy(&f, &b, 4);
    return f;
}

static inline double
as_f64(uint64_t bits)
{
    double d;
    memcpy(&d, &bits, 8);
    return d;
}

static inline uint64_t
f32_bits(float f)
{
    uint32_t b;
    memcpy(&b, &f, 4);
    return b;
}

static inline uint64_t
f64_bits(double d)
{
    uint64_t b;
    memcpy(&b, &d, 8);
    return b;
}

/* Reads a float operand of type t as a double (exact for f32). */
static inline double
as_double(IrType t, uint64_t bits)
{
    return t == IR_TYPE_F32 ? (double)as_f32(bits) : as_f64(bits);
}

static inline bool
is_nan_bits(IrType t, uint64_t bits)
{
    if (t == IR_TYPE_F32)
        return ((bits >> 23) & 0xff) == 0xff && (bits & 0x7fffff) != 0;
    return ((bits >> 52) & 0x7ff) == 0x7ff && (bits & 0xfffffffffffffull) != 0;
}

static inline uint64_t
sign_bit(IrType t)
{
    return t == IR_TYPE_F32 ? 0x80000000u : 0x8000000000000000ull;
}

static inline uint64_t
quiet_bit(IrType t)
{
    return t == IR_TYPE_F32 ? 0x00400000u : 0x0008000000000000ull;
}

/* ---- integer evaluation ------------------------------------------------------------------ */

static bool
eval_int_binary(IrOp op, IrType t, uint64_t a, uint64_t b, uint64_t *out)
{
    uint64_t mask = type_mask(t);
    unsigned bits = type_bits(t);
    int64_t sa = sext(a, bits), sb = sext(b, bits);
    unsigned k = (unsigned)(b & (bits - 1));
    uint64_t r;
    switch (op) {
    case IR_OP_IADD: r = a + b; break;
    case IR_OP_ISUB: r = a - b; break;
    case IR_OP_IMUL: r = a * b; break;
    case IR_OP_IDIV_S:
        if (sb == 0 || (sb == -1 && sa == sext((uint64_t)1 << (bits - 1), bits)))
            return false;  // traps: divide by zero, integer overflow
        r = (uint64_t)(sa / sb);
        break;
    case IR_OP_IDIV_U:
        if (b == 0)
            return false;
        r = a / b;
        break;
    case IR_OP_IREM_S:
        if (sb == 0)
            return false;
        r = sb == -1 ? 0 : (uint64_t)(sa % sb);  // INT_MIN % -1 is 0 in Wasm
        break;
    case IR_OP_IREM_U:
        if (b == 0)
            return false;
        r = a % b;
        break;
    case IR_OP_IAND: r = a & b; break;
    case IR_OP_IOR: r = a | b; break;
    case IR_OP_IXOR: r = a ^ b; break;
    case IR_OP_ISHL: r = a << k; break;
    case IR_OP_ISHR_U: r = (a & mask) >> k; break;
    case IR_OP_ISHR_S:
        /* Arithmetic shift without relying on implementation-defined >> of negatives. */
        r = sa < 0 ? ~(~(uint64_t)sa >> k) : (uint64_t)sa >> k;
        break;
    case IR_OP_IROTL: r = k ? (a << k) | ((a & mask) >> (bits - k)) : a; break;
    case IR_OP_IROTR: r = k ? ((a & mask) >> k) | (a << (bits - k)) : a; break;
    default: return false;
    }
    *out = r & mask;
    return true;
}

static bool
eval_icmp(IrIntCond cc, IrType t, uint64_t a, uint64_t b, uint64_t *out)
{
    unsigned bits = type_bits(t);
    int64_t sa = sext(a, bits), sb = sext(b, bits);
    bool r;
    switch (cc) {
    case IR_ICC_EQ: r = a == b; break;
    case IR_ICC_NE: r = a != b; break;
    case IR_ICC_LT_S: r = sa < sb; break;
    case IR_ICC_LT_U: r = a < b; break;
    case IR_ICC_GT_S: r = sa > sb; break;
    case IR_ICC_GT_U: r = a > b; break;
    case IR_ICC_LE_S: r = sa <= sb; break;
    case IR_ICC_LE_U: r = a <= b; break;
    case IR_ICC_GE_S: r = sa >= sb; break;
    case IR_ICC_GE_U: r = a >= b; break;
    default: return false;
    }
    *out = r;
    return true;
}

static bool
eval_int_unary(IrOp op, IrType t, uint64_t a, uint64_t *out)
{
    uint64_t mask = type_mask(t);
    unsigned bits = type_bits(t);
    a &= mask;
    uint64_t r;
    switch (op) {
    case IR_OP_ICLZ:
        r = a == 0 ? bits : (uint64_t)(__builtin_clzll(a) - (64 - bits));
        break;
    case IR_OP_ICTZ: r = a == 0 ? bits : (uint64_t)__builtin_ctzll(a); break;
    case IR_OP_IPOPCNT: r = (uint64_t)__builtin_popcountll(a); break;
    case IR_OP_IEXTEND8_S: r = (uint64_t)sext(a, 8); break;
    case IR_OP_IEXTEND16_S: r = (uint64_t)sext(a, 16); break;
    case IR_OP_IEXTEND32_S: r = (uint64_t)sext(a, 32); break;
    default: return false;
    }
    *out = r & mask;
    return true;
}

/* ---- float evaluation -------------------------------------------------------------------- */

/* Wasm fmin/fmax: NaN if either is NaN (the first NaN operand, made quiet), -0 < +0. */
static uint64_t
eval_fminmax(bool is_max, IrType t, uint64_t a, uint64_t b)
{
    if (is_nan_bits(t, a))
        return a | quiet_bit(t);
    if (is_nan_bits(t, b))
        return b | quiet_bit(t);
    double x = as_double(t, a), y = as_double(t, b);
    if (x == y)  // equal values, or +0 and -0: decide by the sign bit
        return is_max ? (a & b) : (a | b);
    return (is_max ? x > y : x < y) ? a : b;
}

static bool
eval_float_binary(IrOp op, IrType t, uint64_t a, uint64_t b, uint64_t *out)
{
    if (op == IR_OP_FMIN || op == IR_OP_FMAX) {
        *out = eval_fminmax(op == IR_OP_FMAX, t, a, b);
        return true;
    }
    if (op == IR_OP_FCOPYSIGN) {
        uint64_t s = sign_bit(t);
        *out = (a & ~s) | (b & s);
        return true;
    }
    if (t == IR_TYPE_F32) {
        float x = as_f32(a), y = as_f32(b), r;
        switch (op) {
        case IR_OP_FADD: r = x + y; break;
        case IR_OP_FSUB: r = x - y; break;
        case IR_OP_FMUL: r = x * y; break;
        case IR_OP_FDIV: r = x / y; break;
        default: return false;
        }
        *out = f32_bits(r);
    } else {
        double x = as_f64(a), y = as_f64(b), r;
        switch (op) {
        case IR_OP_FADD: r = x + y; break;
        case IR_OP_FSUB: r = x - y; break;
        case IR_OP_FMUL: r = x * y; break;
        case IR_OP_FDIV: r = x / y; break;
        default: return false;
        }
        *out = f64_bits(r);
    }
    return true;
}

static bool
eval_fcmp(IrFloatCond cc, IrType t, uint64_t a, uint64_t b, uint64_t *out)
{
    double x = as_double(t, a), y = as_double(t, b);
    bool r;
    switch (cc) {
    case IR_FCC_EQ: r = x == y; break;
    case IR_FCC_NE: r = x != y; break;  // true when either is NaN
    case IR_FCC_LT: r = x < y; break;
    case IR_FCC_GT: r = x > y; break;
    case IR_FCC_LE: r = x <= y; break;
    case IR_FCC_GE: r = x >= y; break;
    default: return false;
    }
    *out = r;
    return true;
}

static bool
eval_float_unary(IrOp op, IrType t, uint64_t a, uint64_t *out)
{
    uint64_t s = sign_bit(t);
    switch (op) {
    case IR_OP_FABS: *out = a & ~s; return true;
    case IR_OP_FNEG: *out = (a ^ s) & type_mask(t == IR_TYPE_F32 ? IR_TYPE_I32 : IR_TYPE_I64);
        return true;
    default: break;
    }
    if (t == IR_TYPE_F32) {
        float x = as_f32(a), r;
        switch (op) {
        case IR_OP_FSQRT: r = sqrtf(x); break;
        case IR_OP_FCEIL: r = ceilf(x); break;
        case IR_OP_FFLOOR: r = floorf(x); break;
        case IR_OP_FTRUNC: r = truncf(x); break;
        case IR_OP_FNEAREST: r = nearbyintf(x); break;  // ties to even in the default mode
        default: return false;
        }
        *out = f32_bits(r);
    } else {
        double x = as_f64(a), r;
        switch (op) {
        case IR_OP_FSQRT: r = sqrt(x); break;
        case IR_OP_FCEIL: r = ceil(x); break;
        case IR_OP_FFLOOR: r = floor(x); break;
        case IR_OP_FTRUNC: r = trunc(x); break;
        case IR_OP_FNEAREST: r = nearbyint(x); break;
        default: return false;
        }
        *out = f64_bits(r);
    }
    /* A NaN result from a NaN operand must be quiet (an arithmetic NaN): make sure. */
    if (is_nan_bits(t, *out))
        *out |= quiet_bit(t);
    return true;
}

/*
 * Float-to-int truncation of the float `bits` (type ft) into integer type t. Returns false
 * (not foldable) for NaN or out of range unless `sat`, which saturates and maps NaN to 0.
 */
static bool
eval_trunc(IrType t, IrType ft, uint64_t bits, bool is_signed, bool sat, uint64_t *out)
{
    if (is_nan_bits(ft, bits)) {
        if (!sat)
            return false;
        *out = 0;
        return true;
    }
    double x = trunc(as_double(ft, bits));
    /* Exact bounds, all powers of two (representable): lo <= x < hi is in range. */
    double lo, hi;
    if (t == IR_TYPE_I32) {
        lo = is_signed ? -2147483648.0 : 0.0;
        hi = is_signed ? 2147483648.0 : 4294967296.0;
    } else {
        lo = is_signed ? -9223372036854775808.0 : 0.0;
        hi = is_signed ? 9223372036854775808.0 : 18446744073709551616.0;
    }
    uint64_t r;
    if (x < lo) {
        if (!sat)
            return false;
        r = is_signed ? (t == IR_TYPE_I32 ? 0x80000000u : 0x8000000000000000ull) : 0;
    } else if (x >= hi) {
        if (!sat)
            return false;
        r = is_signed ? (t == IR_TYPE_I32 ? 0x7fffffffu : 0x7fffffffffffffffull)
                      : type_mask(t);
    } else if (is_signed) {
        r = (uint64_t)(int64_t)x;
    } else {
        r = (uint64_t)x;
    }
    *out = r & type_mask(t);
    return true;
}

static bool
eval_convert(IrOp op, IrType t, IrType at, uint64_t a, uint64_t *out)
{
    switch (op) {
    case IR_OP_IWRAP: *out = a & 0xffffffffu; return true;
    case IR_OP_ISEXT: *out = (uint64_t)sext(a, 32); return true;
    case IR_OP_IZEXT: *out = a & 0xffffffffu; return true;
    case IR_OP_BITCAST: *out = a & type_mask(type_bits(t) == 32 ? IR_TYPE_I32 : IR_TYPE_I64);
        return true;
    case IR_OP_FDEMOTE: {
        uint64_t r = f32_bits((float)as_f64(a));
        *out = is_nan_bits(IR_TYPE_F32, r) ? r | quiet_bit(IR_TYPE_F32) : r;
        return true;
    }
    case IR_OP_FPROMOTE: {
        uint64_t r = f64_bits((double)as_f32(a));
        *out = is_nan_bits(IR_TYPE_F64, r) ? r | quiet_bit(IR_TYPE_F64) : r;
        return true;
    }
    case IR_OP_FCVT_FROM_SINT: {
        /* Convert in one rounding step from the integer (no detour through double for f32). */
        int64_t v = sext(a, type_bits(at));
        *out = t == IR_TYPE_F32 ? f32_bits((float)v) : f64_bits((double)v);
        return true;
    }
    case IR_OP_FCVT_FROM_UINT: {
        uint64_t v = a & type_mask(at);
        *out = t == IR_TYPE_F32 ? f32_bits((float)v) : f64_bits((double)v);
        return true;
    }
    case IR_OP_FCVT_TO_SINT: return eval_trunc(t, at, a, true, false, out);
    case IR_OP_FCVT_TO_UINT: return eval_trunc(t, at, a, false, false, out);
    case IR_OP_FCVT_TO_SINT_SAT: return eval_trunc(t, at, a, true, true, out);
    case IR_OP_FCVT_TO_UINT_SAT: return eval_trunc(t, at, a, false, true, out);
    default: return false;
    }
}

bool
ir_fold_eval(IrOp op, IrType t, IrType arg_type, uint64_t imm, const uint64_t *args,
             uint64_t *out)
{
    switch (op) {
    case IR_OP_IADD: case IR_OP_ISUB: case IR_OP_IMUL: case IR_OP_IDIV_S: case IR_OP_IDIV_U:
    case IR_OP_IREM_S: case IR_OP_IREM_U: case IR_OP_IAND: case IR_OP_IOR: case IR_OP_IXOR:
    case IR_OP_ISHL: case IR_OP_ISHR_S: case IR_OP_ISHR_U: case IR_OP_IROTL: case IR_OP_IROTR:
        return eval_int_binary(op, t, args[0], args[1], out);
    case IR_OP_ICLZ: case IR_OP_ICTZ: case IR_OP_IPOPCNT: case IR_OP_IEXTEND8_S:
    case IR_OP_IEXTEND16_S: case IR_OP_IEXTEND32_S:
        return eval_int_unary(op, t, args[0], out);
    case IR_OP_IEQZ:
        *out = (args[0] & type_mask(arg_type)) == 0;
        return true;
    case IR_OP_ICMP:
        return eval_icmp((IrIntCond)imm, arg_type, args[0] & type_mask(arg_type),
                         args[1] & type_mask(arg_type), out);
    case IR_OP_FADD: case IR_OP_FSUB: case IR_OP_FMUL: case IR_OP_FDIV: case IR_OP_FMIN:
    case IR_OP_FMAX: case IR_OP_FCOPYSIGN:
        return eval_float_binary(op, t, args[0], args[1], out);
    case IR_OP_FABS: case IR_OP_FNEG: case IR_OP_FSQRT: case IR_OP_FCEIL: case IR_OP_FFLOOR:
    case IR_OP_FTRUNC: case IR_OP_FNEAREST:
        return eval_float_unary(op, t, args[0], out);
    case IR_OP_FCMP:
        return eval_fcmp((IrFloatCond)imm, arg_type, args[0], args[1], out);
    case IR_OP_IWRAP: case IR_OP_ISEXT: case IR_OP_IZEXT: case IR_OP_BITCAST:
    case IR_OP_FDEMOTE: case IR_OP_FPROMOTE: case IR_OP_FCVT_FROM_SINT:
    case IR_OP_FCVT_FROM_UINT: case IR_OP_FCVT_TO_SINT: case IR_OP_FCVT_TO_UINT:
    case IR_OP_FCVT_TO_SINT_SAT: case IR_OP_FCVT_TO_UINT_SAT:
        return eval_convert(op, t, arg_type, args[0], out);
    default:
        return false;
    }
}

/* ---- builders ---------------------------------------------------------------------------- */

/* True if v (resolved) is an ICONST or FCONST: the builders' fast paths test this first. */
static inline bool
is_const(const IrFunc *f, IrValue v)
{
    uint16_t op = f->insts.data[v.id].op;
    return op == IR_OP_ICONST || op == IR_OP_FCONST;
}

/* Resolves both operands through the alias map when there is one. */
static inline void
resolve2(const IrFunc *f, IrValue *a, IrValue *b)
{
    if (SK_UNLIKELY(f->alias)) {
        *a = ir_resolve(f, *a);
        *b = ir_resolve(f, *b);
    }
}

/* Emits a constant of type t (integer or float) holding `bits`. */
static IrValue
emit_const(IrFunc *f, IrType t, uint64_t bits)
{
    if (t == IR_TYPE_I32 || t == IR_TYPE_I64)
        return ir_build_iconst(f, t, bits);
    return ir_build_fconst(f, t, bits);
}

IrValue
ir_build_vconst(IrFunc *f, const uint8_t bytes[16])
{
    uint32_t idx = ir_v128_add(f, bytes);
    return ir_emit(f, IR_OP_VCONST, IR_TYPE_V128, 0, 0, 0, idx);
}

IrValue
ir_build_unary(IrFunc *f, IrOp op, IrType t, IrValue a)
{
    a = ir_resolve(f, a);
    if (SK_LIKELY(!is_const(f, a) && op != IR_OP_REF_IS_NULL))
        return ir_emit(f, op, t, a.id, 0, 0, 0);  // nothing to fold
    uint64_t ca;
    if (ir_op_has_flag(op, IR_OPF_PURE) || op == IR_OP_FCVT_TO_SINT ||
        op == IR_OP_FCVT_TO_UINT) {
        if (ir_value_is_const(f, a, &ca)) {
            uint64_t r;
            if (ir_fold_eval(op, t, ir_value_type(f, a), 0, &ca, &r))
                return emit_const(f, t, r);
        }
    }
    if (op == IR_OP_REF_IS_NULL) {
        IrOp aop = (IrOp)ir_inst(f, a.id)->op;
        if (aop == IR_OP_REF_NULL || aop == IR_OP_REF_FUNC)
            return ir_build_iconst(f, IR_TYPE_I32, aop == IR_OP_REF_NULL);
    }
    return ir_emit(f, op, t, a.id, 0, 0, 0);
}

IrValue
ir_build_binary(IrFunc *f, IrOp op, IrType t, IrValue a, IrValue b)
{
    resolve2(f, &a, &b);
    /* Every fold and identity below needs a constant operand or equal operands. */
    if (SK_LIKELY(!is_const(f, a) && !is_const(f, b) && a.id != b.id))
        return ir_emit(f, op, t, a.id, b.id, 0, 0);
    uint64_t args[2] = {0, 0};
    bool ca = ir_value_is_const(f, a, &args[0]);
    bool cb = ir_value_is_const(f, b, &args[1]);
    if (ca && cb && ir_op_has_flag(op, IR_OPF_PURE)) {
        uint64_t r;
        if (ir_fold_eval(op, t, ir_value_type(f, a), 0, args, &r))
            return emit_const(f, t, r);
    }
    /* Commutative ops keep a constant second: the backend looks for immediates there. */
    if (ca && !cb && ir_op_has_flag(op, IR_OPF_COMM)) {
        IrValue tv = a;
        a = b;
        b = tv;
        args[1] = args[0];
        ca = false;
        cb = true;
    }
    if (t == IR_TYPE_I32 || t == IR_TYPE_I64) {
        uint64_t mask = type_mask(t);
        uint64_t k = args[1] & mask;
        switch (op) {
        case IR_OP_IADD:
        case IR_OP_IOR:
        case IR_OP_IXOR:
            if (cb && k == 0)
                return a;  // x + 0, x | 0, x ^ 0
            if (op == IR_OP_IOR && cb && k == mask)
                return b;  // x | -1
            if (op == IR_OP_IOR && a.id == b.id)
                return a;
            if (op == IR_OP_IXOR && a.id == b.id)
                return ir_build_iconst(f, t, 0);
            break;
        case IR_OP_ISUB:
            if (cb && k == 0)
                return a;
            if (a.id == b.id)
                return ir_build_iconst(f, t, 0);
            break;
        case IR_OP_IMUL:
            if (cb && k == 1)
                return a;
            if (cb && k == 0)
                return b;  // x * 0 = 0 (x has no effect of its own)
            break;
        case IR_OP_IAND:
            if (cb && k == mask)
                return a;
            if (cb && k == 0)
                return b;
            if (a.id == b.id)
                return a;
            break;
        case IR_OP_ISHL:
        case IR_OP_ISHR_S:
        case IR_OP_ISHR_U:
        case IR_OP_IROTL:
        case IR_OP_IROTR:
            if (cb) {
                uint64_t n = k & (type_bits(t) - 1);
                if (n == 0)
                    return a;  // x << 0 (the count is taken modulo the width)
                if (n != k)
                    b = ir_build_iconst(f, t, n);  // mask the count once, here
            }
            break;
        case IR_OP_IDIV_S:
        case IR_OP_IDIV_U:
            if (cb && k == 1)
                return a;
            break;
        case IR_OP_IREM_S:
        case IR_OP_IREM_U:
            if (cb && (k == 1 || (op == IR_OP_IREM_S && k == mask)))
                return ir_build_iconst(f, t, 0);  // x % 1, x % -1 (never traps)
            break;
        default:
            break;
        }
    }
    return ir_emit(f, op, t, a.id, b.id, 0, 0);
}

IrValue
ir_build_icmp(IrFunc *f, IrIntCond cc, IrValue a, IrValue b)
{
    resolve2(f, &a, &b);
    if (SK_LIKELY(!is_const(f, a) && !is_const(f, b) && a.id != b.id))
        return ir_emit(f, IR_OP_ICMP, IR_TYPE_I32, a.id, b.id, 0, cc);
    uint64_t args[2], r;
    bool ca = ir_value_is_const(f, a, &args[0]);
    bool cb = ir_value_is_const(f, b, &args[1]);
    IrType at = ir_value_type(f, a);
    if (ca && cb && ir_fold_eval(IR_OP_ICMP, IR_TYPE_I32, at, cc, args, &r))
        return ir_build_iconst(f, IR_TYPE_I32, r);
    if (a.id == b.id) {
        bool t = cc == IR_ICC_EQ || cc == IR_ICC_LE_S || cc == IR_ICC_LE_U ||
                 cc == IR_ICC_GE_S || cc == IR_ICC_GE_U;
        return ir_build_iconst(f, IR_TYPE_I32, t);
    }
    if (ca && !cb) {
        IrValue tv = a;
        a = b;
        b = tv;
        cc = ir_icc_swap(cc);
    }
    return ir_emit(f, IR_OP_ICMP, IR_TYPE_I32, a.id, b.id, 0, cc);
}

IrValue
ir_build_fcmp(IrFunc *f, IrFloatCond cc, IrValue a, IrValue b)
{
    resolve2(f, &a, &b);
    if (SK_LIKELY(!is_const(f, a) && !is_const(f, b)))
        return ir_emit(f, IR_OP_FCMP, IR_TYPE_I32, a.id, b.id, 0, cc);
    uint64_t args[2], r;
    bool ca = ir_value_is_const(f, a, &args[0]);
    bool cb = ir_value_is_const(f, b, &args[1]);
    if (ca && cb && ir_fold_eval(IR_OP_FCMP, IR_TYPE_I32, ir_value_type(f, a), cc, args, &r))
        return ir_build_iconst(f, IR_TYPE_I32, r);
    /* No x == x folding: false for NaN. */
    if (ca && !cb) {
        IrValue tv = a;
        a = b;
        b = tv;
        cc = ir_fcc_swap(cc);
    }
    return ir_emit(f, IR_OP_FCMP, IR_TYPE_I32, a.id, b.id, 0, cc);
}

IrValue
ir_build_select(IrFunc *f, IrType t, IrValue cond, IrValue a, IrValue b)
{
    cond = ir_resolve(f, cond);
    a = ir_resolve(f, a);
    b = ir_resolve(f, b);
    uint64_t c;
    if (ir_value_is_const(f, cond, &c))
        return (c & 0xffffffffu) ? a : b;
    if (a.id == b.id)
        return a;
    return ir_emit(f, IR_OP_SELECT, t, cond.id, a.id, b.id, 0);
}

bool
ir_build_trap_if(IrFunc *f, IrValue cond, IrTrapKind kind)
{
    cond = ir_resolve(f, cond);
    uint64_t c;
    if (ir_value_is_const(f, cond, &c))
        return (c & 0xffffffffu) == 0;  // never traps: emit nothing; always: caller traps
    ir_emit(f, IR_OP_TRAP_IF, IR_TYPE_NONE, cond.id, 0, 0, kind);
    return true;
}
