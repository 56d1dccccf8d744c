/*
 * The `name` custom section: module, function and local names are decoded; a malformed
 * name section is ignored as a whole and never makes a module invalid.
 */
#include "wasm_builder.h"

/* One imported function and two defined ones (function indices 0, 1, 2). */
static void
base_module(Buf *m)
{
    Buf s = {0};
    mod_header(m);
    buf_seq(&s, 1, 0x60, 0, 0, -1);
    mod_section(m, 1, &s);
    buf_seq(&s, 1, 1, 'e', 1, 'f', 0, 0, -1);
    mod_section(m, 2, &s);
    buf_seq(&s, 2, 0, 0, -1);
    mod_section(m, 3, &s);
    buf_seq(&s, 2, 2, 0, 0x0B, 4, 1, 2, 0x7F, 0x0B, -1);  // body 2 has two i32 locals
    mod_section(m, 10, &s);
}

/* Appends a name section made of the given subsection contents (id, bytes) pairs. */
static void
name_section(Buf *m, const Buf *subs, const uint8_t *ids, size_t n)
{
    Buf s = {0};
    buf_name(&s, "name");
    for (size_t i = 0; i < n; i++) {
        buf_byte(&s, ids[i]);
        buf_u32(&s, (uint32_t)subs[i].len);
        buf_bytes(&s, subs[i].data, subs[i].len);
    }
    mod_section(m, 0, &s);
}

static void
free_subs(Buf *subs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        buf_free(&subs[i]);
}

/* The well-formed contents used below. */
static void
good_subs(Buf subs[3])
{
    memset(subs, 0, 3 * sizeof(Buf));
    buf_name(&subs[0], "mod");
    buf_byte(&subs[1], 3);
    buf_byte(&subs[1], 0);
    buf_name(&subs[1], "imported");
    buf_byte(&subs[1], 1);
    buf_name(&subs[1], "first");
    buf_byte(&subs[1], 2);
    buf_name(&subs[1], "second \xE2\x9C\x93");  // U+2713, three bytes of UTF-8
    buf_seq(&subs[2], 1, 2, 2, 0, -1);
    buf_name(&subs[2], "x");
    buf_byte(&subs[2], 1);
    buf_name(&subs[2], "y");
}

static void
test_names(void)
{
    Buf m = {0}, subs[3];
    static const uint8_t ids[3] = {0, 1, 2};
    base_module(&m);
    good_subs(subs);
    name_section(&m, subs, ids, 3);
    free_subs(subs, 3);
    FeModule *mod;
    SkDiag d;
    CHECK(fe_module_load(m.data, m.len, NULL, &mod, &d));
    if (mod) {
        CHECK_STR(mod->module_name.str, "mod");
        CHECK_STR(fe_module_func_name(mod, 0), "imported");
        CHECK_STR(fe_module_func_name(mod, 1), "first");
        CHECK_STR(fe_module_func_name(mod, 2), "second \xE2\x9C\x93");
        CHECK(fe_module_func_name(mod, 3) == NULL);
        CHECK_EQ(mod->nlocal_names, 1);
        if (mod->nlocal_names == 1) {
            CHECK_EQ(mod->local_names[0].func_index, 2);
            CHECK_EQ(mod->local_names[0].nnames, 2);
            CHECK_STR(mod->local_names[0].names[1].name.str, "y");
        }
        fe_module_free(mod);
    }
    buf_free(&m);

    /* Subsections with other ids (the extended-name proposal) are skipped. */
    Buf more[4];
    good_subs(more);
    memset(&more[3], 0, sizeof(Buf));
    buf_seq(&more[3], 1, 0, 1, 'L', -1);
    static const uint8_t ids4[4] = {0, 1, 2, 3};
    base_module(&m);
    name_section(&m, more, ids4, 4);
    free_subs(more, 4);
    CHECK(fe_module_load(m.data, m.len, NULL, &mod, &d));
    if (mod) {
        CHECK_STR(fe_module_func_name(mod, 1), "first");
        fe_module_free(mod);
    }
    buf_free(&m);
}

/* Each malformed variant: the module stays valid and keeps no names at all. */
static void
expect_ignored(int line, Buf *subs, const uint8_t *ids, size_t n)
{
    Buf m = {0};
    base_module(&m);
    name_section(&m, subs, ids, n);
    free_subs(subs, n);
    FeModule *mod;
    SkDiag d;
    if (!fe_module_load(m.data, m.len, NULL, &mod, &d)) {
        fprintf(stderr, "line %d: a malformed name section rejected the module: %s\n", line,
                d.message);
        check_failures++;
    } else {
        if (mod->module_name.str || mod->nfunc_names || mod->nlocal_names ||
            fe_module_func_name(mod, 1)) {
            fprintf(stderr, "line %d: names kept from a malformed name section\n", line);
            check_failures++;
        }
        fe_module_free(mod);
    }
    buf_free(&m);
}

static void
test_malformed_ignored(void)
{
    static const uint8_t ids[3] = {0, 1, 2};
    Buf subs[3];

    /* Function indices out of order. */
    good_subs(subs);
    buf_free(&subs[1]);
    buf_byte(&subs[1], 2);
    buf_byte(&subs[1], 2);
    buf_name(&subs[1], "b");
    buf_byte(&subs[1], 1);
    buf_name(&subs[1], "a");
    expect_ignored(__LINE__, subs, ids, 3);

    /* The same index twice. */
    good_subs(subs);
    buf_free(&subs[1]);
    buf_seq(&subs[1], 2, 1, -1);
    buf_name(&subs[1], "a");
    buf_byte(&subs[1], 1);
    buf_name(&subs[1], "b");
    expect_ignored(__LINE__, subs, ids, 3);

    /* Malformed UTF-8 (a lone continuation byte) in a function name. */
    good_subs(subs);
    buf_free(&subs[1]);
    buf_seq(&subs[1], 1, 1, 2, 'a', 0x80, -1);
    expect_ignored(__LINE__, subs, ids, 3);

    /* Subsections out of order. */
    good_subs(subs);
    static const uint8_t swapped[3] = {1, 0, 2};
    Buf tmp = subs[0];
    subs[0] = subs[1];
    subs[1] = tmp;
    expect_ignored(__LINE__, subs, swapped, 3);

    /* A name map that claims more entries than it has. */
    good_subs(subs);
    subs[1].data[0] = 4;
    expect_ignored(__LINE__, subs, ids, 3);

    /* Trailing bytes inside a subsection. */
    good_subs(subs);
    buf_byte(&subs[0], 0);
    expect_ignored(__LINE__, subs, ids, 3);

    /* A subsection size beyond the section: written by hand. */
    Buf m = {0}, s = {0};
    base_module(&m);
    buf_name(&s, "name");
    buf_seq(&s, 1, 40, 1, 1, 1, 'a', -1);
    mod_section(&m, 0, &s);
    FeModule *mod;
    SkDiag d;
    CHECK(fe_module_load(m.data, m.len, NULL, &mod, &d));
    if (mod) {
        CHECK(fe_module_func_name(mod, 1) == NULL);
        fe_module_free(mod);
    }
    buf_free(&m);

    /* A subsection whose size runs one byte past the section, which ends the input: the
     * length check counts the size's own byte, so only this second check stops a read past
     * the input (found by fuzz_decode; load_ok copies to an exact-size buffer for ASan). */
    base_module(&m);
    buf_name(&s, "name");
    buf_seq(&s, 1, 5, 2, 1, 1, 'a', -1);
    mod_section(&m, 0, &s);
    SkDiag d2;
    CHECK(load_ok(&m, &d2));
    buf_free(&m);

    /* A name section cut short in the middle of a name. */
    base_module(&m);
    buf_name(&s, "name");
    buf_seq(&s, 1, 5, 1, 1, 9, 'a', 'b', -1);
    mod_section(&m, 0, &s);
    CHECK(fe_module_load(m.data, m.len, NULL, &mod, &d));
    if (mod) {
        CHECK(fe_module_func_name(mod, 1) == NULL);
        fe_module_free(mod);
    }
    buf_free(&m);
}

int
main(void)
{
    test_names();
    test_malformed_ignored();
    return check_exit();
}
