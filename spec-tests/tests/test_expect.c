/*
 * Unit tests of the expected-failures list reader (spec-tests/expect.c): entries for one
 * command and for a whole file, comments, lookups, and malformed lines rejected with the
 * list's path and line. How the runner applies the list is tested in test_runner.c.
 */
#include "check.h"
#include "spec-tests/wast.h"

static void
test_parse_and_find(void)
{
    const char *text = "# spec commands that do not pass yet\n"
                       "\n"
                       "simd_lane.wast:*   SIMD: no v128 in the backend yet\n"
                       "i32.wast:12\tdiv_s overflow  \r\n"
                       "   f32.wast:2000  reason with  spaces \n"
                       "i32.wast:40 another";  // no final newline
    WastExpectList l;
    SkDiag d = {0};
    CHECK(wast_expect_parse(&l, "list.txt", text, strlen(text), &d));
    CHECK_EQ(l.nentries, 4);
    if (l.nentries == 4) {
        CHECK_STR(l.entries[0].file, "simd_lane.wast");
        CHECK_EQ(l.entries[0].line, 0);
        CHECK_STR(l.entries[0].reason, "SIMD: no v128 in the backend yet");
        CHECK_EQ(l.entries[0].list_line, 3);
        CHECK_STR(l.entries[1].file, "i32.wast");
        CHECK_EQ(l.entries[1].line, 12);
        CHECK_STR(l.entries[1].reason, "div_s overflow");
        CHECK_STR(l.entries[2].reason, "reason with  spaces");
        CHECK_EQ(l.entries[3].line, 40);
        CHECK_EQ(l.entries[3].list_line, 6);
    }
    CHECK_STR(l.path, "list.txt");

    const WastExpectEntry *e = wast_expect_find(&l, "i32.wast", 12);
    CHECK(e && e->line == 12);
    CHECK(wast_expect_find(&l, "i32.wast", 13) == NULL);
    CHECK(wast_expect_find(&l, "i64.wast", 12) == NULL);
    e = wast_expect_find(&l, "simd_lane.wast", 77);  // the whole-file entry
    CHECK(e && e->line == 0 && e->list_line == 3);
    e = wast_expect_find(&l, "simd_lane.wast", 0);
    CHECK(e && e->line == 0);
    CHECK(wast_expect_find(&l, "i32.wast", 0) == NULL);
    CHECK(wast_expect_find(NULL, "i32.wast", 12) == NULL);
    wast_expect_free(&l);

    /* An empty list (only comments) is valid. */
    CHECK(wast_expect_parse(&l, "empty.txt", "# nothing\n", 10, &d));
    CHECK_EQ(l.nentries, 0);
    wast_expect_free(&l);
}

/* A line entry wins over the whole-file entry of the same file. */
static void
test_line_beats_file(void)
{
    const char *text = "a.wast:*  all\na.wast:5  this one\n";
    WastExpectList l;
    SkDiag d = {0};
    CHECK(wast_expect_parse(&l, "l", text, strlen(text), &d));
    const WastExpectEntry *e = wast_expect_find(&l, "a.wast", 5);
    CHECK(e && e->line == 5);
    e = wast_expect_find(&l, "a.wast", 6);
    CHECK(e && e->line == 0);
    wast_expect_free(&l);
}

static void
check_bad(const char *text, const char *want)
{
    WastExpectList l;
    SkDiag d = {0};
    CHECK(!wast_expect_parse(&l, "list.txt", text, strlen(text), &d));
    CHECK_CONTAINS(d.message, want);
    wast_expect_free(&l);
}

static void
test_malformed(void)
{
    check_bad("i32.wast:12\n", "list.txt:1: missing reason");
    check_bad("# c\ni32.wast:12   \n", "list.txt:2: missing reason");
    check_bad("i32.wast  reason\n", "expected FILE.wast:LINE");
    check_bad("i32.wast:x reason\n", "the line must be a number");
    check_bad("i32.wast: reason\n", "missing line number");
    check_bad("i32.wast:0 reason\n", "line numbers start at 1");
    check_bad("i32.wast:99999999999 reason\n", "line number too large");
    check_bad("i32.wat:1 reason\n", ".wast base name");
    check_bad(".wast:1 reason\n", ".wast base name");
    check_bad("core/i32.wast:1 reason\n", "without a folder");
    check_bad("a.wast:3 x\nb.wast:3 y\na.wast:3 z\n", "list.txt:3: duplicate entry (first at line 1)");
    check_bad("a.wast:* x\na.wast:* y\n", "duplicate entry");
    WastExpectList l;
    SkDiag d = {0};
    CHECK(!wast_expect_parse(&l, "list.txt", "a.wast:1 x\0y\n", 13, &d));
    CHECK_CONTAINS(d.message, "NUL byte");
    wast_expect_free(&l);
}

static void
test_load(void)
{
    WastExpectList l;
    SkDiag d = {0};
    CHECK(!wast_expect_load(&l, "/nonexistent/expected-failures.txt", &d));
    CHECK_EQ(d.kind, SK_DIAG_IO);
    CHECK_CONTAINS(d.message, "/nonexistent/expected-failures.txt");
    wast_expect_free(&l);
    CHECK_STR(wast_basename("/a/b/c.wast"), "c.wast");
    CHECK_STR(wast_basename("c.wast"), "c.wast");
}

int
main(void)
{
    test_parse_and_find();
    test_line_beats_file();
    test_malformed();
    test_load();
    return check_exit();
}
