/*
 * Limits and robustness: memory and table limits, the number of memories, local counts, and
 * modules that declare huge counts or sizes. Those must fail fast with an error, and the
 * memory the frontend allocates (measured through a counting SkAlloc) must stay
 * proportional to the input, whatever it declares.
 */
#include <time.h>

#include "wasm_builder.h"

typedef struct Counter {
    size_t cur, peak;
} Counter;

static void *
count_alloc(void *user, void *ptr, size_t old_size, size_t new_size)
{
    Counter *c = user;
    if (new_size == 0) {
        free(ptr);
        c->cur -= old_size;
        return NULL;
    }
    void *p = realloc(ptr, new_size);
    if (!p)
        return NULL;
    c->cur = c->cur - old_size + new_size;
    if (c->cur > c->peak)
        c->peak = c->cur;
    return p;
}

/* Loads with a counting allocator; returns the peak number of bytes allocated. */
static size_t
load_counted(const Buf *m, bool *ok, SkDiag *d)
{
    Counter c = {0, 0};
    SkAlloc alloc = {count_alloc, &c};
    FeOptions opts = {0, &alloc};
    FeModule *mod;
    *ok = fe_module_load(m->data, m->len, &opts, &mod, d);
    fe_module_free(mod);
    CHECK_EQ(c.cur, 0);  // everything freed
    return c.peak;
}

/* Expects a failure with `prefix`, quickly and with little memory. */
#define EXPECT_FAST_FAIL(m, prefix) expect_fast_fail(__LINE__, (m), (prefix))

static void
expect_fast_fail(int line, const Buf *m, const char *prefix)
{
    SkDiag d;
    bool ok;
    clock_t t0 = clock();
    size_t peak = load_counted(m, &ok, &d);
    double seconds = (double)(clock() - t0) / CLOCKS_PER_SEC;
    if (ok || strncmp(d.message, prefix, strlen(prefix)) != 0) {
        fprintf(stderr, "line %d: expected \"%s\", got %s\n", line, prefix,
                ok ? "a valid module" : d.message);
        check_failures++;
    }
    /* Fixed costs (a first 64 KiB arena chunk, the validator's tables and its locals
     * buffer) plus a small multiple of the input; what the counts declare would be GiB. */
    if (peak > (256u << 10) + 64 * m->len) {
        fprintf(stderr, "line %d: peak allocation %zu bytes for a %zu-byte module\n", line,
                peak, m->len);
        check_failures++;
    }
    if (seconds > 1.0) {
        fprintf(stderr, "line %d: rejecting took %.2f s\n", line, seconds);
        check_failures++;
    }
}

static void
section_bytes(Buf *m, uint8_t id, const uint8_t *bytes, size_t n)
{
    Buf s = {0};
    buf_bytes(&s, bytes, n);
    mod_section(m, id, &s);
}

static void
test_memory_and_table_limits(void)
{
    static const struct {
        uint8_t id;
        uint8_t bytes[16];
        size_t len;
        const char *error;  // NULL: valid
    } cases[] = {
        {5, {1, 0, 0x80, 0x80, 0x04}, 5, NULL},                        // min 65536
        {5, {1, 1, 0, 0x80, 0x80, 0x04}, 6, NULL},                     // max 65536
        {5, {1, 0, 0x81, 0x80, 0x04}, 5, "memory size must be at most 65536 pages (4GiB)"},
        {5, {1, 1, 0, 0x81, 0x80, 0x04}, 6, "memory size must be at most 65536 pages (4GiB)"},
        {5, {1, 1, 2, 1}, 4, "size minimum must not be greater than maximum"},
        {5, {1, 2, 0}, 3, "integer too large"},                        // shared: not in 2.0
        {5, {1, 0x81, 0, 0}, 4, "integer representation too long"},
        {5, {2, 0, 0, 0, 0}, 5, "multiple memories"},
        {4, {1, 0x70, 1, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, 9, NULL},   // max 2^32-1
        {4, {1, 0x70, 1, 3, 2}, 5, "size minimum must not be greater than maximum"},
        {4, {2, 0x70, 0, 0, 0x6F, 0, 0}, 7, NULL},                     // several tables
        {4, {1, 0x7F, 0, 0}, 4, "malformed reference type"},
    };
    for (size_t i = 0; i < SK_ARRAY_LEN(cases); i++) {
        Buf m = {0};
        mod_header(&m);
        section_bytes(&m, cases[i].id, cases[i].bytes, cases[i].len);
        SkDiag d;
        bool ok = load_ok(&m, &d);
        if (ok != !cases[i].error ||
            (!ok && strncmp(d.message, cases[i].error, strlen(cases[i].error)) != 0)) {
            fprintf(stderr, "limits case %zu: expected %s, got %s\n", i,
                    cases[i].error ? cases[i].error : "valid", ok ? "valid" : d.message);
            check_failures++;
        }
        buf_free(&m);
    }

    /* An imported memory plus a defined one is two memories. */
    Buf m = {0};
    mod_header(&m);
    static const uint8_t import_mem[] = {1, 1, 'm', 1, 'm', 2, 0, 1};
    static const uint8_t one_mem[] = {1, 0, 1};
    section_bytes(&m, 2, import_mem, sizeof(import_mem));
    section_bytes(&m, 5, one_mem, sizeof(one_mem));
    EXPECT_ERROR(&m, SK_DIAG_INVALID, "multiple memories", -1);
    buf_free(&m);
}

/* A function of type [] -> [] whose body declares `groups` local groups (count, i32). */
static void
locals_module(Buf *m, const uint32_t *counts, size_t groups)
{
    Buf body = {0};
    buf_u32(&body, (uint32_t)groups);
    for (size_t i = 0; i < groups; i++) {
        buf_u32(&body, counts[i]);
        buf_byte(&body, 0x7F);
    }
    buf_seq(&body, 0x20, -1);  // local.get of the last local, then drop
    uint32_t total = 0;
    for (size_t i = 0; i < groups; i++)
        total += counts[i];
    buf_u32(&body, total ? total - 1 : 0);
    buf_seq(&body, 0x1A, 0x0B, -1);
    mod_one_func(m, "", "", &body, false);
    buf_free(&body);
}

static void
test_locals(void)
{
    Buf m = {0};
    static const uint32_t max[] = {40000, 10000};
    locals_module(&m, max, 2);
    EXPECT_VALID(&m);
    buf_free(&m);

    static const uint32_t over[] = {40000, 10001};
    locals_module(&m, over, 2);
    EXPECT_FAST_FAIL(&m, "too many locals");
    buf_free(&m);

    static const uint32_t u32_max[] = {0xFFFFFFFF};
    locals_module(&m, u32_max, 1);
    EXPECT_FAST_FAIL(&m, "too many locals");
    buf_free(&m);

    /* Four groups of 2^30: the sum overflows u32, which the spec itself rejects. */
    static const uint32_t overflow[] = {1u << 30, 1u << 30, 1u << 30, 1u << 30};
    locals_module(&m, overflow, 4);
    EXPECT_FAST_FAIL(&m, "too many locals");
    buf_free(&m);

    /* A local count of 2^32 does not fit a u32 at all. */
    Buf body = {0};
    buf_seq(&body, 1, 0x80, 0x80, 0x80, 0x80, 0x10, 0x7F, 0x0B, -1);
    mod_one_func(&m, "", "", &body, false);
    EXPECT_FAST_FAIL(&m, "integer too large");
    buf_free(&m);
    buf_free(&body);
}

static void
test_huge_counts(void)
{
    static const struct {
        const char *what;
        uint8_t bytes[40];
        size_t len;
        const char *error;
    } cases[] = {
        {"4 billion functions", {3, 5, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, 7, "length out of bounds"},
        {"4 billion types", {1, 5, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, 7, "length out of bounds"},
        {"a type with 4 billion params", {1, 7, 1, 0x60, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, 9,
         "length out of bounds"},
        {"4 billion imports", {2, 5, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, 7, "length out of bounds"},
        {"4 billion globals", {6, 5, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, 7, "length out of bounds"},
        {"4 billion exports", {7, 5, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, 7, "length out of bounds"},
        {"4 billion elements", {9, 5, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, 7, "length out of bounds"},
        {"4 billion element items", {9, 7, 1, 1, 0, 0xFF, 0xFF, 0xFF, 0x0F}, 9,
         "length out of bounds"},
        {"4 billion bodies", {10, 5, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, 7, "length out of bounds"},
        {"a 4 GiB body", {10, 6, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, 8, "length out of bounds"},
        {"4 billion data segments", {11, 5, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, 7,
         "length out of bounds"},
        {"a 4 GiB data segment", {11, 7, 1, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, 9,
         "length out of bounds"},
        {"a 4 GiB section", {0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0}, 7, "length out of bounds"},
        {"a 4 GiB name", {2, 6, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, 8, "length out of bounds"},
    };
    for (size_t i = 0; i < SK_ARRAY_LEN(cases); i++) {
        Buf m = {0};
        mod_header(&m);
        buf_bytes(&m, cases[i].bytes, cases[i].len);
        SkDiag d;
        bool ok;
        size_t peak = load_counted(&m, &ok, &d);
        if (ok || strncmp(d.message, cases[i].error, strlen(cases[i].error)) != 0) {
            fprintf(stderr, "%s: expected \"%s\", got %s\n", cases[i].what, cases[i].error,
                    ok ? "a valid module" : d.message);
            check_failures++;
        }
        if (peak > (256u << 10)) {
            fprintf(stderr, "%s: peak allocation %zu bytes\n", cases[i].what, peak);
            check_failures++;
        }
        buf_free(&m);
    }

    /* An import count as large as the bytes left (one import per byte), where only one
     * import in four fits: the arrays must follow the imports decoded, not the count. */
    {
        Buf m2 = {0}, s2 = {0};
        mod_header(&m2);
        buf_u32(&s2, 100000);
        for (int i = 0; i < 100000; i++)
            buf_byte(&s2, 0);  // empty names, a function import of type 0, four bytes each
        mod_section(&m2, 2, &s2);
        SkDiag d2;
        bool ok2;
        size_t peak = load_counted(&m2, &ok2, &d2);
        CHECK(!ok2);
        CHECK_CONTAINS(d2.message, "unexpected end");
        if (peak > (256u << 10) + 64 * m2.len) {
            fprintf(stderr, "import count: peak allocation %zu bytes for %zu bytes\n", peak,
                    m2.len);
            check_failures++;
        }
        buf_free(&m2);
    }

    /* A br_table claiming 4 billion targets. */
    Buf m = {0}, body = {0};
    buf_seq(&body, 0, 0x41, 0, 0x0E, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0, 0x0B, -1);
    mod_one_func(&m, "", "", &body, false);
    EXPECT_FAST_FAIL(&m, "length out of bounds");
    buf_free(&m);
    buf_free(&body);
}

/*
 * Calls of a function with 1000 results, repeated, push a million values with a few
 * kilobytes of code: the operand stack limit stops that with an error.
 */
static void
test_operand_stack_limit(void)
{
    Buf m = {0}, s = {0};
    mod_header(&m);
    buf_seq(&s, 2, 0x60, 0, -1);
    buf_u32(&s, 1000);
    for (int i = 0; i < 1000; i++)
        buf_byte(&s, 0x7F);
    buf_seq(&s, 0x60, 0, 0, -1);
    mod_section(&m, 1, &s);
    buf_seq(&s, 2, 0, 1, -1);
    mod_section(&m, 3, &s);
    Buf b0 = {0}, b1 = {0};
    buf_byte(&b0, 0);
    for (int i = 0; i < 1000; i++)
        buf_seq(&b0, 0x41, 0, -1);
    buf_byte(&b0, 0x0B);
    buf_byte(&b1, 0);
    for (int i = 0; i < 1100; i++)
        buf_seq(&b1, 0x10, 0, -1);
    buf_byte(&b1, 0x0B);
    buf_byte(&s, 2);
    buf_u32(&s, (uint32_t)b0.len);
    buf_bytes(&s, b0.data, b0.len);
    buf_u32(&s, (uint32_t)b1.len);
    buf_bytes(&s, b1.data, b1.len);
    mod_section(&m, 10, &s);
    SkDiag d;
    bool ok;
    size_t peak = load_counted(&m, &ok, &d);
    CHECK(!ok);
    CHECK_EQ(d.kind, SK_DIAG_LIMIT);
    CHECK_CONTAINS(d.message, "operand stack too deep");
    CHECK_EQ(d.func_index, 1);
    CHECK(peak < (8u << 20));
    buf_free(&m);
    buf_free(&b0);
    buf_free(&b1);
}

/* A body larger than the operand stack limit is fine as long as its stack is not. */
static void
test_huge_body(void)
{
    Buf m = {0}, body = {0};
    buf_byte(&body, 0);
    for (int i = 0; i < 600000; i++)
        buf_seq(&body, 0x41, 0, 0x1A, -1);  // i32.const 0; drop
    buf_byte(&body, 0x0B);
    mod_one_func(&m, "", "", &body, false);
    EXPECT_VALID(&m);
    buf_free(&m);
    buf_free(&body);
}

/* Real modules: what the frontend allocates stays within a small multiple of the input. */
static void
test_proportional(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("note: %s not found, real-module allocation check not run\n", path);
        return;
    }
    Buf m = {0};
    uint8_t chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_bytes(&m, chunk, n);
    fclose(f);
    SkDiag d;
    bool ok;
    size_t peak = load_counted(&m, &ok, &d);
    CHECK(ok);
    printf("%s: %zu bytes, peak allocation %zu bytes\n", path, m.len, peak);
    CHECK(peak <= 8 * m.len + (4u << 20));
    buf_free(&m);
}

int
main(int argc, char **argv)
{
    test_memory_and_table_limits();
    test_locals();
    test_huge_counts();
    test_operand_stack_limit();
    test_huge_body();
    for (int i = 1; i < argc; i++)
        test_proportional(argv[i]);
    return check_exit();
}
