/*
 * Script values: parsing wast2json's value objects into bit patterns, comparing an engine's
 * result with an expected one (floats bit for bit, the spec's NaN patterns, v128 per lane,
 * references by kind), and printing values for failure messages. Used by the script reader
 * (arguments, expected results) and by the runner (assert_return).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "spec-tests/wast.h"

static const char *const val_type_names[WAST_VAL_COUNT] = {
    [WAST_VAL_NONE] = "none",       [WAST_VAL_I32] = "i32",         [WAST_VAL_I64] = "i64",
    [WAST_VAL_F32] = "f32",         [WAST_VAL_F64] = "f64",         [WAST_VAL_V128] = "v128",
    [WAST_VAL_FUNCREF] = "funcref", [WAST_VAL_EXTERNREF] = "externref",
};

/* Lane shapes: name in "lane_type", lane count, bytes per lane, float or not. */
static const struct {
    const char *name;
    uint8_t nlanes;
    uint8_t width;
    bool is_float;
} lane_info[WAST_LANE_COUNT] = {
    [WAST_LANE_NONE] = {"none", 0, 0, false}, [WAST_LANE_I8] = {"i8", 16, 1, false},
    [WAST_LANE_I16] = {"i16", 8, 2, false},   [WAST_LANE_I32] = {"i32", 4, 4, false},
    [WAST_LANE_I64] = {"i64", 2, 8, false},   [WAST_LANE_F32] = {"f32", 4, 4, true},
    [WAST_LANE_F64] = {"f64", 2, 8, true},
};

const char *
wast_val_type_name(uint8_t type)
{
    return type < WAST_VAL_COUNT ? val_type_names[type] : "?";
}

bool
wast_parse_uint(const char *s, uint64_t max, uint64_t *out_v)
{
    bool neg = false;
    if (!s)
        return false;
    if (*s == '-') {
        neg = true;
        s++;
    }
    if (!*s)
        return false;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    if (neg) {
        /* The magnitude of the most negative value of a width with this unsigned maximum. */
        uint64_t min_mag = (max >> 1) + 1;
        if (v > min_mag)
            return false;
        v = (0 - v) & max;
    } else if (v > max) {
        return false;
    }
    *out_v = v;
    return true;
}

/* Recognises "nan:canonical" and "nan:arithmetic"; WAST_NAN_NONE otherwise. */
static uint8_t
nan_pattern(const char *s)
{
    if (!strcmp(s, "nan:canonical"))
        return WAST_NAN_CANONICAL;
    if (!strcmp(s, "nan:arithmetic"))
        return WAST_NAN_ARITHMETIC;
    return WAST_NAN_NONE;
}

static void
store_le(uint8_t *dst, uint64_t v, unsigned width)
{
    for (unsigned i = 0; i < width; i++)
        dst[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t
load_le(const uint8_t *src, unsigned width)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < width; i++)
        v |= (uint64_t)src[i] << (8 * i);
    return v;
}

/* Parses the lanes of a v128 value object into out->u.v128. */
static bool
parse_v128(const WastJson *v, bool expected, WastValue *out, char *err, size_t errsize)
{
    const char *lt = wast_json_str(wast_json_get(v, "lane_type"));
    const WastJson *lanes = wast_json_get(v, "value");
    uint8_t lane = WAST_LANE_NONE;
    for (uint8_t i = 1; lt && i < WAST_LANE_COUNT; i++)
        if (!strcmp(lt, lane_info[i].name))
            lane = i;
    if (lane == WAST_LANE_NONE) {
        snprintf(err, errsize, "v128 value without a known \"lane_type\"");
        return false;
    }
    unsigned n = lane_info[lane].nlanes, width = lane_info[lane].width;
    if (!lanes || lanes->kind != WAST_JSON_ARRAY || lanes->len != n) {
        snprintf(err, errsize, "v128 value with lane_type %s needs an array of %u lanes", lt, n);
        return false;
    }
    out->lane = lane;
    uint64_t max = width == 8 ? UINT64_MAX : (UINT64_C(1) << (8 * width)) - 1;
    for (unsigned i = 0; i < n; i++) {
        const char *s = wast_json_str(&lanes->u.items[i]);
        uint64_t bits = 0;
        if (s && expected && lane_info[lane].is_float && nan_pattern(s)) {
            out->nan[i] = nan_pattern(s);
        } else if (!s || !wast_parse_uint(s, max, &bits)) {
            snprintf(err, errsize, "bad %s lane %u of a v128 value", lt, i);
            return false;
        }
        store_le(out->u.v128 + i * width, bits, width);
    }
    return true;
}

bool
wast_value_parse(const WastJson *v, bool expected, WastValue *out, char *err, size_t errsize)
{
    memset(out, 0, sizeof(*out));
    const char *type = wast_json_str(wast_json_get(v, "type"));
    const WastJson *value = wast_json_get(v, "value");
    const char *s = wast_json_str(value);
    for (uint8_t t = 1; type && t < WAST_VAL_COUNT; t++)
        if (!strcmp(type, val_type_names[t]))
            out->type = t;
    if (out->type == WAST_VAL_NONE) {
        snprintf(err, errsize, "value of unknown type \"%s\"", type ? type : "(none)");
        return false;
    }
    uint64_t bits = 0;
    switch (out->type) {
    case WAST_VAL_V128:
        return parse_v128(v, expected, out, err, errsize);
    case WAST_VAL_FUNCREF:
    case WAST_VAL_EXTERNREF:
        if (!value && expected) {
            out->ref = WAST_REF_ANY;
            return true;
        }
        if (s && !strcmp(s, "null")) {
            out->ref = WAST_REF_NULL;
            return true;
        }
        if (s && wast_parse_uint(s, UINT64_MAX, &bits) && s[0] != '-') {
            /* A number names a host reference (ref.extern N). A funcref has no such form in
             * the text format; engines see WAST_REF_HOST and reject it. */
            out->ref = WAST_REF_HOST;
            out->u.ref = bits;
            return true;
        }
        snprintf(err, errsize, "bad %s value", type);
        return false;
    case WAST_VAL_F32:
    case WAST_VAL_F64:
        if (s && expected && nan_pattern(s)) {
            out->nan[0] = nan_pattern(s);
            return true;
        }
        break;
    default:
        break;
    }
    bool wide = out->type == WAST_VAL_I64 || out->type == WAST_VAL_F64;
    if (!s || !wast_parse_uint(s, wide ? UINT64_MAX : UINT32_MAX, &bits)) {
        snprintf(err, errsize, "bad %s value \"%s\"", type, s ? s : "(none)");
        return false;
    }
    if (wide)
        out->u.i64 = bits;
    else
        out->u.i32 = (uint32_t)bits;
    return true;
}

/* Does float `bits` of `width` bytes match NaN pattern `nan`? */
static bool
nan_matches(uint8_t nan, uint64_t bits, unsigned width)
{
    uint64_t exp_mask = width == 4 ? 0x7f800000u : UINT64_C(0x7ff0000000000000);
    uint64_t quiet = width == 4 ? 0x00400000u : UINT64_C(0x0008000000000000);
    uint64_t frac_mask = width == 4 ? 0x007fffffu : UINT64_C(0x000fffffffffffff);
    if ((bits & exp_mask) != exp_mask)
        return false;
    if (nan == WAST_NAN_CANONICAL)
        return (bits & frac_mask) == quiet;
    return (bits & quiet) != 0;  // arithmetic: quiet bit set, any payload
}

bool
wast_value_matches(const WastValue *expected, const WastValue *actual)
{
    if (expected->type != actual->type)
        return false;
    switch (expected->type) {
    case WAST_VAL_I32:
        return expected->u.i32 == actual->u.i32;
    case WAST_VAL_I64:
        return expected->u.i64 == actual->u.i64;
    case WAST_VAL_F32:
        if (expected->nan[0])
            return nan_matches(expected->nan[0], actual->u.f32, 4);
        return expected->u.f32 == actual->u.f32;
    case WAST_VAL_F64:
        if (expected->nan[0])
            return nan_matches(expected->nan[0], actual->u.f64, 8);
        return expected->u.f64 == actual->u.f64;
    case WAST_VAL_V128: {
        /* Compare per lane of the expected shape, so NaN patterns apply lane by lane. */
        uint8_t lane = expected->lane ? expected->lane : WAST_LANE_I32;
        unsigned n = lane_info[lane].nlanes, width = lane_info[lane].width;
        for (unsigned i = 0; i < n; i++) {
            uint64_t e = load_le(expected->u.v128 + i * width, width);
            uint64_t a = load_le(actual->u.v128 + i * width, width);
            if (lane_info[lane].is_float && expected->nan[i]) {
                if (!nan_matches(expected->nan[i], a, width))
                    return false;
            } else if (e != a) {
                return false;
            }
        }
        return true;
    }
    case WAST_VAL_FUNCREF:
    case WAST_VAL_EXTERNREF:
        if (expected->ref == WAST_REF_ANY)
            return actual->ref != WAST_REF_NULL;
        if (expected->ref != actual->ref)
            return false;
        return expected->ref == WAST_REF_NULL || expected->u.ref == actual->u.ref;
    default:
        return false;
    }
}

static const char *
nan_name(uint8_t nan)
{
    return nan == WAST_NAN_CANONICAL ? "nan:canonical" : "nan:arithmetic";
}

/* Appends to buf[*pos..size), keeping the NUL; output past the end is dropped. */
static void
append(char *buf, size_t size, size_t *pos, const char *fmt, ...) SK_PRINTF(4, 5);

static void
append(char *buf, size_t size, size_t *pos, const char *fmt, ...)
{
    if (*pos >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *pos, size - *pos, fmt, ap);
    va_end(ap);
    if (n > 0)
        *pos += (size_t)n < size - *pos ? (size_t)n : size - *pos - 1;
}

/* Appends a float's bits, with its value when it is not a NaN, e.g. "0x3f800000 (1)". */
static void
append_float(char *buf, size_t size, size_t *pos, uint64_t bits, unsigned width)
{
    double d;
    if (width == 4) {
        float f;
        uint32_t b = (uint32_t)bits;
        memcpy(&f, &b, 4);
        d = f;
        append(buf, size, pos, "0x%08" PRIx32, b);
    } else {
        memcpy(&d, &bits, 8);
        append(buf, size, pos, "0x%016" PRIx64, bits);
    }
    if (d != d)
        append(buf, size, pos, " (nan)");
    else
        append(buf, size, pos, " (%.17g)", d);
}

void
wast_value_format(const WastValue *v, char *buf, size_t size)
{
    size_t pos = 0;
    if (!size)
        return;
    buf[0] = '\0';
    append(buf, size, &pos, "%s:", wast_val_type_name(v->type));
    switch (v->type) {
    case WAST_VAL_I32:
        append(buf, size, &pos, "%" PRIu32, v->u.i32);
        if ((int32_t)v->u.i32 < 0)
            append(buf, size, &pos, " (%" PRId32 ")", (int32_t)v->u.i32);
        break;
    case WAST_VAL_I64:
        append(buf, size, &pos, "%" PRIu64, v->u.i64);
        if ((int64_t)v->u.i64 < 0)
            append(buf, size, &pos, " (%" PRId64 ")", (int64_t)v->u.i64);
        break;
    case WAST_VAL_F32:
    case WAST_VAL_F64:
        if (v->nan[0])
            append(buf, size, &pos, "%s", nan_name(v->nan[0]));
        else if (v->type == WAST_VAL_F32)
            append_float(buf, size, &pos, v->u.f32, 4);
        else
            append_float(buf, size, &pos, v->u.f64, 8);
        break;
    case WAST_VAL_V128: {
        uint8_t lane = v->lane ? v->lane : WAST_LANE_I32;
        unsigned n = lane_info[lane].nlanes, width = lane_info[lane].width;
        append(buf, size, &pos, "%sx%u", lane_info[lane].name, n);
        for (unsigned i = 0; i < n; i++) {
            uint64_t bits = load_le(v->u.v128 + i * width, width);
            if (lane_info[lane].is_float && v->nan[i])
                append(buf, size, &pos, " %s", nan_name(v->nan[i]));
            else if (lane_info[lane].is_float)
                append(buf, size, &pos, " 0x%0*" PRIx64, (int)width * 2, bits);
            else
                append(buf, size, &pos, " %" PRIu64, bits);
        }
        break;
    }
    case WAST_VAL_FUNCREF:
    case WAST_VAL_EXTERNREF:
        if (v->ref == WAST_REF_NULL)
            append(buf, size, &pos, "null");
        else if (v->ref == WAST_REF_ANY)
            append(buf, size, &pos, "any non-null");
        else if (v->ref == WAST_REF_FUNC)
            append(buf, size, &pos, "function %" PRIu64, v->u.ref);
        else
            append(buf, size, &pos, "%" PRIu64, v->u.ref);
        break;
    default:
        break;
    }
}
