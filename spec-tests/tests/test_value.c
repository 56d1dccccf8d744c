/*
 * Unit tests of script values (spec-tests/value.c): decimal bit patterns at the limits of
 * each type, NaN patterns, v128 lanes of every shape, references, bit-exact comparison and
 * the printed form used in failure messages.
 */
#include "check.h"
#include "spec-tests/wast.h"

/* Parses the JSON value object `json`; returns success. */
static bool
parse_value(const char *json, bool expected, WastValue *out, char *err)
{
    SkArena a;
    sk_arena_init(&a, NULL);
    WastJson v;
    SkDiag d = {0};
    bool ok = wast_json_parse(json, strlen(json), &a, &v, &d);
    CHECK(ok);
    err[0] = '\0';
    if (ok)
        ok = wast_value_parse(&v, expected, out, err, 256);
    sk_arena_free(&a);
    return ok;
}

static WastValue
value(const char *json, bool expected)
{
    WastValue v;
    char err[256];
    bool ok = parse_value(json, expected, &v, err);
    if (!ok)
        fprintf(stderr, "rejected %s: %s\n", json, err);
    CHECK(ok);
    return v;
}

static void
check_bad(const char *json, bool expected, const char *want)
{
    WastValue v;
    char err[256];
    CHECK(!parse_value(json, expected, &v, err));
    CHECK_CONTAINS(err, want);
}

static void
test_parse_uint(void)
{
    uint64_t v = 0;
    CHECK(wast_parse_uint("0", UINT32_MAX, &v));
    CHECK_EQ(v, 0);
    CHECK(wast_parse_uint("4294967295", UINT32_MAX, &v));
    CHECK_EQ(v, 0xffffffffu);
    CHECK(!wast_parse_uint("4294967296", UINT32_MAX, &v));
    CHECK(wast_parse_uint("18446744073709551615", UINT64_MAX, &v));
    CHECK(v == UINT64_MAX);
    CHECK(!wast_parse_uint("18446744073709551616", UINT64_MAX, &v));
    CHECK(!wast_parse_uint("99999999999999999999999", UINT64_MAX, &v));
    CHECK(wast_parse_uint("-1", UINT32_MAX, &v));
    CHECK_EQ(v, 0xffffffffu);
    CHECK(wast_parse_uint("-2147483648", UINT32_MAX, &v));
    CHECK_EQ(v, 0x80000000u);
    CHECK(!wast_parse_uint("-2147483649", UINT32_MAX, &v));
    CHECK(wast_parse_uint("-128", 0xff, &v));
    CHECK_EQ(v, 0x80);
    CHECK(wast_parse_uint("-9223372036854775808", UINT64_MAX, &v));
    CHECK(v == UINT64_C(0x8000000000000000));
    CHECK(!wast_parse_uint("", UINT32_MAX, &v));
    CHECK(!wast_parse_uint("-", UINT32_MAX, &v));
    CHECK(!wast_parse_uint("12a", UINT32_MAX, &v));
    CHECK(!wast_parse_uint(" 1", UINT32_MAX, &v));
    CHECK(!wast_parse_uint("0x10", UINT32_MAX, &v));
    CHECK(!wast_parse_uint(NULL, UINT32_MAX, &v));
}

static void
test_scalars(void)
{
    WastValue v = value("{\"type\": \"i32\", \"value\": \"4294967295\"}", false);
    CHECK_EQ(v.type, WAST_VAL_I32);
    CHECK_EQ(v.u.i32, 0xffffffffu);
    v = value("{\"type\": \"i64\", \"value\": \"9223372036854775808\"}", false);
    CHECK_EQ(v.type, WAST_VAL_I64);
    CHECK(v.u.i64 == UINT64_C(0x8000000000000000));
    v = value("{\"type\": \"f32\", \"value\": \"2143289344\"}", false);
    CHECK_EQ(v.type, WAST_VAL_F32);
    CHECK_EQ(v.u.f32, 0x7fc00000u);
    CHECK_EQ(v.nan[0], WAST_NAN_NONE);
    v = value("{\"type\": \"f64\", \"value\": \"9221120237041090560\"}", false);
    CHECK(v.u.f64 == UINT64_C(0x7ff8000000000000));
    v = value("{\"type\": \"f32\", \"value\": \"nan:canonical\"}", true);
    CHECK_EQ(v.nan[0], WAST_NAN_CANONICAL);
    v = value("{\"type\": \"f64\", \"value\": \"nan:arithmetic\"}", true);
    CHECK_EQ(v.nan[0], WAST_NAN_ARITHMETIC);

    check_bad("{\"type\": \"i32\", \"value\": \"4294967296\"}", false, "bad i32 value");
    check_bad("{\"type\": \"i64\", \"value\": \"18446744073709551616\"}", false, "bad i64");
    check_bad("{\"type\": \"f32\", \"value\": \"nan:canonical\"}", false, "bad f32");  // argument
    check_bad("{\"type\": \"i32\", \"value\": \"nan:canonical\"}", true, "bad i32");
    check_bad("{\"type\": \"i32\", \"value\": 5}", false, "bad i32");  // a number, not a string
    check_bad("{\"type\": \"i32\"}", false, "bad i32");
    check_bad("{\"type\": \"i31\", \"value\": \"1\"}", false, "unknown type \"i31\"");
    check_bad("{\"value\": \"1\"}", false, "unknown type");
    check_bad("[1]", false, "unknown type");
}

static void
test_v128(void)
{
    WastValue v = value("{\"type\": \"v128\", \"lane_type\": \"i8\", \"value\": [\"0\", \"1\", "
                        "\"2\", \"3\", \"4\", \"5\", \"6\", \"7\", \"8\", \"9\", \"10\", \"11\", "
                        "\"12\", \"13\", \"14\", \"255\"]}",
                        false);
    CHECK_EQ(v.type, WAST_VAL_V128);
    CHECK_EQ(v.lane, WAST_LANE_I8);
    for (int i = 0; i < 15; i++)
        CHECK_EQ(v.u.v128[i], i);
    CHECK_EQ(v.u.v128[15], 255);

    /* Lanes are little-endian, lane 0 first. */
    v = value("{\"type\": \"v128\", \"lane_type\": \"i16\", \"value\": [\"65535\", \"258\", "
              "\"0\", \"0\", \"0\", \"0\", \"0\", \"1\"]}",
              false);
    CHECK_EQ(v.u.v128[0], 0xff);
    CHECK_EQ(v.u.v128[1], 0xff);
    CHECK_EQ(v.u.v128[2], 0x02);
    CHECK_EQ(v.u.v128[3], 0x01);
    CHECK_EQ(v.u.v128[14], 1);
    CHECK_EQ(v.u.v128[15], 0);

    v = value("{\"type\": \"v128\", \"lane_type\": \"i64\", \"value\": "
              "[\"18446744073709551615\", \"1\"]}",
              false);
    for (int i = 0; i < 8; i++)
        CHECK_EQ(v.u.v128[i], 0xff);
    CHECK_EQ(v.u.v128[8], 1);

    v = value("{\"type\": \"v128\", \"lane_type\": \"f32\", \"value\": [\"nan:canonical\", "
              "\"1065353216\", \"nan:arithmetic\", \"0\"]}",
              true);
    CHECK_EQ(v.nan[0], WAST_NAN_CANONICAL);
    CHECK_EQ(v.nan[1], WAST_NAN_NONE);
    CHECK_EQ(v.nan[2], WAST_NAN_ARITHMETIC);
    CHECK_EQ(v.u.v128[7], 0x3f);  // lane 1 = 1.0f = 0x3f800000

    check_bad("{\"type\": \"v128\", \"lane_type\": \"i32\", \"value\": [\"1\", \"2\", \"3\"]}",
              false, "needs an array of 4 lanes");
    check_bad("{\"type\": \"v128\", \"lane_type\": \"i8\", \"value\": [\"256\", \"0\", \"0\", "
              "\"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", \"0\", "
              "\"0\", \"0\"]}",
              false, "bad i8 lane 0");
    check_bad("{\"type\": \"v128\", \"lane_type\": \"i32\", \"value\": [\"1\", \"2\", \"3\", "
              "\"nan:canonical\"]}",
              true, "bad i32 lane 3");  // NaN patterns only in float lanes
    check_bad("{\"type\": \"v128\", \"lane_type\": \"i128\", \"value\": []}", false,
              "lane_type");
    check_bad("{\"type\": \"v128\", \"value\": [\"1\"]}", false, "lane_type");
}

static void
test_refs(void)
{
    WastValue v = value("{\"type\": \"externref\", \"value\": \"null\"}", false);
    CHECK_EQ(v.type, WAST_VAL_EXTERNREF);
    CHECK_EQ(v.ref, WAST_REF_NULL);
    v = value("{\"type\": \"externref\", \"value\": \"137\"}", false);
    CHECK_EQ(v.ref, WAST_REF_HOST);
    CHECK_EQ(v.u.ref, 137);
    v = value("{\"type\": \"funcref\", \"value\": \"null\"}", false);
    CHECK_EQ(v.type, WAST_VAL_FUNCREF);
    CHECK_EQ(v.ref, WAST_REF_NULL);
    v = value("{\"type\": \"funcref\"}", true);  // (ref.func): any function
    CHECK_EQ(v.ref, WAST_REF_ANY);
    check_bad("{\"type\": \"funcref\"}", false, "bad funcref");
    check_bad("{\"type\": \"externref\", \"value\": \"nul\"}", false, "bad externref");
    check_bad("{\"type\": \"externref\", \"value\": \"-1\"}", false, "bad externref");
}

/* Builds an actual value of a float type from bits. */
static WastValue
f32(uint32_t bits)
{
    WastValue v = {.type = WAST_VAL_F32};
    v.u.f32 = bits;
    return v;
}

static WastValue
f64(uint64_t bits)
{
    WastValue v = {.type = WAST_VAL_F64};
    v.u.f64 = bits;
    return v;
}

static void
test_matches(void)
{
    WastValue canon = {.type = WAST_VAL_F32, .nan = {WAST_NAN_CANONICAL}};
    WastValue arith = {.type = WAST_VAL_F32, .nan = {WAST_NAN_ARITHMETIC}};
    WastValue a;
    CHECK(wast_value_matches(&canon, (a = f32(0x7fc00000), &a)));
    CHECK(wast_value_matches(&canon, (a = f32(0xffc00000), &a)));   // either sign
    CHECK(!wast_value_matches(&canon, (a = f32(0x7fc00001), &a)));  // payload
    CHECK(!wast_value_matches(&canon, (a = f32(0x7fa00000), &a)));  // signalling
    CHECK(!wast_value_matches(&canon, (a = f32(0x7f800000), &a)));  // infinity
    CHECK(wast_value_matches(&arith, (a = f32(0x7fc00001), &a)));
    CHECK(wast_value_matches(&arith, (a = f32(0xffe00000), &a)));
    CHECK(!wast_value_matches(&arith, (a = f32(0x7fa00000), &a)));
    CHECK(!wast_value_matches(&arith, (a = f32(0x3f800000), &a)));

    WastValue canon64 = {.type = WAST_VAL_F64, .nan = {WAST_NAN_CANONICAL}};
    WastValue arith64 = {.type = WAST_VAL_F64, .nan = {WAST_NAN_ARITHMETIC}};
    CHECK(wast_value_matches(&canon64, (a = f64(UINT64_C(0xfff8000000000000)), &a)));
    CHECK(!wast_value_matches(&canon64, (a = f64(UINT64_C(0x7ff8000000000001)), &a)));
    CHECK(wast_value_matches(&arith64, (a = f64(UINT64_C(0x7ff8000000000001)), &a)));
    CHECK(!wast_value_matches(&arith64, (a = f64(UINT64_C(0x7ff4000000000000)), &a)));
    CHECK(!wast_value_matches(&canon64, (a = f32(0x7fc00000), &a)));  // type differs

    /* Bit for bit otherwise: +0 is not -0, and the same NaN bits match. */
    WastValue zero = f32(0);
    CHECK(!wast_value_matches(&zero, (a = f32(0x80000000), &a)));
    WastValue nan = f32(0x7fc00000);
    CHECK(wast_value_matches(&nan, (a = f32(0x7fc00000), &a)));
    CHECK(!wast_value_matches(&nan, (a = f32(0x7fc00001), &a)));

    WastValue e32 = {.type = WAST_VAL_I32, .u.i32 = 5}, a32 = e32;
    CHECK(wast_value_matches(&e32, &a32));
    a32.u.i32 = 6;
    CHECK(!wast_value_matches(&e32, &a32));
    WastValue a64 = {.type = WAST_VAL_I64, .u.i64 = 5};
    CHECK(!wast_value_matches(&e32, &a64));

    /* v128: compared in the expected lane shape, NaN patterns per lane. */
    WastValue ev = value("{\"type\": \"v128\", \"lane_type\": \"f32\", \"value\": "
                         "[\"nan:canonical\", \"1065353216\", \"nan:arithmetic\", \"0\"]}",
                         true);
    WastValue av = {.type = WAST_VAL_V128, .lane = WAST_LANE_I32};
    uint32_t lanes[4] = {0xffc00000u, 0x3f800000u, 0x7fc12345u, 0};
    memcpy(av.u.v128, lanes, 16);  // the test host is little-endian, as wasm
    CHECK(wast_value_matches(&ev, &av));
    lanes[3] = 0x80000000u;
    memcpy(av.u.v128, lanes, 16);
    CHECK(!wast_value_matches(&ev, &av));
    lanes[3] = 0;
    lanes[0] = 0x7fc00001u;
    memcpy(av.u.v128, lanes, 16);
    CHECK(!wast_value_matches(&ev, &av));
    WastValue ei = value("{\"type\": \"v128\", \"lane_type\": \"i16\", \"value\": [\"1\", \"0\", "
                         "\"2\", \"0\", \"3\", \"0\", \"4\", \"0\"]}",
                         false);
    uint32_t ilanes[4] = {1, 2, 3, 4};
    memcpy(av.u.v128, ilanes, 16);
    CHECK(wast_value_matches(&ei, &av));
    ilanes[3] = 5;
    memcpy(av.u.v128, ilanes, 16);
    CHECK(!wast_value_matches(&ei, &av));

    /* References. */
    WastValue any = {.type = WAST_VAL_FUNCREF, .ref = WAST_REF_ANY};
    WastValue fnull = {.type = WAST_VAL_FUNCREF, .ref = WAST_REF_NULL};
    WastValue fn = {.type = WAST_VAL_FUNCREF, .ref = WAST_REF_FUNC, .u.ref = 12};
    CHECK(wast_value_matches(&any, &fn));
    CHECK(!wast_value_matches(&any, &fnull));
    CHECK(wast_value_matches(&fnull, &fnull));
    CHECK(!wast_value_matches(&fnull, &fn));
    WastValue h1 = {.type = WAST_VAL_EXTERNREF, .ref = WAST_REF_HOST, .u.ref = 1};
    WastValue h2 = {.type = WAST_VAL_EXTERNREF, .ref = WAST_REF_HOST, .u.ref = 2};
    WastValue xnull = {.type = WAST_VAL_EXTERNREF, .ref = WAST_REF_NULL};
    CHECK(wast_value_matches(&h1, &h1));
    CHECK(!wast_value_matches(&h1, &h2));
    CHECK(!wast_value_matches(&h1, &xnull));
    CHECK(!wast_value_matches(&xnull, &fnull));  // type differs
}

static void
test_format(void)
{
    char buf[128];
    WastValue v = {.type = WAST_VAL_I32, .u.i32 = 42};
    wast_value_format(&v, buf, sizeof(buf));
    CHECK_STR(buf, "i32:42");
    v.u.i32 = 0xffffffffu;
    wast_value_format(&v, buf, sizeof(buf));
    CHECK_STR(buf, "i32:4294967295 (-1)");
    v = f32(0x3f800000);
    wast_value_format(&v, buf, sizeof(buf));
    CHECK_STR(buf, "f32:0x3f800000 (1)");
    v = f32(0x7fc00000);
    wast_value_format(&v, buf, sizeof(buf));
    CHECK_STR(buf, "f32:0x7fc00000 (nan)");
    v = f64(UINT64_C(0xbff0000000000000));
    wast_value_format(&v, buf, sizeof(buf));
    CHECK_STR(buf, "f64:0xbff0000000000000 (-1)");
    v = (WastValue){.type = WAST_VAL_F64, .nan = {WAST_NAN_CANONICAL}};
    wast_value_format(&v, buf, sizeof(buf));
    CHECK_STR(buf, "f64:nan:canonical");
    v = value("{\"type\": \"v128\", \"lane_type\": \"i32\", \"value\": [\"1\", \"2\", \"3\", "
              "\"4\"]}",
              false);
    wast_value_format(&v, buf, sizeof(buf));
    CHECK_STR(buf, "v128:i32x4 1 2 3 4");
    v = value("{\"type\": \"v128\", \"lane_type\": \"f64\", \"value\": [\"nan:arithmetic\", "
              "\"4607182418800017408\"]}",
              true);
    wast_value_format(&v, buf, sizeof(buf));
    CHECK_STR(buf, "v128:f64x2 nan:arithmetic 0x3ff0000000000000");
    v = (WastValue){.type = WAST_VAL_EXTERNREF, .ref = WAST_REF_HOST, .u.ref = 7};
    wast_value_format(&v, buf, sizeof(buf));
    CHECK_STR(buf, "externref:7");
    v = (WastValue){.type = WAST_VAL_FUNCREF, .ref = WAST_REF_NULL};
    wast_value_format(&v, buf, sizeof(buf));
    CHECK_STR(buf, "funcref:null");
    /* A small buffer truncates but stays a C string. */
    v = (WastValue){.type = WAST_VAL_I64, .u.i64 = UINT64_MAX};
    wast_value_format(&v, buf, 8);
    CHECK_STR(buf, "i64:184");
    CHECK_STR(wast_val_type_name(WAST_VAL_V128), "v128");
    CHECK_STR(wast_val_type_name(200), "?");
}

int
main(void)
{
    test_parse_uint();
    test_scalars();
    test_v128();
    test_refs();
    test_matches();
    test_format();
    return check_exit();
}
