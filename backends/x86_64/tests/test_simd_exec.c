/*
 * SIMD128 on x86_64, run for real: every IR SIMD operation (the IR_OP_SIMD rows of
 * ir/ops.def, enumerated from the table so that none is missed) is compiled by the backend,
 * loaded by the stand-in runtime (x64_harness.c) and called on edge-case and random lanes;
 * each result is compared lane by lane with a scalar reference written here from the Wasm
 * SIMD spec (float lanes with the spec's NaN rules: a NaN result must be a quiet NaN, and the
 * canonical one when every NaN input was canonical). Variants: a v128 constant as the second
 * operand (memory operands), constant shift counts (immediate forms), every lane of the lane
 * operations, shuffles of every pattern class the selector recognizes, splats of constants,
 * loads at every offset class with the out-of-bounds trap.
 *
 * Everything runs once per CPU feature level the host has: SSE2 only, + SSSE3, + SSE4.1
 * (without SSE4.2), and all of the host's features, so that every fallback sequence runs.
 *
 * Then v128 values through the rest of the backend: more live vectors than registers
 * (spills), a loop swapping two vectors (a parallel-move cycle of block parameters), calls
 * in between (every xmm is caller-saved), nine v128 arguments (stack-passed), multi-value
 * v128 results, globals, select and call_indirect.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "x64_harness.h"

typedef union V {
    uint8_t u8[16];
    int8_t i8[16];
    uint16_t u16[8];
    int16_t i16[8];
    uint32_t u32[4];
    int32_t i32[4];
    uint64_t u64[2];
    int64_t i64[2];
    float f32[4];
    double f64[2];
} V;

static const uint8_t T_I32 = IR_TYPE_I32, T_I64 = IR_TYPE_I64, T_F32 = IR_TYPE_F32,
                     T_F64 = IR_TYPE_F64, T_V = IR_TYPE_V128;

/* ---- input vectors ------------------------------------------------------------------------ */

#define NVEC 48
static V vecs[NVEC];
static uint32_t nvecs;

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t
rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static uint32_t
f32_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static uint64_t
f64_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

/* Vectors whose lanes cycle through edge values of one lane type, each vector starting at a
 * different place so that pairs of vectors combine different values lane by lane. */
static void
add_edge_vectors(const void *vals, unsigned size, unsigned n, unsigned count)
{
    unsigned lanes = 16 / size;
    for (unsigned v = 0; v < count && nvecs < NVEC; v++) {
        V *x = &vecs[nvecs++];
        for (unsigned k = 0; k < lanes; k++) {
            unsigned i = (v * lanes + k * (v + 1) + v / 3) % n;
            memcpy(x->u8 + k * size, (const uint8_t *)vals + i * size, size);
        }
    }
}

static void
init_vectors(void)
{
    static const uint8_t e8[] = {0, 1, 2, 0x7F, 0x80, 0x81, 0xFF, 0xFE, 0x40, 0x3F, 0x55,
                                 0xAA, 7, 8, 15, 16, 0xC0, 0x10};
    static const uint16_t e16[] = {0, 1, 2, 0x7FFF, 0x8000, 0x8001, 0xFFFF, 0xFFFE, 0x4000,
                                   0x3FFF, 0x00FF, 0xFF00, 0x0080, 0xFF80, 0x7F, 0x100, 15, 16};
    static const uint32_t e32[] = {0, 1, 2, 0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFFFFFF,
                                   0xFFFFFFFE, 0x0000FFFF, 0xFFFF0000, 0x00008000, 0xFFFF8000,
                                   0x00010000, 0x7FFF, 31, 32, 0x12345678, 0x87654321};
    static const uint64_t e64[] = {0, 1, 2, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000,
                                   0x8000000000000001, ~0ull, ~1ull, 0x00000000FFFFFFFF,
                                   0xFFFFFFFF00000000, 0x0000000080000000, 0xFFFFFFFF80000000,
                                   0x0000000100000000, 0x7FFFFFFF, 0x80000000FFFFFFFF,
                                   0x123456789ABCDEF0};
    static const float ef[] = {0.0f, -0.0f, 1.0f, -1.0f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f,
                               -2.5f, 3.5f, 0.49999997f, -0.49999997f, 8388607.5f, -8388607.5f,
                               8388608.0f, 16777216.0f, 2147483520.0f, 2147483648.0f,
                               -2147483648.0f, -2147483904.0f, 4294967040.0f, 4294967296.0f,
                               1e10f, -1e10f, 3.4e38f, 1e-40f, -1e-40f, 0.75f, -7.25f};
    static const uint32_t efbits[] = {0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000,
                                      0x7FC12345, 0xFFA00001, 0x7F812345, 0x00000001,
                                      0x80000001, 0x7F7FFFFF};
    static const double ed[] = {0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5,
                                0.49999999999999994, 4503599627370495.5,
                                -4503599627370495.5, 4503599627370496.0, 2147483647.0,
                                2147483647.5, 2147483648.0, -2147483648.0, -2147483648.5,
                                -2147483649.0, 4294967295.0, 4294967295.5, 4294967296.0,
                                -0.75, 1e300, -1e300, 1e-310, 3.0, 7.75, -4.25};
    static const uint64_t edbits[] = {0x7FF0000000000000, 0xFFF0000000000000,
                                      0x7FF8000000000000, 0xFFF8000000000000,
                                      0x7FF8000000012345, 0xFFF4000000000001,
                                      0x7FF0000000012345, 1};
    uint32_t fv[sizeof(ef) / 4 + sizeof(efbits) / 4];
    uint64_t dv[sizeof(ed) / 8 + sizeof(edbits) / 8];
    unsigned nf = 0, nd = 0;
    for (unsigned i = 0; i < sizeof(ef) / 4; i++)
        fv[nf++] = f32_bits(ef[i]);
    for (unsigned i = 0; i < sizeof(efbits) / 4; i++)
        fv[nf++] = efbits[i];
    for (unsigned i = 0; i < sizeof(ed) / 8; i++)
        dv[nd++] = f64_bits(ed[i]);
    for (unsigned i = 0; i < sizeof(edbits) / 8; i++)
        dv[nd++] = edbits[i];
    memset(vecs, 0, sizeof(vecs));
    nvecs = 1;  // all zeros
    memset(&vecs[nvecs++], 0xFF, 16);
    for (unsigned i = 0; i < 16; i++)
        vecs[nvecs].u8[i] = (uint8_t)(i * 17 + 3);
    nvecs++;
    add_edge_vectors(e8, 1, sizeof(e8), 6);
    add_edge_vectors(e16, 2, sizeof(e16) / 2, 6);
    add_edge_vectors(e32, 4, sizeof(e32) / 4, 6);
    add_edge_vectors(e64, 8, sizeof(e64) / 8, 6);
    add_edge_vectors(fv, 4, nf, 9);
    add_edge_vectors(dv, 8, nd, 9);
    while (nvecs < NVEC) {
        V *x = &vecs[nvecs++];
        x->u64[0] = rnd();
        x->u64[1] = rnd();
    }
}

/* Shift counts (i32): below, at and above every lane width, and huge. */
static const uint32_t counts[] = {0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127,
                                  128, 255, 0x80000003, 0xFFFFFFFF};

/* ---- the reference ------------------------------------------------------------------------ */

static int8_t sat_s8(int v) { return (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v); }
static uint8_t sat_u8(int v) { return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v); }
static int16_t sat_s16(int v) { return (int16_t)(v < -32768 ? -32768 : v > 32767 ? 32767 : v); }
static uint16_t sat_u16(int v) { return (uint16_t)(v < 0 ? 0 : v > 65535 ? 65535 : v); }

static float
wasm_fmin32(float a, float b)
{
    if (isnan(a) || isnan(b))
        return NAN;
    if (a == b)
        return signbit(a) ? a : b;
    return a < b ? a : b;
}

static float
wasm_fmax32(float a, float b)
{
    if (isnan(a) || isnan(b))
        return NAN;
    if (a == b)
        return signbit(a) ? b : a;
    return a > b ? a : b;
}

static double
wasm_fmin64(double a, double b)
{
    if (isnan(a) || isnan(b))
        return NAN;
    if (a == b)
        return signbit(a) ? a : b;
    return a < b ? a : b;
}

static double
wasm_fmax64(double a, double b)
{
    if (isnan(a) || isnan(b))
        return NAN;
    if (a == b)
        return signbit(a) ? b : a;
    return a > b ? a : b;
}

static int32_t
trunc_sat_s32(double d)
{
    if (d != d)
        return 0;
    if (d >= 2147483648.0)
        return INT32_MAX;
    if (d <= -2147483649.0)
        return INT32_MIN;
    return (int32_t)d;
}

static uint32_t
trunc_sat_u32(double d)
{
    if (d != d || d <= -1.0)
        return 0;
    if (d >= 4294967296.0)
        return UINT32_MAX;
    return (uint32_t)d;
}

static uint32_t
mask32(bool c)
{
    return c ? 0xFFFFFFFFu : 0;
}

static uint64_t
mask64(bool c)
{
    return c ? ~0ull : 0;
}

/* Binary lane operations (two v128 operands). False if op is not one. */
static bool
ref_vv(IrOp op, const V *a, const V *b, V *r)
{
    int i;
#define L8(e) for (i = 0; i < 16; i++) r->u8[i] = (uint8_t)(e)
#define L16(e) for (i = 0; i < 8; i++) r->u16[i] = (uint16_t)(e)
#define L32(e) for (i = 0; i < 4; i++) r->u32[i] = (uint32_t)(e)
#define L64(e) for (i = 0; i < 2; i++) r->u64[i] = (uint64_t)(e)
#define F32(e) for (i = 0; i < 4; i++) r->f32[i] = (e)
#define F64(e) for (i = 0; i < 2; i++) r->f64[i] = (e)
    memset(r, 0, sizeof(*r));
    switch (op) {
    case IR_OP_I8X16_SWIZZLE: L8(b->u8[i] < 16 ? a->u8[b->u8[i]] : 0); break;
    case IR_OP_I8X16_EQ: L8(a->u8[i] == b->u8[i] ? 0xFF : 0); break;
    case IR_OP_I8X16_NE: L8(a->u8[i] != b->u8[i] ? 0xFF : 0); break;
    case IR_OP_I8X16_LT_S: L8(a->i8[i] < b->i8[i] ? 0xFF : 0); break;
    case IR_OP_I8X16_LT_U: L8(a->u8[i] < b->u8[i] ? 0xFF : 0); break;
    case IR_OP_I8X16_GT_S: L8(a->i8[i] > b->i8[i] ? 0xFF : 0); break;
    case IR_OP_I8X16_GT_U: L8(a->u8[i] > b->u8[i] ? 0xFF : 0); break;
    case IR_OP_I8X16_LE_S: L8(a->i8[i] <= b->i8[i] ? 0xFF : 0); break;
    case IR_OP_I8X16_LE_U: L8(a->u8[i] <= b->u8[i] ? 0xFF : 0); break;
    case IR_OP_I8X16_GE_S: L8(a->i8[i] >= b->i8[i] ? 0xFF : 0); break;
    case IR_OP_I8X16_GE_U: L8(a->u8[i] >= b->u8[i] ? 0xFF : 0); break;
    case IR_OP_I16X8_EQ: L16(a->u16[i] == b->u16[i] ? 0xFFFF : 0); break;
    case IR_OP_I16X8_NE: L16(a->u16[i] != b->u16[i] ? 0xFFFF : 0); break;
    case IR_OP_I16X8_LT_S: L16(a->i16[i] < b->i16[i] ? 0xFFFF : 0); break;
    case IR_OP_I16X8_LT_U: L16(a->u16[i] < b->u16[i] ? 0xFFFF : 0); break;
    case IR_OP_I16X8_GT_S: L16(a->i16[i] > b->i16[i] ? 0xFFFF : 0); break;
    case IR_OP_I16X8_GT_U: L16(a->u16[i] > b->u16[i] ? 0xFFFF : 0); break;
    case IR_OP_I16X8_LE_S: L16(a->i16[i] <= b->i16[i] ? 0xFFFF : 0); break;
    case IR_OP_I16X8_LE_U: L16(a->u16[i] <= b->u16[i] ? 0xFFFF : 0); break;
    case IR_OP_I16X8_GE_S: L16(a->i16[i] >= b->i16[i] ? 0xFFFF : 0); break;
    case IR_OP_I16X8_GE_U: L16(a->u16[i] >= b->u16[i] ? 0xFFFF : 0); break;
    case IR_OP_I32X4_EQ: L32(mask32(a->u32[i] == b->u32[i])); break;
    case IR_OP_I32X4_NE: L32(mask32(a->u32[i] != b->u32[i])); break;
    case IR_OP_I32X4_LT_S: L32(mask32(a->i32[i] < b->i32[i])); break;
    case IR_OP_I32X4_LT_U: L32(mask32(a->u32[i] < b->u32[i])); break;
    case IR_OP_I32X4_GT_S: L32(mask32(a->i32[i] > b->i32[i])); break;
    case IR_OP_I32X4_GT_U: L32(mask32(a->u32[i] > b->u32[i])); break;
    case IR_OP_I32X4_LE_S: L32(mask32(a->i32[i] <= b->i32[i])); break;
    case IR_OP_I32X4_LE_U: L32(mask32(a->u32[i] <= b->u32[i])); break;
    case IR_OP_I32X4_GE_S: L32(mask32(a->i32[i] >= b->i32[i])); break;
    case IR_OP_I32X4_GE_U: L32(mask32(a->u32[i] >= b->u32[i])); break;
    case IR_OP_I64X2_EQ: L64(mask64(a->u64[i] == b->u64[i])); break;
    case IR_OP_I64X2_NE: L64(mask64(a->u64[i] != b->u64[i])); break;
    case IR_OP_I64X2_LT_S: L64(mask64(a->i64[i] < b->i64[i])); break;
    case IR_OP_I64X2_GT_S: L64(mask64(a->i64[i] > b->i64[i])); break;
    case IR_OP_I64X2_LE_S: L64(mask64(a->i64[i] <= b->i64[i])); break;
    case IR_OP_I64X2_GE_S: L64(mask64(a->i64[i] >= b->i64[i])); break;
    case IR_OP_F32X4_EQ: L32(mask32(a->f32[i] == b->f32[i])); break;
    case IR_OP_F32X4_NE: L32(mask32(a->f32[i] != b->f32[i])); break;
    case IR_OP_F32X4_LT: L32(mask32(a->f32[i] < b->f32[i])); break;
    case IR_OP_F32X4_GT: L32(mask32(a->f32[i] > b->f32[i])); break;
    case IR_OP_F32X4_LE: L32(mask32(a->f32[i] <= b->f32[i])); break;
    case IR_OP_F32X4_GE: L32(mask32(a->f32[i] >= b->f32[i])); break;
    case IR_OP_F64X2_EQ: L64(mask64(a->f64[i] == b->f64[i])); break;
    case IR_OP_F64X2_NE: L64(mask64(a->f64[i] != b->f64[i])); break;
    case IR_OP_F64X2_LT: L64(mask64(a->f64[i] < b->f64[i])); break;
    case IR_OP_F64X2_GT: L64(mask64(a->f64[i] > b->f64[i])); break;
    case IR_OP_F64X2_LE: L64(mask64(a->f64[i] <= b->f64[i])); break;
    case IR_OP_F64X2_GE: L64(mask64(a->f64[i] >= b->f64[i])); break;
    case IR_OP_V128_AND: L64(a->u64[i] & b->u64[i]); break;
    case IR_OP_V128_ANDNOT: L64(a->u64[i] & ~b->u64[i]); break;
    case IR_OP_V128_OR: L64(a->u64[i] | b->u64[i]); break;
    case IR_OP_V128_XOR: L64(a->u64[i] ^ b->u64[i]); break;
    case IR_OP_I8X16_NARROW_I16X8_S: L8(sat_s8(i < 8 ? a->i16[i] : b->i16[i - 8])); break;
    case IR_OP_I8X16_NARROW_I16X8_U: L8(sat_u8(i < 8 ? a->i16[i] : b->i16[i - 8])); break;
    case IR_OP_I8X16_ADD: L8(a->u8[i] + b->u8[i]); break;
    case IR_OP_I8X16_ADD_SAT_S: L8(sat_s8(a->i8[i] + b->i8[i])); break;
    case IR_OP_I8X16_ADD_SAT_U: L8(sat_u8(a->u8[i] + b->u8[i])); break;
    case IR_OP_I8X16_SUB: L8(a->u8[i] - b->u8[i]); break;
    case IR_OP_I8X16_SUB_SAT_S: L8(sat_s8(a->i8[i] - b->i8[i])); break;
    case IR_OP_I8X16_SUB_SAT_U: L8(sat_u8(a->u8[i] - b->u8[i])); break;
    case IR_OP_I8X16_MIN_S: L8(a->i8[i] < b->i8[i] ? a->i8[i] : b->i8[i]); break;
    case IR_OP_I8X16_MIN_U: L8(a->u8[i] < b->u8[i] ? a->u8[i] : b->u8[i]); break;
    case IR_OP_I8X16_MAX_S: L8(a->i8[i] > b->i8[i] ? a->i8[i] : b->i8[i]); break;
    case IR_OP_I8X16_MAX_U: L8(a->u8[i] > b->u8[i] ? a->u8[i] : b->u8[i]); break;
    case IR_OP_I8X16_AVGR_U: L8((a->u8[i] + b->u8[i] + 1) >> 1); break;
    case IR_OP_I16X8_Q15MULR_SAT_S: L16(sat_s16((a->i16[i] * b->i16[i] + 0x4000) >> 15)); break;
    case IR_OP_I16X8_NARROW_I32X4_S: L16(sat_s16(i < 4 ? a->i32[i] : b->i32[i - 4])); break;
    case IR_OP_I16X8_NARROW_I32X4_U:
        L16(i < 4 ? (a->i32[i] < 0 ? 0 : a->i32[i] > 65535 ? 65535 : a->i32[i])
                  : (b->i32[i - 4] < 0 ? 0 : b->i32[i - 4] > 65535 ? 65535 : b->i32[i - 4]));
        break;
    case IR_OP_I16X8_ADD: L16(a->u16[i] + b->u16[i]); break;
    case IR_OP_I16X8_ADD_SAT_S: L16(sat_s16(a->i16[i] + b->i16[i])); break;
    case IR_OP_I16X8_ADD_SAT_U: L16(sat_u16(a->u16[i] + b->u16[i])); break;
    case IR_OP_I16X8_SUB: L16(a->u16[i] - b->u16[i]); break;
    case IR_OP_I16X8_SUB_SAT_S: L16(sat_s16(a->i16[i] - b->i16[i])); break;
    case IR_OP_I16X8_SUB_SAT_U: L16(sat_u16(a->u16[i] - b->u16[i])); break;
    case IR_OP_I16X8_MUL: L16((uint32_t)a->u16[i] * b->u16[i]); break;
    case IR_OP_I16X8_MIN_S: L16(a->i16[i] < b->i16[i] ? a->i16[i] : b->i16[i]); break;
    case IR_OP_I16X8_MIN_U: L16(a->u16[i] < b->u16[i] ? a->u16[i] : b->u16[i]); break;
    case IR_OP_I16X8_MAX_S: L16(a->i16[i] > b->i16[i] ? a->i16[i] : b->i16[i]); break;
    case IR_OP_I16X8_MAX_U: L16(a->u16[i] > b->u16[i] ? a->u16[i] : b->u16[i]); break;
    case IR_OP_I16X8_AVGR_U: L16((a->u16[i] + b->u16[i] + 1) >> 1); break;
    case IR_OP_I16X8_EXTMUL_LOW_I8X16_S: L16(a->i8[i] * b->i8[i]); break;
    case IR_OP_I16X8_EXTMUL_HIGH_I8X16_S: L16(a->i8[i + 8] * b->i8[i + 8]); break;
    case IR_OP_I16X8_EXTMUL_LOW_I8X16_U: L16(a->u8[i] * b->u8[i]); break;
    case IR_OP_I16X8_EXTMUL_HIGH_I8X16_U: L16(a->u8[i + 8] * b->u8[i + 8]); break;
    case IR_OP_I32X4_ADD: L32(a->u32[i] + b->u32[i]); break;
    case IR_OP_I32X4_SUB: L32(a->u32[i] - b->u32[i]); break;
    case IR_OP_I32X4_MUL: L32(a->u32[i] * b->u32[i]); break;
    case IR_OP_I32X4_MIN_S: L32(a->i32[i] < b->i32[i] ? a->i32[i] : b->i32[i]); break;
    case IR_OP_I32X4_MIN_U: L32(a->u32[i] < b->u32[i] ? a->u32[i] : b->u32[i]); break;
    case IR_OP_I32X4_MAX_S: L32(a->i32[i] > b->i32[i] ? a->i32[i] : b->i32[i]); break;
    case IR_OP_I32X4_MAX_U: L32(a->u32[i] > b->u32[i] ? a->u32[i] : b->u32[i]); break;
    case IR_OP_I32X4_DOT_I16X8_S:
        L32((uint32_t)(a->i16[2 * i] * b->i16[2 * i]) +
            (uint32_t)(a->i16[2 * i + 1] * b->i16[2 * i + 1]));
        break;
    case IR_OP_I32X4_EXTMUL_LOW_I16X8_S: L32(a->i16[i] * b->i16[i]); break;
    case IR_OP_I32X4_EXTMUL_HIGH_I16X8_S: L32(a->i16[i + 4] * b->i16[i + 4]); break;
    case IR_OP_I32X4_EXTMUL_LOW_I16X8_U: L32((uint32_t)a->u16[i] * b->u16[i]); break;
    case IR_OP_I32X4_EXTMUL_HIGH_I16X8_U: L32((uint32_t)a->u16[i + 4] * b->u16[i + 4]); break;
    case IR_OP_I64X2_ADD: L64(a->u64[i] + b->u64[i]); break;
    case IR_OP_I64X2_SUB: L64(a->u64[i] - b->u64[i]); break;
    case IR_OP_I64X2_MUL: L64(a->u64[i] * b->u64[i]); break;
    case IR_OP_I64X2_EXTMUL_LOW_I32X4_S: L64((int64_t)a->i32[i] * b->i32[i]); break;
    case IR_OP_I64X2_EXTMUL_HIGH_I32X4_S: L64((int64_t)a->i32[i + 2] * b->i32[i + 2]); break;
    case IR_OP_I64X2_EXTMUL_LOW_I32X4_U: L64((uint64_t)a->u32[i] * b->u32[i]); break;
    case IR_OP_I64X2_EXTMUL_HIGH_I32X4_U: L64((uint64_t)a->u32[i + 2] * b->u32[i + 2]); break;
    case IR_OP_F32X4_ADD: F32(a->f32[i] + b->f32[i]); break;
    case IR_OP_F32X4_SUB: F32(a->f32[i] - b->f32[i]); break;
    case IR_OP_F32X4_MUL: F32(a->f32[i] * b->f32[i]); break;
    case IR_OP_F32X4_DIV: F32(a->f32[i] / b->f32[i]); break;
    case IR_OP_F32X4_MIN: F32(wasm_fmin32(a->f32[i], b->f32[i])); break;
    case IR_OP_F32X4_MAX: F32(wasm_fmax32(a->f32[i], b->f32[i])); break;
    case IR_OP_F32X4_PMIN: L32(b->f32[i] < a->f32[i] ? b->u32[i] : a->u32[i]); break;
    case IR_OP_F32X4_PMAX: L32(a->f32[i] < b->f32[i] ? b->u32[i] : a->u32[i]); break;
    case IR_OP_F64X2_ADD: F64(a->f64[i] + b->f64[i]); break;
    case IR_OP_F64X2_SUB: F64(a->f64[i] - b->f64[i]); break;
    case IR_OP_F64X2_MUL: F64(a->f64[i] * b->f64[i]); break;
    case IR_OP_F64X2_DIV: F64(a->f64[i] / b->f64[i]); break;
    case IR_OP_F64X2_MIN: F64(wasm_fmin64(a->f64[i], b->f64[i])); break;
    case IR_OP_F64X2_MAX: F64(wasm_fmax64(a->f64[i], b->f64[i])); break;
    case IR_OP_F64X2_PMIN: L64(b->f64[i] < a->f64[i] ? b->u64[i] : a->u64[i]); break;
    case IR_OP_F64X2_PMAX: L64(a->f64[i] < b->f64[i] ? b->u64[i] : a->u64[i]); break;
    default:
        return false;
    }
    return true;
}

static unsigned
popcount8(uint8_t x)
{
    unsigned n = 0;
    for (; x; x &= (uint8_t)(x - 1))
        n++;
    return n;
}

/* Unary operations on one v128 (result v128, or an i32 in r->u32[0]). */
static bool
ref_v(IrOp op, const V *a, V *r)
{
    int i;
    memset(r, 0, sizeof(*r));
    switch (op) {
    case IR_OP_V128_NOT: L64(~a->u64[i]); break;
    case IR_OP_V128_ANY_TRUE: r->u32[0] = (a->u64[0] | a->u64[1]) != 0; break;
    case IR_OP_I8X16_ALL_TRUE:
        r->u32[0] = 1;
        for (i = 0; i < 16; i++)
            r->u32[0] &= a->u8[i] != 0;
        break;
    case IR_OP_I16X8_ALL_TRUE:
        r->u32[0] = 1;
        for (i = 0; i < 8; i++)
            r->u32[0] &= a->u16[i] != 0;
        break;
    case IR_OP_I32X4_ALL_TRUE:
        r->u32[0] = 1;
        for (i = 0; i < 4; i++)
            r->u32[0] &= a->u32[i] != 0;
        break;
    case IR_OP_I64X2_ALL_TRUE: r->u32[0] = a->u64[0] != 0 && a->u64[1] != 0; break;
    case IR_OP_I8X16_BITMASK:
        for (i = 0; i < 16; i++)
            r->u32[0] |= (uint32_t)(a->u8[i] >> 7) << i;
        break;
    case IR_OP_I16X8_BITMASK:
        for (i = 0; i < 8; i++)
            r->u32[0] |= (uint32_t)(a->u16[i] >> 15) << i;
        break;
    case IR_OP_I32X4_BITMASK:
        for (i = 0; i < 4; i++)
            r->u32[0] |= (a->u32[i] >> 31) << i;
        break;
    case IR_OP_I64X2_BITMASK:
        r->u32[0] = (uint32_t)(a->u64[0] >> 63 | (a->u64[1] >> 63) << 1);
        break;
    case IR_OP_I8X16_ABS: L8(a->i8[i] < 0 ? -a->i8[i] : a->i8[i]); break;
    case IR_OP_I8X16_NEG: L8(-a->u8[i]); break;
    case IR_OP_I8X16_POPCNT: L8(popcount8(a->u8[i])); break;
    case IR_OP_I16X8_ABS: L16(a->i16[i] < 0 ? -a->i16[i] : a->i16[i]); break;
    case IR_OP_I16X8_NEG: L16(-a->u16[i]); break;
    case IR_OP_I32X4_ABS: L32(a->i32[i] < 0 ? 0u - a->u32[i] : a->u32[i]); break;
    case IR_OP_I32X4_NEG: L32(0u - a->u32[i]); break;
    case IR_OP_I64X2_ABS: L64(a->i64[i] < 0 ? 0ull - a->u64[i] : a->u64[i]); break;
    case IR_OP_I64X2_NEG: L64(0ull - a->u64[i]); break;
    case IR_OP_I16X8_EXTADD_PAIRWISE_I8X16_S: L16(a->i8[2 * i] + a->i8[2 * i + 1]); break;
    case IR_OP_I16X8_EXTADD_PAIRWISE_I8X16_U: L16(a->u8[2 * i] + a->u8[2 * i + 1]); break;
    case IR_OP_I32X4_EXTADD_PAIRWISE_I16X8_S: L32(a->i16[2 * i] + a->i16[2 * i + 1]); break;
    case IR_OP_I32X4_EXTADD_PAIRWISE_I16X8_U: L32(a->u16[2 * i] + a->u16[2 * i + 1]); break;
    case IR_OP_I16X8_EXTEND_LOW_I8X16_S: L16(a->i8[i]); break;
    case IR_OP_I16X8_EXTEND_HIGH_I8X16_S: L16(a->i8[i + 8]); break;
    case IR_OP_I16X8_EXTEND_LOW_I8X16_U: L16(a->u8[i]); break;
    case IR_OP_I16X8_EXTEND_HIGH_I8X16_U: L16(a->u8[i + 8]); break;
    case IR_OP_I32X4_EXTEND_LOW_I16X8_S: L32(a->i16[i]); break;
    case IR_OP_I32X4_EXTEND_HIGH_I16X8_S: L32(a->i16[i + 4]); break;
    case IR_OP_I32X4_EXTEND_LOW_I16X8_U: L32(a->u16[i]); break;
    case IR_OP_I32X4_EXTEND_HIGH_I16X8_U: L32(a->u16[i + 4]); break;
    case IR_OP_I64X2_EXTEND_LOW_I32X4_S: L64(a->i32[i]); break;
    case IR_OP_I64X2_EXTEND_HIGH_I32X4_S: L64(a->i32[i + 2]); break;
    case IR_OP_I64X2_EXTEND_LOW_I32X4_U: L64(a->u32[i]); break;
    case IR_OP_I64X2_EXTEND_HIGH_I32X4_U: L64(a->u32[i + 2]); break;
    case IR_OP_F32X4_CEIL: F32(ceilf(a->f32[i])); break;
    case IR_OP_F32X4_FLOOR: F32(floorf(a->f32[i])); break;
    case IR_OP_F32X4_TRUNC: F32(truncf(a->f32[i])); break;
    case IR_OP_F32X4_NEAREST: F32(nearbyintf(a->f32[i])); break;
    case IR_OP_F32X4_ABS: L32(a->u32[i] & 0x7FFFFFFFu); break;
    case IR_OP_F32X4_NEG: L32(a->u32[i] ^ 0x80000000u); break;
    case IR_OP_F32X4_SQRT: F32(sqrtf(a->f32[i])); break;
    case IR_OP_F64X2_CEIL: F64(ceil(a->f64[i])); break;
    case IR_OP_F64X2_FLOOR: F64(floor(a->f64[i])); break;
    case IR_OP_F64X2_TRUNC: F64(trunc(a->f64[i])); break;
    case IR_OP_F64X2_NEAREST: F64(nearbyint(a->f64[i])); break;
    case IR_OP_F64X2_ABS: L64(a->u64[i] & 0x7FFFFFFFFFFFFFFFull); break;
    case IR_OP_F64X2_NEG: L64(a->u64[i] ^ 0x8000000000000000ull); break;
    case IR_OP_F64X2_SQRT: F64(sqrt(a->f64[i])); break;
    case IR_OP_I32X4_TRUNC_SAT_F32X4_S: L32(trunc_sat_s32(a->f32[i])); break;
    case IR_OP_I32X4_TRUNC_SAT_F32X4_U: L32(trunc_sat_u32(a->f32[i])); break;
    case IR_OP_F32X4_CONVERT_I32X4_S: F32((float)a->i32[i]); break;
    case IR_OP_F32X4_CONVERT_I32X4_U: F32((float)a->u32[i]); break;
    case IR_OP_I32X4_TRUNC_SAT_F64X2_S_ZERO:
        r->i32[0] = trunc_sat_s32(a->f64[0]);
        r->i32[1] = trunc_sat_s32(a->f64[1]);
        break;
    case IR_OP_I32X4_TRUNC_SAT_F64X2_U_ZERO:
        r->u32[0] = trunc_sat_u32(a->f64[0]);
        r->u32[1] = trunc_sat_u32(a->f64[1]);
        break;
    case IR_OP_F64X2_CONVERT_LOW_I32X4_S: F64((double)a->i32[i]); break;
    case IR_OP_F64X2_CONVERT_LOW_I32X4_U: F64((double)a->u32[i]); break;
    case IR_OP_F32X4_DEMOTE_F64X2_ZERO:
        r->f32[0] = (float)a->f64[0];
        r->f32[1] = (float)a->f64[1];
        break;
    case IR_OP_F64X2_PROMOTE_LOW_F32X4: F64((double)a->f32[i]); break;
    default:
        return false;
    }
    return true;
}

/* Shifts by an i32 count (taken modulo the lane width). */
static bool
ref_shift(IrOp op, const V *a, uint32_t c, V *r)
{
    int i;
    memset(r, 0, sizeof(*r));
    switch (op) {
    case IR_OP_I8X16_SHL: L8(a->u8[i] << (c & 7)); break;
    case IR_OP_I8X16_SHR_S: L8(a->i8[i] >> (c & 7)); break;
    case IR_OP_I8X16_SHR_U: L8(a->u8[i] >> (c & 7)); break;
    case IR_OP_I16X8_SHL: L16(a->u16[i] << (c & 15)); break;
    case IR_OP_I16X8_SHR_S: L16(a->i16[i] >> (c & 15)); break;
    case IR_OP_I16X8_SHR_U: L16(a->u16[i] >> (c & 15)); break;
    case IR_OP_I32X4_SHL: L32(a->u32[i] << (c & 31)); break;
    case IR_OP_I32X4_SHR_S: L32(a->i32[i] >> (c & 31)); break;
    case IR_OP_I32X4_SHR_U: L32(a->u32[i] >> (c & 31)); break;
    case IR_OP_I64X2_SHL: L64(a->u64[i] << (c & 63)); break;
    case IR_OP_I64X2_SHR_S: L64(a->i64[i] >> (c & 63)); break;
    case IR_OP_I64X2_SHR_U: L64(a->u64[i] >> (c & 63)); break;
    default:
        return false;
    }
    return true;
}

/* Lane facts of the lane operations: lane count and bytes, and the scalar's IR type. */
typedef struct LaneInfo {
    unsigned lanes, bytes;
    IrType scalar;
} LaneInfo;

static LaneInfo
lane_info(IrOp op)
{
    switch (op) {
    case IR_OP_I8X16_SPLAT: case IR_OP_I8X16_EXTRACT_LANE_S: case IR_OP_I8X16_EXTRACT_LANE_U:
    case IR_OP_I8X16_REPLACE_LANE: case IR_OP_V128_LOAD8_LANE: case IR_OP_V128_STORE8_LANE:
        return (LaneInfo){16, 1, IR_TYPE_I32};
    case IR_OP_I16X8_SPLAT: case IR_OP_I16X8_EXTRACT_LANE_S: case IR_OP_I16X8_EXTRACT_LANE_U:
    case IR_OP_I16X8_REPLACE_LANE: case IR_OP_V128_LOAD16_LANE: case IR_OP_V128_STORE16_LANE:
        return (LaneInfo){8, 2, IR_TYPE_I32};
    case IR_OP_I32X4_SPLAT: case IR_OP_I32X4_EXTRACT_LANE: case IR_OP_I32X4_REPLACE_LANE:
    case IR_OP_V128_LOAD32_LANE: case IR_OP_V128_STORE32_LANE:
        return (LaneInfo){4, 4, IR_TYPE_I32};
    case IR_OP_I64X2_SPLAT: case IR_OP_I64X2_EXTRACT_LANE: case IR_OP_I64X2_REPLACE_LANE:
    case IR_OP_V128_LOAD64_LANE: case IR_OP_V128_STORE64_LANE:
        return (LaneInfo){2, 8, IR_TYPE_I64};
    case IR_OP_F32X4_SPLAT: case IR_OP_F32X4_EXTRACT_LANE: case IR_OP_F32X4_REPLACE_LANE:
        return (LaneInfo){4, 4, IR_TYPE_F32};
    case IR_OP_F64X2_SPLAT: case IR_OP_F64X2_EXTRACT_LANE: case IR_OP_F64X2_REPLACE_LANE:
        return (LaneInfo){2, 8, IR_TYPE_F64};
    default:
        return (LaneInfo){0, 0, IR_TYPE_NONE};
    }
}

/* The scalar result of extract_lane (zero-extended into 64 bits; i32 results in i32). */
static uint64_t
ref_extract(IrOp op, const V *a, unsigned lane)
{
    switch (op) {
    case IR_OP_I8X16_EXTRACT_LANE_S: return (uint32_t)(int32_t)a->i8[lane];
    case IR_OP_I8X16_EXTRACT_LANE_U: return a->u8[lane];
    case IR_OP_I16X8_EXTRACT_LANE_S: return (uint32_t)(int32_t)a->i16[lane];
    case IR_OP_I16X8_EXTRACT_LANE_U: return a->u16[lane];
    case IR_OP_I32X4_EXTRACT_LANE: case IR_OP_F32X4_EXTRACT_LANE: return a->u32[lane];
    default: return a->u64[lane];
    }
}

/* The bytes a load reads and how it builds the vector from memory at p. */
static void
ref_load(IrOp op, const uint8_t *p, V *r)
{
    int i;
    memset(r, 0, sizeof(*r));
    V m;
    memcpy(&m, p, 16);
    switch (op) {
    case IR_OP_V128_LOAD8X8_S: L16(m.i8[i]); break;
    case IR_OP_V128_LOAD8X8_U: L16(m.u8[i]); break;
    case IR_OP_V128_LOAD16X4_S: L32(m.i16[i]); break;
    case IR_OP_V128_LOAD16X4_U: L32(m.u16[i]); break;
    case IR_OP_V128_LOAD32X2_S: L64(m.i32[i]); break;
    case IR_OP_V128_LOAD32X2_U: L64(m.u32[i]); break;
    case IR_OP_V128_LOAD8_SPLAT: L8(m.u8[0]); break;
    case IR_OP_V128_LOAD16_SPLAT: L16(m.u16[0]); break;
    case IR_OP_V128_LOAD32_SPLAT: L32(m.u32[0]); break;
    case IR_OP_V128_LOAD64_SPLAT: L64(m.u64[0]); break;
    case IR_OP_V128_LOAD32_ZERO: r->u32[0] = m.u32[0]; break;
    case IR_OP_V128_LOAD64_ZERO: r->u64[0] = m.u64[0]; break;
    default: abort();
    }
}

static unsigned
load_bytes(IrOp op)
{
    switch (op) {
    case IR_OP_V128_LOAD8_SPLAT: return 1;
    case IR_OP_V128_LOAD16_SPLAT: return 2;
    case IR_OP_V128_LOAD32_SPLAT: case IR_OP_V128_LOAD32_ZERO: return 4;
    default: return 8;
    }
}
#undef L8
#undef L16
#undef L32
#undef L64
#undef F32
#undef F64

/* ---- result checks ------------------------------------------------------------------------ */

/* The float lane width of an operation whose result lanes are computed floats (0 if the
 * result must match bit for bit). */
static unsigned
float_result(IrOp op)
{
    switch (op) {
    case IR_OP_F32X4_ADD: case IR_OP_F32X4_SUB: case IR_OP_F32X4_MUL: case IR_OP_F32X4_DIV:
    case IR_OP_F32X4_MIN: case IR_OP_F32X4_MAX: case IR_OP_F32X4_SQRT: case IR_OP_F32X4_CEIL:
    case IR_OP_F32X4_FLOOR: case IR_OP_F32X4_TRUNC: case IR_OP_F32X4_NEAREST:
    case IR_OP_F32X4_DEMOTE_F64X2_ZERO:
        return 4;
    case IR_OP_F64X2_ADD: case IR_OP_F64X2_SUB: case IR_OP_F64X2_MUL: case IR_OP_F64X2_DIV:
    case IR_OP_F64X2_MIN: case IR_OP_F64X2_MAX: case IR_OP_F64X2_SQRT: case IR_OP_F64X2_CEIL:
    case IR_OP_F64X2_FLOOR: case IR_OP_F64X2_TRUNC: case IR_OP_F64X2_NEAREST:
    case IR_OP_F64X2_PROMOTE_LOW_F32X4:
        return 8;
    default:
        return 0;
    }
}

/* True if every NaN in the inputs is a canonical NaN, read as f32 lanes and as f64 lanes
 * (either width: demote and promote change it). */
static bool
nans_canonical(const V *const *in, unsigned nin)
{
    for (unsigned k = 0; k < nin; k++) {
        for (unsigned i = 0; i < 4; i++) {
            uint32_t x = in[k]->u32[i] & 0x7FFFFFFFu;
            if (x > 0x7F800000u && x != 0x7FC00000u)
                return false;
        }
        for (unsigned i = 0; i < 2; i++) {
            uint64_t x = in[k]->u64[i] & 0x7FFFFFFFFFFFFFFFull;
            if (x > 0x7FF0000000000000ull && x != 0x7FF8000000000000ull)
                return false;
        }
    }
    return true;
}

/* Compares got with want under the spec's NaN rules for float results. */
static bool
same_result(IrOp op, const V *got, const V *want, const V *const *in, unsigned nin)
{
    unsigned w = float_result(op);
    if (!w)
        return !memcmp(got, want, 16);
    bool canon = nans_canonical(in, nin);
    for (unsigned i = 0; i < 16 / w; i++) {
        if (w == 4) {
            uint32_t g = got->u32[i], e = want->u32[i];
            if (isnan(want->f32[i])) {
                if ((g & 0x7FC00000u) != 0x7FC00000u)  // quiet NaN
                    return false;
                if (canon && (g & 0x7FFFFFFFu) != 0x7FC00000u)
                    return false;
            } else if (g != e) {
                return false;
            }
        } else {
            uint64_t g = got->u64[i], e = want->u64[i];
            if (isnan(want->f64[i])) {
                if ((g & 0x7FF8000000000000ull) != 0x7FF8000000000000ull)
                    return false;
                if (canon && (g & 0x7FFFFFFFFFFFFFFFull) != 0x7FF8000000000000ull)
                    return false;
            } else if (g != e) {
                return false;
            }
        }
    }
    return true;
}

static void
print_v(const char *what, const V *v)
{
    fprintf(stderr, "  %s: %016llx %016llx\n", what, (unsigned long long)v->u64[1],
            (unsigned long long)v->u64[0]);
}

/* ---- test cases: each one IR function ----------------------------------------------------- */

typedef enum Shape {
    SH_VV,          // (v128, v128) -> v128
    SH_VV_CONST,    // (v128) -> v128 with a v128 constant second operand (vecs[aux])
    SH_V,           // v128 -> v128 or i32
    SH_VVV,         // bitselect
    SH_VI,          // (v128, i32 count) -> v128
    SH_VI_CONST,    // v128 -> v128 with the constant count aux
    SH_SPLAT,       // scalar -> v128
    SH_SPLAT_CONST, // () -> v128, the constant scalar aux
    SH_EXTRACT,     // v128 -> scalar, lane aux
    SH_REPLACE,     // (v128, scalar) -> v128, lane aux
    SH_LOAD,        // i32 address -> v128
    SH_LOAD_LANE,   // (i32 address, v128) -> v128, lane aux
    SH_STORE_LANE,  // (i32 address, v128) -> (), lane aux
    SH_SHUFFLE,     // (v128, v128) -> v128, selectors sel
    SH_SHUFFLE_SAME // v128 -> v128: shuffle of a vector with itself, selectors sel
} Shape;

typedef struct Case {
    IrOp op;
    Shape shape;
    uint64_t aux;
    uint8_t sel[16];
    uint32_t fi;  // function index after adding
} Case;

#define MAX_CASES 2048
static Case cases[MAX_CASES];
static uint32_t ncases;

static void
add_case(IrOp op, Shape shape, uint64_t aux, const uint8_t *sel)
{
    if (ncases >= MAX_CASES)
        abort();
    Case *c = &cases[ncases++];
    memset(c, 0, sizeof(*c));
    c->op = op;
    c->shape = shape;
    c->aux = aux;
    if (sel)
        memcpy(c->sel, sel, 16);
}

static IrValue
vconst(IrFunc *f, const void *bytes)
{
    return ir_emit(f, IR_OP_VCONST, IR_TYPE_V128, 0, 0, 0, ir_v128_add(f, bytes));
}

static IrValue
scalar_const(IrFunc *f, IrType t, uint64_t bits)
{
    IrOp op = t == IR_TYPE_F32 || t == IR_TYPE_F64 ? IR_OP_FCONST : IR_OP_ICONST;
    return ir_emit(f, op, t, 0, 0, 0, t == IR_TYPE_I32 || t == IR_TYPE_F32 ? (uint32_t)bits : bits);
}

static void
build_case(IrFunc *f, const void *arg)
{
    const Case *c = arg;
    const IrOpInfo *info = &ir_op_info[c->op];
    IrType rt = info->res == 'v' ? IR_TYPE_V128 : info->res == 'i' ? IR_TYPE_I32
                : info->res == 'l' ? IR_TYPE_I64 : info->res == 'f' ? IR_TYPE_F32
                : info->res == 'd' ? IR_TYPE_F64 : IR_TYPE_NONE;
    IrValue p0 = {0}, p1 = {0}, r = {0};
    const IrSig *sig = &f->module->sigs[f->module->func_sigs[f->index]];
    if (sig->nparams > 0)
        p0 = ir_func_param(f, 0);
    if (sig->nparams > 1)
        p1 = ir_func_param(f, 1);
    switch (c->shape) {
    case SH_VV:
        r = ir_emit(f, c->op, rt, p0.id, p1.id, 0, 0);
        break;
    case SH_VV_CONST:
        r = ir_emit(f, c->op, rt, p0.id, vconst(f, &vecs[c->aux]).id, 0, 0);
        break;
    case SH_V:
        r = ir_emit(f, c->op, rt, p0.id, 0, 0, 0);
        break;
    case SH_VVV:
        r = ir_emit(f, c->op, rt, p0.id, p1.id, ir_func_param(f, 2).id, 0);
        break;
    case SH_VI:
        r = ir_emit(f, c->op, rt, p0.id, p1.id, 0, 0);
        break;
    case SH_VI_CONST:
        r = ir_emit(f, c->op, rt, p0.id, scalar_const(f, IR_TYPE_I32, c->aux).id, 0, 0);
        break;
    case SH_SPLAT:
        r = ir_emit(f, c->op, rt, p0.id, 0, 0, 0);
        break;
    case SH_SPLAT_CONST:
        r = ir_emit(f, c->op, rt, scalar_const(f, lane_info(c->op).scalar, c->aux).id, 0, 0, 0);
        break;
    case SH_EXTRACT:
        r = ir_emit(f, c->op, rt, p0.id, 0, 0, c->aux);
        break;
    case SH_REPLACE:
        r = ir_emit(f, c->op, rt, p0.id, p1.id, 0, c->aux);
        break;
    case SH_LOAD:
        r = ir_emit(f, c->op, rt, p0.id, 0, IR_MEMARG(0, 0, 0), c->aux);
        break;
    case SH_LOAD_LANE:
        r = ir_emit(f, c->op, rt, p0.id, p1.id, IR_MEMARG(0, 0, (uint32_t)c->aux), 0);
        break;
    case SH_STORE_LANE:
        ir_emit(f, c->op, IR_TYPE_NONE, p0.id, p1.id, IR_MEMARG(0, 0, (uint32_t)c->aux), 0);
        ir_return(f, NULL, 0);
        return;
    case SH_SHUFFLE:
        r = ir_emit(f, c->op, rt, p0.id, p1.id, 0, ir_v128_add(f, c->sel));
        break;
    case SH_SHUFFLE_SAME:
        r = ir_emit(f, c->op, rt, p0.id, p0.id, 0, ir_v128_add(f, c->sel));
        break;
    }
    ir_return(f, &r, 1);
}

/* The signature of a case's function. */
static uint32_t
case_sig(HxModule *h, const Case *c)
{
    const IrOpInfo *info = &ir_op_info[c->op];
    uint8_t rt = info->res == 'v' ? T_V : info->res == 'i' ? T_I32 : info->res == 'l' ? T_I64
                 : info->res == 'f' ? T_F32 : T_F64;
    uint8_t st = (uint8_t)lane_info(c->op).scalar;
    uint8_t p[3];
    switch (c->shape) {
    case SH_VV: case SH_SHUFFLE: p[0] = p[1] = T_V; return hx_sig(h, p, 2, &rt, 1);
    case SH_VV_CONST: case SH_V: case SH_VI_CONST: case SH_EXTRACT: case SH_SHUFFLE_SAME:
        p[0] = T_V;
        return hx_sig(h, p, 1, &rt, 1);
    case SH_VVV: p[0] = p[1] = p[2] = T_V; return hx_sig(h, p, 3, &rt, 1);
    case SH_VI: p[0] = T_V; p[1] = T_I32; return hx_sig(h, p, 2, &rt, 1);
    case SH_SPLAT: p[0] = st; return hx_sig(h, p, 1, &rt, 1);
    case SH_SPLAT_CONST: return hx_sig(h, p, 0, &rt, 1);
    case SH_REPLACE: p[0] = T_V; p[1] = st; return hx_sig(h, p, 2, &rt, 1);
    case SH_LOAD: p[0] = T_I32; return hx_sig(h, p, 1, &rt, 1);
    case SH_LOAD_LANE: p[0] = T_I32; p[1] = T_V; return hx_sig(h, p, 2, &rt, 1);
    case SH_STORE_LANE: p[0] = T_I32; p[1] = T_V; return hx_sig(h, p, 2, NULL, 0);
    }
    abort();
}

/* Shuffle selector patterns: one per class the selector recognizes, and general ones. */
static void
add_shuffles(void)
{
    static const uint8_t pats[][16] = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},          // identity a
        {16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31}, // identity b
        {4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11},           // pshufd a
        {28, 29, 30, 31, 16, 17, 18, 19, 24, 25, 26, 27, 20, 21, 22, 23}, // pshufd b
        {0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23},         // punpcklbw a, b
        {24, 8, 25, 9, 26, 10, 27, 11, 28, 12, 29, 13, 30, 14, 31, 15},   // punpckhbw b, a
        {0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23},         // punpcklwd
        {8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31},   // punpckhdq
        {16, 17, 18, 19, 20, 21, 22, 23, 0, 1, 2, 3, 4, 5, 6, 7},         // punpcklqdq b, a
        {8, 9, 10, 11, 4, 5, 6, 7, 28, 29, 30, 31, 16, 17, 18, 19},       // shufps a, b
        {20, 21, 22, 23, 24, 25, 26, 27, 0, 1, 2, 3, 12, 13, 14, 15},     // shufps b, a
        {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18},        // palignr a:b
        {29, 30, 31, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},           // palignr b:a
        {5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4},           // rotation of a
        {2, 3, 0, 1, 6, 7, 4, 5, 8, 9, 14, 15, 12, 13, 10, 11},           // pshuflw/hw a
        {6, 7, 0, 1, 14, 15, 2, 3, 10, 11, 8, 9, 4, 5, 12, 13},           // words across halves
        {0, 1, 18, 19, 4, 5, 30, 31, 10, 11, 16, 17, 14, 15, 2, 3},       // words of both
        {15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0},           // reverse a
        {31, 0, 30, 1, 29, 2, 28, 3, 27, 4, 26, 5, 25, 6, 24, 7},         // bytes of both
        {17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17}, // splat of b's byte
        {3, 19, 5, 21, 0, 0, 31, 16, 1, 1, 2, 2, 9, 24, 11, 26},          // general
    };
    for (unsigned i = 0; i < sizeof(pats) / 16; i++) {
        add_case(IR_OP_I8X16_SHUFFLE, SH_SHUFFLE, 0, pats[i]);
        add_case(IR_OP_I8X16_SHUFFLE, SH_SHUFFLE_SAME, 0, pats[i]);
    }
}

/* Every SIMD operation, in the shapes its ops.def row implies, plus the variants. */
static void
collect_cases(void)
{
    static const uint32_t const_counts[] = {0, 1, 3, 7, 8, 9, 15, 16, 31, 32, 33, 63, 64, 100};
    for (uint32_t op = IR_OP_V128_LOAD8X8_S; op < IR_OP_COUNT; op++) {
        const IrOpInfo *info = &ir_op_info[op];
        LaneInfo li = lane_info((IrOp)op);
        if (info->imm == IR_IMM_MEM) {
            static const uint64_t offs[] = {0, 1, 7, 100, 65536 - 24};
            for (unsigned k = 0; k < sizeof(offs) / 8; k++)
                add_case((IrOp)op, SH_LOAD, offs[k], NULL);
        } else if (info->imm == IR_IMM_MEMLANE) {
            for (unsigned l = 0; l < li.lanes; l++)
                add_case((IrOp)op, info->res == '_' ? SH_STORE_LANE : SH_LOAD_LANE, l, NULL);
        } else if (info->imm == IR_IMM_SHUFFLE) {
            add_shuffles();
        } else if (info->imm == IR_IMM_LANE) {
            for (unsigned l = 0; l < li.lanes; l++)
                add_case((IrOp)op, info->nargs == 1 ? SH_EXTRACT : SH_REPLACE, l, NULL);
        } else if (!strcmp(info->args, "vv")) {
            add_case((IrOp)op, SH_VV, 0, NULL);
            add_case((IrOp)op, SH_VV_CONST, 5, NULL);
            add_case((IrOp)op, SH_VV_CONST, nvecs - 1, NULL);
        } else if (!strcmp(info->args, "v")) {
            add_case((IrOp)op, SH_V, 0, NULL);
        } else if (!strcmp(info->args, "vvv")) {
            add_case((IrOp)op, SH_VVV, 0, NULL);
        } else if (!strcmp(info->args, "vi")) {
            add_case((IrOp)op, SH_VI, 0, NULL);
            for (unsigned k = 0; k < sizeof(const_counts) / 4; k++)
                add_case((IrOp)op, SH_VI_CONST, const_counts[k], NULL);
        } else if (li.lanes && info->nargs == 1) {
            add_case((IrOp)op, SH_SPLAT, 0, NULL);
            static const uint64_t consts[] = {0, 0x80, 0x12345678, ~0ull, 0x3FF0000000000000ull};
            for (unsigned k = 0; k < sizeof(consts) / 8; k++)
                add_case((IrOp)op, SH_SPLAT_CONST, consts[k], NULL);
        } else {
            fprintf(stderr, "no test shape for %s\n", info->name);
            CHECK(false);
        }
    }
}

/* Scalars for splat and replace_lane: edge values of every type (as bits). */
static const uint64_t scalars[] = {0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF,
                                   0x80000000, 0xFFFFFFFF, 0x3F800000, 0x7FC00001,
                                   0x123456789ABCDEF0, 0x8000000000000000, ~0ull,
                                   0x3FF0000000000000};

static uint64_t
scalar_bits(IrType t, uint64_t v)
{
    return t == IR_TYPE_I32 || t == IR_TYPE_F32 ? (uint32_t)v : v;
}

/* Runs case c against the reference; a mismatch counts as a failed check (the first three
 * are printed with their operands). */
static void
run_case(HxModule *h, const Case *c, const char *mode)
{
    const IrOpInfo *info = &ir_op_info[c->op];
    RtVal av[4];
    V want, got;
    unsigned bad = 0;
    LaneInfo li = lane_info(c->op);
#define REPORT(...)                                                                          \
    do {                                                                                     \
        if (bad++ < 3) {                                                                     \
            fprintf(stderr, "%s: %s (shape %d, aux %llu): ", mode, info->name, (int)c->shape, \
                    (unsigned long long)c->aux);                                             \
            fprintf(stderr, __VA_ARGS__);                                                    \
            fprintf(stderr, "\n");                                                           \
        }                                                                                    \
    } while (0)
    switch (c->shape) {
    case SH_VV:
    case SH_VV_CONST:
    case SH_SHUFFLE:
    case SH_SHUFFLE_SAME:
        for (uint32_t i = 0; i < nvecs; i++) {
            uint32_t jn = c->shape == SH_VV || c->shape == SH_SHUFFLE ? nvecs : 1;
            for (uint32_t j = 0; j < jn; j++) {
                const V *a = &vecs[i];
                const V *b = c->shape == SH_VV_CONST ? &vecs[c->aux]
                             : c->shape == SH_SHUFFLE_SAME ? a : &vecs[j];
                if (c->op == IR_OP_I8X16_SHUFFLE) {
                    for (unsigned k = 0; k < 16; k++)
                        want.u8[k] = c->sel[k] < 16 ? a->u8[c->sel[k]] : b->u8[c->sel[k] - 16];
                } else if (!ref_vv(c->op, a, b, &want)) {
                    REPORT("no reference");
                    goto done;
                }
                memcpy(av[0].v128, a, 16);
                memcpy(av[1].v128, b, 16);
                if (hx_call(h, c->fi, av) != 0) {
                    REPORT("trapped");
                    goto done;
                }
                memcpy(&got, av[0].v128, 16);
                const V *in[2] = {a, b};
                if (!same_result(c->op, &got, &want, in, 2)) {
                    REPORT("vectors %u, %u", i, j);
                    if (bad <= 3) {
                        print_v("a   ", a);
                        print_v("b   ", b);
                        print_v("got ", &got);
                        print_v("want", &want);
                    }
                }
            }
        }
        break;
    case SH_V:
        for (uint32_t i = 0; i < nvecs; i++) {
            if (!ref_v(c->op, &vecs[i], &want)) {
                REPORT("no reference");
                goto done;
            }
            memcpy(av[0].v128, &vecs[i], 16);
            if (hx_call(h, c->fi, av) != 0) {
                REPORT("trapped");
                goto done;
            }
            const V *in[1] = {&vecs[i]};
            if (info->res == 'i') {
                if (av[0].i32 != want.u32[0])
                    REPORT("vector %u: got %u, want %u", i, av[0].i32, want.u32[0]);
                continue;
            }
            memcpy(&got, av[0].v128, 16);
            if (!same_result(c->op, &got, &want, in, 1)) {
                REPORT("vector %u", i);
                if (bad <= 3) {
                    print_v("a   ", &vecs[i]);
                    print_v("got ", &got);
                    print_v("want", &want);
                }
            }
        }
        break;
    case SH_VVV:
        for (uint32_t n = 0; n < 3000; n++) {
            const V *a = &vecs[rnd() % nvecs], *b = &vecs[rnd() % nvecs], *m = &vecs[rnd() % nvecs];
            for (int k = 0; k < 2; k++)
                want.u64[k] = (a->u64[k] & m->u64[k]) | (b->u64[k] & ~m->u64[k]);
            memcpy(av[0].v128, a, 16);
            memcpy(av[1].v128, b, 16);
            memcpy(av[2].v128, m, 16);
            if (hx_call(h, c->fi, av) != 0 || memcmp(av[0].v128, &want, 16)) {
                REPORT("bitselect case %u", n);
            }
        }
        break;
    case SH_VI:
    case SH_VI_CONST:
        for (uint32_t i = 0; i < nvecs; i++) {
            unsigned nc = c->shape == SH_VI ? sizeof(counts) / 4 : 1;
            for (unsigned k = 0; k < nc; k++) {
                uint32_t cnt = c->shape == SH_VI ? counts[k] : (uint32_t)c->aux;
                ref_shift(c->op, &vecs[i], cnt, &want);
                memcpy(av[0].v128, &vecs[i], 16);
                av[1].i64 = 0;
                av[1].i32 = cnt;
                if (hx_call(h, c->fi, av) != 0 || memcmp(av[0].v128, &want, 16)) {
                    REPORT("vector %u count %u", i, cnt);
                    if (bad <= 3) {
                        print_v("a   ", &vecs[i]);
                        memcpy(&got, av[0].v128, 16);
                        print_v("got ", &got);
                        print_v("want", &want);
                    }
                }
            }
        }
        break;
    case SH_SPLAT:
    case SH_SPLAT_CONST:
        for (unsigned k = 0; k < (c->shape == SH_SPLAT ? sizeof(scalars) / 8 : 1); k++) {
            uint64_t s = scalar_bits(li.scalar, c->shape == SH_SPLAT ? scalars[k] : c->aux);
            for (unsigned l = 0; l < li.lanes; l++)
                memcpy(want.u8 + l * li.bytes, &s, li.bytes);
            av[0].i64 = s;
            if (hx_call(h, c->fi, av) != 0 || memcmp(av[0].v128, &want, 16))
                REPORT("scalar %llx", (unsigned long long)s);
        }
        break;
    case SH_EXTRACT:
        for (uint32_t i = 0; i < nvecs; i++) {
            uint64_t e = ref_extract(c->op, &vecs[i], (unsigned)c->aux);
            memcpy(av[0].v128, &vecs[i], 16);
            if (hx_call(h, c->fi, av) != 0) {
                REPORT("trapped");
                continue;
            }
            uint64_t g = info->res == 'i' || info->res == 'f' ? av[0].i32 : av[0].i64;
            if (g != e)
                REPORT("vector %u: got %llx, want %llx", i, (unsigned long long)g,
                       (unsigned long long)e);
        }
        break;
    case SH_REPLACE:
        for (uint32_t i = 0; i < nvecs; i += 3) {
            for (unsigned k = 0; k < sizeof(scalars) / 8; k++) {
                uint64_t s = scalar_bits(li.scalar, scalars[k]);
                want = vecs[i];
                memcpy(want.u8 + c->aux * li.bytes, &s, li.bytes);
                memcpy(av[0].v128, &vecs[i], 16);
                memset(av[1].v128, 0xEE, 16);  // bits above the scalar are don't-care
                bool narrow = li.scalar == IR_TYPE_I32 || li.scalar == IR_TYPE_F32;
                memcpy(av[1].v128, &s, narrow ? 4 : 8);
                if (hx_call(h, c->fi, av) != 0 || memcmp(av[0].v128, &want, 16))
                    REPORT("vector %u scalar %llx", i, (unsigned long long)s);
            }
        }
        break;
    case SH_LOAD: {
        static const uint32_t addrs[] = {0, 1, 5, 8, 333, 1000};
        for (unsigned k = 0; k < sizeof(addrs) / 4; k++) {
            uint64_t ea = addrs[k] + c->aux;
            if (ea + 16 > 65536)
                continue;  // the reference reads 16 bytes
            ref_load(c->op, h->mem + ea, &want);
            av[0].i32 = addrs[k];
            if (hx_call(h, c->fi, av) != 0 || memcmp(av[0].v128, &want, 16))
                REPORT("address %u", addrs[k]);
        }
        /* The last bytes of the page load; one byte further traps. */
        uint32_t n = load_bytes(c->op);
        av[0].i32 = (uint32_t)(65536 - n - c->aux);
        V m;
        memset(&m, 0, sizeof(m));
        memcpy(&m, h->mem + 65536 - n, n);
        ref_load(c->op, m.u8, &want);
        if (hx_call(h, c->fi, av) != 0 || memcmp(av[0].v128, &want, 16))
            REPORT("at the end of memory");
        av[0].i32 = (uint32_t)(65536 - n - c->aux + 1);
        if (hx_call(h, c->fi, av) != RT_TRAP_MEMORY_OOB)
            REPORT("no out-of-bounds trap");
        break;
    }
    case SH_LOAD_LANE:
        for (uint32_t i = 0; i < nvecs; i += 2) {
            uint32_t addr = 13 + 7 * i;
            want = vecs[i];
            memcpy(want.u8 + c->aux * li.bytes, h->mem + addr, li.bytes);
            av[0].i64 = 0;
            av[0].i32 = addr;
            memcpy(av[1].v128, &vecs[i], 16);
            if (hx_call(h, c->fi, av) != 0 || memcmp(av[0].v128, &want, 16))
                REPORT("vector %u", i);
        }
        av[0].i32 = 65536 - li.bytes + 1;
        if (hx_call(h, c->fi, av) != RT_TRAP_MEMORY_OOB)
            REPORT("no out-of-bounds trap");
        break;
    case SH_STORE_LANE:
        for (uint32_t i = 0; i < nvecs; i += 2) {
            uint32_t addr = 2000 + 5 * i;
            uint8_t before[32], after[32];
            memcpy(before, h->mem + addr - 8, 32);
            memcpy(before + 8, vecs[i].u8 + c->aux * li.bytes, li.bytes);
            av[0].i64 = 0;
            av[0].i32 = addr;
            memcpy(av[1].v128, &vecs[i], 16);
            if (hx_call(h, c->fi, av) != 0) {
                REPORT("trapped");
                continue;
            }
            memcpy(after, h->mem + addr - 8, 32);
            if (memcmp(before, after, 32))
                REPORT("vector %u", i);
        }
        av[0].i32 = 65536 - li.bytes + 1;
        if (hx_call(h, c->fi, av) != RT_TRAP_MEMORY_OOB)
            REPORT("no out-of-bounds trap");
        break;
    }
done:
    if (bad) {
        fprintf(stderr, "%s: %s: %u mismatch(es)\n", mode, info->name, bad);
        check_failures++;
    }
#undef REPORT
}

/* Compiles the cases in chunks (the harness holds HX_MAX_FUNCS functions) and runs them. */
static void
run_all(uint64_t features, const char *mode)
{
    static HxModule h;
    CgOptions opts = {.cpu_features = features, .verify = true};
    for (uint32_t first = 0; first < ncases; first += 400) {
        uint32_t end = first + 400 < ncases ? first + 400 : ncases;
        hx_init(&h);
        for (uint32_t i = first; i < end; i++)
            cases[i].fi = hx_func(&h, case_sig(&h, &cases[i]), build_case, &cases[i]);
        if (!hx_load(&h, &opts)) {
            fprintf(stderr, "%s: %s\n", mode, h.diag);
            CHECK(false);
            return;
        }
        for (uint32_t i = 0; i < 65536; i++)
            h.mem[i] = (uint8_t)(i * 7 + (i >> 8) * 3 + 1);
        for (uint32_t i = first; i < end; i++)
            run_case(&h, &cases[i], mode);
        hx_unload(&h);
    }
}

/* ---- v128 through the rest of the backend ------------------------------------------------- */

static uint32_t F_SPILL, F_LOOP, F_CALLER, F_CALLEE, F_MANYARGS, F_MV, F_MVCALL, F_GLOB, F_SEL,
    F_CI;

/* More live vectors than registers: 24 loads, then a sum that keeps them all alive until
 * the end (sum of i * v_i as i32x4 lanes, computed with adds in reverse order). */
static void
b_spill(IrFunc *f, const void *arg)
{
    (void)arg;
    IrValue base = ir_func_param(f, 0), v[24];
    for (unsigned i = 0; i < 24; i++)
        v[i] = ir_emit(f, IR_OP_LOAD, IR_TYPE_V128, base.id, 0, IR_MEMARG(0, 4, 0), 16 * i);
    IrValue acc = v[23];
    for (unsigned i = 23; i-- > 0;) {
        IrValue t = ir_emit(f, IR_OP_I32X4_MUL, IR_TYPE_V128, v[i].id, v[(i + 5) % 24].id, 0, 0);
        acc = ir_emit(f, IR_OP_I32X4_ADD, IR_TYPE_V128, acc.id, t.id, 0, 0);
    }
    ir_return(f, &acc, 1);
}

/* loop n times: (x, y) <- (y + 1, x) with both vectors block parameters: a swap each
 * iteration, then return x - y. */
static void
b_loop(IrFunc *f, const void *arg)
{
    (void)arg;
    IrValue n = ir_func_param(f, 0), x0 = ir_func_param(f, 1), y0 = ir_func_param(f, 2);
    IrBlock head = ir_block_new(f), body = ir_block_new(f), exit = ir_block_new(f);
    IrValue args[3] = {n, x0, y0};
    ir_jump(f, head, args, 3);
    ir_block_start(f, head);
    IrValue i = ir_block_add_param(f, head, IR_TYPE_I32);
    IrValue x = ir_block_add_param(f, head, IR_TYPE_V128);
    IrValue y = ir_block_add_param(f, head, IR_TYPE_V128);
    ir_branch(f, i, body, exit);
    ir_block_start(f, body);
    IrValue one = scalar_const(f, IR_TYPE_I32, 1);
    IrValue i1 = ir_emit(f, IR_OP_ISUB, IR_TYPE_I32, i.id, one.id, 0, 0);
    IrValue ones = ir_emit(f, IR_OP_I32X4_SPLAT, IR_TYPE_V128, one.id, 0, 0, 0);
    IrValue y1 = ir_emit(f, IR_OP_I32X4_ADD, IR_TYPE_V128, y.id, ones.id, 0, 0);
    IrValue a2[3] = {i1, y1, x};
    ir_jump(f, head, a2, 3);
    ir_block_start(f, exit);
    IrValue r = ir_emit(f, IR_OP_I32X4_SUB, IR_TYPE_V128, x.id, y.id, 0, 0);
    ir_return(f, &r, 1);
}

/* callee(a, b) = a * b (i16x8); caller(a, b): t = a + b, c = callee(a, b), then t - c + a:
 * t and a live across the call. */
static void
b_callee(IrFunc *f, const void *arg)
{
    (void)arg;
    IrValue r = ir_emit(f, IR_OP_I16X8_MUL, IR_TYPE_V128, ir_func_param(f, 0).id,
                        ir_func_param(f, 1).id, 0, 0);
    ir_return(f, &r, 1);
}

static void
b_caller(IrFunc *f, const void *arg)
{
    (void)arg;
    IrValue a = ir_func_param(f, 0), b = ir_func_param(f, 1);
    IrValue t = ir_emit(f, IR_OP_I16X8_ADD, IR_TYPE_V128, a.id, b.id, 0, 0);
    IrValue args[2] = {a, b};
    uint32_t start = ir_pool_push_values(f, args, 2);
    IrValue c = ir_emit(f, IR_OP_CALL, IR_TYPE_V128, f->module->func_sigs[F_CALLEE], start, 2,
                        F_CALLEE);
    IrValue d = ir_emit(f, IR_OP_I16X8_SUB, IR_TYPE_V128, t.id, c.id, 0, 0);
    IrValue e = ir_emit(f, IR_OP_I16X8_ADD, IR_TYPE_V128, d.id, a.id, 0, 0);
    ir_return(f, &e, 1);
}

/* Nine v128 parameters (the ninth on the stack) and an i32: sum of p_i * (i + 1) as i32x4,
 * plus the i32 splatted. */
static void
b_manyargs(IrFunc *f, const void *arg)
{
    (void)arg;
    IrValue acc = ir_func_param(f, 0);
    for (unsigned i = 1; i < 9; i++) {
        IrValue c = scalar_const(f, IR_TYPE_I32, i + 1);
        IrValue k = ir_emit(f, IR_OP_I32X4_SPLAT, IR_TYPE_V128, c.id, 0, 0, 0);
        IrValue t = ir_emit(f, IR_OP_I32X4_MUL, IR_TYPE_V128, ir_func_param(f, i).id, k.id, 0, 0);
        acc = ir_emit(f, IR_OP_I32X4_ADD, IR_TYPE_V128, acc.id, t.id, 0, 0);
    }
    IrValue s = ir_emit(f, IR_OP_I32X4_SPLAT, IR_TYPE_V128, ir_func_param(f, 9).id, 0, 0, 0);
    acc = ir_emit(f, IR_OP_I32X4_ADD, IR_TYPE_V128, acc.id, s.id, 0, 0);
    ir_return(f, &acc, 1);
}

/* mv(a, b) = (b, a, a ^ b): three v128 results. mvcall(a, b) calls it and returns
 * r0 - r1 + r2 (i64x2). */
static void
b_mv(IrFunc *f, const void *arg)
{
    (void)arg;
    IrValue a = ir_func_param(f, 0), b = ir_func_param(f, 1);
    IrValue x = ir_emit(f, IR_OP_V128_XOR, IR_TYPE_V128, a.id, b.id, 0, 0);
    IrValue r[3] = {b, a, x};
    ir_return(f, r, 3);
}

static void
b_mvcall(IrFunc *f, const void *arg)
{
    (void)arg;
    IrValue args[2] = {ir_func_param(f, 0), ir_func_param(f, 1)};
    uint32_t start = ir_pool_push_values(f, args, 2);
    IrValue c = ir_emit(f, IR_OP_CALL, IR_TYPE_V128, f->module->func_sigs[F_MV], start, 2, F_MV);
    IrValue r1 = ir_emit(f, IR_OP_RESULT, IR_TYPE_V128, c.id, 0, 0, 1);
    IrValue r2 = ir_emit(f, IR_OP_RESULT, IR_TYPE_V128, c.id, 0, 0, 2);
    IrValue d = ir_emit(f, IR_OP_I64X2_SUB, IR_TYPE_V128, c.id, r1.id, 0, 0);
    IrValue e = ir_emit(f, IR_OP_I64X2_ADD, IR_TYPE_V128, d.id, r2.id, 0, 0);
    ir_return(f, &e, 1);
}

/* glob(a): old = global 0; global 0 = a + old; return old. */
static void
b_glob(IrFunc *f, const void *arg)
{
    (void)arg;
    IrValue old = ir_emit(f, IR_OP_GLOBAL_GET, IR_TYPE_V128, 0, 0, 0, 0);
    IrValue s = ir_emit(f, IR_OP_I8X16_ADD, IR_TYPE_V128, ir_func_param(f, 0).id, old.id, 0, 0);
    ir_emit(f, IR_OP_GLOBAL_SET, IR_TYPE_NONE, s.id, 0, 0, 0);
    ir_return(f, &old, 1);
}

/* sel(c, a, b) = c ? a : b. */
static void
b_sel(IrFunc *f, const void *arg)
{
    (void)arg;
    IrValue r = ir_emit(f, IR_OP_SELECT, IR_TYPE_V128, ir_func_param(f, 0).id,
                        ir_func_param(f, 1).id, ir_func_param(f, 2).id, 0);
    ir_return(f, &r, 1);
}

/* ci(i, a, b) = call_indirect table[i] (a, b) with callee's signature. */
static void
b_ci(IrFunc *f, const void *arg)
{
    (void)arg;
    IrValue args[2] = {ir_func_param(f, 1), ir_func_param(f, 2)};
    uint32_t start = ir_pool_push_values(f, args, 2);
    uint32_t sig = f->module->func_sigs[F_CALLEE];
    IrValue r = ir_emit(f, IR_OP_CALL_INDIRECT, IR_TYPE_V128, ir_func_param(f, 0).id, start, 2,
                        (uint64_t)sig);
    ir_return(f, &r, 1);
}

static void
v_i32x4(V *v, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    v->u32[0] = a, v->u32[1] = b, v->u32[2] = c, v->u32[3] = d;
}

static void
test_integration(uint64_t features, const char *mode)
{
    static HxModule h;
    hx_init(&h);
    h.m.nglobals = 1;
    h.globals[0] = (IrGlobalInfo){IR_TYPE_V128, true, false};
    uint8_t vv[10], r3[3] = {T_V, T_V, T_V};
    memset(vv, T_V, sizeof(vv));
    uint8_t ivv[3] = {T_I32, T_V, T_V};
    uint8_t nine[10];
    memset(nine, T_V, 9);
    nine[9] = T_I32;
    F_SPILL = hx_func(&h, hx_sig(&h, &T_I32, 1, &T_V, 1), b_spill, NULL);
    F_LOOP = hx_func(&h, hx_sig(&h, ivv, 3, &T_V, 1), b_loop, NULL);
    F_CALLEE = hx_func(&h, hx_sig(&h, vv, 2, &T_V, 1), b_callee, NULL);
    F_CALLER = hx_func(&h, hx_sig(&h, vv, 2, &T_V, 1), b_caller, NULL);
    F_MANYARGS = hx_func(&h, hx_sig(&h, nine, 10, &T_V, 1), b_manyargs, NULL);
    F_MV = hx_func(&h, hx_sig(&h, vv, 2, r3, 3), b_mv, NULL);
    F_MVCALL = hx_func(&h, hx_sig(&h, vv, 2, &T_V, 1), b_mvcall, NULL);
    F_GLOB = hx_func(&h, hx_sig(&h, vv, 1, &T_V, 1), b_glob, NULL);
    F_SEL = hx_func(&h, hx_sig(&h, ivv, 3, &T_V, 1), b_sel, NULL);
    F_CI = hx_func(&h, hx_sig(&h, ivv, 3, &T_V, 1), b_ci, NULL);
    CgOptions opts = {.cpu_features = features, .verify = true};
    if (!hx_load(&h, &opts)) {
        fprintf(stderr, "%s: integration: %s\n", mode, h.diag);
        CHECK(false);
        return;
    }
    RtVal av[10];
    V a, b, want, got;

    /* Spills. */
    V mem[24];
    for (unsigned i = 0; i < 24; i++)
        for (unsigned k = 0; k < 4; k++)
            mem[i].u32[k] = (uint32_t)(rnd() >> 7);
    memcpy(h.mem + 256, mem, sizeof(mem));
    want = mem[23];
    for (unsigned i = 23; i-- > 0;)
        for (unsigned k = 0; k < 4; k++)
            want.u32[k] += mem[i].u32[k] * mem[(i + 5) % 24].u32[k];
    av[0].i32 = 256;
    CHECK_EQ(hx_call(&h, F_SPILL, av), 0);
    CHECK(!memcmp(av[0].v128, &want, 16));

    /* The swapping loop. */
    for (uint32_t n = 0; n < 6; n++) {
        v_i32x4(&a, 10, 20, 30, 40);
        v_i32x4(&b, 1, 2, 3, 4);
        V x = a, y = b;
        for (uint32_t i = 0; i < n; i++) {
            V t = y;
            for (unsigned k = 0; k < 4; k++)
                t.u32[k] += 1;
            y = x;
            x = t;
        }
        for (unsigned k = 0; k < 4; k++)
            want.u32[k] = x.u32[k] - y.u32[k];
        av[0].i64 = n;
        memcpy(av[1].v128, &a, 16);
        memcpy(av[2].v128, &b, 16);
        CHECK_EQ(hx_call(&h, F_LOOP, av), 0);
        memcpy(&got, av[0].v128, 16);
        CHECK(!memcmp(&got, &want, 16));
    }

    /* Values live across a call. */
    for (unsigned i = 0; i < 8; i++) {
        a.u16[i] = (uint16_t)(1000 + 37 * i);
        b.u16[i] = (uint16_t)(3 + 11 * i);
        want.u16[i] = (uint16_t)(a.u16[i] + b.u16[i] - a.u16[i] * b.u16[i] + a.u16[i]);
    }
    memcpy(av[0].v128, &a, 16);
    memcpy(av[1].v128, &b, 16);
    CHECK_EQ(hx_call(&h, F_CALLER, av), 0);
    CHECK(!memcmp(av[0].v128, &want, 16));

    /* Nine v128 arguments. */
    memset(&want, 0, sizeof(want));
    for (unsigned i = 0; i < 9; i++) {
        V p;
        v_i32x4(&p, i * 3 + 1, i * 5 + 2, i * 7 + 3, 1000u * i);
        memcpy(av[i].v128, &p, 16);
        for (unsigned k = 0; k < 4; k++)
            want.u32[k] += p.u32[k] * (i + 1);
    }
    av[9].i64 = 0;
    av[9].i32 = 77;
    for (unsigned k = 0; k < 4; k++)
        want.u32[k] += 77;
    CHECK_EQ(hx_call(&h, F_MANYARGS, av), 0);
    CHECK(!memcmp(av[0].v128, &want, 16));

    /* Multi-value v128 results, from the callee directly and through a call. */
    a.u64[0] = 0x1111111122222222ull, a.u64[1] = 5;
    b.u64[0] = 0x0F0F0F0F0F0F0F0Full, b.u64[1] = 9;
    memcpy(av[0].v128, &a, 16);
    memcpy(av[1].v128, &b, 16);
    CHECK_EQ(hx_call(&h, F_MV, av), 0);
    CHECK(!memcmp(av[0].v128, &b, 16));
    CHECK(!memcmp(av[1].v128, &a, 16));
    for (unsigned k = 0; k < 2; k++)
        want.u64[k] = a.u64[k] ^ b.u64[k];
    CHECK(!memcmp(av[2].v128, &want, 16));
    memcpy(av[0].v128, &a, 16);
    memcpy(av[1].v128, &b, 16);
    CHECK_EQ(hx_call(&h, F_MVCALL, av), 0);
    for (unsigned k = 0; k < 2; k++)
        want.u64[k] = b.u64[k] - a.u64[k] + (a.u64[k] ^ b.u64[k]);
    CHECK(!memcmp(av[0].v128, &want, 16));

    /* A v128 global. */
    V g0;
    memset(&g0, 0, sizeof(g0));
    for (unsigned n = 0; n < 3; n++) {
        for (unsigned k = 0; k < 16; k++)
            a.u8[k] = (uint8_t)(n * 16 + k);
        memcpy(av[0].v128, &a, 16);
        CHECK_EQ(hx_call(&h, F_GLOB, av), 0);
        CHECK(!memcmp(av[0].v128, &g0, 16));
        for (unsigned k = 0; k < 16; k++)
            g0.u8[k] = (uint8_t)(g0.u8[k] + a.u8[k]);
    }

    /* select. */
    for (uint32_t c = 0; c < 3; c++) {
        av[0].i64 = c;
        memcpy(av[1].v128, &a, 16);
        memcpy(av[2].v128, &b, 16);
        CHECK_EQ(hx_call(&h, F_SEL, av), 0);
        CHECK(!memcmp(av[0].v128, c ? &a : &b, 16));
    }

    /* call_indirect with v128 arguments and result. */
    h.table_elems[3] = hx_funcref(&h, F_CALLEE);
    for (unsigned i = 0; i < 8; i++)
        want.u16[i] = (uint16_t)(a.u16[i] * b.u16[i]);
    av[0].i64 = 3;
    memcpy(av[1].v128, &a, 16);
    memcpy(av[2].v128, &b, 16);
    CHECK_EQ(hx_call(&h, F_CI, av), 0);
    CHECK(!memcmp(av[0].v128, &want, 16));
    av[0].i64 = 4;
    CHECK_EQ(hx_call(&h, F_CI, av), RT_TRAP_UNINITIALIZED_ELEMENT);
    hx_unload(&h);
}

int
main(void)
{
    uint64_t host = x64_host_features();
    static const struct {
        const char *name;
        uint64_t features;
    } levels[] = {
        {"sse2", 0},
        {"ssse3", RT_CPU_X64_SSE3 | RT_CPU_X64_SSSE3},
        {"sse4.1", RT_CPU_X64_SSE3 | RT_CPU_X64_SSSE3 | RT_CPU_X64_SSE41},
        {"host", 0},
    };
    init_vectors();
    collect_cases();
    for (unsigned i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
        uint64_t f = i == 3 ? host : levels[i].features;
        if ((f & host) != f) {
            fprintf(stderr, "%s: skipped, the host lacks these features\n", levels[i].name);
            continue;
        }
        run_all(f, levels[i].name);
        test_integration(f, levels[i].name);
    }
    fprintf(stderr, "%u cases per feature level\n", ncases);
    return check_exit();
}
