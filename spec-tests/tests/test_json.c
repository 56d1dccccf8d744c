/*
 * Unit tests of the JSON reader (spec-tests/json.c): values, nesting, string escapes and
 * surrogate pairs, numbers kept as text, and malformed documents rejected with a message
 * that gives the line and column.
 */
#include <stdlib.h>

#include "check.h"
#include "spec-tests/wast.h"

/* Parses `text`; returns true on success. On failure the message lands in `diag`. */
static bool
parse(SkArena *a, const char *text, WastJson *out, SkDiag *diag)
{
    *diag = (SkDiag){0};
    return wast_json_parse(text, strlen(text), a, out, diag);
}

/* Expects `text` to be rejected with a message containing `want`. */
static void
check_rejects(const char *text, const char *want)
{
    SkArena a;
    sk_arena_init(&a, NULL);
    WastJson v;
    SkDiag d;
    bool ok = parse(&a, text, &v, &d);
    if (ok)
        fprintf(stderr, "accepted: %s\n", text);
    CHECK(!ok);
    CHECK_EQ(d.kind, SK_DIAG_MALFORMED);
    CHECK_CONTAINS(d.message, want);
    sk_arena_free(&a);
}

static void
test_structure(void)
{
    SkArena a;
    sk_arena_init(&a, NULL);
    WastJson v;
    SkDiag d;
    const char *text = " {\"source_filename\": \"x.wast\",\n \"commands\": [\n"
                       "  {\"type\": \"module\", \"line\": 3, \"filename\": \"x.0.wasm\"},\n"
                       "  {\"type\": \"assert_return\", \"line\": 10, \"args\": [], "
                       "\"ok\": true, \"no\": false, \"nothing\": null, \"f\": -1.5e+3}\n"
                       " ]}\n";
    CHECK(parse(&a, text, &v, &d));
    CHECK_EQ(v.kind, WAST_JSON_OBJECT);
    CHECK_EQ(v.len, 2);
    CHECK_STR(wast_json_str(wast_json_get(&v, "source_filename")), "x.wast");
    const WastJson *cmds = wast_json_get(&v, "commands");
    CHECK(cmds && cmds->kind == WAST_JSON_ARRAY && cmds->len == 2);
    if (cmds && cmds->kind == WAST_JSON_ARRAY && cmds->len == 2) {
        const WastJson *c0 = &cmds->u.items[0], *c1 = &cmds->u.items[1];
        uint32_t line = 0;
        CHECK(wast_json_u32(wast_json_get(c0, "line"), &line));
        CHECK_EQ(line, 3);
        CHECK_STR(wast_json_str(wast_json_get(c0, "filename")), "x.0.wasm");
        CHECK(wast_json_get(c0, "missing") == NULL);
        const WastJson *args = wast_json_get(c1, "args");
        CHECK(args && args->kind == WAST_JSON_ARRAY && args->len == 0);
        CHECK(wast_json_get(c1, "ok")->kind == WAST_JSON_BOOL);
        CHECK(wast_json_get(c1, "ok")->boolean);
        CHECK(!wast_json_get(c1, "no")->boolean);
        CHECK_EQ(wast_json_get(c1, "nothing")->kind, WAST_JSON_NULL);
        const WastJson *f = wast_json_get(c1, "f");
        CHECK_EQ(f->kind, WAST_JSON_NUMBER);
        CHECK_STR(f->u.str, "-1.5e+3");  // numbers keep their text
        CHECK(!wast_json_u32(f, &line));
        CHECK_EQ(c1->offset, (uint32_t)(strstr(text, "{\"type\": \"assert_return\"") - text));
    }
    /* Members keep their order; a repeated key finds the first. */
    CHECK(parse(&a, "{\"k\": 1, \"k\": 2}", &v, &d));
    CHECK_STR(wast_json_get(&v, "k")->u.str, "1");
    /* Deep but allowed nesting. */
    char deep[2 * 100 + 1];
    for (int i = 0; i < 100; i++) {
        deep[i] = '[';
        deep[100 + i] = ']';
    }
    deep[200] = '\0';
    CHECK(parse(&a, deep, &v, &d));
    /* Scalars at top level; a non-object has no members. */
    CHECK(parse(&a, "\"just a string\"", &v, &d));
    CHECK(wast_json_get(&v, "x") == NULL);
    CHECK(wast_json_str(NULL) == NULL);
    sk_arena_free(&a);
}

static void
test_strings(void)
{
    SkArena a;
    sk_arena_init(&a, NULL);
    WastJson v;
    SkDiag d;
    CHECK(parse(&a, "\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t\"", &v, &d));
    CHECK_STR(v.u.str, "q\" b\\ s/ \b\f\n\r\t");
    /* \u escapes become UTF-8: 1, 2, 3 and 4 bytes (a surrogate pair). */
    CHECK(parse(&a, "\"\\u0041\\u00e9\\u20AC\\ud83d\\ude00\"", &v, &d));
    CHECK_STR(v.u.str, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    CHECK_EQ(v.len, 10);
    /* wast2json writes export names with NULs as \u0000: the length keeps them. */
    CHECK(parse(&a, "\"a\\u0000b\"", &v, &d));
    CHECK_EQ(v.len, 3);
    CHECK(memcmp(v.u.str, "a\0b", 4) == 0);
    /* Raw UTF-8 passes through. */
    CHECK(parse(&a, "\"\xE2\x82\xAC\"", &v, &d));
    CHECK_STR(v.u.str, "\xE2\x82\xAC");
    /* Keys are decoded too. */
    CHECK(parse(&a, "{\"a\\u0062\": 1}", &v, &d));
    CHECK(wast_json_get(&v, "ab") != NULL);
    CHECK(parse(&a, "\"\"", &v, &d));
    CHECK_EQ(v.len, 0);
    CHECK_STR(v.u.str, "");
    sk_arena_free(&a);
}

static void
test_numbers(void)
{
    SkArena a;
    sk_arena_init(&a, NULL);
    WastJson v;
    SkDiag d;
    uint32_t u = 0;
    CHECK(parse(&a, "4294967295", &v, &d));
    CHECK(wast_json_u32(&v, &u));
    CHECK_EQ(u, 4294967295u);
    CHECK(parse(&a, "4294967296", &v, &d));
    CHECK(!wast_json_u32(&v, &u));
    CHECK(parse(&a, "-1", &v, &d));
    CHECK(!wast_json_u32(&v, &u));
    CHECK(parse(&a, "0", &v, &d));
    CHECK(wast_json_u32(&v, &u));
    CHECK_EQ(u, 0);
    CHECK(parse(&a, "1e3", &v, &d));
    CHECK(!wast_json_u32(&v, &u));
    CHECK(parse(&a, "0.25", &v, &d));
    CHECK_STR(v.u.str, "0.25");
    sk_arena_free(&a);
}

static void
test_malformed(void)
{
    check_rejects("", "unexpected end of input");
    check_rejects("   \n ", "unexpected end of input (line 2, column 2)");
    check_rejects("{", "unterminated object");
    check_rejects("[1, 2", "unterminated array");
    check_rejects("[1,]", "trailing ',' in array");
    check_rejects("{\"a\": 1,}", "trailing ',' in object");
    check_rejects("[1 2]", "expected ',' or ']'");
    check_rejects("{\"a\" 1}", "expected ':'");
    check_rejects("{\"a\": 1 \"b\": 2}", "expected ',' or '}'");
    check_rejects("{1: 2}", "expected a string key");
    check_rejects("01", "leading zero");
    check_rejects("1.", "expected a digit after '.'");
    check_rejects("1e", "expected a digit in exponent");
    check_rejects("-", "expected a digit");
    check_rejects("+1", "expected a value");
    check_rejects("nul", "expected a value");
    check_rejects("truex", "unexpected content after the value");
    check_rejects("truth", "expected a value");
    check_rejects("{} x", "unexpected content after the value (line 1, column 4)");
    check_rejects("\"abc", "unterminated string");
    check_rejects("\"abc\\", "unterminated string");
    check_rejects("\"a\nb\"", "control character in string");
    check_rejects("\"\\x\"", "unknown escape");
    check_rejects("\"\\u12\"", "four hex digits");
    check_rejects("\"\\u12g4\"", "four hex digits");
    check_rejects("\"\\udc00\"", "lone low surrogate");
    check_rejects("\"\\ud800\"", "high surrogate not followed");
    check_rejects("\"\\ud800\\u0041\"", "high surrogate not followed");
    check_rejects("[\n  1,\n  @]", "expected a value (line 3, column 3)");
    /* Nesting deeper than the limit fails cleanly instead of overflowing the stack. */
    size_t n = 100000;
    char *deep = malloc(n + 1);
    memset(deep, '[', n);
    deep[n] = '\0';
    check_rejects(deep, "nesting too deep");
    free(deep);
    /* A NUL inside the input is not a valid character between values. */
    SkArena a;
    sk_arena_init(&a, NULL);
    WastJson v;
    SkDiag d = {0};
    CHECK(!wast_json_parse("[1]\0", 4, &a, &v, &d));
    CHECK_CONTAINS(d.message, "unexpected content");
    sk_arena_free(&a);
}

int
main(void)
{
    test_structure();
    test_strings();
    test_numbers();
    test_malformed();
    return check_exit();
}
