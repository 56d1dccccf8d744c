/*
 * Function body validation: the typing rules (stack polymorphism, select, block types,
 * branches), the wording and byte offset of each error, the function index in the
 * diagnostic, and the precedence of malformed over invalid input.
 */
#include "wasm_builder.h"

enum { MEM = 1, TABLE = 2, DATA_COUNT = 4, DATA = 8, EXPORT0 = 16, IMPORT = 32, BAD_EXPORT = 64 };

/*
 * Builds a module: types given as "params:results" strings ("ii:i"), one function per body
 * with type ftypes[i], and what `flags` asks for: a memory, a funcref table with one elem
 * segment, a data count section (1), a passive data segment, an export of function 0, an
 * imported function of type 0 (index 0, before the bodies), an export of function 9.
 */
static void
build(Buf *m, const char *const *types, size_t ntypes, const uint32_t *ftypes,
      const Buf *bodies, size_t nfuncs, unsigned flags)
{
    Buf s = {0};
    mod_header(m);
    buf_u32(&s, (uint32_t)ntypes);
    for (size_t i = 0; i < ntypes; i++) {
        const char *colon = strchr(types[i], ':');
        buf_byte(&s, 0x60);
        for (int part = 0; part < 2; part++) {
            const char *b = part ? colon + 1 : types[i];
            size_t n = part ? strlen(b) : (size_t)(colon - b);
            buf_u32(&s, (uint32_t)n);
            for (size_t k = 0; k < n; k++)
                buf_byte(&s, b[k] == 'i' ? 0x7F : b[k] == 'l' ? 0x7E : b[k] == 'f' ? 0x7D
                                       : b[k] == 'd' ? 0x7C : b[k] == 'v' ? 0x7B : 0x70);
        }
    }
    mod_section(m, 1, &s);
    if (flags & IMPORT) {
        buf_seq(&s, 1, 1, 'm', 1, 'f', 0, 0, -1);
        mod_section(m, 2, &s);
    }
    buf_u32(&s, (uint32_t)nfuncs);
    for (size_t i = 0; i < nfuncs; i++)
        buf_u32(&s, ftypes[i]);
    mod_section(m, 3, &s);
    if (flags & TABLE) {
        buf_seq(&s, 1, 0x70, 0, 1, -1);
        mod_section(m, 4, &s);
    }
    if (flags & MEM) {
        buf_seq(&s, 1, 0, 1, -1);
        mod_section(m, 5, &s);
    }
    if (flags & (EXPORT0 | BAD_EXPORT)) {
        buf_seq(&s, 1, 1, 'x', 0, (flags & BAD_EXPORT) ? 9 : 0, -1);
        mod_section(m, 7, &s);
    }
    if (flags & TABLE) {
        buf_seq(&s, 1, 1, 0, 1, 0, -1);  // passive elem segment: function 0
        mod_section(m, 9, &s);
    }
    if (flags & DATA_COUNT) {
        buf_seq(&s, 1, -1);
        mod_section(m, 12, &s);
    }
    buf_u32(&s, (uint32_t)nfuncs);
    for (size_t i = 0; i < nfuncs; i++) {
        buf_u32(&s, (uint32_t)bodies[i].len);
        buf_bytes(&s, bodies[i].data, bodies[i].len);
    }
    mod_section(m, 10, &s);
    if (flags & DATA) {
        buf_seq(&s, 1, 1, 0, -1);
        mod_section(m, 11, &s);
    }
}

/* A body from bytes (-1 terminated); `locals` bytes are prepended ("no locals" = 0). */
static Buf
body(int first, ...)
{
    Buf b = {0};
    va_list ap;
    va_start(ap, first);
    for (int x = first; x != -1; x = va_arg(ap, int))
        buf_byte(&b, (uint8_t)x);
    va_end(ap);
    return b;
}

/*
 * One function of type `type` with body `b`: expects `error` (NULL: valid) at body offset
 * `at` (-1: anywhere) and kind INVALID unless `malformed`.
 */
#define CHECK_BODY(type, flags, b, error, at) check_body(__LINE__, type, flags, b, error, at, false)
#define CHECK_BODY_MALFORMED(type, flags, b, error, at)                                      \
    check_body(__LINE__, type, flags, b, error, at, true)

static void
check_body(int line, const char *type, unsigned flags, Buf b, const char *error, long at,
           bool malformed)
{
    Buf m = {0};
    static const uint32_t ftype0[1] = {0};
    const char *types[1] = {type};
    build(&m, types, 1, ftype0, &b, 1, flags);
    size_t body_start = m.len - b.len - ((flags & DATA) ? 5 : 0);
    SkDiag d;
    bool ok = load_ok(&m, &d);
    if (!error) {
        if (!ok) {
            fprintf(stderr, "line %d: expected valid, got \"%s\"\n", line, d.message);
            check_failures++;
        }
    } else if (ok) {
        fprintf(stderr, "line %d: expected \"%s\", the body was accepted\n", line, error);
        check_failures++;
    } else {
        bool bad = strncmp(d.message, error, strlen(error)) != 0 ||
                   d.kind != (malformed ? SK_DIAG_MALFORMED : SK_DIAG_INVALID) ||
                   d.func_index != ((flags & IMPORT) ? 1u : 0u) ||
                   (at >= 0 && d.offset != body_start + (uint64_t)at);
        if (bad) {
            fprintf(stderr, "line %d: expected %s \"%s\" at body+%ld, got %s \"%s\" at body+%lld "
                    "(func %u)\n", line, malformed ? "malformed" : "invalid", error, at,
                    sk_diag_kind_name(d.kind), d.message,
                    (long long)d.offset - (long long)body_start, d.func_index);
            check_failures++;
        }
    }
    buf_free(&m);
    buf_free(&b);
}

static void
test_messages_and_offsets(void)
{
    /* The message names the instruction and both types; the offset is the instruction's. */
    CHECK_BODY(":", 0, body(0, 0x41, 0, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x6A, 0x1A, 0x0B, -1),
               "type mismatch: i32.add expected i32, found f64", 12);
    CHECK_BODY(":", 0, body(0, 0x41, 0, 0x6A, 0x1A, 0x0B, -1),
               "type mismatch: i32.add expected i32, found nothing", 3);
    CHECK_BODY(":i", 0, body(0, 0x42, 0, 0x0B, -1), "type mismatch", 3);
    CHECK_BODY(":", 0, body(0, 0x41, 0, 0x0B, -1), "type mismatch", 3);
    CHECK_BODY(":", IMPORT, body(0, 0x43, 0, 0, 0, 0, 0x45, 0x1A, 0x0B, -1),
               "type mismatch: i32.eqz expected i32, found f32", 6);
    CHECK_BODY("i:", 0, body(1, 2, 0x7E, 0x20, 3, 0x1A, 0x0B, -1), "unknown local 3", 3);
    CHECK_BODY("i:", 0, body(1, 2, 0x7E, 0x20, 2, 0x45, 0x1A, 0x0B, -1),
               "type mismatch: i32.eqz expected i32, found i64", 5);
    CHECK_BODY(":", 0, body(0, 0x23, 0, 0x1A, 0x0B, -1), "unknown global 0", 1);
    CHECK_BODY(":", 0, body(0, 0x10, 7, 0x0B, -1), "unknown function 7", 1);
    CHECK_BODY(":", 0, body(0, 0x0C, 1, 0x0B, -1), "unknown label 1", 1);
    CHECK_BODY(":", 0, body(0, 0x41, 0, 0x11, 0, 0, 0x0B, -1), "unknown table 0", 3);
    CHECK_BODY(":", TABLE, body(0, 0x41, 0, 0x11, 5, 0, 0x0B, -1), "unknown type 5", 3);
    CHECK_BODY(":", 0, body(0, 0x41, 0, 0x28, 2, 0, 0x1A, 0x0B, -1), "unknown memory 0", 3);
    CHECK_BODY(":", MEM, body(0, 0x41, 0, 0x28, 3, 0, 0x1A, 0x0B, -1),
               "alignment must not be larger than natural", 3);
    CHECK_BODY(":", MEM, body(0, 0x41, 0, 0x28, 2, 0, 0x1A, 0x0B, -1), NULL, 0);
    CHECK_BODY(":", MEM, body(0, 0x41, 0, 0x31, 1, 0, 0x1A, 0x0B, -1),
               "alignment must not be larger than natural", 3);
    CHECK_BODY(":", MEM, body(0, 0x41, 0, 0xFD, 0, 5, 0, 0x1A, 0x0B, -1),
               "alignment must not be larger than natural", 3);
    CHECK_BODY(":", 0, body(0, 0x02, 0x05, 0x0B, 0x0B, -1), "unknown type 5", -1);
    CHECK_BODY(":", 0, body(0, 0x02, 0xFF, 0x7F, 0x0B, 0x0B, -1), "unknown type", -1);
    CHECK_BODY(":", 0, body(0, 0x41, 0, 0x24, 0, 0x0B, -1), "unknown global 0", 3);
    CHECK_BODY(":", 0, body(0, 0xFC, 9, 0, 0x0B, -1), "unknown data segment 0", 1);
    CHECK_BODY(":", DATA_COUNT | DATA, body(0, 0xFC, 9, 1, 0x0B, -1), "unknown data segment 1",
               1);
    CHECK_BODY(":", DATA_COUNT | DATA, body(0, 0xFC, 9, 0, 0x0B, -1), NULL, 0);
    CHECK_BODY(":", 0, body(0, 0xFC, 13, 0, 0x0B, -1), "unknown elem segment 0", 1);
    CHECK_BODY(":", TABLE, body(0, 0xFC, 13, 0, 0x0B, -1), NULL, 0);
    CHECK_BODY(":", 0, body(0, 0xD2, 0, 0x1A, 0x0B, -1), "undeclared function reference", 1);
    CHECK_BODY(":", EXPORT0, body(0, 0xD2, 0, 0x1A, 0x0B, -1), NULL, 0);
    CHECK_BODY(":", TABLE, body(0, 0xD2, 0, 0x1A, 0x0B, -1), NULL, 0);
    CHECK_BODY(":", 0, body(0, 0xD2, 1, 0x1A, 0x0B, -1), "unknown function 1", 1);
}

static void
test_simd_lanes(void)
{
    Buf v = body(0, 0xFD, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1);  // v128.const
    size_t vl = v.len;
    /* i8x16.extract_lane_s 15 is fine, 16 is not; i64x2 has lanes 0 and 1. */
    static const struct {
        uint8_t op, lane;
        bool ok;
    } lanes[] = {{0x15, 15, true}, {0x15, 16, false}, {0x1D, 1, true}, {0x1D, 2, false},
                 {0x21, 2, false}, {0x1B, 3, true}};
    for (size_t i = 0; i < SK_ARRAY_LEN(lanes); i++) {
        Buf b = {0};
        buf_bytes(&b, v.data, vl);
        buf_seq(&b, 0xFD, lanes[i].op, lanes[i].lane, 0x1A, 0x0B, -1);
        CHECK_BODY(":", 0, b, lanes[i].ok ? NULL : "invalid lane index", (long)vl);
    }
    /* Shuffle lanes index two vectors: 0..31. */
    for (int bad = 0; bad < 2; bad++) {
        Buf b = {0};
        buf_bytes(&b, v.data, vl);
        buf_bytes(&b, v.data + 1, vl - 1);
        buf_seq(&b, 0xFD, 13, -1);
        for (int i = 0; i < 16; i++)
            buf_byte(&b, (uint8_t)(i == 7 ? (bad ? 32 : 31) : i));
        buf_seq(&b, 0x1A, 0x0B, -1);
        CHECK_BODY(":", 0, b, bad ? "invalid lane index" : NULL, -1);
    }
    /* v128.load8_lane: memarg, then the lane. */
    CHECK_BODY(":", MEM, body(0, 0x41, 0, 0xFD, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                              0, 0, 0xFD, 0x54, 0, 0, 16, 0x1A, 0x0B, -1),
               "invalid lane index", 21);
    buf_free(&v);
}

static void
test_polymorphic_stack(void)
{
    /* After unreachable, br, return or br_table, missing operands have any type. */
    CHECK_BODY(":", 0, body(0, 0x00, 0x6A, 0x1A, 0x0B, -1), NULL, 0);
    CHECK_BODY(":", 0, body(0, 0x0C, 0, 0x6A, 0x1A, 0x0B, -1), NULL, 0);
    CHECK_BODY(":i", 0, body(0, 0x00, 0x0B, -1), NULL, 0);
    CHECK_BODY(":i", 0, body(0, 0x0F, 0x0B, -1), "type mismatch", 1);
    CHECK_BODY(":i", 0, body(0, 0x41, 1, 0x0F, 0x0B, -1), NULL, 0);
    CHECK_BODY(":i", 0, body(0, 0x41, 1, 0x0F, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x0B, -1),
               "type mismatch", -1);
    CHECK_BODY(":", 0, body(0, 0x00, 0x1B, 0x1A, 0x0B, -1), NULL, 0);
    CHECK_BODY(":", 0, body(0, 0x00, 0x42, 0, 0x6A, 0x1A, 0x0B, -1),
               "type mismatch: i32.add expected i32, found i64", 4);
    CHECK_BODY(":", 0, body(0, 0x02, 0x7F, 0x00, 0x0B, 0x1A, 0x0B, -1), NULL, 0);
    CHECK_BODY(":", 0, body(0, 0x41, 0, 0x0E, 0, 0, 0x45, 0x1A, 0x0B, -1), NULL, 0);
    /* The unknown result of a select in unreachable code still has to fit. */
    CHECK_BODY(":", 0, body(0, 0x00, 0x1B, 0x45, 0x1A, 0x0B, -1), NULL, 0);
    CHECK_BODY(":", 0, body(0, 0x00, 0x41, 0, 0x41, 0, 0x1B, 0x42, 0, 0x51, 0x1A, 0x0B, -1),
               "type mismatch: i64.eq expected i64, found i32", 9);
    /* Unreachable code only hides values below the current block. */
    CHECK_BODY(":", 0, body(0, 0x00, 0x02, 0x40, 0x6A, 0x1A, 0x0B, 0x0B, -1), "type mismatch",
               4);
}

static void
test_select_and_blocks(void)
{
    CHECK_BODY(":", 0, body(0, 0x41, 1, 0x41, 2, 0x41, 0, 0x1B, 0x1A, 0x0B, -1), NULL, 0);
    CHECK_BODY(":", 0, body(0, 0x41, 1, 0x42, 2, 0x41, 0, 0x1B, 0x1A, 0x0B, -1),
               "type mismatch", 7);
    /* select without a type cannot choose between references... */
    CHECK_BODY(":", 0, body(0, 0xD0, 0x70, 0xD0, 0x70, 0x41, 0, 0x1B, 0x1A, 0x0B, -1),
               "type mismatch", 7);
    /* ... select with one can. */
    CHECK_BODY(":", 0, body(0, 0xD0, 0x70, 0xD0, 0x70, 0x41, 0, 0x1C, 1, 0x70, 0x1A, 0x0B, -1),
               NULL, 0);
    CHECK_BODY(":", 0, body(0, 0x41, 1, 0x41, 1, 0x41, 0, 0x1C, 2, 0x7F, 0x7F, 0x1A, 0x0B, -1),
               "invalid result arity", 7);
    CHECK_BODY(":", 0, body(0, 0x41, 1, 0x41, 1, 0x41, 0, 0x1C, 0, 0x1A, 0x0B, -1),
               "invalid result arity", 7);
    /* if without else: its parameters must equal its results. */
    CHECK_BODY(":", 0, body(0, 0x41, 0, 0x04, 0x7F, 0x41, 1, 0x0B, 0x1A, 0x0B, -1),
               "type mismatch", 7);
    CHECK_BODY(":", 0, body(0, 0x41, 0, 0x04, 0x7F, 0x41, 1, 0x05, 0x41, 2, 0x0B, 0x1A, 0x0B,
                            -1),
               NULL, 0);
    CHECK_BODY(":", 0, body(0, 0x41, 0, 0x04, 0x40, 0x0B, 0x0B, -1), NULL, 0);
    /* br_table targets must agree on their arity. */
    CHECK_BODY(":", 0, body(0, 0x02, 0x7F, 0x02, 0x40, 0x41, 0, 0x0E, 1, 0, 1, 0x0B, 0x41, 1,
                            0x0B, 0x1A, 0x0B, -1),
               "type mismatch", 7);
    /* A loop label carries the loop's parameters, a block label its results. */
    CHECK_BODY(":", 0, body(0, 0x03, 0x7F, 0x0C, 0, 0x0B, 0x1A, 0x0B, -1), NULL, 0);
    CHECK_BODY(":", 0, body(0, 0x02, 0x7F, 0x0C, 0, 0x0B, 0x1A, 0x0B, -1), "type mismatch", 3);
}

/* Block types by type index: parameters and several results. */
static void
test_multi_value(void)
{
    static const char *const types[] = {":", "ii:i", ":il"};
    static const uint32_t ftype[1] = {0};
    struct {
        Buf b;
        const char *error;
    } cases[] = {
        {body(0, 0x41, 1, 0x41, 2, 0x02, 1, 0x6A, 0x0B, 0x1A, 0x0B, -1), NULL},
        {body(0, 0x41, 1, 0x02, 1, 0x6A, 0x0B, 0x1A, 0x0B, -1), "type mismatch"},
        {body(0, 0x02, 2, 0x41, 1, 0x42, 2, 0x0B, 0x1A, 0x1A, 0x0B, -1), NULL},
        {body(0, 0x02, 2, 0x42, 1, 0x41, 2, 0x0B, 0x1A, 0x1A, 0x0B, -1), "type mismatch"},
        {body(0, 0x41, 1, 0x41, 2, 0x03, 1, 0x6A, 0x0B, 0x1A, 0x0B, -1), NULL},
        {body(0, 0x02, 3, 0x0B, 0x0B, -1), "unknown type 3"},
    };
    for (size_t i = 0; i < SK_ARRAY_LEN(cases); i++) {
        Buf m = {0};
        build(&m, types, 3, ftype, &cases[i].b, 1, 0);
        SkDiag d;
        bool ok = load_ok(&m, &d);
        if (ok != !cases[i].error || (!ok && !strstr(d.message, cases[i].error))) {
            fprintf(stderr, "multi-value case %zu: expected %s, got %s\n", i,
                    cases[i].error ? cases[i].error : "valid", ok ? "valid" : d.message);
            check_failures++;
        }
        buf_free(&m);
        buf_free(&cases[i].b);
    }
}

static void
test_malformed_bodies(void)
{
    CHECK_BODY_MALFORMED(":", 0, body(0, 0x06, 0x0B, -1), "illegal opcode", 1);
    CHECK_BODY_MALFORMED(":", 0, body(0, 0xFC, 0x20, 0x0B, -1), "illegal opcode", 1);
    CHECK_BODY_MALFORMED(":", 0, body(0, 0xFD, 0xFF, 0x03, 0x0B, -1), "illegal opcode", 1);
    CHECK_BODY_MALFORMED(":", MEM, body(0, 0x3F, 1, 0x1A, 0x0B, -1), "zero byte expected", 2);
    CHECK_BODY_MALFORMED(":", MEM, body(0, 0x3F, 0x80, 0x00, 0x1A, 0x0B, -1),
                         "zero byte expected", 2);
    CHECK_BODY_MALFORMED(":", 0, body(0, 0x05, 0x0B, -1), "END opcode expected", 1);
    CHECK_BODY_MALFORMED(":", 0, body(0, 0x02, 0x40, 0x05, 0x0B, 0x0B, -1),
                         "END opcode expected", 3);
    /* The body's size says it ends before its final end, or after it. */
    CHECK_BODY_MALFORMED(":", 0, body(0, 0x01, -1), "unexpected end", -1);
    CHECK_BODY_MALFORMED(":", 0, body(0, 0x0B, 0x01, -1), "section size mismatch", 2);
    /* memory.init needs the data count section when the module has data segments. */
    CHECK_BODY_MALFORMED(":", MEM | DATA,
                         body(0, 0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 8, 0, 0, 0x0B, -1),
                         "data count section required", 7);
    CHECK_BODY(":", MEM | DATA | DATA_COUNT,
               body(0, 0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 8, 0, 0, 0x0B, -1), NULL, 0);
}

/* Malformed input outranks invalid input, wherever each is. */
static void
test_precedence(void)
{
    static const char *const types[] = {":"};
    static const uint32_t ftypes[2] = {0, 0};
    Buf bodies[2] = {body(0, 0x41, 0, 0x0B, -1), body(0, 0x06, 0x0B, -1)};
    Buf m = {0};
    build(&m, types, 1, ftypes, bodies, 2, 0);
    SkDiag d;
    CHECK(!load_ok(&m, &d));
    CHECK_EQ(d.kind, SK_DIAG_MALFORMED);
    CHECK_CONTAINS(d.message, "illegal opcode");
    CHECK_EQ(d.func_index, 1);
    buf_free(&m);

    /* An invalid export (module level) and a malformed body. */
    Buf one = body(0, 0x06, 0x0B, -1);
    build(&m, types, 1, ftypes, &one, 1, BAD_EXPORT);
    CHECK(!load_ok(&m, &d));
    CHECK_EQ(d.kind, SK_DIAG_MALFORMED);
    CHECK_CONTAINS(d.message, "illegal opcode");
    buf_free(&m);

    /* The same export with a well-formed body is reported. */
    Buf good = body(0, 0x0B, -1);
    build(&m, types, 1, ftypes, &good, 1, BAD_EXPORT);
    CHECK(!load_ok(&m, &d));
    CHECK_EQ(d.kind, SK_DIAG_INVALID);
    CHECK_CONTAINS(d.message, "unknown function 9");
    buf_free(&m);
    buf_free(&good);
    buf_free(&one);
    buf_free(&bodies[0]);
    buf_free(&bodies[1]);
}

static void
test_features(void)
{
    Buf b = body(0, 0xFD, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x1A, 0x0B, -1);
    Buf m = {0};
    mod_one_func(&m, "", "", &b, false);
    FeOptions opts = {FE_FEATURES_WASM2 & ~FE_FEATURE_SIMD, NULL};
    FeModule *mod;
    SkDiag d;
    CHECK(!fe_module_load(m.data, m.len, &opts, &mod, &d));
    CHECK_CONTAINS(d.message, "illegal opcode");
    CHECK(fe_module_load(m.data, m.len, NULL, &mod, &d));
    fe_module_free(mod);
    buf_free(&m);
    buf_free(&b);
}

int
main(void)
{
    test_messages_and_offsets();
    test_simd_lanes();
    test_polymorphic_stack();
    test_select_and_blocks();
    test_multi_value();
    test_malformed_bodies();
    test_precedence();
    test_features();
    return check_exit();
}
