/*
 * LEB128 edge cases of the checked reader (frontend/reader.h) and of the unchecked readers
 * the translator uses: maximum lengths, unused bits of the last byte, sign extension,
 * non-minimal encodings, truncation, s33 block types and lengths.
 */
#include "frontend/reader.h"
#include "wasm_builder.h"

typedef struct Case {
    const char *name;
    uint8_t bytes[12];
    size_t len;
    bool ok;
    int64_t value;         // when ok
    size_t consumed;       // when ok
    const char *message;   // when !ok: prefix of the diagnostic
    uint64_t offset;       // when !ok
} Case;

static void
check_case(const Case *c, int kind)
{
    SkDiag d;
    memset(&d, 0, sizeof(d));
    FeReader r;
    fe_reader_init(&r, c->bytes, c->bytes, c->bytes + c->len, &d);
    int64_t v = 0;
    bool ok;
    if (kind == 0) {
        uint32_t u;
        ok = fe_read_u32(&r, &u);
        v = u;
    } else if (kind == 32) {
        int32_t s;
        ok = fe_read_s32(&r, &s);
        v = s;
    } else {
        ok = fe_read_s64(&r, &v);
    }
    if (ok != c->ok) {
        fprintf(stderr, "%s: expected %s, got %s (%s)\n", c->name, c->ok ? "ok" : "error",
                ok ? "ok" : "error", d.message);
        check_failures++;
        return;
    }
    if (ok) {
        CHECK_EQ(v, c->value);
        CHECK_EQ(r.p - c->bytes, c->consumed);
        /* The unchecked readers must agree on every well-formed encoding. */
        const uint8_t *p = c->bytes;
        int64_t tv = kind == 0 ? (int64_t)fe_u32_trusted(&p) : fe_sleb_trusted(&p, (unsigned)kind);
        CHECK_EQ(tv, c->value);
        CHECK_EQ(p - c->bytes, c->consumed);
    } else {
        if (strncmp(d.message, c->message, strlen(c->message)) != 0) {
            fprintf(stderr, "%s: expected \"%s\", got \"%s\"\n", c->name, c->message, d.message);
            check_failures++;
        }
        CHECK_EQ(d.kind, SK_DIAG_MALFORMED);
        CHECK_EQ(d.offset, c->offset);
        CHECK(r.failed);
    }
}

static void
test_u32(void)
{
    static const Case cases[] = {
        {"zero", {0x00}, 1, true, 0, 1, NULL, 0},
        {"127", {0x7F}, 1, true, 127, 1, NULL, 0},
        {"128", {0x80, 0x01}, 2, true, 128, 2, NULL, 0},
        {"max", {0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, 5, true, 0xFFFFFFFF, 5, NULL, 0},
        {"non-minimal zero", {0x80, 0x80, 0x80, 0x80, 0x00}, 5, true, 0, 5, NULL, 0},
        {"non-minimal 2", {0x82, 0x00}, 2, true, 2, 2, NULL, 0},
        {"unused bits", {0xFF, 0xFF, 0xFF, 0xFF, 0x1F}, 5, false, 0, 0, "integer too large", 4},
        {"some unused bits", {0x82, 0x80, 0x80, 0x80, 0x40}, 5, false, 0, 0,
         "integer too large", 4},
        {"six bytes", {0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 6, false, 0, 0,
         "integer representation too long", 5},
        {"six bytes at the end", {0x82, 0x80, 0x80, 0x80, 0x80}, 5, false, 0, 0,
         "integer representation too long", 5},
        {"truncated", {0x80}, 1, false, 0, 0, "unexpected end", 1},
        {"empty", {0}, 0, false, 0, 0, "unexpected end", 0},
    };
    for (size_t i = 0; i < SK_ARRAY_LEN(cases); i++)
        check_case(&cases[i], 0);
}

static void
test_s32(void)
{
    static const Case cases[] = {
        {"-1", {0x7F}, 1, true, -1, 1, NULL, 0},
        {"-64", {0x40}, 1, true, -64, 1, NULL, 0},
        {"63", {0x3F}, 1, true, 63, 1, NULL, 0},
        {"-128", {0x80, 0x7F}, 2, true, -128, 2, NULL, 0},
        {"64", {0xC0, 0x00}, 2, true, 64, 2, NULL, 0},
        {"max", {0xFF, 0xFF, 0xFF, 0xFF, 0x07}, 5, true, INT32_MAX, 5, NULL, 0},
        {"min", {0x80, 0x80, 0x80, 0x80, 0x78}, 5, true, INT32_MIN, 5, NULL, 0},
        {"-1 long", {0xFF, 0xFF, 0xFF, 0xFF, 0x7F}, 5, true, -1, 5, NULL, 0},
        {"0 long", {0x80, 0x80, 0x80, 0x80, 0x00}, 5, true, 0, 5, NULL, 0},
        {"-1 unused bits unset", {0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, 5, false, 0, 0,
         "integer too large", 4},
        {"0 unused bits set", {0x80, 0x80, 0x80, 0x80, 0x70}, 5, false, 0, 0,
         "integer too large", 4},
        {"0 some unused bits set", {0x80, 0x80, 0x80, 0x80, 0x1F}, 5, false, 0, 0,
         "integer too large", 4},
        {"six bytes", {0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 6, false, 0, 0,
         "integer representation too long", 5},
        {"-1 six bytes", {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}, 6, false, 0, 0,
         "integer representation too long", 5},
    };
    for (size_t i = 0; i < SK_ARRAY_LEN(cases); i++)
        check_case(&cases[i], 32);
}

static void
test_s64(void)
{
    static const Case cases[] = {
        {"-1", {0x7F}, 1, true, -1, 1, NULL, 0},
        {"max", {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00}, 10, true,
         INT64_MAX, 10, NULL, 0},
        {"min", {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F}, 10, true,
         INT64_MIN, 10, NULL, 0},
        {"2^32", {0x80, 0x80, 0x80, 0x80, 0x10}, 5, true, INT64_C(0x100000000), 5, NULL, 0},
        {"-1 unused bits unset", {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01},
         10, false, 0, 0, "integer too large", 9},
        {"0 unused bits set", {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7E}, 10,
         false, 0, 0, "integer too large", 9},
        {"eleven bytes", {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 11,
         false, 0, 0, "integer representation too long", 10},
    };
    for (size_t i = 0; i < SK_ARRAY_LEN(cases); i++)
        check_case(&cases[i], 64);
}

/* Block types are s33: single bytes for the empty and value types, else a type index. */
static void
test_block_types(void)
{
    static const struct {
        uint8_t bytes[8];
        size_t len;
        bool ok;
        int64_t bt;
        const char *message;
    } cases[] = {
        {{0x02, 0x40}, 2, true, FE_BLOCKTYPE_EMPTY, NULL},
        {{0x02, 0x7F}, 2, true, -1, NULL},
        {{0x02, 0x7B}, 2, true, -5, NULL},
        {{0x02, 0x70}, 2, true, -16, NULL},
        {{0x02, 0x00}, 2, true, 0, NULL},
        {{0x02, 0x80, 0x01}, 3, true, 128, NULL},
        {{0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, 6, true, 0xFFFFFFFF, NULL},
        {{0x02, 0xFF, 0x7F}, 3, true, FE_BLOCKTYPE_INVALID, NULL},  // -1, but two bytes
        {{0x02, 0x80, 0x80, 0x80, 0x80, 0x70}, 6, true, FE_BLOCKTYPE_INVALID, NULL},
        {{0x02, 0x80, 0x80, 0x80, 0x80, 0x10}, 6, false, 0, "integer too large"},
        {{0x02, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 7, false, 0,
         "integer representation too long"},
        {{0x02, 0x41}, 2, false, 0, "malformed value type"},
        {{0x02}, 1, false, 0, "unexpected end"},
    };
    for (size_t i = 0; i < SK_ARRAY_LEN(cases); i++) {
        SkDiag d;
        memset(&d, 0, sizeof(d));
        FeInstr ins;
        const uint8_t *p = cases[i].bytes;
        bool ok = fe_instr_read(cases[i].bytes, &p, cases[i].bytes + cases[i].len, 0, &ins, &d);
        CHECK_EQ(ok, cases[i].ok);
        if (ok && cases[i].ok) {
            CHECK_EQ(ins.op, FE_OP_BLOCK);
            CHECK_EQ(ins.v.block_type, cases[i].bt);
            CHECK_EQ(p - cases[i].bytes, cases[i].len);
            if (cases[i].bt != FE_BLOCKTYPE_INVALID) {
                FeInstr t;
                const uint8_t *q = fe_instr_read_trusted(cases[i].bytes, &t);
                CHECK_EQ(t.v.block_type, cases[i].bt);
                CHECK_EQ(q - cases[i].bytes, cases[i].len);
            }
        } else if (!ok) {
            CHECK_CONTAINS(d.message, cases[i].message);
        }
    }
}

/* A length may not exceed the bytes left, counted from the length's first byte. */
static void
test_lengths(void)
{
    static const uint8_t fits[] = {0x03, 0xAA, 0xBB};
    static const uint8_t over[] = {0x04, 0xAA, 0xBB};
    static const uint8_t huge[] = {0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00};
    SkDiag d;
    FeReader r;
    uint32_t n;

    memset(&d, 0, sizeof(d));
    fe_reader_init(&r, fits, fits, fits + sizeof(fits), &d);
    CHECK(fe_read_len(&r, &n));
    CHECK_EQ(n, 3);

    memset(&d, 0, sizeof(d));
    fe_reader_init(&r, over, over, over + sizeof(over), &d);
    CHECK(!fe_read_len(&r, &n));
    CHECK_CONTAINS(d.message, "length out of bounds");
    CHECK_EQ(d.offset, 0);

    memset(&d, 0, sizeof(d));
    fe_reader_init(&r, huge, huge, huge + sizeof(huge), &d);
    CHECK(!fe_read_len(&r, &n));
    CHECK_CONTAINS(d.message, "length out of bounds");

    /* Errors stick: after the first failure, reads fail and the first message stays. */
    uint8_t b = 1;
    CHECK(!fe_read_u8(&r, &b));
    CHECK_EQ(b, 0);
    CHECK(r.failed);
    CHECK_CONTAINS(d.message, "length out of bounds");
}

int
main(void)
{
    test_u32();
    test_s32();
    test_s64();
    test_block_types();
    test_lengths();
    return check_exit();
}
