/*
 * Module structure: the header, section order and duplicates, custom sections anywhere,
 * section sizes, count consistency, and the contents of each section (imports, exports,
 * start, segments, constant expressions) as fe_module_decode stores them.
 */
#include "wasm_builder.h"

/* Appends a section whose contents are given as bytes (-1 terminated). */
static void
sec(Buf *m, uint8_t id, int first, ...)
{
    Buf s = {0};
    va_list ap;
    va_start(ap, first);
    for (int x = first; x != -1; x = va_arg(ap, int))
        buf_byte(&s, (uint8_t)x);
    va_end(ap);
    mod_section(m, id, &s);
}

static void
custom(Buf *m, const char *name, const char *payload)
{
    Buf s = {0};
    buf_name(&s, name);
    buf_bytes(&s, payload, strlen(payload));
    mod_section(m, 0, &s);
}

static void
test_header(void)
{
    static const struct {
        uint8_t bytes[8];
        size_t len;
        const char *message;
        uint64_t offset;
    } cases[] = {
        {{0}, 0, "unexpected end", 0},
        {{0x00, 0x61, 0x73}, 3, "unexpected end", 3},
        {{0x00, 0x61, 0x73, 0x6D, 0x01}, 5, "unexpected end", 5},
        {{0x00, 0x41, 0x53, 0x4D, 0x01, 0, 0, 0}, 8, "magic header not detected", 0},
        {{0x61, 0x73, 0x6D, 0x00}, 4, "magic header not detected", 0},
        {{0x00, 0x61, 0x73, 0x6D, 0x02, 0, 0, 0}, 8, "unknown binary version", 4},
        {{0x00, 0x61, 0x73, 0x6D, 0x00, 0, 0, 1}, 8, "unknown binary version", 4},
    };
    for (size_t i = 0; i < SK_ARRAY_LEN(cases); i++) {
        Buf m = {0};
        buf_bytes(&m, cases[i].bytes, cases[i].len);
        EXPECT_ERROR(&m, SK_DIAG_MALFORMED, cases[i].message, (long)cases[i].offset);
        buf_free(&m);
    }
    Buf m = {0};
    mod_header(&m);
    EXPECT_VALID(&m);
    buf_free(&m);
}

static void
test_order(void)
{
    Buf m = {0};

    /* Every section once, in order, with custom sections around and between them. */
    mod_header(&m);
    custom(&m, "first", "x");
    sec(&m, 1, 1, 0x60, 0, 0, -1);                         // type () -> ()
    custom(&m, "after type", "");
    sec(&m, 2, 1, 1, 'm', 1, 'g', 3, 0x7F, 0, -1);         // import global i32
    sec(&m, 3, 1, 0, -1);                                  // one function
    sec(&m, 4, 1, 0x70, 0, 1, -1);                         // table funcref 1
    sec(&m, 5, 1, 0, 1, -1);                               // memory 1
    sec(&m, 6, 1, 0x7F, 0, 0x41, 5, 0x0B, -1);             // global i32 = 5
    sec(&m, 7, 1, 1, 'f', 0, 0, -1);                       // export "f" func 0
    sec(&m, 8, 0, -1);                                     // start 0
    sec(&m, 9, 1, 0, 0x41, 0, 0x0B, 1, 0, -1);             // elem at 0: func 0
    sec(&m, 12, 1, -1);                                    // data count 1
    sec(&m, 10, 1, 2, 0, 0x0B, -1);                        // code
    sec(&m, 11, 1, 1, 2, 'h', 'i', -1);                    // passive data "hi"
    custom(&m, "last", "payload");
    FeModule *mod;
    SkDiag d;
    CHECK(fe_module_load(m.data, m.len, NULL, &mod, &d));
    if (mod) {
        CHECK_EQ(mod->ntypes, 1);
        CHECK_EQ(mod->nimports, 1);
        CHECK_EQ(mod->nglobals, 2);
        CHECK_EQ(mod->nimported_globals, 1);
        CHECK_EQ(mod->nfuncs, 1);
        CHECK_EQ(mod->ntables, 1);
        CHECK_EQ(mod->nmemories, 1);
        CHECK_EQ(mod->start_func, 0);
        CHECK_EQ(mod->nelems, 1);
        CHECK(mod->has_data_count);
        CHECK_EQ(mod->data_count, 1);
        CHECK_EQ(mod->ndatas, 1);
        CHECK_EQ(mod->datas[0].mode, FE_SEGMENT_PASSIVE);
        CHECK_EQ(mod->datas[0].size, 2);
        CHECK(mod->datas[0].bytes && !memcmp(mod->datas[0].bytes, "hi", 2));
        CHECK_EQ(mod->globals[1].init.op, FE_CONST_I32);
        CHECK_EQ(mod->globals[1].init.value.i32, 5);
        CHECK_STR(mod->imports[0].module.str, "m");
        CHECK_STR(mod->exports[0].name.str, "f");
        CHECK(mod->func_declared[0]);
        CHECK_EQ(mod->funcs[0].body_size, 2);
        CHECK_EQ(mod->code_section_size, 4);
        fe_module_free(mod);
    }
    buf_free(&m);

    /* A repeated section, and one out of order, are "unexpected content". */
    mod_header(&m);
    sec(&m, 1, 0, -1);
    size_t at = m.len;
    sec(&m, 1, 0, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "unexpected content after last section", (long)at);
    buf_free(&m);

    mod_header(&m);
    sec(&m, 3, 0, -1);
    at = m.len;
    sec(&m, 1, 0, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "unexpected content after last section", (long)at);
    buf_free(&m);

    /* The data count section goes after the element section and before the code. */
    mod_header(&m);
    sec(&m, 12, 0, -1);
    at = m.len;
    sec(&m, 9, 0, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "unexpected content after last section", (long)at);
    buf_free(&m);

    mod_header(&m);
    sec(&m, 10, 0, -1);
    at = m.len;
    sec(&m, 12, 0, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "unexpected content after last section", (long)at);
    buf_free(&m);

    mod_header(&m);
    at = m.len;
    sec(&m, 13, 0, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "malformed section id", (long)at);
    buf_free(&m);
}

static void
test_sizes(void)
{
    Buf m = {0};

    /* A size beyond the end of the input. */
    mod_header(&m);
    buf_seq(&m, 1, 5, 1, 0x60, 0, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "length out of bounds", 9);
    buf_free(&m);

    /* Contents shorter than the size: the section ends early. */
    mod_header(&m);
    buf_seq(&m, 1, 5, 1, 0x60, 0, 0, 0x00, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "section size mismatch", 10);
    buf_free(&m);

    /* Contents longer than the size (they run into the next section). */
    mod_header(&m);
    buf_seq(&m, 1, 3, 1, 0x60, 0, 0, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "section size mismatch", 10);
    buf_free(&m);

    /* A vector count larger than the bytes left. */
    mod_header(&m);
    buf_seq(&m, 3, 2, 9, 0, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "length out of bounds", 10);
    buf_free(&m);

    /* A truncated vector. */
    mod_header(&m);
    buf_seq(&m, 3, 2, 2, 0, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "unexpected end", -1);
    buf_free(&m);

    /* A custom section whose name runs past the section. */
    mod_header(&m);
    buf_seq(&m, 0, 2, 4, 'n', 'a', 'm', 'e', -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "unexpected end", -1);
    buf_free(&m);

    /* A custom section whose size runs one byte past the input. */
    mod_header(&m);
    buf_seq(&m, 0, 8, 4, 'n', 'a', 'm', 'e', 1, 1, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "unexpected end", (long)m.len);
    buf_free(&m);

    /* So does a type section's: the contents end first. */
    mod_header(&m);
    buf_seq(&m, 1, 4, 1, 0x60, 0, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "unexpected end", -1);
    buf_free(&m);

    /* A custom section with a malformed UTF-8 name. */
    mod_header(&m);
    buf_seq(&m, 0, 3, 2, 0xC0, 0x80, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "malformed UTF-8 encoding", 10);
    buf_free(&m);
}

static void
test_counts(void)
{
    Buf m = {0};

    mod_header(&m);
    sec(&m, 1, 1, 0x60, 0, 0, -1);
    sec(&m, 3, 2, 0, 0, -1);
    sec(&m, 10, 1, 2, 0, 0x0B, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "function and code section have inconsistent lengths",
                 -1);
    buf_free(&m);

    mod_header(&m);
    sec(&m, 10, 1, 2, 0, 0x0B, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "function and code section have inconsistent lengths",
                 -1);
    buf_free(&m);

    mod_header(&m);
    sec(&m, 12, 2, -1);
    sec(&m, 11, 1, 1, 0, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED,
                 "data count and data section have inconsistent lengths", -1);
    buf_free(&m);

    mod_header(&m);
    sec(&m, 12, 0, -1);
    EXPECT_VALID(&m);
    buf_free(&m);
}

static void
test_imports_exports_start(void)
{
    Buf m = {0};

    mod_header(&m);
    sec(&m, 2, 1, 0, 0, 4, 0, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "malformed import kind", 13);
    buf_free(&m);

    mod_header(&m);
    sec(&m, 2, 1, 0, 0, 3, 0x7F, 2, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "malformed mutability", 15);
    buf_free(&m);

    mod_header(&m);
    sec(&m, 2, 1, 1, 0xFF, 0, 0, 0, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "malformed UTF-8 encoding", 11);
    buf_free(&m);

    mod_header(&m);
    sec(&m, 2, 1, 0, 0, 0, 0, -1);
    EXPECT_ERROR(&m, SK_DIAG_INVALID, "unknown type 0", -1);
    buf_free(&m);

    /* Imports of every kind take their place in the index spaces, before definitions. */
    mod_header(&m);
    sec(&m, 1, 1, 0x60, 0, 0, -1);
    sec(&m, 2, 4, 0, 1, 'f', 0, 0, 0, 1, 't', 1, 0x6F, 1, 1, 2, 0, 1, 'm', 2, 0, 1, 0, 1, 'g',
        3, 0x7E, 1, -1);
    sec(&m, 3, 1, 0, -1);
    sec(&m, 7, 4, 1, 'a', 0, 1, 1, 'b', 1, 0, 1, 'c', 2, 0, 1, 'd', 3, 0, -1);
    sec(&m, 10, 1, 2, 0, 0x0B, -1);
    FeModule *mod;
    SkDiag d;
    CHECK(fe_module_load(m.data, m.len, NULL, &mod, &d));
    if (mod) {
        CHECK_EQ(mod->nfuncs, 2);
        CHECK_EQ(mod->nimported_funcs, 1);
        CHECK(mod->funcs[0].imported);
        CHECK(!mod->funcs[1].imported);
        CHECK_EQ(mod->tables[0].elem_type, FE_VT_EXTERNREF);
        CHECK(mod->tables[0].limits.has_max);
        CHECK_EQ(mod->tables[0].limits.max, 2);
        CHECK(mod->globals[0].mutable_);
        CHECK_EQ(mod->globals[0].type, FE_VT_I64);
        CHECK_EQ(mod->imports[3].kind, FE_EXTERN_GLOBAL);
        CHECK_EQ(mod->exports[0].index, 1);
        CHECK(mod->func_declared[1]);
        CHECK(!mod->func_declared[0]);
        fe_module_free(mod);
    }
    buf_free(&m);

    mod_header(&m);
    sec(&m, 1, 1, 0x60, 0, 0, -1);
    sec(&m, 3, 1, 0, -1);
    sec(&m, 7, 2, 1, 'a', 0, 0, 1, 'a', 0, 0, -1);
    sec(&m, 10, 1, 2, 0, 0x0B, -1);
    EXPECT_ERROR(&m, SK_DIAG_INVALID, "duplicate export name", -1);
    buf_free(&m);

    mod_header(&m);
    sec(&m, 7, 1, 1, 'a', 0, 3, -1);
    EXPECT_ERROR(&m, SK_DIAG_INVALID, "unknown function 3", -1);
    buf_free(&m);

    mod_header(&m);
    sec(&m, 7, 1, 1, 'a', 4, 0, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "malformed export kind", 13);
    buf_free(&m);

    mod_header(&m);
    sec(&m, 1, 1, 0x60, 1, 0x7F, 0, -1);
    sec(&m, 3, 1, 0, -1);
    sec(&m, 8, 0, -1);
    sec(&m, 10, 1, 2, 0, 0x0B, -1);
    EXPECT_ERROR(&m, SK_DIAG_INVALID, "start function", -1);
    buf_free(&m);

    mod_header(&m);
    sec(&m, 8, 0, -1);
    EXPECT_ERROR(&m, SK_DIAG_INVALID, "unknown function 0", -1);
    buf_free(&m);
}

/* All eight element segment encodings, and the three data segment encodings. */
static void
test_segments(void)
{
    Buf m = {0};
    mod_header(&m);
    sec(&m, 1, 1, 0x60, 0, 0, -1);
    sec(&m, 3, 1, 0, -1);
    sec(&m, 4, 2, 0x70, 0, 4, 0x6F, 0, 4, -1);
    sec(&m, 5, 1, 0, 1, -1);
    sec(&m, 9, 8,
        0, 0x41, 0, 0x0B, 1, 0,                    // 0: active table 0, func indices
        1, 0, 1, 0,                                // 1: passive, elemkind, func indices
        2, 0, 0x41, 1, 0x0B, 0, 1, 0,              // 2: active table 0, elemkind
        3, 0, 1, 0,                                // 3: declarative
        4, 0x41, 2, 0x0B, 1, 0xD2, 0, 0x0B,        // 4: active table 0, expressions
        5, 0x6F, 1, 0xD0, 0x6F, 0x0B,              // 5: passive externref expressions
        6, 1, 0x41, 0, 0x0B, 0x6F, 1, 0xD0, 0x6F, 0x0B,  // 6: active table 1
        7, 0x70, 1, 0xD0, 0x70, 0x0B,              // 7: declarative funcref
        -1);
    sec(&m, 12, 3, -1);
    sec(&m, 10, 1, 2, 0, 0x0B, -1);
    sec(&m, 11, 3, 0, 0x41, 0, 0x0B, 1, 'a', 1, 1, 'b', 2, 0, 0x41, 4, 0x0B, 0, -1);
    FeModule *mod;
    SkDiag d;
    if (!fe_module_decode(m.data, m.len, NULL, &mod, &d)) {
        fprintf(stderr, "segments: %s at %llu\n", d.message, (unsigned long long)d.offset);
        check_failures++;
    } else {
        static const uint8_t modes[8] = {FE_SEGMENT_ACTIVE, FE_SEGMENT_PASSIVE, FE_SEGMENT_ACTIVE,
                                         FE_SEGMENT_DECLARATIVE, FE_SEGMENT_ACTIVE,
                                         FE_SEGMENT_PASSIVE, FE_SEGMENT_ACTIVE,
                                         FE_SEGMENT_DECLARATIVE};
        CHECK_EQ(mod->nelems, 8);
        for (int i = 0; i < 8 && i < (int)mod->nelems; i++) {
            CHECK_EQ(mod->elems[i].mode, modes[i]);
            CHECK_EQ(mod->elems[i].nitems, 1);
        }
        CHECK_EQ(mod->elems[4].offset.value.i32, 2);
        CHECK_EQ(mod->elems[4].items[0].op, FE_CONST_REF_FUNC);
        CHECK_EQ(mod->elems[5].elem_type, FE_VT_EXTERNREF);
        CHECK_EQ(mod->elems[5].items[0].op, FE_CONST_REF_NULL);
        CHECK_EQ(mod->elems[6].table, 1);
        CHECK_EQ(mod->ndatas, 3);
        CHECK_EQ(mod->datas[1].mode, FE_SEGMENT_PASSIVE);
        CHECK_EQ(mod->datas[2].offset.value.i32, 4);
        CHECK_EQ(mod->datas[2].size, 0);
        CHECK(mod->func_declared[0]);
        fe_module_free(mod);
    }
    buf_free(&m);

    mod_header(&m);
    sec(&m, 4, 1, 0x70, 0, 0, -1);
    sec(&m, 9, 1, 1, 1, 0, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "malformed element kind", -1);
    buf_free(&m);

    mod_header(&m);
    sec(&m, 9, 1, 5, 0x7F, 0, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "malformed reference type", -1);
    buf_free(&m);

    mod_header(&m);
    sec(&m, 9, 1, 0, 0x41, 0, 0x0B, 0, -1);
    EXPECT_ERROR(&m, SK_DIAG_INVALID, "unknown table 0", -1);
    buf_free(&m);

    /* An externref segment for a funcref table. */
    mod_header(&m);
    sec(&m, 4, 1, 0x70, 0, 0, -1);
    sec(&m, 9, 1, 6, 0, 0x41, 0, 0x0B, 0x6F, 0, -1);
    EXPECT_ERROR(&m, SK_DIAG_INVALID, "type mismatch", -1);
    buf_free(&m);

    mod_header(&m);
    sec(&m, 11, 1, 0, 0x41, 0, 0x0B, 0, -1);
    EXPECT_ERROR(&m, SK_DIAG_INVALID, "unknown memory 0", -1);
    buf_free(&m);

    mod_header(&m);
    sec(&m, 11, 1, 3, 0, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "malformed data segment kind", -1);
    buf_free(&m);
}

static void
test_const_exprs(void)
{
    Buf m = {0};

    /* global.get of an imported immutable global is constant. */
    mod_header(&m);
    sec(&m, 2, 1, 0, 0, 3, 0x7F, 0, -1);
    sec(&m, 6, 1, 0x7F, 0, 0x23, 0, 0x0B, -1);
    EXPECT_VALID(&m);
    buf_free(&m);

    /* ... of a global defined in the module is not visible. */
    mod_header(&m);
    sec(&m, 6, 2, 0x7F, 0, 0x41, 0, 0x0B, 0x7F, 0, 0x23, 0, 0x0B, -1);
    EXPECT_ERROR(&m, SK_DIAG_INVALID, "unknown global 0", -1);
    buf_free(&m);

    /* ... of a mutable one is not constant. */
    mod_header(&m);
    sec(&m, 2, 1, 0, 0, 3, 0x7F, 1, -1);
    sec(&m, 6, 1, 0x7F, 0, 0x23, 0, 0x0B, -1);
    EXPECT_ERROR(&m, SK_DIAG_INVALID, "constant expression required", -1);
    buf_free(&m);

    mod_header(&m);
    sec(&m, 6, 1, 0x7F, 0, 0x41, 1, 0x41, 2, 0x6A, 0x0B, -1);
    EXPECT_ERROR(&m, SK_DIAG_INVALID, "constant expression required", 17);
    buf_free(&m);

    mod_header(&m);
    sec(&m, 6, 1, 0x7F, 0, 0x41, 1, 0x41, 2, 0x0B, -1);
    EXPECT_ERROR(&m, SK_DIAG_INVALID, "type mismatch", -1);
    buf_free(&m);

    mod_header(&m);
    sec(&m, 6, 1, 0x7F, 0, 0x0B, -1);
    EXPECT_ERROR(&m, SK_DIAG_INVALID, "type mismatch", -1);
    buf_free(&m);

    mod_header(&m);
    sec(&m, 6, 1, 0x7E, 0, 0x41, 0, 0x0B, -1);
    EXPECT_ERROR(&m, SK_DIAG_INVALID, "type mismatch", -1);
    buf_free(&m);

    mod_header(&m);
    sec(&m, 6, 1, 0x7F, 0, 0x06, 0x0B, -1);
    EXPECT_ERROR(&m, SK_DIAG_MALFORMED, "illegal opcode", 13);
    buf_free(&m);

    /* ref.func in a global initializer declares the function. */
    mod_header(&m);
    sec(&m, 1, 1, 0x60, 0, 0, -1);
    sec(&m, 3, 1, 0, -1);
    sec(&m, 6, 1, 0x70, 0, 0xD2, 0, 0x0B, -1);
    sec(&m, 10, 1, 5, 0, 0xD2, 0, 0x1A, 0x0B, -1);
    EXPECT_VALID(&m);
    buf_free(&m);
}

int
main(void)
{
    test_header();
    test_order();
    test_sizes();
    test_counts();
    test_imports_exports_start();
    test_segments();
    test_const_exprs();
    return check_exit();
}
